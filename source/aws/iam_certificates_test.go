package aws

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/source/aws/awsfake"
)

// certificatesOnly collects the server certificates only.
var certificatesOnly = Options{Types: []string{TypeIamServerCertificate}}

// TestServerCertificates: each certificate of iam:ListServerCertificates is
// one entity with its dates, an expired one as well as a valid one, read
// page by page whatever the page size; a listing the caller may not make
// gives no entity and a failure for the type, never an empty account.
func TestServerCertificates(t *testing.T) {
	expired := map[string]any{"id": "arn:aws:iam::" + acct + ":server-certificate/legacy-www",
		"arn": "arn:aws:iam::" + acct + ":server-certificate/legacy-www", "name": "legacy-www",
		"serverCertificateId": "ASCALEGACY-WWW", "path": "/", "uploadDate": day(400), "expiration": day(30)}
	valid := map[string]any{"id": "arn:aws:iam::" + acct + ":server-certificate/cloudfront/api",
		"arn": "arn:aws:iam::" + acct + ":server-certificate/cloudfront/api", "name": "api",
		"serverCertificateId": "ASCAAPI", "path": "/cloudfront/", "uploadDate": day(65), "expiration": day(-300)}
	many := make([]awsfake.ServerCertificate, 7)
	for i := range many {
		many[i] = awsfake.ServerCertificate{Name: string(rune('a' + i)), Uploaded: now, NotAfter: now}
	}
	tests := []struct {
		name     string
		world    func(w *awsfake.World)
		want     []map[string]any // attributes of the entities, in order; nil with a failure
		calls    int
		failures []string
	}{
		{name: "expired and valid", world: func(*awsfake.World) {}, want: []map[string]any{expired, valid}, calls: 1},
		{name: "one per page", world: func(w *awsfake.World) { w.PageSize = 1 }, want: []map[string]any{expired, valid}, calls: 2},
		{name: "none", world: func(w *awsfake.World) { w.IAM.ServerCertificates = nil }, want: []map[string]any{}, calls: 1},
		{name: "seven in pages of three", world: func(w *awsfake.World) { w.PageSize = 3; w.IAM.ServerCertificates = many },
			calls: 3},
		{name: "access denied", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "iam:ListServerCertificates", Code: "AccessDenied", Status: 403, Message: "denied"}}
		}, calls: 1, failures: []string{"IamServerCertificate  iam:ListServerCertificates: AccessDenied: denied " +
			"(access denied: see docs/iam-policy.json for the permissions vigil needs)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = nil
			tt.world(&w)
			inv, srv := collect(t, w, certificatesOnly)
			if diff := cmp.Diff(tt.failures, iamFailures(inv)); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			if n := srv.CallsByAction()["iam:ListServerCertificates"]; n != tt.calls {
				t.Errorf("%d ListServerCertificates calls, want %d", n, tt.calls)
			}
			got := ofType(inv, TypeIamServerCertificate)
			if tt.name == "seven in pages of three" {
				if len(got) != 7 {
					t.Errorf("%d certificates, want 7", len(got))
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d certificates, want %d", len(got), len(tt.want))
			}
			for i, e := range got {
				if diff := cmp.Diff(tt.want[i], e.Attrs); diff != "" {
					t.Errorf("certificate %d (-want +got):\n%s", i, diff)
				}
				if e.ID != e.Attrs["arn"] || e.Name != e.Attrs["name"] || e.Scope != acct || e.Region != "" {
					t.Errorf("certificate %d: ID %q, name %q, scope %q, region %q", i, e.ID, e.Name, e.Scope, e.Region)
				}
			}
			if len(inv.Entities) != len(got) {
				t.Errorf("%d entities, want only the certificates: no other IAM type is wanted", len(inv.Entities))
			}
		})
	}
}

// TestServerCertificatesAlone: collecting certificates alone makes no other
// IAM call.
func TestServerCertificatesAlone(t *testing.T) {
	_, srv := collect(t, scenarioWorld(), certificatesOnly)
	want := map[string]int{"sts:GetCallerIdentity": 1, "iam:ListServerCertificates": 1}
	if diff := cmp.Diff(want, srv.CallsByAction()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}
