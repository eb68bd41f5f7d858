package session

import (
	"os"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/redact"
)

// TestPermissionModeIsRecordedAndReadBack: the mode is written as the reference's
// permission-mode metadata line, only when it changes, outside the chain of messages; a
// resume reads the last one back and the conversation is unaffected.
func TestPermissionModeIsRecordedAndReadBack(t *testing.T) {
	s := testStore(t)
	tr, err := s.Create("", cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"default", "acceptEdits"} {
		if err := tr.RecordPermissionMode(m); err != nil {
			t.Fatal(err)
		}
	}
	write(t, tr, "u:one", "a:two")
	for _, m := range []string{"acceptEdits", "plan", "dontAsk"} {
		if err := tr.RecordPermissionMode(m); err != nil {
			t.Fatal(err)
		}
	}
	write(t, tr, "u:three")
	tr.Close()
	data, _ := os.ReadFile(tr.Path())
	want := `{"type":"permission-mode","permissionMode":"acceptEdits","sessionId":"` + tr.ID() + `"}` + "\n"
	if got := strings.Count(string(data), `"type":"permission-mode"`); got != 3 || !strings.HasPrefix(string(data), want) {
		t.Errorf("want 3 permission-mode lines, the first %q; the file is:\n%s", want, data)
	}
	tr2, msgs, err := s.Resume(tr.ID(), cwd, redact.New())
	if err != nil {
		t.Fatal(err)
	}
	defer tr2.Close()
	if len(msgs) != 3 {
		t.Errorf("resumed %d messages, want 3: the mode lines broke the chain", len(msgs))
	}
	if got := tr2.SavedPermissionMode(); got != "dontAsk" {
		t.Errorf("saved mode %q, want the last one, dontAsk", got)
	}
	if err := tr2.RecordPermissionMode("dontAsk"); err != nil {
		t.Fatal(err)
	}
	if data2, _ := os.ReadFile(tr.Path()); len(data2) != len(data) {
		t.Errorf("recording the mode the file already records wrote a line")
	}
}
