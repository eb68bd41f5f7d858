package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/iostreams"
)

// TestRewindLeavesProtectedFilesAlone: a rewind restores ordinary files the tools changed,
// but not a protected one (an earlier settings.local.json could bring back allow rules the
// user removed since): that one is named for the user to restore by hand.
func TestRewindLeavesProtectedFilesAlone(t *testing.T) {
	env, _ := simEnv(t)
	ios, _, _, errOut := iostreams.Test()
	a := &app{ctx: context.Background(), io: ios, env: env, trusted: true}
	st, err := a.build(a.ctx, &Options{})
	if err != nil {
		t.Fatalf("build: %v (%s)", err, errOut)
	}
	defer st.close()
	h := newHost(a, st)
	h.bridge.Close()
	if err := h.mayRestore(filepath.Join(env.Cwd, "main.go")); err != nil {
		t.Errorf("an ordinary file is refused: %v", err)
	}
	for _, p := range []string{filepath.Join(env.Cwd, ".claude", "settings.local.json"), filepath.Join(env.Cwd, ".git", "config")} {
		if err := h.mayRestore(p); err == nil || !strings.Contains(err.Error(), "protected") {
			t.Errorf("%s: %v, want refused as protected", p, err)
		}
	}
}
