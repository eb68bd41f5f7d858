// Package frontmatter splits the Markdown files users write for Claude Code (sub-agents,
// skills, commands, rules, output styles) into their YAML front matter and body, and reads
// the field shapes those files use: a tool list may be "Read, Grep" or a YAML list.
package frontmatter

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Split returns the YAML between a leading "---" line and the next "---" line, and the
// rest. A file without front matter is all body.
func Split(data []byte) (meta []byte, body string) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return nil, text
	}
	rest := text[4:]
	if strings.HasPrefix(rest, "---\n") || rest == "---" {
		return nil, strings.TrimPrefix(strings.TrimPrefix(rest, "---"), "\n")
	}
	end := strings.Index(rest, "\n---\n")
	if end < 0 {
		if strings.HasSuffix(rest, "\n---") {
			return []byte(rest[:len(rest)-4]), ""
		}
		return nil, text // an unclosed block is text, as a Markdown renderer would show it
	}
	return []byte(rest[:end]), rest[end+5:]
}

// Parse decodes the front matter of data into v (a pointer to a struct with yaml tags) and
// returns the body. Unknown fields are ignored: the files are shared with other programs.
func Parse(data []byte, v any) (string, error) {
	meta, body := Split(data)
	if len(bytes.TrimSpace(meta)) == 0 {
		return body, nil
	}
	if err := yaml.Unmarshal(meta, v); err != nil {
		return body, fmt.Errorf("front matter: %w", err)
	}
	return body, nil
}

// List is a list of names written either as a YAML sequence or as one string separated by
// commas ("Read, Grep, Glob"), as Claude Code accepts both.
type List []string

// UnmarshalYAML accepts a string, a sequence of strings, or null.
func (l *List) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			*l = nil
			return nil
		}
		*l = SplitList(n.Value)
		return nil
	case yaml.SequenceNode:
		var items []string
		if err := n.Decode(&items); err != nil {
			return err
		}
		out := List{}
		for _, it := range items {
			if it = strings.TrimSpace(it); it != "" {
				out = append(out, it)
			}
		}
		*l = out
		return nil
	}
	return fmt.Errorf("line %d: expected a list of names or a comma-separated string", n.Line)
}

// SplitList splits "a, b c" on commas and, where there are none, on spaces. Parentheses
// are kept whole, so "Bash(git add:*), Read" is two entries.
func SplitList(s string) []string {
	out := []string{}
	depth, start := 0, 0
	sep := func(r rune) bool { return r == ',' || (!strings.Contains(s, ",") && r == ' ') }
	for i, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0 && sep(r):
			if item := strings.TrimSpace(s[start:i]); item != "" {
				out = append(out, item)
			}
			start = i + 1
		}
	}
	if item := strings.TrimSpace(s[start:]); item != "" {
		out = append(out, item)
	}
	return out
}
