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
	var b strings.Builder
	if replace != "" {
		b.WriteString(replace)
	} else {
		b.WriteString(basePrompt)
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
