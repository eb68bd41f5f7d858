package bash

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/sandbox"
)

// TestSandboxedBash runs the tool with an active sandbox: cd still carries over, a write
// outside the project fails and is explained, a background job is confined too, and
// dangerouslyDisableSandbox runs the command outside.
func TestSandboxedBash(t *testing.T) {
	st := sandbox.Probe(context.Background())
	if !st.Available {
		t.Skipf("no sandbox here: %s", st.Reason)
	}
	env := newEnv(t)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(filepath.Join(env.Cwd(), "sub"), 0o755))
	env.Sandbox = sandbox.New(sandbox.Config{Enabled: true, AllowUnsandboxed: true}, st, sandbox.Options{Dirs: []string{env.Cwd()}})
	defer env.Sandbox.Close()
	if r := run(t, env, "cd sub && pwd"); r.IsError || filepath.Base(env.Cwd()) != "sub" {
		t.Fatalf("cd inside the sandbox did not carry over: %+v, cwd %s", r, env.Cwd())
	}
	target := filepath.Join(os.TempDir(), "strata-bash-sandbox-"+filepath.Base(t.TempDir()))
	r := run(t, env, "echo x > /etc/strata-bash-sandbox-test")
	if !r.IsError || !strings.Contains(r.Text, "dangerouslyDisableSandbox") {
		t.Fatalf("a write outside should fail and say the sandbox may be why: %+v", r)
	}
	bg := runTool(t, New(), context.Background(), env, map[string]any{"command": "echo y > " + target + "; echo done", "run_in_background": true})
	if bg.IsError {
		t.Fatal(bg.Text)
	}
	for _, id := range env.JobIDs() { // wait for the job to end on its own
		v, _ := env.Job(id)
		<-v.(*job).p.Exited()
	}
	Shutdown(env)
	if _, err := os.Stat(target); err == nil {
		os.Remove(target)
		t.Fatal("a sandboxed background job wrote outside the project")
	}
	out := runTool(t, New(), context.Background(), env, map[string]any{"command": "echo z > " + target, "dangerouslyDisableSandbox": true})
	defer os.Remove(target)
	if _, err := os.Stat(target); out.IsError || err != nil {
		t.Fatalf("dangerouslyDisableSandbox should run outside: %+v %v", out, err)
	}
}
