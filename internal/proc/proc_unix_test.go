//go:build unix

package proc

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/proc/proctest"
)

func sh(line string) []string { return Shell("/bin/sh", line) }

func TestExitCodesAndErrors(t *testing.T) {
	tests := []struct {
		line   string
		code   int
		signal string
		err    string
	}{
		{"true", 0, "", ""},
		{"exit 3", 3, "", "exit status 3"},
		{"kill -9 $$", -1, "killed", "ended by signal killed"},
	}
	for _, tt := range tests {
		res := Run(context.Background(), Cmd{Argv: sh(tt.line)})
		errText := ""
		if err := res.Err(); err != nil {
			errText = err.Error()
		}
		if res.ExitCode != tt.code || res.Signal != tt.signal || errText != tt.err {
			t.Errorf("%q: got %+v (err %q)", tt.line, res, errText)
		}
		if res.TimedOut || res.Interrupted || res.Killed || res.StartErr != nil {
			t.Errorf("%q: unexpected flags %+v", tt.line, res)
		}
	}
}

func TestStartFailure(t *testing.T) {
	for _, c := range []Cmd{
		{Argv: []string{filepath.Join(t.TempDir(), "no-such-program")}},
		{Argv: sh("true"), Dir: filepath.Join(t.TempDir(), "no-such-dir")},
		{},
	} {
		res := Run(context.Background(), c)
		if res.StartErr == nil || res.ExitCode != -1 || !errors.Is(res.Err(), res.StartErr) {
			t.Errorf("%v: got %+v", c.Argv, res)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res := Run(ctx, Cmd{Argv: sh("true")}); !res.Interrupted || res.StartErr != nil {
		t.Errorf("cancelled before start: %+v", res)
	}
}

func TestEnvironmentIsExactlyEnv(t *testing.T) {
	t.Setenv("STRATA_PROC_SECRET", "must-not-leak")
	envPath := "/usr/bin/env"
	if _, err := os.Stat(envPath); err != nil {
		envPath = "/bin/env"
	}
	for _, tt := range []struct {
		env  []string
		want string
	}{
		{nil, ""},
		{[]string{}, ""},
		{[]string{"ONLY=this"}, "ONLY=this\n"},
	} {
		out := NewCapture(1<<16, 0)
		res := Run(context.Background(), Cmd{Argv: []string{envPath}, Env: tt.env, Stdout: out})
		if res.Err() != nil || out.String() != tt.want {
			t.Errorf("Env %#v: child saw %q (%+v)", tt.env, out.String(), res)
		}
	}
}

func TestStdinAndSeparateStreams(t *testing.T) {
	stdout, stderr := NewCapture(100, 0), NewCapture(100, 0)
	res := Run(context.Background(), Cmd{Argv: sh("cat; echo err >&2"), Stdin: strings.NewReader("in"),
		Stdout: stdout, Stderr: stderr})
	if res.Err() != nil || stdout.String() != "in" || stderr.String() != "err\n" {
		t.Errorf("stdout %q stderr %q %+v", stdout.String(), stderr.String(), res)
	}
	// No Stdin is /dev/null: cat ends at once instead of waiting.
	out := NewCapture(100, 0)
	if res := Run(context.Background(), Cmd{Argv: sh("cat; echo done"), Output: out}); res.Err() != nil || out.String() != "done\n" {
		t.Errorf("without stdin: %q %+v", out.String(), res)
	}
	// A child that never reads a large stdin does not hang Run.
	if res := Run(context.Background(), Cmd{Argv: sh("exit 0"), Stdin: bytes.NewReader(make([]byte, 4<<20))}); res.Err() != nil {
		t.Errorf("unread stdin: %+v", res)
	}
}

func TestOutputCap(t *testing.T) {
	out := NewCapture(10, 0)
	res := Run(context.Background(), Cmd{Argv: sh("head -c 100000 /dev/zero | tr '\\0' a; echo"), Env: testEnv(), Output: out})
	if res.Err() != nil || string(out.Bytes()) != "aaaaaaaaaa" || out.Dropped() != 100001-10 {
		t.Errorf("kept %q, dropped %d, %+v", out.Bytes(), out.Dropped(), res)
	}
}

// The child ignores SIGTERM, so only the SIGKILL after the grace period stops it.
const stubbornChild = "(trap '' TERM; sleep 300) & echo $!; "

func TestTimeoutKillsGroupWithGrandchild(t *testing.T) {
	out := NewCapture(1000, 0)
	res := Run(context.Background(), Cmd{Argv: sh(stubbornChild + "sleep 300"), Env: testEnv(), Output: out,
		Timeout: 300 * time.Millisecond, Grace: 200 * time.Millisecond})
	if !res.TimedOut || res.Interrupted || res.ExitCode != -1 || !strings.Contains(res.Err().Error(), "timed out") {
		t.Errorf("got %+v", res)
	}
	var pid int
	if _, err := fmtSscan(out.String(), &pid); err != nil {
		t.Fatalf("no pid in %q", out.String())
	}
	killAtEnd(t, pid)
	proctest.WaitGone(t, pid)
}

func TestCancelKillsGroupWithGrandchild(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p, lines := startWithLines(t, ctx, Cmd{Argv: sh(stubbornChild + "wait"), Env: testEnv(), Grace: 200 * time.Millisecond})
	pid := readPID(t, lines)
	cancel()
	res := p.Wait()
	if !res.Interrupted || res.TimedOut {
		t.Errorf("got %+v", res)
	}
	proctest.WaitGone(t, pid)
}

func TestKillStopsBackgroundProcess(t *testing.T) {
	p, lines := startWithLines(t, context.Background(), Cmd{Argv: sh("sleep 300 & echo $!; echo ready; wait"), Env: testEnv()})
	pid := readPID(t, lines)
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("streamed output: %q", lines.Text())
	}
	if _, ok := p.Result(); ok {
		t.Fatal("Result reports an end while the command runs")
	}
	p.Kill()
	if res, ok := p.Result(); !ok || !res.Killed {
		t.Errorf("after Kill: %+v, %v", res, ok)
	}
	proctest.WaitGone(t, pid)
	p.Kill() // a second Kill after the end does nothing
}

func TestGrandchildHoldingOutputDoesNotHang(t *testing.T) {
	out := NewCapture(1000, 0)
	res := Run(context.Background(), Cmd{Argv: sh("sleep 300 & echo $!; echo parent done"), Env: testEnv(),
		Output: out, WaitDelay: 200 * time.Millisecond})
	var pid int
	if _, err := fmtSscan(out.String(), &pid); err != nil {
		t.Fatalf("no pid in %q", out.String())
	}
	killAtEnd(t, pid)
	if res.Err() != nil || !res.OutputIncomplete || !strings.HasSuffix(out.String(), "parent done\n") {
		t.Errorf("got %+v, output %q", res, out.String())
	}
	if !proctest.Running(pid) {
		t.Error("the leader's natural exit should not kill what it left running")
	}
}

func TestTrackerKillAll(t *testing.T) {
	var tr Tracker
	var pids []int
	var procs []*Process
	for range 2 {
		p, lines := startWithLines(t, context.Background(), Cmd{Argv: sh(stubbornChild + "wait"), Env: testEnv(),
			Tracker: &tr, Grace: 200 * time.Millisecond})
		pids = append(pids, readPID(t, lines))
		procs = append(procs, p)
	}
	if tr.Len() != 2 {
		t.Fatalf("tracking %d groups", tr.Len())
	}
	tr.KillAll()
	for i, p := range procs {
		if res, ok := p.Result(); !ok || !res.Killed {
			t.Errorf("process %d: %+v", i, res)
		}
		proctest.WaitGone(t, pids[i])
	}
	if tr.Len() != 0 {
		t.Errorf("still tracking %d groups", tr.Len())
	}
	// Once strata is on its way out, nothing new may outlive it.
	res := Run(context.Background(), Cmd{Argv: sh("sleep 300"), Env: testEnv(), Tracker: &tr})
	var pe *Error
	if !res.Killed || !errors.As(res.Err(), &pe) || !pe.Result.Killed {
		t.Errorf("started after KillAll: %+v", res)
	}
}
