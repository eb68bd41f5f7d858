package cli

import (
	"encoding/json"
	"testing"

	"github.com/strata-agent/strata/internal/settings"
)

// TestCheckpointsOff: file checkpoints are on unless settings say fileCheckpointingEnabled
// false or CLAUDE_CODE_DISABLE_FILE_CHECKPOINTING is set, as in the reference; a value of
// the wrong type is ignored, never an error.
func TestCheckpointsOff(t *testing.T) {
	with := func(v string) *settings.Settings {
		s := &settings.Settings{Extra: map[string]json.RawMessage{}, ExtraSource: map[string]settings.Source{}}
		if v != "" {
			s.Extra["fileCheckpointingEnabled"] = json.RawMessage(v)
			s.ExtraSource["fileCheckpointingEnabled"] = settings.Source{Path: "/home/u/.claude/settings.json"}
		}
		return s
	}
	env := func(v string) Env {
		return Env{Getenv: func(k string) string {
			if k == disableCheckpointsEnv {
				return v
			}
			return ""
		}}
	}
	for _, c := range []struct {
		setting, env, want string
	}{
		{"", "", ""},
		{"true", "", ""},
		{`"no"`, "", ""},
		{"false", "", "fileCheckpointingEnabled is false in /home/u/.claude/settings.json"},
		{"", "1", disableCheckpointsEnv + " is set"},
		{"true", "true", disableCheckpointsEnv + " is set"},
		{"", "0", ""},
	} {
		if got := checkpointsOff(env(c.env), with(c.setting)); got != c.want {
			t.Errorf("setting %q, env %q: %q, want %q", c.setting, c.env, got, c.want)
		}
	}
}
