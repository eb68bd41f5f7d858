package redact

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	r := New()
	r.Add(secret)
	r.Add("pa<ss>word&1")
	cases := []struct{ name, in, want string }{
		{"plain value", `{"k":"` + secret + `"}`, `{"k":"[REDACTED]"}`},
		{"inside text", `{"text":"key is ` + secret + `!"}`, `{"text":"key is [REDACTED]!"}`},
		{"escaped slash", `{"k":"` + strings.ReplaceAll(secret, "/", `\/`) + `"}`, `{"k":"[REDACTED]"}`},
		{"unicode escapes", `{"k":"pa\u003css\u003eword\u00261"}`, `{"k":"[REDACTED]"}`},
		{"key", `{"` + secret + `":1}`, `{"[REDACTED]":1}`},
		{"array and layout kept", "[ \"a\",\n \"" + secret + "\" , 3 ]", "[ \"a\",\n \"[REDACTED]\" , 3 ]"},
		{"escaped quote nearby", `["x\"` + secret + `\"y"]`, `["x\"[REDACTED]\"y"]`},
		{"nothing to do", `{"a":"b","n":12345678}`, `{"a":"b","n":12345678}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := string(r.JSON([]byte(tc.in)))
			if got != tc.want {
				t.Errorf("JSON(%s)\n got %s\nwant %s", tc.in, got, tc.want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("result is not JSON: %s", got)
			}
		})
	}
}

// strings of a decoded JSON value, keys included.
func jsonStrings(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		*out = append(*out, v)
	case []any:
		for _, e := range v {
			jsonStrings(e, out)
		}
	case map[string]any:
		for k, e := range v {
			*out = append(*out, k)
			jsonStrings(e, out)
		}
	}
}

// FuzzJSON checks that valid JSON stays valid and that no decoded string keeps a secret.
func FuzzJSON(f *testing.F) {
	f.Add(secret, `{"k":"`+secret+`","a":["x",1,{"`+secret+`":null}]}`)
	f.Add("pa<ss>word&1", `"pa\u003css\u003eword\u00261"`)
	f.Add("SECRETXX1\nD]abcdefg", `["SECRETXX1abcdefg"]`)
	f.Fuzz(func(t *testing.T, secrets, doc string) {
		r := New()
		for _, s := range strings.Split(secrets, "\n") {
			r.Add(s)
		}
		if !json.Valid([]byte(doc)) {
			r.JSON([]byte(doc)) // must not panic
			return
		}
		got := r.JSON([]byte(doc))
		var v any
		if err := json.Unmarshal(got, &v); err != nil {
			t.Fatalf("redacted JSON is invalid: %v\n%s", err, got)
		}
		snap := r.snap.Load()
		if snap == nil {
			return
		}
		var strs []string
		jsonStrings(v, &strs)
		for _, s := range strs {
			for _, sec := range snap.secrets {
				if strings.Contains(s, sec) {
					t.Fatalf("string %q keeps secret %q", s, sec)
				}
			}
		}
	})
}
