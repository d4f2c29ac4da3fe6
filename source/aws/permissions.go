package aws

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Actions lists every IAM action the registered services call, in the
// account vigil reads, sorted and each once. docs/iam-policy.json grants
// exactly these (see policy); a test keeps the file, this list and the
// calls the code makes in step. sts:AssumeRole (--role-arn) is called with
// the caller's own credentials and is not part of the list.
func Actions() []string {
	var out []string
	for _, s := range services {
		for _, a := range s.actions {
			out = append(out, a.name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// policy returns the IAM policy document that grants Actions, as
// docs/iam-policy.json holds it.
func policy() []byte {
	type statement struct {
		Sid      string
		Effect   string
		Action   []string
		Resource string
	}
	doc := struct {
		Version   string
		Statement []statement
	}{
		Version:   "2012-10-17",
		Statement: []statement{{Sid: "VigilReadOnly", Effect: "Allow", Action: Actions(), Resource: "*"}},
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err) // the document is plain strings
	}
	return append(data, '\n')
}

// permissionsTable renders the registered actions as the Markdown table of
// docs/aws.md: each action, what vigil reads with it and the attributes it
// fills, in the order of Actions.
func permissionsTable() string {
	var b strings.Builder
	b.WriteString("| action | what vigil reads with it | attributes it fills |\n|---|---|---|\n")
	for _, name := range Actions() {
		for _, s := range services {
			for _, a := range s.actions {
				if a.name != name {
					continue
				}
				fills := "(scope of the collection)"
				if len(a.fills) > 0 {
					var parts []string
					for _, f := range a.fills {
						parts = append(parts, f.entityType+": `"+strings.Join(f.attrs, "`, `")+"`")
					}
					fills = strings.Join(parts, "; ")
				}
				fmt.Fprintf(&b, "| `%s` | %s | %s |\n", a.name, a.purpose, fills)
			}
		}
	}
	return b.String()
}
