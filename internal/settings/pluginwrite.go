package settings

import (
	"errors"
	"strconv"
	"strings"
)

// SetEnabledPlugin writes enabledPlugins[id] = on into the settings file at path (the user's
// settings or a project's settings.local.json: /plugin enable and disable), keeping the
// rest of the file as it is and creating it when missing. A file that does not load is
// refused, and so is a symbolic link among a project's file and its folder (see editFile).
func SetEnabledPlugin(path string, scope Scope, id string, on bool) error {
	id = strings.TrimSpace(id)
	if id == "" {
		return errors.New("no plugin named")
	}
	return SetValue(path, scope, []string{"enabledPlugins", id}, strconv.FormatBool(on))
}
