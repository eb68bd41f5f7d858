package bedrock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/redact"
)

const (
	exportKey    = "ASIAEXPORTKEY0000001"
	exportSecret = "export-secret-value-0000000001"
	exportToken  = "export-session-token-0000000001"
)

func TestParseExport(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		problem string
		expires bool
	}{
		{"sts form", `{"Credentials":{"AccessKeyId":"` + exportKey + `","SecretAccessKey":"` + exportSecret +
			`","SessionToken":"` + exportToken + `","Expiration":"2026-11-24T13:00:00+00:00"}}`, "", true},
		{"process form", `{"Version":1,"AccessKeyId":"` + exportKey + `","SecretAccessKey":"` + exportSecret +
			`","SessionToken":"` + exportToken + `","Expiration":"2026-11-24T13:00:00Z"}`, "", true},
		{"no expiration", `{"Credentials":{"AccessKeyId":"` + exportKey + `","SecretAccessKey":"` + exportSecret + `"}}`, "", false},
		{"empty", "  \n", "printed nothing", false},
		{"not json", "AccessKeyId=" + exportKey, "not a JSON object", false},
		{"missing secret", `{"Credentials":{"AccessKeyId":"` + exportKey + `"}}`, "without Credentials.SecretAccessKey", false},
		{"missing both flat", `{"Version":1}`, "without AccessKeyId and SecretAccessKey", false},
		{"bad expiration", `{"Credentials":{"AccessKeyId":"a","SecretAccessKey":"b","Expiration":"tomorrow"}}`,
			"Credentials.Expiration that is not an RFC 3339 time", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds, problem := parseExport([]byte(tt.out))
			if tt.problem != "" {
				mustContain(t, "problem", problem, tt.problem)
				mustNotContain(t, "problem", problem, exportKey, exportSecret, exportToken)
				return
			}
			if problem != "" {
				t.Fatalf("problem %q", problem)
			}
			if creds.AccessKeyID != exportKey || creds.SecretAccessKey != exportSecret || creds.CanExpire != tt.expires {
				t.Errorf("credentials %+v", creds)
			}
			if tt.expires && !creds.Expires.Equal(time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)) {
				t.Errorf("expires %v", creds.Expires)
			}
		})
	}
}

// script writes an executable shell script and returns the command that runs it.
func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// The export command runs through sh: failures name the setting and the problem, carry stderr
// but never stdout, and a hung command is killed.
func TestExportProvider(t *testing.T) {
	dir := t.TempDir()
	good := `echo '{"Credentials":{"AccessKeyId":"` + exportKey + `","SecretAccessKey":"` + exportSecret + `","SessionToken":"` + exportToken + `"}}'`
	tests := []struct {
		name    string
		body    string
		timeout time.Duration
		want    []string
	}{
		{"ok", good + "\necho 'note on stderr' >&2\n", time.Minute, nil},
		{"exit status", "echo '" + exportSecret + "'\necho 'token expired, run login' >&2\nexit 3\n", time.Minute,
			[]string{"awsCredentialExport", "exit status 3", "token expired, run login"}},
		{"bad json", "echo 'AccessKeyId=" + exportKey + " Secret=" + exportSecret + "'\n", time.Minute,
			[]string{"awsCredentialExport", "not a JSON object"}},
		{"missing field", `echo '{"Credentials":{"SecretAccessKey":"` + exportSecret + `"}}'` + "\n", time.Minute,
			[]string{"awsCredentialExport", "without Credentials.AccessKeyId"}},
		{"hangs", "sleep 30 &\nsleep 30\n", 200 * time.Millisecond,
			[]string{"awsCredentialExport", "did not finish within 200ms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &exportProvider{command: script(t, dir, strings.ReplaceAll(tt.name, " ", "_")+".sh", tt.body), source: "/p/settings.json",
				timeout: tt.timeout, run: shellRunner(os.Environ(), nil), secrets: &secrets{r: redact.New()}}
			start := time.Now()
			creds, err := p.Retrieve(context.Background())
			if tt.want == nil {
				if err != nil || creds.SessionToken != exportToken {
					t.Fatalf("creds %v err %v", creds.AccessKeyID, err)
				}
				if got := p.secrets.scrub("x " + exportSecret); strings.Contains(got, exportSecret) {
					t.Errorf("retrieved secret not registered for scrubbing")
				}
				return
			}
			var ce *CommandError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a CommandError", err)
			}
			mustContain(t, "error", err.Error(), tt.want...)
			mustContain(t, "error", err.Error(), "/p/settings.json")
			mustNotContain(t, "error", err.Error(), exportKey, exportSecret, exportToken)
			if time.Since(start) > 10*time.Second {
				t.Errorf("the hung command was not stopped in time")
			}
		})
	}
}

func TestLineWriter(t *testing.T) {
	var got []string
	w := &lineWriter{emit: func(s string) { got = append(got, s) }}
	w.Write([]byte("one\ntw"))
	w.Write([]byte("o\r\nthree"))
	w.Flush()
	if strings.Join(got, "|") != "one|two|three" {
		t.Errorf("lines %q", got)
	}
}
