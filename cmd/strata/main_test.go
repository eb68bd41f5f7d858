package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/cli"
	"github.com/strata-agent/strata/internal/sandbox"
)

// Test keys the emulator in every script accepts. They are not real credentials.
const (
	testKeyID  = "AKIASTRATATEST000001"
	testSecret = "strata-test-secret-key-0123456789"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"strata":     func() { os.Exit(cli.Main()) },
		"bedrocksim": func() { os.Exit(bedrocksim.RunCommand(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
		"mcpserver":  func() { os.Exit(mcpServerMain()) },
	})
}

// TestScript runs testdata/script/*.txtar: the real strata binary against a real emulator.
func TestScript(t *testing.T) {
	goEnv := goCaches(t)
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("..", "..", "testdata", "script"),
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			return setupEnv(env)
		},
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"sim": simCmd, "hooksrv": hookServerCmd},
		RequireExplicitExec: true,
		Condition:           condition,
	})
}

// goCaches returns this process's Go build and module caches (`go env`). Scripts get a fresh
// HOME, and with it the go command would start from an empty build cache: the demo's
// `go test` would then compile the standard library's test dependencies from scratch, slowly
// enough under a parallel `go test ./...` to time out. Sharing the caches is safe: the go
// command locks them. Without a go command the map is empty (the demo script skips itself).
func goCaches(t *testing.T) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "env", "-json", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Logf("go env: %v; scripts run the go command with caches of their own", err)
		return nil
	}
	vars := map[string]string{}
	if err := json.Unmarshal(out, &vars); err != nil {
		t.Fatalf("go env -json: %v", err)
	}
	return vars
}

// condition answers the scripts' own conditions: [root] holds when the tests run as root,
// [sandbox] when the Bash sandbox can run here (bubblewrap, socat, user namespaces).
func condition(cond string) (bool, error) {
	switch cond {
	case "root":
		return os.Geteuid() == 0, nil
	case "sandbox":
		return sandbox.Probe(context.Background()).Available, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// setupEnv gives every script a Bedrock configuration that can only reach the emulator and a
// home, config and state directory of its own.
func setupEnv(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	emptyAWS := filepath.Join(env.WorkDir, ".aws-empty")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(emptyAWS, nil, 0o600); err != nil {
		return err
	}
	for k, v := range map[string]string{
		"HOME": home, "CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": testKeyID, "AWS_SECRET_ACCESS_KEY": testSecret,
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": emptyAWS, "AWS_SHARED_CREDENTIALS_FILE": emptyAWS,
		"XDG_STATE_HOME": filepath.Join(env.WorkDir, "state"), "CLAUDE_CONFIG_DIR": filepath.Join(home, ".claude"),
		"TEST_KEY_ID": testKeyID, "TEST_SECRET": testSecret,
	} {
		env.Setenv(k, v)
	}
	return nil
}

// simCmd starts an emulator for the rest of the script: `sim [bedrocksim flags]`. It accepts
// the test keys, logs every request to $WORK/sim.log, and points ANTHROPIC_BEDROCK_BASE_URL
// (and $SIM_URL) at itself.
func simCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! sim")
	}
	args = append([]string{"--key", testKeyID + ":" + testSecret, "--log", ts.MkAbs("sim.log")}, args...)
	for i, a := range args {
		if a == "--script" && i+1 < len(args) {
			args[i+1] = expandScript(ts, args[i+1])
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- bedrocksim.RunCommand(ctx, args, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		ts.Fatalf("bedrocksim did not start (exit %d): %s", <-done, stderr.String())
	}
	go io.Copy(io.Discard, pr) //nolint:errcheck // drain anything else it prints
	url := strings.TrimSpace(line)
	ts.Setenv("SIM_URL", url)
	ts.Setenv("ANTHROPIC_BEDROCK_BASE_URL", url)
	ts.Defer(func() {
		cancel()
		if code := <-done; code != 0 {
			fmt.Fprintf(os.Stderr, "bedrocksim exited %d: %s\n", code, stderr.String())
		}
	})
}

// hookServerCmd starts an HTTP server for http hooks for the rest of the script:
// `hooksrv answer.json` answers every POST with that file's contents (status 200), appends
// each request body as a line to $WORK/hooksrv.log, and sets $HOOK_URL. It listens on
// 127.0.0.1 only and stops with the script.
func hookServerCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: hooksrv answer.json")
	}
	answer, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	logPath := ts.MkAbs("hooksrv.log")
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%s %s auth=%s\n", r.Method, body, r.Header.Get("Authorization"))
			f.Close()
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write(answer) //nolint:errcheck // the client's problem
	}))
	ts.Setenv("HOOK_URL", srv.URL+"/hook")
	ts.Defer(srv.Close)
}

// expandScript writes a copy of a scripted-model file with $WORK replaced by the script's
// work directory, so scripted tool calls can name absolute paths.
func expandScript(ts *testscript.TestScript, name string) string {
	data, err := os.ReadFile(ts.MkAbs(name))
	ts.Check(err)
	out := ts.MkAbs(".expanded-" + filepath.Base(name))
	ts.Check(os.WriteFile(out, []byte(strings.ReplaceAll(string(data), "$WORK", ts.Getenv("WORK"))), 0o644))
	return out
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
