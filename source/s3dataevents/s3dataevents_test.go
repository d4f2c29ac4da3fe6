package s3dataevents

import (
	"testing"

	"vigil/entity"
)

// classicSel is a classic event selector as the sources normalise it.
func classicSel(rw string, resources ...any) map[string]any {
	return map[string]any{"readWriteType": rw, "includeManagementEvents": true,
		"excludeManagementEventSources": []any{}, "dataResources": resources}
}

func dataResource(typ string, values ...any) map[string]any {
	return map[string]any{"type": typ, "values": values}
}

// field is an advanced field selector with only equals values.
func field(name string, equals ...any) map[string]any {
	return fieldOp(name, "equals", equals...)
}

func fieldOp(name, op string, values ...any) map[string]any {
	m := map[string]any{"field": name, "equals": []any{}, "notEquals": []any{}, "startsWith": []any{},
		"notStartsWith": []any{}, "endsWith": []any{}, "notEndsWith": []any{}}
	m[op] = values
	return m
}

func advancedSel(fields ...any) map[string]any {
	return map[string]any{"name": "s3", "fieldSelectors": fields}
}

var (
	later     = entity.NewUnknown(entity.UnknownSet, "known after apply: aws_s3_bucket.logs.arn")
	dataCat   = field("eventCategory", "Data")
	s3Objects = field("resources.type", "AWS::S3::Object")
)

// TestObjectEvents: which selectors, the way AWS returns them and the way
// Terraform declares them, record write and read object events of every
// bucket; "?" wants Unknown.
func TestObjectEvents(t *testing.T) {
	tests := []struct {
		name              string
		classic, advanced any
		write, read       any
	}{
		{"no selectors", []any{}, []any{}, false, false},
		{"management events only", []any{classicSel("All")}, []any{}, false, false},
		{"all buckets as CIS writes it", []any{classicSel("All", dataResource("AWS::S3::Object", "arn:aws:s3"))}, []any{}, true, true},
		{"all buckets as the console writes it", []any{classicSel("WriteOnly", dataResource("AWS::S3::Object", "arn:aws:s3:::"))}, []any{}, true, false},
		{"read only", []any{classicSel("ReadOnly", dataResource("AWS::S3::Object", "arn:aws:s3:::"))}, []any{}, false, true},
		{"GovCloud partition", []any{classicSel("All", dataResource("AWS::S3::Object", "arn:aws-us-gov:s3"))}, []any{}, true, true},
		{"one bucket only", []any{classicSel("All", dataResource("AWS::S3::Object", "arn:aws:s3:::logs/"))}, []any{}, false, false},
		{"Lambda data events", []any{classicSel("All", dataResource("AWS::Lambda::Function", "arn:aws:lambda"))}, []any{}, false, false},
		{"write and read in two selectors", []any{
			classicSel("WriteOnly", dataResource("AWS::S3::Object", "arn:aws:s3")),
			classicSel("ReadOnly", dataResource("AWS::S3::Object", "arn:aws:s3:::"))}, []any{}, true, true},
		{"a bucket ARN not known until apply", []any{classicSel("All", dataResource("AWS::S3::Object", later))}, []any{}, "?", "?"},
		{"an unknown value beside an all-buckets one", []any{classicSel("All", dataResource("AWS::S3::Object", later, "arn:aws:s3"))}, []any{}, true, true},
		{"selectors unknown", later, []any{}, "?", "?"},
		{"read/write type unknown", []any{classicSel("", dataResource("AWS::S3::Object", "arn:aws:s3"))}, []any{}, true, true},

		{"advanced, all object events", []any{}, []any{advancedSel(dataCat, s3Objects)}, true, true},
		{"advanced, write events", []any{}, []any{advancedSel(dataCat, s3Objects, field("readOnly", "false"))}, true, false},
		{"advanced, read events", []any{}, []any{advancedSel(dataCat, s3Objects, field("readOnly", "true"))}, false, true},
		{"advanced, not read-only", []any{}, []any{advancedSel(dataCat, s3Objects, fieldOp("readOnly", "notEquals", "true"))}, true, false},
		{"advanced, every bucket by ARN prefix", []any{}, []any{advancedSel(dataCat, s3Objects,
			fieldOp("resources.ARN", "startsWith", "arn:aws:s3:::"))}, true, true},
		{"advanced, one bucket", []any{}, []any{advancedSel(dataCat, s3Objects,
			fieldOp("resources.ARN", "startsWith", "arn:aws:s3:::logs/"))}, false, false},
		{"advanced, some event names", []any{}, []any{advancedSel(dataCat, s3Objects, field("eventName", "PutObject", "DeleteObject"))}, false, false},
		{"advanced, management only", []any{}, []any{advancedSel(field("eventCategory", "Management"))}, false, false},
		{"advanced, DynamoDB", []any{}, []any{advancedSel(dataCat, field("resources.type", "AWS::DynamoDB::Table"))}, false, false},
		{"advanced, management and S3 objects", []any{}, []any{advancedSel(field("eventCategory", "Management")),
			advancedSel(dataCat, s3Objects, field("readOnly", "false"))}, true, false},
		{"advanced, a prefix not known until apply", []any{}, []any{advancedSel(dataCat, s3Objects,
			fieldOp("resources.ARN", "startsWith", later))}, "?", "?"},
		{"advanced, field selectors unknown", []any{}, []any{map[string]any{"name": nil, "fieldSelectors": later}}, "?", "?"},
		{"advanced unknown, classic records writes", []any{classicSel("WriteOnly", dataResource("AWS::S3::Object", "arn:aws:s3"))}, later, true, "?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ObjectEvents(tt.classic, tt.advanced)
			check(t, "write", got.Write, tt.write)
			check(t, "read", got.Read, tt.read)
		})
	}
}

func check(t *testing.T, what string, got, want any) {
	t.Helper()
	if want == "?" {
		if u, ok := got.(*entity.Unknown); !ok || u.Reason == "" {
			t.Errorf("%s = %v, want Unknown with a reason", what, got)
		}
		return
	}
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
