package tui

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Custom slash commands: markdown files in .claude/commands/ of the project and in
// ~/.claude/commands/ (CLAUDE_CONFIG_DIR/commands) of the user. The file name is the command
// (a file in a subdirectory is dir:name); the text, after optional front matter
// (description, argument-hint), is the prompt, with $ARGUMENTS replaced by what follows the
// command and $1…$9 by its words. A project command wins over a user command of the same name.

type customCommand struct {
	name        string
	description string
	argHint     string
	body        string
	scope       string // "project" or "user"
}

// loadCustomCommands reads the commands of both places, sorted by name.
func loadCustomCommands(projectDir, userDir string) []customCommand {
	byName := map[string]customCommand{}
	for _, src := range []struct{ dir, scope string }{{userDir, "user"}, {projectDir, "project"}} {
		if src.dir == "" {
			continue
		}
		for _, c := range readCommandDir(src.dir, src.scope) {
			byName[c.name] = c
		}
	}
	out := make([]customCommand, 0, len(byName))
	for _, c := range byName {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func readCommandDir(dir, scope string) []customCommand {
	var out []customCommand
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".md") {
			return nil // a missing or unreadable directory has no commands
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		name := strings.ReplaceAll(filepath.ToSlash(strings.TrimSuffix(rel, ".md")), "/", ":")
		c := parseCommand(string(data))
		c.name, c.scope = name, scope
		out = append(out, c)
		return nil
	})
	return out
}

// parseCommand splits front matter from the prompt.
func parseCommand(text string) customCommand {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var c customCommand
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		if front, body, found := strings.Cut(rest, "\n---"); found {
			for _, line := range strings.Split(front, "\n") {
				key, value, _ := strings.Cut(line, ":")
				value = strings.Trim(strings.TrimSpace(value), `"'`)
				switch strings.TrimSpace(key) {
				case "description":
					c.description = value
				case "argument-hint":
					c.argHint = value
				}
			}
			_, body, _ = strings.Cut(body, "\n") // the rest of the closing --- line
			text = body
		}
	}
	c.body = strings.TrimSpace(text)
	if c.description == "" {
		first, _, _ := strings.Cut(c.body, "\n")
		c.description = strings.TrimSpace(strings.TrimLeft(first, "# "))
		if r := []rune(c.description); len(r) > 60 {
			c.description = string(r[:60]) + "…"
		}
	}
	return c
}

// expand fills the prompt with the command's arguments.
func (c customCommand) expand(args string) string {
	args = strings.TrimSpace(args)
	body := c.body
	used := strings.Contains(body, "$ARGUMENTS")
	body = strings.ReplaceAll(body, "$ARGUMENTS", args)
	words := strings.Fields(args)
	for i := 9; i >= 1; i-- { // $1 after $10-like text is not a concern: only nine are offered
		ref := "$" + string(rune('0'+i))
		if !strings.Contains(body, ref) {
			continue
		}
		used = true
		value := ""
		if i <= len(words) {
			value = words[i-1]
		}
		body = strings.ReplaceAll(body, ref, value)
	}
	if !used && args != "" {
		body += "\n\nARGUMENTS: " + args
	}
	return body
}
