package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/render"
	"github.com/strata-agent/strata/internal/sdkproto"
)

// sdkHost runs strata under the Claude Agent SDK (--input-format stream-json): user turns
// and control requests arrive on stdin while a turn runs (sdkproto.Conn), answers and
// messages leave on stdout.
type sdkHost struct {
	a       *app
	st      *stack
	opts    *Options
	conn    *sdkproto.Conn
	relay   *sdkproto.MCPRelay // the SDK's in-process MCP servers (sdkmcp.go)
	printer *render.Printer
	errOut  io.Writer // stderr, through the redactor
	// agentName is --agent, applied after initialize, which may define it (sdkagents.go).
	agentName     string
	agentsApplied bool

	mu     sync.Mutex
	cancel context.CancelFunc // ends the running turn; nil between turns
	model  string             // set_model's choice, applied at the next turn
	// thinking is set_max_thinking_tokens' choice for the next turn (setThinking: set).
	thinking    *llm.Thinking
	setThinking bool
}

// runSDK is print mode with stream-json input: it answers user turns until stdin ends.
func runSDK(a *app, opts *Options) error {
	agentName := opts.Agent
	opts.Agent = "" // it may name an agent only initialize defines: useAgents applies it
	st, err := a.build(a.ctx, opts)
	if err != nil {
		return err
	}
	defer st.close()
	a.noticeUntrusted(st.settings)
	st.debugStart()
	out, errOut := flushEach{st.redactor.Writer(a.io.Out)}, st.redactor.Writer(a.io.ErrOut)
	defer flush(errOut)
	h := &sdkHost{a: a, st: st, opts: opts, errOut: errOut, agentName: agentName}
	h.conn = sdkproto.New(out, h.handle, "initialize")
	h.relay = sdkproto.NewMCPRelay(h.conn)
	h.printer = render.New(render.Options{Format: render.FormatStreamJSON, IncludePartial: opts.IncludePartial,
		SessionID: st.transcript.ID()}, h.conn, errOut)
	if opts.PermissionPromptTool == "stdio" {
		st.approver = sdkApprover{h}
	}
	h.showHooks()
	served := make(chan error, 1)
	go func() { served <- h.conn.Serve(a.ctx, a.io.In) }()
	failed, runErr := h.turns(errOut)
	if err := <-served; err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	if failed {
		return silentError{errors.New("the last turn ended with an error result")}
	}
	return nil
}

// flushEach passes every line through the redacting writer at once: the SDK must see a
// message when it is written, not when the next one comes.
type flushEach struct {
	w interface {
		io.Writer
		Flush() error
	}
}

func (f flushEach) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err == nil {
		err = f.w.Flush()
	}
	return n, err
}

// turns answers user turns in order; it reports whether the last result was an error.
func (h *sdkHost) turns(errOut io.Writer) (failed bool, err error) {
	var sess *agent.Session
	defer func() {
		if sess != nil {
			sess.Close()
		}
	}()
	for turn := range h.conn.Turns() {
		content, perr := userContent(turn.Message)
		if perr != nil {
			return true, usageError{perr}
		}
		if sess == nil {
			if err := h.useAgents(nil); err != nil {
				return true, err
			}
			sess = h.startSession(errOut)
		}
		res, runErr := h.runTurn(sess, content)
		if err := h.printer.Finish(res); err != nil {
			return true, fmt.Errorf("writing the answer: %w", err)
		}
		failed = res.IsError
		if runErr != nil && !agent.IsCanceled(runErr) {
			fmt.Fprintln(errOut, "strata:", runErr)
		}
	}
	return failed, nil
}

// startSession starts the conversation once initialize has been applied.
func (h *sdkHost) startSession(errOut io.Writer) *agent.Session {
	st := h.st
	hookMessage := func(m string) { fmt.Fprintln(errOut, "strata: hook:", m) }
	source := "startup"
	if h.opts.Continue || h.opts.Resume != "" {
		source = "resume"
	}
	conv := st.sessionStart(h.a.ctx, st.transcript, st.history, source, hookMessage)
	return st.newSession(conv, h.printer.Event, h.opts.MaxTurns)
}

// runTurn runs one user turn under a context an interrupt cancels.
func (h *sdkHost) runTurn(sess *agent.Session, content []llm.ContentBlock) (*agent.Result, error) {
	ctx, cancel := context.WithCancel(h.a.ctx)
	h.mu.Lock()
	h.cancel = cancel
	if h.model != "" {
		sess.SetModel(h.model)
		h.model = ""
	}
	if h.setThinking {
		sess.SetThinking(h.thinking)
		h.thinking, h.setThinking = nil, false
	}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.cancel = nil
		h.mu.Unlock()
		cancel()
	}()
	h.waitMCP(ctx)
	h.printer.Start(render.Init{SessionID: h.st.transcript.ID(), Cwd: h.a.env.Cwd, Model: sess.Model(),
		Tools: toolNames(h.st), PermissionMode: string(h.st.checker.CurrentMode()), MCPServers: initServers(h.st.mcp),
		APIKeySource: "none", Version: thisBuild().Version, OutputStyle: h.st.style.Name, Plugins: initPlugins(h.st.plugins)})
	return sess.Run(ctx, content)
}

// interrupt stops the running turn: pending questions to the SDK are cancelled first, as
// the reference does, then the turn's model stream and tools.
func (h *sdkHost) interrupt() {
	h.conn.CancelPending()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cancel != nil {
		h.cancel()
	}
}

// userContent reads a user turn's content: a string or a list of blocks.
func userContent(raw json.RawMessage) ([]llm.ContentBlock, error) {
	var m struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || m.Role != llm.RoleUser {
		return nil, fmt.Errorf(`a user turn's message must be {"role":"user","content":…}`)
	}
	var text string
	if json.Unmarshal(m.Content, &text) == nil {
		if text == "" {
			return nil, fmt.Errorf("a user turn has empty content")
		}
		return []llm.ContentBlock{llm.TextBlock(text)}, nil
	}
	var blocks []llm.ContentBlock
	if err := json.Unmarshal(m.Content, &blocks); err != nil || len(blocks) == 0 {
		return nil, fmt.Errorf("a user turn's content must be text or a list of content blocks")
	}
	return blocks, nil
}

// handle answers the SDK's control requests.
func (h *sdkHost) handle(ctx context.Context, subtype string, raw json.RawMessage) (any, error) {
	switch subtype {
	case "initialize":
		return h.initialize(raw)
	case "interrupt":
		h.interrupt()
		return nil, nil
	case "set_permission_mode":
		var req struct {
			Mode string `json:"mode"`
		}
		_ = json.Unmarshal(raw, &req)
		return h.setPermissionMode(req.Mode)
	case "set_model":
		var req struct {
			Model string `json:"model"`
		}
		_ = json.Unmarshal(raw, &req)
		h.mu.Lock()
		h.model = firstNonEmpty(req.Model, h.st.bedrock.Model)
		h.mu.Unlock()
		return nil, nil
	case "set_max_thinking_tokens":
		return nil, h.setMaxThinking(raw)
	case "mcp_status", "mcp_message", "mcp_set_servers", "mcp_reconnect", "mcp_toggle":
		return h.sdkMCP(subtype, raw)
	}
	return nil, fmt.Errorf("Unsupported control request subtype: %s", subtype)
}

func (h *sdkHost) setPermissionMode(name string) (any, error) {
	mode, err := permission.ParseMode(name)
	if err != nil {
		return nil, err
	}
	if mode == permission.ModeBypass && !h.opts.AllowDangerousSkip && !h.opts.SkipPerms {
		return nil, fmt.Errorf("bypassPermissions needs --allow-dangerously-skip-permissions (allowDangerouslySkipPermissions)")
	}
	h.st.checker.SetMode(mode)
	h.printer.PermissionMode(string(mode))
	return map[string]any{"mode": string(mode)}, nil
}

// setMaxThinking reads set_max_thinking_tokens for the next turn: a budget turns thinking
// on with it, 0 turns it off, null returns to what the command line said.
func (h *sdkHost) setMaxThinking(raw json.RawMessage) error {
	var req struct {
		Max *int `json:"max_thinking_tokens"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return fmt.Errorf("set_max_thinking_tokens: %v", err)
	}
	t := h.st.request.thinking
	switch {
	case req.Max == nil:
	case *req.Max < 0:
		return fmt.Errorf("set_max_thinking_tokens: %d is negative", *req.Max)
	case *req.Max == 0:
		t = &llm.Thinking{Type: "disabled"}
	default:
		t = &llm.Thinking{Type: "enabled", BudgetTokens: *req.Max}
	}
	h.mu.Lock()
	h.thinking, h.setThinking = t, true
	h.mu.Unlock()
	return nil
}

// initialize applies the SDK's in-process options before the first turn.
func (h *sdkHost) initialize(raw json.RawMessage) (any, error) {
	var in sdkproto.Initialize
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("initialize: %v", err)
	}
	st := h.st
	replace, appendText := h.opts.SystemPrompt, h.opts.AppendSystem
	if text, ok := in.SystemPromptText(); ok {
		replace = text
	}
	if in.AppendSystemPrompt != "" {
		appendText = joinNonEmpty(appendText, in.AppendSystemPrompt)
	}
	sysEnv := environment(h.a.env.Cwd, st.bedrock.Model, st.checker.Dirs[1:])
	sysEnv.Sandbox = st.sandbox.PromptNote()
	st.system = agent.StyledSystemPrompt(sysEnv, replace, appendText, agentStyle(st.style))
	for event, ms := range in.Hooks {
		for _, m := range ms {
			timeout := time.Duration(m.Timeout * float64(time.Second))
			if err := st.hooks.AddCallbacks(h.hookCallback, event, m.Matcher, m.HookCallbackIDs, timeout); err != nil {
				return nil, err
			}
		}
	}
	if err := st.useSchema(string(in.JSONSchema)); err != nil {
		return nil, fmt.Errorf("initialize: jsonSchema: %w", err)
	}
	if err := h.useAgents(in.Agents); err != nil {
		return nil, fmt.Errorf("initialize: agents: %w", err)
	}
	if err := h.addSDKServers(in.SDKMCPServers); err != nil {
		return nil, fmt.Errorf("initialize: sdkMcpServers: %w", err)
	}
	return h.initializeAnswer(), nil
}

func (h *sdkHost) initializeAnswer() map[string]any {
	model := h.st.bedrock.Model
	return map[string]any{
		"commands": []any{}, "agents": h.agentList(), "output_style": h.st.style.Name, "available_output_styles": h.st.styles.Names(),
		"models": []map[string]any{{"value": model, "resolvedModel": model, "displayName": model,
			"description": "the model strata was started with"}},
		"account": map[string]any{"apiProvider": "bedrock"}, "pid": os.Getpid(),
	}
}

// hookCallback asks the SDK to run one of the hooks it registered.
func (h *sdkHost) hookCallback(ctx context.Context, id string, input json.RawMessage, toolUseID string) (json.RawMessage, error) {
	req := map[string]any{"subtype": "hook_callback", "callback_id": id, "input": input}
	if toolUseID != "" {
		req["tool_use_id"] = toolUseID
	}
	return h.conn.Request(ctx, req)
}

// sdkApprover asks the SDK's canUseTool (--permission-prompt-tool stdio).
type sdkApprover struct{ h *sdkHost }

func (s sdkApprover) Approve(ctx context.Context, req permission.Request) (permission.Answer, error) {
	input := req.Call.Input
	if len(input) == 0 {
		input = json.RawMessage("{}")
	}
	body, err := s.h.conn.Request(ctx, map[string]any{"subtype": "can_use_tool", "tool_name": req.Call.Tool,
		"display_name": req.Call.Tool, "input": input, "description": req.Summary,
		"permission_suggestions": suggestions(req), "tool_use_id": req.ToolUseID})
	var remote *sdkproto.RemoteError
	switch {
	case errors.As(err, &remote):
		return permission.Answer{Reason: remote.Message}, nil
	case err != nil:
		return permission.Answer{}, err
	}
	ans, err := sdkproto.ParsePermissionAnswer(body)
	if err != nil {
		return permission.Answer{Reason: err.Error()}, nil
	}
	if ans.Behavior == "allow" {
		s.h.applyUpdates(ans.UpdatedPermissions)
		return permission.Answer{Allow: true, UpdatedInput: string(ans.UpdatedInput)}, nil
	}
	if ans.Interrupt {
		defer s.h.interrupt()
	}
	return permission.Answer{Reason: ans.Message}, nil
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "\n\n" + b
}

// suggestions are the rules "allow always" would save, in the SDK's PermissionUpdate shape,
// so a canUseTool callback can offer them.
func suggestions(req permission.Request) []any {
	texts := req.Suggestions
	if req.Suggestion != "" {
		texts = []string{req.Suggestion}
	}
	var rules []any
	for _, t := range texts {
		r, err := permission.ParseRule(t, "suggestion")
		if err != nil {
			continue
		}
		rule := map[string]any{"toolName": r.Tool}
		if r.Specifier != "" {
			rule["ruleContent"] = r.Specifier
		}
		rules = append(rules, rule)
	}
	if len(rules) == 0 {
		return []any{}
	}
	return []any{map[string]any{"type": "addRules", "rules": rules, "behavior": "allow", "destination": "localSettings"}}
}
