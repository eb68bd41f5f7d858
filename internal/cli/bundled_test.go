package cli

import (
	"context"
	"testing"

	"github.com/strata-agent/strata/internal/iostreams"
)

// TestBundledCommandsReachTheMenu: the host lists /review and /security-review for the /
// menu and /help, as bundled commands.
func TestBundledCommandsReachTheMenu(t *testing.T) {
	env, _ := simEnv(t)
	ios, _, _, errOut := iostreams.Test()
	a := &app{ctx: context.Background(), io: ios, env: env, trusted: true}
	st, err := a.build(a.ctx, &Options{})
	if err != nil {
		t.Fatalf("build: %v (%s)", err, errOut)
	}
	defer st.close()
	found := map[string]string{}
	for _, c := range newHost(a, st).Commands() {
		found[c.Name] = c.Scope
	}
	for _, name := range []string{"review", "security-review"} {
		if found[name] != "bundled" {
			t.Errorf("/%s listed as %q", name, found[name])
		}
	}
}
