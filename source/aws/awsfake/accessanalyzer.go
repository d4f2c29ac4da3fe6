package awsfake

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

func init() {
	registerService(fakeService{name: "access-analyzer", protocol: restJSON, route: accessAnalyzerRoute,
		handlers: map[string]handler{
			"ListAnalyzers": (*Server).listAnalyzers,
		}})
}

// Analyzer is one IAM Access Analyzer analyzer, in one account and region.
type Analyzer struct {
	Account, Region, Name string
	// Type is "ACCOUNT" when empty ("ORGANIZATION",
	// "ACCOUNT_UNUSED_ACCESS", …).
	Type string
	// Status is "ACTIVE" when empty ("CREATING", "DISABLED", "FAILED").
	Status string
}

// ARN returns the analyzer's ARN.
func (a Analyzer) ARN() string {
	return fmt.Sprintf("arn:aws:access-analyzer:%s:%s:analyzer/%s", a.Region, a.Account, a.Name)
}

// accessAnalyzerRoute names the action of an Access Analyzer request;
// only ListAnalyzers (GET /analyzer) is faked.
func accessAnalyzerRoute(r *http.Request) string {
	if r.Method == http.MethodGet && r.URL.Path == "/analyzer" {
		return "ListAnalyzers"
	}
	return r.Method + " " + r.URL.Path
}

// listAnalyzers pages through the analyzers of the caller's account and
// region, of the type asked for or of every type, at most maxResults a
// page.
func (s *Server) listAnalyzers(req *request) (any, *apiError) {
	var list []any
	for _, a := range s.world.Analyzers {
		typ, status := or(a.Type, "ACCOUNT"), or(a.Status, "ACTIVE")
		if a.Account != req.account || a.Region != req.region || (req.form.Get("type") != "" && req.form.Get("type") != typ) {
			continue
		}
		m := map[string]any{"arn": a.ARN(), "name": a.Name, "type": typ, "status": status,
			"createdAt": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)}
		if status == "FAILED" {
			m["statusReason"] = map[string]any{"code": "AWS_SERVICE_ACCESS_DISABLED"}
		}
		list = append(list, m)
	}
	size := s.world.PageSize
	if m, err := strconv.Atoi(req.form.Get("maxResults")); err == nil && m > 0 && m < size {
		size = m
	}
	start, end, next, aerr := s.pageOf(req.form.Get("nextToken"), len(list), size)
	if aerr != nil {
		return nil, aerr
	}
	out := map[string]any{"analyzers": orEmpty(list[start:end])}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

// or returns v, or def when v is empty.
func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
