package soak

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/session"
)

var (
	crashRuns = flag.Int("crash.runs", 6, "sessions the crash suite kills (make crash: 100)")
	crashSeed = flag.Uint64("crash.seed", 0, "the crash suite's random seed; 0 draws one")
)

const crashKey, crashSecret = "AKIDCRASHSUITE000001", "crash-suite-secret"

// crashSteps is how many tool calls the killed session makes before its answer.
const crashSteps = 6

// crashScript plays a session long enough to be killed anywhere: a chain of Bash calls, each
// answer streamed slowly with some text first, then a final answer. A prompt that says
// RESUMED is answered at once, whatever the history ends with (the resume turn comes first).
func crashScript(t *testing.T) *bedrocksim.Script {
	words := strings.Repeat("thinking about the next step ", 8)
	turns := []any{map[string]any{"name": "resumed", "repeat": true,
		"when": map[string]any{"user_text_contains": "RESUMED"}, "content": "RESUME-OK"}}
	for k := 0; k <= crashSteps; k++ {
		when := map[string]any{"user_text_contains": "CRASH-RUN"}
		if k > 0 {
			when = map[string]any{"tool_result_contains": fmt.Sprintf("STEP-%d.", k)}
		}
		var content any = "CRASH-DONE"
		if k < crashSteps {
			content = []any{map[string]any{"type": "text", "text": words},
				map[string]any{"type": "tool_use", "name": "Bash", "input": map[string]any{
					"command": fmt.Sprintf("sleep 0.02; echo STEP-%d.", k+1), "description": "next step"}}}
		}
		turns = append(turns, map[string]any{"repeat": true, "when": when, "content": content})
	}
	doc, _ := json.Marshal(map[string]any{"turns": turns, "on_exhausted": "error"})
	sc, err := bedrocksim.ParseScript(doc, "crash.json")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestCrash kills strata with SIGKILL at a random moment of a session, then checks that the
// transcript reads and that `strata -c -p` continues it.
func TestCrash(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	defer func() {
		if t.Failed() {
			t.Logf("the crash suite failed with seed %d: go test ./internal/soak -run TestCrash -crash.seed=%d -crash.runs=%d",
				seed, seed, *crashRuns)
		}
	}()
	rng := rand.New(rand.NewPCG(seed, seed^0xc4a5))
	bin := buildStrata(t)
	srv, err := bedrocksim.Start(bedrocksim.Config{Script: crashScript(t),
		Keys:    []bedrocksim.Credential{{AccessKeyID: crashKey, SecretAccessKey: crashSecret}},
		Latency: bedrocksim.Latency{PerToken: 200 * time.Microsecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	// One whole session first: how long it takes bounds where the kills land.
	whole := newCrashWorld(t, bin, srv)
	start := time.Now()
	if out, err := whole.strata("-p", "--allowedTools", "Bash", "CRASH-RUN").CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "CRASH-DONE") {
		t.Fatalf("the uninterrupted session failed: %v\n%s", err, out)
	}
	span := time.Since(start)
	// Runs go on until crashRuns sessions were really killed (one that ended before its kill
	// is checked too, but not counted), with a bound in case the sessions get much faster.
	tally := map[string]int{}
	for i := 0; tally["killed"] < *crashRuns && i < 3**crashRuns && !t.Failed(); i++ {
		w := newCrashWorld(t, bin, srv)
		at := time.Duration(rng.Int64N(int64(span)))
		what := w.crashAt(t, at)
		tally[what]++
		tally[w.checkResumes(t, i, at, what)]++
	}
	t.Logf("seed %d: over a %v session: %v", seed, span.Round(time.Millisecond), tally)
	if tally["killed"] < *crashRuns && !t.Failed() {
		t.Errorf("only %d of %d sessions were killed before they ended", tally["killed"], *crashRuns)
	}
}

// buildStrata builds the real binary once for the suite.
func buildStrata(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "strata")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/strata-agent/strata/cmd/strata")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// crashWorld is one killed session's home, configuration and project.
type crashWorld struct {
	bin, home, config, project string
	env                        []string
	srv                        *bedrocksim.Server
}

func newCrashWorld(t *testing.T, bin string, srv *bedrocksim.Server) *crashWorld {
	home, url := t.TempDir(), srv.URL()
	w := &crashWorld{bin: bin, srv: srv, home: home, config: filepath.Join(home, ".claude"), project: filepath.Join(home, "project")}
	if err := os.MkdirAll(w.project, 0o755); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(home, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	w.env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "CLAUDE_CONFIG_DIR=" + w.config,
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=" + crashKey, "AWS_SECRET_ACCESS_KEY=" + crashSecret, "ANTHROPIC_BEDROCK_BASE_URL=" + url,
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=" + empty, "AWS_SHARED_CREDENTIALS_FILE=" + empty}
	return w
}

func (w *crashWorld) strata(args ...string) *exec.Cmd {
	cmd := exec.Command(w.bin, args...)
	cmd.Dir, cmd.Env = w.project, w.env
	return cmd
}

// crashAt starts the session and kills it after d; it says whether the kill came before the
// session ended.
func (w *crashWorld) crashAt(t *testing.T, d time.Duration) string {
	cmd := w.strata("-p", "--allowedTools", "Bash", "CRASH-RUN")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the session failed before the kill: %v\n%s", err, out.String())
		}
		return "ended before the kill"
	case <-time.After(d):
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
	return "killed"
}

// checkResumes reads every transcript the session left and continues the latest. It says
// how far the session had come: whether it had a transcript, and a complete last line.
func (w *crashWorld) checkResumes(t *testing.T, i int, at time.Duration, what string) string {
	where := fmt.Sprintf("run %d (kill at %v, %s)", i, at.Round(time.Millisecond), what)
	files, _ := filepath.Glob(filepath.Join(w.config, "projects", "*", "*.jsonl"))
	if len(files) > 1 {
		t.Fatalf("%s: %d transcripts for one session", where, len(files))
	}
	if len(files) == 0 || empty(files[0]) {
		// Killed before the first line was written (the file may exist, empty): there is
		// nothing to continue, and strata must say so.
		out, err := w.strata("-c", "-p", "RESUMED").CombinedOutput()
		if err == nil || !strings.Contains(strings.ToLower(string(out)), "no") {
			t.Errorf("%s: -c without a transcript: %v\n%s", where, err, out)
		}
		if len(files) > 0 {
			return "empty transcript"
		}
		return "no transcript yet"
	}
	state := "transcript whole"
	before, _ := os.ReadFile(files[0])
	if !bytes.HasSuffix(before, []byte("\n")) {
		state = "last line cut"
	}
	checkCutOnlyAtEnd(t, where, files[0])
	w.readAsResume(t, where, files[0])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, "-c", "-p", "RESUMED")
	cmd.Dir, cmd.Env = w.project, w.env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "RESUME-OK") {
		data, _ := os.ReadFile(files[0])
		t.Fatalf("%s: -c did not resume: %v\n%s\ntranscript:\n%s", where, err, out, data)
	}
	// The conversation went with the resumed prompt: the request that answered it carries the
	// first prompt too, once the transcript holds it.
	reqs := w.srv.Requests()
	body := string(reqs[len(reqs)-1].Body)
	if !strings.Contains(body, "RESUMED") || bytes.Contains(before, []byte("CRASH-RUN")) && !strings.Contains(body, "CRASH-RUN") {
		t.Errorf("%s: the resumed request does not carry the conversation: %.500s", where, body)
	}
	checkCutOnlyAtEnd(t, where+" after resuming", files[0])
	if data, _ := os.ReadFile(files[0]); !bytes.HasSuffix(data, []byte("\n")) || !bytes.Contains(data, []byte("RESUME-OK")) {
		t.Errorf("%s: the resumed session's answer is not the transcript's last line", where)
	}
	return state
}

func empty(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Size() == 0
}

// checkCutOnlyAtEnd: a kill may cut the line being written, and only that one.
func checkCutOnlyAtEnd(t *testing.T, where, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	for n, line := range lines {
		if !json.Valid(line) && n < len(lines)-1 {
			t.Errorf("%s: %s:%d is damaged and is not the last line: %.200s", where, path, n+1, line)
		}
	}
}

// readAsResume reads a copy of the transcript with the session package's reader, as a resume
// does (the copy, because resuming repairs a cut last line and strata -c must meet it as the
// kill left it).
func (w *crashWorld) readAsResume(t *testing.T, where, path string) {
	scratch := t.TempDir()
	rel, err := filepath.Rel(w.config, path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(scratch, rel)
	if err := os.MkdirAll(filepath.Dir(cp), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	store := session.Store{Dir: filepath.Join(scratch, "projects")}
	id := strings.TrimSuffix(filepath.Base(path), ".jsonl")
	tr, msgs, err := store.Resume(id, w.project, redact.New())
	if err != nil {
		t.Fatalf("%s: the transcript does not read: %v", where, err)
	}
	tr.Close()
	if len(msgs) > 0 && msgs[0].Role != "user" {
		t.Errorf("%s: the conversation read back starts with %s", where, msgs[0].Role)
	}
}
