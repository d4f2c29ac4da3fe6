package iampolicy

import (
	"strings"
	"testing"

	"vigil/entity"
)

func TestFullAdmin(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want bool
	}{
		{"action and resource star", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, true},
		{"one statement as an object", `{"Statement":{"Effect":"Allow","Action":"*:*","Resource":"*"}}`, true},
		{"star in a list", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":["ec2:*","*"],"Resource":["*"]}]}`, true},
		{"a condition does not limit the grant", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`, true},
		{"deny", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`, false},
		{"one resource", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}]}`, false},
		{"NotAction is not every action", `{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`, false},
		{"one service", `{"Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`, false},
		{"no statement", `{"Version":"2012-10-17"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FullAdmin(Decode(tt.doc)); got != tt.want {
				t.Errorf("FullAdmin(%s) = %v, want %t", tt.doc, got, tt.want)
			}
		})
	}
}

func TestDecodeURL(t *testing.T) {
	// IAM returns documents URL-encoded as RFC 3986 says: a + stays a +.
	doc := DecodeURL(`%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%2C%22Sid%22%3A%22a+b%20c%22%7D%5D%7D`)
	st := doc.(map[string]any)["Statement"].([]any)[0].(map[string]any)
	if st["Sid"] != "a+b c" || FullAdmin(doc) != true {
		t.Errorf("decoded %v", doc)
	}
	// moto returns some documents as written.
	if FullAdmin(DecodeURL(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)) != true {
		t.Error("a document that is not URL-encoded is not read")
	}
	for _, bad := range []string{"not json", `["a list"]`, ""} {
		doc := Decode(bad)
		u, ok := doc.(*entity.Unknown)
		if !ok || !strings.Contains(u.Reason, "not a JSON object") {
			t.Errorf("Decode(%q) = %v, want Unknown", bad, doc)
		}
		if FullAdmin(doc) != doc {
			t.Errorf("FullAdmin of an Unknown document is not that Unknown")
		}
	}
}
