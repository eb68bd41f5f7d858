package bedrock

import (
	"strings"
	"testing"
	"unicode"
)

// secretLike reports whether s could be a credential worth protecting: long, alphanumeric,
// with both letters and digits (so not a word of the package's own messages).
func secretLike(s string) bool {
	if len(s) < 12 {
		return false
	}
	letters, digits := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		default:
			return false
		}
	}
	return letters > 0 && digits > 0
}

// parseExport never panics and never quotes what the command printed.
func FuzzParseExport(f *testing.F) {
	f.Add(`{"Credentials":{"AccessKeyId":"A","SecretAccessKey":"B","SessionToken":"C","Expiration":"2026-01-01T00:00:00Z"}}`)
	f.Add(`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"B"}`)
	f.Add(`{"Credentials":null}`)
	f.Add(`[]`)
	f.Add("ASIASECRETVALUE1234567890")
	f.Add(`{"Credentials":{"AccessKeyId":"SECRETVALUE12345678","Expiration":"SECRETVALUE12345678"}}`)
	f.Fuzz(func(t *testing.T, out string) {
		creds, problem := parseExport([]byte(out))
		if problem == "" && (creds.AccessKeyID == "" || creds.SecretAccessKey == "") {
			t.Fatalf("accepted output without keys: %q", out)
		}
		for _, word := range strings.FieldsFunc(out, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if secretLike(word) && strings.Contains(problem, word) {
				t.Fatalf("problem %q quotes the output %q", problem, word)
			}
		}
	})
}

// parseHeaders never panics and its errors never quote a value.
func FuzzParseHeaders(f *testing.F) {
	f.Add("X-Key: value\nX-Other: 2")
	f.Add("no colon SECRETVALUE12345678")
	f.Add(": empty name\r\n")
	f.Add("A B: c")
	f.Fuzz(func(t *testing.T, v string) {
		h, err := parseHeaders(v)
		if err != nil {
			for _, word := range strings.Fields(v) {
				if secretLike(word) && strings.Contains(err.Error(), word) {
					t.Fatalf("error %q quotes %q", err, word)
				}
			}
			return
		}
		for name := range h {
			if name == "" || strings.ContainsAny(name, " \t\n") {
				t.Fatalf("bad header name %q from %q", name, v)
			}
		}
	})
}

// A chunk of any content decodes to an event or an error, never a panic, and an error
// event is never passed through as an answer.
func FuzzDecodeChunk(f *testing.F) {
	for _, ev := range textEvents("hi") {
		f.Add([]byte(ev))
	}
	f.Add([]byte(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`))
	f.Add([]byte(`{"type":"error"}`))
	f.Add([]byte(`{"type":"something_new","x":1}`))
	f.Add([]byte(`nope`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &stream{}
		ev, err := s.decode(data)
		if err == nil && ev.Type == "error" {
			t.Fatalf("error event returned as an event: %s", data)
		}
		if err != nil {
			classify(err) // must not panic
		}
	})
}
