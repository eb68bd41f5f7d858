package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFoldRuleArgs(t *testing.T) {
	cases := []struct{ in, want []string }{
		{[]string{"-p", "--allowedTools", "Bash(echo:*)", "Bash(grep:*)", "fix the tests"},
			[]string{"-p", "--allowedTools", "Bash(echo:*),Bash(grep:*)", "fix the tests"}},
		{[]string{"--disallowedTools", "Edit", "Write", "-p", "Read"},
			[]string{"--disallowedTools", "Edit,Write", "-p", "Read"}},
		{[]string{"--allowedTools", "Read", "what is in README?"}, []string{"--allowedTools", "Read", "what is in README?"}},
		{[]string{"--allowedTools", "Bash(git diff:*) Edit", "mcp__github__list", "--", "Bash"},
			[]string{"--allowedTools", "Bash(git diff:*) Edit,mcp__github__list", "--", "Bash"}},
		{[]string{"--allowedTools=Read", "Edit"}, []string{"--allowedTools=Read", "Edit"}},
		{[]string{"--allowedTools"}, []string{"--allowedTools"}},
	}
	for _, tc := range cases {
		if got := foldRuleArgs(tc.in); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("foldRuleArgs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSDKFlagUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-p", "--thinking", "sometimes", "hi"}, "--thinking must be"},
		{[]string{"-p", "--effort", "extreme", "hi"}, "--effort must be"},
		{[]string{"-p", "--setting-sources", "user,team", "hi"}, `"team" is not user, project or local`},
		{[]string{"-p", "--permission-prompt-tool", "mcp__perm__ask", "hi"}, "cannot ask an MCP tool yet"},
		{[]string{"-p", "--json-schema", "{nope", "hi"}, "--json-schema is not valid JSON"},
		{[]string{"-p", "--agents", "[", "hi"}, "--agents is not valid JSON"},
		{[]string{"-p", "--max-budget-usd", "-1", "hi"}, "--max-budget-usd"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := run(t, testEnv(t, nil), "", tc.args...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Fatalf("code %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, tc.want)
			}
		})
	}
}

// writeUserSettings puts a settings.json in the test home's ~/.claude.
func writeUserSettings(t *testing.T, env Env, body string) {
	t.Helper()
	dir := filepath.Join(env.Home, ".claude")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSettingsDefaultModeOfClaudeCodeNeverStopsStrata(t *testing.T) {
	env, _ := simEnv(t)
	writeUserSettings(t, env, `{"permissions":{"defaultMode":"auto"}}`)
	code, stdout, stderr := run(t, env, "", "-p", "hello")
	if code != ExitOK || !strings.Contains(stdout, "hello") || !strings.Contains(stderr, "defaultMode") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = run(t, env, "", "-p", "--permission-mode", "auto", "hello")
	if code != ExitUsage || !strings.Contains(stderr, "classifier") {
		t.Fatalf("--permission-mode auto: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr = run(t, env, "", "-p", "--permission-mode", "dontAsk", "hello"); code != ExitOK {
		t.Fatalf("--permission-mode dontAsk: code %d, stderr %q", code, stderr)
	}
}

func TestEmptySettingSourcesReadsNoSettingsFile(t *testing.T) {
	env, _ := simEnv(t)
	writeUserSettings(t, env, `{"permissions": [broken`)
	if code, _, stderr := run(t, env, "", "-p", "hello"); code != ExitError || !strings.Contains(stderr, "settings.json") {
		t.Fatalf("the broken file was not read: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := run(t, env, "", "--setting-sources=", "-p", "hello"); code != ExitOK {
		t.Fatalf("--setting-sources= read it: code %d, stderr %q", code, stderr)
	}
	if code, _, _ := run(t, env, "", "--setting-sources=project,local", "-p", "hello"); code != ExitOK {
		t.Fatalf("--setting-sources=project,local read the user file")
	}
}

// The command line the Agent SDK sends, without -p; initialize first, the user turn at once
// after it, an unknown subtype in between.
func TestAgentSDKControlChannel(t *testing.T) {
	env, _ := simEnv(t)
	stdin := `{"type":"control_request","request_id":"r1","request":{"subtype":"initialize","systemPrompt":["be brief"],"hooks":{}}}
{"type":"control_request","request_id":"r2","request":{"subtype":"bogus_subtype"}}
{"type":"keep_alive"}
{"type":"user","session_id":"","message":{"role":"user","content":[{"type":"text","text":"case plain"}]},"parent_tool_use_id":null}
`
	code, stdout, stderr := run(t, env, stdin, "--output-format", "stream-json", "--verbose", "--input-format", "stream-json",
		"--max-turns", "6", "--permission-prompt-tool", "stdio", "--setting-sources=", "--permission-mode", "default")
	if code != ExitOK {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	var kinds []string
	byID := map[string]map[string]any{}
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		k := m["type"].(string)
		if st, ok := m["subtype"].(string); ok {
			k += "/" + st
		}
		if r, ok := m["response"].(map[string]any); ok {
			byID[r["request_id"].(string)] = r
		}
		kinds = append(kinds, k)
	}
	// initialize is answered before anything else; the other request is answered
	// concurrently with the turn, so its place may vary.
	var turn []string
	for _, k := range kinds[1:] {
		if k != "control_response" {
			turn = append(turn, k)
		}
	}
	if kinds[0] != "control_response" || strings.Join(turn, ",") != "system/init,assistant,result/success" || len(byID) != 2 {
		t.Fatalf("sequence %v", kinds)
	}
	if r := byID["r1"]; r["subtype"] != "success" || r["response"].(map[string]any)["account"].(map[string]any)["apiProvider"] != "bedrock" {
		t.Errorf("initialize answer %v", r)
	}
	if r := byID["r2"]; r["subtype"] != "error" || r["error"] != "Unsupported control request subtype: bogus_subtype" {
		t.Errorf("bogus answer %v", r)
	}
}

func sessionIDOf(t *testing.T, stdout string) string {
	t.Helper()
	var r struct {
		SessionID string `json:"session_id"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || r.SessionID == "" {
		t.Fatalf("no session_id in %q (%v)", stdout, err)
	}
	return r.SessionID
}

func TestForkSessionAndNoPersistence(t *testing.T) {
	env, _ := simEnv(t)
	code, stdout, stderr := run(t, env, "", "-p", "--output-format", "json", "first words")
	if code != ExitOK {
		t.Fatalf("code %d, %s", code, stderr)
	}
	first := sessionIDOf(t, stdout)
	_, stdout, _ = run(t, env, "", "-p", "--output-format", "json", "--resume", first, "--fork-session", "second words")
	fork := sessionIDOf(t, stdout)
	if fork == first {
		t.Fatal("--fork-session kept the session ID")
	}
	// The fork can itself be resumed: its transcript holds the conversation.
	_, stdout, _ = run(t, env, "", "-p", "--resume", fork, "third")
	if !strings.Contains(stdout, "third") {
		t.Fatalf("resuming the fork: %q", stdout)
	}
	_, stdout, _ = run(t, env, "", "-p", "--output-format", "json", "--no-session-persistence", "gone")
	gone := sessionIDOf(t, stdout)
	if code, _, stderr := run(t, env, "", "-p", "--resume", gone, "again"); code == ExitOK {
		t.Fatalf("a session kept only while strata ran was resumed: %s", stderr)
	}
}

func TestDebugFileTakesTheDebugLog(t *testing.T) {
	env, _ := simEnv(t)
	path := filepath.Join(t.TempDir(), "debug.log")
	if code, _, stderr := run(t, env, "", "-p", "--debug-file", path, "hello"); code != ExitOK || strings.Contains(stderr, "strata: debug:") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	if b, err := os.ReadFile(path); err != nil || len(b) == 0 {
		t.Fatalf("debug file: %v, %d bytes", err, len(b))
	}
}

func TestAppIDNamesTheEntryPoint(t *testing.T) {
	get := func(v string) func(string) string { return func(string) string { return v } }
	for in, want := range map[string]string{"": "strata-cli", "sdk-ts": "strata-sdk-ts", "a b/c": "strata-a_b_c"} {
		if got := appID(get(in)); got != want {
			t.Errorf("appID(%q) = %q, want %q", in, got, want)
		}
	}
}
