package look

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Lines splits text into lines, control characters made visible and tabs expanded, without a
// trailing empty line; blank text has none.
func Lines(text string) []string {
	text = Visible(strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n"))
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(text, "\t", "    "), "\n")
}

// PaintLines styles each line on its own (a style given several lines pads them to one width).
func PaintLines(st lipgloss.Style, text string) string {
	ls := strings.Split(text, "\n")
	for i, l := range ls {
		ls[i] = st.Render(l)
	}
	return strings.Join(ls, "\n")
}

// PrefixLines puts first before the first line of text and rest before the others.
func PrefixLines(first, rest, text string) string {
	ls := strings.Split(text, "\n")
	for i := range ls {
		if i == 0 {
			ls[i] = first + ls[i]
		} else {
			ls[i] = rest + ls[i]
		}
	}
	return strings.Join(ls, "\n")
}

// Plural is "1 line", "3 lines".
func Plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// FirstLine is s up to its first newline.
func FirstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// ResultLines indents a result under its call ("  ⎿ " then "    "), at most limit lines
// (0: all), each cut to the width.
func ResultLines(body []string, limit, width int) string {
	if limit > 0 && len(body) > limit {
		body = body[:limit]
	}
	out := make([]string, len(body))
	for i, l := range body {
		prefix := "    "
		if i == 0 {
			prefix = "  ⎿ "
		}
		out[i] = prefix + ansi.Truncate(l, max(width-4, 10), "…")
		if strings.Contains(l, "\x1b[") {
			out[i] += "\x1b[0m" // a cut may have lost the reset at the end of a coloured line
		}
	}
	return strings.Join(out, "\n")
}

// Diff colours a unified diff (or a preview made of - and + lines), one line each.
func (st Styles) Diff(diff string) []string {
	ls := Lines(diff)
	for i, l := range ls {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			ls[i] = st.Dim.Render(l)
		case strings.HasPrefix(l, "@@"):
			ls[i] = st.Hunk.Render(l)
		case strings.HasPrefix(l, "+"):
			ls[i] = st.Added.Render(l)
		case strings.HasPrefix(l, "-"):
			ls[i] = st.Removed.Render(l)
		}
	}
	return ls
}

// WrapIndent wraps s to width with first before the first line and rest before the others.
func WrapIndent(s string, width int, first, rest string) []string {
	w := width - max(ansi.StringWidth(first), ansi.StringWidth(rest))
	if w < 10 {
		w = 10
	}
	lines := WrapWords(s, w)
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return lines
}

// WrapWords wraps styled text at spaces to width columns, keeping its indentation and cutting
// only words longer than a line. (ansi.Wrap also breaks at hyphens, which splits IDs and
// paths people copy.)
func WrapWords(s string, width int) []string {
	body := strings.TrimLeft(s, " ")
	indent := s[:len(s)-len(body)]
	width = max(width-len(indent), 10)
	var out []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		out = append(out, indent+cur.String())
		cur.Reset()
		curW = 0
	}
	for i, word := range strings.Split(body, " ") {
		w := ansi.StringWidth(word)
		if i > 0 && curW+1+w > width && curW > 0 {
			flush()
		} else if i > 0 {
			cur.WriteByte(' ')
			curW++
		}
		for w > width { // a word longer than a line is cut
			parts := strings.SplitN(ansi.Hardwrap(word, width-curW, true), "\n", 2)
			cur.WriteString(parts[0])
			flush()
			word = parts[1]
			w = ansi.StringWidth(word)
		}
		cur.WriteString(word)
		curW += w
	}
	flush()
	return out
}
