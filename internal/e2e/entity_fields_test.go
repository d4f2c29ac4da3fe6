package e2e

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ctypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"vigil/entity"
	"vigil/rules"
	awssource "vigil/source/aws"
	"vigil/source/aws/awsfake"
	"vigil/source/terraform"
)

// producedFields maps entity type → field path → the kinds of value seen
// there ("string", "bool", …; "" for null or Unknown).
type producedFields map[string]map[string]map[string]bool

// collect records the fields of every entity of inv that has a schema,
// and fails for a normalised type the catalogue does not declare.
func (p producedFields) collect(t *testing.T, source string, inv *entity.Inventory) {
	t.Helper()
	for _, e := range inv.Entities {
		sc := entity.SchemaOf(e.Type)
		if sc == nil {
			if !slices.Contains(rules.ModelledTypes(), e.Type) && rules.CheckEntity(e.Type) != "" {
				t.Errorf("%s produces entities of type %s, which the entity catalogue does not declare", source, e.Type)
			}
			continue
		}
		if p[e.Type] == nil {
			p[e.Type] = map[string]map[string]bool{}
		}
		p.walk(sc, p[e.Type], "", e.Attrs)
	}
}

// walk records the fields of the object v, whose path is prefix.
func (p producedFields) walk(sc *entity.Schema, seen map[string]map[string]bool, prefix string, v any) {
	for name, value := range entity.ObjectFields(v) {
		path := prefix + name
		if seen[path] == nil {
			seen[path] = map[string]bool{}
		}
		seen[path][valueKind(value)] = true
		if f := sc.Field(path); f != nil && f.Type.Open() {
			continue
		}
		switch x := value.(type) {
		case []any:
			for _, el := range x {
				if entity.IsObject(el) {
					p.walk(sc, seen, path+"[].", el)
				}
			}
		default:
			if entity.IsObject(x) {
				p.walk(sc, seen, path+".", x)
			}
		}
	}
}

// valueKind names the kind of a value as the catalogue's types do: ""
// for null and Unknown, which any field may be.
func valueKind(v any) string {
	switch x := v.(type) {
	case nil, *entity.Unknown:
		return ""
	case bool:
		return "bool"
	case float64:
		return "number"
	case string:
		if _, err := time.Parse(time.RFC3339, x); err == nil {
			return "date"
		}
		return "string"
	case []any:
		// A list's kind is that of its elements; an empty list, or one of
		// nulls and Unknowns, fits any list.
		kind := "list"
		for _, el := range x {
			switch k := valueKind(el); k {
			case "":
			case "object":
				kind = "list<object>"
			case "string", "date":
				kind = "list<string>"
			default:
				return "list of " + k
			}
		}
		return kind
	}
	if entity.IsObject(v) {
		return "object"
	}
	return "?"
}

// fits reports whether a value of the given kind fits a field of type t.
func fits(kind string, t entity.ValueType) bool {
	switch {
	case kind == "" || t == entity.TypeDocument:
		return true
	case kind == "date":
		return t == entity.TypeDate || t == entity.TypeString
	case kind == "list":
		return t.IsList()
	case kind == "object":
		return t == entity.TypeObject || t == entity.TypeMapOfStrings
	}
	return kind == string(t)
}

// liveExamples collects the AWS scenario, with a metric that has
// dimensions and a selector with data resources so that every field a
// live account can give is given, and reads the recorded inventory of
// examples/aws-inventory.json.
func liveExamples(t *testing.T) []*entity.Inventory {
	w := awsfake.Scenario()
	w.LogGroups[0].Filters[0].Transformations = append(w.LogGroups[0].Filters[0].Transformations,
		awsfake.Transformation{MetricName: "ByRegion", Namespace: "CISBenchmark", Value: "1", Dimensions: map[string]string{"region": "$.awsRegion"}})
	for i := range w.Trails {
		if w.Trails[i].Name == "main" {
			w.Trails[i].EventSelectors[0].DataResources = []ctypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}
		}
	}
	return []*entity.Inventory{
		collectFromFake(t, w, awssource.Options{Regions: scenarioRegions}),
		loadInventory(t, "../../examples/aws-inventory.json"),
	}
}

// TestCatalogueMatchesSources: every field the sources produce for the
// examples (and testdata/catalogue, for the parts of aws_cloudtrail they
// leave out) is declared in the entity catalogue with a type its values fit,
// and every field declared as coming from a live account, or from code,
// is produced by that source; a field declared as not coming from one is
// not.
func TestCatalogueMatchesSources(t *testing.T) {
	live, code := producedFields{}, producedFields{}
	lives := liveExamples(t)
	for _, inv := range lives {
		live.collect(t, "a live account", inv)
	}
	for _, dir := range []string{"../../examples/terraform", "testdata/catalogue"} {
		inv, diags := terraform.Load(dir, terraform.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		code.collect(t, "Terraform", inv)
	}

	for _, sc := range entity.Schemas() {
		for _, src := range []struct {
			name     string
			seen     map[string]map[string]bool
			declared func(*entity.SchemaField) bool
		}{
			{"a live account", live[sc.Name], (*entity.SchemaField).InLive},
			{"Terraform", code[sc.Name], (*entity.SchemaField).InTerraform},
		} {
			if src.seen == nil {
				// A type whose fields all come from elsewhere is rightly
				// not given.
				if slices.ContainsFunc(sc.Fields, src.declared) {
					t.Errorf("%s gives no %s in the examples", src.name, sc.Name)
				}
				continue
			}
			for _, path := range slices.Sorted(maps.Keys(src.seen)) {
				f := sc.Field(path)
				switch {
				case f == nil && !sc.Covers(path):
					t.Errorf("%s gives %s's field %q, which the entity catalogue does not declare", src.name, sc.Name, path)
				case f == nil:
				case !src.declared(f):
					t.Errorf("%s gives %s's field %q, which the entity catalogue says it does not have", src.name, sc.Name, path)
				default:
					for kind := range src.seen[path] {
						if !fits(kind, f.Type) {
							t.Errorf("%s gives %s's field %q a %s value, but the catalogue declares it %s", src.name, sc.Name, path, kind, f.Type)
						}
					}
				}
			}
			for _, f := range sc.Fields {
				if src.declared(f) && src.seen[f.Path] == nil {
					t.Errorf("%s's field %q is declared as given by %s, which gives it for no entity of the examples", sc.Name, f.Path, src.name)
				}
			}
		}
	}
	// Every call a live entity says it came from is one the catalogue
	// names, and every call the catalogue names is one the collector is
	// granted.
	named := map[string]bool{}
	for _, sc := range entity.Schemas() {
		for _, a := range sc.Actions(sc.Paths()...) {
			named[a] = true
			if !slices.Contains(awssource.Actions(), a) {
				t.Errorf("%s names %s, which is not among the collector's actions %v", sc.Name, a, awssource.Actions())
			}
		}
	}
	for _, e := range lives[0].Entities {
		for _, a := range e.Origin.API {
			if !named[a] {
				t.Errorf("%s %s came from %s, which the entity catalogue does not name", e.Type, e.Name, a)
			}
		}
	}
	// The check sees deep into the examples.
	if !live["CloudTrail"]["metricFilters[].metricTransformations[].alarms[].snsTopics[].confirmedSubscriptions"]["number"] {
		t.Error("no live trail had a topic's subscriptions counted")
	}
	if strings.Join(slices.Sorted(maps.Keys(code)), ",") != "CloudTrail,EFS,Iam,IamPolicy,IamRole,IamUser,Instance,KMS,RDS,Volume" {
		t.Errorf("code gave %v", slices.Sorted(maps.Keys(code)))
	}
}
