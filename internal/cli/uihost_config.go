package cli

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tui"
)

// The host's side of /config: the settings strata honours that a user commonly changes,
// their values as the settings files now say, and changes written to the user settings
// (~/.claude/settings.json) and applied to the running session where that makes sense.
// Keys strata does not honour are not offered: a switch that does nothing would mislead.

// configKeys are the keys /config offers, in its order.
func configKeys() []string {
	return []string{"model", "permissions.defaultMode", "outputStyle", "autoCompactEnabled"}
}

// ConfigItems lists the settings with their values and the values each may take.
func (h *host) ConfigItems() []tui.ConfigItem {
	s, err := settings.Load(settings.DefaultOptions(h.a.env.Getenv, h.a.env.Home, h.a.env.Cwd, ""))
	if err != nil {
		s = h.st.settings // a file broken since start: show what strata started with
	}
	var out []tui.ConfigItem
	for _, key := range configKeys() {
		it := tui.ConfigItem{Key: key}
		switch key {
		case "model":
			it.Label, it.Value, it.Choices = "Model", s.Model, h.st.resolver().Listed()
			if it.Value == "" {
				it.Value = "default (" + h.st.bedrock.Model + ")"
			}
			it.Note = "for new conversations; /model switches this one"
		case "permissions.defaultMode":
			it.Label, it.Value = "Default permission mode", s.Permissions.DefaultMode
			if it.Value == "" {
				it.Value = string(permission.ModeDefault)
			}
			it.Choices = []string{string(permission.ModeDefault), string(permission.ModeAcceptEdits), string(permission.ModePlan)}
			it.Note = "the mode strata starts in; Shift+Tab changes it while it runs"
		case "outputStyle":
			it.Label, it.Value = "Output style", settingString(s.Extra["outputStyle"])
			if h.st.styles != nil {
				it.Choices = h.st.styles.Names()
			}
			if it.Value == "" {
				it.Value = "default"
			}
			it.Note = "how answers are written; applies from the next message"
		case "autoCompactEnabled":
			it.Label, it.Choices = "Auto-compact", []string{"true", "false"}
			it.Value = strconv.FormatBool(settingBool(s.Extra["autoCompactEnabled"], true))
			it.Note = "summarise the conversation near the context limit; applies at once"
		}
		out = append(out, it)
	}
	return out
}

// SetConfig writes key=value to the user settings and applies it where it can.
func (h *host) SetConfig(key, value string) (string, error) {
	var item *tui.ConfigItem
	for _, it := range h.ConfigItems() {
		if it.Key == key {
			item = &it
		}
	}
	if item == nil {
		return "", fmt.Errorf("/config does not change %q", key)
	}
	valid := false
	for _, c := range item.Choices {
		valid = valid || c == value
	}
	if !valid {
		return "", fmt.Errorf("%s cannot be %q", item.Label, value)
	}
	raw, err := json.Marshal(value)
	if key == "autoCompactEnabled" {
		raw, err = []byte(value), nil // true or false, checked above
	}
	if err != nil {
		return "", err
	}
	path := h.scopePath(settings.ScopeUser)
	if err := settings.SetValue(path, settings.ScopeUser, splitKey(key), string(raw)); err != nil {
		return "", err
	}
	done := fmt.Sprintf("%s set to %s in %s", item.Label, value, path)
	for _, it := range h.ConfigItems() {
		if it.Key == key && it.Value != value && !(key == "model" && value == "") {
			done += fmt.Sprintf(" (a project or local settings file still sets it to %s, and wins)", it.Value)
		}
	}
	switch key {
	case "autoCompactEnabled":
		h.st.autoCompactOff.Store(value == "false")
		done += "; applies now"
	case "outputStyle":
		if _, err := h.OutputStyle(value); err != nil {
			return done + " (not applied now: " + err.Error() + ")", nil
		}
		done += "; applies from the next message"
	default:
		done += "; applies to new sessions"
	}
	return done, nil
}

// splitKey turns a dotted key into its path.
func splitKey(key string) []string {
	if key == "permissions.defaultMode" {
		return []string{"permissions", "defaultMode"}
	}
	return []string{key}
}
