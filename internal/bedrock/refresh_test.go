package bedrock

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

const (
	oldKey = "AKIAOLDKEY0000000001"
	oldSec = "old-secret-key-0000000000000001"
	newKey = "AKIANEWKEY0000000002"
	newSec = "new-secret-key-0000000000000002"
)

// rejectKey answers ExpiredTokenException to requests signed with akid and streams an answer
// to every other request.
func rejectKey(akid string) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Authorization"), "Credential="+akid+"/") {
			errorReply(403, "ExpiredTokenException", "The security token included in the request is expired")(w, r)
			return
		}
		streamReply(textEvents("ok")...)(w, r)
	}
}

// countingExport writes an awsCredentialExport script that counts its runs in a file and
// prints, per run, the key pair and expiration given by creds(run).
func countingExport(t *testing.T, dir string, lines ...string) (cmd, counter string) {
	counter = filepath.Join(dir, "export-runs")
	var body strings.Builder
	body.WriteString("n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter + "\n")
	for i, line := range lines {
		body.WriteString("if [ $n -ge " + strconv.Itoa(i+1) + " ]; then out='" + line + "'; fi\n")
	}
	body.WriteString("echo \"$out\"\n")
	return script(t, dir, "export.sh", body.String()), counter
}

func exportJSONFor(akid, secret, expiration string) string {
	s := `{"Credentials":{"AccessKeyId":"` + akid + `","SecretAccessKey":"` + secret + `","SessionToken":"tok-` + akid + `"`
	if expiration != "" {
		s += `,"Expiration":"` + expiration + `"`
	}
	return s + `}}`
}

func runs(t *testing.T, counter string) int {
	b, err := os.ReadFile(counter)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// B12/B14: Bedrock rejects the exported credentials → the export runs again → success.
func TestRefreshExportAfterRejection(t *testing.T) {
	e := newTestEnv(t)
	cmd, counter := countingExport(t, e.dir, exportJSONFor(oldKey, oldSec, ""), exportJSONFor(newKey, newSec, ""))
	f := newFake(t, false, rejectKey(oldKey))
	c := fakeClient(t, e, f, SettingsView{AWSCredentialExport: cmd}, nil)
	n := &notices{}
	if text, err := ask(t, n.ctx(context.Background()), c, "hi"); err != nil || text != "ok" {
		t.Fatalf("text %q err %v", text, err)
	}
	if got := runs(t, counter); got != 2 {
		t.Errorf("export ran %d times, want 2", got)
	}
	reqs := f.recorded()
	if len(reqs) != 2 || !strings.Contains(reqs[1].Header.Get("Authorization"), newKey) {
		t.Errorf("requests %d; the retry must use the new key", len(reqs))
	}
	mustContain(t, "notices", n.text(), "rejected by Bedrock", "refreshed")
}

// B14: credentials that expired locally are refreshed before anything is sent.
func TestRefreshLocalExpiry(t *testing.T) {
	e := newTestEnv(t)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	cmd, counter := countingExport(t, e.dir, exportJSONFor(oldKey, oldSec, past), exportJSONFor(newKey, newSec, future))
	f := newFake(t, false, rejectKey(oldKey))
	c := fakeClient(t, e, f, SettingsView{AWSCredentialExport: cmd}, nil)
	if _, err := ask(t, context.Background(), c, "hi"); err != nil {
		t.Fatal(err)
	}
	reqs := f.recorded()
	if len(reqs) != 1 || !strings.Contains(reqs[0].Header.Get("Authorization"), newKey) {
		t.Errorf("%d requests; only one, signed with the fresh key, was expected", len(reqs))
	}
	if got := runs(t, counter); got < 2 {
		t.Errorf("export ran %d times", got)
	}
}

// B13: awsAuthRefresh runs with its output shown, rewrites the credentials file, and the AWS
// configuration is loaded again.
func TestRefreshAuthCommandReloadsConfig(t *testing.T) {
	e := newTestEnv(t)
	e.set("AWS_PROFILE", "work")
	creds := e.write("aws-credentials", "[work]\naws_access_key_id = "+oldKey+"\naws_secret_access_key = "+oldSec+"\n")
	counter := filepath.Join(e.dir, "refresh-runs")
	refresh := script(t, e.dir, "login.sh", "echo run >> "+counter+"\n"+
		"echo 'Attempting to open your browser: https://device.sso.example.com/?user_code=ABCD-EFGH'\n"+
		"echo 'waiting for approval' >&2\n"+
		"printf '[work]\\naws_access_key_id = "+newKey+"\\naws_secret_access_key = "+newSec+"\\n' > "+creds+"\n"+
		"printf 'Successfully logged into Start URL'\n")
	f := newFake(t, false, rejectKey(oldKey))
	var stderr bytes.Buffer
	e.set("ANTHROPIC_BEDROCK_BASE_URL", f.srv.URL)
	cfg := e.config(SettingsView{AWSAuthRefresh: refresh, AWSAuthRefreshSource: "/home/u/.claude/settings.json"})
	opts := fastOptions(f)
	opts.Stderr = &stderr
	c, err := New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	n := &notices{}
	if _, err := ask(t, n.ctx(context.Background()), c, "hi"); err != nil {
		t.Fatalf("%v\n%s", err, n.text())
	}
	if stderr.Len() != 0 { // the observer shows the lines; writing them too printed them twice
		t.Errorf("with an observer, stderr got %q", stderr.String())
	}
	var outputLines []string
	for _, x := range n.list {
		if x.Kind == llm.NoticeRefreshOutput {
			outputLines = append(outputLines, x.Text)
		}
	}
	mustContain(t, "notices", strings.Join(outputLines, "\n"), "user_code=ABCD-EFGH", "waiting for approval", "Successfully logged into Start URL")
	if len(outputLines) != 3 {
		t.Errorf("refresh output notices %q", outputLines)
	}
	if b, _ := os.ReadFile(counter); strings.Count(string(b), "run") != 1 {
		t.Errorf("refresh ran %q", b)
	}
	reqs := f.recorded()
	if len(reqs) != 2 || !strings.Contains(reqs[1].Header.Get("Authorization"), newKey) {
		t.Errorf("%d requests; the retry must use the reloaded key", len(reqs))
	}
}

// Refresh failures are reported clearly, name the setting, and never loop (B12–B14).
func TestRefreshFailures(t *testing.T) {
	tests := []struct {
		name     string
		auth     string // awsAuthRefresh script body, "" for none
		export   []string
		requests int
		want     []string
	}{
		{"auth command fails", "echo 'SSO session not found' >&2\nexit 2\n", nil, 1,
			[]string{"awsAuthRefresh", "exit status 2", "SSO session not found", "run it yourself"}},
		{"auth command hangs", "echo 'waiting'\nsleep 30\n", nil, 1,
			[]string{"awsAuthRefresh", "did not finish within 300ms"}},
		{"export prints bad JSON on refresh", "", []string{exportJSONFor(oldKey, oldSec, ""), "not json at all"}, 1,
			[]string{"awsCredentialExport", "not a JSON object", `{"Credentials"`}},
		{"still rejected after refresh", "", []string{exportJSONFor(oldKey, oldSec, "")}, 2,
			[]string{"Even after refreshing them", "awsCredentialExport", "aws sts get-caller-identity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			s := SettingsView{}
			if tt.auth != "" {
				e.keys(oldKey, oldSec, "")
				s.AWSAuthRefresh = script(t, e.dir, "auth.sh", tt.auth)
			}
			var counter string
			if tt.export != nil {
				s.AWSCredentialExport, counter = countingExport(t, e.dir, tt.export...)
			}
			f := newFake(t, false, rejectKey(oldKey))
			c := fakeClient(t, e, f, s, func(c *Config) {
				if strings.Contains(tt.name, "hangs") { // short only where it must fire
					c.RefreshTimeout = 300 * time.Millisecond
				}
			})
			start := time.Now()
			_, err := ask(t, context.Background(), c, "hi")
			if llm.KindOf(err) != llm.ErrCredentials {
				t.Fatalf("error %v, want ErrCredentials", err)
			}
			t.Log(err)
			mustContain(t, "error", err.Error(), tt.want...)
			mustNotContain(t, "error", err.Error(), oldSec, newSec)
			if got := len(f.recorded()); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			if counter != "" && runs(t, counter) > 2 {
				t.Errorf("export ran %d times: a refresh loop", runs(t, counter))
			}
			if time.Since(start) > 15*time.Second {
				t.Errorf("a hung refresh was not stopped")
			}
		})
	}
}

// B14: concurrent requests that all fail with expired credentials share one refresh.
func TestRefreshSingleFlight(t *testing.T) {
	e := newTestEnv(t)
	cmd, counter := countingExport(t, e.dir, exportJSONFor(oldKey, oldSec, ""), exportJSONFor(newKey, newSec, ""))
	authCounter := filepath.Join(e.dir, "auth-runs")
	auth := script(t, e.dir, "auth.sh", "sleep 0.2\necho x >> "+authCounter+"\n")
	f := newFake(t, false, rejectKey(oldKey))
	c := fakeClient(t, e, f, SettingsView{AWSCredentialExport: cmd, AWSAuthRefresh: auth}, nil)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = ask(t, context.Background(), c, "hi")
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	b, _ := os.ReadFile(authCounter)
	if got := strings.Count(string(b), "x"); got != 1 {
		t.Errorf("awsAuthRefresh ran %d times, want 1", got)
	}
	if got := runs(t, counter); got != 2 {
		t.Errorf("awsCredentialExport ran %d times, want 2 (first load, one refresh)", got)
	}
}

// Without refresh settings, an expired SSO session is reported with the login command.
func TestExpiredSSOWithoutSettings(t *testing.T) {
	e := newTestEnv(t)
	e.set("AWS_PROFILE", "corp")
	e.write("aws-config", "[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n"+
		"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n")
	f := newFake(t, false)
	c := fakeClient(t, e, f, SettingsView{}, nil)
	_, err := ask(t, context.Background(), c, "hi")
	if llm.KindOf(err) != llm.ErrCredentials {
		t.Fatalf("error %v, want ErrCredentials", err)
	}
	t.Log(err)
	mustContain(t, "error", err.Error(), "aws sso login --profile corp", `"awsAuthRefresh": "aws sso login --profile corp"`)
	if len(f.recorded()) != 0 {
		t.Errorf("a request was sent without credentials")
	}
}

// A rejected Bedrock API key is not a refresh case: it is reported with its own fix.
func TestBearerRejectedIsNotRefreshed(t *testing.T) {
	e := newTestEnv(t)
	e.set("AWS_BEARER_TOKEN_BEDROCK", bearerTok)
	refresh := script(t, e.dir, "auth.sh", "echo ran > "+filepath.Join(e.dir, "ran")+"\n")
	f := newFake(t, true, errorReply(403, "UnrecognizedClientException", "The security token included in the request is invalid."))
	c := fakeClient(t, e, f, SettingsView{AWSAuthRefresh: refresh}, nil)
	_, err := ask(t, context.Background(), c, "hi")
	if llm.KindOf(err) != llm.ErrCredentials {
		t.Fatalf("error %v", err)
	}
	mustContain(t, "error", err.Error(), "AWS_BEARER_TOKEN_BEDROCK")
	mustNotContain(t, "error", err.Error(), bearerTok)
	if _, statErr := os.Stat(filepath.Join(e.dir, "ran")); statErr == nil {
		t.Errorf("awsAuthRefresh ran for a bearer token")
	}
}

func TestRefresherGenerations(t *testing.T) {
	var r refresher
	calls := 0
	run := func() ([]string, error) { calls++; return []string{"x"}, nil }
	seen := r.generation()
	if err := r.do(context.Background(), seen, run); err != nil || calls != 1 {
		t.Fatalf("first refresh: %v, %d calls", err, calls)
	}
	// A request that started before that refresh must not run another.
	if err := r.do(context.Background(), seen, run); err != nil || calls != 1 {
		t.Errorf("stale request refreshed again: %d calls", calls)
	}
	// A request that started after it may.
	if err := r.do(context.Background(), r.generation(), run); err != nil || calls != 2 {
		t.Errorf("fresh request could not refresh: %d calls", calls)
	}
	// A refresh abandoned by its caller does not count.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	gen := r.generation()
	r.do(ctx, gen, run)
	if r.generation() != gen {
		t.Errorf("an abandoned refresh bumped the generation")
	}
}

// Credentials valid for 90 more seconds are used as they are: only the last minute before
// the expiry counts as expired (the credentials cache moves Expires by that window already).
func TestCredentialsValidForMinutesAreNotRefreshed(t *testing.T) {
	e := newTestEnv(t)
	soon := time.Now().Add(90 * time.Second).UTC().Format(time.RFC3339)
	later := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	cmd, counter := countingExport(t, e.dir, exportJSONFor(oldKey, oldSec, soon), exportJSONFor(newKey, newSec, later))
	f := newFake(t, false)
	c := fakeClient(t, e, f, SettingsView{AWSCredentialExport: cmd}, nil)
	if _, err := ask(t, context.Background(), c, "hi"); err != nil {
		t.Fatal(err)
	}
	reqs := f.recorded()
	if len(reqs) != 1 || !strings.Contains(reqs[0].Header.Get("Authorization"), oldKey) {
		t.Errorf("%d requests; one, signed with the still-valid key, was expected", len(reqs))
	}
	if got := runs(t, counter); got != 1 {
		t.Errorf("export ran %d times; credentials valid for 90 s were refreshed", got)
	}
}

// B14 without refresh commands: credentials renewed outside strata (a rewritten
// ~/.aws/credentials) are picked up by reloading the configuration, and the request retried.
func TestCredentialsRenewedOutsideStrataArePickedUp(t *testing.T) {
	e := newTestEnv(t)
	e.set("AWS_PROFILE", "work")
	creds := e.write("aws-credentials", "[work]\naws_access_key_id = "+oldKey+"\naws_secret_access_key = "+oldSec+"\n")
	f := newFake(t, false, rejectKey(oldKey))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	if _, err := ask(t, context.Background(), c, "hi"); err == nil {
		t.Fatal("the old key was accepted")
	}
	if err := os.WriteFile(creds, []byte("[work]\naws_access_key_id = "+newKey+"\naws_secret_access_key = "+newSec+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ask(t, context.Background(), c, "again"); err != nil {
		t.Fatalf("renewed credentials not picked up: %v", err)
	}
	reqs := f.recorded()
	if last := reqs[len(reqs)-1]; !strings.Contains(last.Header.Get("Authorization"), newKey) {
		t.Errorf("the retry was not signed with the renewed key")
	}
}

// A failed refresh is the answer for the rest of its turn, even for requests that started
// after it; the next turn may refresh again.
func TestRefresherRemembersFailureForTheTurn(t *testing.T) {
	var r refresher
	calls := 0
	fail := func() ([]string, error) { calls++; return []string{"x"}, errors.New("login hung") }
	turn := llm.WithTurn(context.Background())
	if err := r.do(turn, r.generation(), fail); err == nil || calls != 1 {
		t.Fatalf("first refresh: %v, %d calls", err, calls)
	}
	if err := r.do(turn, r.generation(), fail); err == nil || calls != 1 {
		t.Errorf("a later request of the same turn ran the refresh again: %d calls", calls)
	}
	if err := r.do(llm.WithTurn(context.Background()), r.generation(), fail); err == nil || calls != 2 {
		t.Errorf("the next turn could not refresh: %d calls", calls)
	}
}
