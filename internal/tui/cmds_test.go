package tui

import (
	"errors"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
)

// extHost is the fake host with the optional abilities of hostext.go, recording the calls.
type extHost struct {
	*fakeHost
	calls   []string
	rules   []ScopedRule
	config  []ConfigItem
	usage   ContextUsage
	forked  *fakeSession
	checkOK bool
}

func (e *extHost) RenameSession(name string) error {
	e.calls = append(e.calls, "rename "+name)
	return nil
}
func (e *extHost) ForkSession(title string) (Session, string, error) {
	e.calls = append(e.calls, "fork "+title)
	return e.forked, "33333333-3333-3333-3333-333333333333", nil
}
func (e *extHost) CheckDir(path string) (string, error) {
	if !e.checkOK {
		return "", errors.New("path /nowhere was not found")
	}
	return "/abs/" + path, nil
}
func (e *extHost) AddDir(abs string, remember bool) (string, error) {
	e.calls = append(e.calls, "adddir "+abs+" "+map[bool]string{true: "remember", false: "session"}[remember])
	return "Added " + abs, nil
}
func (e *extHost) PermissionRules() []ScopedRule { return e.rules }
func (e *extHost) AddPermissionRule(list, rule, scope string) error {
	e.calls = append(e.calls, "add "+list+" "+rule+" "+scope)
	if strings.HasPrefix(rule, "Bash(") && !strings.HasSuffix(rule, ")") {
		return errors.New(`"` + rule + `" is not a permission rule: missing )`)
	}
	return nil
}
func (e *extHost) RemovePermissionRule(r ScopedRule) error {
	e.calls = append(e.calls, "remove "+r.Rule+" "+r.Scope)
	return nil
}
func (e *extHost) MovePermissionRule(r ScopedRule, scope string) error {
	e.calls = append(e.calls, "move "+r.Rule+" "+r.Scope+" "+scope)
	return nil
}
func (e *extHost) WorkingDirs() []string      { return []string{"/work/p", "/data/shared"} }
func (e *extHost) ContextUsage() ContextUsage { return e.usage }
func (e *extHost) ConfigItems() []ConfigItem  { return e.config }
func (e *extHost) SetConfig(k, v string) (string, error) {
	e.calls = append(e.calls, "set "+k+"="+v)
	return k + " set to " + v, nil
}

func newExtHarness(t *testing.T) (*harness, *extHost) {
	var ext *extHost
	h := newHarness(t, func(o *Options) {
		ext = &extHost{fakeHost: o.Host.(*fakeHost)}
		o.Host = ext
	})
	return h, ext
}

func (e *extHost) mustCall(t *testing.T, want ...string) {
	t.Helper()
	if strings.Join(e.calls, "|") != strings.Join(want, "|") {
		t.Errorf("host calls %q, want %q", e.calls, want)
	}
}

func TestPermissionsPickerAddsRemovesAndMoves(t *testing.T) {
	h, ext := newExtHarness(t)
	ext.rules = []ScopedRule{
		{List: "deny", Rule: "WebFetch", Scope: "cli --disallowedTools", Source: "--disallowedTools"},
		{List: "allow", Rule: "Bash(go test:*)", Scope: "project", Path: "/p/.claude/settings.json"},
	}
	h.enterLine("/permissions")
	h.mustShow(h.view(), "Permissions · default mode (Shift+Tab changes it) · 2 rules by scope", "+ Add a rule", "deny  WebFetch", "allow Bash(go test:*)",
		"project · /p/.claude/settings.json", "dir   /data/shared")

	// Add: the list, the rule typed into the input box, then the scope.
	h.key("enter")
	h.mustShow(h.view(), "what should it do?", "Allow", "Deny")
	h.typeText("deny")
	h.key("enter")
	h.mustShow(h.view(), "Rule to deny")
	h.typeText("Read(./secrets/**)")
	h.key("enter")
	h.mustShow(h.view(), "Where should deny Read(./secrets/**) be kept?", "Local settings", "User settings")
	h.typeText("user")
	h.key("enter")
	h.settle()
	h.mustShow(h.out(), "Added deny Read(./secrets/**) to the user settings.")

	// A bad rule is refused with the reason.
	h.enterLine("/permissions")
	h.key("enter")
	h.key("enter") // Allow
	h.typeText("Bash(npm")
	h.key("enter")
	h.key("enter") // local
	h.settle()
	h.mustShow(h.out(), `Not added: "Bash(npm" is not a permission rule: missing )`)

	// Remove and move a project rule; a CLI rule cannot be changed.
	for _, step := range []struct{ search, action, want string }{
		{"go test", "remove", "Removed allow Bash(go test:*) from the project settings."},
		{"go test", "local", "Moved allow Bash(go test:*) to the local settings."},
		{"webfetch", "", "comes from cli --disallowedTools; change it where it is set"},
	} {
		h.enterLine("/permissions")
		h.typeText(step.search)
		h.key("enter")
		if step.action != "" {
			h.typeText(step.action)
			h.key("enter")
		}
		h.settle()
		h.mustShow(h.out(), step.want)
	}
	ext.mustCall(t, "add deny Read(./secrets/**) user", "add allow Bash(npm local",
		"remove Bash(go test:*) project", "move Bash(go test:*) project local")
	if h.m.picker != nil || h.m.asking != nil {
		t.Error("a picker or question is still open")
	}
}

func TestRenameForkAndAddDir(t *testing.T) {
	h, ext := newExtHarness(t)
	ext.forked = h.host.next
	h.enterLine("/rename payments   refactor")
	h.enterLine("/rename")
	h.mustShow(h.view(), "Name for this conversation")
	h.typeText("second name")
	h.key("enter")
	h.enterLine("/fork")
	h.settle()
	h.mustShow(h.out(), "Session renamed to payments refactor", "Session renamed to second name",
		"Forked the conversation into session 33333333", "strata -r "+testSessionID)
	if h.m.sessID != "33333333-3333-3333-3333-333333333333" || h.m.sess != Session(h.host.next) {
		t.Error("the UI did not move to the fork")
	}

	h.enterLine("/add-dir nowhere")
	h.settle()
	h.mustShow(h.out(), "path /nowhere was not found")
	ext.checkOK = true
	h.enterLine("/add-dir data")
	h.mustShow(h.view(), "Add /abs/data as a working directory?", "Yes, for this session", "Yes, and remember this directory", "No")
	h.key("down", "enter")
	h.settle()
	h.mustShow(h.out(), "Added /abs/data")
	ext.mustCall(t, "rename payments refactor", "rename second name", "fork ", "adddir /abs/data remember")
}

func TestConfigPicker(t *testing.T) {
	h, ext := newExtHarness(t)
	ext.config = []ConfigItem{
		{Key: "model", Label: "Model", Value: "sonnet", Choices: []string{"sonnet", "opus"}},
		{Key: "autoCompactEnabled", Label: "Auto-compact", Value: "true", Choices: []string{"true", "false"}},
	}
	h.enterLine("/config")
	h.mustShow(h.view(), "Settings (changes go to your user settings)", "Model: sonnet", "Auto-compact: true")
	h.typeText("auto")
	h.key("enter") // flips
	h.enterLine("/config")
	h.key("enter")
	h.mustShow(h.view(), "❯ sonnet (current)")
	h.key("down", "enter")
	h.settle()
	h.mustShow(h.out(), "autoCompactEnabled set to false", "model set to opus")
	ext.mustCall(t, "set autoCompactEnabled=false", "set model=opus")
}

func TestContextShowsTheWindow(t *testing.T) {
	h, ext := newExtHarness(t)
	ext.usage = ContextUsage{Model: "m", Window: 200_000, CompactAt: 170_000,
		Parts:    []ContextPart{{"System prompt", 3_000}, {"System tools", 12_000}, {"MCP tools", 0}, {"Memory files", 1_000}},
		Messages: 500,
		Details:  []ContextDetail{{Title: "Memory files · /memory", Items: []ContextPart{{"CLAUDE.md", 1_000}}}}}
	h.enterLine("/context")
	h.settle()
	h.mustShow(h.out(), "Context usage", "m · 17k/200k tokens (8%)", "System prompt: 3.0k tokens (1.5%)",
		"Messages: 500 tokens", "Free space: 154k tokens (76.8%)", "Autocompact buffer: 30k tokens (15.0%)",
		"Memory files · /memory", "└ CLAUDE.md: 1.0k tokens", "request was made to count them", "⛁", "⛶", "⛝")
	h.mustNotShow(h.out(), "MCP tools:")

	// After a request, the total is what Bedrock measured and Messages what it leaves.
	h.update(eventMsg{ev: agent.Event{Kind: agent.EventStream, Stream: &llm.Event{Type: llm.EventMessageStart,
		Message: &llm.Response{Usage: llm.Usage{InputTokens: 10, CacheReadInputTokens: 40_000}}}}})
	h.enterLine("/context")
	h.settle()
	h.mustShow(h.out(), "m · 40k/200k tokens (20%)", "Messages: 24k tokens", "input Bedrock reported")
}

func TestContextGridAndRows(t *testing.T) {
	u := ContextUsage{Window: 1_000_000, CompactAt: 850_000, Parts: []ContextPart{{"System prompt", 5_000}}, Messages: 100_000}
	rows, total, measured := contextRows(u, 0)
	if total != 105_000 || measured || len(rows) != 4 || rows[2].name != "Free space" || rows[2].tokens != 745_000 {
		t.Fatalf("rows %+v total %d", rows, total)
	}
	grid := contextGrid(rows, u.Window, 20, 10)
	var cells []string
	for _, line := range grid {
		if len(line) != 20 {
			t.Fatalf("a row of %d squares", len(line))
		}
		cells = append(cells, line...)
	}
	count := func(glyph string) (n int) {
		for _, c := range cells {
			if strings.Contains(c, glyph) {
				n++
			}
		}
		return n
	}
	// 200 squares: the system prompt at least one, messages 20, the buffer 30, free the rest.
	if a, b, free, buf := count("⛁")+count("⛀"), 0, count("⛶"), count("⛝"); a != 21 || free != 149 || buf != 30 || b != 0 {
		t.Fatalf("squares: parts %d free %d buffer %d", a, free, buf)
	}
	if !strings.Contains(cells[len(cells)-1], "⛝") {
		t.Error("the buffer is not at the end")
	}
	if got := tokens(1_000_000); got != "1M" {
		t.Errorf("tokens(1M) = %s", got)
	}
}

func TestUsageAndCostShareTheReport(t *testing.T) {
	h := newHarness(t, nil)
	h.m.status.ResetUsage(map[string]agent.ModelUsage{
		"a": {Usage: llm.Usage{InputTokens: 1000, OutputTokens: 200, CacheReadInputTokens: 3000}, CostUSD: 0.5, Known: true},
		"b": {Usage: llm.Usage{InputTokens: 10, CacheCreationInputTokens: 7}, CostUSD: 0.25, Known: true},
	}, false)
	h.enterLine("/usage")
	h.enterLine("/cost")
	h.settle()
	out := h.out()
	h.mustShow(out, "input 1,000 · output 200 · cache read 3,000 · cache write 0 · $0.5000",
		"Total: $0.7500", "input 1,010 · output 200 · cache read 3,000 · cache write 7")
	if strings.Count(out, "Total: $0.7500") != 2 {
		t.Errorf("/usage and /cost differ:\n%s", out)
	}
}
