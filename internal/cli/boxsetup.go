package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/sandbox"
	"github.com/strata-agent/strata/internal/session"
)

// setupSandbox builds the session's Bash sandbox from the sandbox settings. When they
// enable it and it cannot run here, strata says so, and why, at start — and refuses to start
// when sandbox.failIfUnavailable is set (the managed-settings hard gate).
func (a *app) setupSandbox(ctx context.Context, st *stack) error {
	cfg, warnings := sandbox.FromSettings(st.settings.Sandbox, a.env.Home, a.env.Cwd)
	for _, w := range warnings {
		fmt.Fprintln(a.io.ErrOut, "strata: warning: "+w)
	}
	var status sandbox.Status
	if cfg.Enabled {
		status = sandbox.Probe(ctx)
	}
	rules := excludedRules(cfg.ExcludedCommands)
	st.sandbox = sandbox.New(cfg, status, sandbox.Options{Dirs: st.checker.Dirs, Home: a.env.Home,
		Hidden: sandboxHidden(a.env), Protected: permission.ProtectedNames(), ReadOnly: st.checker.Protected,
		Excluded: func(c string) bool { return len(rules) > 0 && permission.CommandCoveredBy(c, rules) }})
	st.closers = append(st.closers, func() error { st.sandbox.Close(); return nil })
	st.checker.Sandbox = st.sandbox
	if !cfg.Enabled || status.Available {
		return nil
	}
	if cfg.FailIfUnavailable {
		return &llm.Error{Kind: llm.ErrConfig, Message: fmt.Sprintf("sandbox.failIfUnavailable is set and the sandbox cannot start: %s. %s", status.Reason, status.Fix)}
	}
	fmt.Fprintf(a.io.ErrOut, "strata: warning: sandbox.enabled is set, but %s; Bash commands run unsandboxed, with permission rules only. Fix: %s\n",
		status.Reason, status.Fix)
	return nil
}

// sandboxHidden lists what sandboxed commands may not read beyond the credential files the
// sandbox knows: strata's and Claude Code's state wherever this environment puts it — the
// configuration directory with every transcript, ~/.claude.json, strata's state directory
// (the trust store, older transcripts) — and the AWS files the environment names.
func sandboxHidden(env Env) []string {
	out := []string{configDir(env), session.ProjectsDir(configDir(env)), claudeJSONPath(env),
		filepath.Dir(session.DefaultDir(env.Getenv, env.Home))}
	for _, k := range []string{"AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"} {
		if p := env.Getenv(k); filepath.IsAbs(p) {
			out = append(out, p)
		}
	}
	return out
}

// excludedRules turns sandbox.excludedCommands into Bash rules: "docker" also covers
// "docker ps", as a prefix rule would.
func excludedRules(patterns []string) []permission.Rule {
	var out []permission.Rule
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		texts := []string{"Bash(" + p + ")"}
		if !strings.ContainsAny(p, "*:") {
			texts = append(texts, "Bash("+p+":*)")
		}
		for _, t := range texts {
			if r, err := permission.ParseRule(t, "sandbox.excludedCommands"); err == nil {
				out = append(out, r)
			}
		}
	}
	return out
}
