package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/session"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/trust"
)

// trustStore keeps folder trust in strata's state directory (beside the transcripts) and
// reads the reference CLI's answers from its .claude.json (in CLAUDE_CONFIG_DIR when set).
func trustStore(env Env) trust.Store {
	state := filepath.Dir(session.DefaultDir(env.Getenv, env.Home))
	ref := filepath.Join(env.Home, ".claude.json")
	if d := env.Getenv("CLAUDE_CONFIG_DIR"); d != "" {
		ref = filepath.Join(d, ".claude.json")
	}
	return trust.Store{Path: filepath.Join(state, "trusted-folders.json"), Reference: ref, Home: env.Home}
}

// projectSettingsFiles are the settings files the working directory brings with it: the
// ones that need trust. The user's own settings file (the project is the home directory) is
// not one of them.
func projectSettingsFiles(env Env) []string {
	user := filepath.Join(configDir(env), "settings.json")
	var out []string
	for _, name := range []string{"settings.json", "settings.local.json"} {
		p := filepath.Join(env.Cwd, ".claude", name)
		if _, err := os.Stat(p); err == nil && p != user {
			out = append(out, p)
		}
	}
	return out
}

// errNotTrusted is a declined trust question: nothing from the folder ran.
var errNotTrusted = errors.New("you did not trust this folder, so strata stops without applying or running anything from it; " +
	"run strata in a folder you trust, or read its .claude/settings.json first")

// confirmTrust asks, on the first interactive start in a folder that brings settings, whether
// the user trusts it — before any of those settings take effect — and remembers a yes. Only
// an explicit "y" or "yes" typed after the question counts; anything else, or end of input,
// declines and strata stops (as the reference exits).
func (a *app) confirmTrust() error {
	files := projectSettingsFiles(a.env)
	if len(files) == 0 {
		return nil // nothing from the folder would take effect
	}
	store := trustStore(a.env)
	ok, err := store.Trusted(a.env.Cwd)
	if err != nil {
		fmt.Fprintln(a.io.ErrOut, "strata: warning:", err)
	}
	if ok {
		a.trusted = true
		return nil
	}
	a.io.DiscardTypeahead()
	fmt.Fprint(a.io.ErrOut, trustQuestion(a.env, files))
	// End of input and an interrupt (Ctrl-C) decline like any other answer but yes.
	answer, err := readAnswer(a.ctx, a.io.In)
	if err != nil || !isYes(answer) {
		fmt.Fprintln(a.io.ErrOut)
		return errNotTrusted
	}
	a.trusted = true
	if err := store.Remember(a.env.Cwd, time.Now()); err != nil {
		fmt.Fprintln(a.io.ErrOut, "strata: warning: cannot remember that you trust this folder:", err)
	}
	return nil
}

// trustQuestion is the question, with what the folder's settings would do.
func trustQuestion(env Env, files []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Do you trust the files in this folder?\n\n  %s\n\n", env.Cwd)
	fmt.Fprintf(&b, "Its settings (%s) can run commands and allow tools without asking.\n", strings.Join(files, ", "))
	// Parsing is not running: reading the files shows what a yes would let them do. A broken
	// file is reported after the answer, as on every start.
	s, err := settings.Load(settings.Options{ProjectDir: env.Cwd})
	if err == nil {
		for _, line := range projectEffects(s) {
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	if env.Cwd == env.Home {
		b.WriteString("This is your home directory: the answer lasts for this session only.\n")
	}
	b.WriteString("\nTrust this folder? Type yes and Enter (anything else quits): ")
	return b.String()
}

// readAnswer reads one line from in, a byte at a time so that nothing after the line is taken
// from the UI that reads next. An interrupt (Ctrl-C) ends the wait.
func readAnswer(ctx context.Context, in io.Reader) (string, error) {
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var line []byte
		b := make([]byte, 1)
		for len(line) < 256 {
			n, err := in.Read(b)
			if n == 1 && b[0] == '\n' {
				break
			}
			line = append(line, b[:n]...)
			if err != nil {
				done <- result{string(line), err}
				return
			}
		}
		done <- result{string(line), nil}
	}()
	select {
	case r := <-done:
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func isYes(answer string) bool {
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true
	}
	return false
}

// projectEffects lists what the project's own settings files (project and local scope) do
// that acts for the user: commands they run (hooks, AWS credential commands, the status
// line), tools they allow without asking, variables they set.
func projectEffects(s *settings.Settings) []string {
	out := projectCommands(s)
	var allow []string
	for _, r := range s.Permissions.Allow {
		if fromProject(r.Source) {
			allow = append(allow, r.Text)
		}
	}
	if len(allow) > 0 {
		out = append(out, "allows without asking: "+strings.Join(allow, ", "))
	}
	var env []string
	for k, src := range s.EnvSource {
		if fromProject(src) {
			env = append(env, k)
		}
	}
	if len(env) > 0 {
		sort.Strings(env)
		out = append(out, "sets: "+strings.Join(env, ", "))
	}
	return out
}

// projectCommands lists the commands the project's own settings files would run.
func projectCommands(s *settings.Settings) []string {
	var out []string
	events := make([]string, 0, len(s.Hooks))
	for e := range s.Hooks {
		events = append(events, e)
	}
	sort.Strings(events)
	for _, e := range events {
		for _, m := range s.Hooks[e] {
			if !fromProject(m.Source) {
				continue
			}
			name := "hook " + e
			if m.Matcher != "" {
				name += " (" + m.Matcher + ")"
			}
			for _, h := range m.Hooks {
				switch h.Type {
				case "http":
					out = append(out, name+": POST to "+h.URL)
				case "prompt":
					out = append(out, name+": ask the model: "+h.Prompt)
				default:
					out = append(out, name+": "+h.Command)
				}
			}
		}
	}
	if s.AWSAuthRefresh != "" && fromProject(s.AWSAuthRefreshSource) {
		out = append(out, "awsAuthRefresh: "+s.AWSAuthRefresh)
	}
	if s.AWSCredentialExport != "" && fromProject(s.AWSCredentialExportSource) {
		out = append(out, "awsCredentialExport: "+s.AWSCredentialExport)
	}
	if cmd := statusLineCommand(s.StatusLine); cmd != "" && fromProject(s.StatusLineSource) {
		out = append(out, "statusLine: "+cmd)
	}
	return out
}

func fromProject(src settings.Source) bool {
	return src.Scope == settings.ScopeProject || src.Scope == settings.ScopeLocal
}

func statusLineCommand(raw json.RawMessage) string {
	var sl struct {
		Command string `json:"command"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &sl) != nil {
		return ""
	}
	return sl.Command
}

// noticeUntrusted says once, in print mode and `strata doctor` (which trust the folder
// without asking, as the reference does), which commands the folder's settings will run —
// when it has any and the user has not trusted it interactively.
func (a *app) noticeUntrusted(s *settings.Settings) {
	cmds := projectCommands(s)
	if len(cmds) == 0 {
		return
	}
	if ok, _ := trustStore(a.env).Trusted(a.env.Cwd); ok {
		return
	}
	fmt.Fprintln(a.io.ErrOut, "strata: this folder is not trusted yet; without asking, its settings will run:")
	for _, c := range cmds {
		fmt.Fprintln(a.io.ErrOut, "strata:   "+c)
	}
}

// folderTrusted reports whether the folder's own settings may widen permissions: the user
// trusted it in this run or earlier (here or in Claude Code).
func (a *app) folderTrusted() bool {
	if a.trusted {
		return true
	}
	ok, _ := trustStore(a.env).Trusted(a.env.Cwd)
	return ok
}

// dropUntrustedAllows removes the allow rules an untrusted folder brings, as the reference
// does in print mode: those of .claude/settings.json, and those of .claude/settings.local.json
// when it (or .claude) is a symbolic link — a file the repository itself can ship. Ask and
// deny rules stay: they only narrow. It returns a line for the user, "" when nothing was
// dropped.
func dropUntrustedAllows(p *settings.Permissions, cwd string) string {
	localLinked := isLink(filepath.Join(cwd, ".claude")) || isLink(filepath.Join(cwd, ".claude", "settings.local.json"))
	kept := p.Allow[:0:0]
	dropped := map[string]int{}
	for _, r := range p.Allow {
		if r.Source.Scope == settings.ScopeProject || r.Source.Scope == settings.ScopeLocal && localLinked {
			dropped[r.Source.Path]++
			continue
		}
		kept = append(kept, r)
	}
	p.Allow = kept
	if len(dropped) == 0 {
		return ""
	}
	var n int
	var files []string
	for f, c := range dropped {
		n += c
		files = append(files, f)
	}
	sort.Strings(files)
	return fmt.Sprintf("ignoring %d permissions.allow %s from %s: this folder is not trusted. Run strata here "+
		"once without -p and answer yes to the trust question (or trust it in Claude Code).",
		n, map[bool]string{true: "entry", false: "entries"}[n == 1], strings.Join(files, " and "))
}

// bringsAllowRules reports whether the folder's own settings files hold allow rules.
func bringsAllowRules(p settings.Permissions) bool {
	for _, r := range p.Allow {
		if r.Source.Scope == settings.ScopeProject || r.Source.Scope == settings.ScopeLocal {
			return true
		}
	}
	return false
}

func isLink(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&os.ModeSymlink != 0
}
