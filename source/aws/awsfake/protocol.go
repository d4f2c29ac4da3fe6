package awsfake

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxBody bounds the request bodies the fake reads.
const maxBody = 1 << 20

// protocol is one of the wire protocols of the SDK clients vigil uses.
type protocol int

const (
	// awsJSON is AWS JSON 1.1: the action in X-Amz-Target, a JSON body
	// (CloudTrail, CloudWatch Logs).
	awsJSON protocol = iota
	// awsQuery is the AWS Query protocol: a form body naming the Action,
	// an XML answer (IAM, STS, SNS, CloudWatch at v1.52.0).
	awsQuery
	// ec2Query is the EC2 flavour of the Query protocol, whose answers and
	// errors are shaped differently.
	ec2Query
	// restJSON is REST-JSON: the action in the method and path, the input
	// in the query string and a JSON body, a JSON answer (Access
	// Analyzer).
	restJSON
	// restXML is REST-XML: the action in the method, path and query
	// string, an XML answer, or the raw payload (S3, S3 Control).
	restXML
)

// request is one decoded call.
type request struct {
	svc     *fakeService
	service string // the service's IAM prefix, as calls are counted
	action  string
	region  string
	account string
	json    map[string]any // a JSON body
	form    url.Values     // a Query body, or a REST request's query string
	path    string         // a REST request's path
	header  http.Header    // a REST request's headers
}

// apiError is an AWS error the fake answers with.
type apiError struct {
	status        int
	code, message string
}

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// decode reads the SigV4 scope, which names the region and the service,
// the access key, which names the account, and the action and input in
// the service's protocol.
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
	svc := fakeServices[parts[3]]
	if svc == nil {
		return nil, errorf(400, "UnknownService", "service %q is not faked", parts[3])
	}
	if svc.accept != nil {
		if aerr := svc.accept(r); aerr != nil {
			return nil, aerr
		}
	}
	req := &request{svc: svc, service: svc.name, region: parts[2]}
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
	if aerr := req.decodeInput(r, body); aerr != nil {
		return nil, aerr
	}
	if req.action == "" {
		return nil, errorf(400, "MissingAction", "no action")
	}
	return req, nil
}

// decodeInput reads the action and its input in the service's protocol.
func (req *request) decodeInput(r *http.Request, body []byte) *apiError {
	switch req.svc.protocol {
	case awsJSON:
		_, req.action, _ = strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		return decodeJSON(body, &req.json)
	case restJSON:
		req.action = req.svc.route(r)
		req.form = r.URL.Query()
		return decodeJSON(body, &req.json)
	case restXML:
		req.action = req.svc.route(r)
		req.form, req.path, req.header = r.URL.Query(), r.URL.Path, r.Header
		return nil
	default:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return errorf(400, "MalformedQueryString", "%v", err)
		}
		req.form = form
		req.action = form.Get("Action")
		return nil
	}
}

// decodeJSON reads a JSON body, if there is one.
func decodeJSON(body []byte, into *map[string]any) *apiError {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, into); err != nil {
		return errorf(400, "SerializationException", "%v", err)
	}
	return nil
}

// respond writes out (or aerr) in the service's protocol.
func (s *Server) respond(w http.ResponseWriter, req *request, out any, aerr *apiError) {
	w.Header().Set("X-Amzn-RequestId", "fake-request-id")
	switch req.svc.protocol {
	case awsJSON, restJSON:
		respondJSON(w, req.svc.protocol, out, aerr)
	case restXML:
		respondXML(w, req, out, aerr)
	case awsQuery:
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
	case ec2Query:
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

// respondJSON writes a JSON answer or error: AWS JSON 1.1 names the error
// in the body's __type, REST-JSON in the X-Amzn-ErrorType header alone.
func respondJSON(w http.ResponseWriter, p protocol, out any, aerr *apiError) {
	if p == awsJSON {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	if aerr == nil {
		_ = json.NewEncoder(w).Encode(out)
		return
	}
	w.Header().Set("X-Amzn-ErrorType", aerr.code)
	w.WriteHeader(aerr.status)
	body := map[string]string{"message": aerr.message}
	if p == awsJSON {
		body["__type"] = aerr.code
	}
	_ = json.NewEncoder(w).Encode(body)
}

// esc escapes XML text.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// respondXML writes a REST-XML answer, or an error: S3's is an Error
// element, S3 Control's an Error inside an ErrorResponse.
func respondXML(w http.ResponseWriter, req *request, out any, aerr *apiError) {
	w.Header().Set("Content-Type", "application/xml")
	if aerr == nil {
		fmt.Fprint(w, out.(string))
		return
	}
	w.WriteHeader(aerr.status)
	body := fmt.Sprintf("<Error><Code>%s</Code><Message>%s</Message><RequestId>fake-request-id</RequestId></Error>",
		esc(aerr.code), esc(aerr.message))
	if strings.HasPrefix(req.path, "/v20180820/") {
		body = "<ErrorResponse>" + body + "</ErrorResponse>"
	}
	fmt.Fprint(w, body)
}
