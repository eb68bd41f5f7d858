package cli

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/iostreams"
	"github.com/strata-agent/strata/internal/llm"
)

// TestRenameAndForkAgainstTheEmulator: /rename titles the transcript; /fork copies the
// conversation into a new session that the emulator accepts as a continuation, with the cost
// carried over, the old transcript untouched and both listed by name.
func TestRenameAndForkAgainstTheEmulator(t *testing.T) {
	env, srv := simEnv(t)
	ios, _, _, errOut := iostreams.Test()
	a := &app{ctx: context.Background(), io: ios, env: env, trusted: true}
	st, err := a.build(a.ctx, &Options{})
	if err != nil {
		t.Fatalf("build: %v (%s)", err, errOut)
	}
	defer st.close()
	sc, err := bedrocksim.ParseScript([]byte(`{"turns": [
	  {"when": {"user_text_contains": "FIRST"}, "content": "first answer"},
	  {"when": {"user_text_contains": "SECOND"}, "content": "second answer"}]}`), "fork.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.SetScript(sc)
	h := newHost(a, st)
	h.bridge.Close()
	first := h.start(st.transcript, nil, "startup", func(string) {})
	st.transcript = nil
	defer h.close()
	if _, _, err := h.ForkSession(""); err == nil || !strings.Contains(err.Error(), "nothing to fork") {
		t.Fatalf("forking an empty conversation: %v", err)
	}
	if _, err := first.Run(a.ctx, []llm.ContentBlock{llm.TextBlock("FIRST")}); err != nil {
		t.Fatal(err)
	}
	if err := h.RenameSession("billing work"); err != nil {
		t.Fatal(err)
	}
	oldID, oldPath := h.transcriptRef()
	before, _ := os.ReadFile(oldPath)

	forked, id, err := h.ForkSession("")
	if err != nil {
		t.Fatal(err)
	}
	if id == oldID || h.sessionID() != id || cost(forked) != cost(first) || cost(first) == 0 {
		t.Fatalf("fork %s of %s: cost %v, was %v", id, oldID, cost(forked), cost(first))
	}
	res, err := forked.Run(a.ctx, []llm.ContentBlock{llm.TextBlock("SECOND")})
	if err != nil || res.Text != "second answer" {
		t.Fatalf("continuing the fork: %v %v", res, err)
	}
	if after, _ := os.ReadFile(oldPath); string(after) != string(before) {
		t.Error("the forked-from transcript changed")
	}
	infos, err := h.SavedSessions()
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, in := range infos {
		titles[in.ID] = in.Title
	}
	if titles[oldID] != "billing work" || titles[id] != "billing work (fork)" {
		t.Fatalf("titles %v", titles)
	}
}
