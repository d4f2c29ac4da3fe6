package aws

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"

	"vigil/entity"
)

// service is one AWS service vigil calls, as its own file registers it:
// everything the collector, the permission list and docs/iam-policy.json
// need to know about it. A service file calls register once, at package
// initialisation; nothing else names the service.
type service struct {
	// name is the prefix of the service's IAM actions ("cloudtrail"); the
	// collector's concurrency limit is per name and region.
	name string
	// newClient builds the service's SDK client from a configuration whose
	// region is set.
	newClient func(aws.Config) any
	// actions are the IAM actions the service's code calls.
	actions []action

	// listed are the entity types list builds the entities of, when the
	// service lists entities; list returns those of them the options want
	// (Options.wanted), with the attributes its own calls fill, from the
	// scanned regions, and makes no call that only unwanted types need.
	listed []string
	list   func(ctx context.Context, c *Collector, regions []string) []*entity.Entity
	// global is set for a service whose entities belong to the account and
	// no region (IAM): its list step needs no region, and the regions are
	// not listed for it.
	global bool

	// enriched is the entity type enrich fills attributes of, when the
	// service adds to entities some service lists; enrich runs once those
	// are listed, beside the other enrichers of the type.
	enriched string
	enrich   func(ctx context.Context, c *Collector, entities []*entity.Entity, out *additions)
}

// action is one IAM action a service calls.
type action struct {
	// name is the IAM action, "service:Operation".
	name string
	// purpose says in a few words what vigil reads with it.
	purpose string
	// fills name the attributes the call's answer fills, per entity type;
	// empty for the calls that scope the collection (the account and its
	// regions).
	fills []fill
}

// fill names attributes of one entity type that an action's answer fills.
type fill struct {
	entityType string
	attrs      []string
}

// services are the registered services, in registration order (the order
// of the files' names).
var services []*service

// register adds s to the registry. Service files call it from init.
func register(s service) {
	if lookup(s.name) != nil {
		panic(fmt.Sprintf("aws: service %q registered twice", s.name))
	}
	services = append(services, &s)
}

// lookup returns the registered service called name, or nil.
func lookup(name string) *service {
	for _, s := range services {
		if s.name == name {
			return s
		}
	}
	return nil
}

// wanted reports whether entities of typ are collected: Options.Types is
// empty (every type) or names it.
func (o *Options) wanted(typ string) bool {
	return len(o.Types) == 0 || slices.Contains(o.Types, typ)
}

// wantedAttr reports whether attribute attr of entities of typ is read:
// Options.Attrs has no entry for typ, or its entry names attr.
func (o *Options) wantedAttr(typ, attr string) bool {
	attrs, ok := o.Attrs[typ]
	return !ok || slices.Contains(attrs, attr)
}

// listers returns the services that list the entity types opts wants.
func listers(opts *Options) []*service {
	var out []*service
	for _, s := range services {
		if s.list != nil && slices.ContainsFunc(s.listed, opts.wanted) {
			out = append(out, s)
		}
	}
	return out
}

// enrichers returns the services that fill attributes of typ.
func enrichers(typ string) []*service {
	var out []*service
	for _, s := range services {
		if s.enrich != nil && s.enriched == typ {
			out = append(out, s)
		}
	}
	return out
}

// Types returns the entity types the collector can build, sorted.
func Types() []string {
	var out []string
	for _, s := range services {
		if s.list != nil {
			out = append(out, s.listed...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
