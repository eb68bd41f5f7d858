package cli

import (
	"fmt"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/settings"
)

// sandboxVar is the variable that tells strata (and the reference) it runs in a sandbox
// (a throw-away container or VM), where running every tool call as root without asking is an
// accepted risk.
const sandboxVar = "IS_SANDBOX"

// refuseRootBypass stops a session that would run in bypassPermissions mode as root, unless
// IS_SANDBOX=1 says this is a sandbox — the reference refuses the same way. Only the real
// environment counts: it is checked before the settings' env blocks apply, so a project's
// settings file cannot declare its own sandbox.
func refuseRootBypass(env Env, opts *Options, p settings.Permissions) error {
	if env.Euid != 0 || env.Getenv(sandboxVar) == "1" {
		return nil
	}
	var how string
	switch {
	case opts.SkipPerms:
		how = "--dangerously-skip-permissions"
	case opts.PermissionMode == string(permission.ModeBypass):
		how = "--permission-mode bypassPermissions"
	case opts.PermissionMode == "" && p.DefaultMode == string(permission.ModeBypass):
		how = `"defaultMode": "bypassPermissions" in your settings`
	default:
		return nil
	}
	return &llm.Error{Kind: llm.ErrConfig,
		Message: fmt.Sprintf("%s cannot be used as root: every tool call would run with root privileges without asking.", how),
		Fix: "Run strata as an ordinary user; in a container or VM you can throw away, set IS_SANDBOX=1 " +
			"(e.g. `IS_SANDBOX=1 strata …`) to accept the risk."}
}
