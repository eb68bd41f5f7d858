package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/strata-agent/strata/internal/proc"
)

// Options are the session facts the sandbox is built around.
type Options struct {
	Dirs []string // the working directories: writable inside the sandbox
	Home string
	// Hidden are further files and directories no sandboxed command may read: strata's own
	// configuration and state directories, wherever the environment put them.
	Hidden []string
	// Protected are the names (".claude", ".bashrc", ".config/git") that stay read-only in every
	// writable directory — the permission package's protected list, so that one list decides
	// what neither an edit nor a sandboxed command may change. ".git" is narrowed to its hooks
	// and config: git must write its objects.
	Protected []string
	// ReadOnly are further absolute paths that stay read-only (settings files named on the
	// command line, managed settings).
	ReadOnly []string
	// Excluded reports whether a command line is one of sandbox.excludedCommands (the
	// caller matches them like Bash permission rules); nil excludes nothing.
	Excluded func(command string) bool
}

// Sandbox is one session's Bash sandbox. Its methods are safe for concurrent use.
type Sandbox struct {
	cfg    Config
	status Status
	opts   Options

	mu    sync.Mutex
	on    bool   // the user's current choice (settings, then /sandbox)
	base  string // private directory: the proxy socket and the commands' temporary directory
	proxy *proxy
	// running counts the sandboxed commands alive; placeholders are the empty files bwrap
	// created as mount points where a protected path was missing, removed when running
	// drops to zero (removing one earlier would lift the mount in a running sandbox).
	running      int
	placeholders map[string]bool
}

// New returns the session's sandbox, on when the settings enable it. Nothing is started
// until the first sandboxed command.
func New(cfg Config, st Status, opts Options) *Sandbox {
	return &Sandbox{cfg: cfg, status: st, opts: opts, on: cfg.Enabled}
}

// Config returns the merged settings.
func (s *Sandbox) Config() Config { return s.cfg }

// Status returns what Probe found.
func (s *Sandbox) Status() Status { return s.status }

// Active reports whether Bash commands run sandboxed: it is on and it can run here.
func (s *Sandbox) Active() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.on && s.status.Available
}

// On reports whether the sandbox is switched on, whether or not it can run here.
func (s *Sandbox) On() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.on
}

// SetOn switches the sandbox for the rest of the session (/sandbox). Managed settings that
// enable it cannot be overridden.
func (s *Sandbox) SetOn(on bool) error {
	if !on && s.cfg.Forced {
		return errors.New("the sandbox is required by managed settings and cannot be turned off")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if on && !s.status.Available && s.status.Reason == "" { // not probed yet: it was off at start
		s.status = Probe(context.Background())
	}
	s.on = on
	return nil
}

// Summary describes the state in a few lines, for /sandbox and status displays.
func (s *Sandbox) Summary() string {
	var b strings.Builder
	switch {
	case !s.On():
		b.WriteString("Sandbox: off — Bash commands run with permission rules only.")
	case !s.status.Available:
		fmt.Fprintf(&b, "Sandbox: on in settings but NOT ACTIVE: %s.\nCommands run with permission rules only. Fix: %s", s.status.Reason, s.status.Fix)
	default:
		b.WriteString("Sandbox: active (bubblewrap) — commands write only inside the working directories and a private temporary directory; credential files are hidden.")
	}
	if s.cfg.Forced {
		b.WriteString("\nRequired by managed settings.")
	}
	domains := "none"
	if len(s.cfg.AllowedDomains) > 0 {
		domains = strings.Join(s.cfg.AllowedDomains, ", ")
	}
	fmt.Fprintf(&b, "\nNetwork: only through strata's proxy, to: %s", domains)
	if len(s.cfg.ExcludedCommands) > 0 {
		fmt.Fprintf(&b, "\nRun outside the sandbox: %s", strings.Join(s.cfg.ExcludedCommands, ", "))
	}
	fmt.Fprintf(&b, "\nAuto-allow sandboxed commands: %t; unsandboxed retries allowed: %t", s.cfg.AutoAllowBash, s.cfg.AllowUnsandboxed)
	return b.String()
}

// PromptNote tells the model, in the system prompt, that its Bash commands are confined and
// what to do when the confinement gets in the way; "" when the sandbox is not active.
func (s *Sandbox) PromptNote() string {
	if s == nil || !s.Active() {
		return ""
	}
	note := "Bash commands run in an operating-system sandbox: they may write only inside the working directories " +
		"and $TMPDIR; .claude, .mcp.json, git hooks and git config stay read-only; credential files and strata's " +
		"state cannot be read; network access goes through a proxy that admits only "
	if len(s.cfg.AllowedDomains) > 0 {
		note += "these hosts: " + strings.Join(s.cfg.AllowedDomains, ", ") + "."
	} else {
		note += "no host at all."
	}
	if s.cfg.AllowUnsandboxed {
		return note + " When a command fails because of the sandbox, you may run it again with " +
			"dangerouslyDisableSandbox: true; the user must approve that, so say why it needs to run outside."
	}
	return note + " Policy forbids running commands outside it; when it blocks a task, tell the user."
}

// Decision is how one Bash command runs.
type Decision struct {
	Wrapper proc.Wrapper // nil: outside the sandbox
	Note    string       // for the model, when the choice needs explaining
}

// Sandboxed reports whether the command runs inside.
func (d Decision) Sandboxed() bool { return d.Wrapper != nil }

// For decides how command runs. outside is the call's dangerouslyDisableSandbox: honoured
// only when allowUnsandboxedCommands is not false (the permission check asks the user).
func (s *Sandbox) For(command string, outside bool) Decision {
	if s == nil || !s.Active() {
		return Decision{}
	}
	switch {
	case outside && s.cfg.AllowUnsandboxed:
		return Decision{}
	case s.opts.Excluded != nil && s.opts.Excluded(command):
		return Decision{}
	}
	d := Decision{Wrapper: wrapper{s}}
	if outside {
		d.Note = "Note: dangerouslyDisableSandbox is ignored: the settings (allowUnsandboxedCommands: false) require every command to run in the sandbox.\n"
	}
	return d
}

// AutoAllow reports whether a Bash command needs no permission prompt because it runs in
// the sandbox (autoAllowBashIfSandboxed, on by default).
func (s *Sandbox) AutoAllow(command string, outside bool) bool {
	return s != nil && s.cfg.AutoAllowBash && s.For(command, outside).Sandboxed()
}

// AsksOutside reports whether a call asks to leave an active sandbox, which always needs
// the user's consent.
func (s *Sandbox) AsksOutside(outside bool) bool {
	return s != nil && outside && s.cfg.AllowUnsandboxed && s.Active()
}

// Close stops the proxy and removes the private directory.
func (s *Sandbox) Close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proxy != nil {
		s.proxy.close()
		s.proxy = nil
	}
	for p := range s.placeholders {
		removePlaceholder(p)
	}
	s.placeholders = nil
	if s.base != "" {
		os.RemoveAll(s.base)
		s.base = ""
	}
}

// ensure creates the private directory and starts the proxy on first use.
func (s *Sandbox) ensure() (base string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proxy != nil {
		return s.base, nil
	}
	if s.base == "" {
		if s.base, err = os.MkdirTemp("", "strata-sandbox-"); err != nil {
			return "", fmt.Errorf("creating the sandbox's directory: %w", err)
		}
		if err := os.Mkdir(filepath.Join(s.base, "tmp"), 0o700); err != nil {
			return "", err
		}
	}
	p, err := startProxy(filepath.Join(s.base, "proxy.sock"), s.cfg.hostAllowed)
	if err != nil {
		return "", err
	}
	s.proxy = p
	return s.base, nil
}

// TempDir is the commands' private temporary directory (their TMPDIR), writable inside the
// sandbox and seen at the same path outside.
func (s *Sandbox) TempDir() (string, error) {
	base, err := s.ensure()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "tmp"), nil
}

// wrapper is the proc.Wrapper of sandboxed commands.
type wrapper struct{ s *Sandbox }

func (w wrapper) Wrap(argv, env []string, dir string) ([]string, []string, error) {
	base, err := w.s.ensure()
	if err != nil {
		return nil, nil, err
	}
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	a, created := w.s.bwrapArgv(base, argv, dir)
	if w.s.placeholders == nil {
		w.s.placeholders = map[string]bool{}
	}
	for _, p := range created {
		w.s.placeholders[p] = true
	}
	w.s.running++
	return a, sandboxEnv(env, filepath.Join(base, "tmp")), nil
}

// Finished removes the placeholder mount points once no sandboxed command runs.
func (w wrapper) Finished() {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.s.running--; w.s.running > 0 {
		return
	}
	for p := range w.s.placeholders {
		removePlaceholder(p)
		delete(w.s.placeholders, p)
	}
}

// removePlaceholder removes p when it is still what bwrap left: an empty regular file.
func removePlaceholder(p string) {
	if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
		os.Remove(p)
	}
}
