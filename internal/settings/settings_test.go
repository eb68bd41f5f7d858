package settings

import (
	"errors"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestDefaultOptions(t *testing.T) {
	home, cwd := "/home/u", "/work/p"
	tests := []struct {
		name, configDirEnv, flag string
		want                     Options
	}{
		{"defaults", "", "", Options{ConfigDir: "/home/u/.claude", ProjectDir: cwd}},
		{"CLAUDE_CONFIG_DIR absolute", "/etc/strata-conf", "", Options{ConfigDir: "/etc/strata-conf", ProjectDir: cwd}},
		{"CLAUDE_CONFIG_DIR with ~", "~/conf", "", Options{ConfigDir: "/home/u/conf", ProjectDir: cwd}},
		{"CLAUDE_CONFIG_DIR relative", "conf", "", Options{ConfigDir: "/work/p/conf", ProjectDir: cwd}},
		{"flag relative path", "", "s.json", Options{ConfigDir: "/home/u/.claude", ProjectDir: cwd, Flag: "/work/p/s.json"}},
		{"flag absolute path", "", "/x/s.json", Options{ConfigDir: "/home/u/.claude", ProjectDir: cwd, Flag: "/x/s.json"}},
		{"flag inline JSON", "", ` {"model":"x"}`, Options{ConfigDir: "/home/u/.claude", ProjectDir: cwd, Flag: ` {"model":"x"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []string
			getenv := func(k string) string {
				asked = append(asked, k)
				if k == "CLAUDE_CONFIG_DIR" {
					return tt.configDirEnv
				}
				return ""
			}
			tt.want.ManagedPath = managedPath(runtime.GOOS)
			if got := DefaultOptions(getenv, home, cwd, tt.flag); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if !reflect.DeepEqual(asked, []string{"CLAUDE_CONFIG_DIR"}) {
				t.Errorf("read environment variables %v", asked)
			}
		})
	}
	if managedPath("linux") != "/etc/claude-code/managed-settings.json" {
		t.Errorf("linux managed path = %q", managedPath("linux"))
	}
}

// CLAUDE_CONFIG_DIR decides which user file Load reads.
func TestConfigDirEndToEnd(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "home", ".claude", "settings.json"), `{"model": "from-home"}`)
	writeFile(t, filepath.Join(root, "alt", "settings.json"), `{"model": "from-alt"}`)
	env := map[string]string{"CLAUDE_CONFIG_DIR": filepath.Join(root, "alt")}
	o := DefaultOptions(func(k string) string { return env[k] }, filepath.Join(root, "home"), filepath.Join(root, "proj"), "")
	o.ManagedPath = ""
	if s := mustLoad(t, o); s.Model != "from-alt" {
		t.Errorf("with CLAUDE_CONFIG_DIR: model %q", s.Model)
	}
	delete(env, "CLAUDE_CONFIG_DIR")
	o = DefaultOptions(func(k string) string { return env[k] }, filepath.Join(root, "home"), filepath.Join(root, "proj"), "")
	o.ManagedPath = ""
	if s := mustLoad(t, o); s.Model != "from-home" {
		t.Errorf("without CLAUDE_CONFIG_DIR: model %q", s.Model)
	}
}

func TestApplyEnv(t *testing.T) {
	l := newLayout(t)
	writeFile(t, l.path(ScopeUser), `{"env": {"Z": "last", "AWS_PROFILE": "dev", "CLAUDE_CODE_USE_BEDROCK": 1}}`)
	s := mustLoad(t, l.options())
	var order []string
	got := map[string]string{}
	err := s.ApplyEnv(func(k, v string) error {
		order = append(order, k)
		got[k] = v
		return nil
	})
	if err != nil || !reflect.DeepEqual(order, []string{"AWS_PROFILE", "CLAUDE_CODE_USE_BEDROCK", "Z"}) ||
		got["CLAUDE_CODE_USE_BEDROCK"] != "1" {
		t.Errorf("ApplyEnv order %v values %v err %v", order, got, err)
	}

	writeFile(t, l.path(ScopeUser), `{"env": {"AWS_SECRET_ACCESS_KEY": "very-secret"}}`)
	s = mustLoad(t, l.options())
	boom := errors.New("refused")
	err = s.ApplyEnv(func(k, v string) error { return boom })
	if !errors.Is(err, boom) || strings.Contains(err.Error(), "very-secret") ||
		!strings.Contains(err.Error(), "AWS_SECRET_ACCESS_KEY") || !strings.Contains(err.Error(), l.path(ScopeUser)) {
		t.Errorf("ApplyEnv error = %v", err)
	}
}

func TestTruthy(t *testing.T) {
	tests := []struct {
		in        string
		on, known bool
	}{
		{"1", true, true}, {"true", true, true}, {"TRUE", true, true}, {" yes ", true, true}, {"On", true, true},
		{"0", false, true}, {"false", false, true}, {"No", false, true}, {"OFF", false, true}, {"", false, true}, {"  ", false, true},
		{"2", false, false}, {"enabled", false, false}, {"y", false, false}, {"truee", false, false},
	}
	for _, tt := range tests {
		if on, known := Truthy(tt.in); on != tt.on || known != tt.known {
			t.Errorf("Truthy(%q) = %v, %v; want %v, %v", tt.in, on, known, tt.on, tt.known)
		}
	}
}
