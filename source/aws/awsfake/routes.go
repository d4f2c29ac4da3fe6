package awsfake

import "net/http"

// A fakeService is one AWS service the fake answers, as its own file
// registers it: the protocol it speaks and a handler per action. Adding a
// service to the fake is adding one file that calls registerService.
type fakeService struct {
	// name is the service's IAM prefix ("cloudtrail", "cloudwatch"), the
	// name calls and faults are counted and matched under.
	name string
	// signingName is the service of the SigV4 credential scope, which
	// routes a request to the service ("monitoring" for CloudWatch);
	// name when empty.
	signingName string
	protocol    protocol
	// handlers answer the service's actions.
	handlers map[string]handler
	// route names the action of a REST request from its method and
	// path; only REST services have it.
	route func(r *http.Request) string
	// accept, when set, refuses a request the service cannot decode
	// before anything else is done with it.
	accept func(r *http.Request) *apiError
	// tokenInvalidWhenDisabled makes a region that is not enabled answer
	// InvalidClientTokenId (403), as the Query services do, instead of
	// UnrecognizedClientException (400).
	tokenInvalidWhenDisabled bool
	// anyRegion are the actions answered in a region that is not enabled
	// (ec2:DescribeRegions).
	anyRegion []string
}

// handler answers one action from the world. It runs with s.mu held. Its
// answer is what the service's protocol writes: a value encoded as JSON,
// or the XML text inside the Query protocol's result element.
type handler func(s *Server, req *request) (any, *apiError)

// fakeServices are the registered services, by signing name.
var fakeServices = map[string]*fakeService{}

// registerService adds svc to the services the fake answers. Service files
// call it from init.
func registerService(svc fakeService) {
	if svc.signingName == "" {
		svc.signingName = svc.name
	}
	if _, dup := fakeServices[svc.signingName]; dup {
		panic("awsfake: service " + svc.signingName + " registered twice")
	}
	fakeServices[svc.signingName] = &svc
}

// answer wraps a handler whose answer cannot fail.
func answer(fn func(s *Server, req *request) string) handler {
	return func(s *Server, req *request) (any, *apiError) { return fn(s, req), nil }
}
