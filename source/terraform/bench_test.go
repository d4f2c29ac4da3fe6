package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hclparse"

	"vigil/engine"
	"vigil/filterpattern"
	"vigil/rules"
)

// Shared child modules of the generated corpus, written the way the CIS
// fixture is: each root module calls all three.
var corpusModules = map[string]string{
	"modules/logging/main.tf": `
variable "name" {
  type = string
}
variable "retention" {
  type    = number
  default = 365
}
variable "tags" {
  type    = map(string)
  default = {}
}
resource "aws_cloudwatch_log_group" "trail" {
  name              = "/aws/cloudtrail/${var.name}"
  retention_in_days = var.retention
  tags              = var.tags
}
resource "aws_iam_role" "trail" {
  name = "${var.name}-cloudtrail"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_cloudtrail" "this" {
  name                       = var.name
  s3_bucket_name             = "${var.name}-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
  tags = var.tags
}
output "log_group_name" {
  value = aws_cloudwatch_log_group.trail.name
}
`,
	"modules/alarms/main.tf": `
variable "log_group_name" {
  type = string
}
variable "filters" {
  type = map(string)
}
variable "emails" {
  type    = list(string)
  default = []
}
resource "aws_sns_topic" "alarms" {
  name = "${var.log_group_name}-alarms"
}
resource "aws_sns_topic_subscription" "email" {
  count     = length(var.emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.emails[count.index]
}
resource "aws_cloudwatch_log_metric_filter" "this" {
  for_each       = var.filters
  name           = each.key
  log_group_name = var.log_group_name
  pattern        = each.value
  metric_transformation {
    name      = each.key
    namespace = "CISBenchmark"
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = var.filters
  alarm_name          = "cis-${each.key}"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = aws_cloudwatch_log_metric_filter.this[each.key].metric_transformation[0].name
  namespace           = "CISBenchmark"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
`,
	"modules/bucket/main.tf": `
variable "name" {
  type = string
}
resource "aws_s3_bucket" "this" {
  bucket = var.name
}
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
}

// corpusRootResources is how many resources one generated root module
// declares, with its module calls: 3 (logging) + 12 (alarms: topic,
// subscription, 5 filters, 5 alarms) + 3 (bucket) + 2 of its own.
const corpusRootResources = 20

// writeCorpus writes root modules calling the shared child modules until
// the tree declares at least resources resources, and returns the number
// of Terraform files written.
func writeCorpus(tb testing.TB, dir string, resources int) int {
	tb.Helper()
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	files := 0
	for name, content := range corpusModules {
		write(name, content)
		files++
	}
	for i := 0; i*corpusRootResources < resources; i++ {
		root := fmt.Sprintf("envs/team%04d", i)
		write(root+"/main.tf", fmt.Sprintf(`
locals {
  name = "${var.prefix}-%[1]d"
  tags = merge(var.tags, { Team = "team%[1]d" })
}
module "logging" {
  source = "../../modules/logging"
  name   = local.name
  tags   = local.tags
}
module "alarms" {
  source         = "../../modules/alarms"
  log_group_name = module.logging.log_group_name
  emails         = var.emails
  filters = {
    cloudtrail_changes = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    root_usage         = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    console_no_mfa     = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"
    iam_changes        = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)}"
    vpc_changes        = "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) }"
  }
}
module "bucket" {
  source = "../../modules/bucket"
  name   = "${local.name}-data"
}
resource "aws_sqs_queue" "events" {
  name                      = "${local.name}-events"
  message_retention_seconds = 86400
  tags                      = local.tags
}
resource "aws_kms_key" "data" {
  description             = "data key for ${local.name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}
`, i))
		write(root+"/variables.tf", `
variable "prefix" {
  type = string
}
variable "tags" {
  type    = map(string)
  default = {}
}
variable "emails" {
  type    = list(string)
  default = []
}
`)
		write(root+"/terraform.tfvars", "prefix = \"acme\"\nemails = [\"secops@acme.example\"]\ntags = { Owner = \"platform\" }\n")
		files += 3
	}
	return files
}

func TestCorpusGenerator(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 100)
	inv := load(t, dir, Options{})
	native := 0
	for _, e := range inv.Entities {
		if e.Type != "CloudTrail" {
			native++
		}
	}
	if len(inv.Scopes) != 5 || native != 100 {
		t.Errorf("%d root modules, %d resources; want 5 and 100", len(inv.Scopes), native)
	}
	got := evaluate(t, inv, map[string]string{"MON.05": ruleMon05})
	for k, v := range got {
		if v != "UNKNOWN" { // the only subscription is e-mail, unconfirmed
			t.Errorf("%s: %s", k, v)
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func maxRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // KiB → MiB
}

var corpusSizes = []int{1_000, 10_000}

// TestMain removes the generated corpora, which benchmarks share within a
// process.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range corpora {
		os.RemoveAll(c.dir)
	}
	os.Exit(code)
}

// corpus returns a generated corpus per size, written once per process.
var corpora = map[int]struct {
	dir   string
	files []string
}{}

func corpus(b *testing.B, size int) (string, []string) {
	if c, ok := corpora[size]; ok {
		return c.dir, c.files
	}
	dir, err := os.MkdirTemp("", "vigil-tf-corpus")
	if err != nil {
		b.Fatal(err)
	}
	writeCorpus(b, dir, size)
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		// Every file a scan parses: the modules and the variable files.
		if err == nil && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tfvars")) {
			files = append(files, p)
		}
		return nil
	})
	corpora[size] = struct {
		dir   string
		files []string
	}{dir, files}
	return dir, files
}

func report(b *testing.B, files int, cpu0 time.Duration) {
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(maxRSS(), "maxRSS-MiB")
}

// benchCorpora times op once per iteration on each generated corpus, and
// reports files per second, CPU time and peak memory.
func benchCorpora(b *testing.B, op func(b *testing.B, dir string, files []string)) {
	for _, size := range corpusSizes {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			dir, files := corpus(b, size)
			runtime.GC()
			cpu0 := cpuTime()
			for b.Loop() {
				op(b, dir, files)
			}
			report(b, len(files), cpu0)
		})
	}
}

// BenchmarkParseFloor parses every file of the corpus with hclparse and
// nothing else: the floor a loader cannot beat.
func BenchmarkParseFloor(b *testing.B) {
	benchCorpora(b, func(b *testing.B, _ string, files []string) {
		p := hclparse.NewParser()
		for _, f := range files {
			if _, diags := p.ParseHCLFile(f); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	})
}

// BenchmarkLoad loads, evaluates and normalises the corpus.
func BenchmarkLoad(b *testing.B) {
	benchCorpora(b, func(b *testing.B, dir string, _ []string) {
		if _, diags := Load(dir, Options{}); diags.HasErrors() {
			b.Fatal(diags)
		}
	})
}

// BenchmarkLoadForCatalog loads the corpus as vigil scan does for the
// embedded catalog: only the entity types its rules read.
func BenchmarkLoadForCatalog(b *testing.B) {
	types := catalogTypes(b)
	benchCorpora(b, func(b *testing.B, dir string, _ []string) {
		if _, diags := Load(dir, Options{Types: types}); diags.HasErrors() {
			b.Fatal(diags)
		}
	})
}

// catalogTypes returns the entity types of the embedded catalog's rules.
func catalogTypes(b *testing.B) []string {
	rs, err := rules.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	var types []string
	for _, r := range rs {
		if !slices.Contains(types, r.Entity) {
			types = append(types, r.Entity)
		}
	}
	return types
}

// BenchmarkScan is the whole scan: load, evaluate, normalise and run the
// embedded catalog, as vigil scan does with its default text report: the
// loader builds only the entity types the rules read, and findings carry
// their one-line message but no trace (see engine.Options.NoTraces).
func BenchmarkScan(b *testing.B) { benchScan(b, true) }

// BenchmarkScanWithTraces is BenchmarkScan for the reports that print
// each finding's trace (JSON, SARIF, HTML).
func BenchmarkScanWithTraces(b *testing.B) { benchScan(b, false) }

func benchScan(b *testing.B, noTraces bool) {
	rs, err := rules.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	types := catalogTypes(b)
	benchCorpora(b, func(b *testing.B, dir string, _ []string) {
		// Compiled in the loop, with a new filter-pattern cache, as each
		// run of vigil scan does: matches remembered from the previous
		// iteration would make the catalog look cheaper than it is.
		plan, err := engine.Compile(rs, engine.Options{Patterns: filterpattern.NewCache(), NoTraces: noTraces})
		if err != nil {
			b.Fatal(err)
		}
		inv, diags := Load(dir, Options{Types: types})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		if _, err := plan.Run(context.Background(), inv, time.Time{}); err != nil {
			b.Fatal(err)
		}
	})
}

// TestWriteCorpus writes the 10,000-resource benchmark corpus into the
// directory named by VIGIL_WRITE_CORPUS, to time the vigil binary on it:
//
//	VIGIL_WRITE_CORPUS=/tmp/corpus go test ./source/terraform -run TestWriteCorpus
//	/usr/bin/time -v vigil scan /tmp/corpus > /dev/null
func TestWriteCorpus(t *testing.T) {
	dir := os.Getenv("VIGIL_WRITE_CORPUS")
	if dir == "" {
		t.Skip("set VIGIL_WRITE_CORPUS to a directory to write the corpus")
	}
	writeCorpus(t, dir, 10_000)
}
