package proc

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/proc/proctest"
)

// The UI's `!command`: a line that starts background work and is cancelled must leave no
// process behind — neither in its group nor by pid.
func TestRunLineCancelLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	pidFile := dir + "/pids"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan LineOutput)
	go func() {
		done <- RunLine(ctx, dir, testEnv(), "echo $$ > pids.tmp; sleep 100 & echo $! >> pids.tmp; mv pids.tmp pids; sleep 100", 1<<10)
	}()
	var pids []int
	deadline := time.Now().Add(15 * time.Second)
	for len(pids) == 0 && time.Now().Before(deadline) {
		if data, err := os.ReadFile(pidFile); err == nil {
			for _, f := range strings.Fields(string(data)) {
				pid, _ := strconv.Atoi(f)
				killAtEnd(t, pid)
				pids = append(pids, pid)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(pids) != 2 {
		t.Fatalf("pids %v", pids)
	}
	leader := pids[0]
	if alive, ok := groupHasLiving(leader); !ok || !alive {
		t.Fatalf("group %d not running before the cancel (ok %v)", leader, ok)
	}
	cancel()
	out := <-done
	if !out.Interrupted {
		t.Errorf("got %+v", out.Result)
	}
	// RunLine returns only once the group is gone: no waiting here.
	if alive, _ := groupHasLiving(leader); alive {
		t.Errorf("group %d still has living processes after RunLine returned", leader)
	}
	for _, pid := range pids {
		if proctest.Running(pid) {
			t.Errorf("process %d survived", pid)
		}
	}
}

func TestRunLineOutput(t *testing.T) {
	out := RunLine(context.Background(), t.TempDir(), nil, `echo "[$HOME]"; pwd >/dev/null; echo err >&2; exit 4`, 6)
	if out.ExitCode != 4 || string(out.Output) != "[]\nerr" || out.Dropped != 1 {
		t.Errorf("got %+v, output %q", out, out.Output)
	}
}

// On Linux the leader dies with strata, even when strata is killed without a chance to
// clean up. A copy of the test binary plays strata: it starts `sleep` and exits at once.
func TestLeaderDiesWithStrata(t *testing.T) {
	if os.Getenv("STRATA_PROC_HELPER") == "1" {
		p, err := Start(context.Background(), Cmd{Argv: []string{"sleep", "300"}, Env: testEnv()})
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString(strconv.Itoa(p.Pid()) + "\n")
		os.Exit(0)
	}
	helper := exec.Command(os.Args[0], "-test.run=^TestLeaderDiesWithStrata$")
	helper.Env = append(os.Environ(), "STRATA_PROC_HELPER=1")
	stdout, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	pid := readPID(t, sc)
	_ = helper.Wait()
	proctest.WaitGone(t, pid)
}
