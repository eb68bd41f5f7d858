package agent

import (
	_ "embed"
	"fmt"
	"strings"
	"time"
)

//go:embed system.md
var basePrompt string

// Environment is what the model is told about where it runs.
type Environment struct {
	Cwd       string
	Platform  string // runtime.GOOS
	OSVersion string // e.g. "Linux 6.1"
	Date      time.Time
	GitRepo   bool
	GitBranch string
	Model     string
	ExtraDirs []string // --add-dir and additionalDirectories
	Sandbox   string   // what the model should know about the Bash sandbox; "" when off
}

// SystemPrompt composes the system prompt: strata's own text (or the user's replacement from
// --system-prompt), the environment, and --append-system-prompt. It changes only when the
// environment does, so it stays in the prompt cache for the whole session.
func SystemPrompt(env Environment, replace, appendText string) string {
	return StyledSystemPrompt(env, replace, appendText, OutputStyle{})
}

// OutputStyle is the chosen output style's part of the system prompt (internal/outputstyles);
// the zero value is the default style, which changes nothing.
type OutputStyle struct {
	Name, Prompt string
	// KeepCodingInstructions keeps the "How to work" section beside the style's text.
	KeepCodingInstructions bool
}

// StyledSystemPrompt is SystemPrompt with an output style: the style's text follows strata's
// own, which drops its software-engineering section unless the style keeps it. A replacement
// prompt (--system-prompt) is the user's whole prompt, so the style does not touch it.
func StyledSystemPrompt(env Environment, replace, appendText string, style OutputStyle) string {
	var b strings.Builder
	switch {
	case replace != "":
		b.WriteString(replace)
	case style.Prompt == "":
		b.WriteString(basePrompt)
	default:
		b.WriteString(styledBase(style))
	}
	b.WriteString("\n<environment>\n")
	fmt.Fprintf(&b, "Working directory: %s\n", env.Cwd)
	for _, d := range env.ExtraDirs {
		fmt.Fprintf(&b, "Additional working directory: %s\n", d)
	}
	fmt.Fprintf(&b, "Platform: %s\n", env.Platform)
	if env.OSVersion != "" {
		fmt.Fprintf(&b, "OS version: %s\n", env.OSVersion)
	}
	fmt.Fprintf(&b, "Today's date: %s\n", env.Date.Format("2006-01-02"))
	if env.GitRepo {
		fmt.Fprintf(&b, "Git repository: yes")
		if env.GitBranch != "" {
			fmt.Fprintf(&b, " (branch %s)", env.GitBranch)
		}
		b.WriteString("\n")
	} else {
		b.WriteString("Git repository: no\n")
	}
	if env.Model != "" {
		fmt.Fprintf(&b, "Model: %s\n", env.Model)
	}
	b.WriteString("</environment>\n")
	if env.Sandbox != "" {
		b.WriteString("\n" + env.Sandbox + "\n")
	}
	if appendText != "" {
		b.WriteString("\n")
		b.WriteString(appendText)
		b.WriteString("\n")
	}
	return b.String()
}

// The sections of system.md a style rearranges; TestBasePromptSections checks they exist.
const (
	codingHeading = "How to work:\n"
	safetyHeading = "Safety:\n"
)

// styledBase is strata's prompt told to answer in the style: its introduction, the coding
// section if the style keeps it, the rest, then the style's own text.
func styledBase(style OutputStyle) string {
	intro, rest, _ := strings.Cut(basePrompt, codingHeading)
	coding, tail, _ := strings.Cut(rest, safetyHeading)
	var b strings.Builder
	b.WriteString(intro)
	b.WriteString("Answer in the output style described at the end of these instructions; where it\n" +
		"conflicts with the guidance on answering, the output style wins.\n\n")
	if style.KeepCodingInstructions {
		b.WriteString(codingHeading + coding)
	}
	b.WriteString(safetyHeading + tail)
	fmt.Fprintf(&b, "\n# Output style: %s\n\n%s\n", style.Name, strings.TrimSpace(style.Prompt))
	return b.String()
}
