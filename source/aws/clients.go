package aws

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// clientSet builds one client per service and region on first use. Each
// service file asks for its client through a narrow interface of the
// operations it calls.
type clientSet struct {
	cfg aws.Config

	mu    sync.Mutex
	cache map[string]any
}

func newClientSet(cfg aws.Config) clientSet { return clientSet{cfg: cfg, cache: map[string]any{}} }

func (s *clientSet) get(service, region string, build func(aws.Config) any) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := service + "/" + region
	if c, ok := s.cache[key]; ok {
		return c
	}
	cfg := s.cfg.Copy()
	cfg.Region = region
	c := build(cfg)
	s.cache[key] = c
	return c
}

func (s *clientSet) sts(region string) stsAPI {
	return s.get("sts", region, func(c aws.Config) any { return sts.NewFromConfig(c) }).(stsAPI)
}

func (s *clientSet) ec2(region string) ec2API {
	return s.get("ec2", region, func(c aws.Config) any { return ec2.NewFromConfig(c) }).(ec2API)
}

func (s *clientSet) cloudtrail(region string) cloudTrailAPI {
	return s.get("cloudtrail", region, func(c aws.Config) any { return cloudtrail.NewFromConfig(c) }).(cloudTrailAPI)
}

func (s *clientSet) logs(region string) logsAPI {
	return s.get("logs", region, func(c aws.Config) any { return cloudwatchlogs.NewFromConfig(c) }).(logsAPI)
}

func (s *clientSet) cloudwatch(region string) cloudWatchAPI {
	return s.get("cloudwatch", region, func(c aws.Config) any { return cloudwatch.NewFromConfig(c) }).(cloudWatchAPI)
}

func (s *clientSet) sns(region string) snsAPI {
	return s.get("sns", region, func(c aws.Config) any { return sns.NewFromConfig(c) }).(snsAPI)
}
