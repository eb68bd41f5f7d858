// Package settings reads strata's layered settings files — the same files and keys the
// reference CLI uses (AGENT.md A7) — validates them strictly, merges them, and applies their
// `env` block to the process (B20).
//
// Files, lowest precedence first: user (<configDir>/settings.json), project
// (.claude/settings.json), local (.claude/settings.local.json), --settings (a file or inline
// JSON), managed (/etc/claude-code/managed-settings.json on Linux). Scalars and env keys from a
// higher file replace lower ones; permission rules, hook matchers and MCP server lists are
// concatenated. A broken file is an error with its path, line and column: strata never starts
// on a file it could not read completely. Keys strata does not know are kept and ignored,
// because other tools share these files.
//
// Load reads no environment variables; DefaultOptions is the one place that does (through
// the getenv it is given).
package settings

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Scope says which layer a value came from.
type Scope string

const (
	ScopeUser    Scope = "user"
	ScopeProject Scope = "project"
	ScopeLocal   Scope = "local"
	ScopeFlag    Scope = "flag"
	ScopeManaged Scope = "managed"
)

// InlinePath is the Path of a Source for inline JSON given to --settings.
const InlinePath = "(--settings)"

// Source is the file a value came from.
type Source struct {
	Scope Scope
	Path  string // InlinePath for inline --settings JSON
}

// Rule is one permission rule and the file that holds it.
type Rule struct {
	Text   string
	Source Source
}

// Permissions is the merged `permissions` object.
type Permissions struct {
	Allow, Ask, Deny             []Rule
	AdditionalDirectories        []string
	DefaultMode                  string
	DisableBypassPermissionsMode string
}

// HookCommand is one entry of a matcher's `hooks` array.
type HookCommand struct {
	Type, Command string
	Timeout       int // seconds; 0 means the hook runner's default
	// URL and Headers are an http hook's: the event is POSTed there as JSON.
	URL     string
	Headers map[string]string
	// Prompt is a prompt hook's question for the small model.
	Prompt string
}

// HookMatcher is one `{"matcher": …, "hooks": […]}` entry of an event.
type HookMatcher struct {
	Matcher string
	Hooks   []HookCommand
	Source  Source
}

// Settings is the merged view of every settings file that was found.
type Settings struct {
	Env       map[string]string // merged env block
	EnvSource map[string]Source // which file set each Env key

	Model                     string
	ModelSource               Source
	AWSAuthRefresh            string
	AWSAuthRefreshSource      Source
	AWSCredentialExport       string
	AWSCredentialExportSource Source

	Permissions Permissions
	Hooks       map[string][]HookMatcher // event → matchers, lowest file first

	CleanupPeriodDays          *int
	IncludeCoAuthoredBy        *bool
	EnableAllProjectMcpServers *bool
	EnabledMcpjsonServers      []string
	DisabledMcpjsonServers     []string
	// MCPApprovalFrom lists the files that set any of the three keys above, so a caller
	// can refuse approvals a repository ships for its own servers.
	MCPApprovalFrom  []Source
	StatusLine       json.RawMessage
	StatusLineSource Source
	// Sandbox holds each file's `sandbox` object, lowest precedence first; internal/sandbox
	// merges them (managed settings can force the sandbox on).
	Sandbox []RawSetting

	// Extra holds the top-level keys strata does not know, verbatim, from the highest file
	// that has each; ExtraSource says which file that was. strata ignores them.
	Extra       map[string]json.RawMessage
	ExtraSource map[string]Source

	Files []Source // the files actually loaded, lowest precedence first
}

// RawSetting is one file's value of a key another package interprets.
type RawSetting struct {
	Raw    json.RawMessage
	Source Source
}

// Options says where the settings files are. Empty fields skip their layer.
type Options struct {
	ConfigDir   string // holds the user settings.json (~/.claude or $CLAUDE_CONFIG_DIR)
	ProjectDir  string // holds .claude/settings.json and .claude/settings.local.json
	Flag        string // the --settings value: a file path, or inline JSON when it starts with {
	ManagedPath string // the managed-settings.json path
	// Sources, when not nil, names the only file layers read of user, project and local
	// (--setting-sources; empty reads none of them). The flag and managed layers are always read.
	Sources []Scope
}

// DefaultOptions builds the usual Options: CLAUDE_CONFIG_DIR (else home/.claude) for the user
// layer, cwd as the project, the platform's managed-settings path, and flag as given, made
// absolute against cwd when it is a relative path.
func DefaultOptions(getenv func(string) string, home, cwd, flag string) Options {
	configDir := getenv("CLAUDE_CONFIG_DIR")
	if configDir == "" {
		configDir = filepath.Join(home, ".claude")
	} else {
		configDir = absolute(configDir, home, cwd)
	}
	if flag != "" && !isInline(flag) {
		flag = absolute(flag, home, cwd)
	}
	return Options{ConfigDir: configDir, ProjectDir: cwd, Flag: flag, ManagedPath: managedPath(runtime.GOOS)}
}

// absolute expands a leading ~/ and resolves a relative path against cwd.
func absolute(p, home, cwd string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok || p == "~" {
		return filepath.Join(home, rest)
	}
	if !filepath.IsAbs(p) {
		return filepath.Join(cwd, p)
	}
	return p
}

// managedPath is where administrators put managed settings, per platform (the same places
// the reference CLI reads).
func managedPath(goos string) string {
	switch goos {
	case "darwin":
		return "/Library/Application Support/ClaudeCode/managed-settings.json"
	case "windows":
		return `C:\ProgramData\ClaudeCode\managed-settings.json`
	}
	return "/etc/claude-code/managed-settings.json"
}

func isInline(flag string) bool {
	return strings.HasPrefix(strings.TrimSpace(flag), "{")
}

// ApplyEnv calls set for every Env entry in sorted key order (so that results do not depend
// on map order). The first failure stops it; the error names the key and its file but never
// the value, which may be a secret.
func (s *Settings) ApplyEnv(set func(k, v string) error) error {
	keys := make([]string, 0, len(s.Env))
	for k := range s.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := set(k, s.Env[k]); err != nil {
			return fmt.Errorf("setting %s from the env block of %s: %w", k, s.EnvSource[k].Path, err)
		}
	}
	return nil
}

// Truthy reads a boolean environment value the way B1 defines it: 1, true, yes, on are true;
// 0, false, no, off and the empty string are false (case-insensitive, spaces trimmed). Any
// other value reports known=false.
func Truthy(v string) (on bool, known bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true, true
	case "0", "false", "no", "off", "":
		return false, true
	}
	return false, false
}
