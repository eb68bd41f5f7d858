package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/iostreams"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui"
)

// hostScript is the emulator's model for TestHostConversationsStartClean. {{DIR}} is the
// project directory. Turns react to marker words in the prompt and to tool results.
const hostScript = `{"on_exhausted": "error", "turns": [
  {"when": {"user_text_contains": "READ-A"}, "content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{DIR}}/a.txt"}}]},
  {"when": {"tool_result_contains": "alpha-content"}, "content": "Read a."},
  {"when": {"user_text_contains": "READ-B"}, "content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{DIR}}/b.txt"}}]},
  {"when": {"tool_result_contains": "beta-content"}, "content": "Read b."},
  {"when": {"user_text_contains": "EDIT-A"}, "content": [{"type": "tool_use", "name": "Edit", "input": {"file_path": "{{DIR}}/a.txt", "old_string": "alpha-content", "new_string": "changed"}}]},
  {"when": {"user_text_contains": "EDIT-B"}, "content": [{"type": "tool_use", "name": "Edit", "input": {"file_path": "{{DIR}}/b.txt", "old_string": "beta-content", "new_string": "changed"}}]},
  {"repeat": true, "when": {"tool_result_contains": "has not been read"}, "content": "The edit was refused."},
  {"repeat": true, "when": {"user_text_contains": "DELEGATE"}, "content": [{"type": "tool_use", "name": "Task", "input": {"description": "echo", "prompt": "SUBTASK: run the echo", "subagent_type": "general-purpose"}}]},
  {"repeat": true, "when": {"user_text_contains": "SUBTASK"}, "content": [{"type": "tool_use", "name": "Bash", "input": {"command": "echo sub-ran"}}]},
  {"repeat": true, "when": {"tool_result_contains": "sub-ran"}, "content": "sub done"},
  {"repeat": true, "when": {"tool_result_contains": "sub done"}, "content": "Delegated."}
]}`

// TestHostConversationsStartClean drives the real interactive host (the tui.Host the UI
// calls) against the emulator: after /clear and after /resume, a sub-agent's hook payload
// carries the new conversation's session ID, the cost starts again from zero, and an Edit of
// a file read only in the previous conversation is refused.
func TestHostConversationsStartClean(t *testing.T) {
	env, srv := simEnv(t)
	dir := env.Cwd
	for name, text := range map[string]string{"a.txt": "alpha-content\n", "b.txt": "beta-content\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hookLog := filepath.Join(t.TempDir(), "hooks.jsonl")
	lifeLog := filepath.Join(t.TempDir(), "life.jsonl")
	writeSettings(t, dir, `{
  "permissions": {"allow": ["Read", "Edit", "Task", "Bash(echo:*)"]},
  "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "cat >> `+hookLog+`; echo >> `+hookLog+`"}]}],
            "SessionStart": [{"hooks": [{"type": "command", "command": "cat >> `+lifeLog+`; echo >> `+lifeLog+`"}]}],
            "SessionEnd": [{"hooks": [{"type": "command", "command": "cat >> `+lifeLog+`; echo >> `+lifeLog+`"}]}]}
}`)
	ios, _, _, errOut := iostreams.Test()
	a := &app{ctx: context.Background(), io: ios, env: env, trusted: true} // the UI asked first
	st, err := a.build(a.ctx, &Options{})
	if err != nil {
		t.Fatalf("build: %v (%s)", err, errOut)
	}
	defer st.close()
	sc, err := bedrocksim.ParseScript([]byte(strings.ReplaceAll(hostScript, "{{DIR}}", dir)), "host.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.SetScript(sc)
	h := newHost(a, st)
	h.bridge.Close() // no UI drains it: events are dropped, and nothing may ask
	first := h.start(st.transcript, nil, "startup", func(m string) { t.Errorf("hook message: %s", m) })
	st.transcript = nil
	defer h.close()
	firstID := h.sessionID()

	run := func(sess tui.Session, prompt string) *agent.Result {
		t.Helper()
		res, err := sess.Run(a.ctx, []llm.ContentBlock{llm.TextBlock(prompt)})
		if err != nil {
			t.Fatalf("%s: %v", prompt, err)
		}
		return res
	}
	run(first, "READ-A")
	if res := run(first, "DELEGATE"); res.Text != "Delegated." {
		t.Fatalf("first conversation: %q", res.Text)
	}
	if cost(first) == 0 {
		t.Fatal("the first conversation cost nothing: the test cannot see a restart")
	}

	// /clear: a new conversation.
	second, secondID, err := h.NewConversation()
	if err != nil {
		t.Fatal(err)
	}
	if secondID == firstID || cost(second) != 0 {
		t.Fatalf("after /clear: ID %s (was %s), cost %v", secondID, firstID, cost(second))
	}
	if res := run(second, "EDIT-A"); res.Text != "The edit was refused." {
		t.Fatalf("an Edit of a file read only before /clear: %q", res.Text)
	}
	run(second, "DELEGATE")
	run(second, "READ-B")
	afterClear := cost(second)

	// /resume with the start of the running session's id is refused, not a second writer.
	if _, err := h.Resume(h.sessionID()[:13]); err == nil || !strings.Contains(err.Error(), "is the one running") {
		t.Fatalf("/resume of the running session by a prefix: %v", err)
	}
	// /resume: back to the first conversation, with fresh state.
	third, err := h.Resume(firstID)
	if err != nil {
		t.Fatal(err)
	}
	// Its cost goes on from its saved answers (the sub-agent's are not in its transcript).
	if restored := cost(third); restored == 0 || restored > cost(first)+1e-9 || h.sessionID() != firstID {
		t.Fatalf("after /resume: cost %v (the first conversation's was %v), session %s", restored, cost(first), h.sessionID())
	}
	if res := run(third, "EDIT-B"); res.Text != "The edit was refused." {
		t.Fatalf("an Edit of a file read only before /resume: %q", res.Text)
	}
	run(third, "DELEGATE")
	if c := cost(third); c == 0 || c >= afterClear+cost(first) {
		t.Errorf("resumed conversation's cost %v counts earlier conversations (%v, %v)", c, cost(first), afterClear)
	}

	// The Bash hooks ran in the three sub-agents, each under its own conversation's ID.
	var ids []string
	data, _ := os.ReadFile(hookLog)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var in struct {
			SessionID string `json:"session_id"`
			Command   struct {
				Command string `json:"command"`
			} `json:"tool_input"`
		}
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			t.Fatalf("hook input %q: %v", line, err)
		}
		ids = append(ids, in.SessionID)
	}
	if want := []string{firstID, secondID, firstID}; strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("sub-agents' hook session IDs %v, want %v", ids, want)
	}
	// Each switch ended the old conversation and started the new one, with the reference's
	// reasons and sources, each under its own session ID.
	var life []string
	data, _ = os.ReadFile(lifeLog)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var in struct {
			HookEventName string `json:"hook_event_name"`
			SessionID     string `json:"session_id"`
			Source        string `json:"source"`
			Reason        string `json:"reason"`
		}
		_ = json.Unmarshal([]byte(line), &in)
		life = append(life, in.HookEventName+"/"+in.Source+in.Reason+"/"+map[string]string{firstID: "1", secondID: "2"}[in.SessionID])
	}
	if got, want := strings.Join(life, " "), "SessionStart/startup/1 SessionEnd/clear/1 SessionStart/clear/2 SessionEnd/resume/2 SessionStart/resume/1"; got != want {
		t.Errorf("session hooks %s, want %s", got, want)
	}
	for _, name := range []string{"a.txt", "b.txt"} {
		if data, _ := os.ReadFile(filepath.Join(dir, name)); strings.Contains(string(data), "changed") {
			t.Errorf("%s was edited without being read in its conversation", name)
		}
	}
}

func cost(s interface {
	Usage() map[string]agent.ModelUsage
}) float64 {
	var usd float64
	for _, u := range s.Usage() {
		usd += u.CostUSD
	}
	return usd
}

// simEnv is a test environment whose Bedrock is a fresh in-process emulator (echo model until
// the test sets a script), with fake keys it accepts.
func simEnv(t *testing.T) (Env, *bedrocksim.Server) {
	t.Helper()
	const keyID, secret = "AKIDHOSTTEST00000001", "host-test-secret"
	srv, err := bedrocksim.Start(bedrocksim.Config{Keys: []bedrocksim.Credential{{AccessKeyID: keyID, SecretAccessKey: secret}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	vars := map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secret, "ANTHROPIC_BEDROCK_BASE_URL": srv.URL(),
		"PATH": os.Getenv("PATH")}
	env := testEnv(t, vars)
	// The AWS SDK's default chain reads the process environment itself: it must find the
	// emulator's keys there, and never an instance metadata service.
	for _, k := range []string{"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_BEARER_TOKEN_BEDROCK",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_CA_BUNDLE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		t.Setenv(k, env.Getenv(k))
	}
	path := env.Getenv("PATH")
	env.Environ = func() []string { return []string{"PATH=" + path} }
	return env, srv
}
