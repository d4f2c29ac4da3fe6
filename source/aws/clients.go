package aws

import (
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// clientSet builds one client per service and region on first use, with
// the builder the service registered.
type clientSet struct {
	cfg aws.Config

	mu    sync.Mutex
	cache map[string]any
}

func newClientSet(cfg aws.Config) clientSet { return clientSet{cfg: cfg, cache: map[string]any{}} }

// get returns the client of the registered service called name for
// region.
func (s *clientSet) get(name, region string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := name + "/" + region
	if c, ok := s.cache[key]; ok {
		return c
	}
	svc := lookup(name)
	if svc == nil || svc.newClient == nil {
		panic(fmt.Sprintf("aws: no client registered for service %q", name))
	}
	cfg := s.cfg.Copy()
	cfg.Region = region
	c := svc.newClient(cfg)
	s.cache[key] = c
	return c
}

// client returns the client of the service called name for region, as the
// interface API of the operations a service file calls. Each service file
// wraps it in an accessor and asserts at compile time that its SDK client
// implements API.
func client[API any](c *Collector, name, region string) API {
	return c.clients.get(name, region).(API)
}
