package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/agent"
)

// TestSlashCommands runs every built-in command once and checks what it shows.
func TestSlashCommands(t *testing.T) {
	tests := []struct {
		input string
		want  []string
		check func(t *testing.T, h *harness)
	}{
		{"/help", []string{"/compact [focus]", "/model [name]", "/login", "Shift+Tab changes the permission mode", "Ctrl-C twice or Ctrl-D"}, nil},
		{"/clear", []string{"Started a new conversation", testSessionID + " resumes it"}, func(t *testing.T, h *harness) {
			if h.m.sess != Session(h.host.next) || h.m.sessID != "22222222-2222-2222-2222-222222222222" {
				t.Error("the UI still drives the old session")
			}
		}},
		{"/compact keep the API design", []string{"✻ Conversation compacted", "4 messages summarised", "full history stays"}, func(t *testing.T, h *harness) {
			if len(h.sess.compacts) != 1 || h.sess.compacts[0] != "keep the API design" {
				t.Errorf("compactions %q", h.sess.compacts)
			}
		}},
		{"/cost", []string{"Session cost", "estimate", "no model calls yet"}, nil},
		{"/model", nil, func(t *testing.T, h *harness) {
			// A picker of the aliases with what each resolves to; choosing one switches.
			h.mustShow(h.view(), "Choose a model", "❯ sonnet (current)", "opus", "us.anthropic.claude-opus-4-1-20250805-v1:0", "model ID or ARN")
			h.typeText("opus")
			h.key("enter")
			h.settle()
			if h.sess.model != "us.anthropic.claude-opus-4-1-20250805-v1:0" {
				t.Errorf("session model %q", h.sess.model)
			}
		}},
		{"/model opus", []string{"Model set to us.anthropic.claude-opus-4-1-20250805-v1:0 for this session"}, func(t *testing.T, h *harness) {
			if h.sess.model != "us.anthropic.claude-opus-4-1-20250805-v1:0" {
				t.Errorf("session model %q", h.sess.model)
			}
			h.mustShow(h.view(), "Claude Opus 4.1")
		}},
		{"/model nonsense", []string{`unknown model "nonsense"`}, nil},
		{"/status", []string{"Session:", testSessionID, "Provider:", "Amazon Bedrock", "Region:", "from AWS_REGION",
			"Credentials:", "AWS_ACCESS_KEY_ID", "Small/fast model:", "haiku", "Permission mode:  default"}, nil},
		{"/doctor", []string{"✓ Bedrock mode: on", "✗ Main model: not granted", "--iam-policy"}, nil},
		{"/init", []string{"asking the model to write CLAUDE.md"}, func(t *testing.T, h *harness) {
			if p := h.sess.promptTexts(); len(p) != 1 || !strings.Contains(p[0], "CLAUDE.md") {
				t.Errorf("prompts %q", p)
			}
		}},
		{"/memory", []string{"No memory files yet"}, nil},
		{"/permissions", []string{"Mode: default", "Allow:", "Bash(go test:*) (.claude/settings.json)", "Ask: none", "Deny:", "WebFetch (--disallowedTools)", "settings.local.json"}, nil},
		{"/mcp reconnect fs", []string{"MCP servers (fake host): reconnect fs"}, nil},
		{"/mcp__srv__review the diff", []string{"/mcp__srv__review the diff"}, func(t *testing.T, h *harness) {
			if p := h.sess.promptTexts(); len(p) != 1 || p[0] != "Review this: the diff" {
				t.Errorf("prompts %q", p)
			}
		}},
		{"/mcp__nope__x", []string{"no MCP prompt /mcp__nope__x"}, nil},
		{"/resume", []string{"No other saved sessions"}, nil},
		{"/login", []string{"Disabled in Bedrock mode: authentication comes from your AWS credentials."}, nil},
		{"/logout", []string{"Disabled in Bedrock mode: authentication comes from your AWS credentials."}, nil},
		{"/frobnicate", []string{"Unknown command /frobnicate", "/help lists"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			h := newHarness(t, nil)
			h.enterLine(tt.input)
			h.settle()
			h.mustShow(h.out(), append([]string{"> " + tt.input}, tt.want...)...)
			if tt.check != nil {
				tt.check(t, h)
			}
		})
	}
}

func TestExitCommand(t *testing.T) {
	for _, cmd := range []string{"/exit", "/quit"} {
		h := newHarness(t, nil)
		h.enterLine(cmd)
		h.settle()
		if !h.quit {
			t.Errorf("%s did not exit", cmd)
		}
	}
}

func TestCostAfterATurn(t *testing.T) {
	h := newHarness(t, nil)
	h.enterLine("hello")
	h.settle()
	h.enterLine("/cost")
	h.settle()
	h.mustShow(h.out(), "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "input 1,200 · output 42", "$0.0124", "Total: $0.0124")
}

func TestCommandsThatChangeTheSessionWaitForTheTurn(t *testing.T) {
	h := newHarness(t, nil)
	release := h.busyTurn()
	h.enterLine("/model opus")
	h.enterLine("/status") // reads only: fine during a turn
	release()
	h.settle()
	h.mustShow(h.out(), "/model waits for the turn to finish", "Region:")
	if h.sess.model == "us.anthropic.claude-opus-4-1-20250805-v1:0" {
		t.Error("the model changed during a turn")
	}
}

func TestCompactOutcomes(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nothing yet", agent.ErrNothingToCompact, "Nothing to compact yet."},
		{"failure", errors.New("the small model is not available"), "✗ Compaction failed: the small model is not available"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.sess.compact = func(context.Context, string) (*agent.Compaction, error) { return nil, tt.err }
			h.enterLine("/compact")
			h.settle()
			h.mustShow(h.out(), tt.want)
		})
	}
}

func TestCompactCanBeInterrupted(t *testing.T) {
	h := newHarness(t, nil)
	h.sess.compact = func(ctx context.Context, _ string) (*agent.Compaction, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	h.enterLine("/compact")
	h.waitFor("compacting", func() bool { return strings.Contains(h.view(), "Compacting the conversation…") })
	h.key("esc")
	h.settle()
	h.mustShow(h.out(), "Compaction interrupted")
}

func TestResumeListsAndSwitches(t *testing.T) {
	h := newHarness(t, nil)
	h.host.sessions = []SessionInfo{
		{ID: testSessionID, Modified: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), Messages: 4, FirstPrompt: "fix the bug"},
		{ID: "33333333-3333-3333-3333-333333333333", Modified: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Messages: 12, FirstPrompt: "write docs"},
	}
	h.host.sessions = append(h.host.sessions, SessionInfo{ID: "44444444-4444-4444-4444-444444444444",
		Modified: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Messages: 2, FirstPrompt: "tidy up"})
	h.enterLine("/resume")
	h.settle()
	// A picker of the other sessions, newest first, with title, age and size; typing searches.
	h.mustShow(h.view(), "Resume a session", "❯ write docs", "12 messages · 33333333-3333-3333-3333-333333333333", "tidy up")
	h.mustNotShow(h.view(), "fix the bug")
	h.typeText("tidy")
	h.mustShow(h.view(), "❯ tidy up")
	h.mustNotShow(h.view(), "write docs")
	h.key("backspace", "backspace", "backspace", "backspace", "esc")
	h.mustNotShow(h.view(), "Resume a session")
	h.enterLine("/resume")
	h.settle()
	h.key("enter")
	h.settle()
	h.mustShow(h.out(), "Resumed session 33333333-3333-3333-3333-333333333333")
	if h.m.sess != Session(h.host.next) || len(h.host.resumed) != 1 {
		t.Error("the UI did not switch to the resumed session")
	}
}

func TestMemoryListsFiles(t *testing.T) {
	h := newHarness(t, nil)
	h.host.memory = []MemoryFile{{Path: "/p/CLAUDE.md", Scope: "project", Lines: 2}, {Path: "/home/u/.claude/CLAUDE.md", Scope: "user", Lines: 1}}
	h.enterLine("/memory")
	h.settle()
	h.mustShow(h.out(), "/p/CLAUDE.md (project, 2 lines)", "/home/u/.claude/CLAUDE.md (user, 1 line)", "#note adds a line")
}

func TestCustomCommands(t *testing.T) {
	h := newHarness(t, nil)
	project := filepath.Join(h.m.opts.Cwd, ".claude", "commands")
	user := filepath.Join(h.m.opts.ConfigDir, "commands")
	write := func(dir, name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(project, "review.md", "---\ndescription: Review a file\nargument-hint: <file>\n---\nReview $ARGUMENTS for bugs.\n")
	write(user, "review.md", "the user's version loses to the project's")
	write(user, "greet.md", "Say hello to $1 and $2.")
	write(user, "git/log.md", "Summarise the git log.")
	h.enterLine("/help")
	h.settle()
	h.mustShow(h.out(), "/review <file>", "Review a file (project)", "/greet", "(user)", "/git:log")

	for _, tc := range []struct{ in, prompt string }{
		{"/review main.go", "Review main.go for bugs."},
		{"/greet Ann Bo", "Say hello to Ann and Bo."},
		{"/git:log since Monday", "Summarise the git log.\n\nARGUMENTS: since Monday"},
	} {
		h.enterLine(tc.in)
		h.settle()
		p := h.sess.promptTexts()
		if got := p[len(p)-1]; got != tc.prompt {
			t.Errorf("%s sent %q, want %q", tc.in, got, tc.prompt)
		}
	}
	h.mustShow(h.out(), "> /review main.go")
}

func TestPromptStartingWithAPathIsNotACommand(t *testing.T) {
	h := newHarness(t, nil)
	h.enterLine("/etc/hosts has a typo")
	h.settle()
	if p := h.sess.promptTexts(); len(p) != 1 || p[0] != "/etc/hosts has a typo" {
		t.Errorf("prompts %q", p)
	}
}

func TestMentionsArePathsAfterAnAt(t *testing.T) {
	got := mentions(`look at @main.go, @"my notes.txt" and @docs/ (not mail@example.com), then @main.go.`)
	want := []string{"main.go", "my notes.txt", "main.go"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("mentions %q, want %q", got, want)
	}
}

func TestExportWritesTheConversation(t *testing.T) {
	h := newHarness(t, nil)
	h.enterLine("/status")
	h.settle()
	h.enterLine("/export talk.txt")
	h.settle()
	data, err := os.ReadFile(filepath.Join(h.m.opts.Cwd, "talk.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if text := string(data); !strings.Contains(text, "> /status") || !strings.Contains(text, "Provider:") || strings.Contains(text, "\x1b[") {
		t.Errorf("the export:\n%q", text)
	}
	h.enterLine("/export talk.txt")
	h.settle()
	h.mustShow(h.out(), "Not exported:", "exists")
}

func TestOutputStyleCommand(t *testing.T) {
	h := newHarness(t, nil)
	h.enterLine("/output-style")
	h.settle()
	h.mustShow(h.out(), "* default", "Explanatory")
	h.enterLine("/output-style Explanatory")
	h.settle()
	h.mustShow(h.out(), "Output style: Explanatory")
	h.enterLine("/output-style Nope")
	h.settle()
	h.mustShow(h.out(), "no output style Nope")
}

func TestPluginCommand(t *testing.T) {
	h := newHarness(t, nil)
	h.host.extensions = map[string][]Fact{"plugins": {{Label: "tools", Value: "1.0 · --plugin-dir · /p"}}}
	h.enterLine("/plugin")
	h.settle()
	h.mustShow(h.out(), "Plugins", "tools", "--plugin-dir")
	h.enterLine("/plugin install x@y")
	h.settle()
	h.mustShow(h.out(), "does not install plugins or fetch marketplaces")
}
