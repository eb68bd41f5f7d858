// Package highlight colours the fenced code blocks of the model's answers, with chroma's
// lexers, in the UI's 16 ANSI colours (so they follow the terminal's theme like the rest of
// the UI).
//
// chroma's own lexers and styles packages build every lexer and style when the program
// starts (about 70 ms and 4.5 MB here), so they are not imported: the lexer definitions of
// the languages models write most are embedded from chroma (lexers/, with chroma's licence)
// and each is compiled the first time a block in its language is shown. Go's lexer is Go
// code in chroma, so its rules are kept in golang.go.
package highlight

import (
	"embed"
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
)

//go:embed lexers/*.xml
var lexerFiles embed.FS

// languages maps what follows a code fence (lower case) to a lexer file, "go" to the Go
// rules. Only names a model uses are listed; other blocks are drawn plainly.
var languages = map[string]string{
	"go": "go", "golang": "go",
	"python": "python.xml", "py": "python.xml", "python3": "python.xml",
	"javascript": "javascript.xml", "js": "javascript.xml", "jsx": "javascript.xml", "mjs": "javascript.xml",
	"typescript": "typescript.xml", "ts": "typescript.xml", "tsx": "typescript.xml",
	"bash": "bash.xml", "sh": "bash.xml", "shell": "bash.xml", "zsh": "bash.xml", "console": "bash.xml",
	"json": "json.xml", "jsonc": "json.xml", "jsonl": "json.xml",
	"yaml": "yaml.xml", "yml": "yaml.xml",
	"rust": "rust.xml", "rs": "rust.xml",
	"java": "java.xml",
	"c":    "c.xml", "h": "c.xml",
	"cpp": "cpp.xml", "c++": "cpp.xml", "cc": "cpp.xml", "hpp": "cpp.xml",
	"csharp": "csharp.xml", "c#": "csharp.xml", "cs": "csharp.xml",
	"ruby": "ruby.xml", "rb": "ruby.xml",
	"sql":  "sql.xml",
	"toml": "toml.xml",
	"diff": "diff.xml", "patch": "diff.xml", "udiff": "diff.xml",
	"css":    "css.xml",
	"kotlin": "kotlin.xml", "kt": "kotlin.xml",
	"swift": "swift.xml",
	"lua":   "lua.xml",
	"hcl":   "hcl.xml", "terraform": "hcl.xml", "tf": "hcl.xml",
}

// Highlighter colours code. It compiles each lexer once, when first needed; it is not safe
// for concurrent use (the UI draws on one goroutine).
type Highlighter struct {
	styles map[chroma.TokenType]lipgloss.Style
	plain  lipgloss.Style
	lexers map[string]chroma.Lexer // by file; nil for one that failed to load
}

// New returns a Highlighter; text no rule colours keeps the terminal's colour.
func New() *Highlighter {
	return &Highlighter{styles: palette(), plain: lipgloss.NewStyle(), lexers: map[string]chroma.Lexer{}}
}

// Known reports whether blocks fenced with lang are coloured.
func Known(lang string) bool {
	_, ok := languages[strings.ToLower(lang)]
	return ok
}

// Lines colours code (lines without their ends, tabs already expanded) as lang, line by
// line; ok is false when lang is not a known language or its lexer fails, and the caller
// draws the lines as it did before. The code must already be safe to draw (no control
// characters): the result adds only colour (SGR) sequences.
func (h *Highlighter) Lines(lang string, code []string) (out []string, ok bool) {
	if !small(code) {
		return nil, false
	}
	lexer := h.lexer(strings.ToLower(lang))
	if lexer == nil {
		return nil, false
	}
	defer func() {
		// A lexer's rule that refers to another lexer panics in chroma; draw plainly instead.
		if recover() != nil {
			out, ok = nil, false
		}
	}()
	it, err := lexer.Tokenise(nil, strings.Join(code, "\n")+"\n")
	if err != nil {
		return nil, false
	}
	var line strings.Builder
	for tok := it(); tok != chroma.EOF; tok = it() {
		parts := strings.Split(tok.Value, "\n")
		for i, part := range parts {
			if i > 0 {
				out = append(out, line.String())
				line.Reset()
			}
			if part != "" {
				line.WriteString(h.style(tok.Type).Render(part))
			}
		}
	}
	if line.Len() > 0 {
		out = append(out, line.String())
	}
	for len(out) < len(code) { // blank lines at the end
		out = append(out, "")
	}
	return out[:len(code)], true
}

// Limits of what is coloured. chroma's lexers use backtracking patterns, each match bounded
// only by a timeout, on the UI's goroutine: a block the model writes beyond these is drawn
// plainly rather than risk a stalled screen.
const (
	maxLines = 2000
	maxBytes = 64 << 10
)

// small reports whether code is within the limits of what is coloured.
func small(code []string) bool {
	if len(code) > maxLines {
		return false
	}
	n := 0
	for _, l := range code {
		n += len(l) + 1
	}
	return n <= maxBytes
}

func (h *Highlighter) lexer(lang string) chroma.Lexer {
	file, ok := languages[lang]
	if !ok {
		return nil
	}
	if l, seen := h.lexers[file]; seen {
		return l
	}
	l, err := load(file)
	if err != nil {
		l = nil // shown plainly; the definitions are tested, so this is not expected
	}
	h.lexers[file] = l
	return l
}

func load(file string) (chroma.Lexer, error) {
	if file == "go" {
		return goLexer()
	}
	l, err := chroma.NewXMLLexer(lexerFiles, "lexers/"+file)
	if err != nil {
		return nil, fmt.Errorf("highlight: %s: %w", file, err)
	}
	return l, nil
}

// style is the style of the nearest token type with one: the type, its sub-category, its
// category (NameFunction → Name).
func (h *Highlighter) style(t chroma.TokenType) lipgloss.Style {
	for _, c := range []chroma.TokenType{t, t.SubCategory(), t.Category()} {
		if s, ok := h.styles[c]; ok {
			return s
		}
	}
	return h.plain
}

// palette colours tokens in the 16 ANSI colours, in the spirit of the UI's own: comments
// dim, strings green, numbers yellow, keywords magenta, names of functions and types blue
// and cyan, a diff's added and removed lines as the UI's diffs show them.
func palette() map[chroma.TokenType]lipgloss.Style {
	c := lipgloss.Color
	fg := func(n string) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(n)) }
	return map[chroma.TokenType]lipgloss.Style{
		chroma.Comment:           lipgloss.NewStyle().Faint(true).Italic(true),
		chroma.CommentPreproc:    fg("5"),
		chroma.Keyword:           fg("5"),
		chroma.KeywordType:       fg("6"),
		chroma.KeywordConstant:   fg("3"),
		chroma.NameFunction:      fg("4"),
		chroma.NameClass:         fg("6"),
		chroma.NameBuiltin:       fg("6"),
		chroma.NameTag:           fg("4"),
		chroma.NameAttribute:     fg("6"),
		chroma.NameDecorator:     fg("5"),
		chroma.LiteralString:     fg("2"),
		chroma.LiteralNumber:     fg("3"),
		chroma.Literal:           fg("3"),
		chroma.GenericInserted:   fg("2"),
		chroma.GenericDeleted:    fg("1"),
		chroma.GenericHeading:    lipgloss.NewStyle().Bold(true),
		chroma.GenericSubheading: fg("6"),
		chroma.GenericEmph:       lipgloss.NewStyle().Italic(true),
		chroma.GenericStrong:     lipgloss.NewStyle().Bold(true),
	}
}
