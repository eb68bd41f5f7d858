package bash

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/proc/proctest"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

// newEnv returns an Env in a temp dir whose environment holds only PATH and one marker.
func newEnv(t *testing.T) *tool.Env {
	t.Helper()
	env := tool.NewEnv(t.TempDir())
	env.Environ = []string{"PATH=" + os.Getenv("PATH"), "STRATA_TEST_MARKER=present"}
	return env
}

func runTool(t *testing.T, tl tool.Tool, ctx context.Context, env *tool.Env, in any) tool.Result {
	t.Helper()
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tl.Run(ctx, env, raw)
	if err != nil {
		t.Fatalf("Run(%s): %v", raw, err)
	}
	return res
}

func run(t *testing.T, env *tool.Env, command string) tool.Result {
	t.Helper()
	return runTool(t, New(), context.Background(), env, map[string]any{"command": command})
}

func readPID(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil && strings.HasSuffix(string(data), "\n") {
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				t.Fatalf("pid file %s: %v", path, err)
			}
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("pid file %s never written", path)
	return 0
}

func TestOutputAndExitCodes(t *testing.T) {
	tests := []struct {
		name    string
		command string
		want    string
		isErr   bool
	}{
		{"stdout", "echo hello", "hello", false},
		{"no output", "true", "(no output)", false},
		{"interleaved in order", "echo a; echo b >&2; echo c", "a\nb\nc", false},
		{"non-zero exit", "echo oops >&2; exit 3", "oops\nExit code 3", true},
		{"failure without output", "false", "Exit code 1", true},
		{"stdin is empty", "cat; echo done", "done", false},
		{"unicode", `printf 'héllo 世界 🎉\n'`, "héllo 世界 🎉", false},
		{"invalid utf-8 replaced", `printf 'a\377b\n'`, "a\uFFFDb", false},
		{"signal", "kill -9 $$", "Command was killed by signal killed.", true},
		{"syntax error shows only the command", "echo ok\necho (", "ok\nbash: eval: line 2: syntax error near unexpected token `newline'\nbash: eval: line 2: `echo ('\nExit code 2", true},
		{"positional parameters empty", `echo "[$#] [$0]"`, "[0] [bash]", false},
		{"no rc files", "alias | wc -l", "0", false},
	}
	env := newEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, env, tt.command)
			if res.IsError != tt.isErr {
				t.Errorf("IsError = %v, want %v (%q)", res.IsError, tt.isErr, res.Text)
			}
			if !strings.HasPrefix(res.Text, tt.want) {
				t.Errorf("got %q, want it to start with %q", res.Text, tt.want)
			}
		})
	}
}

func TestWorkingDirectoryPersists(t *testing.T) {
	env := newEnv(t)
	root := env.Cwd()
	run(t, env, "mkdir -p 'sub dir/deeper' && cd 'sub dir'")
	if got := run(t, env, "pwd").Text; got != filepath.Join(root, "sub dir") {
		t.Errorf("pwd after cd = %q", got)
	}
	if env.Cwd() != filepath.Join(root, "sub dir") {
		t.Errorf("env cwd = %q", env.Cwd())
	}
	// exit with a status still records where the command ended.
	res := run(t, env, "cd deeper; exit 4")
	if !res.IsError || env.Cwd() != filepath.Join(root, "sub dir", "deeper") {
		t.Errorf("after `cd deeper; exit 4`: cwd %q, result %+v", env.Cwd(), res)
	}
	// A directory that no longer exists when the command ends is not adopted.
	run(t, env, "mkdir ../gone && cd ../gone && rmdir ../gone")
	if env.Cwd() != filepath.Join(root, "sub dir", "deeper") {
		t.Errorf("cwd after its removal = %q, want the previous one", env.Cwd())
	}
}

func TestDeletedWorkingDirectoryFallsBack(t *testing.T) {
	env := newEnv(t)
	root := env.Cwd()
	gone := filepath.Join(root, "a", "b")
	env.SetCwd(gone)
	res := run(t, env, "pwd")
	if res.IsError || !strings.Contains(res.Text, "no longer exists") || !strings.HasSuffix(res.Text, root) {
		t.Errorf("got %+v", res)
	}
	if env.Cwd() != root {
		t.Errorf("cwd = %q, want %q", env.Cwd(), root)
	}
}

func TestEnvironmentIsExactlyEnviron(t *testing.T) {
	t.Setenv("STRATA_SECRET_FROM_PARENT", "must-not-leak")
	env := newEnv(t)
	res := run(t, env, "env")
	if strings.Contains(res.Text, "STRATA_SECRET_FROM_PARENT") || strings.Contains(res.Text, "must-not-leak") {
		t.Fatalf("parent environment leaked: %s", res.Text)
	}
	var names []string
	for _, line := range strings.Split(res.Text, "\n") {
		name, _, _ := strings.Cut(line, "=")
		names = append(names, name)
	}
	slices.Sort(names)
	// PATH and the marker come from Environ, PWD from the tool; bash adds SHLVL and _ itself.
	want := []string{"PATH", "PWD", "SHLVL", "STRATA_TEST_MARKER", "_"}
	if !slices.Equal(names, want) {
		t.Errorf("variables = %q, want %q", names, want)
	}
	env.Environ = nil
	if res := run(t, env, `echo "[$STRATA_TEST_MARKER]"`); res.Text != "[]" {
		t.Errorf("nil Environ: got %q", res.Text)
	}
}

func TestTimeoutKillsProcessGroup(t *testing.T) {
	env := newEnv(t)
	pidFile := filepath.Join(env.Cwd(), "child.pid")
	// The child ignores SIGTERM, so only the SIGKILL after the grace period stops it.
	cmd := fmt.Sprintf("(trap '' TERM; sleep 300) & echo $! > %s; echo started; sleep 300", pidFile)
	res := runTool(t, New(), context.Background(), env, map[string]any{"command": cmd, "timeout": 300})
	if !res.IsError || !strings.Contains(res.Text, "started") || !strings.Contains(res.Text, "timed out after 300 ms") {
		t.Errorf("got %+v", res)
	}
	proctest.WaitGone(t, readPID(t, pidFile))
}

func TestCancelKillsProcessGroup(t *testing.T) {
	env := newEnv(t)
	pidFile := filepath.Join(env.Cwd(), "child.pid")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan tool.Result)
	go func() {
		res, _ := New().Run(ctx, env, json.RawMessage(fmt.Sprintf(`{"command":"sleep 300 & echo $! > %s; wait"}`, pidFile)))
		done <- res
	}()
	pid := readPID(t, pidFile)
	cancel()
	res := <-done
	if !res.IsError || !strings.Contains(res.Text, "interrupted") {
		t.Errorf("got %+v", res)
	}
	proctest.WaitGone(t, pid)
}

func TestBackgroundChildHoldingOutput(t *testing.T) {
	env := newEnv(t)
	pidFile := filepath.Join(env.Cwd(), "child.pid")
	res := run(t, env, fmt.Sprintf("sleep 300 & echo $! > %s; echo parent done", pidFile))
	pid := readPID(t, pidFile)
	defer proctest.Kill(pid)
	if res.IsError || !strings.HasPrefix(res.Text, "parent done") || !strings.Contains(res.Text, "run_in_background") {
		t.Errorf("got %+v", res)
	}
}

func TestOutputCap(t *testing.T) {
	env := newEnv(t)
	res := run(t, env, "echo BEGIN; head -c 200000 /dev/zero | tr '\\0' 'a'; echo; echo END")
	if len(res.Text) > outputHead+outputTail+200 {
		t.Errorf("output is %d bytes", len(res.Text))
	}
	if !strings.HasPrefix(res.Text, "BEGIN\naaa") || !strings.HasSuffix(res.Text, "aaa\nEND") {
		t.Errorf("head or tail lost: %q … %q", res.Text[:20], res.Text[len(res.Text)-20:])
	}
	if !strings.Contains(res.Text, "bytes of output cut") || !strings.Contains(res.Text, "200011 bytes in total") {
		t.Errorf("cut not reported")
	}
}

func TestInputChecks(t *testing.T) {
	env := newEnv(t)
	tests := []struct {
		in      any
		isErr   bool
		contain string
	}{
		{map[string]any{"command": ""}, true, "command is required"},
		{map[string]any{"command": "true", "timeout": 0}, true, "positive"},
		{map[string]any{"command": "true", "timeout": 900000}, false, "600000 ms was used"},
		{map[string]any{"command": "true", "cwd": "/"}, true, "cwd"},
		{map[string]any{"command": "true", "timeout": "10"}, true, "timeout"},
	}
	for _, tt := range tests {
		res := runTool(t, New(), context.Background(), env, tt.in)
		if res.IsError != tt.isErr || !strings.Contains(res.Text, tt.contain) {
			t.Errorf("input %v: got %+v", tt.in, res)
		}
	}
}

func TestSchemasMatchInputs(t *testing.T) {
	for _, c := range []struct {
		tl       tool.Tool
		v        any
		name     string
		readOnly bool
	}{
		{New(), input{}, "Bash", false},
		{NewBashOutput(), outputInput{}, "BashOutput", true},
		{NewKillShell(), killInput{}, "KillShell", false},
	} {
		if err := fsutil.CheckSchema(c.tl.InputSchema(), c.v); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.tl.Name() != c.name || c.tl.ConcurrencySafe() != c.readOnly || c.tl.Description() == "" {
			t.Errorf("%s: name, read-only flag or description wrong", c.name)
		}
	}
}

// BenchmarkBashEcho measures the cost of one foreground call: starting bash, running a
// trivial command and learning the working directory.
func BenchmarkBashEcho(b *testing.B) {
	env := tool.NewEnv(b.TempDir())
	env.Environ = []string{"PATH=" + os.Getenv("PATH")}
	tl := New()
	in := json.RawMessage(`{"command":"echo hi"}`)
	for b.Loop() {
		res, err := tl.Run(context.Background(), env, in)
		if err != nil || res.Text != "hi" {
			b.Fatal(err, res.Text)
		}
	}
}

// What hooks left in CLAUDE_ENV_FILE (tool.Env.ShellEnv) is run before each command, in its
// shell: its exports reach foreground commands and background jobs, read afresh each time.
func TestShellEnvRunsBeforeEachCommand(t *testing.T) {
	env := newEnv(t)
	script := "export FROM_HOOK='one two'"
	env.ShellEnv = func() string { return script }
	if res := run(t, env, `echo "[$FROM_HOOK] [$1]"`); res.Text != "[one two] []" {
		t.Fatalf("got %q", res.Text)
	}
	script = "export FROM_HOOK=changed"
	if res := run(t, env, `echo "[$FROM_HOOK]"; cd ..`); res.Text != "[changed]" {
		t.Fatalf("got %q", res.Text)
	}
	id := startBackground(t, env, `echo "job [$FROM_HOOK]"`)
	out := pollOutput(t, env, id, func(all, _ string) bool { return strings.Contains(all, "job [") })
	if !strings.Contains(out, "job [changed]") {
		t.Fatalf("background job output %q", out)
	}
	env.ShellEnv = nil
	if res := run(t, env, `echo "[$FROM_HOOK]"`); res.Text != "[]" {
		t.Fatalf("without a script: %q", res.Text)
	}
}
