package cli

import (
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/outputstyles"
)

func TestOutputStyleListsAndSwitches(t *testing.T) {
	h := testHost(t)
	pirate := outputstyles.Style{Name: "Pirate", Description: "Arr", Prompt: "Talk like a pirate.", Source: outputstyles.SourceProject}
	h.st.styles = outputstyles.NewSet([]outputstyles.Style{pirate})
	h.st.style, _ = h.st.styles.Find("")
	h.st.compose = func(s outputstyles.Style) string { return "BASE " + s.Prompt }
	lines, err := h.OutputStyle("")
	if err != nil || !strings.Contains(strings.Join(lines, "\n"), "* default") || !strings.Contains(strings.Join(lines, "\n"), "  Pirate") {
		t.Fatalf("list = %q, %v", lines, err)
	}
	if _, err := h.OutputStyle("parrot"); err == nil || !strings.Contains(err.Error(), "Pirate") {
		t.Errorf("unknown style: %v", err)
	}
	if _, err := h.OutputStyle("pirate"); err != nil {
		t.Fatal(err)
	}
	if h.st.style.Name != "Pirate" || h.st.system != "BASE Talk like a pirate." {
		t.Errorf("after the switch: style %q, system %q", h.st.style.Name, h.st.system)
	}
	h.st.compose = nil
	if _, err := h.OutputStyle("default"); err == nil || !strings.Contains(err.Error(), "--agent") {
		t.Errorf("under --agent: %v", err)
	}
}
