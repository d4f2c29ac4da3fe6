package awsfake

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a running fake endpoint. Its URL is the SDK's BaseEndpoint.
type Server struct {
	*httptest.Server

	mu     sync.Mutex
	world  World
	calls  map[string]int
	faults []int // how many times each fault fired
	// endless numbers the tokens of EndlessPages.
	endless int
	keys    map[string]string
}

// NewServer starts a fake that serves w. Close it when done.
func NewServer(w World) *Server {
	if w.PageSize <= 0 {
		w.PageSize = 2
	}
	s := &Server{world: w, calls: map[string]int{}, faults: make([]int, len(w.Faults)), keys: map[string]string{}}
	maps.Copy(s.keys, w.Keys)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Calls returns the number of calls received per "service:Action@region",
// failed attempts included.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// CallsByAction sums Calls over regions, per "service:Action".
func (s *Server) CallsByAction() map[string]int {
	out := map[string]int{}
	for k, n := range s.Calls() {
		out[k[:strings.IndexByte(k, '@')]] += n
	}
	return out
}

// ResetCalls forgets the calls counted so far.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
}

// serve answers one request: it counts the call, applies the latency and
// the first matching fault, refuses a region that is not enabled, and
// otherwise hands the call to its service's handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	req, aerr := s.decode(r)
	if aerr != nil {
		http.Error(w, aerr.message, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.calls[req.service+":"+req.action+"@"+req.region]++
	latency := s.world.Latency
	fault := s.fault(req)
	s.mu.Unlock()

	if fault != nil && fault.Delay > 0 {
		latency += fault.Delay
	}
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}
	var out any
	switch {
	case fault != nil && fault.Code != "":
		status := fault.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		aerr = &apiError{status: status, code: fault.Code, message: fault.Message}
	case !s.regionEnabled(req.region) && !slices.Contains(req.svc.anyRegion, req.action):
		aerr = regionDisabled(req.svc)
	default:
		s.mu.Lock()
		out, aerr = s.handle(req)
		s.mu.Unlock()
	}
	if fault != nil && fault.Date != "" {
		w.Header().Set("Date", fault.Date)
	}
	s.respond(w, req, out, aerr)
}

// handle answers one call from the world with its service's handler.
// Callers hold s.mu.
func (s *Server) handle(req *request) (any, *apiError) {
	h := req.svc.handlers[req.action]
	if h == nil {
		return nil, errorf(400, "InvalidAction", "%s:%s is not faked", req.service, req.action)
	}
	return h(s, req)
}

// regionDisabled is what svc answers in a region not enabled for the
// account.
func regionDisabled(svc *fakeService) *apiError {
	if svc.tokenInvalidWhenDisabled {
		return errorf(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
	}
	return errorf(http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid.")
}

// fault returns the first fault that matches req and counts it. Callers
// hold s.mu.
func (s *Server) fault(req *request) *Fault {
	for i := range s.world.Faults {
		f := &s.world.Faults[i]
		if f.Action != req.service+":"+req.action || (f.Region != "" && f.Region != req.region) ||
			(f.Bucket != "" && f.Bucket != req.bucket()) {
			continue
		}
		if f.Times > 0 && s.faults[i] >= f.Times {
			continue
		}
		s.faults[i]++
		return f
	}
	return nil
}

func (s *Server) regionEnabled(name string) bool {
	for _, r := range s.world.Regions {
		if r.Name == name {
			return r.Enabled()
		}
	}
	return false
}

// page returns the window of n items that token starts, and the next token.
// Callers hold s.mu.
func (s *Server) page(token any, n int) (start, end int, next string, aerr *apiError) {
	return s.pageOf(token, n, s.world.PageSize)
}

// pageOf is page with at most size items per page.
func (s *Server) pageOf(token any, n, size int) (start, end int, next string, aerr *apiError) {
	if tok, _ := token.(string); tok != "" {
		var err error
		num, _, _ := strings.Cut(strings.TrimPrefix(tok, "page-"), "-")
		start, err = strconv.Atoi(num)
		if err != nil || start < 0 || start > n {
			return 0, 0, "", errorf(400, "InvalidNextTokenException", "bad token %q", tok)
		}
	}
	end = min(start+size, n)
	if end < n {
		next = "page-" + strconv.Itoa(end)
	}
	if s.world.EndlessPages {
		start, end = 0, min(size, n)
		s.endless++
		next = "page-0-" + strconv.Itoa(s.endless)
	}
	return start, end, next, nil
}

// orEmpty returns l, or an empty list for nil, which JSON writes as [].
func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}
