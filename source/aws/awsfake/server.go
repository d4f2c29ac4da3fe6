package awsfake

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// maxBody bounds the request bodies the fake reads.
const maxBody = 1 << 20

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

// request is one decoded call.
type request struct {
	service string // IAM prefix: cloudtrail, logs, cloudwatch, sns, sts, ec2, iam
	action  string
	region  string
	account string
	json    map[string]any // awsJson body
	form    url.Values     // query body
}

// apiError is an AWS error the fake answers with.
type apiError struct {
	status        int
	code, message string
}

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

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
	case !s.regionEnabled(req.region) && req.action != "DescribeRegions":
		if req.service == "sts" || req.service == "sns" || req.service == "ec2" || req.service == "iam" {
			aerr = errorf(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
		} else {
			aerr = errorf(http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid.")
		}
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

// fault returns the first fault that matches req and counts it. Callers
// hold s.mu.
func (s *Server) fault(req *request) *Fault {
	for i := range s.world.Faults {
		f := &s.world.Faults[i]
		if f.Action != req.service+":"+req.action || (f.Region != "" && f.Region != req.region) {
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

// decode reads the SigV4 scope, the action and the body.
func (s *Server) decode(r *http.Request) (*request, *apiError) {
	auth := r.Header.Get("Authorization")
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return nil, errorf(400, "MissingAuthenticationToken", "no SigV4 credential")
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return nil, errorf(400, "IncompleteSignature", "bad credential scope %q", cred)
	}
	req := &request{region: parts[2], service: parts[3]}
	s.mu.Lock()
	req.account = s.keys[parts[0]]
	s.mu.Unlock()
	if req.account == "" {
		req.account = s.world.Account
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, errorf(400, "BadRequest", "read body: %v", err)
	}
	switch req.service {
	case "cloudtrail", "logs":
		target := r.Header.Get("X-Amz-Target")
		_, req.action, _ = strings.Cut(target, ".")
		if len(body) > 0 {
			if err := json.Unmarshal(body, &req.json); err != nil {
				return nil, errorf(400, "SerializationException", "%v", err)
			}
		}
	case "monitoring":
		// vigil pins service/cloudwatch to v1.52.0, the last release that
		// speaks awsQuery: moto 5.2.1 answers the RPCv2-CBOR requests of
		// later releases with 404 (docs/aws.md, "Dependencies"). A CBOR
		// request here means the pin was lifted.
		req.service = "cloudwatch"
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			return nil, errorf(400, "SerializationException",
				"CloudWatch request with Content-Type %q at %s: the fake, like moto 5.2.1, speaks only awsQuery to CloudWatch; "+
					"keep github.com/aws/aws-sdk-go-v2/service/cloudwatch at v1.52.0 (docs/aws.md, Dependencies)", ct, r.URL.Path)
		}
		fallthrough
	case "sns", "sts", "ec2", "iam":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, errorf(400, "MalformedQueryString", "%v", err)
		}
		req.form = form
		req.action = form.Get("Action")
	default:
		return nil, errorf(400, "UnknownService", "service %q is not faked", req.service)
	}
	if req.action == "" {
		return nil, errorf(400, "MissingAction", "no action")
	}
	return req, nil
}

// respond writes out (or aerr) in the service's protocol.
func (s *Server) respond(w http.ResponseWriter, req *request, out any, aerr *apiError) {
	w.Header().Set("X-Amzn-RequestId", "fake-request-id")
	switch req.service {
	case "cloudtrail", "logs":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if aerr != nil {
			w.Header().Set("X-Amzn-ErrorType", aerr.code)
			w.WriteHeader(aerr.status)
			_ = json.NewEncoder(w).Encode(map[string]string{"__type": aerr.code, "message": aerr.message})
			return
		}
		_ = json.NewEncoder(w).Encode(out)
	case "sns", "sts", "cloudwatch", "iam":
		w.Header().Set("Content-Type", "text/xml")
		if aerr != nil {
			typ := "Sender"
			if aerr.status >= 500 {
				typ = "Receiver"
			}
			w.WriteHeader(aerr.status)
			fmt.Fprintf(w, "<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake-request-id</RequestId></ErrorResponse>",
				typ, esc(aerr.code), esc(aerr.message))
			return
		}
		fmt.Fprintf(w, "<%sResponse><%sResult>%s</%sResult><ResponseMetadata><RequestId>fake-request-id</RequestId></ResponseMetadata></%sResponse>",
			req.action, req.action, out.(string), req.action, req.action)
	case "ec2":
		w.Header().Set("Content-Type", "text/xml")
		if aerr != nil {
			w.WriteHeader(aerr.status)
			fmt.Fprintf(w, "<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fake-request-id</RequestID></Response>",
				esc(aerr.code), esc(aerr.message))
			return
		}
		fmt.Fprintf(w, "<%sResponse><requestId>fake-request-id</requestId>%s</%sResponse>", req.action, out.(string), req.action)
	}
}

// esc escapes XML text.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
