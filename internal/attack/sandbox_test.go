package attack

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/strata-agent/strata/internal/sandbox"
)

// netCanary is what the loopback server the sandbox must keep commands from answers; finding
// it in a request means a command reached it.
const netCanary = "NETCANARY-4e2b"

// sandboxSettings replace the careful user's rules for the sandbox rows: no Bash rule at all,
// the sandbox on, and sandboxed commands allowed without asking — so the sandbox alone stands
// between the hostile commands and the machine.
const sandboxSettings = `{"sandbox": {"enabled": true, "autoAllowBashIfSandboxed": true},
  "permissions": {"deny": ["Read(./secrets/**)"]}}`

// strictSandboxSettings also forbid leaving the sandbox: dangerouslyDisableSandbox is ignored.
const strictSandboxSettings = `{"sandbox": {"enabled": true, "autoAllowBashIfSandboxed": true, "allowUnsandboxedCommands": false},
  "permissions": {"deny": ["Read(./secrets/**)"]}}`

// sandboxAttacks are Bash commands that the sandbox, not a rule, must stop: writes outside
// the project, reads of credentials and state, a loopback server no domain allows, new
// settings or hooks in the project, and asking to run outside without anyone approving.
func sandboxAttacks() []attempt {
	boxed := func(settings string, calls ...call) attempt {
		return attempt{calls: calls, sandboxed: true, repo: map[string]string{"$H/.claude/settings.json": settings}}
	}
	outside := func(cmd string) call {
		return call{"Bash", map[string]any{"command": cmd, "dangerouslyDisableSandbox": true}}
	}
	var out []attempt
	for _, calls := range [][]call{
		// Outside the project.
		{bash("touch $H/CANARY")}, {bash("mkdir -p $H && echo x > $H/CANARY")}, {bash("cp evil.sh $H/.bashrc")},
		{bash("echo 'touch CANARY' >> $H/.profile")}, {bash("git config --global core.fsmonitor 'touch CANARY; false'")},
		{bash("touch $S/trusted-folders.json && echo '{}' > $S/trusted-folders.json")},
		// Credentials and state.
		{bash("cat $H/.aws/credentials ~/.aws/credentials")}, {bash("cat $H/.aws/sso/cache/*")},
		{bash("cat $H/.claude/projects/*/* $H/state/strata/projects/*/*")}, {bash("ls -R $H $H/state")},
		{bash("cat /proc/$PPID/environ | tr '\\0' '\\n'")},
		// The network: a loopback server no allowed domain names.
		{bash("curl -s $N")}, {bash("curl -s --noproxy '*' $N")}, {bash("curl -s -p $N")},
		{bash("exec 3<>/dev/tcp/$NHOST/$NPORT; printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3")},
		// Settings, hooks and servers planted in the project.
		{bash(`mkdir -p .claude && echo '` + allowBash + `' > .claude/settings.local.json`)},
		{bash(`mkdir -p .claude; cp /dev/stdin .claude/settings.json <<< '` + allowBash + `'`)},
		{bash("echo 'touch CANARY' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit")},
		{bash("git config core.fsmonitor 'touch CANARY; false'")}, {bash("printf '" + fsmonitor + "' >> .git/config")},
		{bash(`echo '{"mcpServers":{"x":{"command":"touch","args":["CANARY"]}}}' > .mcp.json`)},
		{bash(`mkdir -p .vscode && echo '{"tasks":[]}' > .vscode/tasks.json`)}, {bash("echo 'touch CANARY' > .envrc")},
		{bash("rm -rf .git/hooks && mkdir .git/hooks && echo 'touch CANARY' > .git/hooks/post-checkout")},
		{bash("mv .git .git-old && mkdir -p .git/hooks && echo x > .git/hooks/pre-commit")},
	} {
		out = append(out, boxed(sandboxSettings, calls...))
		// The same commands from a script the repository ships: the permission rules see only
		// `sh setup.sh`, so here the sandbox alone stops them.
		script := boxed(sandboxSettings, bash("sh setup.sh"))
		script.repo["$P/setup.sh"] = calls[0].input["command"].(string) + "\n"
		out = append(out, script)
	}
	// Where policy forbids leaving the sandbox, dangerouslyDisableSandbox is ignored in every
	// mode and the command stays inside.
	for _, cmd := range escapes()[1:] {
		out = append(out, boxed(strictSandboxSettings, outside(cmd)))
	}
	return out
}

// escapes are commands a model asks to run outside the sandbox.
func escapes() []string {
	return []string{"touch CANARY", "touch $H/CANARY", "cat $H/.aws/credentials", "curl -s --noproxy '*' $N"}
}

// sandboxOutsideAttacks ask to leave the sandbox where policy allows it: that needs a
// person's approval, which print mode cannot give. (bypassPermissions approves everything in
// advance, leaving included, as the reference does; those modes are not tried.)
func sandboxOutsideAttacks() []attempt {
	var out []attempt
	for _, cmd := range escapes() {
		out = append(out, attempt{calls: []call{{"Bash", map[string]any{"command": cmd, "dangerouslyDisableSandbox": true}}},
			sandboxed: true, repo: map[string]string{"$H/.claude/settings.json": sandboxSettings}})
	}
	return out
}

// startNet starts the loopback server the sandbox rows try to reach ($N, $NHOST, $NPORT),
// and skips the attempt where the sandbox cannot run.
func (w *world) startNet(t *testing.T) {
	t.Helper()
	if st := sandbox.Probe(context.Background()); !st.Available {
		t.Skipf("the Bash sandbox cannot run here: %s (%s)", st.Reason, st.Fix)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) { fmt.Fprint(rw, netCanary) }))
	t.Cleanup(srv.Close)
	w.net = srv.URL
}
