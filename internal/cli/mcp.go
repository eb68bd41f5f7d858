package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/mcp"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/render"
	"github.com/strata-agent/strata/internal/settings"
)

// claudeJSONPath is the reference's ~/.claude.json ($CLAUDE_CONFIG_DIR/.claude.json when set),
// which holds the user and local MCP scopes.
func claudeJSONPath(env Env) string {
	if d := env.Getenv("CLAUDE_CONFIG_DIR"); d != "" {
		return filepath.Join(d, ".claude.json")
	}
	return filepath.Join(env.Home, ".claude.json")
}

// loadMCP reads the MCP configuration (A13). A broken --mcp-config is a usage error; other
// broken files are warned about and skipped.
func (a *app) loadMCP(s *settings.Settings, opts *Options) (*mcp.Loaded, error) {
	src := mcp.Sources{ProjectDir: a.env.Cwd, ClaudeJSON: claudeJSONPath(a.env), Flags: opts.MCPConfig, Strict: opts.StrictMCP}
	ld, err := mcp.Load(src, a.mcpApproval(s, opts.Settings), mcpPolicy(s))
	if err != nil {
		return nil, usageError{err}
	}
	for _, w := range ld.Warnings {
		fmt.Fprintln(a.io.ErrOut, "strata: warning: MCP servers skipped:", w)
	}
	return ld, nil
}

// mcpApproval is what the settings say about .mcp.json servers. A repository could approve
// its own servers in its .claude/settings*.json, so in a folder the user has not trusted the
// approvals come from the other files only (refusals from every file still count).
func (a *app) mcpApproval(s *settings.Settings, flag string) mcp.Approval {
	ap := approvalOf(s)
	for _, src := range s.MCPApprovalFrom {
		if (src.Scope == settings.ScopeProject || src.Scope == settings.ScopeLocal) && !a.folderTrusted() {
			o := settings.DefaultOptions(a.env.Getenv, a.env.Home, a.env.Cwd, flag)
			o.ProjectDir = ""
			outside, err := settings.Load(o)
			if err != nil {
				return mcp.Approval{Disabled: ap.Disabled}
			}
			ap.EnableAll, ap.Enabled = approvalOf(outside).EnableAll, outside.EnabledMcpjsonServers
			fmt.Fprintln(a.io.ErrOut, "strata: this folder is not trusted, so its own settings do not approve its .mcp.json servers")
			break
		}
	}
	return ap
}

func approvalOf(s *settings.Settings) mcp.Approval {
	return mcp.Approval{Enabled: s.EnabledMcpjsonServers, Disabled: s.DisabledMcpjsonServers,
		EnableAll: s.EnableAllProjectMcpServers != nil && *s.EnableAllProjectMcpServers}
}

// mcpPolicy reads allowedMcpServers and deniedMcpServers from the managed settings only.
func mcpPolicy(s *settings.Settings) mcp.Policy {
	var p mcp.Policy
	for key, dst := range map[string]*[]json.RawMessage{"allowedMcpServers": &p.Allowed, "deniedMcpServers": &p.Denied} {
		raw, ok := s.Extra[key]
		if !ok || s.ExtraSource[key].Scope != settings.ScopeManaged {
			continue
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			*dst = []json.RawMessage{} // unreadable: allow nothing, deny nothing more
		}
		if key == "allowedMcpServers" {
			p.AllowedSet = true
		}
	}
	return p
}

// mcpOptions builds the Manager's options from the environment (MCP_TIMEOUT and
// MCP_TOOL_TIMEOUT in milliseconds, MAX_MCP_OUTPUT_TOKENS).
func (a *app) mcpOptions(childEnv []string, procs *proc.Tracker, red *redact.Redactor) mcp.Options {
	ms := func(name string) time.Duration {
		n, err := strconv.Atoi(strings.TrimSpace(a.env.Getenv(name)))
		if err != nil || n <= 0 {
			return 0
		}
		return time.Duration(n) * time.Millisecond
	}
	maxTokens, _ := strconv.Atoi(strings.TrimSpace(a.env.Getenv("MAX_MCP_OUTPUT_TOKENS")))
	// ${VAR} in a server's configuration never reaches strata's own AWS credentials: a
	// repository's .mcp.json could otherwise put them on a command line (/proc/<pid>/cmdline),
	// in a URL or a header. The server's error names the variable as unset. Other secrets
	// (${GITHUB_TOKEN} in a header) are the user's to hand to their servers, as in Claude Code.
	getenv := func(name string) string {
		if redact.IsAWSSecret(name) {
			return ""
		}
		return a.env.Getenv(name)
	}
	return mcp.Options{Dir: a.env.Cwd, Env: childEnv, Getenv: getenv, Procs: procs,
		Log: a.mcpLog(red), ConnectTimeout: ms("MCP_TIMEOUT"), ToolTimeout: ms("MCP_TOOL_TIMEOUT"),
		MaxOutputTokens: maxTokens, Version: thisBuild().Version}
}

// mcpLogDir is where stdio servers' stderr goes: one file per server and project.
func (a *app) mcpLogDir() string {
	cache := a.env.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		cache = filepath.Join(a.env.Home, ".cache")
	}
	slug := strings.NewReplacer("/", "-", "\\", "-", ":", "-").Replace(a.env.Cwd)
	return filepath.Join(cache, "strata", "mcp-logs", slug)
}

func (a *app) mcpLog(red *redact.Redactor) func(string) io.WriteCloser {
	return func(server string) io.WriteCloser {
		dir := a.mcpLogDir()
		if os.MkdirAll(dir, 0o700) != nil {
			return nil
		}
		f, err := os.OpenFile(filepath.Join(dir, server+".log"), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return nil
		}
		w := red.Writer(f)
		return logFile{w: w, f: f}
	}
}

// logFile masks secrets in a server's stderr before it reaches the file.
type logFile struct {
	w *redact.Writer
	f *os.File
}

func (l logFile) Write(p []byte) (int, error) { return l.w.Write(p) }
func (l logFile) Close() error {
	_ = l.w.Flush()
	return l.f.Close()
}

// startMCP loads the configuration and starts every server in the background; the first
// prompt never waits for them.
func (a *app) startMCP(st *stack, opts *Options) error {
	if !opts.StrictMCP {
		withPlugins := *opts
		withPlugins.MCPConfig = append(append([]string(nil), opts.MCPConfig...), a.pluginMCP(st.plugins)...)
		opts = &withPlugins
	}
	ld, err := a.loadMCP(st.settings, opts)
	if err != nil {
		return err
	}
	st.mcp = mcp.New(ld, a.mcpOptions(st.childEnv, &st.procs, st.redactor))
	for _, s := range st.mcp.Statuses() {
		if s.State == mcp.StateFailed {
			fmt.Fprintln(a.io.ErrOut, "strata: warning:", s.Reason)
		}
	}
	st.mcp.Start()
	return nil
}

// initServers is the stream-json init message's mcp_servers: each server and its state now.
func initServers(m *mcp.Manager) []render.MCPServer {
	var out []render.MCPServer
	if m == nil {
		return out
	}
	for _, s := range m.Statuses() {
		out = append(out, render.MCPServer{Name: s.Name, Status: sdkState(s.State)})
	}
	return out
}

// statusLine describes one server as `strata mcp list` and /mcp show it.
func statusLine(s mcp.Status) string {
	var target string
	switch c := s.Config; c.Type {
	case mcp.TypeHTTP:
		target = c.URL + " (HTTP)"
	case mcp.TypeSSE:
		target = c.URL + " (SSE)"
	default:
		target = strings.TrimSpace(c.Command + " " + strings.Join(c.Args, " "))
	}
	if target == "" {
		target = "(" + string(s.Scope) + ")"
	}
	return fmt.Sprintf("%s: %s - %s", s.Name, target, stateText(s))
}

func stateText(s mcp.Status) string {
	switch s.State {
	case mcp.StateConnected:
		return fmt.Sprintf("✓ Connected (%d tools)", s.Tools)
	case mcp.StateConnecting:
		return "… Connecting"
	case mcp.StatePending:
		return "⏸ Pending approval (run strata and use /mcp to approve)"
	case mcp.StateDisabled:
		return "○ Disabled (" + s.Reason + ")"
	case mcp.StateBlocked:
		return "✗ Blocked (" + s.Reason + ")"
	}
	return "✗ Failed to connect: " + s.Reason
}

// MCP answers /mcp in the UI.
func (h *host) MCP(args string) []string {
	m := h.st.mcp
	verb, name, _ := strings.Cut(args, " ")
	name = strings.TrimSpace(name)
	switch {
	case verb == "":
	case m == nil:
		return []string{"No MCP servers are configured."}
	case verb == "reconnect" && name != "":
		if err := m.Reconnect(name); err != nil {
			return []string{err.Error()}
		}
		return []string{"Reconnecting " + name + "… (/mcp shows when it is up)"}
	case verb == "approve" && name != "":
		if err := m.Approve(name); err != nil {
			return []string{err.Error()}
		}
		return []string{"Starting " + name + " for this session. To approve it for good, add it to " +
			`"enabledMcpjsonServers" in .claude/settings.local.json.`}
	default:
		return []string{"Usage: /mcp, /mcp reconnect NAME, /mcp approve NAME"}
	}
	if m == nil || len(m.Statuses()) == 0 {
		return []string{"No MCP servers configured. Add one with `strata mcp add`, a project .mcp.json or --mcp-config."}
	}
	out := []string{"MCP servers:"}
	for _, s := range m.Statuses() {
		out = append(out, "  "+statusLine(s))
	}
	return append(out, "/mcp reconnect NAME connects a server again; /mcp approve NAME starts a project server for this session.")
}

// MCPPrompt fetches a server's prompt for /mcp__server__prompt in the UI.
func (h *host) MCPPrompt(ctx context.Context, command, args string) (string, error) {
	if h.st.mcp == nil {
		return "", fmt.Errorf("no MCP servers are configured, so there is no /%s", command)
	}
	return h.st.mcp.Prompt(ctx, command, args)
}

// pendingMCP is the UI's start-up line about .mcp.json servers that wait for approval.
func pendingMCP(m *mcp.Manager) []string {
	if m == nil {
		return nil
	}
	var names []string
	for _, s := range m.Statuses() {
		if s.State == mcp.StatePending {
			names = append(names, s.Name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("this project's .mcp.json has MCP servers waiting for approval: %s. "+
		"/mcp approve NAME starts one for this session; \"enabledMcpjsonServers\" in your settings approves it for good.",
		strings.Join(names, ", "))}
}
