//go:build unix

package bedrock

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/proc/proctest"
)

// linesOf returns the non-empty lines of a file, none when it does not exist.
func linesOf(path string) []string {
	b, _ := os.ReadFile(path)
	return strings.Fields(string(b))
}

// Safety item 7: a hanging awsCredentialExport runs once per turn, is stopped at its time
// limit with everything it started, and the turn ends with an error that names the setting.
// The next turn (a separate user action) runs it again.
func TestHangingExportRunsOnceAndIsKilledWithItsChildren(t *testing.T) {
	e := newTestEnv(t)
	runs, pids := filepath.Join(e.dir, "runs"), filepath.Join(e.dir, "pids")
	cmd := script(t, e.dir, "export.sh", "echo run >> "+runs+"\n"+
		"if [ $(wc -l < "+runs+") -ge 2 ]; then echo '"+exportJSONFor(newKey, newSec, "")+"'; exit 0; fi\n"+
		"echo $$ >> "+pids+"\n"+
		"sleep 300 &\necho $! >> "+pids+"\n"+
		"echo 'waiting for the identity provider' >&2\n"+
		"wait\n")
	f := newFake(t, false)
	c := fakeClient(t, e, f, SettingsView{AWSCredentialExport: cmd, AWSCredentialExportSource: "/home/u/.claude/settings.json"},
		func(c *Config) { c.ExportTimeout = 500 * time.Millisecond })

	turn := llm.WithTurn(context.Background())
	_, err := ask(t, turn, c, "hi")
	if llm.KindOf(err) != llm.ErrCredentials {
		t.Fatalf("error %v, want ErrCredentials", err)
	}
	t.Log(err)
	mustContain(t, "error", err.Error(), "awsCredentialExport", "/home/u/.claude/settings.json",
		"did not finish within 500ms", "waiting for the identity provider", "next message")
	started := linesOf(pids)
	if len(started) != 2 {
		t.Fatalf("the command recorded pids %q", started)
	}
	for _, s := range started {
		pid, _ := strconv.Atoi(s)
		proctest.WaitGone(t, pid)
	}

	// The rest of the turn, concurrent requests and the small/fast model included, gets the
	// same answer without starting the command again.
	var wg sync.WaitGroup
	for i := range 4 {
		cl := c
		if i%2 == 1 {
			cl = c.Small()
		}
		wg.Go(func() {
			if _, err := ask(t, turn, cl, "again"); llm.KindOf(err) != llm.ErrCredentials ||
				!strings.Contains(err.Error(), "awsCredentialExport") {
				t.Errorf("request %d in the same turn: %v", i, err)
			}
		})
	}
	wg.Wait()
	if got := len(linesOf(runs)); got != 1 {
		t.Errorf("the export ran %d times in one turn, want 1", got)
	}
	if got := len(f.recorded()); got != 0 {
		t.Errorf("%d requests reached Bedrock without credentials", got)
	}

	// A new turn may try again; this time the command works.
	if text, err := ask(t, llm.WithTurn(context.Background()), c, "next prompt"); err != nil || text != "ok" {
		t.Fatalf("next turn: %q, %v", text, err)
	}
	if got := len(linesOf(runs)); got != 2 {
		t.Errorf("the export ran %d times over two turns, want 2", got)
	}
}
