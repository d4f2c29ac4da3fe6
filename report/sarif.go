package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"vigil/engine"
	"vigil/entity"
	"vigil/rules"
)

// SARIF 2.1.0 output. The structs below are the subset of the SARIF object
// model vigil emits, hand-written rather than taken from go-sarif/v3: that
// library links an unmaintained JSON-schema validator into the binary and
// does not check the level enum anyway, and this subset is small. Tests
// validate every output against the official OASIS schema.

// sarifSchemaURI is the $schema of the OASIS SARIF 2.1.0 schema (Errata 01).
const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// fingerprintKey names vigil's partial fingerprint: a hash of the rule ID,
// scope and entity ID, stable across scans, so code-scanning services can
// track one finding over time.
const fingerprintKey = "vigilFindingHash/v1"

type sarifFormat struct{}

func init() { register("sarif", sarifFormat{}) }

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	// OriginalURIBaseIDs says what %SRCROOT%, the base of relative
	// artifact URIs, stands for.
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult                    `json:"results"`
	Properties         map[string]any                   `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name    string      `json:"name"`
	Version string      `json:"version,omitempty"`
	Rules   []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      *sarifText      `json:"fullDescription,omitempty"`
	Help                 sarifHelp       `json:"help"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Severity string `json:"severity"`
	// SecuritySeverity is the CVSS-like score GitHub code scanning reads.
	SecuritySeverity string   `json:"security-severity"`
	Tags             []string `json:"tags,omitempty"`
	Frameworks       []string `json:"frameworks,omitempty"`
	Category         string   `json:"category,omitempty"`
	Entity           string   `json:"entity,omitempty"`
	Logic            string   `json:"logic,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	StartTimeUTC               string              `json:"startTimeUtc"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifLocation struct {
	// ID numbers a related location from 1 within its result; zero for
	// the others.
	ID               int                    `json:"id,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifText             `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

type sarifResultProps struct {
	Result     engine.Result `json:"result"`
	Underlying engine.Result `json:"underlyingResult"`
	Severity   string        `json:"severity"`
	Scope      string        `json:"scope,omitempty"`
	EntityType string        `json:"entityType,omitempty"`
	Region     string        `json:"region,omitempty"`
	// Explanation is the GSL explanation the message is written from.
	Explanation string   `json:"explanation,omitempty"`
	Trace       []string `json:"trace,omitempty"`
	Expires     string   `json:"exclusionExpires,omitempty"`
	Source      string   `json:"exclusionSource,omitempty"`
}

// SARIF levels.
const (
	levelError   = "error"
	levelWarning = "warning"
	levelNote    = "note"
)

// failLevel maps a failing rule's severity to a SARIF level: Critical and
// High are errors, Medium and Low warnings, Informational notes.
func failLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return levelError
	case s >= rules.Low:
		return levelWarning
	case s == rules.Informational:
		return levelNote
	}
	return levelError // an out-of-range severity must not hide a failure
}

// sarifLevel is the level of a result: by severity for FAIL; warning for
// UNKNOWN and ERROR, which may hide a failure and need a human to look.
// An excluded finding keeps the level of its underlying result and carries
// a suppression. PASS is never emitted.
func sarifLevel(f *engine.Finding) string {
	if underlying(f) == engine.Fail {
		return failLevel(f.Rule.Severity)
	}
	return levelWarning
}

// securitySeverity is GitHub code scanning's "security-severity" score for
// a severity (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9).
func securitySeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "9.5"
	case rules.High:
		return "8.0"
	case rules.Medium:
		return "5.5"
	case rules.Low:
		return "3.0"
	}
	return "0.0"
}

func (sarifFormat) Write(w io.Writer, run *engine.Run, opts Options) error {
	v, err := newView(run, opts)
	if err != nil {
		return err
	}
	name, version := toolNameVersion(opts.Tool)
	sr := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: name, Version: version,
			Rules: []sarifRule{},
		}},
		Results: []sarifResult{},
	}
	if v.framework != nil {
		sr.Properties = map[string]any{"framework": v.framework.String()}
	}
	loc := newSarifLocator(v, opts.SourceRoot)
	sr.Invocations = []sarifInvocation{sarifInvocationOf(run, loc)}
	sr.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRoot: loc.base()}
	index := map[string]int{}
	for _, r := range v.rules {
		index[r.ID] = len(sr.Tool.Driver.Rules)
		sr.Tool.Driver.Rules = append(sr.Tool.Driver.Rules, sarifRuleOf(r))
	}
	var results []*engine.Finding
	for _, f := range v.findings {
		if underlying(f) != engine.Pass {
			results = append(results, f)
		}
	}
	// The results are written one at a time, each on a line (see
	// writeAround and oneLineEach), at runs[0].results: three levels deep.
	doc := sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{sr}}
	return writeAround(w, doc, `"results": []`, 3, len(results), oneLineEach(func(i int) any {
		return sarifResultOf(results[i], index[results[i].Rule.ID], loc, opts.Explain)
	}))
}

// toolNameVersion splits Options.Tool ("vigil 0.1.0") into its parts.
func toolNameVersion(tool string) (name, version string) {
	name, version, _ = strings.Cut(strings.TrimSpace(tool), " ")
	return cmp.Or(name, "vigil"), strings.TrimSpace(version)
}

func sarifRuleOf(r *rules.Rule) sarifRule {
	rem := ruleRemediation(r)
	sr := sarifRule{
		ID:                   r.ID,
		ShortDescription:     sarifText{Text: cmp.Or(r.Title, r.ID)},
		Help:                 sarifHelp{Text: helpText(r, rem), Markdown: helpMarkdown(r, rem)},
		DefaultConfiguration: sarifRuleConfig{Level: failLevel(r.Severity)},
		Properties: sarifRuleProps{
			Severity:         severityName(r.Severity),
			SecuritySeverity: securitySeverity(r.Severity),
			Tags:             ruleTags(r),
			Frameworks:       frameworkRefs(r),
			Category:         r.Category,
			Entity:           r.Entity,
			Logic:            r.Logic,
		},
	}
	if r.Description != "" {
		sr.FullDescription = &sarifText{Text: r.Description}
	}
	sr.HelpURI = ruleLink(r)
	return sr
}

func ruleTags(r *rules.Rule) []string {
	tags := []string{"security"}
	if r.Category != "" {
		tags = append(tags, r.Category)
	}
	return tags
}

// helpText is the rule's help as plain text: what it checks, why, and how
// to fix a failing entity (rem, the rule's remediation with placeholders).
func helpText(r *rules.Rule, rem rules.Remediation) string {
	var b strings.Builder
	para := func(title, s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		if title != "" {
			b.WriteString(title + ":\n")
		}
		b.WriteString(s)
	}
	para("", r.Description)
	para("Rationale", r.Rationale)
	para("Rule logic (GSL)", r.Logic)
	para("Remediation (console)", rem.Console)
	para("Remediation (CLI)", rem.CLI)
	para("Remediation (Terraform)", rem.Terraform)
	if len(r.References) > 0 {
		para("References", strings.Join(r.References, "\n"))
	}
	return cmp.Or(b.String(), cmp.Or(r.Title, r.ID))
}

// helpMarkdown is the same help as Markdown, with code in fenced blocks.
func helpMarkdown(r *rules.Rule, rem rules.Remediation) string {
	var b strings.Builder
	section := func(title, s string) {
		if s != "" {
			fmt.Fprintf(&b, "\n\n**%s**\n\n%s", title, s)
		}
	}
	code := func(title, lang, s string) {
		if s != "" {
			fence := "```"
			for strings.Contains(s, fence) {
				fence += "`"
			}
			fmt.Fprintf(&b, "\n\n**%s**\n\n%s%s\n%s\n%s", title, fence, lang, s, fence)
		}
	}
	b.WriteString(cmp.Or(r.Description, r.Title, r.ID))
	section("Rationale", r.Rationale)
	code("Rule logic (GSL)", "", r.Logic)
	section("Remediation (console)", rem.Console)
	code("Remediation (CLI)", "sh", rem.CLI)
	code("Remediation (Terraform)", "hcl", rem.Terraform)
	if len(r.References) > 0 {
		b.WriteString("\n\n**References**\n")
		for _, ref := range r.References {
			fmt.Fprintf(&b, "\n- %s", ref)
		}
	}
	return b.String()
}

// sarifResultOf is a finding as a SARIF result; its trace is kept, in its
// properties, only when explain is set.
func sarifResultOf(f *engine.Finding, ruleIndex int, loc *sarifLocator, explain bool) sarifResult {
	res := sarifResult{
		RuleID:              f.Rule.ID,
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f),
		Message:             sarifText{Text: sarifMessage(f)},
		PartialFingerprints: map[string]string{fingerprintKey: findingHash(f)},
		Properties: sarifResultProps{
			Result:      f.Result,
			Underlying:  underlying(f),
			Severity:    severityName(f.Rule.Severity),
			Scope:       findingScope(f),
			Explanation: f.Explanation,
		},
		RelatedLocations: loc.related(f),
	}
	if explain {
		res.Properties.Trace = f.Trace
	}
	if e := f.Entity; e != nil {
		res.Properties.EntityType = e.Type
		res.Properties.Region = e.Region
	}
	if l, ok := loc.of(f); ok {
		res.Locations = []sarifLocation{l}
	}
	if x := f.Exclusion; x != nil || f.Result == engine.Excluded {
		s := sarifSuppression{Kind: "external", Status: "accepted"}
		if x != nil {
			s.Justification = entity.Shown(x.Reason)
			if strings.Contains(x.Source, "vigil:ignore") {
				s.Kind = "inSource"
			}
			if !x.Expires.IsZero() {
				res.Properties.Expires = expiresText(x.Expires)
			}
			res.Properties.Source = x.Source
		}
		res.Suppressions = []sarifSuppression{s}
	}
	return res
}

// sarifMessage is the result's message: the result when it is not FAIL,
// what it is about, and the finding's message; for an ERROR, how to
// restore the data, which the rule's help cannot say.
func sarifMessage(f *engine.Finding) string {
	var b strings.Builder
	u := underlying(f)
	if u != engine.Fail {
		fmt.Fprintf(&b, "[%s] ", u)
	}
	b.WriteString(cmp.Or(f.Rule.Title, f.Rule.ID))
	fmt.Fprintf(&b, ": %s", subject(f))
	if f.Message != "" {
		b.WriteString(": " + f.Message)
	}
	if fix := strings.TrimSpace(f.Remediation.Console); u == engine.Error && fix != "" {
		if !strings.HasSuffix(b.String(), ".") {
			b.WriteByte('.')
		}
		b.WriteString(" " + fix)
	}
	return b.String()
}

// findingHash identifies a finding across scans: same rule, same scope,
// same entity.
func findingHash(f *engine.Finding) string {
	h := sha256.New()
	for _, s := range []string{f.Rule.ID, findingScope(f), entityID(f)} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// sarifInvocationOf is the run's invocation. Its execution was not
// successful when an input could not be read or parsed: what it declares
// went unchecked.
func sarifInvocationOf(run *engine.Run, loc *sarifLocator) sarifInvocation {
	inputs, collections := failureNotes(run)
	inv := sarifInvocation{ExecutionSuccessful: len(inputs) == 0, StartTimeUTC: run.Started.UTC().Format(time.RFC3339)}
	for _, n := range inputs {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifFailure(n, "input failed: ", loc))
	}
	for _, n := range collections {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifFailure(n, "collection failed: ", loc))
	}
	for _, x := range run.ExpiredExclusions {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: levelWarning, Message: sarifText{Text: "expired exclusion no longer applied: " + exclusionText(&x)}})
	}
	return inv
}

// sarifFailure is the notification of a failure, at its file and position
// when it names one.
func sarifFailure(n failureNote, prefix string, loc *sarifLocator) sarifNotification {
	note := sarifNotification{Level: levelError, Message: sarifText{Text: prefix + n.String()}}
	if n.File != "" {
		pl := &sarifPhysicalLocation{ArtifactLocation: loc.artifact(n.File)}
		if n.Line > 0 {
			pl.Region = &sarifRegion{StartLine: n.Line}
			if n.Col > 0 {
				pl.Region.StartColumn = n.Col
			}
		}
		note.Locations = []sarifLocation{{PhysicalLocation: pl}}
	}
	return note
}
