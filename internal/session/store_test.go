package session

import (
	"path/filepath"
	"testing"
)

func TestDefaultDirFollowsThePlatform(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	home := filepath.Join(string(filepath.Separator), "home", "u")
	local := filepath.Join(string(filepath.Separator), "appdata")
	for _, c := range []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"linux", nil, filepath.Join(home, ".local", "state", "strata", "projects")},
		{"darwin", map[string]string{"XDG_STATE_HOME": "relative"}, filepath.Join(home, ".local", "state", "strata", "projects")},
		{"linux", map[string]string{"XDG_STATE_HOME": local}, filepath.Join(local, "strata", "projects")},
		{"windows", map[string]string{"LOCALAPPDATA": local}, filepath.Join(local, "strata", "projects")},
		{"windows", nil, filepath.Join(home, "AppData", "Local", "strata", "projects")},
	} {
		if got := defaultDir(c.goos, env(c.env), home); got != c.want {
			t.Errorf("%s %v: got %s, want %s", c.goos, c.env, got, c.want)
		}
	}
}
