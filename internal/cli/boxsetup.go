package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/sandbox"
	"github.com/strata-agent/strata/internal/session"
	"github.com/strata-agent/strata/internal/settings"
)

// setupSandbox builds the session's Bash sandbox from the sandbox settings. When they
// enable it and it cannot run here, strata says so, and why, at start — and refuses to start
// when sandbox.failIfUnavailable is set (the managed-settings hard gate).
func (a *app) setupSandbox(ctx context.Context, st *stack) error {
	layers := st.settings.Sandbox
	if bringsSandbox(layers) && !a.folderTrusted() {
		layers = restrictiveOnly(layers)
		fmt.Fprintln(a.io.ErrOut, "strata: this folder is not trusted: its own sandbox settings apply only where they restrict (denyRead, denyWrite, deniedDomains)")
	}
	cfg, warnings := sandbox.FromSettings(layers, a.env.Home, a.env.Cwd)
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

// bringsSandbox reports whether the folder's own settings files hold sandbox settings.
func bringsSandbox(layers []settings.RawSetting) bool {
	for _, l := range layers {
		if fromProject(l.Source) {
			return true
		}
	}
	return false
}

// restrictiveOnly keeps, of an untrusted folder's own sandbox settings, only what narrows the
// sandbox. Everything else could widen it for a command the model writes: enabling it turns
// on auto-allow for Bash, allowRead uncovers credentials, allowedDomains opens the network,
// excludedCommands leave it. The user's and managed layers stay as they are.
func restrictiveOnly(layers []settings.RawSetting) []settings.RawSetting {
	out := make([]settings.RawSetting, 0, len(layers))
	for _, l := range layers {
		if !fromProject(l.Source) {
			out = append(out, l)
			continue
		}
		var r struct {
			Filesystem struct {
				DenyRead  []string `json:"denyRead,omitempty"`
				DenyWrite []string `json:"denyWrite,omitempty"`
			} `json:"filesystem"`
			Network struct {
				DeniedDomains []string `json:"deniedDomains,omitempty"`
			} `json:"network"`
		}
		if json.Unmarshal(l.Raw, &r) != nil {
			continue
		}
		raw, err := json.Marshal(r)
		if err != nil {
			continue
		}
		out = append(out, settings.RawSetting{Raw: raw, Source: l.Source})
	}
	return out
}
