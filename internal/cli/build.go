package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/hooks"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/mcp"
	"github.com/strata-agent/strata/internal/memory"
	"github.com/strata-agent/strata/internal/models"
	"github.com/strata-agent/strata/internal/outputstyles"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/plugins"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/sandbox"
	"github.com/strata-agent/strata/internal/session"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/skills"
	"github.com/strata-agent/strata/internal/subagents"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/builtin"
	"github.com/strata-agent/strata/internal/tool/structured"
)

// stack is everything one session runs on, built in the order B20 requires: settings, their
// env block applied, then the AWS configuration.
type stack struct {
	settings *settings.Settings
	bedrock  *bedrock.Config
	client   *bedrock.Client
	checker  *permission.Checker
	sandbox  *sandbox.Sandbox // Bash's OS sandbox; always set, maybe off
	hooks    *hooks.Runner
	// configWatch tells ConfigChange hooks of settings files changed since (configwatch.go).
	configWatch *configWatch
	cwd         string            // where strata started: every conversation's tools start here
	childEnv    []string          // the whole environment of tool subprocesses, scrubbed (B15)
	todos       func([]tool.Todo) // receives TodoWrite lists; nil in print mode
	tools       []tool.Tool
	redactor    *redact.Redactor
	transcript  *session.Transcript // the first conversation's; the interactive host takes it over
	history     []llm.Message
	memory      string // CLAUDE.md files, for the first message of a new conversation
	// memoryFiles are those files, for the InstructionsLoaded hooks of each conversation.
	memoryFiles []memory.File
	system      string
	mode        permission.Mode
	approver    permission.Approver     // who answers "ask"; nil in print mode, where nobody can
	onAlways    func(rule string) error // saves an "allow always" rule; nil in print mode
	debug       *debugLog               // -d/--debug; nil when off
	// agents are the sub-agent definitions; subAgentTypes what each runs with (agents.go).
	agents        *subagents.Set
	subAgentTypes map[string]agent.SubAgentType
	// fallbackModel answers for the rest of a turn when the main model stays overloaded.
	fallbackModel string
	// userID makes metadata.user_id for a session ID (identity.go).
	userID      func(sessionID string) string
	agentSystem string           // the main session's prompt under --agent; "" otherwise
	skills      *skills.Set      // ~/.claude/skills and .claude/skills (skills.go)
	plugins     []plugins.Plugin // --plugin-dir
	// styles are the output styles; style the one the session answers in (outputstyle.go).
	styles *outputstyles.Set
	style  outputstyles.Style
	// compose builds the main system prompt in a style; nil under --agent.
	compose func(outputstyles.Style) string
	closers []func() error // files to close with the stack (the debug log)
	// pending builds client while build goes on; build waits for it before it returns.
	pending *pendingClient
	// createdTranscript: this start created transcript (not resumed it), so a failed start
	// removes it.
	createdTranscript bool
	// mcp holds the MCP servers' connections; nil when none were loaded (A13).
	mcp *mcp.Manager
	// procs holds the hooks and credential commands still running; close stops them, so
	// that strata's exit (Ctrl-C included) leaves none of their process groups behind.
	procs proc.Tracker
	warn  io.Writer // where configuration warnings go (stderr)
	// answer is the StructuredOutput tool when the caller gave a JSON schema; nil otherwise.
	answer *structured.Tool
	// request is what the Agent SDK's flags ask of every model request (sdkflags.go).
	request requestOptions

	// files runs the FileChanged hooks while strata runs; nil without any (filechanged.go).
	files *fileHooks
	// live is what turning plugins on and off during a session needs (pluginlive.go).
	live *liveExt
	// autoCompactOff: autoCompactEnabled is false (settings, or /config while strata runs).
	autoCompactOff atomic.Bool
}

// close releases what the stack holds open.
func (st *stack) close() {
	if st.transcript != nil {
		_ = st.transcript.Close()
	}
	if st.mcp != nil {
		st.mcp.Close() // servers see their stdin close first, then their groups are stopped
	}
	st.files.close() // before the hooks' processes are stopped, so that none starts after
	st.procs.KillAll()
	for _, c := range st.closers {
		_ = c()
	}
}

// build assembles a session from the configuration. Failures are configuration errors the
// user can fix, and say how.
func (a *app) build(ctx context.Context, opts *Options) (_ *stack, err error) {
	st := &stack{warn: a.io.ErrOut}
	defer func() {
		if err != nil {
			// The AWS configuration's errors come first, as when it was loaded in turn (the
			// steps build takes before waiting for it only read files).
			if _, cerr := st.pending.wait(); cerr != nil {
				err = cerr
			}
			st.close() // a transcript already opened is closed, background jobs stopped
			if st.createdTranscript {
				_ = os.Remove(st.transcript.Path()) // a failed start leaves no session to resume
			}
		}
	}()
	// Tool subprocesses (Bash, hooks) get the environment strata was started with, taken
	// before the settings' env blocks apply, minus AWS secrets (B15): values from env blocks
	// stay inside strata (the seed's reason for putting AWS_PROFILE there), unless
	// strataPassEnv names them.
	startEnv := a.env.Environ()

	sopts := settings.DefaultOptions(a.env.Getenv, a.env.Home, a.env.Cwd, opts.Settings)
	if sopts.Sources, err = opts.settingScopes(); err != nil {
		return nil, usageError{err}
	}
	s, err := settings.Load(sopts)
	if err != nil {
		return nil, fmt.Errorf("reading settings: %w", err)
	}
	st.settings = s
	if err := refuseRootBypass(a.env, opts, s.Permissions); err != nil {
		return nil, err
	}
	passEnv, err := passThroughEnv(s)
	if err != nil {
		return nil, &llm.Error{Kind: llm.ErrConfig, Message: err.Error()}
	}
	childEnv := childEnvironment(startEnv, passEnv, s.Env)
	if err := s.ApplyEnv(a.env.Setenv); err != nil {
		return nil, fmt.Errorf("applying the settings env block: %w", err)
	}
	if err := a.connect(ctx, st, opts); err != nil {
		return nil, err
	}
	// Trust is read (strata's store, and Claude Code's possibly large .claude.json) only when
	// the folder brings allow rules: most starts skip it.
	if bringsAllowRules(st.settings.Permissions) && !a.folderTrusted() {
		if msg := dropUntrustedAllows(&st.settings.Permissions, a.env.Cwd); msg != "" {
			fmt.Fprintln(a.io.ErrOut, "strata: "+msg)
		}
	}
	if err := st.permissions(opts, a.env.Cwd, a.env.Home, a.env.Getenv); err != nil {
		return nil, err
	}
	st.cwd, st.childEnv = a.env.Cwd, childEnv
	if st.tools, err = selectTools(append(builtin.Tools(), userTools(opts)...), opts.Tools); err != nil {
		return nil, usageError{err}
	}
	if err := a.loadFiles(st, opts); err != nil {
		return nil, err
	}
	// Nothing before this point acts on the world; what follows may (a sandbox probe, the
	// transcript, MCP servers, hooks), so a broken AWS configuration stops the start here.
	if st.client, err = st.pending.wait(); err != nil {
		return nil, err
	}
	if err := a.setupSandbox(ctx, st); err != nil {
		return nil, err
	}
	if err := a.openTranscript(st, opts); err != nil {
		return nil, err
	}
	if err := a.startMCP(st, opts); err != nil {
		return nil, err
	}
	if err := a.startHooks(st, childEnv, passEnv); err != nil {
		return nil, err
	}
	st.configWatch.apply = a.liveSettings(st, sopts)
	st.live = &liveExt{agentsJSON: opts.Agents, sopts: sopts, strictMCP: opts.StrictMCP}
	st.compose = func(s outputstyles.Style) string {
		sysEnv := environment(a.env.Cwd, st.bedrock.Model, st.checker.WorkingDirs()[1:])
		sysEnv.Sandbox = st.sandbox.PromptNote()
		return agent.StyledSystemPrompt(sysEnv, opts.SystemPrompt, opts.AppendSystem, agentStyle(s))
	}
	st.system = st.compose(st.style)
	if err := a.loadSkills(st); err != nil {
		return nil, err
	}
	if err := a.loadAgents(st, opts); err != nil {
		return nil, err
	}
	if st.agentSystem != "" {
		st.system, st.compose = st.agentSystem, nil
	}
	st.request = thinkingByDefault(withSettings(requestFlags(&opts.SDKOptions), st.settings.Extra), st.bedrock.MaxThinkingTokens)
	st.userID = a.userIDMaker()
	st.fallbackModel = st.pickFallback(opts.FallbackModel)
	if err := st.useSchema(opts.JSONSchema); err != nil {
		return nil, usageError{fmt.Errorf("--json-schema: %w", err)}
	}
	if opts.Debug || opts.DebugFile != "" {
		w, err := st.debugWriter(a.io.ErrOut, opts.DebugFile)
		if err != nil {
			return nil, err
		}
		st.debug = &debugLog{w: w, redact: st.redactor.String}
	}
	return st, nil
}

// loadFiles reads what the session is made of and only reads: the plugins, the CLAUDE.md
// memory and the output styles (which plugins may add to).
func (a *app) loadFiles(st *stack, opts *Options) error {
	for _, d := range opts.PluginDirs {
		p, err := plugins.Load(d)
		if err != nil {
			return usageError{err}
		}
		st.plugins = append(st.plugins, p)
	}
	a.loadEnabledPlugins(st)
	if err := a.addPluginHooks(st); err != nil {
		return err
	}
	files, err := memory.LoadWith(a.memoryOptions(st.settings))
	if err != nil {
		return fmt.Errorf("reading CLAUDE.md memory: %w", err)
	}
	st.memory, st.memoryFiles = memory.Render(files), files
	st.autoCompactOff.Store(!settingBool(st.settings.Extra["autoCompactEnabled"], true))
	a.loadOutputStyles(st)
	return nil
}

// conversation is what one agent session starts from: its transcript, the history it
// continues (nil for a new one) and the memory text for its first message.
type conversation struct {
	transcript  *session.Transcript
	history     []llm.Message
	memory      string
	checkpoints agent.Checkpointer // file checkpoints for /rewind; nil keeps none
}

// newSession starts an agent session on c, reporting to sink. Everything the session
// accumulates (tool state, usage, denials) is its own; the caller closes it.
func (st *stack) newSession(c conversation, sink func(agent.Event), maxTurns int) *agent.Session {
	tools, system := st.tools, st.system
	if st.answer != nil {
		tools = append(append([]tool.Tool(nil), tools...), st.answer)
		system += "\n" + structured.Instruction + "\n"
	}
	c.transcript.SetPermissionMode(func() string { return string(st.checker.CurrentMode()) })
	return agent.New(agent.Config{
		Client: st.debug.wrap(st.client), Model: st.bedrock.Model, MaxTokens: st.bedrock.MaxOutputTokens,
		Small: st.debug.wrap(st.client.Small()), SmallModel: st.bedrock.SmallFastModel,
		System: system, Memory: c.memory, Tools: tools, More: st.toolSource(), Redact: st.redactor.String, RequireStructured: st.answer != nil,
		Cwd: st.cwd, Environ: st.childEnv, ShellEnv: func() string { return st.hooks.SessionEnv(c.transcript.ID()) }, Todos: st.todos, Sandbox: st.sandbox, ReleaseEnv: builtin.Shutdown,
		Permissions: st.checker, Approver: st.approver, OnAllowAlways: st.onAlways, Hooks: st.hookRunner(),
		SubAgentTypes: st.subAgentTypes, Checkpoints: c.checkpoints,
		MaxTurns: maxTurns, Transcript: c.transcript, SessionID: c.transcript.ID(), TranscriptPath: c.transcript.Path(),
		MetadataUserID: st.userID(c.transcript.ID()), FallbackModel: st.fallbackModel,
		Sink: sink, Cost: st.cost, Limits: st.client.Limits, CompactAt: st.compactAt,
		Thinking: st.request.thinking, Effort: st.request.effort, Betas: st.request.betas, MaxBudgetUSD: st.request.budget,
	}, c.history)
}

// toolSource offers the MCP servers' tools; nil (not a nil *Manager) when there is none.
func (st *stack) toolSource() agent.ToolSource {
	if st.mcp == nil {
		return nil
	}
	return st.mcp
}

// connect loads the Bedrock configuration and builds the client. It makes no request.
func (a *app) connect(ctx context.Context, st *stack, opts *Options) error {
	s := st.settings
	envSources := map[string]string{}
	for k, src := range s.EnvSource {
		envSources[k] = src.Path
	}
	cfg, err := bedrock.LoadConfig(a.env.Getenv, bedrock.SettingsView{
		AWSAuthRefresh: s.AWSAuthRefresh, AWSAuthRefreshSource: s.AWSAuthRefreshSource.Path,
		AWSCredentialExport: s.AWSCredentialExport, AWSCredentialExportSource: s.AWSCredentialExportSource.Path,
		Model: s.Model, ModelSource: s.ModelSource.Path, FlagModel: opts.Model, EnvSources: envSources,
		ModelOverrides: a.modelOverrides(s),
	})
	if err != nil {
		return err
	}
	if !cfg.Enabled {
		return &llm.Error{Kind: llm.ErrConfig, Message: "Bedrock mode is off: strata runs Claude on Amazon Bedrock only.",
			Fix: "Turn it on with `export CLAUDE_CODE_USE_BEDROCK=1` (or \"CLAUDE_CODE_USE_BEDROCK\": \"1\" in the env block of ~/.claude/settings.json)."}
	}
	st.bedrock = cfg
	if err := a.restrictModels(st, opts.Model); err != nil {
		return err
	}
	st.redactor = redact.New()
	st.redactor.AddEnv(a.env.Environ())
	st.redactor.Add(cfg.BearerToken)
	for _, w := range cfg.Warnings {
		fmt.Fprintln(a.io.ErrOut, "strata: warning:", w)
	}
	bopts := bedrock.Options{Stderr: a.io.ErrOut, Redactor: st.redactor, CommandEnv: a.env.Environ(),
		Procs: &st.procs, AppID: appID(a.env.Getenv), Version: thisBuild().Version}
	st.pending = startClient(func() (*bedrock.Client, error) { return bedrock.New(ctx, cfg, bopts) })
	return nil
}

// pendingClient is bedrock.New running on another goroutine while build does the rest:
// loading the AWS configuration and building the SDK's clients is the largest step of a
// start-up that does not depend on the others, and the machine has a second core.
type pendingClient struct {
	done   chan struct{}
	client *bedrock.Client
	err    error
}

func startClient(build func() (*bedrock.Client, error)) *pendingClient {
	p := &pendingClient{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.client, p.err = build()
	}()
	return p
}

// wait returns the client, or why it could not be built; nil waits for nothing.
func (p *pendingClient) wait() (*bedrock.Client, error) {
	if p == nil {
		return nil, nil
	}
	<-p.done
	return p.client, p.err
}

// permissions builds the checker from settings and flags (A8), with strata's own rules:
// reading tools never see AWS credentials and caches or strata's session state, and writes
// to strata's settings files ask like every protected path.
func (st *stack) permissions(opts *Options, cwd, home string, getenv func(string) string) error {
	p := st.settings.Permissions
	mode, err := permission.ParseMode(opts.PermissionMode)
	if err != nil {
		return usageError{err}
	}
	if opts.PermissionMode == "" {
		// A mode Claude Code knows but strata does not run (auto) must not stop strata.
		if mode, err = permission.ParseMode(p.DefaultMode); err != nil {
			fmt.Fprintf(st.warn, "strata: warning: settings defaultMode: %v; using default\n", err)
			mode = permission.ModeDefault
		}
	}
	if opts.SkipPerms {
		mode = permission.ModeBypass
	}
	if mode == permission.ModeBypass && p.DisableBypassPermissionsMode == "disable" {
		return &llm.Error{Kind: llm.ErrConfig, Message: "bypassPermissions mode is disabled by your settings (disableBypassPermissionsMode)."}
	}
	c := &permission.Checker{Mode: mode, Dirs: []string{cwd}, Cwd: cwd, Home: home}
	for _, d := range append(append([]string(nil), opts.AddDirs...), p.AdditionalDirectories...) {
		if !filepath.IsAbs(d) {
			d = filepath.Join(cwd, d)
		}
		c.Dirs = append(c.Dirs, filepath.Clean(d))
	}
	add := func(dst *[]permission.Rule, texts []string, source string) error {
		for _, t := range texts {
			r, err := permission.ParseRule(t, source)
			if err != nil {
				return err
			}
			*dst = append(*dst, r)
		}
		return nil
	}
	for _, set := range []struct {
		dst   *[]permission.Rule
		rules []settings.Rule
	}{{&c.AllowRules, p.Allow}, {&c.AskRules, p.Ask}, {&c.DenyRules, p.Deny}} {
		for _, r := range set.rules {
			if err := add(set.dst, []string{r.Text}, r.Source.Path); err != nil {
				return &llm.Error{Kind: llm.ErrConfig, Message: err.Error()}
			}
			(*set.dst)[len(*set.dst)-1].Base = ruleBase(r.Source, cwd)
		}
	}
	for _, set := range []struct {
		dst   *[]permission.Rule
		texts []string
		flag  string
	}{{&c.AllowRules, opts.AllowedTools, "--allowedTools"}, {&c.DenyRules, opts.DisallowedTools, "--disallowedTools"}} {
		var texts []string
		for _, v := range set.texts {
			texts = append(texts, permission.SplitRuleList(v)...)
		}
		if err := add(set.dst, texts, set.flag); err != nil {
			return usageError{err}
		}
	}
	// Built in, after the user's rules: ~/.aws/config is denied too, since it may hold keys
	// and credential_process commands as well as the credentials file does.
	// The transcripts of every session, strata's and Claude Code's, are kept from the model too:
	// they hold what other sessions read, which this one's rules may not allow.
	where := settings.DefaultOptions(getenv, home, cwd, opts.Settings)
	secret := []string{getenv("AWS_SHARED_CREDENTIALS_FILE"), getenv("AWS_CONFIG_FILE"),
		filepath.Dir(session.DefaultDir(getenv, home)), session.ProjectsDir(where.ConfigDir)}
	if home != "" {
		for _, p := range []string{"credentials", "config", "sso/cache", "cli/cache", "login/cache"} {
			secret = append(secret, filepath.Join(home, ".aws", p))
		}
	}
	for _, p := range secret {
		if !filepath.IsAbs(p) {
			continue
		}
		r, err := permission.PathRule("Read", p, "built in: strata keeps credentials and session state from the model")
		if err != nil {
			return &llm.Error{Kind: llm.ErrConfig, Message: err.Error()}
		}
		c.DenyRules = append(c.DenyRules, r)
	}
	// strata's state directory holds the folder trust store: a model that could write it
	// would mark folders trusted, so their settings' commands run without the trust prompt.
	c.Protected = append(c.Protected, where.ConfigDir, where.ManagedPath, filepath.Dir(session.DefaultDir(getenv, home)))
	if filepath.IsAbs(where.Flag) {
		c.Protected = append(c.Protected, where.Flag)
	}
	// The env file runs before every Bash command (hooks.SessionEnv): a tool writing it would
	// run code past the decision on the next command.
	if f := getenv("CLAUDE_ENV_FILE"); filepath.IsAbs(f) {
		c.Protected = append(c.Protected, f)
	}
	for _, f := range st.settings.Files {
		if filepath.IsAbs(f.Path) {
			c.Protected = append(c.Protected, f.Path)
		}
	}
	if err := c.Validate(); err != nil {
		return &llm.Error{Kind: llm.ErrConfig, Message: err.Error()}
	}
	st.checker, st.mode = c, mode
	return nil
}

// openTranscript starts a new transcript or reopens one (-c, -r).
func (a *app) openTranscript(st *stack, opts *Options) error {
	store := sessionStore(a.env)
	id := opts.Resume
	if opts.Continue {
		latest, err := store.Latest(a.env.Cwd)
		if err != nil {
			return err
		}
		id = latest
	}
	newStore, err := a.newSessionStore(st, store, opts)
	if err != nil {
		return err
	}
	if id == "" {
		if opts.ResumeSessionAt != "" {
			return usageError{fmt.Errorf("--resume-session-at needs --resume or --continue")}
		}
		st.transcript, err = newStore.Create(opts.SessionID, a.env.Cwd, st.redactor)
		st.createdTranscript = err == nil
		return err
	}
	if st.transcript, st.history, err = store.ResumeAt(id, a.env.Cwd, opts.ResumeSessionAt, st.redactor); err != nil || !opts.ForkSession {
		return err
	}
	// --fork-session: the conversation goes on under a new ID; the old transcript stays as it was.
	_ = st.transcript.Close()
	if st.transcript, err = newStore.Create(opts.SessionID, a.env.Cwd, st.redactor); err != nil {
		return err
	}
	st.createdTranscript = true
	return copyHistory(st.transcript, st.history, st.bedrock.Model)
}

// newSessionStore is where new transcripts go: the session store, or with
// --no-session-persistence a private folder removed when strata ends.
func (a *app) newSessionStore(st *stack, store session.Store, opts *Options) (session.Store, error) {
	if !opts.NoSessionPersistence {
		return store, nil
	}
	dir, err := os.MkdirTemp("", "strata-session-")
	if err != nil {
		return store, fmt.Errorf("--no-session-persistence: %w", err)
	}
	st.closers = append(st.closers, func() error { return os.RemoveAll(dir) })
	return session.Store{Dir: dir}, nil
}

// copyHistory writes a resumed conversation into a fork's new transcript.
func copyHistory(tr *session.Transcript, history []llm.Message, model string) error {
	for _, m := range history {
		var err error
		if m.Role == llm.RoleAssistant {
			err = tr.AppendAssistant(&llm.Response{Type: "message", Role: m.Role, Model: model, Content: m.Content}, model)
		} else {
			err = tr.AppendUser(m)
		}
		if err != nil {
			return fmt.Errorf("--fork-session: writing the new transcript: %w", err)
		}
	}
	return nil
}

func configDir(env Env) string {
	if d := env.Getenv("CLAUDE_CONFIG_DIR"); d != "" {
		return d
	}
	return filepath.Join(env.Home, ".claude")
}

// environment describes where strata runs, for the system prompt.
func environment(cwd, model string, extraDirs []string) agent.Environment {
	repo, branch := gitState(cwd)
	return agent.Environment{Cwd: cwd, Platform: runtime.GOOS, Date: time.Now(), GitRepo: repo,
		GitBranch: branch, Model: model, ExtraDirs: extraDirs}
}

// gitState finds the repository around dir by reading .git/HEAD: no subprocess on start-up.
func gitState(dir string) (repo bool, branch string) {
	for d := dir; ; d = filepath.Dir(d) {
		head, err := os.ReadFile(filepath.Join(d, ".git", "HEAD"))
		if err == nil {
			ref := strings.TrimSpace(string(head))
			return true, strings.TrimPrefix(ref, "ref: refs/heads/")
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return true, "" // a worktree or submodule: .git is a file
		}
		if parent := filepath.Dir(d); parent == d {
			return false, ""
		}
	}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// compactAt is the input size at which a conversation is summarised before the next request:
// 85% of the model's context window (A10). Application inference profiles count as their base
// model; a model strata cannot place is compacted only when Bedrock says the input is too long.
func (st *stack) compactAt(model string) int {
	if st.autoCompactOff.Load() {
		return 0 // compacted only when Bedrock says the input is too long
	}
	m, ok := st.client.BaseModel(model)
	if !ok {
		return 0
	}
	_, oneM := models.Strip1M(model)
	return m.Window(oneM) * 85 / 100
}

// cost prices usage (A14) with the client's prices, which also know application-inference-
// profile ARNs (priced as their base model) and defaults replaced by a fallback.
func (st *stack) cost(model string, u llm.Usage) (float64, bool) {
	p, ok := st.client.Price(model)
	if !ok {
		return 0, false
	}
	mu := models.Usage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
		CacheCreationInputTokens: u.CacheCreationInputTokens, CacheReadInputTokens: u.CacheReadInputTokens}
	if st.bedrock.PromptCache1h {
		return p.Cost1h(mu), true
	}
	return p.Cost(mu), true
}

var errNoPrompt = errors.New("no prompt: give it as an argument (strata -p \"…\") or on stdin")

// memoryOptions says where the memory files are: the managed CLAUDE.md beside the managed
// settings, and claudeMdExcludes from the settings (a malformed value is ignored, as a
// missing one is).
func (a *app) memoryOptions(s *settings.Settings) memory.Options {
	o := memory.Options{Cwd: a.env.Cwd, ConfigDir: configDir(a.env), Home: a.env.Home,
		ManagedDir: filepath.Dir(settings.DefaultOptions(a.env.Getenv, a.env.Home, a.env.Cwd, "").ManagedPath)}
	if s != nil {
		if raw, ok := s.Extra["claudeMdExcludes"]; ok {
			_ = json.Unmarshal(raw, &o.Excludes)
		}
	}
	return o
}

// useSchema offers the StructuredOutput tool for schema (--json-schema, or the Agent SDK's
// initialize); "" leaves things as they are.
func (st *stack) useSchema(schema string) error {
	if strings.TrimSpace(schema) == "" || schema == "null" {
		return nil
	}
	t, err := structured.New(json.RawMessage(schema))
	if err != nil {
		return err
	}
	st.answer = t
	return nil
}

// debugWriter is where -d/--debug writes: stderr, or the --debug-file (private, appended).
func (st *stack) debugWriter(stderr io.Writer, path string) (io.Writer, error) {
	if path == "" {
		return stderr, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--debug-file: %w", err)
	}
	st.closers = append(st.closers, f.Close)
	return f, nil
}

// appID names strata and how it was started in the User-Agent of its requests: the Agent SDK
// sets CLAUDE_CODE_ENTRYPOINT (sdk-ts, sdk-py), as it does for the reference.
func appID(getenv func(string) string) string {
	entry := getenv("CLAUDE_CODE_ENTRYPOINT")
	if entry == "" {
		entry = "cli"
	}
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, entry)
	return "strata-" + clean
}
