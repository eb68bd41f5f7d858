package cli

import (
	"fmt"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/sdkproto"
	"github.com/strata-agent/strata/internal/settings"
)

// sdkRuleSource names rules a canUseTool answer added, in messages about them.
const sdkRuleSource = "added by the Agent SDK's canUseTool"

// applyUpdates carries out the updatedPermissions of a canUseTool allow: rules and the mode
// change at once for the session, and allow rules meant for localSettings are also written
// to .claude/settings.local.json, as the reference does. What strata cannot do is said on
// stderr and skipped; the call itself is allowed either way.
func (h *sdkHost) applyUpdates(ups []sdkproto.PermissionUpdate) {
	for _, u := range ups {
		if err := h.applyUpdate(u); err != nil {
			fmt.Fprintln(h.errOut, "strata: updatedPermissions:", err)
		}
	}
}

func (h *sdkHost) applyUpdate(u sdkproto.PermissionUpdate) error {
	c := h.st.checker
	switch u.Type {
	case "addRules":
		for _, r := range u.Rules {
			if err := h.addRule(c, r.Text(), u.Behavior, u.Destination); err != nil {
				return err
			}
		}
		return nil
	case "setMode":
		_, err := h.setPermissionMode(u.Mode)
		return err
	}
	return fmt.Errorf("%s is not supported; only addRules and setMode are applied", u.Type)
}

func (h *sdkHost) addRule(c *permission.Checker, rule, behavior, dest string) error {
	switch behavior {
	case "allow":
		if err := c.Grant(rule, sdkRuleSource); err != nil {
			return err
		}
		if dest == "localSettings" {
			return settings.AddLocalAllowRule(h.a.env.Cwd, rule)
		}
		return nil
	case "deny", "ask":
		return c.Restrict(rule, behavior == "deny", sdkRuleSource)
	}
	return fmt.Errorf("rule %s has behavior %q; want allow, deny or ask", rule, behavior)
}
