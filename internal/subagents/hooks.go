package subagents

import (
	"encoding/json"
	"fmt"

	"github.com/strata-agent/strata/internal/settings"
)

// hookCommand and hookMatcher are the JSON shape of a settings file's hooks, which an
// agent definition's `hooks` field shares.
type hookCommand struct {
	Type    string            `json:"type"`
	Command string            `json:"command"`
	Timeout int               `json:"timeout"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Prompt  string            `json:"prompt"`
}

type hookMatcher struct {
	Matcher string        `json:"matcher"`
	Hooks   []hookCommand `json:"hooks"`
}

// parseHooks reads a definition's hooks ({"PreToolUse": [{"matcher": "Bash", "hooks":
// [{"type": "command", "command": "…"}]}]}). raw is JSON: front matter is converted to it
// first, so both sources are read the same way. Hooks from a file name it as their source.
func parseHooks(raw []byte, src settings.Source) (map[string][]settings.HookMatcher, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var in map[string][]hookMatcher
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("hooks must be an object of event: [{matcher, hooks: [...]}], as in settings: %w", err)
	}
	out := map[string][]settings.HookMatcher{}
	for ev, ms := range in {
		for _, m := range ms {
			hm := settings.HookMatcher{Matcher: m.Matcher, Source: src}
			for _, c := range m.Hooks {
				hm.Hooks = append(hm.Hooks, settings.HookCommand{Type: c.Type, Command: c.Command, Timeout: c.Timeout,
					URL: c.URL, Headers: c.Headers, Prompt: c.Prompt})
			}
			out[ev] = append(out[ev], hm)
		}
	}
	return out, nil
}

// hookSource is where a definition's hooks come from, for warnings and /hooks. They carry
// the scope of their definition, so that allowManagedHooksOnly leaves them out.
func hookSource(path, source string) settings.Source {
	scope := settings.ScopeProject
	switch source {
	case SourceUser, SourcePlugin:
		scope = settings.ScopeUser
	case SourceFlag:
		scope = settings.ScopeFlag
	}
	if path == "" {
		path = "--agents"
	}
	return settings.Source{Path: path, Scope: scope}
}
