package agent

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// idRecorder is a memRecorder that records prompts under the uuid it is given.
type idRecorder struct {
	memRecorder
	ids []string
}

func (r *idRecorder) AppendUserAs(id string, m llm.Message) error {
	r.ids = append(r.ids, id)
	return r.AppendUser(m)
}

// fakeCheckpoints logs what the agent asks of the checkpoints.
type fakeCheckpoints struct {
	mu  sync.Mutex
	log []string
}

func (f *fakeCheckpoints) Snapshot(id string) {
	f.mu.Lock()
	f.log = append(f.log, "snapshot:"+id)
	f.mu.Unlock()
}
func (f *fakeCheckpoints) Track(p string) {
	f.mu.Lock()
	f.log = append(f.log, "track:"+p)
	f.mu.Unlock()
}

// writingTool writes through the Env's hook, as fsutil.WriteTracked does.
type writingTool struct{ fakeTool }

func (w *writingTool) Class() permission.Class { return permission.ClassEdit }
func (w *writingTool) Run(_ context.Context, env *tool.Env, in json.RawMessage) (tool.Result, error) {
	var input struct {
		FilePath string `json:"file_path"`
	}
	_ = json.Unmarshal(in, &input)
	env.BeforeWrite(input.FilePath)
	return tool.Result{Text: "written"}, nil
}

// TestPromptsAreCheckpointed: each prompt takes a checkpoint under the uuid its transcript
// entry gets, before the tools of its turn track the files they change; tool results and
// sub-turns take none. Rewind then makes the next request start from the history given.
func TestPromptsAreCheckpointed(t *testing.T) {
	client := newFake(t,
		turn{blocks: []llm.ContentBlock{use("t1", "Write", `{"file_path":"/p/a.txt"}`)}},
		turn{blocks: []llm.ContentBlock{text("done")}},
		turn{blocks: []llm.ContentBlock{text("second")}},
		turn{blocks: []llm.ContentBlock{text("after the rewind")}},
	)
	rec, cps := &idRecorder{}, &fakeCheckpoints{}
	s := New(Config{Client: client, Model: "m", Tools: []tool.Tool{&writingTool{fakeTool{name: "Write"}}},
		Cwd: "/p", Permissions: bypass(), Transcript: rec, Checkpoints: cps}, nil)
	for _, p := range []string{"first", "second"} {
		if _, err := s.Run(context.Background(), []llm.ContentBlock{text(p)}); err != nil {
			t.Fatal(err)
		}
	}
	if len(rec.ids) != 2 || rec.ids[0] == "" || rec.ids[0] == rec.ids[1] {
		t.Fatalf("prompt ids %v", rec.ids)
	}
	want := "snapshot:" + rec.ids[0] + " track:/p/a.txt snapshot:" + rec.ids[1]
	if got := strings.Join(cps.log, " "); got != want {
		t.Errorf("checkpoints got %q, want %q", got, want)
	}
	s.Rewind(s.Messages()[:1]) // back to before the answer to "first"
	s.Rewind(nil)              // and to before it all
	if _, err := s.Run(context.Background(), []llm.ContentBlock{text("again")}); err != nil {
		t.Fatal(err)
	}
	last := client.reqs[len(client.reqs)-1]
	if len(last.Messages) != 1 || summaryOf(last.Messages[0]) != "again" {
		t.Errorf("after the rewind the request holds %d messages: %+v", len(last.Messages), last.Messages)
	}
}
