package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"vigil/engine"
	"vigil/filterpattern"
	"vigil/rules"
)

// TestCatalogCompiles compiles every embedded rule with the filter-pattern
// functions, as a scan does.
func TestCatalogCompiles(t *testing.T) {
	rs, err := rules.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Compile(rs, engine.Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestCorpusAsRuleFiles turns every published rule of the corpus into a rule,
// writes it as a rule file, reads it back and compiles it.
func TestCorpusAsRuleFiles(t *testing.T) {
	f, err := os.Open("../../gsl/testdata/gsl-corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cache := filterpattern.NewCache()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var c struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Logic    string `json:"logic"`
			Severity string `json:"severity"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		// Some corpus lines carry only the logic.
		if c.ID == "" {
			c.ID = fmt.Sprintf("CORPUS.%d", n)
		}
		if c.Severity == "" {
			c.Severity = "Low"
		}
		sev, err := rules.ParseSeverity(c.Severity)
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		r := &rules.Rule{ID: c.ID, Title: c.Name, Severity: sev, Logic: c.Logic}
		r.Entity = entityOf(c.Logic)
		data, err := rules.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := rules.Parse(c.ID+".yaml", data)
		if err != nil {
			t.Errorf("%s: %v\n%s", c.ID, err, data)
			continue
		}
		if back.Logic != c.Logic {
			t.Errorf("%s: logic changed in the rule file:\n got %s\nwant %s", c.ID, back.Logic, c.Logic)
		}
		_, err = engine.Compile([]*rules.Rule{back}, engine.Options{Patterns: cache})
		if !strings.Contains(strings.ToLower(c.Logic), " should ") {
			// A bare query (for "vigil eval") is not a rule.
			if err == nil || !strings.Contains(err.Error(), "is a query") {
				t.Errorf("%s: query accepted as a rule (%v)", c.ID, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
	}
	if n != 42 {
		t.Errorf("%d corpus rules, want 42", n)
	}
}

// entityOf reads the entity type a rule starts with.
func entityOf(logic string) string {
	rs, err := rules.ImportCloudGuard("x", []byte(`[{"severity":"Low","ruleId":"X","logic":`+quote(logic)+`}]`))
	if err != nil || len(rs) == 0 {
		return ""
	}
	return rs[0].Entity
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
