package aws

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/entity"
	"vigil/source/aws/awsfake"
)

// bucketsOnly collects the S3Bucket entities of the scanned regions.
var bucketsOnly = Options{Types: []string{TypeS3Bucket}, Regions: scannedRegions, MaxAttempts: 1}

// TestScenarioBuckets: each bucket of the account is read in its own
// region, the one ListBuckets gave or GetBucketLocation found, with the
// settings as rules read them; a missing setting (no policy, no Block
// Public Access, no website) is data, never Unknown.
func TestScenarioBuckets(t *testing.T) {
	w := scenarioWorld()
	inv, _ := collect(t, w, bucketsOnly)
	if len(inv.Failures) != 0 {
		t.Fatalf("failures %v", inv.Failures)
	}
	got := map[string]*entity.Entity{}
	for _, e := range ofType(inv, TypeS3Bucket) {
		got[e.Name] = e
	}
	if len(got) != 4 || len(inv.Entities) != 4 {
		t.Fatalf("buckets %v of %d entities, want the account's 4", got, len(inv.Entities))
	}
	main := got["main-trail-logs"]
	want := map[string]any{
		"id": "arn:aws:s3:::main-trail-logs", "arn": "arn:aws:s3:::main-trail-logs", "name": "main-trail-logs",
		"creationDate": "2025-01-01T00:00:00Z", "region": "us-east-1",
		"policy": main.Attrs["policy"], "deniesInsecureTransport": true, "isPublic": false,
		"acl": map[string]any{"owner": "owner-" + acct, "grants": []any{
			map[string]any{"type": "CanonicalUser", "uri": nil, "id": "owner-" + acct, "premission": "FULL_CONTROL"}}},
		"publicAccessBlock": map[string]any{"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true,
			"restrictPublicBuckets": true},
		"accountPublicAccessBlock": map[string]any{"blockPublicAcls": true, "ignorePublicAcls": false,
			"blockPublicPolicy": true, "restrictPublicBuckets": false},
		"encryption": map[string]any{"serverSideEncryptionRules": []any{map[string]any{"sseAlgorithm": "aws:kms",
			"kmsMasterKeyId": "arn:aws:kms:us-east-1:" + acct + ":key/1234", "bucketKeyEnabled": false}}},
		"versioning": map[string]any{"status": "Enabled", "mfaDelete": "Enabled"},
		"logging":    map[string]any{"enabled": true, "targetBucket": "access-logs", "targetPrefix": "main-trail-logs/"},
		"objectLock": map[string]any{"enabled": false, "mode": nil, "days": nil, "years": nil},
		"tags":       []any{map[string]any{"key": "team", "value": "security"}},
		"website":    nil,
	}
	if diff := cmp.Diff(want, main.Attrs); diff != "" {
		t.Errorf("main-trail-logs (-want +got):\n%s", diff)
	}
	if st := main.Attrs["policy"].(map[string]any)["Statement"].([]any); len(st) != 1 {
		t.Errorf("policy statements %v", st)
	}
	site, byPolicy := got["public-site"], got["public-by-policy"]
	checks := []struct {
		e    *entity.Entity
		attr string
		want any
	}{
		{site, "region", "eu-west-1"},
		{site, "isPublic", true},
		{site, "policy", nil},
		{site, "deniesInsecureTransport", false},
		{site, "publicAccessBlock", nil},
		{site, "website", map[string]any{"indexDocumentSuffix": "index.html", "errorDocumentKey": nil, "redirectAllRequestsTo": nil}},
		{site, "versioning", map[string]any{"status": "Disabled", "mfaDelete": "Disabled"}},
		{site, "logging", map[string]any{"enabled": false, "targetBucket": nil, "targetPrefix": nil}},
		{site, "tags", []any{}},
		{byPolicy, "region", "ap-southeast-2"},
		{byPolicy, "isPublic", true},
		{byPolicy, "deniesInsecureTransport", false},
		{byPolicy, "objectLock", map[string]any{"enabled": true, "mode": nil, "days": nil, "years": nil}},
		{byPolicy, "versioning", map[string]any{"status": "Suspended", "mfaDelete": "Disabled"}},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.e.Attrs[c.attr]); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", c.e.Name, c.attr, diff)
		}
	}
}

// TestBucketFaults: a call that fails on one bucket leaves the attributes
// it fills on that bucket Unknown, with a failure each, and the others
// read; the account's Block Public Access saves buckets that would be
// public, and when they cannot be read only the buckets whose own
// settings settle it are known; a bucket in a region that is not enabled is Unknown, never
// read as having no settings.
func TestBucketFaults(t *testing.T) {
	denied := awsfake.Fault{Action: "s3:GetBucketPolicy", Bucket: "public-by-policy", Code: "AccessDenied", Status: 403, Message: "Access Denied"}
	tests := []struct {
		name  string
		world func(w *awsfake.World)
		opts  Options
		// want are "bucket attr" → value, or "unknown" for an Unknown
		// naming the failure's call.
		want     map[string]any
		failures []string
	}{
		{name: "policy denied on one bucket", world: func(w *awsfake.World) { w.Faults = []awsfake.Fault{denied} },
			want: map[string]any{"public-by-policy policy": "unknown", "public-by-policy deniesInsecureTransport": "unknown",
				"public-by-policy isPublic": "unknown", "public-by-policy acl": "known",
				"public-site isPublic": true, "main-trail-logs deniesInsecureTransport": true, "adv policy": nil,
				"adv deniesInsecureTransport": false},
			failures: []string{"public-by-policy deniesInsecureTransport s3:GetBucketPolicy",
				"public-by-policy isPublic s3:GetBucketPolicy", "public-by-policy policy s3:GetBucketPolicy"}},
		{name: "saved by the account's Block Public Access", world: func(w *awsfake.World) {
			w.AccountPublicAccessBlocks = map[string]awsfake.PublicAccessBlock{acct: {IgnorePublicAcls: true, RestrictPublicBuckets: true}}
		}, want: map[string]any{"public-site isPublic": false, "public-by-policy isPublic": false,
			"public-site accountPublicAccessBlock": map[string]any{"blockPublicAcls": false, "ignorePublicAcls": true,
				"blockPublicPolicy": false, "restrictPublicBuckets": true}}},
		{name: "account's Block Public Access denied", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "s3:GetAccountPublicAccessBlock", Code: "AccessDenied", Status: 403}}
		}, want: map[string]any{"public-site isPublic": "unknown", "public-by-policy isPublic": "unknown", "main-trail-logs isPublic": false,
			"main-trail-logs accountPublicAccessBlock": "unknown"},
			failures: []string{"adv accountPublicAccessBlock s3:GetAccountPublicAccessBlock",
				"main-trail-logs accountPublicAccessBlock s3:GetAccountPublicAccessBlock",
				"public-by-policy accountPublicAccessBlock s3:GetAccountPublicAccessBlock",
				"public-by-policy isPublic s3:GetAccountPublicAccessBlock",
				"public-site accountPublicAccessBlock s3:GetAccountPublicAccessBlock",
				"public-site isPublic s3:GetAccountPublicAccessBlock"}},
		{name: "a bucket in a region not enabled", world: func(w *awsfake.World) {
			w.Buckets = append(w.Buckets, awsfake.Bucket{Account: acct, Region: "me-south-1", Name: "old-region"})
		}, want: map[string]any{"old-region region": "me-south-1", "old-region policy": "unknown", "old-region isPublic": "unknown",
			"old-region versioning": "unknown", "public-site isPublic": true},
			failures: []string{"old-region * s3:ListAllMyBuckets"}},
		{name: "a region not named", world: func(*awsfake.World) {}, opts: Options{Regions: []string{"us-east-1"}},
			want:     map[string]any{"public-site isPublic": "unknown", "main-trail-logs isPublic": false},
			failures: []string{"adv * s3:ListAllMyBuckets", "public-by-policy * s3:ListAllMyBuckets", "public-site * s3:ListAllMyBuckets"}},
		{name: "location denied", world: func(w *awsfake.World) {
			w.Faults = []awsfake.Fault{{Action: "s3:GetBucketLocation", Code: "AccessDenied", Status: 403}}
		}, want: map[string]any{"public-site region": "unknown", "public-site logging": "unknown", "main-trail-logs isPublic": false},
			failures: []string{"public-site * s3:GetBucketLocation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := scenarioWorld()
			w.Faults = nil
			tt.world(&w)
			opts := bucketsOnly
			if tt.opts.Regions != nil {
				opts.Regions = tt.opts.Regions
			}
			inv, _ := collect(t, w, opts)
			var failures []string
			for _, f := range inv.Failures {
				failures = append(failures, strings.TrimPrefix(f.Entity, "arn:aws:s3:::")+" "+f.Attr+" "+f.Call)
			}
			if diff := cmp.Diff(tt.failures, failures); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			got := map[string]*entity.Entity{}
			for _, e := range ofType(inv, TypeS3Bucket) {
				got[e.Name] = e
			}
			for key, want := range tt.want {
				name, attr, _ := strings.Cut(key, " ")
				v, ok := got[name].Attrs[attr]
				switch {
				case !ok:
					t.Errorf("%s: not set", key)
				case want == "unknown":
					if !entity.IsUnknown(v) {
						t.Errorf("%s = %v, want Unknown", key, v)
					}
				case want == "known":
					if entity.IsUnknown(v) {
						t.Errorf("%s = %v, want known", key, v)
					}
				default:
					if diff := cmp.Diff(want, v); diff != "" {
						t.Errorf("%s (-want +got):\n%s", key, diff)
					}
				}
			}
		})
	}
}

// TestBucketAttrsSelectCalls: with Options.Attrs naming what the rules
// read, only the calls that fill those attributes are made: isPublic
// needs the ACL, the policy and both Block Public Access settings, and
// nothing else; the other attributes are left out.
func TestBucketAttrsSelectCalls(t *testing.T) {
	opts := bucketsOnly
	opts.Attrs = map[string][]string{TypeS3Bucket: {"isPublic"}}
	inv, srv := collect(t, scenarioWorld(), opts)
	want := map[string]int{"sts:GetCallerIdentity": 1, "s3:ListAllMyBuckets": 2, "s3:GetBucketLocation": 1,
		"s3:GetAccountPublicAccessBlock": 1, "s3:GetBucketPolicy": 4, "s3:GetBucketAcl": 4, "s3:GetBucketPublicAccessBlock": 4}
	if diff := cmp.Diff(want, srv.CallsByAction()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	for _, e := range ofType(inv, TypeS3Bucket) {
		if _, ok := e.Attrs["versioning"]; ok {
			t.Errorf("%s: versioning read, but not wanted", e.Name)
		}
		if _, ok := e.Attrs["isPublic"]; !ok {
			t.Errorf("%s: isPublic not set", e.Name)
		}
	}
}
