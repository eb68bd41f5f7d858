package soak

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/session"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/bash"
	"github.com/strata-agent/strata/internal/tool/builtin"
)

var (
	soakTurns = flag.Int("soak.turns", 60, "prompts the soak sends (make soak: 1000)")
	soakSeed  = flag.Uint64("soak.seed", 0, "the soak's random seed; 0 draws one")
)

const (
	// sessionTurns bounds one conversation: every request carries the whole history, so one
	// conversation of 1,000 turns would spend its time re-sending it.
	sessionTurns = 50
	// idleTimeoutMS is CLAUDE_STREAM_IDLE_TIMEOUT_MS: long enough that a loaded machine
	// (the race detector, CI) never pauses that long between events of a healthy stream.
	idleTimeoutMS = 400
	model         = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
)

// tally is what the whole soak went through.
type tally struct {
	turns, tools, exhausted, requests, refreshes int
	faults                                       map[string]int
}

func TestSoak(t *testing.T) {
	seed := *soakSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	defer func() {
		if t.Failed() {
			t.Logf("the soak failed with seed %d: go test ./internal/soak -run TestSoak -soak.seed=%d -soak.turns=%d",
				seed, seed, *soakTurns)
		}
	}()
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	empty := processEnv(t)
	root := t.TempDir()
	base := takeLeakBaseline()
	st := &tally{faults: map[string]int{}}
	for first := 0; first < *soakTurns && !t.Failed(); first += sessionTurns {
		var plans []plan
		for n := first; n < min(first+sessionTurns, *soakTurns); n++ {
			plans = append(plans, newPlan(rng, n))
		}
		runSession(t, filepath.Join(root, prompt(first)), empty, plans, st)
	}
	checkLeaks(t, base)
	t.Logf("seed %d: %d turns (%d with a tool, %d that outlived their retries), %d model requests, "+
		"%d credential refreshes, faults %v", seed, st.turns, st.tools, st.exhausted, st.requests, st.refreshes, st.faults)
}

// processEnv clears what the AWS SDK would read from the process environment besides what the
// soak gives it, and returns an empty file for its configuration files.
func processEnv(t *testing.T) string {
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_BEARER_TOKEN_BEDROCK", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL",
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_CA_BUNDLE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	return empty
}

// keyring plays awsCredentialExport: each run hands out a fresh key pair and tells the
// emulator about it, as a credential service would issue new temporary credentials.
type keyring struct {
	mu  sync.Mutex
	srv *bedrocksim.Server
	n   int
}

func (k *keyring) export(_ context.Context, _ string, stdout, _ io.Writer) error {
	k.mu.Lock()
	k.n++
	id := fmt.Sprintf("AKIDSOAK%012d", k.n)
	k.mu.Unlock()
	cred := bedrocksim.Credential{AccessKeyID: id, SecretAccessKey: "soak-secret-" + id, SessionToken: "soak-token-" + id}
	k.srv.AddKey(cred)
	return json.NewEncoder(stdout).Encode(map[string]any{"Credentials": map[string]string{
		"AccessKeyId": cred.AccessKeyID, "SecretAccessKey": cred.SecretAccessKey, "SessionToken": cred.SessionToken}})
}

// runSession is one conversation of the soak: its own emulator, client, transcript and ledger.
func runSession(t *testing.T, dir, empty string, plans []plan, st *tally) {
	project, ledger := filepath.Join(dir, "project"), filepath.Join(dir, "ledger")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	sc, err := bedrocksim.ParseScript(scriptFor(plans, ledger), "soak.json")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := bedrocksim.Start(bedrocksim.Config{Script: sc})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	keys := &keyring{srv: srv}
	client := newClient(t, srv, empty, keys)
	store := session.Store{Dir: filepath.Join(dir, "projects"), Writer: session.Writer{Version: "soak"}}
	tr, err := store.Create("", project, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	s := agent.New(agent.Config{Client: client, Model: model, System: "You are soaked.",
		Tools: []tool.Tool{bash.New()}, Cwd: project, Environ: []string{"PATH=" + os.Getenv("PATH")},
		ReleaseEnv: builtin.Shutdown, Permissions: &permission.Checker{Mode: permission.ModeBypass},
		Transcript: tr, SessionID: tr.ID(), TranscriptPath: tr.Path()}, nil)
	for _, p := range plans {
		runTurn(t, s, p, st)
	}
	s.Close()
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	checkTranscript(t, store, tr.ID(), project, s.Messages(), plans)
	checkLedger(t, ledger, plans)
	checkRequests(t, srv, plans, st)
	expired := 0
	for _, p := range plans {
		expired += count(p.first, "expire_credentials") + count(p.second, "expire_credentials")
	}
	// The first export gives the first key; each expiry costs exactly one more.
	if keys.n != expired+1 {
		t.Errorf("credentials were exported %d times for %d expiries (want one more than the expiries)", keys.n, expired)
	}
	st.refreshes += keys.n - 1
}

func newClient(t *testing.T, srv *bedrocksim.Server, empty string, keys *keyring) *bedrock.Client {
	env := map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
		"ANTHROPIC_BEDROCK_BASE_URL": srv.URL(), "ANTHROPIC_MODEL": model,
		"CLAUDE_CODE_MAX_RETRIES": fmt.Sprint(maxRetries), "CLAUDE_STREAM_IDLE_TIMEOUT_MS": fmt.Sprint(idleTimeoutMS),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty}
	cfg, err := bedrock.LoadConfig(func(k string) string { return env[k] },
		bedrock.SettingsView{AWSCredentialExport: "soak-export"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := bedrock.New(context.Background(), cfg, bedrock.Options{RunCommand: keys.export,
		BackoffBase: time.Millisecond, BackoffMax: 8 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runTurn sends one prompt. A turn scripted to outlive its retries must fail with an error
// that says what happened and how often it was tried; the user then asks again, and the
// conversation carries on from where it stopped.
func runTurn(t *testing.T, s *agent.Session, p plan, st *tally) {
	st.turns++
	if p.tool {
		st.tools++
	}
	res, err := s.Run(context.Background(), []llm.ContentBlock{llm.TextBlock(prompt(p.n) + ": carry on")})
	if p.exhaust {
		st.exhausted++
		checkGaveUp(t, p, err)
		res, err = s.Run(context.Background(), []llm.ContentBlock{llm.TextBlock(prompt(p.n) + " again")})
	}
	if err != nil {
		t.Errorf("turn %d (tool %v, faults %v then %v): %v", p.n, p.tool, p.first, p.second, err)
		return
	}
	if res.Text != answer(p.n) {
		t.Errorf("turn %d answered %q, want %q", p.n, res.Text, answer(p.n))
	}
}

func checkGaveUp(t *testing.T, p plan, err error) {
	if err == nil {
		t.Errorf("turn %d: %d failures in a row did not fail the turn", p.n, maxRetries+1)
		return
	}
	msg := err.Error()
	kind := llm.KindOf(err)
	if kind != llm.ErrThrottled && kind != llm.ErrTransient {
		t.Errorf("turn %d: the failure is of kind %v, want throttled or transient: %s", p.n, kind, msg)
	}
	if !strings.Contains(msg, fmt.Sprintf("after %d attempts", maxRetries+1)) || !strings.Contains(msg, model) {
		t.Errorf("turn %d: the failure does not say what was tried and how often: %s", p.n, msg)
	}
	if !strings.Contains(msg, "Throttling") && !strings.Contains(msg, "InternalServer") {
		t.Errorf("turn %d: the failure does not name Bedrock's error: %s", p.n, msg)
	}
}

// checkTranscript reads the transcript back as a resume would and compares it with the
// conversation the session holds; then checks each prompt and answer is there once, in order.
func checkTranscript(t *testing.T, store session.Store, id, project string, held []llm.Message, plans []plan) {
	tr, msgs, err := store.Resume(id, project, redact.New())
	if err != nil {
		t.Fatalf("the transcript does not resume: %v", err)
	}
	tr.Close()
	a, _ := json.Marshal(held)
	b, _ := json.Marshal(msgs)
	if string(a) != string(b) {
		t.Errorf("the resumed conversation differs from the one held:\nheld    %.2000s\nresumed %.2000s", a, b)
	}
	var prompts, answers []string
	for _, m := range msgs {
		for _, blk := range m.Content {
			if blk.Type != llm.TypeText {
				continue
			}
			for _, w := range strings.Fields(blk.Text) {
				w = strings.TrimSuffix(w, ":")
				if strings.HasPrefix(w, "TURN-") && m.Role == llm.RoleUser {
					prompts = append(prompts, w)
				}
				if strings.HasPrefix(w, "ANSWER-") && m.Role == llm.RoleAssistant {
					answers = append(answers, w)
				}
			}
		}
	}
	var wantPrompts, wantAnswers []string
	for _, p := range plans {
		wantPrompts = append(wantPrompts, prompt(p.n))
		if p.exhaust {
			wantPrompts = append(wantPrompts, prompt(p.n))
		}
		wantAnswers = append(wantAnswers, answer(p.n))
	}
	same(t, "prompts in the transcript", prompts, wantPrompts)
	same(t, "answers in the transcript", answers, wantAnswers)
	checkLines(t, tr.Path(), len(wantAnswers))
}

// checkLines counts the assistant lines of the file itself: a retried stream must not leave
// a second line for the same answer, on the chain or off it.
func checkLines(t *testing.T, path string, answers int) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var e struct {
			Type    string `json:"type"`
			Message struct {
				Content json.RawMessage `json:"content"`
			} `json:"message"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%s: a line does not parse: %v", path, err)
		}
		if e.Type != "assistant" {
			continue
		}
		for _, w := range strings.FieldsFunc(string(e.Message.Content), func(r rune) bool { return r == '"' || r == ' ' }) {
			if strings.HasPrefix(w, "ANSWER-") {
				seen[w]++
			}
		}
	}
	if len(seen) != answers {
		t.Errorf("%d answers in the file's lines, want %d", len(seen), answers)
	}
	for w, n := range seen {
		if n != 1 {
			t.Errorf("%s is on %d lines of the transcript", w, n)
		}
	}
}

// checkLedger: every tool turn ran its command exactly once, in order.
func checkLedger(t *testing.T, ledger string, plans []plan) {
	data, err := os.ReadFile(ledger)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var want []string
	for _, p := range plans {
		if p.tool {
			want = append(want, ran(p.n))
		}
	}
	same(t, "tool executions", strings.Fields(string(data)), want)
}

// checkRequests: the emulator saw exactly the model requests the faults call for.
func checkRequests(t *testing.T, srv *bedrocksim.Server, plans []plan, st *tally) {
	got := 0
	for _, r := range srv.Requests() {
		if r.Operation == bedrocksim.OpInvokeStream || r.Operation == bedrocksim.OpInvoke {
			got++
		}
	}
	if want := requests(plans); got != want {
		t.Errorf("the emulator saw %d model requests; the script calls for %d", got, want)
	}
	st.requests += got
	for _, p := range plans {
		for _, f := range append(append([]map[string]any(nil), p.first...), p.second...) {
			st.faults[f["fault"].(string)]++
		}
	}
}

func count(faults []map[string]any, kind string) int {
	n := 0
	for _, f := range faults {
		if f["fault"] == kind {
			n++
		}
	}
	return n
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, " ") == strings.Join(want, " ") {
		return
	}
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("%s: %d, want %d; first difference at %d: %q, want %q", what, len(got), len(want), i, g, w)
			return
		}
	}
}
