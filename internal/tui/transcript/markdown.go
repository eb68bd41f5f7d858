package transcript

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/tui/highlight"
	"github.com/strata-agent/strata/internal/tui/look"
)

// A small markdown renderer for the model's answers: headings, fenced code, lists, quotes,
// rules, tables, and inline bold, italic, code and links, wrapped to the terminal. It covers what the
// model writes; anything else is shown as written. (glamour would add several megabytes and a
// slower start-up for little more.)

// Inline spans. Code spans are handled first and kept apart from the others.
var (
	codeSpanRe = lazyre.New("`([^`\n]+)`")
	boldRe     = lazyre.New(`\*\*([^*\n]+)\*\*|__([^_\n]+)__`)
	italicRe   = lazyre.New(`(^|[^\w*])\*([^*\s][^*\n]*?)\*|(^|[^\w_])_([^_\s][^_\n]*?)_`)
	linkRe     = lazyre.New(`\[([^\]\n]+)\]\(([^)\s]+)\)`)
)

// markdown renders markdown to styled, wrapped lines.
type markdown struct {
	st look.Styles
	hl *highlight.Highlighter // colours closed code blocks by language
}

func newMarkdown(st look.Styles) *markdown {
	return &markdown{st: st, hl: highlight.New()}
}

// render renders src for a terminal width columns wide.
func (md *markdown) render(src string, width int) string {
	if width < 20 {
		width = 20
	}
	var out []string
	// Callers pass the model's text already made visible; a replayed transcript's too, here,
	// since what reaches the terminal must hold no control sequence but the renderer's own.
	src = look.Visible(src)
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		if fence, ok := fenceOpen(trimmed); ok {
			j := i + 1
			for j < len(lines) && !fenceCloses(strings.TrimSpace(lines[j]), fence) {
				j++
			}
			lang := strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1]))
			lang, _, _ = strings.Cut(lang, " ")
			out = append(out, md.codeBlock(lang, lines[i+1:min(j, len(lines))], j < len(lines), width)...)
			i = j
			continue
		}
		if isTableRow(trimmed) && i+1 < len(lines) && tableSepRe().MatchString(strings.TrimSpace(lines[i+1])) {
			j := i + 2
			for j < len(lines) && isTableRow(strings.TrimSpace(lines[j])) {
				j++
			}
			out = append(out, md.table(lines[i], lines[i+2:j], width)...)
			i = j - 1
			continue
		}
		out = append(out, md.line(line, width)...)
	}
	return strings.Join(out, "\n")
}

// A table: a header row, a separator row (|---|:--:|), body rows; the pipes at the ends may
// be left out.
var tableSepRe = lazyre.New(`^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$`)

func isTableRow(line string) bool { return strings.Contains(line, "|") && line != "" }

// cells splits a table row at its pipes (not at escaped ones), without the outer ones.
func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|")
	parts := strings.Split(strings.ReplaceAll(row, `\|`, "\x00"), "|")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(strings.ReplaceAll(p, "\x00", "|"))
	}
	return parts
}

// table draws a markdown table with box lines, its columns as wide as their widest cell
// until the table would not fit the width; then the widest columns give way and their
// cells are cut.
func (md *markdown) table(header string, body []string, width int) []string {
	rows := [][]string{cells(header)}
	for _, b := range body {
		rows = append(rows, cells(b))
	}
	cols := len(rows[0])
	widths := make([]int, cols)
	for r, row := range rows {
		for c := range cols {
			cell := ""
			if c < len(row) {
				cell = md.inline(row[c])
			}
			if r == 0 {
				cell = md.st.Bold.Render(cell)
			}
			if c < len(row) {
				row[c] = cell
			} else {
				row = append(row, cell)
			}
			widths[c] = max(widths[c], ansi.StringWidth(cell))
		}
		rows[r] = row[:cols]
	}
	for sum(widths)+3*cols+1 > width {
		widest := 0
		for c := range widths {
			if widths[c] > widths[widest] {
				widest = c
			}
		}
		if widths[widest] <= 3 {
			break
		}
		widths[widest]--
	}
	rule := func(l, m, r string) string {
		parts := make([]string, cols)
		for c, w := range widths {
			parts[c] = strings.Repeat("─", w+2)
		}
		return md.st.Rule.Render(l + strings.Join(parts, m) + r)
	}
	bar := md.st.Rule.Render("│")
	out := []string{rule("┌", "┬", "┐")}
	for r, row := range rows {
		line := bar
		for c, cell := range row {
			cell = ansi.Truncate(cell, widths[c], "…")
			line += " " + cell + strings.Repeat(" ", widths[c]-ansi.StringWidth(cell)) + " " + bar
		}
		out = append(out, line)
		if r == 0 {
			out = append(out, rule("├", "┼", "┤"))
		}
	}
	return append(out, rule("└", "┴", "┘"))
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

// fenceOpen reports whether line opens a fenced code block, and its fence.
func fenceOpen(line string) (string, bool) {
	for _, f := range []string{"```", "~~~"} {
		if strings.HasPrefix(line, f) {
			return f, true
		}
	}
	return "", false
}

func fenceCloses(line, fence string) bool {
	return strings.HasPrefix(line, fence) && strings.TrimLeft(line, fence[:1]) == ""
}

// codeBlock draws a fenced block's lines, coloured by its language once the block is closed
// (while it streams it is drawn plainly: colouring it again at every frame would cost more
// than it shows).
func (md *markdown) codeBlock(lang string, lines []string, closed bool, width int) []string {
	code := make([]string, len(lines))
	for i, l := range lines {
		code[i] = look.Visible(strings.ReplaceAll(l, "\t", "    "))
	}
	painted, ok := []string(nil), false
	if closed && md.hl != nil {
		painted, ok = md.hl.Lines(lang, code)
	}
	out := make([]string, 0, len(lines))
	for i, l := range code {
		if ok {
			l = painted[i]
		} else {
			l = md.st.Code.Render(l)
		}
		out = append(out, "  "+ansi.Truncate(l, width-2, "…"))
	}
	return out
}

var (
	headingRe = lazyre.New(`^(#{1,6})\s+(.*)$`)
	bulletRe  = lazyre.New(`^(\s*)[-*+]\s+(.*)$`)
	numberRe  = lazyre.New(`^(\s*)(\d+[.)])\s+(.*)$`)
	ruleRe    = lazyre.New(`^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$`)
)

// line renders one line outside code blocks.
func (md *markdown) line(line string, width int) []string {
	switch {
	case strings.TrimSpace(line) == "":
		return []string{""}
	case ruleRe().MatchString(line):
		return []string{md.st.Rule.Render(strings.Repeat("─", min(width, 40)))}
	}
	if m := headingRe().FindStringSubmatch(line); m != nil {
		return look.WrapIndent(md.st.Heading.Render(md.inline(m[2])), width, "", "")
	}
	if m := bulletRe().FindStringSubmatch(line); m != nil {
		return look.WrapIndent(md.inline(m[2]), width, m[1]+"• ", m[1]+"  ")
	}
	if m := numberRe().FindStringSubmatch(line); m != nil {
		pad := strings.Repeat(" ", len(m[2])+1)
		return look.WrapIndent(md.inline(m[3]), width, m[1]+m[2]+" ", m[1]+pad)
	}
	if rest, ok := strings.CutPrefix(strings.TrimLeft(line, " "), ">"); ok {
		return look.WrapIndent(md.st.Quote.Render(md.inline(strings.TrimPrefix(rest, " "))), width, md.st.Dim.Render("│ "), md.st.Dim.Render("│ "))
	}
	return look.WrapIndent(md.inline(line), width, "", "")
}

// inline styles the spans of one line; code spans are rendered first and kept apart so that
// their contents are not read as emphasis.
func (md *markdown) inline(s string) string {
	var b strings.Builder
	rest := s
	for {
		loc := codeSpanRe().FindStringSubmatchIndex(rest)
		if loc == nil {
			b.WriteString(md.spans(rest))
			return b.String()
		}
		b.WriteString(md.spans(rest[:loc[0]]))
		b.WriteString(md.st.Code.Render(rest[loc[2]:loc[3]]))
		rest = rest[loc[1]:]
	}
}

func (md *markdown) spans(s string) string {
	s = boldRe().ReplaceAllStringFunc(s, func(match string) string {
		m := boldRe().FindStringSubmatch(match)
		return md.st.Bold.Render(m[1] + m[2])
	})
	s = italicRe().ReplaceAllStringFunc(s, func(match string) string {
		m := italicRe().FindStringSubmatch(match)
		return m[1] + m[3] + md.st.Italic.Render(m[2]+m[4])
	})
	return linkRe().ReplaceAllStringFunc(s, func(match string) string {
		m := linkRe().FindStringSubmatch(match)
		return m[1] + md.st.Dim.Render(" ("+m[2]+")")
	})
}

// completeParagraphs splits streaming markdown at the last paragraph break outside a code
// block: done can be rendered and printed for good, pending is still being written.
func completeParagraphs(text string) (done, pending string) {
	var p paragraphScan
	cut := p.advance(text)
	if cut <= 0 {
		return "", text
	}
	return text[:cut], text[cut:]
}

// paragraphScan is completeParagraphs done a piece at a time, for text that only grows: each
// complete line is looked at once, however many deltas the text arrives in (a long code
// block was scanned again from its start at every line).
type paragraphScan struct {
	offset  int // bytes of complete lines looked at
	lines   int
	inFence bool
	fence   string
	cut     int // the last paragraph break found, 0 for none
}

// advance looks at the complete lines of text past those seen before and returns the last
// paragraph break so far.
func (p *paragraphScan) advance(text string) int {
	for {
		nl := strings.IndexByte(text[p.offset:], '\n')
		if nl < 0 {
			return p.cut
		}
		l := text[p.offset : p.offset+nl+1]
		trimmed := strings.TrimSpace(l)
		switch {
		case p.inFence && fenceCloses(trimmed, p.fence):
			p.inFence = false
			p.cut = p.offset + len(l) // a closed code block is complete
		case !p.inFence:
			if f, ok := fenceOpen(trimmed); ok {
				p.inFence, p.fence = true, f
			} else if trimmed == "" && p.lines > 0 {
				p.cut = p.offset + len(l)
			}
		}
		p.offset += len(l)
		p.lines++
	}
}
