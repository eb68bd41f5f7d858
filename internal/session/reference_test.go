package session

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
)

// The node one-liner that produced these: the reference's own function, copied from the
// 2.1.197 binary (replace(/[^a-zA-Z0-9]/g,"-"), cut at 200, Java hash in base 36).
func TestClaudeProjectKey(t *testing.T) {
	cases := []struct{ path, want string }{
		{"/home/dev/project", "-home-dev-project"},
		{"/home/u/my.proj_x", "-home-u-my-proj-x"},
		{"/w/😀x", "-w---x"}, // a surrogate pair is two UTF-16 units, two dashes
		{"/" + strings.Repeat("b", 199), "-" + strings.Repeat("b", 199)},
		{"/" + strings.Repeat("a", 250), "-" + strings.Repeat("a", 199) + "-feo44x"},
		{"/home/ü/日本/" + strings.Repeat("deep/", 50),
			"-home------" + strings.TrimSuffix(strings.Repeat("deep-", 38), "-") + "-q7fv4c"},
	}
	for _, tc := range cases {
		if got := ClaudeProjectKey(tc.path); got != tc.want {
			t.Errorf("ClaudeProjectKey(%q)\n got %s\nwant %s", tc.path, got, tc.want)
		}
	}
}

const refSession = "4f0c2b1e-8d3a-4b6f-9e21-7c5d0a9b3e11"

// placeReference puts the reference-format fixture where the reference would have written it
// for cwd and returns its path.
func placeReference(t *testing.T, s Store) string {
	t.Helper()
	dir := filepath.Join(s.Dir, ClaudeProjectKey(cwd))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, refSession+".jsonl")
	if err := os.WriteFile(path, readFile(t, filepath.Join("testdata", "claude-session.jsonl")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestResumeReferenceTranscript continues a session Claude Code wrote: the main chain to the
// latest leaf, blocks of one response merged, parallel tool results put back, thinking kept
// with its signature; no side chain, abandoned branch, progress line or title is sent.
func TestResumeReferenceTranscript(t *testing.T) {
	s := testStore(t)
	path := placeReference(t, s)
	tr, msgs, err := s.Resume(refSession[:8], cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	think := "The failing test compares Parse output with a fixture; read the test first."
	want := []llm.Message{
		userText("TestParse in parser_test.go fails. Find out why and fix it."),
		{Role: llm.RoleAssistant, Content: []llm.ContentBlock{
			{Type: llm.TypeThinking, Thinking: think, Signature: "bdrksimA0cjLHAxjkvRccqC8SShmOjeeWLjlp3CpiBRZsa1azU="},
			llm.TextBlock("I'll read the test first."),
			toolUse("toolu_bdrk_01Read0000000000000", "Read", `{"file_path":"/home/dev/project/parser_test.go"}`)}},
		{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.ToolResultBlock("toolu_bdrk_01Read0000000000000",
			"     1\tpackage parser\n     2\t\n     3\tfunc TestParse(t *testing.T) {\n     4\t\tif got := Parse(\"a=1\"); got[\"a\"] != \"1\" {\n     5\t\t\tt.Fatal(got)\n     6\t\t}\n     7\t}\n", false)}},
		{Role: llm.RoleAssistant, Content: []llm.ContentBlock{
			toolUse("toolu_bdrk_01Bash0000000000000", "Bash", `{"command":"go test ./...","description":"Run the tests"}`),
			toolUse("toolu_bdrk_01Grep0000000000000", "Grep", `{"pattern":"func Parse","output_mode":"content"}`)}},
		{Role: llm.RoleUser, Content: []llm.ContentBlock{
			llm.ToolResultBlock("toolu_bdrk_01Bash0000000000000", "--- FAIL: TestParse (0.00s)\n    parser_test.go:5: map[a:1 ]\nFAIL", true),
			llm.ToolResultBlock("toolu_bdrk_01Grep0000000000000", "parser.go:3:func Parse(s string) map[string]string {", false)}},
		{Role: llm.RoleAssistant, Content: []llm.ContentBlock{llm.TextBlock("Parse kept the trailing space of each value; it trims values now and the test passes.")}},
		userText("Now run go vet as well."),
		{Role: llm.RoleAssistant, Content: []llm.ContentBlock{llm.TextBlock("go vet reports nothing.")}},
	}
	if got, w := toJSON(t, msgs), toJSON(t, want); got != w {
		t.Fatalf("resumed conversation\n got %s\nwant %s", got, w)
	}
	if tr.ID() != refSession || tr.Path() != path {
		t.Errorf("resumed %s at %s, want %s at %s", tr.ID(), tr.Path(), refSession, path)
	}
	write(t, tr, "u:next")
	tr.Close()
	entries := readLines(t, path)
	last := entries[len(entries)-1]
	if last.ParentUUID == nil || *last.ParentUUID != "00000012-1111-4aaa-8bbb-000000000012" || last.SessionID != refSession {
		t.Errorf("appended entry does not continue the leaf: %+v", last)
	}
	infos, err := s.List(cwd)
	if err != nil || len(infos) != 1 {
		t.Fatalf("List = %v, %v", infos, err)
	}
	in := infos[0]
	if in.Source != SourceClaude || in.Title != "Fix TestParse trailing-space bug" ||
		in.FirstPrompt != "TestParse in parser_test.go fails. Find out why and fix it." || in.Messages != 12 {
		t.Errorf("listing = %+v", in)
	}
}

// TestResumeReferenceCompaction: after a compact boundary only the summary message and what
// follows are sent, the way the reference writes a compaction.
func TestResumeReferenceCompaction(t *testing.T) {
	s := testStore(t)
	dir := filepath.Join(s.Dir, ClaudeProjectKey(cwd))
	lines := []string{
		`{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"old prompt"},"uuid":"u1","timestamp":"2026-11-30T09:00:00.000Z","sessionId":"` + refSession + `","cwd":"/home/dev/project"}`,
		`{"parentUuid":"u1","isSidechain":false,"type":"assistant","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"old answer"}]},"uuid":"a1","timestamp":"2026-11-30T09:00:01.000Z"}`,
		`{"parentUuid":null,"logicalParentUuid":"a1","isSidechain":false,"type":"system","subtype":"compact_boundary","content":"Conversation compacted","compactMetadata":{"trigger":"manual","preTokens":51234},"uuid":"b1","timestamp":"2026-11-30T09:00:02.000Z"}`,
		`{"parentUuid":"b1","isSidechain":false,"type":"user","isCompactSummary":true,"isVisibleInTranscriptOnly":true,"message":{"role":"user","content":"This session is being continued from a previous conversation. Summary: parser fixed."},"uuid":"u2","timestamp":"2026-11-30T09:00:03.000Z"}`,
		`{"parentUuid":"u2","isSidechain":false,"type":"user","isMeta":true,"message":{"role":"user","content":[{"type":"text","text":"<local-command-caveat>Caveat</local-command-caveat>"}]},"uuid":"u3","timestamp":"2026-11-30T09:00:04.000Z"}`,
		`{"parentUuid":"u3","isSidechain":false,"type":"assistant","isApiErrorMessage":true,"message":{"id":"m2","model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"API Error: 500"}]},"uuid":"a2","timestamp":"2026-11-30T09:00:05.000Z"}`,
		`{"parentUuid":"a2","isSidechain":false,"type":"user","message":{"role":"user","content":"new prompt"},"uuid":"u4","timestamp":"2026-11-30T09:00:06.000Z"}`,
		`{"type":"some-future-kind","payload":[1,2,3]}`,
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, refSession+".jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, msgs, err := s.Resume(refSession, cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.Message{{Role: llm.RoleUser, Content: []llm.ContentBlock{
		llm.TextBlock("This session is being continued from a previous conversation. Summary: parser fixed."),
		llm.TextBlock("<local-command-caveat>Caveat</local-command-caveat>"), llm.TextBlock("new prompt")}}}
	if got, w := toJSON(t, msgs), toJSON(t, want); got != w {
		t.Fatalf("\n got %s\nwant %s", got, w)
	}
}

// TestLegacyTranscripts: sessions strata wrote in its state directory before it wrote the
// reference's format are still listed and resumed, with their summaries.
func TestLegacyTranscripts(t *testing.T) {
	s := testStore(t)
	s.Legacy = t.TempDir()
	dir := filepath.Join(s.Legacy, ProjectKey(cwd))
	const id = "0b5c7d3e-2f1a-4c6b-9d8e-7f6a5b4c3d2e"
	old := []string{
		`{"type":"user","uuid":"e1","parentUuid":null,"sessionId":"` + id + `","timestamp":"2026-11-05T10:00:01Z","cwd":"/home/dev/project","message":{"role":"user","content":[{"type":"text","text":"one"}]}}`,
		`{"type":"assistant","uuid":"e2","parentUuid":"e1","sessionId":"` + id + `","timestamp":"2026-11-05T10:00:02Z","cwd":"/home/dev/project","message":{"role":"assistant","content":[{"type":"text","text":"two"}]},"model":"m","responseId":"msg_2","stopReason":"end_turn","usage":{"input_tokens":1,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}`,
		`{"type":"summary","uuid":"e3","parentUuid":"e2","sessionId":"` + id + `","timestamp":"2026-11-05T10:00:03Z","cwd":"/home/dev/project","summary":"we said one and two"}`,
		`{"type":"system","uuid":"e4","parentUuid":"e3","sessionId":"` + id + `","timestamp":"2026-11-05T10:00:04Z","cwd":"/home/dev/project","subtype":"note","text":"for people"}`,
		`{"type":"user","uuid":"e5","parentUuid":"e4","sessionId":"` + id + `","timestamp":"2026-11-05T10:00:05Z","cwd":"/home/dev/project","message":{"role":"user","content":[{"type":"text","text":"three"}]}}`,
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, id+".jsonl"), []byte(strings.Join(old, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	infos, err := s.List(cwd)
	if err != nil || len(infos) != 1 || infos[0].Source != SourceStrata || infos[0].FirstPrompt != "one" {
		t.Fatalf("List = %+v, %v", infos, err)
	}
	if latest, err := s.Latest(cwd); err != nil || latest != id {
		t.Errorf("Latest = %s, %v", latest, err)
	}
	tr, msgs, err := s.Resume(id, cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	want := []llm.Message{{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock("we said one and two"), llm.TextBlock("three")}}}
	if got, w := toJSON(t, msgs), toJSON(t, want); got != w {
		t.Fatalf("\n got %s\nwant %s", got, w)
	}
	if _, err := s.Create(id, cwd, redact.New()); err == nil {
		t.Error("Create reused the id of an older session")
	}
}

// TestFindPrefixes: a unique start of an id finds the session; an ambiguous or unknown one
// says so.
func TestFindPrefixes(t *testing.T) {
	s := testStore(t)
	for _, id := range []string{"abcd1111-0000-4000-8000-000000000001", "abcd2222-0000-4000-8000-000000000002"} {
		tr, err := s.Create(id, cwd, redact.New())
		if err != nil {
			t.Fatal(err)
		}
		write(t, tr, "u:hi")
		tr.Close()
	}
	if id, err := s.Find("abcd2", cwd); err != nil || id != "abcd2222-0000-4000-8000-000000000002" {
		t.Errorf("Find(abcd2) = %s, %v", id, err)
	}
	if _, err := s.Find("abcd", cwd); err == nil || !strings.Contains(err.Error(), "start of 2 sessions") {
		t.Errorf("Find(abcd) = %v, want it ambiguous", err)
	}
	for _, ref := range []string{"ffff", "not-a-session", "../x", "ffffffff-0000-4000-8000-000000000001"} {
		if _, err := s.Find(ref, cwd); err == nil || !strings.Contains(err.Error(), "no session found") {
			t.Errorf("Find(%q) = %v, want no session found", ref, err)
		}
	}
}

// TestWrittenLinesReadAsReference: every line strata writes has the fields the reference
// reads to rebuild and list a session.
func TestWrittenLinesReadAsReference(t *testing.T) {
	s := testStore(t)
	s.Writer = Writer{Version: "0.9.0", GitBranch: "main"}
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	write(t, tr, "u:one", "tool:toolu_1", "result:toolu_1", "summary:the gist", "a:two")
	tr.Close()
	for i, line := range strings.Split(strings.TrimSpace(string(readFile(t, tr.Path()))), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"parentUuid", "isSidechain", "userType", "cwd", "sessionId", "version", "gitBranch", "type", "uuid", "timestamp"} {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d lacks %s: %s", i+1, k, line)
			}
		}
		if m["type"] == "user" || m["type"] == "assistant" {
			msg, _ := m["message"].(map[string]any)
			if _, ok := msg["content"].([]any); !ok || msg["role"] != m["type"] {
				t.Errorf("line %d: message = %v", i+1, m["message"])
			}
		}
		if m["subtype"] == SubtypeCompactBoundary && (m["parentUuid"] != nil || m["logicalParentUuid"] == nil || m["compactMetadata"] == nil) {
			t.Errorf("compact boundary = %s", line)
		}
	}
}

// TestLatestSkipsFilesWithoutMessages: a newer file that holds only a title (the reference
// leaves such files) is not what --continue picks.
func TestLatestSkipsFilesWithoutMessages(t *testing.T) {
	s := testStore(t)
	placeReference(t, s)
	titles := filepath.Join(s.Dir, ClaudeProjectKey(cwd), "77777777-0000-4000-8000-000000000000.jsonl")
	if err := os.WriteFile(titles, []byte(`{"type":"summary","summary":"t","leafUuid":"x"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	if err := os.Chtimes(titles, future, future); err != nil {
		t.Fatal(err)
	}
	if id, err := s.Latest(cwd); err != nil || id != refSession {
		t.Errorf("Latest = %s, %v; want %s", id, err, refSession)
	}
}

// TestWrittenLinesCarryTheReferenceLinks: the keys the interop comparison
// (testdata/interop/compare.mjs) found the reference always writing: a prompt and the tool
// results of its turn share a promptId, a result names the assistant entry of its call
// (sourceToolAssistantUUID) and carries the reference's display record of a Bash run
// (toolUseResult), a prompt records the permission mode in force, assistant
// messages carry stop_sequence even when null and the usage fields Bedrock leaves out, and an
// entry written outside a git branch says "HEAD".
func TestWrittenLinesCarryTheReferenceLinks(t *testing.T) {
	s := testStore(t)
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	mode := "default"
	tr.SetPermissionMode(func() string { return mode })
	write(t, tr, "u:one", "tool:toolu_1", "result:toolu_1", "a:two")
	mode = "plan"
	write(t, tr, "u:three")
	tr.Close()
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(readFile(t, tr.Path()))), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m["gitBranch"] != "HEAD" {
			t.Errorf("gitBranch = %v, want HEAD outside a branch: %s", m["gitBranch"], line)
		}
		msg, _ := m["message"].(map[string]any)
		for _, k := range []string{"stop_sequence", "stop_details"} {
			if v, ok := msg[k]; ok != (m["type"] == "assistant") || v != nil {
				t.Errorf("%s present = %v (%v) on a %v line: %s", k, ok, v, m["type"], line)
			}
		}
		if usage, _ := msg["usage"].(map[string]any); m["type"] == "assistant" &&
			(usage["input_tokens"] == nil || usage["server_tool_use"] == nil || usage["service_tier"] != "standard") {
			t.Errorf("assistant usage = %v, want the counts and the fields Bedrock leaves out", usage)
		}
		lines = append(lines, m)
	}
	one, call, result, three := lines[0], lines[1], lines[2], lines[4]
	if one["promptId"] == nil || result["promptId"] != one["promptId"] {
		t.Errorf("promptId: prompt %v, its tool result %v", one["promptId"], result["promptId"])
	}
	if three["promptId"] == nil || three["promptId"] == one["promptId"] {
		t.Errorf("the second prompt's promptId = %v (first %v)", three["promptId"], one["promptId"])
	}
	if rec, _ := result["toolUseResult"].(map[string]any); rec["stdout"] != "ok" || rec["interrupted"] != false {
		t.Errorf("toolUseResult of a Bash result = %v, want the reference's Bash record", result["toolUseResult"])
	}
	if result["sourceToolAssistantUUID"] != call["uuid"] || one["sourceToolAssistantUUID"] != nil {
		t.Errorf("sourceToolAssistantUUID = %v, want the call's uuid %v", result["sourceToolAssistantUUID"], call["uuid"])
	}
	for _, m := range []map[string]any{call, lines[3]} {
		if m["promptId"] != nil {
			t.Errorf("an assistant entry has a promptId: %v", m)
		}
	}
	if one["permissionMode"] != "default" || three["permissionMode"] != "plan" || result["permissionMode"] != nil {
		t.Errorf("permissionMode: prompts %v, %v (want default, plan), tool result %v (want none)",
			one["permissionMode"], three["permissionMode"], result["permissionMode"])
	}
}

// TestDisplayRecords: the reference's toolUseResult where strata knows its shape (errors of any
// tool, Bash output), none for the other tools, whose records mean more than display to the
// reference.
func TestDisplayRecords(t *testing.T) {
	bash := displayRecord("Bash", llm.ToolResultBlock("t", "a\nb", false))
	if r, ok := bash.(bashRecord); !ok || r.Stdout != "a\nb" {
		t.Errorf("Bash record = %#v", bash)
	}
	if got := displayRecord("Read", llm.ToolResultBlock("t", "no such file", true)); got != "Error: no such file" {
		t.Errorf("error record = %#v", got)
	}
	for _, tool := range []string{"Read", "Edit", "Glob", ""} {
		if got := displayRecord(tool, llm.ToolResultBlock("t", "x", false)); got != nil {
			t.Errorf("%q record = %#v, want none", tool, got)
		}
	}
}
