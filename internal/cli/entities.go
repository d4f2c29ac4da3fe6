package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"vigil/entity"
	"vigil/rules"
)

func init() { register(newEntitiesCmd) }

func newEntitiesCmd(s *streams) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "entities [TYPE]",
		Short: "List the entity types rules are about, or the fields of one",
		Long: `List the entity types vigil models, the normalised types that rules for live
accounts are about, each with a line on what one entity is. With TYPE, show
the type's fields: path, type, meaning, where a live account's value comes
from (the IAM action of the API call, and the response field), where
Terraform code's value comes from (the resource and its attribute), and
whether code knows it before terraform apply.

A path is written as rules read it: "status.isLogging" is the field
isLogging of the object status, and "metricFilters[].filterPattern" the field
filterPattern of each element of the list metricFilters, which a rule reads
inside the brackets of a list operator:

  CloudTrail should have metricFilters with [filterPattern like '%StopLogging%']

Terraform resources are entities too, of their resource type (aws_cloudtrail)
with the provider's argument names as fields; they are not listed here.

A rule file that reads a field its entity type does not declare is an error
when vigil loads it; vigil gsl lint and vigil eval warn about such a field.
docs/entities.md is this catalogue as --format markdown writes it.`,
		Example: `  vigil entities
  vigil entities CloudTrail
  vigil entities CloudTrail --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" && format != "markdown" {
				return usageError("unknown --format %q: want text, json or markdown", format)
			}
			schemas := entity.Schemas()
			if len(args) == 1 {
				sc := entity.SchemaOf(args[0])
				if sc == nil {
					return unknownEntityType(args[0])
				}
				schemas = []*entity.Schema{sc}
			}
			switch format {
			case "json":
				return writeEntitiesJSON(s.data, schemas, len(args) == 1)
			case "markdown":
				writeEntitiesMarkdown(s.out, schemas, len(args) == 0)
				return nil
			}
			if len(args) == 1 {
				writeEntityText(s.out, schemas[0])
				return nil
			}
			tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TYPE\tDESCRIPTION")
			for _, sc := range schemas {
				fmt.Fprintf(tw, "%s\t%s\n", sc.Name, sc.Summary)
			}
			tw.Flush()
			fmt.Fprintln(s.out, "\nTerraform resources are entities of their resource type (aws_cloudtrail), with the provider's argument names.")
			fmt.Fprintln(s.out, "'vigil entities TYPE' lists a type's fields.")
			return nil
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return rules.ModelledTypes(), cobra.ShellCompDirectiveNoFileComp
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	return cmd
}

// unknownEntityType is the error for a TYPE the catalogue does not
// declare.
func unknownEntityType(typ string) error {
	if rules.CheckEntity(typ) == "" {
		return exitCode(ExitBadUsage, fmt.Errorf("%s is a Terraform resource type: its fields are the arguments and attributes the provider documents, under their own names", typ))
	}
	msg := fmt.Sprintf("no entity type %q", typ)
	if near := rules.Suggest(typ, rules.ModelledTypes()); near != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", near)
	}
	return usageError("%s; 'vigil entities' lists them", msg)
}

// writeEntityText shows one type: what it is, then each field with its
// meaning and sources.
func writeEntityText(w io.Writer, sc *entity.Schema) {
	fmt.Fprintf(w, "%s  %s\n", sc.Name, sc.Summary)
	section(w, "About", sc.About)
	section(w, "In a live account", sc.Live)
	section(w, "In Terraform", sc.Terraform)
	section(w, "Listed by", strings.Join(sc.ListedBy, ", "))
	fmt.Fprintln(w, "\nFields")
	for _, f := range sc.Fields {
		fmt.Fprintf(w, "\n  %s  %s\n", f.Path, f.Type)
		fmt.Fprintf(w, "    %s\n", f.Meaning)
		fmt.Fprintf(w, "    live:          %s\n", liveSource(f.Live, plainStyle))
		fmt.Fprintf(w, "    terraform:     %s\n", terraformSource(f.Terraform, plainStyle))
		fmt.Fprintf(w, "    before apply:  %s\n", beforeApply(f.Terraform))
	}
}

// sourceStyle is how the sources of a field are written: code names
// resources, attributes and calls, text escapes prose.
type sourceStyle struct{ code, text func(string) string }

var (
	plainStyle    = sourceStyle{code: func(s string) string { return s }, text: func(s string) string { return s }}
	markdownStyle = sourceStyle{code: func(s string) string { return "`" + s + "`" }, text: markdownCell}
)

// liveSource says where a live account's value comes from:
// "cloudtrail:DescribeTrails → trailList[].IsMultiRegionTrail".
func liveSource(l entity.LiveSource, st sourceStyle) string {
	if l.Absent != "" {
		return "not in a live account: " + st.text(l.Absent)
	}
	calls := make([]string, len(l.Calls))
	for i, c := range l.Calls {
		calls[i] = st.code(c)
	}
	var parts []string
	if l.Field != "" {
		parts = append(parts, st.code(l.Field))
	}
	if l.Computed != "" {
		parts = append(parts, "computed: "+st.text(l.Computed))
	}
	return strings.Join(calls, ", ") + " → " + strings.Join(parts, "; ")
}

// terraformSource says where code's value comes from:
// "aws_cloudtrail.is_multi_region_trail (default false)".
func terraformSource(t entity.TerraformSource, st sourceStyle) string {
	switch t.LiveOnly {
	case entity.LiveOnlyUnknown:
		return "not in Terraform: known only in a live account (Unknown in code)"
	case entity.LiveOnlyMissing:
		return "not in Terraform: known only in a live account (code's entities do not have it)"
	}
	name := t.Resource
	if t.Attribute != "" {
		name += "." + t.Attribute
	}
	s := st.code(name)
	if t.Default != "" {
		s += " (default " + st.code(t.Default) + ")"
	}
	if t.Computed != "" {
		s += " → computed: " + st.text(t.Computed)
	}
	return s
}

// beforeApply says whether code knows the value before terraform apply.
func beforeApply(t entity.TerraformSource) string {
	if t.KnownBeforeApply() {
		return "yes"
	}
	return "no"
}

// entityJSON is one type as --format json writes it.
type entityJSON struct {
	Type      string      `json:"type"`
	Summary   string      `json:"summary"`
	About     string      `json:"about,omitempty"`
	Live      string      `json:"live,omitempty"`
	Terraform string      `json:"terraform,omitempty"`
	ListedBy  []string    `json:"listedBy,omitempty"`
	Fields    []fieldJSON `json:"fields,omitempty"`
}

// fieldJSON is one field as --format json writes it.
type fieldJSON struct {
	Path      string        `json:"path"`
	Type      string        `json:"type"`
	Meaning   string        `json:"meaning"`
	Live      liveJSON      `json:"live"`
	Terraform terraformJSON `json:"terraform"`
}

type liveJSON struct {
	Calls    []string `json:"calls,omitempty"`
	Field    string   `json:"field,omitempty"`
	Computed string   `json:"computed,omitempty"`
	Absent   string   `json:"absent,omitempty"`
}

type terraformJSON struct {
	Resource         string `json:"resource,omitempty"`
	Attribute        string `json:"attribute,omitempty"`
	Default          string `json:"default,omitempty"`
	Computed         string `json:"computed,omitempty"`
	LiveOnly         string `json:"liveOnly,omitempty"`
	KnownBeforeApply bool   `json:"knownBeforeApply"`
}

// writeEntitiesJSON writes the types, with their fields when one was
// asked for: an array of types, or the one type.
func writeEntitiesJSON(w io.Writer, schemas []*entity.Schema, one bool) error {
	out := make([]entityJSON, len(schemas))
	for i, sc := range schemas {
		out[i] = entityJSON{Type: sc.Name, Summary: sc.Summary}
		if !one {
			continue
		}
		e := &out[i]
		e.About, e.Live, e.Terraform, e.ListedBy = sc.About, sc.Live, sc.Terraform, sc.ListedBy
		for _, f := range sc.Fields {
			l, t := f.Live, f.Terraform
			e.Fields = append(e.Fields, fieldJSON{Path: f.Path, Type: string(f.Type), Meaning: f.Meaning,
				Live: liveJSON{Calls: l.Calls, Field: l.Field, Computed: l.Computed, Absent: l.Absent},
				Terraform: terraformJSON{Resource: t.Resource, Attribute: t.Attribute, Default: t.Default, Computed: t.Computed,
					LiveOnly: t.LiveOnly, KnownBeforeApply: t.KnownBeforeApply()}})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if one {
		return enc.Encode(out[0])
	}
	return enc.Encode(out)
}

// entitiesDocIntro opens docs/entities.md.
const entitiesDocIntro = `# Entity types

<!-- Generated by "vigil entities --format markdown"; do not edit. "go test ./internal/cli -run EntitiesDoc -update" rewrites it. -->

vigil's rules for live accounts are about normalised entity types, built the same way from a live account
and from Terraform code, so that one rule checks both. This is the catalogue of those types: each field, what
it means, where its value comes from, and whether code knows it before ` + "`terraform apply`" + `. The catalogue
is data, one file per type in ` + "`entity/types/`" + `; ` + "`vigil entities [TYPE]`" + ` prints it.

- **Path**: as rules read it. ` + "`status.isLogging`" + ` is the field ` + "`isLogging`" + ` of the object ` + "`status`" + `;
  ` + "`metricFilters[].filterPattern`" + ` is the field ` + "`filterPattern`" + ` of each element of the list ` + "`metricFilters`" + `,
  read inside a list operator's brackets (` + "`metricFilters with [filterPattern like '%StopLogging%']`" + `).
- **Live**: the IAM action of the API call that reads the value, and the field of its response, or how vigil
  computes the value from the responses. A rule needs these actions to be evaluated on a live account.
- **Terraform**: the resource and its argument or attribute, with the value vigil takes when the argument is
  left out, or how vigil computes the value from the resources declared. A field only a live account knows is
  Unknown in code, or missing from code's entities where that is said.
- **Before apply**: "yes" for an argument, known before apply when its expression is (a literal, a variable
  with a value); "no" for a value AWS sets when it creates the resource, or that only a live account knows.

Any value may also be null, or Unknown when it could not be known (gsl-spec.md §7.1). Terraform resources are
entities too, of their resource type (` + "`aws_cloudtrail`" + `) with the provider's argument names; they are not listed
here. A rule file that reads a field its type does not declare is an error when vigil loads it.
`

// writeEntitiesMarkdown writes the catalogue as docs/entities.md holds
// it; with intro, the page's opening and a table of the types.
func writeEntitiesMarkdown(w io.Writer, schemas []*entity.Schema, intro bool) {
	if intro {
		fmt.Fprint(w, entitiesDocIntro+"\n")
		fmt.Fprintln(w, "| type | what one entity is |")
		fmt.Fprintln(w, "|---|---|")
		for _, sc := range schemas {
			fmt.Fprintf(w, "| [%s](#%s) | %s |\n", sc.Name, strings.ToLower(sc.Name), markdownCell(sc.Summary))
		}
		fmt.Fprintln(w)
	}
	for _, sc := range schemas {
		fmt.Fprintf(w, "## %s\n\n%s\n\n", sc.Name, strings.TrimSpace(sc.About))
		fmt.Fprintf(w, "**In a live account.** %s\n\n", strings.TrimSpace(sc.Live))
		fmt.Fprintf(w, "**In Terraform.** %s\n\n", strings.TrimSpace(sc.Terraform))
		listed := make([]string, len(sc.ListedBy))
		for i, a := range sc.ListedBy {
			listed[i] = markdownStyle.code(a)
		}
		fmt.Fprintf(w, "**Listed by** %s.\n\n", strings.Join(listed, ", "))
		fmt.Fprintln(w, "| path | type | meaning | live | Terraform | before apply |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|")
		for _, f := range sc.Fields {
			fmt.Fprintf(w, "| `%s` | `%s` | %s | %s | %s | %s |\n", f.Path, f.Type, markdownCell(f.Meaning),
				liveSource(f.Live, markdownStyle), terraformSource(f.Terraform, markdownStyle), beforeApply(f.Terraform))
		}
		fmt.Fprintln(w)
	}
}

// markdownCell escapes text for a cell of a Markdown table.
func markdownCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), "|", `\|`), "\n", " ")
}
