package cli

import (
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/settings"
)

func TestRootBypassNeedsASandbox(t *testing.T) {
	bypassSettings := settings.Permissions{DefaultMode: "bypassPermissions"}
	cases := []struct {
		name    string
		euid    int
		sandbox string
		opts    Options
		perms   settings.Permissions
		refused string // the way bypass was asked for, "" when allowed
	}{
		{"root, flag", 0, "", Options{SkipPerms: true}, settings.Permissions{}, "--dangerously-skip-permissions"},
		{"root, mode flag", 0, "", Options{PermissionMode: "bypassPermissions"}, settings.Permissions{}, "--permission-mode bypassPermissions"},
		{"root, settings", 0, "", Options{}, bypassSettings, `"defaultMode": "bypassPermissions"`},
		{"root, IS_SANDBOX=true is not 1", 0, "true", Options{SkipPerms: true}, settings.Permissions{}, "--dangerously-skip-permissions"},
		{"root in a sandbox", 0, "1", Options{SkipPerms: true}, bypassSettings, ""},
		{"root, the flag overrides the settings' bypass", 0, "", Options{PermissionMode: "plan"}, bypassSettings, ""},
		{"root, no bypass", 0, "", Options{PermissionMode: "acceptEdits"}, settings.Permissions{}, ""},
		{"user", 1000, "", Options{SkipPerms: true}, bypassSettings, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv(t, map[string]string{sandboxVar: tc.sandbox})
			env.Euid = tc.euid
			err := refuseRootBypass(env, &tc.opts, tc.perms)
			switch {
			case tc.refused == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.refused != "" && err == nil:
				t.Fatal("allowed bypassPermissions as root outside a sandbox")
			case err != nil && (!strings.Contains(err.Error(), tc.refused) || !strings.Contains(err.Error(), "IS_SANDBOX=1")):
				t.Fatalf("the refusal should name %q and the fix IS_SANDBOX=1: %v", tc.refused, err)
			}
		})
	}
}

// TestRootBypassStopsBeforeAnything: the refusal exits 1 before the Bedrock configuration is
// read (here there is none), and a settings env block cannot set IS_SANDBOX for itself.
func TestRootBypassStopsBeforeAnything(t *testing.T) {
	env := testEnv(t, nil)
	env.Euid = 0
	code, stdout, stderr := run(t, env, "", "-p", "--settings", `{"env": {"IS_SANDBOX": "1"}}`,
		"--dangerously-skip-permissions", "hi")
	if code != ExitError || stdout != "" || !strings.Contains(stderr, "cannot be used as root") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
