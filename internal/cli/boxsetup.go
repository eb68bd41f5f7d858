package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/sandbox"
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
		Hidden:   []string{configDir(a.env)},
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
