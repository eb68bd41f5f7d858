package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/session"
	"github.com/strata-agent/strata/internal/settings"
)

// passEnvKey is the settings key naming variables tool subprocesses may see although strata
// would keep them back: AWS credentials, or values set by an env block. Other programs
// ignore it (unknown keys are kept and ignored, A7).
const passEnvKey = "strataPassEnv"

// passThroughEnv reads strataPassEnv: an array of variable names.
func passThroughEnv(s *settings.Settings) ([]string, error) {
	raw, ok := s.Extra[passEnvKey]
	if !ok {
		return nil, nil
	}
	var names []string
	if err := json.Unmarshal(raw, &names); err != nil {
		return nil, fmt.Errorf("%s: %s must be an array of environment variable names, as in [\"AWS_PROFILE\"]", s.ExtraSource[passEnvKey].Path, passEnvKey)
	}
	for _, n := range names {
		if n == "" || strings.ContainsAny(n, "= \t\n") {
			return nil, fmt.Errorf("%s: %s: %q is not an environment variable name", s.ExtraSource[passEnvKey].Path, passEnvKey, n)
		}
	}
	return names, nil
}

// childEnvironment is the environment of tool subprocesses: start (strata's environment
// before the env blocks applied) without AWS secrets, plus, for the names in pass, the
// values the env blocks give them.
func childEnvironment(start, pass []string, envBlock map[string]string) []string {
	env := redact.ScrubEnv(start, pass)
	for _, name := range pass {
		v, ok := envBlock[name]
		if !ok {
			continue
		}
		kept := env[:0:0]
		for _, kv := range env {
			if !strings.HasPrefix(kv, name+"=") {
				kept = append(kept, kv)
			}
		}
		env = append(kept, name+"="+v)
	}
	return env
}

// ruleBase is the directory a `/pattern` path rule from src is relative to: the project for
// the project's own settings files, the settings file's directory for the others (user,
// managed, a --settings file), the working directory for inline --settings JSON and flags.
func ruleBase(src settings.Source, cwd string) string {
	switch {
	case src.Scope == settings.ScopeProject || src.Scope == settings.ScopeLocal:
		return cwd
	case src.Path == "" || src.Path == settings.InlinePath:
		return cwd
	}
	return filepath.Dir(src.Path)
}

// startHooks builds the hook runner from every settings file's hooks; its commands get the
// same environment as the tools.
func (a *app) startHooks(st *stack, childEnv, passEnv []string) error {
	// No session ID here: the runner outlives conversations (/clear, /resume), so every
	// input names the conversation it is for.
	o := hooks.Options{Hooks: st.settings.Hooks, Env: childEnv, PassEnv: passEnv, ProjectDir: a.env.Cwd,
		Procs: &st.procs, EnvDir: filepath.Join(configDir(a.env), "session-env"), EnvFile: a.env.Getenv("CLAUDE_ENV_FILE")}
	if err := hookPolicy(st.settings, &o); err != nil {
		return err
	}
	r, err := hooks.New(o)
	if err != nil {
		return fmt.Errorf("reading hooks: %w", err)
	}
	for _, w := range r.Warnings() {
		fmt.Fprintln(a.io.ErrOut, "strata: warning:", w)
	}
	st.hooks = r
	st.configWatch = newConfigWatch(st.settings.Files)
	st.hooksChanged()
	return nil
}

// hookRunner is the runner for the agent, nil when no hooks are configured.
func (st *stack) hookRunner() agent.HookRunner {
	if st.hooks == nil {
		return nil
	}
	if st.configWatch == nil {
		return st.hooks
	}
	return watchedHooks{st.hooks, st.configWatch, func() *fileHooks { return st.files }}
}

// sessionStart runs the SessionStart hooks for a conversation about to start (source
// "startup", "resume" or "clear") and returns it ready for newSession: context the hooks
// print goes to the model with the memory files of a new conversation. Their messages go to w.
func (st *stack) sessionStart(ctx context.Context, tr *session.Transcript, history []llm.Message, source string, w func(string)) conversation {
	c := conversation{transcript: tr, history: history, memory: st.memory}
	st.instructionsLoaded(ctx, tr)
	out := st.hooks.Run(ctx, hooks.Input{Event: hooks.SessionStart, Source: source, PermissionMode: string(st.checker.CurrentMode()),
		SessionID: tr.ID(), TranscriptPath: tr.Path()})
	for _, m := range out.Messages {
		w(m)
	}
	st.files.setSession(tr.ID(), tr.Path())
	st.files.watchPaths(out.WatchPaths)
	if len(out.Context) > 0 && len(history) == 0 {
		c.memory = strings.TrimSpace(c.memory + "\n\nContext from the user's SessionStart hook:\n" + strings.Join(out.Context, "\n"))
	}
	return c
}

// sessionEnd runs the SessionEnd hooks for the conversation on tr; nothing can block the end.
func (st *stack) sessionEnd(ctx context.Context, tr *session.Transcript, reason string, w func(string)) {
	// An interrupted session still ends: the hooks get their own timeouts, not the cancelled context.
	out := st.hooks.Run(context.WithoutCancel(ctx), hooks.Input{Event: hooks.SessionEnd, Reason: reason,
		PermissionMode: string(st.checker.CurrentMode()), SessionID: tr.ID(), TranscriptPath: tr.Path()})
	for _, m := range out.Messages {
		w(m)
	}
}

// hookPolicy reads disableAllHooks, allowManagedHooksOnly and allowedHttpHookUrls. Each
// comes from the highest settings file that sets it; disableAllHooks outside managed
// settings cannot turn managed hooks off, and allowManagedHooksOnly counts only there.
func hookPolicy(s *settings.Settings, o *hooks.Options) error {
	read := func(key string, v any) (settings.Source, bool, error) {
		raw, ok := s.Extra[key]
		if !ok {
			return settings.Source{}, false, nil
		}
		src := s.ExtraSource[key]
		if err := json.Unmarshal(raw, v); err != nil {
			return src, false, &llm.Error{Kind: llm.ErrConfig, Message: fmt.Sprintf("%s: %s: %v", src.Path, key, err)}
		}
		return src, true, nil
	}
	var disable, managedOnly bool
	if src, ok, err := read("disableAllHooks", &disable); err != nil {
		return err
	} else if ok && disable {
		o.DisableAll = true
		o.DisableManaged = src.Scope == settings.ScopeManaged
	}
	if src, ok, err := read("allowManagedHooksOnly", &managedOnly); err != nil {
		return err
	} else if ok && managedOnly && src.Scope == settings.ScopeManaged {
		o.ManagedOnly = true
	}
	var urls []string
	if _, ok, err := read("allowedHttpHookUrls", &urls); err != nil {
		return err
	} else if ok {
		o.AllowedHTTPURLs = append([]string{}, urls...)
	}
	return nil
}

// instructionsLoaded runs the InstructionsLoaded hooks once per memory file a conversation
// starts with; the reference names the kinds User, Project, Local and Managed.
func (st *stack) instructionsLoaded(ctx context.Context, tr *session.Transcript) {
	for _, f := range st.memoryFiles {
		kind := f.Scope
		if kind != "" {
			kind = strings.ToUpper(kind[:1]) + kind[1:]
		}
		st.hooks.Run(ctx, hooks.Input{Event: hooks.InstructionsLoaded, SessionID: tr.ID(), TranscriptPath: tr.Path(),
			FilePath: f.Path, MemoryType: kind, LoadReason: "session_start"})
	}
}
