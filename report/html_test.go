package report

import (
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/engine"
)

// TestHTMLEscapesHostileText checks the raw output: nothing from the run
// may open an element, and the only scripts are vigil's own.
func TestHTMLEscapesHostileText(t *testing.T) {
	out := string(write(t, "html", hostileRun(), Options{Tool: tool}))
	if n := strings.Count(out, "<script"); n != 1 {
		t.Errorf("%d <script elements, want only vigil's own", n)
	}
	for _, bad := range []string{"<img", "</failure>", "onerror=\"", "\x1b", "\x00"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q unescaped", bad)
		}
	}
	for _, want := range []string{
		`aws_cloudtrail.x[&#34;&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&#34;]`,
		`&lt;img src=x onerror=&#34;document.title=&#39;pwned&#39;&#34;&gt;`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks the escaped text %s", want)
		}
	}
	if !strings.Contains(out, `content="default-src &#39;none&#39;`) {
		t.Errorf("output lacks the Content-Security-Policy")
	}
}

// TestHTMLSelfContained checks that viewing the report needs no network:
// no external stylesheet, script, image, font or frame.
func TestHTMLSelfContained(t *testing.T) {
	out := string(write(t, "html", fixtureRun(), Options{Tool: tool}))
	external := regexp.MustCompile(`(?i)<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\(`)
	if m := external.FindString(out); m != "" {
		t.Errorf("report loads something external: %q", m)
	}
}

var (
	findingRow = regexp.MustCompile(`<tr class="finding"[^>]*>`)
	attr       = regexp.MustCompile(`\s([a-z-]+)="([^"]*)"`)
)

// domFindings extracts, from HTML, the result and subject of each finding
// row and whether it is hidden.
func domFindings(dom string) (rows []string, hidden int) {
	for _, tag := range findingRow.FindAllString(dom, -1) {
		attrs := map[string]string{}
		for _, m := range attr.FindAllStringSubmatch(tag, -1) {
			attrs[m[1]] = html.UnescapeString(m[2])
		}
		if strings.Contains(tag, " hidden") {
			hidden++
		}
		rows = append(rows, attrs["data-rule"]+" "+attrs["data-result"]+" "+attrs["data-subject"])
	}
	slices.Sort(rows)
	return rows, hidden
}

func wantRows(run *engine.Run) []string {
	var want []string
	for _, f := range run.Findings {
		want = append(want, f.Rule.ID+" "+string(f.Result)+" "+subject(f))
	}
	slices.Sort(want)
	return want
}

// chromium finds the headless browser, or skips the test; under CI=true
// a missing browser fails it instead.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install chromium); CI=true requires the browser test to run")
	}
	t.Skip("chromium is not installed; skipping the rendered-DOM test")
	return ""
}

// TestHTMLInChromium opens each report in headless Chromium and reads the
// DOM after its script ran: every finding is a visible row, the filter
// script ran under the Content-Security-Policy, and hostile names stayed
// text.
func TestHTMLInChromium(t *testing.T) {
	browser := chromium(t)
	cases := []struct {
		name string
		run  func() *engine.Run
		opts Options
	}{
		{"scan", fixtureRun, Options{Tool: tool}},
		{"hostile", hostileRun, Options{Tool: tool}},
		{"big", func() *engine.Run { return bigRun(300) }, Options{Tool: tool}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run := tc.run()
			path := filepath.Join(t.TempDir(), "report.html")
			if err := os.WriteFile(path, write(t, "html", run, tc.opts), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu",
				"--user-data-dir="+t.TempDir(), "--dump-dom", "file://"+path)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("chromium: %v\n%s", err, stderr.String())
			}
			dom := string(out)

			rows, hidden := domFindings(dom)
			if diff := cmp.Diff(wantRows(run), rows); diff != "" {
				t.Errorf("finding rows in the DOM (-want +got):\n%s", diff)
			}
			if hidden != 0 {
				t.Errorf("%d finding rows hidden on load, want all shown", hidden)
			}
			counter := "Showing " + strconv.Itoa(len(run.Findings)) + " of " + strconv.Itoa(len(run.Findings)) + " findings"
			if !strings.Contains(dom, counter) {
				t.Errorf("DOM lacks %q: the filter script did not run", counter)
			}
			if !strings.Contains(dom, "<title>vigil report: 2026-11-22T10:00:00Z</title>") {
				t.Errorf("document title changed: a hostile name ran as script")
			}
			open, closed := strings.Count(dom, `<details class="findings" open="">`), strings.Count(dom, `<details class="findings">`)
			wantOpen, wantClosed := groupStates(run)
			if tc.name == "big" && (wantOpen == 0 || wantClosed == 0) {
				t.Fatalf("the big run has %d small and %d large groups; the test needs both", wantOpen, wantClosed)
			}
			if open != wantOpen || closed != wantClosed {
				t.Errorf("%d finding groups open and %d collapsed, want %d and %d (more than %d findings collapse)",
					open, closed, wantOpen, wantClosed, htmlOpenGroup)
			}
			if strings.Contains(dom, "<img") {
				t.Errorf("DOM has an <img> element: a hostile name became markup")
			}
			for _, f := range run.Findings {
				if f.Entity != nil && f.Entity.Name != "" && f.Entity.Name != f.Entity.ID && !strings.Contains(html.UnescapeString(dom), f.Entity.Name) {
					t.Errorf("entity name %q not shown", f.Entity.Name)
				}
			}
		})
	}
}

// groupStates counts the rules of a run whose group of findings the HTML
// report opens on load and those it collapses.
func groupStates(run *engine.Run) (open, closed int) {
	perRule := map[string]int{}
	for _, f := range run.Findings {
		perRule[f.Rule.ID]++
	}
	for _, n := range perRule {
		if n > htmlOpenGroup {
			closed++
		} else {
			open++
		}
	}
	return open, closed
}
