package rules

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"vigil/entity"
)

// nativeAbout describes, in a few sentences, the Terraform resource types
// the catalog's rules are about, for "vigil rules show". The normalised
// types describe themselves in the entity catalogue (entity.Schema.About).
var nativeAbout = map[string]string{
	"aws_cloudtrail": `The aws_cloudtrail resource of the Terraform AWS provider declares a CloudTrail trail: where it
delivers log files (S3, CloudWatch Logs), which regions and events it records, and how its logs are
protected. Rules on it check the code before it is applied.`,
}

// AboutEntity returns a short description of the service behind an entity
// type, or "" when vigil has none.
func AboutEntity(typ string) string {
	if s := entity.SchemaOf(typ); s != nil {
		return s.About
	}
	return nativeAbout[typ]
}

// nativeType is what a Terraform resource type looks like: a provider
// name, an underscore, and the rest in lower case ("aws_cloudtrail").
// vigil reads every resource of Terraform code, of any provider, as an
// entity of its resource type.
var nativeType = regexp.MustCompile(`^[a-z][a-z0-9]*_[a-z0-9_]+$`)

// ModelledTypes returns the normalised entity types vigil's sources build:
// those the entity catalogue declares. A test in internal/e2e keeps the
// catalogue in step with what the sources produce.
func ModelledTypes() []string {
	var out []string
	for _, s := range entity.Schemas() {
		out = append(out, s.Name)
	}
	return out
}

// CheckEntity returns "" when vigil models the entity type typ (a
// normalised type some source builds, or a Terraform resource type), or
// else why not, with the closest type vigil models: a rule file vigil
// loads to run must be about a type it models, or it applies to nothing
// vigil reads.
func CheckEntity(typ string) string {
	if msg := EntityTypo(typ); msg != "" || modelled(typ) {
		return msg
	}
	return fmt.Sprintf("entity type %q is not one vigil models: it models %s, and Terraform resources by their type (aws_cloudtrail); the rule applies to nothing vigil reads",
		typ, strings.Join(ModelledTypes(), ", "))
}

// EntityTypo returns, when vigil does not model the entity type typ but
// models one close to it, why ("entity type "CloudTral" is not one vigil
// models (did you mean "CloudTrail"?)"); "" otherwise. A type close to
// none is left alone: published rules for other clouds ("VirtualMachine")
// are about types vigil does not model, and vigil eval evaluates a rule on
// attribute lists of any type.
func EntityTypo(typ string) string {
	if modelled(typ) {
		return ""
	}
	candidates := append(ModelledTypes(), slices.Sorted(maps.Keys(nativeAbout))...)
	if s := Suggest(typ, candidates); s != "" {
		return fmt.Sprintf("entity type %q is not one vigil models (did you mean %q?)", typ, s)
	}
	return ""
}

// modelled reports whether vigil models the entity type typ.
func modelled(typ string) bool {
	return entity.SchemaOf(typ) != nil || nativeType.MatchString(typ)
}
