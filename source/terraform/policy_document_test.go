package terraform

import (
	"testing"
)

// TestPolicyDocumentJSON: data.aws_iam_policy_document.x.json reads the
// document the provider would write: one value as a string, several in
// reverse order, Effect Allow by default, &{…} as ${…}, principals and
// conditions grouped, and source and override documents merged by Sid.
// What it is built from that is unknown makes it Unknown.
func TestPolicyDocumentJSON(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"one action, default effect", `
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/&{aws:username}/*"]
  }`, `{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}`},
		{"several actions in reverse order, repeats dropped", `
  policy_id = "p"
  statement {
    sid         = "Deny"
    effect      = "Deny"
    not_actions = ["iam:*", "s3:*", "iam:*"]
    resources   = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1", "eu-central-1"]
    }
  }`, `{"Version":"2012-10-17","Id":"p","Statement":[{"Sid":"Deny","Effect":"Deny","NotAction":["s3:*","iam:*"],"Resource":"*","Principal":{"AWS":["arn:aws:iam::444455556666:root","arn:aws:iam::111122223333:root"]},"Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}]}`},
		{"anyone", `
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }`, `{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"sts:AssumeRole","Principal":"*"}]}`},
		{"source and override documents merged by Sid", `
  source_policy_documents = [jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "A", Effect = "Allow", Action = "s3:*", Resource = "*" }, { Sid = "B", Effect = "Allow", Action = "ec2:*", Resource = "*" }] })]
  override_policy_documents = [jsonencode({ Statement = { Sid = "B", Effect = "Deny", Action = "ec2:*", Resource = "*" } })]
  statement {
    sid       = "A"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }`, `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Action":"ec2:*","Effect":"Deny","Resource":"*","Sid":"B"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"main.tf": "data \"aws_iam_policy_document\" \"d\" {" + tt.body + "\n}\n" +
				"resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = data.aws_iam_policy_document.d.minified_json\n}\n"}
			got := loadAttrs(t, files, Options{}, "aws_iam_policy")["aws_iam_policy.p"]["policy"]
			if got != tt.want {
				t.Errorf("minified_json =\n%v\nwant\n%s", got, tt.want)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		files := map[string]string{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.b.arn]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
`}
		inv := load(t, writeTree(t, files), Options{Types: []string{"IamPolicy"}})
		e := find(t, inv, "IamPolicy", "aws_iam_policy.p")
		if _, ok := e.Attrs["isFullAdmin"].(bool); ok {
			t.Errorf("isFullAdmin = %v, want Unknown", e.Attrs["isFullAdmin"])
		}
	})
}
