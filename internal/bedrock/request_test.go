package bedrock

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

const (
	sonnet45  = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	haiku3    = "anthropic.claude-3-haiku-20240307-v1:0"
	opus47    = "global.anthropic.claude-opus-4-7"
	opus48    = "us.anthropic.claude-opus-4-8"
	appARN    = "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc123"
	sonnet41M = "us.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]"
)

func temp(v float64) *float64 { return &v }

// conversation is a request with every part the body builder touches: system, tools, a tool
// round trip with thinking, and a final user message.
func conversation() *llm.Request {
	return &llm.Request{
		MaxTokens: 4096,
		System:    []llm.ContentBlock{llm.TextBlock("You are strata."), llm.TextBlock("Project notes <b>&</b>.")},
		Tools: []llm.Tool{
			{Name: "Read", Description: "Read a file", InputSchema: json.RawMessage(`{"type":"object","properties":{"path":{"type":"string"}}}`)},
			{Name: "Bash", Description: "Run a command", InputSchema: json.RawMessage(`{"type":"object"}`)},
		},
		Messages: []llm.Message{
			{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock("read go.mod")}},
			{Role: llm.RoleAssistant, Content: []llm.ContentBlock{
				{Type: llm.TypeThinking, Thinking: "I should read it.", Signature: "sig-1"},
				{Type: llm.TypeToolUse, ID: "toolu_1", Name: "Read", Input: json.RawMessage(`{"path":"go.mod"}`)},
			}},
			{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.ToolResultBlock("toolu_1", "module x", false)}},
		},
		Temperature: temp(0.5),
		Betas:       []string{"interleaved-thinking-2025-05-14", "made-up-beta-2030-01-01"},
	}
}

func TestBuildBodyGolden(t *testing.T) {
	defaults := func(c *Config) {}
	tests := []struct {
		name  string
		model string
		req   func() *llm.Request
		cfg   func(*Config)
		warns []string
	}{
		{"plain", sonnet45, conversation, defaults, nil},
		{"thinking_budget", sonnet45, func() *llm.Request {
			r := conversation()
			r.Thinking = &llm.Thinking{Type: "enabled", BudgetTokens: 2048}
			return r
		}, defaults, nil},
		{"thinking_from_env_corrected", sonnet45, conversation, func(c *Config) {
			c.MaxOutputTokens, c.MaxThinkingTokens = 4096, 8000
		}, []string{"does not fit under max_tokens 4096; using 2048"}},
		{"adaptive_effort", opus48, func() *llm.Request {
			r := conversation()
			r.Thinking = &llm.Thinking{Type: "enabled", BudgetTokens: 4000}
			r.OutputConfig = &llm.OutputConfig{Effort: "low"}
			return r
		}, defaults, nil},
		{"adaptive_required", opus47, conversation, defaults, nil},
		{"no_thinking_no_cache_model", haiku3, func() *llm.Request {
			r := conversation()
			r.MaxTokens = 0
			r.Thinking = &llm.Thinking{Type: "enabled", BudgetTokens: 2048}
			r.Tools[1].CacheControl = llm.Ephemeral()
			return r
		}, defaults, []string{"has no extended thinking"}},
		{"caching_disabled", sonnet45, func() *llm.Request {
			r := conversation()
			r.Tools[1].CacheControl = llm.Ephemeral()
			return r
		}, func(c *Config) { c.DisablePromptCaching = true }, nil},
		{"unknown_model_arn", appARN, func() *llm.Request {
			r := conversation()
			r.Thinking = &llm.Thinking{Type: "enabled", BudgetTokens: 500}
			return r
		}, defaults, []string{"below Bedrock's minimum; using 1024"}},
		{"one_million_context", sonnet41M, conversation, defaults, nil},
		{"max_tokens_capped", haiku3, func() *llm.Request {
			r := conversation()
			r.MaxTokens = 100000
			return r
		}, defaults, []string{"more than anthropic.claude-3-haiku-20240307-v1:0 allows; using 4096"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{MaxThinkingTokens: -1}
			tt.cfg(cfg)
			req := tt.req()
			before := deepCopy(t, req)
			body, warnings, err := buildBody(req, resolveModel(tt.model), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, deepCopy(t, req)) {
				t.Errorf("buildBody changed the caller's request")
			}
			checkBodyRules(t, body)
			if len(warnings) != len(tt.warns) {
				t.Errorf("warnings %q, want %d matching %q", warnings, len(tt.warns), tt.warns)
			}
			for i := range min(len(warnings), len(tt.warns)) {
				mustContain(t, "warning", warnings[i], tt.warns[i])
			}
			golden(t, tt.name, body)
		})
	}
}

// checkBodyRules asserts B31/B32 on any body: version, no model or stream key, at most four
// breakpoints, none on thinking blocks, no temperature with thinking.
func checkBodyRules(t *testing.T, body []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	if m["anthropic_version"] != AnthropicVersion {
		t.Errorf("anthropic_version %v", m["anthropic_version"])
	}
	for _, k := range []string{"model", "stream"} {
		if _, ok := m[k]; ok {
			t.Errorf("body has a %q key", k)
		}
	}
	if _, thinking := m["thinking"]; thinking {
		if _, ok := m["temperature"]; ok {
			t.Errorf("temperature sent with thinking")
		}
	}
	if n := strings.Count(string(body), `"cache_control"`); n > maxCacheBreakpoints {
		t.Errorf("%d cache breakpoints", n)
	}
	var req llm.Request
	if err := json.Unmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	for _, msg := range req.Messages {
		for _, b := range msg.Content {
			if (b.Type == llm.TypeThinking || b.Type == llm.TypeRedactedThinking) && bytes.Contains(mustJSON(t, b), []byte("cache_control")) {
				t.Errorf("cache_control on a thinking block")
			}
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deepCopy(t *testing.T, r *llm.Request) string {
	return string(mustJSON(t, r)) + strings.Join(r.Betas, ",") + r.Model
}

// golden compares got with testdata/<name>.golden (indented for reading); -update rewrites it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("body differs from %s:\n%s", path, pretty.String())
	}
}

func TestCacheBreakpoints(t *testing.T) {
	thinkingLast := []llm.ContentBlock{llm.TextBlock("answer"), {Type: llm.TypeThinking, Thinking: "t", Signature: "s"}}
	tests := []struct {
		name string
		req  *llm.Request
		want []string // paths of blocks with cache_control
	}{
		{"system and last message", conversation(), []string{"system.1", "messages.2.0"}},
		{"skips a trailing thinking block", &llm.Request{Messages: []llm.Message{{Role: llm.RoleAssistant, Content: thinkingLast}}},
			[]string{"messages.0.0"}},
		{"empty text is not cacheable", &llm.Request{System: []llm.ContentBlock{llm.TextBlock("s"), llm.TextBlock("")},
			Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock("q")}}}},
			[]string{"system.0", "messages.0.0"}},
		{"caller's breakpoints beyond four dropped oldest first", func() *llm.Request {
			r := conversation()
			r.Tools[1].CacheControl = llm.Ephemeral()
			r.Messages[0].Content[0].CacheControl = llm.Ephemeral()
			r.Messages[1].Content[1].CacheControl = llm.Ephemeral()
			return r
		}(), []string{"tools.1", "system.1", "messages.1.1", "messages.2.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _, err := buildBody(tt.req, resolveModel(sonnet45), &Config{MaxThinkingTokens: -1})
			if err != nil {
				t.Fatal(err)
			}
			if got := breakpointPaths(t, body); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("breakpoints at %v, want %v", got, tt.want)
			}
		})
	}
}

// breakpointPaths lists tools.i, system.i and messages.i.j that carry cache_control.
func breakpointPaths(t *testing.T, body []byte) []string {
	var doc struct {
		Tools    []map[string]any `json:"tools"`
		System   []map[string]any `json:"system"`
		Messages []struct {
			Content []map[string]any `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	add := func(prefix string, blocks []map[string]any) {
		for i, b := range blocks {
			if _, ok := b["cache_control"]; ok {
				out = append(out, prefix+"."+strconv.Itoa(i))
			}
		}
	}
	add("tools", doc.Tools)
	add("system", doc.System)
	for i, m := range doc.Messages {
		add("messages."+strconv.Itoa(i), m.Content)
	}
	return out
}

func TestThinkingCorrections(t *testing.T) {
	tests := []struct {
		name       string
		maxTokens  int
		thinking   *llm.Thinking
		cfgBudget  int
		toolChoice string
		want       string // the thinking JSON sent, "" for none
		wantMax    int
		warn       bool
	}{
		{"fits", 4096, &llm.Thinking{Type: "enabled", BudgetTokens: 1024}, -1, "", `{"type":"enabled","budget_tokens":1024}`, 4096, false},
		{"seed recommendation from env", 4096, nil, 1024, "", `{"type":"enabled","budget_tokens":1024}`, 4096, false},
		{"below minimum", 4096, &llm.Thinking{Type: "enabled", BudgetTokens: 10}, -1, "", `{"type":"enabled","budget_tokens":1024}`, 4096, true},
		{"budget equals max", 4096, &llm.Thinking{Type: "enabled", BudgetTokens: 4096}, -1, "", `{"type":"enabled","budget_tokens":2048}`, 4096, true},
		{"no room at all", 1024, &llm.Thinking{Type: "enabled", BudgetTokens: 1024}, -1, "", "", 1024, true},
		{"env zero turns it off", 4096, &llm.Thinking{Type: "enabled", BudgetTokens: 2000}, 0, "", "", 4096, false},
		{"disabled", 4096, &llm.Thinking{Type: "disabled"}, -1, "", "", 4096, false},
		{"adaptive asked of a budget model", 8000, &llm.Thinking{Type: "adaptive"}, -1, "", `{"type":"enabled","budget_tokens":4000}`, 8000, false},
		{"forced tool", 4096, &llm.Thinking{Type: "enabled", BudgetTokens: 2000}, -1, `{"type":"any"}`, "", 4096, true},
		{"auto tool", 4096, &llm.Thinking{Type: "enabled", BudgetTokens: 2000}, -1, `{"type":"auto"}`, `{"type":"enabled","budget_tokens":2000}`, 4096, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := simpleRequest("q")
			req.MaxTokens, req.Thinking = tt.maxTokens, tt.thinking
			if tt.toolChoice != "" {
				req.ToolChoice = json.RawMessage(tt.toolChoice)
			}
			body, warnings, err := buildBody(req, resolveModel(sonnet45), &Config{MaxThinkingTokens: tt.cfgBudget})
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				MaxTokens int             `json:"max_tokens"`
				Thinking  json.RawMessage `json:"thinking"`
			}
			json.Unmarshal(body, &doc)
			if string(doc.Thinking) != tt.want || doc.MaxTokens != tt.wantMax {
				t.Errorf("thinking %s max_tokens %d, want %s %d", doc.Thinking, doc.MaxTokens, tt.want, tt.wantMax)
			}
			if (len(warnings) > 0) != tt.warn {
				t.Errorf("warnings %q, want some: %v", warnings, tt.warn)
			}
		})
	}
}

// Thinking by default (llm.ThinkingDefault) is Claude Code's: a budget of max_tokens-1 on
// budget models (31999 under Sonnet 4.5's default 32000), adaptive where the model takes
// it, and silently nothing where it cannot work.
func TestThinkingByDefault(t *testing.T) {
	tests := []struct {
		name, model string
		maxTokens   int
		cfgBudget   int
		toolChoice  string
		want        string
	}{
		{"sonnet 4.5", sonnet45, 0, -1, "", `{"type":"enabled","budget_tokens":31999}`},
		{"lower max_tokens", sonnet45, 4096, -1, "", `{"type":"enabled","budget_tokens":4095}`},
		{"no room", sonnet45, 1024, -1, "", ""},
		{"MAX_THINKING_TOKENS=0", sonnet45, 0, 0, "", ""},
		{"forced tool", sonnet45, 0, -1, `{"type":"tool","name":"x"}`, ""},
		{"adaptive model", opus47, 0, -1, "", `{"type":"adaptive"}`},
		{"model without thinking", haiku3, 0, -1, "", ""},
		{"unknown model", appARN, 0, -1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := simpleRequest("q")
			req.MaxTokens, req.Thinking = tt.maxTokens, &llm.Thinking{Type: llm.ThinkingDefault}
			if tt.toolChoice != "" {
				req.ToolChoice = json.RawMessage(tt.toolChoice)
			}
			body, warnings, err := buildBody(req, resolveModel(tt.model), &Config{MaxThinkingTokens: tt.cfgBudget})
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Thinking json.RawMessage `json:"thinking"`
			}
			json.Unmarshal(body, &doc)
			if string(doc.Thinking) != tt.want || len(warnings) > 0 {
				t.Errorf("thinking %s (warnings %q), want %s and no warning", doc.Thinking, warnings, tt.want)
			}
		})
	}
}

func TestBetasOnlyWhatTheModelAccepts(t *testing.T) {
	tests := []struct {
		model string
		betas []string
		want  []string
	}{
		{sonnet45, []string{"context-1m-2025-08-07", "claude-code-20250219"}, []string{"context-1m-2025-08-07"}},
		{sonnet41M, nil, []string{"context-1m-2025-08-07"}},
		{opus47, []string{"interleaved-thinking-2025-05-14", "effort-2025-11-24"}, nil},
		{appARN, []string{"context-1m-2025-08-07"}, nil},
	}
	for _, tt := range tests {
		req := simpleRequest("q")
		req.Betas = tt.betas
		body, _, err := buildBody(req, resolveModel(tt.model), &Config{MaxThinkingTokens: -1})
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Betas []string `json:"anthropic_beta"`
		}
		json.Unmarshal(body, &doc)
		if !reflect.DeepEqual(doc.Betas, tt.want) {
			t.Errorf("%s: betas %q, want %q", tt.model, doc.Betas, tt.want)
		}
	}
}

func FuzzBuildBody(f *testing.F) {
	f.Add(4096, 2048, true, "hello")
	f.Add(0, 0, false, "")
	f.Add(1025, 99999, true, "x")
	f.Fuzz(func(t *testing.T, maxTokens, budget int, thinking bool, text string) {
		req := simpleRequest(text)
		req.MaxTokens = maxTokens
		if thinking {
			req.Thinking = &llm.Thinking{Type: "enabled", BudgetTokens: budget}
		} else if budget%2 == 0 {
			req.Thinking = &llm.Thinking{Type: llm.ThinkingDefault}
		}
		for _, model := range []string{sonnet45, haiku3, opus47, appARN} {
			body, _, err := buildBody(req, resolveModel(model), &Config{MaxThinkingTokens: -1})
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				MaxTokens int           `json:"max_tokens"`
				Thinking  *llm.Thinking `json:"thinking"`
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.MaxTokens <= 0 {
				t.Fatalf("%s: max_tokens %d", model, doc.MaxTokens)
			}
			if th := doc.Thinking; th != nil && th.Type == "enabled" &&
				(th.BudgetTokens < minThinkingBudget || th.BudgetTokens >= doc.MaxTokens) {
				t.Fatalf("%s: budget %d with max_tokens %d", model, th.BudgetTokens, doc.MaxTokens)
			}
		}
	})
}

// A model that always thinks cannot be forced to use a tool: the choice is relaxed instead
// of sending a request Bedrock refuses.
func TestForcedToolWithAlwaysThinkingModel(t *testing.T) {
	req := simpleRequest("q")
	req.ToolChoice = json.RawMessage(`{"type":"tool","name":"Read"}`)
	body, warnings, err := buildBody(req, resolveModel(opus47), &Config{MaxThinkingTokens: -1})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "body", string(body), `"tool_choice":{"type":"auto"}`, `"thinking":{"type":"adaptive"}`)
	if len(warnings) != 1 {
		t.Errorf("warnings %q", warnings)
	}
	if string(req.ToolChoice) != `{"type":"tool","name":"Read"}` {
		t.Errorf("the caller's request was changed")
	}
}

// With the 1-hour TTL on, every breakpoint asks for it, the caller's request is left alone,
// and FORCE_PROMPT_CACHING_5M turns it back off.
func TestCacheOneHourTTL(t *testing.T) {
	req := conversation()
	req.Tools[1].CacheControl = llm.Ephemeral()
	body, _, err := buildBody(req, resolveModel(sonnet45), &Config{MaxThinkingTokens: -1, PromptCache1h: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(body, []byte(`"cache_control":{"type":"ephemeral","ttl":"1h"}`)); n != 3 {
		t.Errorf("%d breakpoints with the 1h TTL, want 3:\n%s", n, body)
	}
	if bytes.Contains(body, []byte(`"cache_control":{"type":"ephemeral"}`)) {
		t.Errorf("a breakpoint without the TTL:\n%s", body)
	}
	if req.Tools[1].CacheControl.TTL != "" {
		t.Error("the caller's request was changed")
	}
	for _, tt := range []struct {
		env  []string
		want bool
	}{
		{[]string{"ENABLE_PROMPT_CACHING_1H", "1"}, true},
		{[]string{"ENABLE_PROMPT_CACHING_1H_BEDROCK", "true"}, true},
		{[]string{"ENABLE_PROMPT_CACHING_1H_BEDROCK", "1", "FORCE_PROMPT_CACHING_5M", "1"}, false},
		{nil, false},
	} {
		env := append([]string{"CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", t.TempDir()}, tt.env...)
		cfg, err := LoadConfig(mapEnv(env...), SettingsView{Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.PromptCache1h != tt.want {
			t.Errorf("%v: PromptCache1h %v, want %v", tt.env, cfg.PromptCache1h, tt.want)
		}
	}
}
