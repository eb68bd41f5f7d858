package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/settings"
)

func TestStatusLineRunsTheCommandWithTheSessionOnStdin(t *testing.T) {
	h := testHost(t)
	h.st.childEnv = []string{"PATH=/usr/bin:/bin", "MARK=from-env"}
	h.st.style.Name = "Explanatory"
	// The command prints its stdin's fields and its directory on the first line; the second
	// line must not show.
	cmd := `read -r in; printf '%s|%s|%s\n' "$MARK" "$(pwd)" "$in"; echo second`
	raw, _ := json.Marshal(map[string]any{"type": "command", "command": cmd, "padding": 2})
	h.st.settings = &settings.Settings{StatusLine: raw, StatusLineSource: settings.Source{Scope: settings.ScopeUser}}
	line, ok, err := h.StatusLine(context.Background())
	if err != nil || !ok {
		t.Fatalf("StatusLine: %q %v %v", line, ok, err)
	}
	if !strings.HasPrefix(line, "  from-env|"+h.a.env.Cwd+"|{") || strings.Contains(line, "second") {
		t.Fatalf("line = %q", line)
	}
	var in statusInput
	if err := json.Unmarshal([]byte(line[strings.Index(line, "{"):]), &in); err != nil {
		t.Fatalf("stdin was not the JSON object: %v", err)
	}
	if in.Model.ID != h.st.bedrock.Model || in.Workspace.ProjectDir != h.a.env.Cwd || in.OutputStyle.Name != "Explanatory" || in.Version == "" {
		t.Errorf("input = %+v", in)
	}

	// A failing command is an error, and the UI keeps asking.
	raw, _ = json.Marshal(map[string]any{"type": "command", "command": "exit 3"})
	h.st.settings.StatusLine = raw
	if _, ok, err := h.StatusLine(context.Background()); !ok || err == nil {
		t.Errorf("failing command: ok %v err %v", ok, err)
	}

	// The project's own statusLine runs only in a trusted folder.
	h.st.settings.StatusLineSource = settings.Source{Scope: settings.ScopeProject}
	if _, ok, _ := h.StatusLine(context.Background()); ok {
		t.Error("an untrusted folder's statusLine ran")
	}
	h.a.trusted = true
	if _, ok, _ := h.StatusLine(context.Background()); !ok {
		t.Error("a trusted folder's statusLine did not run")
	}
	h.st.settings = &settings.Settings{}
	if _, ok, _ := h.StatusLine(context.Background()); ok {
		t.Error("no statusLine, yet ok")
	}
}
