package agent

import (
	"strings"
	"testing"
	"time"
)

func TestBasePromptSections(t *testing.T) {
	for _, h := range []string{codingHeading, safetyHeading} {
		if strings.Count(basePrompt, h) != 1 {
			t.Errorf("system.md should hold %q once: styles rearrange the prompt around it", h)
		}
	}
}

func TestStyledSystemPrompt(t *testing.T) {
	env := Environment{Cwd: "/w", Platform: "linux", Date: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	plain := SystemPrompt(env, "", "")
	if got := StyledSystemPrompt(env, "", "", OutputStyle{Name: "default"}); got != plain {
		t.Error("the default style must leave the prompt unchanged")
	}
	pirate := OutputStyle{Name: "Pirate", Prompt: "Talk like a pirate."}
	got := StyledSystemPrompt(env, "", "extra", pirate)
	for _, want := range []string{"# Output style: Pirate\n\nTalk like a pirate.", safetyHeading, "Working directory: /w", "extra"} {
		if !strings.Contains(got, want) {
			t.Errorf("styled prompt lacks %q", want)
		}
	}
	if strings.Contains(got, codingHeading) {
		t.Error("a style without keep-coding-instructions must drop the coding section")
	}
	pirate.KeepCodingInstructions = true
	if !strings.Contains(StyledSystemPrompt(env, "", "", pirate), codingHeading) {
		t.Error("keep-coding-instructions must keep the coding section")
	}
	if got := StyledSystemPrompt(env, "mine", "", pirate); strings.Contains(got, "pirate") {
		t.Error("--system-prompt replaces the whole prompt, the style included")
	}
}
