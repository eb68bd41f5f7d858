// Package complete is the part of the terminal UI that offers completions as the user types:
// paths after @ (the files the Host lists for the working directory) and slash commands
// after a / at the start of the input. Tab takes the one selected.
//
// It is a package of its own so that the candidates, the selection and the cached file list
// have one owner; it knows nothing of the file system or of how commands run — both come in
// as functions.
package complete

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
)

// shown is how many candidates are offered at a time.
const shown = 6

// Command is a slash command that can be offered.
type Command struct {
	Name   string // without the slash
	Args   string // what may follow it, e.g. "[focus]"
	Help   string
	Source string // where it comes from when not built in: project, user, a skill, an MCP server
}

// Kind says what is being completed.
type Kind int

const (
	KindNone    Kind = iota
	KindPath         // @path, anywhere in the input
	KindCommand      // /command, as the whole input
)

// Completion is the list on offer. Its methods run on the UI's goroutine only.
type Completion struct {
	st       look.Styles
	files    func() []string  // the working directory's files, slash-separated, dirs ending in /
	commands func() []Command // the slash commands there are

	kind  Kind
	items []Command // for paths, only Name is set
	sel   int
	top   int    // the first candidate shown: the list scrolls to keep the selection in view
	token string // the word being completed, with its @ or /

	listed bool     // files holds the listing; a turn may change the tree (Invalidate)
	paths  []string // the listing
}

// New returns a completion with nothing on offer.
func New(st look.Styles, files func() []string, commands func() []Command) *Completion {
	return &Completion{st: st, files: files, commands: commands}
}

// Active reports whether candidates are on offer.
func (c *Completion) Active() bool { return len(c.items) > 0 }

// Kind is what the candidates on offer complete.
func (c *Completion) Kind() Kind { return c.kind }

// Close takes the candidates away.
func (c *Completion) Close() { c.kind, c.items, c.sel, c.top, c.token = KindNone, nil, 0, 0, "" }

// Invalidate makes the next @ list the files afresh (a turn may have created some).
func (c *Completion) Invalidate() { c.listed, c.paths = false, nil }

// Move changes the selection, wrapping around.
func (c *Completion) Move(down bool) {
	if down {
		c.sel = (c.sel + 1) % len(c.items)
	} else {
		c.sel = (c.sel + len(c.items) - 1) % len(c.items)
	}
}

// Refresh offers candidates for the input: value is its text and atEnd whether the cursor is
// at its very end (completion only works there).
func (c *Completion) Refresh(value string, atEnd bool) {
	lastLine := value[strings.LastIndexByte(value, '\n')+1:]
	fields := strings.Fields(lastLine)
	switch {
	case !atEnd || len(fields) == 0 || strings.HasSuffix(lastLine, " "):
		c.Close()
	case value == lastLine && strings.HasPrefix(value, "/") && len(fields) == 1 && !strings.Contains(value[1:], "/"):
		c.offer(KindCommand, value, matchCommands(c.commands(), value[1:]))
	case strings.HasPrefix(fields[len(fields)-1], "@"):
		if !c.listed {
			c.paths, c.listed = c.files(), true
		}
		token := fields[len(fields)-1]
		var items []Command
		for _, p := range matchPaths(c.paths, token[1:], shown) {
			items = append(items, Command{Name: p})
		}
		c.offer(KindPath, token, items)
	default:
		c.Close()
	}
}

func (c *Completion) offer(kind Kind, token string, items []Command) {
	if len(items) == 0 {
		c.Close()
		return
	}
	if kind != c.kind || token != c.token {
		c.sel, c.top = 0, 0 // what was typed changed: the best match is selected
	}
	c.kind, c.token, c.items = kind, token, items
}

// Accept puts the selected candidate in place of the word being completed in value and
// closes the list. more is set when the candidate is a directory, whose files can be offered
// next.
func (c *Completion) Accept(value string) (replaced string, more bool) {
	choice := c.items[c.sel].Name
	switch c.kind {
	case KindCommand:
		replaced = "/" + choice + " "
	default:
		replaced = strings.TrimSuffix(value, c.token) + "@" + choice
		more = strings.HasSuffix(choice, "/")
		if !more {
			replaced += " "
		}
	}
	c.Close()
	return replaced, more
}

// View lists at most rows candidates (and never more than shown), scrolled to keep the
// selected one in view and marked; a command's description is in a column of its own.
func (c *Completion) View(width, rows int) string {
	rows = max(min(rows, shown, len(c.items)), 1)
	c.top = min(max(c.top, c.sel-rows+1), c.sel)
	items := c.items[c.top:min(c.top+rows, len(c.items))]
	names := make([]string, len(items))
	col := 0
	for i, item := range items {
		names[i] = "@" + item.Name
		if c.kind == KindCommand {
			names[i] = "/" + strings.TrimSpace(item.Name+" "+item.Args)
		}
		col = max(col, ansi.StringWidth(names[i]))
	}
	col = min(col, max(width/3, 12))
	out := make([]string, len(items))
	for i, item := range items {
		text := names[i]
		if help := item.Help; c.kind == KindCommand && (help != "" || item.Source != "") {
			if item.Source != "" {
				help = strings.TrimSpace(help + " (" + item.Source + ")")
			}
			text = ansi.Truncate(text, col, "…")
			text += strings.Repeat(" ", col-ansi.StringWidth(text)) + "  " + help
		}
		text = ansi.Truncate(text, max(width-4, 10), "…")
		mark := "    "
		if c.top+i == c.sel {
			out[i] = c.st.Selected.Render("  ❯ " + text)
			continue
		}
		if i == 0 && c.top > 0 || i == len(items)-1 && c.top+len(items) < len(c.items) {
			mark = "  ⋮ " // more above or below
		}
		out[i] = c.st.Dim.Render(mark + text)
	}
	return strings.Join(out, "\n")
}
