package cli

import (
	"strings"
	"testing"
)

func TestGSLLint(t *testing.T) {
	code, out, stderr := run(t, "", "gsl", "lint", "testdata/eval/rules.gsl")
	want := `testdata/eval/rules.gsl:5:74: after() unit: unknown time unit 'dayz': use seconds, minutes, hours, days, weeks, months or years
 | CloudTrail should have status.latestCloudWatchLogsDeliveryTime after(-1, 'dayz')
 | .........................................................................^
testdata/eval/rules.gsl:6:114: isFilterPatternEqual() pattern does not parse: expected a value after "=", found "}"
 | List<CloudTrail> should have items with [metricFilters with [filterPattern isFilterPatternEqual('{ $.eventName = }')] length() > 0]
 | .................................................................................................................^
testdata/eval/rules.gsl:7:1: warning: entity type "VMInstance" is not one vigil models (did you mean "Instance"?)
 | VMInstance should not have nics contain-any [ inboundRules allowedPublicHostsForPort(22) > 32 ]
 | ^
testdata/eval/rules.gsl:7:60: warning: allowedPublicHostsForPort() is not implemented yet: rules using it evaluate to ERROR
 | VMInstance should not have nics contain-any [ inboundRules allowedPublicHostsForPort(22) > 32 ]
 | ...........................................................^
testdata/eval/rules.gsl:8:62: expected ')' to close the '(' at 8:24, found end of rule
 | CloudTrail should have (isMultiRegionTrail=true and isLogging
 | .............................................................^
`
	if code != ExitBadUsage || out != want {
		t.Errorf("code %d\n%s\nwant\n%s", code, out, want)
	}
	if stderr != "testdata/eval/rules.gsl: 6 rules, 3 errors, 2 warnings\n" {
		t.Errorf("stderr %q", stderr)
	}
}

func TestGSLLintWarningsOnlyExitZero(t *testing.T) {
	stdin := "# ok\nCloudTrail should have isMultiRegionTrail=true\n\nVMInstance should not have nics contain-any [inboundRules allowedHostsForPort(22) > 1]\n"
	code, out, stderr := run(t, stdin, "gsl", "lint", "-")
	if code != ExitOK || !strings.HasPrefix(out, `<stdin>:4:1: warning: entity type "VMInstance" is not one vigil models`) ||
		!strings.Contains(out, "<stdin>:4:59: warning: allowedHostsForPort() is not implemented yet") ||
		stderr != "<stdin>: 2 rules, 0 errors, 2 warnings\n" {
		t.Errorf("code %d\n%s\n%s", code, out, stderr)
	}
}

func TestGSLLintBadUsage(t *testing.T) {
	if code, _, stderr := run(t, "", "gsl", "lint", "testdata/eval/missing.gsl"); code != ExitBadUsage || !strings.Contains(stderr, "no such file") {
		t.Errorf("code %d %q", code, stderr)
	}
	if code, _, _ := run(t, "", "gsl", "lint"); code != ExitBadUsage {
		t.Errorf("no file: code %d", code)
	}
}

// TestGSLLintLongLine: a line longer than a rule may be is reported with
// its position, and the lines after it are still checked; a line of
// exactly the limit is checked.
func TestGSLLintLongLine(t *testing.T) {
	long := "X should have a = '" + strings.Repeat("x", 70000) + "'"
	stdin := "CloudTrail should have isMultiRegionTrail=true\r\n" + long + "\n" + long + "\r\nCloudTrail should have (a\n" +
		strings.Repeat("y", 65536) + "\nCloudTrail should have status.isLogging=true"
	code, out, stderr := run(t, stdin, "gsl", "lint", "-")
	want := "<stdin>:2:1: the line is more than 65536 bytes long, longer than a rule may be; it is not checked\n" +
		"<stdin>:3:1: the line is more than 65536 bytes long, longer than a rule may be; it is not checked\n" +
		"<stdin>:4:26: expected ')' to close the '(' at 4:24, found end of rule\n"
	if code != ExitBadUsage || !strings.HasPrefix(out, want) || strings.Contains(stderr, "token too long") ||
		stderr != "<stdin>: 6 rules, 3 errors, 0 warnings\n" {
		t.Errorf("code %d\nstdout:\n%.600s\nstderr: %q", code, out, stderr)
	}
}

// TestGSLLintEntityTypo (issue 15): an entity type close to one vigil
// models is a warning that names it; rules for other clouds (CloudGuard
// publishes Azure and GCP rules) lint clean.
func TestGSLLintEntityTypo(t *testing.T) {
	stdin := "CloudTral should have isMultiRegionTrail=true\nList<aws_cloudtral> should have items length() > 0\n" +
		"VirtualMachine should have isEncrypted=true\nStorageAccount should have supportsHttpsTrafficOnly=true\n"
	code, out, stderr := run(t, stdin, "gsl", "lint", "-")
	want := `<stdin>:1:1: warning: entity type "CloudTral" is not one vigil models (did you mean "CloudTrail"?)
 | CloudTral should have isMultiRegionTrail=true
 | ^
`
	if code != ExitOK || out != want || stderr != "<stdin>: 4 rules, 0 errors, 1 warning\n" {
		t.Errorf("code %d\n%s\nwant\n%s\n%s", code, out, want, stderr)
	}
}

// TestGSLLintFieldTypo: a field the entity type does not declare is a
// warning at the path with the closest field it declares, inside a list
// operator's brackets too; fields of Terraform resource types and of
// types vigil does not model are not checked.
func TestGSLLintFieldTypo(t *testing.T) {
	stdin := "CloudTrail should have isMultiRegionTrial=true\n" +
		"List<CloudTrail> should have items with [metricFilters with [filterPatern like '%x%']] length() > 0\n" +
		"aws_cloudtrail should have no_such_argument=true\nVirtualMachine should have isEncrypted=true\n"
	code, out, stderr := run(t, stdin, "gsl", "lint", "-")
	want := `<stdin>:1:24: warning: CloudTrail has no field "isMultiRegionTrial" (did you mean "isMultiRegionTrail"?)
 | CloudTrail should have isMultiRegionTrial=true
 | .......................^
<stdin>:2:62: warning: CloudTrail has no field "metricFilters[].filterPatern" (did you mean "metricFilters[].filterPattern"?)
 | List<CloudTrail> should have items with [metricFilters with [filterPatern like '%x%']] length() > 0
 | .............................................................^
`
	if code != ExitOK || out != want || stderr != "<stdin>: 4 rules, 0 errors, 2 warnings\n" {
		t.Errorf("code %d\n%s\nwant\n%s\n%s", code, out, want, stderr)
	}
}
