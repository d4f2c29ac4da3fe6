package e2e

import (
	"context"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/filterpattern"
	"vigil/gsl"
	"vigil/rules"
	"vigil/source/terraform"
)

// messageProblems lists what is missing from, or wrong in, a rule's
// message: a finding of a catalog rule must say in plain words what is
// wrong whichever test of its logic (or of a variant's) decided it. Every
// rule needs a fail and a pass sentence, a List<E> rule a none sentence;
// every path the logic's should clause tests (gsl.Program.ClausePaths)
// needs a phrase in lacks (its own, or its dotted prefix's), and every
// phrase must be the one of a path some logic tests, so that a misspelt
// path is not silently never used.
func messageProblems(r *rules.Rule) ([]string, error) {
	m := r.Message
	var problems []string
	if m.Fail == "" {
		problems = append(problems, "the message has no fail sentence")
	}
	if m.Pass == "" {
		problems = append(problems, "the message has no pass sentence")
	}
	logics := map[string]string{"the logic": r.Logic}
	for name, v := range r.Variants {
		logics["variant "+name] = v.Logic
	}
	patterns := filterpattern.NewCache()
	used := map[string]bool{}
	list := false
	for _, what := range slices.Sorted(maps.Keys(logics)) {
		prog, err := gsl.Compile(logics[what], gsl.WithPatterns(patterns))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		list = list || prog.Target().List
		for _, path := range prog.ClausePaths() {
			if _, ok := r.Lack(path); !ok {
				problems = append(problems, fmt.Sprintf("%s tests %s, for which message.lacks has no phrase", what, path))
			}
			if key, ok := lackKey(m.Lacks, path); ok {
				used[key] = true
			}
		}
	}
	if list && m.None == "" {
		problems = append(problems, "a List<E> rule's message has no none sentence")
	}
	for _, path := range slices.Sorted(maps.Keys(m.Lacks)) {
		if !used[path] {
			problems = append(problems, fmt.Sprintf("message.lacks has a phrase for %s, which no logic of the rule tests", path))
		}
	}
	return problems, nil
}

// lackKey is the key of lacks whose phrase rules.(*Rule).Lack gives for
// path: path itself, or its longest dotted prefix with a phrase.
func lackKey(lacks map[string]string, path string) (string, bool) {
	for p := path; ; {
		if _, ok := lacks[p]; ok {
			return p, true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return "", false
		}
		p = p[:i]
	}
}

// TestCatalogMessagesCoverTheLogic checks the message of every rule of
// the embedded catalog (see messageProblems).
func TestCatalogMessagesCoverTheLogic(t *testing.T) {
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("empty catalog")
	}
	for _, r := range rs {
		problems, err := messageProblems(r)
		if err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
		for _, p := range problems {
			t.Errorf("%s (%s): %s", r.ID, r.File, p)
		}
	}
}

// TestMessageProblemsFindEachGap runs the check on rules with one gap each,
// so that TestCatalogMessagesCoverTheLogic is known to fail when a phrase
// goes missing or is misspelt.
func TestMessageProblemsFindEachGap(t *testing.T) {
	const list = `id: TEST.MON.01
title: t
severity: low
entity: CloudTrail
logic: |-
  List<CloudTrail> should have items with [isMultiRegionTrail=true and status.isLogging=true and metricFilters with [hasSNSSubscriber=true] length() > 0] length() > 0
variants:
  old: |-
    List<CloudTrail> should have items with [isMultiRegionTrail=true and hasManagementEventsReadWrite=true] length() > 0
message:
  fail: No trail of {{.Where}} is watched.
  pass: A trail of {{.Where}} is watched.
  none: The account has no trail at all.
  lacks:
    isMultiRegionTrail: records only its home region
    status: is not logging
    metricFilters: has no metric filter whose alarm notifies a subscriber
    hasManagementEventsReadWrite: does not record both read and write management events
frameworks:
  - framework: CIS AWS Foundations
    version: 1.2.0
    control: "3.1"
    variant: old
`
	tests := []struct {
		name string
		// edit turns the rule above into the bad one.
		edit func(string) string
		// want is a part of each problem, in order.
		want []string
	}{
		{"complete", func(s string) string { return s }, nil},
		{"no phrase for a path", func(s string) string {
			return strings.Replace(s, "    metricFilters: has no metric filter whose alarm notifies a subscriber\n", "", 1)
		}, []string{"the logic tests metricFilters"}},
		{"no phrase for a variant's path", func(s string) string {
			return strings.Replace(s, "    hasManagementEventsReadWrite: does not record both read and write management events\n", "", 1)
		}, []string{"variant old tests hasManagementEventsReadWrite"}},
		{"misspelt path", func(s string) string {
			return strings.Replace(s, "    isMultiRegionTrail:", "    isMultiRegionTrial:", 1)
		}, []string{"the logic tests isMultiRegionTrail", "variant old tests isMultiRegionTrail", "a phrase for isMultiRegionTrial"}},
		{"no none", func(s string) string { return strings.Replace(s, "  none: The account has no trail at all.\n", "", 1) },
			[]string{"no none sentence"}},
		{"no message", func(s string) string {
			head, _, _ := strings.Cut(s, "message:\n")
			_, tail, _ := strings.Cut(s, "frameworks:\n")
			return head + "frameworks:\n" + tail
		}, []string{"no fail sentence", "no pass sentence", "the logic tests isMultiRegionTrail", "the logic tests metricFilters",
			"the logic tests status.isLogging", "variant old tests hasManagementEventsReadWrite", "variant old tests isMultiRegionTrail",
			"no none sentence"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := rules.Parse("rule.yaml", []byte(tt.edit(list)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := messageProblems(r)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %d: %q", got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d is %q, want one with %q", i, got[i], w)
				}
			}
		})
	}
}

// renderInputs are realistic inputs on which every catalog rule gives
// every result it can: the examples (live accounts whose trails pass or
// fail each rule, an account without trails, one whose metric filters
// could not be read, Terraform code with a failing trail and one whose
// role is a variable without a value), and inputs of this test: a member
// account that sees an organisation trail whose log group it cannot read
// (UNKNOWN), an account where listing trails was denied (ERROR for every
// rule on trails), a Terraform trail whose region coverage is a variable
// without a value, a module trail that AWS would reject, and a module with
// a file that does not parse (ERROR for every rule on its resources); and
// four accounts' IAM settings (see TestIAMCatalogRuleVerdicts): one that
// passes every IAM rule, one that fails them all, one whose role may not
// read the password policy nor generate the credential report (ERROR), and
// one with a weak password policy; and two accounts' region settings and
// S3 object-level logging, one where they are not known (a recorder
// without a status, a VPC another account shares, selectors not known:
// UNKNOWN) and one where reading them was denied (ERROR).
var renderInputs = []string{
	"../../examples/terraform",
	"../../examples/aws-inventory.json",
	"testdata/messages/member-accounts.json",
	"testdata/messages/unknown",
	"testdata/messages/rejected",
	"testdata/messages/broken",
	"testdata/messages/iam-accounts.json",
	"testdata/messages/iam-users.json",
	"testdata/messages/region-settings.json",
	"testdata/messages/data-stores.json",
	"testdata/messages/s3-buckets.json",
}

// allowedPlaceholders are the placeholders a rendered fix may keep, with
// why: values vigil cannot know because they are the reader's to choose.
// Those marked scopeOnly are allowed only in the fix of a List<E> rule,
// which is about a scope, so that which trail to change is the reader's
// choice; a fix for one trail names it. Every other placeholder must be
// one of a Target field or attribute whose value the finding does not
// have.
var allowedPlaceholders = map[string]struct {
	why       string
	scopeOnly bool
}{
	"trail_name":                    {"which trail a List<E> rule's fix changes is the reader's choice", true},
	"bucket":                        {"the S3 bucket of the trail the reader picks", true},
	"cloudtrail_log_group_name":     {"the log group of the trail the reader picks to watch", true},
	"new_trail_name":                {"the name of a new trail, if the reader makes one", false},
	"new_trail_bucket":              {"the S3 bucket of a new trail", false},
	"log_group_name":                {"the log group a trail is to deliver to, new or existing", false},
	"cloudtrail_to_cloudwatch_role": {"the IAM role CloudTrail is to deliver with, new or existing", false},
	"security_alarms_topic":         {"the name of a new SNS topic for alarms", false},
	"security_team_address":         {"who is to be told of an alarm", false},
	"access_key_id":                 {"which root access key to delete, which IAM lists only to the root user itself", false},
	"kms_key_arn":                   {"the KMS key a trail is to encrypt with, new or existing", false},
	"config_region":                 {"which regions to switch AWS Config on in is the reader's to read from the finding", true},
	"config_bucket":                 {"the S3 bucket AWS Config is to deliver to, new or existing", false},
	"vpc_id":                        {"the VPC without a flow log, which the finding's explanation names", false},
	"flow_logs_role_arn":            {"the IAM role flow logs are to deliver with, new or existing", false},
	"flow_logs_log_group_arn":       {"the log group flow logs are to deliver to, new or existing", false},
	"snapshot_id":                   {"the snapshot the previous command of the fix makes, whose ID AWS chooses", false},
	"instance_profile_name":         {"the instance profile of the role the reader makes for the instance", false},
}

// placeholder matches a placeholder in a rendered text: "<region>",
// "<s3BucketName>", "<security_team_address>".
var placeholder = regexp.MustCompile(`<([A-Za-z_][A-Za-z0-9_.]*)>`)

// targetFields are the Target fields that render a placeholder when they
// have no value, by the placeholder's name.
var targetFields = map[string]func(rules.Target) string{
	"id":            rules.Target.ID,
	"name":          rules.Target.Name,
	"region":        rules.Target.Region,
	"account":       rules.Target.Account,
	"scope":         rules.Target.Where,
	"module":        rules.Target.Where,
	"resource_type": rules.Target.ResourceType,
	"resource_name": rules.Target.ResourceName,
}

// renderProblems lists what is wrong in a text rendered for target by
// rule r: template syntax or a Go formatting error left in it, or a
// placeholder that is not allowed, or whose value the finding has. A
// finding's message may have no placeholder at all.
func renderProblems(r *rules.Rule, target rules.Target, text string, message bool) []string {
	var problems []string
	for _, bad := range []string{"{{", "}}", "<no value>", "%!"} {
		if strings.Contains(text, bad) {
			problems = append(problems, fmt.Sprintf("has %q", bad))
		}
	}
	templates := r.Remediation.Console + r.Remediation.CLI + r.Remediation.Terraform
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if message {
			// A sentence for people says what it knows, and no more.
			problems = append(problems, fmt.Sprintf("has the placeholder %s", m[0]))
			continue
		}
		name := m[1]
		// The placeholder of an attribute the templates read, whose value
		// the entity has not.
		fromAttr := strings.Contains(templates, `.Attr "`+name+`"`) && target.Attr(name) == m[0]
		if field, ok := targetFields[name]; ok {
			if !strings.Contains(field(target), m[0]) && !fromAttr {
				problems = append(problems, fmt.Sprintf("has the placeholder %s, but the value is %q", m[0], field(target)))
			}
			continue
		}
		if fromAttr {
			continue
		}
		if strings.Contains(templates, `.Attr "`+name+`"`) {
			problems = append(problems, fmt.Sprintf("has the placeholder %s, but the attribute is %q", m[0], target.Attr(name)))
			continue
		}
		allowed, ok := allowedPlaceholders[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("has the placeholder %s, which is neither a value vigil lacks nor allowed", m[0]))
		case allowed.scopeOnly && target.Entity != nil:
			problems = append(problems, fmt.Sprintf("has the placeholder %s in the fix of one entity, which should name its own", m[0]))
		}
	}
	return problems
}

// loadRenderInput reads an inventory file or a Terraform directory.
func loadRenderInput(t *testing.T, path string) *entity.Inventory {
	t.Helper()
	if strings.HasSuffix(path, ".json") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inv, err := entity.Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return inv
	}
	inv, diags := terraform.Load(path, terraform.Options{})
	// The broken module's error is expected: it is an input failure of
	// the inventory, which the engine turns into ERROR findings.
	if diags.HasErrors() && len(inv.Failures) == 0 {
		t.Fatalf("%s: %v", path, diags)
	}
	return inv
}

// noUnknownWithoutFailure are the entity types on which no real input
// gives UNKNOWN, so that their rules are not asked to reach it: each is
// read live only (Terraform gives none), from a single list call whose
// answer has every field, and the collector leaves a field Unknown only
// when a read failed, and then records the failure, which makes every
// finding on the field ERROR.
var noUnknownWithoutFailure = map[string]string{
	"IamServerCertificate": "iam:ListServerCertificates gives every field of every certificate",
	"Region":               "access-analyzer:ListAnalyzers gives every field of every analyzer",
}

// noUnknownRules are the rules no real input takes to UNKNOWN: they read
// only the root user, which Terraform code does not describe (so the
// rules do not apply to code), and a live account's root user is Unknown
// only when a read failed, which is ERROR.
var noUnknownRules = map[string]bool{"VIGIL.AWS.IAM.01": true, "VIGIL.AWS.IAM.02": true, "VIGIL.AWS.IAM.15": true}

// TestRenderedMessagesAndFixes scans renderInputs with every catalog rule
// and checks the message and the three fixes of every finding, PASS ones
// included (whose fix is rendered here, as a report never shows it):
// they are filled in, with no template left in them and no placeholder
// for a value the finding has (a live trail's name, region and account, a
// Terraform trail's address and block labels), and the Terraform fix of a
// trail in code changes the block that declares it. It also checks that the
// inputs give every rule every result it can have, so that no message
// goes unchecked.
func TestRenderedMessagesAndFixes(t *testing.T) {
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := engine.Compile(rs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]map[engine.Result]bool{}
	for _, input := range renderInputs {
		run, err := plan.Run(context.Background(), loadRenderInput(t, input), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		scopes := map[string]entity.Scope{}
		for _, s := range run.Scopes {
			scopes[s.ID] = s
		}
		for _, f := range run.Findings {
			result := f.Underlying
			if seen[f.Rule.ID] == nil {
				seen[f.Rule.ID] = map[engine.Result]bool{}
			}
			seen[f.Rule.ID][result] = true
			target := rules.Target{Entity: f.Entity, Scope: scopes[f.Scope]}
			fix := f.Remediation
			if result == engine.Pass || result == engine.Error {
				// A PASS carries no fix, and an ERROR carries how to
				// restore the data (checked below): render the rule's
				// own fix for the target as a report of the rule would.
				fix = f.Rule.Render(target)
			}
			about := f.Scope
			if f.Entity != nil {
				about = f.Entity.ID
			}
			texts := []struct{ name, text string }{
				{"message", f.Message}, {"console", fix.Console}, {"cli", fix.CLI}, {"terraform", fix.Terraform},
			}
			if result == engine.Error {
				texts = append(texts, struct{ name, text string }{"fix to restore the data", f.Remediation.Console})
			}
			for _, tx := range texts {
				if strings.TrimSpace(tx.text) == "" {
					t.Errorf("%s %s on %s (%s): the %s is empty", f.Rule.ID, result, about, input, tx.name)
				}
				for _, p := range renderProblems(f.Rule, target, tx.text, tx.name == "message") {
					t.Errorf("%s %s on %s (%s): the %s %s:\n%s", f.Rule.ID, result, about, input, tx.name, p, tx.text)
				}
			}
			// A fix for one trail in code changes that trail's block.
			if block := fmt.Sprintf("resource %q %q {", target.ResourceType(), target.ResourceName()); f.Entity != nil &&
				!strings.HasPrefix(target.ResourceName(), "<") && !strings.Contains(fix.Terraform, block) {
				t.Errorf("%s %s on %s (%s): the terraform does not change %s:\n%s", f.Rule.ID, result, about, input, block, fix.Terraform)
			}
			if result == engine.Pass && f.Message != f.Rule.PassMessage(target) {
				t.Errorf("%s PASS on %s (%s): message %q is not the rule's pass sentence", f.Rule.ID, about, input, f.Message)
			}
		}
	}
	for _, r := range rs {
		for _, result := range []engine.Result{engine.Pass, engine.Fail, engine.Unknown, engine.Error} {
			if _, ok := noUnknownWithoutFailure[r.Entity]; (ok || noUnknownRules[r.ID]) && result == engine.Unknown {
				continue
			}
			if !seen[r.ID][result] {
				t.Errorf("%s: no input gives it %s, so that message is not checked", r.ID, result)
			}
		}
	}
}
