package aws

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
	"golang.org/x/sync/errgroup"

	"vigil/entity"
)

// Defaults and limits.
const (
	// DefaultMaxAttempts bounds the attempts the SDK retryer makes per call
	// (throttling, 5xx, timeouts), the first one included.
	DefaultMaxAttempts = 5
	// DefaultMaxBackoff bounds the delay between two attempts.
	DefaultMaxBackoff = 20 * time.Second
	// DefaultCallTimeout bounds one call, all its attempts included.
	DefaultCallTimeout = 60 * time.Second
	// DefaultConcurrency is how many calls may be in flight at once against
	// one service in one region (AWS throttles per account, service and
	// region).
	DefaultConcurrency = 10
	// DefaultCredentialReportWait bounds the wait for the IAM credential
	// report to be generated.
	DefaultCredentialReportWait = 10 * time.Second
	// maxTagBatch is the most trail ARNs one cloudtrail:ListTags call takes.
	maxTagBatch = 20
	// maxPages bounds the pages read from one paginated call, so that an
	// endpoint that keeps answering with a next token cannot hang a scan.
	maxPages = 1000
)

// Options say what to collect and how.
type Options struct {
	// Profile is the shared-config profile; empty for the SDK's default
	// chain (environment, shared config, SSO, IMDS).
	Profile string
	// RoleARN, when set, is assumed with sts:AssumeRole (ExternalID passed
	// along) and everything is read with the role's credentials.
	RoleARN    string
	ExternalID string
	// Regions to scan. Empty means every region enabled for the account
	// (ec2:DescribeRegions). Trails homed elsewhere, and log groups and
	// topics in other regions, are still read where they live.
	Regions []string
	// Endpoint, when set, sends every call to this URL (an emulator). The
	// SDK also honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>.
	Endpoint string
	// Credentials replaces the default chain (tests).
	Credentials aws.CredentialsProvider
	// MaxAttempts bounds the attempts of each call, the first included.
	// When zero, the SDK's settings decide (AWS_MAX_ATTEMPTS, or the
	// profile's max_attempts), and DefaultMaxAttempts when they say
	// nothing. The retry mode is the SDK's too (AWS_RETRY_MODE or the
	// profile's retry_mode: standard, or adaptive).
	MaxAttempts int
	// MaxBackoff, CallTimeout and Concurrency default to the Default
	// constants when zero.
	MaxBackoff  time.Duration
	CallTimeout time.Duration
	Concurrency int
	// Progress, when set, is called after each API call with the number of
	// calls made so far and the number in flight.
	Progress func(done, inFlight int)
	// Types, when not empty, are the only entity types to collect (vigil
	// scan aws: the types its rules are about). A service that lists or
	// enriches none of them makes no call; the regions are not listed when
	// no type is wanted. Empty means every type (see Types).
	Types []string
	// Attrs, when it has an entry for an entity type, are the only
	// attributes of that type to read: a call that fills none of them
	// (the fills of its registered action) is not made, and the
	// attributes it would fill are left out. A type without an entry has
	// every attribute read. Only services that read per-resource settings
	// (S3) narrow their calls so far; the others read every attribute.
	Attrs map[string][]string
	// CredentialReportWait bounds the wait for IAM to generate the
	// credential report; DefaultCredentialReportWait when zero. A report
	// not ready in time leaves the fields it gives Unknown.
	CredentialReportWait time.Duration
	// Now gives the collection time (tests); time.Now when nil.
	Now func() time.Time
	// Tool names the program for the inventory ("vigil 0.1.0").
	Tool string
}

func (o *Options) withDefaults() {
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.CredentialReportWait <= 0 {
		o.CredentialReportWait = DefaultCredentialReportWait
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// LoadConfig builds the SDK configuration for opts: the default credential
// chain or the profile, an assumed role, a bounded retryer, the endpoint
// override, and no SDK logging. The SDK's own settings (AWS_REGION,
// AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, AWS_ENDPOINT_URL, the profile's
// settings) apply as they do for the AWS CLI; opts.MaxAttempts, when set,
// wins over AWS_MAX_ATTEMPTS. It does not call AWS.
func LoadConfig(ctx context.Context, opts Options) (aws.Config, error) {
	opts.withDefaults()
	loaders := []func(*config.LoadOptions) error{
		// The SDK's default logger writes warnings raw to stderr, with
		// text from the answers ("failed to parse response Date header
		// value, got ..."). What matters of a call is its outcome, which
		// vigil reports as a failure; the rest is dropped.
		config.WithLogger(logging.Nop{}),
		config.WithClientLogMode(0),
		// No config.WithRetryer: given a retryer, the SDK no longer reads
		// AWS_MAX_ATTEMPTS and AWS_RETRY_MODE, which vigil honours below.
	}
	if opts.Profile != "" {
		loaders = append(loaders, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.Credentials != nil {
		loaders = append(loaders, config.WithCredentialsProvider(opts.Credentials))
	}
	if opts.Endpoint != "" {
		loaders = append(loaders, config.WithBaseEndpoint(opts.Endpoint))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loaders...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	cfg.Retryer = retryer(opts, cfg.RetryMaxAttempts, cfg.RetryMode)
	// The retryer carries both settings; left here, each client would
	// wrap it again with the environment's attempts, over the flag's.
	cfg.RetryMaxAttempts, cfg.RetryMode = 0, ""
	if cfg.Region == "" {
		cfg.Region = firstOr(opts.Regions, "us-east-1")
	}
	if opts.RoleARN != "" {
		provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), opts.RoleARN,
			func(o *stscreds.AssumeRoleOptions) {
				o.RoleSessionName = "vigil"
				if opts.ExternalID != "" {
					o.ExternalID = aws.String(opts.ExternalID)
				}
			})
		cfg.Credentials = aws.NewCredentialsCache(provider)
	}
	return cfg, nil
}

// retryer returns the retryer of every client: AWS_RETRY_MODE's mode
// (standard unless it says adaptive) with opts.MaxAttempts attempts, or the
// SDK setting's (sdkAttempts), or DefaultMaxAttempts; and opts.MaxBackoff.
func retryer(opts Options, sdkAttempts int, mode aws.RetryMode) func() aws.Retryer {
	attempts := cmp.Or(opts.MaxAttempts, sdkAttempts, DefaultMaxAttempts)
	standard := func(so *retry.StandardOptions) {
		so.MaxAttempts = attempts
		so.MaxBackoff = opts.MaxBackoff
		// The attempt bound and backoff are the limit; the client-side
		// retry quota would otherwise fail calls of a large scan that a
		// throttled region slows down.
		so.RateLimiter = ratelimit.None
	}
	if mode == aws.RetryModeAdaptive {
		return func() aws.Retryer {
			return retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
				ao.StandardOptions = append(ao.StandardOptions, standard)
			})
		}
	}
	return func() aws.Retryer { return retry.NewStandard(standard) }
}

func firstOr(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}

// Collect reads the account that opts' credentials belong to and returns
// its inventory. It fails only when nothing can be collected (no
// credentials, the account cannot be identified, the regions cannot be
// listed); everything else that fails becomes a Failure in the inventory.
func Collect(ctx context.Context, opts Options) (*entity.Inventory, error) {
	cfg, err := LoadConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	return New(cfg, opts).Collect(ctx)
}

// Collector reads one account. Build it with New; it is used once.
type Collector struct {
	cfg  aws.Config
	opts Options

	clients clientSet
	joins   joins
	buckets bucketJoins

	mu       sync.Mutex
	limits   map[string]chan struct{} // per "service/region"
	done     int
	inFlight int
	failures []entity.Failure

	account string
}

// New returns a collector that uses cfg (see LoadConfig).
func New(cfg aws.Config, opts Options) *Collector {
	opts.withDefaults()
	return &Collector{cfg: cfg, opts: opts, clients: newClientSet(cfg),
		limits: map[string]chan struct{}{}}
}

// call runs fn, one AWS call named action ("logs:DescribeMetricFilters") in
// region, under the service's concurrency limit and the per-call timeout.
func (c *Collector) call(ctx context.Context, action, region string, fn func(context.Context) error) *callError {
	service, _, _ := strings.Cut(action, ":")
	sem := c.limit(service, region)
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return &callError{Call: action, Region: region, Err: ctx.Err()}
	}
	c.mu.Lock()
	c.inFlight++
	c.mu.Unlock()

	cctx, cancel := context.WithTimeout(ctx, c.opts.CallTimeout)
	err := fn(cctx)
	cancel()
	<-sem

	c.mu.Lock()
	c.inFlight--
	c.done++
	done, inFlight := c.done, c.inFlight
	c.mu.Unlock()
	if c.opts.Progress != nil {
		c.opts.Progress(done, inFlight)
	}
	if err != nil {
		return &callError{Call: action, Region: region, Err: err}
	}
	return nil
}

func (c *Collector) limit(service, region string) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := service + "/" + region
	sem, ok := c.limits[key]
	if !ok {
		sem = make(chan struct{}, c.opts.Concurrency)
		c.limits[key] = sem
	}
	return sem
}

func (c *Collector) fail(fs ...entity.Failure) {
	c.mu.Lock()
	c.failures = append(c.failures, fs...)
	c.mu.Unlock()
}

// Collect reads the account: its identity, then the regions to scan, then
// the entities of the wanted types (Options.Types) from the services that
// list them, then their attributes from the services that enrich them. A
// service whose types are not wanted makes no call. See the package
// documentation.
func (c *Collector) Collect(ctx context.Context) (*entity.Inventory, error) {
	started := c.opts.Now().UTC()
	if err := c.checkCredentials(ctx); err != nil {
		return nil, err
	}
	account, err := c.callerAccount(ctx)
	if err != nil {
		return nil, fmt.Errorf("identify the account: %w", err)
	}
	c.account = account
	run := listers(&c.opts)
	regions := slices.Clone(c.opts.Regions)
	regional := slices.ContainsFunc(run, func(s *service) bool { return !s.global })
	if len(regions) == 0 && regional {
		regions, err = c.enabledRegions(ctx)
		if err != nil {
			return nil, fmt.Errorf("list the enabled regions (pass --region to name them): %w", err)
		}
		if len(regions) == 0 {
			// An account always has regions enabled: an empty answer
			// (a broken endpoint or proxy) leaves every region unread,
			// which must not read as an account without entities.
			for _, s := range run {
				if s.global {
					continue
				}
				for _, typ := range s.listed {
					if c.opts.wanted(typ) {
						c.fail(entity.Failure{Type: typ, Scope: account, Region: c.cfg.Region, Call: "ec2:DescribeRegions",
							Error: "the answer lists no enabled region, so no region was read (pass --region to name them)"})
					}
				}
			}
		}
	}
	sort.Strings(regions)
	regions = slices.Compact(regions)

	listed := make([][]*entity.Entity, len(run))
	var wg sync.WaitGroup
	for i, s := range run {
		wg.Go(func() { listed[i] = s.list(ctx, c, regions) })
	}
	wg.Wait()
	entities := slices.Concat(listed...)
	c.enrich(ctx, entities)
	if err := ctx.Err(); err != nil {
		// Interrupted: what was read is incomplete everywhere.
		return nil, fmt.Errorf("collection interrupted: %w", err)
	}

	inv := &entity.Inventory{CollectedAt: started, Tool: c.opts.Tool}
	inv.AddScope(entity.Scope{Kind: entity.ScopeAWSAccount, ID: account, Regions: regions, Types: c.collectedTypes(run)})
	inv.Add(entities...)
	c.mu.Lock()
	inv.Failures = slices.Clone(c.failures)
	c.mu.Unlock()
	sortFailures(inv.Failures)
	return inv, nil
}

// enrich runs every enricher of the listed entities' types at once, and
// then adds what they read to the entities.
func (c *Collector) enrich(ctx context.Context, entities []*entity.Entity) {
	byType := map[string][]*entity.Entity{}
	var types []string
	for _, e := range entities {
		if _, ok := byType[e.Type]; !ok {
			types = append(types, e.Type)
		}
		byType[e.Type] = append(byType[e.Type], e)
	}
	out := &additions{}
	var wg sync.WaitGroup
	for _, typ := range types {
		for _, s := range enrichers(typ) {
			wg.Go(func() { s.enrich(ctx, c, byType[typ], out) })
		}
	}
	wg.Wait()
	out.apply()
}

// additions are the attributes enrichers read, and the calls they made,
// per entity. Enrichers only read the listed entities, which stay
// unchanged while they run; their additions are applied once all are done.
type additions struct {
	mu    sync.Mutex
	attrs map[*entity.Entity]map[string]any
	calls map[*entity.Entity][]string
}

// set gives attribute name of e the value v.
func (a *additions) set(e *entity.Entity, name string, v any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.attrs == nil {
		a.attrs = map[*entity.Entity]map[string]any{}
	}
	if a.attrs[e] == nil {
		a.attrs[e] = map[string]any{}
	}
	a.attrs[e][name] = v
}

// used notes that e's data came from action, in its origin.
func (a *additions) used(e *entity.Entity, action string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.calls == nil {
		a.calls = map[*entity.Entity][]string{}
	}
	a.calls[e] = append(a.calls[e], action)
}

func (a *additions) apply() {
	for e, attrs := range a.attrs {
		maps.Copy(e.Attrs, attrs)
	}
	for e, calls := range a.calls {
		for _, action := range calls {
			e.Origin.API = appendAction(e.Origin.API, action)
		}
	}
}

// appendAction adds action to the sorted list of actions, once.
func appendAction(list []string, action string) []string {
	if slices.Contains(list, action) {
		return list
	}
	list = append(list, action)
	sort.Strings(list)
	return list
}

func sortFailures(fs []entity.Failure) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Entity != b.Entity {
			return a.Entity < b.Entity
		}
		if a.Attr != b.Attr {
			return a.Attr < b.Attr
		}
		return a.Call < b.Call
	})
}

// future is a value computed once by the first caller that asks for key;
// later callers wait for it. It keeps the join from making the same call
// twice when trails share a log group, metrics share alarms, alarms share
// topics.
type future[V any] struct {
	once sync.Once
	v    V
}

type memo[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*future[V]
}

func (m *memo[K, V]) get(key K, compute func() V) V {
	m.mu.Lock()
	if m.m == nil {
		m.m = map[K]*future[V]{}
	}
	f, ok := m.m[key]
	if !ok {
		f = &future[V]{}
		m.m[key] = f
	}
	m.mu.Unlock()
	f.once.Do(func() { f.v = compute() })
	return f.v
}

// fanOut runs fn for each item concurrently and waits for all of them.
// Concurrency of the AWS calls themselves is bounded in call.
func fanOut[T any](items []T, fn func(T)) {
	var g errgroup.Group
	for _, it := range items {
		g.Go(func() error { fn(it); return nil })
	}
	_ = g.Wait()
}

var errNoAccount = errors.New("sts:GetCallerIdentity returned no account")

// collectedTypes returns the entity types the services in run list that
// the options want, sorted: those the inventory says were looked for.
func (c *Collector) collectedTypes(run []*service) []string {
	types := []string{}
	for _, s := range run {
		for _, typ := range s.listed {
			if c.opts.wanted(typ) {
				types = append(types, typ)
			}
		}
	}
	slices.Sort(types)
	return slices.Compact(types)
}
