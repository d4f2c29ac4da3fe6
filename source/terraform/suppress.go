package terraform

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"vigil/entity"
)

const suppressionPrefix = "vigil:ignore:"

// suppressionComment is one vigil:ignore comment, with the line it is on.
type suppressionComment struct {
	line int
	// rng is the comment's range in its file, what its diagnostics point
	// at.
	rng hcl.Range
	// alone is true when nothing but the comment is on its line, so that it
	// applies to the block or attribute below it.
	alone bool
	s     entity.Suppression
	err   string
}

// suppressionComments finds the vigil:ignore comments of a native-syntax
// file. Comments are not part of HCL's syntax tree, so the file is lexed.
func suppressionComments(src []byte, filename string) []suppressionComment {
	if !bytes.Contains(src, []byte(suppressionPrefix)) {
		return nil
	}
	tokens, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	var out []suppressionComment
	lastLine := 0 // line of the last token that was not a comment or newline
	for _, tok := range tokens {
		switch tok.Type {
		case hclsyntax.TokenNewline, hclsyntax.TokenEOF:
			continue
		case hclsyntax.TokenComment:
		default:
			lastLine = tok.Range.End.Line
			continue
		}
		text := string(tok.Bytes)
		i := strings.Index(text, suppressionPrefix)
		if i < 0 {
			continue
		}
		c := parseSuppression(strings.TrimSpace(text[i+len(suppressionPrefix):]))
		c.line = tok.Range.Start.Line
		c.rng = tok.Range
		if tok.Type == hclsyntax.TokenComment && bytes.HasSuffix(tok.Bytes, []byte("\n")) {
			// A line comment's token holds its newline: point at the
			// comment's own line only.
			c.rng.End = hcl.Pos{Line: c.line, Column: tok.Range.Start.Column + len(bytes.TrimRight(tok.Bytes, "\r\n")),
				Byte: tok.Range.Start.Byte + len(bytes.TrimRight(tok.Bytes, "\r\n"))}
		}
		c.alone = lastLine != c.line
		c.s.Source = fmt.Sprintf("%s:%d", filename, c.line)
		out = append(out, c)
	}
	return out
}

// parseSuppression parses what follows "vigil:ignore:":
// "RULE_ID[:exp:YYYY-MM-DD] reason".
func parseSuppression(text string) suppressionComment {
	text = strings.TrimSuffix(strings.TrimSuffix(text, "*/"), "\n")
	directive, reason, _ := strings.Cut(text, " ")
	rule, exp, hasExp := strings.Cut(directive, ":exp:")
	c := suppressionComment{s: entity.Suppression{Rule: rule, Reason: strings.TrimSpace(reason)}}
	if rule == "" {
		c.err = "it names no rule"
	}
	if hasExp {
		if _, err := time.Parse(time.DateOnly, exp); err != nil {
			c.err = fmt.Sprintf("its expiry %q is not a date YYYY-MM-DD", exp)
		}
		c.s.Expires = exp
	}
	return c
}

// suppressionsFor returns the suppressions that apply to a block spanning
// rng: comments inside it, on its first line, or in the run of comment lines
// right above it. Malformed comments, and comments naming a rule that is not
// one of ruleIDs (when given), are reported instead.
func suppressionsFor(comments []suppressionComment, rng hcl.Range, ruleIDs []string) ([]entity.Suppression, hcl.Diagnostics) {
	var out []entity.Suppression
	var diags hcl.Diagnostics
	above := rng.Start.Line - 1
	for i := len(comments) - 1; i >= 0; i-- {
		c := comments[i]
		applies := c.line >= rng.Start.Line && c.line <= rng.End.Line
		if !applies && c.alone && c.line == above {
			applies = true
			above--
		}
		if !applies {
			continue
		}
		if c.err != "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Invalid vigil:ignore comment",
				Detail:   fmt.Sprintf("The comment at %s is ignored because %s. Write # vigil:ignore:RULE_ID[:exp:YYYY-MM-DD] reason.", c.s.Source, c.err),
				Subject:  c.rng.Ptr(),
			})
			continue
		}
		if len(ruleIDs) > 0 && !slices.Contains(ruleIDs, c.s.Rule) {
			detail := fmt.Sprintf("The comment at %s names the rule %q, which vigil does not have, so it suppresses nothing.", c.s.Source, c.s.Rule)
			if near := nearestRuleID(c.s.Rule, ruleIDs); near != "" {
				detail += fmt.Sprintf(" Did you mean %s?", near)
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Unknown rule in vigil:ignore comment",
				Detail:   detail + " 'vigil rules' lists the rules.",
				Subject:  c.rng.Ptr(),
			})
			continue
		}
		out = append(out, c.s)
	}
	// Restore source order.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, diags
}

// nearestRuleID returns the rule ID closest to a misspelt one, or "" when
// none is close (at most two edits, case aside).
func nearestRuleID(id string, ids []string) string {
	best, bestDist := "", 3
	for _, c := range ids {
		if d := levenshtein.Distance(strings.ToLower(id), strings.ToLower(c), nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
