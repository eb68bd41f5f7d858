package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/redact"
)

const cwd = "/home/dev/project"

func testStore(t testing.TB) Store {
	t.Helper()
	clock := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	return Store{Dir: t.TempDir(), Now: func() time.Time {
		clock = clock.Add(time.Second)
		return clock
	}}
}

func userText(s string) llm.Message {
	return llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock(s)}}
}

func toolUse(id, name, input string) llm.ContentBlock {
	return llm.ContentBlock{Type: llm.TypeToolUse, ID: id, Name: name, Input: json.RawMessage(input)}
}

func response(id string, blocks ...llm.ContentBlock) *llm.Response {
	stop := llm.StopEndTurn
	for _, b := range blocks {
		if b.Type == llm.TypeToolUse {
			stop = llm.StopToolUse
		}
	}
	return &llm.Response{ID: id, Type: "message", Role: llm.RoleAssistant, Model: "m", Content: blocks,
		StopReason: stop, Usage: llm.Usage{InputTokens: 10, OutputTokens: 5, CacheReadInputTokens: 3}}
}

func toJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// write appends one entry of each kind the step names: "u:text", "a:text", "tool:id" (an
// assistant tool_use), "result:id", "summary:text", "system:text".
func write(t testing.TB, tr *Transcript, steps ...string) {
	t.Helper()
	for _, step := range steps {
		kind, arg, _ := strings.Cut(step, ":")
		var err error
		switch kind {
		case "u":
			err = tr.AppendUser(userText(arg))
		case "a":
			err = tr.AppendAssistant(response("msg_"+arg, llm.TextBlock(arg)), "model-x")
		case "tool":
			err = tr.AppendAssistant(response("msg_"+arg, toolUse(arg, "Bash", `{"command":"ls"}`)), "model-x")
		case "result":
			err = tr.AppendUser(llm.Message{Content: []llm.ContentBlock{llm.ToolResultBlock(arg, "ok", false)}})
		case "summary":
			err = tr.AppendSummary(arg)
		case "system":
			err = tr.AppendSystem("note", arg)
		default:
			t.Fatalf("unknown step %q", step)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readLines(t testing.TB, path string) []Entry {
	t.Helper()
	data := readFile(t, path)
	var out []Entry
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var e Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, line)
		}
		out = append(out, e)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	s := testStore(t)
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	first := userText("fix the bug")
	thinking := llm.ContentBlock{Type: llm.TypeThinking, Thinking: "look first", Signature: "c2ln"}
	call := response("msg_1", thinking, llm.TextBlock("Reading."), toolUse("toolu_1", "Read", `{"file_path":"/a.go"}`))
	result := llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.ToolResultBlock("toolu_1", "package a", false)}}
	final := response("msg_2", llm.TextBlock("Fixed."))
	for _, err := range []error{
		tr.AppendUser(first), tr.AppendAssistant(call, "us.anthropic.model"), tr.AppendSystem("note", "for people"),
		tr.AppendUser(result), tr.AppendAssistant(final, "us.anthropic.model"), tr.Sync(), tr.Close(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.AppendUser(first); err == nil {
		t.Error("append after Close succeeded")
	}

	entries := readLines(t, tr.Path())
	if len(entries) != 5 {
		t.Fatalf("%d entries, want 5", len(entries))
	}
	for i, e := range entries {
		if e.SessionID != tr.ID() || e.Cwd != cwd || e.UUID == "" || e.Timestamp.Time().IsZero() {
			t.Errorf("entry %d lacks its identity: %+v", i, e)
		}
		if i == 0 && e.ParentUUID != nil || i > 0 && (e.ParentUUID == nil || *e.ParentUUID != entries[i-1].UUID) {
			t.Errorf("entry %d: parentUuid does not chain to the entry before", i)
		}
	}
	// The response's own fields sit in message, as the reference records them.
	if a := entries[1]; a.Type != TypeAssistant || a.Message.Model != "m" || a.Message.ID != "msg_1" ||
		a.Message.Type != "message" || a.Message.StopReason == nil || *a.Message.StopReason != llm.StopToolUse ||
		a.Message.Usage == nil || *a.Message.Usage != call.Usage || a.Entrypoint != "strata" || a.UserType != "external" {
		t.Errorf("assistant entry = %+v, message %+v", a, a.Message)
	}
	if e := entries[2]; e.Type != TypeSystem || e.Subtype != "note" || e.SystemText() != "for people" {
		t.Errorf("system entry = %+v", e)
	}
	if !strings.Contains(string(readFile(t, tr.Path())), `"timestamp":"2026-11-05T10:00:01.000Z"`) {
		t.Error("timestamps are not written as the reference writes them (UTC, milliseconds)")
	}

	tr2, msgs, err := s.Resume(tr.ID(), cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	defer tr2.Close()
	want := []llm.Message{first, call.Message(), result, final.Message()}
	if got, w := toJSON(t, msgs), toJSON(t, want); got != w {
		t.Fatalf("resumed conversation\n got %s\nwant %s", got, w)
	}
	write(t, tr2, "u:more")
	entries = readLines(t, tr.Path())
	if last := entries[len(entries)-1]; last.ParentUUID == nil || *last.ParentUUID != entries[len(entries)-2].UUID {
		t.Error("entry appended after Resume does not chain to the last one")
	}
}

func TestResumeCrashCutLastLine(t *testing.T) {
	cases := []struct {
		name     string
		tail     func(line string) string // what the crash left after the good entries
		messages int
	}{
		{"cut in the middle", func(l string) string { return l[:len(l)/2] }, 2},
		{"cut before the line end", func(l string) string { return strings.TrimSuffix(l, "\n") }, 3},
		{"garbage with a line end", func(string) string { return "\x00\x00\x00\n" }, 2},
		{"cut line then blank lines", func(l string) string { return l[:10] + "\n\n" }, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := testStore(t)
			tr, err := s.Create("", cwd, redact.New())
			if err != nil {
				t.Fatal(err)
			}
			write(t, tr, "u:one", "a:two", "u:three")
			tr.Close()
			data, _ := os.ReadFile(tr.Path())
			lines := strings.SplitAfter(string(data), "\n")
			good := strings.Join(lines[:2], "")
			if err := os.WriteFile(tr.Path(), []byte(good+tc.tail(lines[2])), 0o600); err != nil {
				t.Fatal(err)
			}
			tr2, msgs, err := s.Resume(tr.ID(), cwd, redact.New())
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != tc.messages {
				t.Fatalf("%d messages, want %d: %s", len(msgs), tc.messages, toJSON(t, msgs))
			}
			write(t, tr2, "a:after")
			tr2.Close()
			if n := len(readLines(t, tr.Path())); n != tc.messages+1 {
				t.Fatalf("file has %d entries after repair and append, want %d", n, tc.messages+1)
			}
		})
	}
}

func TestResumeCorruptMiddleLine(t *testing.T) {
	s := testStore(t)
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	write(t, tr, "u:one", "a:two", "u:three")
	tr.Close()
	data, _ := os.ReadFile(tr.Path())
	lines := strings.SplitAfter(string(data), "\n")
	lines[1] = `{"type":"assistant","message":` + "\n"
	if err := os.WriteFile(tr.Path(), []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Resume(tr.ID(), cwd, redact.New())
	if err == nil || !strings.Contains(err.Error(), tr.Path()+":2:") {
		t.Fatalf("error = %v, want one naming %s:2", err, tr.Path())
	}
	after, _ := os.ReadFile(tr.Path())
	if !bytes.Equal(after, []byte(strings.Join(lines, ""))) {
		t.Error("a failed Resume changed the file")
	}
}

func TestLatestAndList(t *testing.T) {
	s := testStore(t)
	if _, err := s.Latest(cwd); !errors.Is(err, ErrNoSession) {
		t.Fatalf("Latest with no sessions: %v, want ErrNoSession", err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	long := "please " + strings.Repeat("refactor\tthe   parser ", 10)
	prompts := []string{"oldest", long, "middle"}
	ages := []int{3, 1, 2} // hours after base: the second is the newest
	var ids []string
	for i, p := range prompts {
		tr, err := s.Create("", cwd, redact.New())
		if err != nil {
			t.Fatal(err)
		}
		write(t, tr, "u:"+p, "a:ok")
		tr.Close()
		mtime := base.Add(time.Duration(ages[i]) * time.Hour)
		if err := os.Chtimes(tr.Path(), mtime, mtime); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tr.ID())
	}
	other, err := s.Create("", "/home/dev/other", redact.New())
	if err != nil {
		t.Fatal(err)
	}
	write(t, other, "u:elsewhere")
	other.Close()

	latest, err := s.Latest(cwd)
	if err != nil || latest != ids[0] {
		t.Fatalf("Latest = %q, %v; want %q", latest, err, ids[0])
	}
	infos, err := s.List(cwd)
	if err != nil {
		t.Fatal(err)
	}
	wantOrder := []string{ids[0], ids[2], ids[1]}
	if len(infos) != 3 {
		t.Fatalf("List gave %d sessions, want 3 (other projects must not show)", len(infos))
	}
	for i, info := range infos {
		if info.ID != wantOrder[i] {
			t.Errorf("List[%d] = %s, want %s", i, info.ID, wantOrder[i])
		}
		if info.Messages != 2 || info.Cwd != cwd || info.Path == "" || info.Modified.IsZero() {
			t.Errorf("List[%d] = %+v", i, info)
		}
	}
	wantPrompt := "please refactor the parser refactor the parser refactor the parser refactor the " // 80 characters
	if got := infos[2].FirstPrompt; got != wantPrompt {
		t.Errorf("FirstPrompt = %q, want %q", got, wantPrompt)
	}
	if got := infos[0].FirstPrompt; got != "oldest" {
		t.Errorf("FirstPrompt = %q", got)
	}
}

func TestResumeAfterSummary(t *testing.T) {
	s := testStore(t)
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	write(t, tr, "u:one", "a:two", "summary:first summary", "u:three", "a:four",
		"summary:we fixed the parser", "u:five", "a:six")
	tr.Close()
	_, msgs, err := s.Resume(tr.ID(), cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.Message{
		{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock("we fixed the parser"), llm.TextBlock("five")}},
		response("", llm.TextBlock("six")).Message(),
	}
	if got, w := toJSON(t, msgs), toJSON(t, want); got != w {
		t.Fatalf("\n got %s\nwant %s", got, w)
	}
}

func TestSecretsNeverReachTheFile(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPx<RfiCY>EXAMPLEKEY"
	red := redact.New()
	red.Add(secret)
	s := testStore(t)
	tr, err := s.Create("", cwd, red)
	if err != nil {
		t.Fatal(err)
	}
	input, _ := json.Marshal(map[string]string{"command": "export AWS_SECRET_ACCESS_KEY=" + secret})
	write(t, tr, "u:my key is "+secret)
	if err := tr.AppendAssistant(response("msg", toolUse("t1", "Bash", string(input))), "m"); err != nil {
		t.Fatal(err)
	}
	if err := tr.AppendUser(llm.Message{Content: []llm.ContentBlock{llm.ToolResultBlock("t1", secret, false)}}); err != nil {
		t.Fatal(err)
	}
	tr.Close()
	data, _ := os.ReadFile(tr.Path())
	escaped, _ := json.Marshal(secret)
	for _, form := range []string{secret, string(escaped[1 : len(escaped)-1]), "EXAMPLEKEY"} {
		if bytes.Contains(data, []byte(form)) {
			t.Errorf("transcript holds %q:\n%s", form, data)
		}
	}
	// The prompt, the command, the result and the result's display record (toolUseResult).
	if got := bytes.Count(data, []byte("[REDACTED]")); got != 4 {
		t.Errorf("%d redactions, want 4:\n%s", got, data)
	}
	if _, _, err := s.Resume(tr.ID(), cwd, redact.New()); err != nil {
		t.Fatalf("redacted transcript does not resume: %v", err)
	}
}

func TestInterruptedToolCalls(t *testing.T) {
	interrupted := func(id string) llm.ContentBlock { return llm.ToolResultBlock(id, Interrupted, true) }
	cases := []struct {
		name      string
		steps     []string
		want      []llm.Message
		persisted int // entries in the file after Resume
	}{
		{"crash while the tool ran", []string{"u:go", "tool:t1"},
			[]llm.Message{userText("go"), response("", toolUse("t1", "Bash", `{"command":"ls"}`)).Message(),
				{Role: llm.RoleUser, Content: []llm.ContentBlock{interrupted("t1")}}}, 3},
		{"prompt sent after an unanswered call", []string{"u:go", "tool:t1", "u:next"},
			[]llm.Message{userText("go"), response("", toolUse("t1", "Bash", `{"command":"ls"}`)).Message(),
				{Role: llm.RoleUser, Content: []llm.ContentBlock{interrupted("t1"), llm.TextBlock("next")}}}, 3},
		{"stray result dropped", []string{"u:go", "result:t9", "a:done"},
			[]llm.Message{userText("go"), response("", llm.TextBlock("done")).Message()}, 3},
		{"answered call untouched", []string{"u:go", "tool:t1", "result:t1"},
			[]llm.Message{userText("go"), response("", toolUse("t1", "Bash", `{"command":"ls"}`)).Message(),
				{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.ToolResultBlock("t1", "ok", false)}}}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := testStore(t)
			tr, err := s.Create("", cwd, redact.New())
			if err != nil {
				t.Fatal(err)
			}
			write(t, tr, tc.steps...)
			tr.Close()
			tr2, msgs, err := s.Resume(tr.ID(), cwd, redact.New())
			if err != nil {
				t.Fatal(err)
			}
			tr2.Close()
			if got, w := toJSON(t, msgs), toJSON(t, tc.want); got != w {
				t.Fatalf("\n got %s\nwant %s", got, w)
			}
			if n := len(readLines(t, tr.Path())); n != tc.persisted {
				t.Errorf("file has %d entries, want %d", n, tc.persisted)
			}
			if _, again, err := s.Resume(tr.ID(), cwd, redact.New()); err != nil || toJSON(t, again) != toJSON(t, msgs) {
				t.Errorf("second Resume differs: %v\n%s", err, toJSON(t, again))
			}
		})
	}
}

func TestCreateAndResumeErrors(t *testing.T) {
	s := testStore(t)
	if _, err := s.Create("../escape", cwd, redact.New()); err == nil {
		t.Error("Create accepted an id that is not a UUID")
	}
	tr, err := s.Create("0b5c7d3e-2f1a-4c6b-9d8e-7f6a5b4c3d2e", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	write(t, tr, "u:hi")
	tr.Close()
	if _, err := s.Create(tr.ID(), cwd, redact.New()); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Create of an existing id: %v", err)
	}
	if _, _, err := s.Resume("9a9a9a9a-0000-4000-8000-000000000000", cwd, redact.New()); !errors.Is(err, ErrNoSession) {
		t.Errorf("Resume of an unknown id: %v, want ErrNoSession", err)
	}
	_, _, err = s.Resume(tr.ID(), "/home/dev/other", redact.New())
	if err == nil || !strings.Contains(err.Error(), cwd) {
		t.Errorf("Resume from the wrong directory: %v, want it to name %s", err, cwd)
	}
	if info, err := os.Stat(tr.Path()); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("transcript mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}
}

func TestProjectKey(t *testing.T) {
	cases := []struct{ path, prefix string }{
		{"/home/dev/project", "home-dev-project-"},
		{"/home/dev/my project.v2", "home-dev-my-project.v2-"},
		{"/", "root-"},
		{"/" + strings.Repeat("d", 200), strings.Repeat("d", 80) + "-"},
	}
	for _, tc := range cases {
		got := ProjectKey(tc.path)
		if !strings.HasPrefix(got, tc.prefix) || len(got) != len(tc.prefix)+8 {
			t.Errorf("ProjectKey(%q) = %q, want %q and 8 hex digits", tc.path, got, tc.prefix)
		}
	}
	if ProjectKey("/a/b") == ProjectKey("/a-b") {
		t.Error("different paths share a key")
	}
	if ProjectKey("/a/b/") != ProjectKey("/a/b") {
		t.Error("a trailing slash changed the key")
	}
}

func TestDefaultDir(t *testing.T) {
	cases := []struct{ xdg, want string }{
		{"", "/home/u/.local/state/strata/projects"},
		{"/var/state", "/var/state/strata/projects"},
		{"relative/state", "/home/u/.local/state/strata/projects"},
	}
	for _, tc := range cases {
		getenv := func(k string) string {
			if k == "XDG_STATE_HOME" {
				return tc.xdg
			}
			return ""
		}
		if got := DefaultDir(getenv, "/home/u"); got != filepath.FromSlash(tc.want) {
			t.Errorf("XDG_STATE_HOME=%q: %q, want %q", tc.xdg, got, tc.want)
		}
	}
}

// BenchmarkAppend measures one transcript line, without and with the fsync Sync adds.
func BenchmarkAppend(b *testing.B) {
	red := redact.New()
	red.Add("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	msg := llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{
		llm.ToolResultBlock("toolu_1", strings.Repeat("some output of a tool, a line of it\n", 50), false)}}
	for _, sync := range []bool{false, true} {
		name := "write"
		if sync {
			name = "write+sync"
		}
		b.Run(name, func(b *testing.B) {
			tr, err := Store{Dir: b.TempDir()}.Create("", cwd, red)
			if err != nil {
				b.Fatal(err)
			}
			defer tr.Close()
			b.ReportAllocs()
			for b.Loop() {
				if err := tr.AppendUser(msg); err != nil {
					b.Fatal(err)
				}
				if sync {
					if err := tr.Sync(); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// A session that never got a message is not what -c continues, nor listed.
func TestEmptyTranscriptIsSkipped(t *testing.T) {
	st := Store{Dir: t.TempDir()}
	cwd := "/work/proj"
	full, err := st.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	if err := full.AppendUser(llm.Message{Role: llm.RoleUser, Content: []llm.ContentBlock{llm.TextBlock("my name is Ada")}}); err != nil {
		t.Fatal(err)
	}
	full.Close()
	empty, err := st.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	empty.Close()
	now := time.Now().Add(time.Minute) // the empty one is newer
	if err := os.Chtimes(empty.Path(), now, now); err != nil {
		t.Fatal(err)
	}
	if id, err := st.Latest(cwd); err != nil || id != full.ID() {
		t.Fatalf("Latest = %q, %v; want the session with messages %q", id, err, full.ID())
	}
	if infos, err := st.List(cwd); err != nil || len(infos) != 1 {
		t.Fatalf("List = %+v, %v", infos, err)
	}
}

// TestTranscriptNeedsARedactor: a transcript cannot be opened without a redactor, so no line
// of it can skip redaction (ARCHITECTURE.md's secrets invariant).
func TestTranscriptNeedsARedactor(t *testing.T) {
	s := testStore(t)
	if _, err := s.Create("", cwd, nil); !errors.Is(err, errNoRedactor) {
		t.Fatalf("Create without a redactor: err = %v", err)
	}
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	tr.Close()
	if _, _, err := s.Resume(tr.ID(), cwd, nil); !errors.Is(err, errNoRedactor) {
		t.Fatalf("Resume without a redactor: err = %v", err)
	}
}

func TestResumeAtCutsTheConversationAndBranches(t *testing.T) {
	s := testStore(t)
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	write(t, tr, "u:one")
	const at = "7a1e2d5c-0000-4000-8000-000000000001"
	if err := tr.AppendAssistantAs(at, response("m1", llm.TextBlock("two")), "m"); err != nil {
		t.Fatal(err)
	}
	write(t, tr, "u:three", "a:four")
	tr.Close()
	tr2, msgs, err := s.ResumeAt(tr.ID(), cwd, at, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.Message{userText("one"), response("m1", llm.TextBlock("two")).Message()}
	if got, w := toJSON(t, msgs), toJSON(t, want); got != w {
		t.Fatalf("\n got %s\nwant %s", got, w)
	}
	write(t, tr2, "u:five") // a branch off the message: the next resume follows it
	tr2.Close()
	if _, msgs, err = s.Resume(tr.ID(), cwd, redact.New()); err != nil {
		t.Fatal(err)
	}
	if got, w := toJSON(t, msgs), toJSON(t, append(want, userText("five"))); got != w {
		t.Fatalf("after the branch:\n got %s\nwant %s", got, w)
	}
	if _, _, err := s.ResumeAt(tr.ID(), cwd, "no-such-uuid", redact.New()); err == nil || !strings.Contains(err.Error(), "no message no-such-uuid") {
		t.Fatalf("unknown uuid: %v", err)
	}
}
