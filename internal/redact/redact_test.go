package redact

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

const (
	keyID  = "AKIAIOSFODNN7EXAMPLE"
	secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

func TestString(t *testing.T) {
	cases := []struct {
		name    string
		secrets []string
		in      string
		want    string
	}{
		{"no secrets", nil, "key " + secret, "key " + secret},
		{"one secret twice", []string{secret}, secret + " and " + secret, "[REDACTED] and [REDACTED]"},
		{"two secrets", []string{keyID, secret}, "id=" + keyID + " key=" + secret, "id=[REDACTED] key=[REDACTED]"},
		{"short value ignored", []string{"hunter2"}, "pw hunter2", "pw hunter2"},
		{"eight bytes kept", []string{"hunter22"}, "pw hunter22", "pw [REDACTED]"},
		{"part of the marker ignored", []string{"REDACTED"}, "REDACTED", "REDACTED"},
		{"longer secret wins", []string{"abcdefgh", "abcdefghijkl"}, "xabcdefghijklx abcdefghx",
			"x[REDACTED]x [REDACTED]x"},
		{"no match", []string{secret}, "nothing here", "nothing here"},
		// Replacing "SECRETXX1" leaves "[REDACTED]abcdefg", which holds the second secret.
		{"secret formed with the marker", []string{"SECRETXX1", "D]abcdefg"}, "SECRETXX1abcdefg", "[REDACTE[REDACTED]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := New()
			for _, s := range tc.secrets {
				r.Add(s)
			}
			if got := r.String(tc.in); got != tc.want {
				t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := string(r.Bytes([]byte(tc.in))); got != tc.want {
				t.Errorf("Bytes(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestStringGivesUpSafely(t *testing.T) {
	// Each pass forms a new secret out of the marker's own letters; the text is withheld.
	r := New()
	for _, s := range []string{"[REDACTED]x", "D][REDACTED", "[REDACTED]]"} {
		r.Add(s)
	}
	in := "[REDACTED]x" + strings.Repeat("]", 40)
	got := r.String(in)
	if got != Marker {
		t.Errorf("String(%q) = %q, want the bare marker", in, got)
	}
	for _, s := range r.snap.Load().secrets {
		if strings.Contains(got, s) {
			t.Fatalf("String(%q) = %q still holds %q", in, got, s)
		}
	}
}

func TestAddEnv(t *testing.T) {
	env := []string{
		"AWS_ACCESS_KEY_ID=" + keyID,
		"AWS_SECRET_ACCESS_KEY=" + secret,
		"AWS_SESSION_TOKEN=FwoGZXIvYXdzEJr//////////session",
		"AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS1iearer",
		"GITHUB_TOKEN=ghp_0123456789abcdef",
		"DB_PASSWORD=correct-horse",
		"HOME=/home/someone-long",
		"AWS_REGION=us-east-1-long",
		"AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/token",
		"MAX_THINKING_TOKENS=1000000000",
		"NOEQUALS",
	}
	r := New()
	r.AddEnv(env)
	in := strings.Join(env, "\n")
	got := r.String(in)
	hidden := []string{keyID, secret, "FwoGZXIvYXdzEJr//////////session", "ABSKQmVkcm9ja0FQSUtleS1iearer",
		"ghp_0123456789abcdef", "correct-horse"}
	for _, h := range hidden {
		if strings.Contains(got, h) {
			t.Errorf("%q not redacted in\n%s", h, got)
		}
	}
	shown := []string{"/home/someone-long", "us-east-1-long", "/var/run/secrets/token", "1000000000"}
	for _, s := range shown {
		if !strings.Contains(got, s) {
			t.Errorf("%q was redacted but is not secret:\n%s", s, got)
		}
	}
}

func TestIsSecretName(t *testing.T) {
	cases := map[string]bool{
		"AWS_ACCESS_KEY_ID":                 true,
		"AWS_SECRET_ACCESS_KEY":             true,
		"AWS_SESSION_TOKEN":                 true,
		"AWS_SECURITY_TOKEN":                true,
		"AWS_BEARER_TOKEN_BEDROCK":          true,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN": true,
		"aws_secret_access_key":             true,
		"GITHUB_TOKEN":                      true,
		"NPMTOKEN":                          true,
		"CLIENT_SECRET":                     true,
		"PGPASSWORD":                        true,
		"OPENAI_API_KEY":                    true,
		"SSH_PRIVATE_KEY":                   true,
		"AWS_PROFILE":                       false,
		"AWS_REGION":                        false,
		"AWS_WEB_IDENTITY_TOKEN_FILE":       false,
		"PASSWORD_STORE_DIR":                false,
		"CLAUDE_CODE_MAX_OUTPUT_TOKENS":     false,
		"TOKENIZERS_PARALLELISM":            false,
		"KEYBOARD_LAYOUT":                   false,
		"PATH":                              false,
	}
	for name, want := range cases {
		if got := IsSecretName(name); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestScrubEnv(t *testing.T) {
	env := []string{
		"PATH=/usr/bin",
		"AWS_ACCESS_KEY_ID=a",
		"AWS_SECRET_ACCESS_KEY=b",
		"AWS_SESSION_TOKEN=c",
		"AWS_SECURITY_TOKEN=d",
		"AWS_BEARER_TOKEN_BEDROCK=e",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN=f",
		"AWS_REGION=us-west-2",
		"AWS_PROFILE=dev",
		"GITHUB_TOKEN=g",
	}
	cases := []struct {
		name string
		pass []string
		want []string
	}{
		{"default", nil, []string{"PATH=/usr/bin", "AWS_REGION=us-west-2", "AWS_PROFILE=dev", "GITHUB_TOKEN=g"}},
		{"pass through", []string{"AWS_BEARER_TOKEN_BEDROCK"},
			[]string{"PATH=/usr/bin", "AWS_BEARER_TOKEN_BEDROCK=e", "AWS_REGION=us-west-2", "AWS_PROFILE=dev", "GITHUB_TOKEN=g"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			orig := slices.Clone(env)
			got := ScrubEnv(env, tc.pass)
			if !slices.Equal(got, tc.want) {
				t.Errorf("ScrubEnv = %q, want %q", got, tc.want)
			}
			if !slices.Equal(env, orig) {
				t.Errorf("ScrubEnv changed its input")
			}
		})
	}
}

func TestConcurrentAddAndRedact(t *testing.T) {
	r := New()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 50 {
				r.Add(fmt.Sprintf("secret-%d-%03d", i, j))
				_ = r.String("x secret-0-001 y")
			}
		})
	}
	wg.Wait()
	if got := r.String("x secret-3-049 y"); got != "x [REDACTED] y" {
		t.Fatalf("got %q", got)
	}
}

func BenchmarkString(b *testing.B) {
	for _, n := range []int{0, 1, 100} {
		b.Run(fmt.Sprintf("secrets=%d", n), func(b *testing.B) {
			r := New()
			for i := range n {
				r.Add(fmt.Sprintf("%s%04d", secret, i))
			}
			text := strings.Repeat("some ordinary output line with nothing secret in it\n", 200) + secret + "0042"
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				_ = r.String(text)
			}
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	r := New()
	r.Add(keyID)
	r.Add(secret)
	line := []byte("some ordinary output line with nothing secret in it " + keyID + "\n")
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	w := r.Writer(&bytes.Buffer{})
	for b.Loop() {
		if _, err := w.Write(line); err != nil {
			b.Fatal(err)
		}
	}
}
