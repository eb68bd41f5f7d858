package bash

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/proc/proctest"
	"github.com/strata-agent/strata/internal/tool"
)

// startBackground starts command as a background job and returns its id.
func startBackground(t *testing.T, env *tool.Env, command string) string {
	t.Helper()
	res := runTool(t, New(), context.Background(), env, map[string]any{"command": command, "run_in_background": true})
	if res.IsError {
		t.Fatalf("start: %s", res.Text)
	}
	id, _, ok := strings.Cut(strings.TrimPrefix(res.Text, "Started in the background with id "), ".")
	if !ok || !strings.HasPrefix(id, "bash_") {
		t.Fatalf("no job id in %q", res.Text)
	}
	t.Cleanup(func() { Shutdown(env) })
	return id
}

func readOutput(t *testing.T, env *tool.Env, in map[string]any) tool.Result {
	t.Helper()
	return runTool(t, NewBashOutput(), context.Background(), env, in)
}

// pollOutput reads the job's output until stop says enough, accumulating what it returned.
func pollOutput(t *testing.T, env *tool.Env, id string, stop func(all, last string) bool) string {
	t.Helper()
	var all strings.Builder
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		res := readOutput(t, env, map[string]any{"bash_id": id})
		if res.IsError {
			t.Fatalf("BashOutput: %s", res.Text)
		}
		_, body, _ := strings.Cut(res.Text, "\n")
		if body != "(no new output)" {
			all.WriteString(body + "\n")
		}
		if stop(all.String(), res.Text) {
			return all.String()
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %s: condition never met; output so far %q", id, all.String())
	return ""
}

func TestBackgroundJobLifecycle(t *testing.T) {
	env := newEnv(t)
	gate := filepath.Join(env.Cwd(), "go-on")
	id := startBackground(t, env, fmt.Sprintf("echo first; while [ ! -e %s ]; do sleep 0.02; done; echo second; exit 5", gate))

	pollOutput(t, env, id, func(all, last string) bool {
		return strings.Contains(all, "first") && strings.Contains(last, "running")
	})
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	all := pollOutput(t, env, id, func(all, last string) bool { return strings.Contains(last, "exited with code 5") })
	if strings.Contains(all, "first") || !strings.Contains(all, "second") {
		t.Errorf("second read should hold only new output, got %q", all)
	}
	res := readOutput(t, env, map[string]any{"bash_id": id})
	if !strings.HasSuffix(res.Text, "(no new output)") {
		t.Errorf("output repeated: %q", res.Text)
	}
	kill := runTool(t, NewKillShell(), context.Background(), env, map[string]any{"shell_id": id})
	if kill.IsError || !strings.Contains(kill.Text, "already ended") {
		t.Errorf("KillShell on a finished job: %+v", kill)
	}
	if env.Cwd() != filepath.Dir(gate) {
		t.Errorf("a background job moved the working directory to %s", env.Cwd())
	}
}

func TestBackgroundFilter(t *testing.T) {
	env := newEnv(t)
	id := startBackground(t, env, "printf 'keep 1\\ndrop\\nkeep 2\\n'; sleep 300")
	var got string
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(got, "keep 2") {
		res := readOutput(t, env, map[string]any{"bash_id": id, "filter": "^keep"})
		if _, body, _ := strings.Cut(res.Text, "\n"); body != "(no new output)" {
			got += body + "\n"
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(got, "keep 1\nkeep 2") || strings.Contains(got, "drop") {
		t.Errorf("filtered output %q", got)
	}
	if res := readOutput(t, env, map[string]any{"bash_id": id, "filter": "("}); !res.IsError {
		t.Error("bad filter accepted")
	}
}

func TestKillShellStopsProcessGroup(t *testing.T) {
	env := newEnv(t)
	pidFile := filepath.Join(env.Cwd(), "child.pid")
	id := startBackground(t, env, fmt.Sprintf("sleep 300 & echo $! > %s; wait", pidFile))
	pid := readPID(t, pidFile)
	res := runTool(t, NewKillShell(), context.Background(), env, map[string]any{"shell_id": id})
	if res.IsError || !strings.Contains(res.Text, "stopped") {
		t.Errorf("KillShell: %+v", res)
	}
	proctest.WaitGone(t, pid)
	if out := readOutput(t, env, map[string]any{"bash_id": id}); !strings.Contains(out.Text, "killed") {
		t.Errorf("status after kill: %q", out.Text)
	}
}

func TestShutdownStopsAllJobs(t *testing.T) {
	env := newEnv(t)
	var pids []int
	for i := range 2 {
		pidFile := filepath.Join(env.Cwd(), fmt.Sprintf("child%d.pid", i))
		startBackground(t, env, fmt.Sprintf("sleep 300 & echo $! > %s; wait", pidFile))
		pids = append(pids, readPID(t, pidFile))
	}
	Shutdown(env)
	for _, pid := range pids {
		proctest.WaitGone(t, pid)
	}
}

func TestJobLookupErrors(t *testing.T) {
	env := newEnv(t)
	env.PutJob("other", "not a bash job")
	for _, c := range []struct {
		tl tool.Tool
		in map[string]any
	}{
		{NewBashOutput(), map[string]any{"bash_id": "bash_nope"}},
		{NewBashOutput(), map[string]any{"bash_id": "other"}},
		{NewBashOutput(), map[string]any{}},
		{NewKillShell(), map[string]any{"shell_id": "bash_nope"}},
		{NewKillShell(), map[string]any{"id": "x"}},
	} {
		if res := runTool(t, c.tl, context.Background(), env, c.in); !res.IsError {
			t.Errorf("%s %v: want an error result, got %q", c.tl.Name(), c.in, res.Text)
		}
	}
}

func TestJobDropsUnreadOutput(t *testing.T) {
	j := &job{}
	chunk := []byte(strings.Repeat("x", 1000) + "\n")
	total := 0
	for range maxUnread/len(chunk) + 10 {
		_, _ = j.Write(chunk)
		total += len(chunk)
	}
	data, dropped := j.take()
	if len(data) != maxUnread || dropped != int64(total-maxUnread) {
		t.Errorf("kept %d, dropped %d", len(data), dropped)
	}
	if data, dropped := j.take(); len(data) != 0 || dropped != 0 {
		t.Error("take did not clear")
	}
}
