package tui

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// A small markdown renderer for the model's answers: headings, fenced code, lists, quotes,
// rules, and inline bold, italic, code and links, wrapped to the terminal. It covers what the
// model writes; anything else is shown as written. (glamour would add several megabytes and a
// slower start-up for little more.)

// Inline spans. Code spans are handled first and kept apart from the others.
var (
	codeSpanRe = regexp.MustCompile("`([^`\n]+)`")
	boldRe     = regexp.MustCompile(`\*\*([^*\n]+)\*\*|__([^_\n]+)__`)
	italicRe   = regexp.MustCompile(`(^|[^\w*])\*([^*\s][^*\n]*?)\*|(^|[^\w_])_([^_\s][^_\n]*?)_`)
	linkRe     = regexp.MustCompile(`\[([^\]\n]+)\]\(([^)\s]+)\)`)
)

// markdown renders markdown to styled, wrapped lines.
type markdown struct{ st styles }

func newMarkdown(st styles) *markdown { return &markdown{st: st} }

// render renders src for a terminal width columns wide.
func (md *markdown) render(src string, width int) string {
	if width < 20 {
		width = 20
	}
	var out []string
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		if fence, ok := fenceOpen(trimmed); ok {
			j := i + 1
			for j < len(lines) && !fenceCloses(strings.TrimSpace(lines[j]), fence) {
				j++
			}
			out = append(out, md.codeBlock(lines[i+1:min(j, len(lines))], width)...)
			i = j
			continue
		}
		out = append(out, md.line(line, width)...)
	}
	return strings.Join(out, "\n")
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

func (md *markdown) codeBlock(lines []string, width int) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		l = strings.ReplaceAll(l, "\t", "    ")
		out = append(out, "  "+md.st.code.Render(ansi.Truncate(l, width-2, "…")))
	}
	return out
}

var (
	headingRe = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	bulletRe  = regexp.MustCompile(`^(\s*)[-*+]\s+(.*)$`)
	numberRe  = regexp.MustCompile(`^(\s*)(\d+[.)])\s+(.*)$`)
	ruleRe    = regexp.MustCompile(`^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$`)
)

// line renders one line outside code blocks.
func (md *markdown) line(line string, width int) []string {
	switch {
	case strings.TrimSpace(line) == "":
		return []string{""}
	case ruleRe.MatchString(line):
		return []string{md.st.rule.Render(strings.Repeat("─", min(width, 40)))}
	}
	if m := headingRe.FindStringSubmatch(line); m != nil {
		return wrapIndent(md.st.heading.Render(md.inline(m[2])), width, "", "")
	}
	if m := bulletRe.FindStringSubmatch(line); m != nil {
		return wrapIndent(md.inline(m[2]), width, m[1]+"• ", m[1]+"  ")
	}
	if m := numberRe.FindStringSubmatch(line); m != nil {
		pad := strings.Repeat(" ", len(m[2])+1)
		return wrapIndent(md.inline(m[3]), width, m[1]+m[2]+" ", m[1]+pad)
	}
	if rest, ok := strings.CutPrefix(strings.TrimLeft(line, " "), ">"); ok {
		return wrapIndent(md.st.quote.Render(md.inline(strings.TrimPrefix(rest, " "))), width, md.st.dim.Render("│ "), md.st.dim.Render("│ "))
	}
	return wrapIndent(md.inline(line), width, "", "")
}

// inline styles the spans of one line; code spans are rendered first and kept apart so that
// their contents are not read as emphasis.
func (md *markdown) inline(s string) string {
	var b strings.Builder
	rest := s
	for {
		loc := codeSpanRe.FindStringSubmatchIndex(rest)
		if loc == nil {
			b.WriteString(md.spans(rest))
			return b.String()
		}
		b.WriteString(md.spans(rest[:loc[0]]))
		b.WriteString(md.st.code.Render(rest[loc[2]:loc[3]]))
		rest = rest[loc[1]:]
	}
}

func (md *markdown) spans(s string) string {
	s = boldRe.ReplaceAllStringFunc(s, func(match string) string {
		m := boldRe.FindStringSubmatch(match)
		return md.st.bold.Render(m[1] + m[2])
	})
	s = italicRe.ReplaceAllStringFunc(s, func(match string) string {
		m := italicRe.FindStringSubmatch(match)
		return m[1] + m[3] + md.st.italic.Render(m[2]+m[4])
	})
	return linkRe.ReplaceAllStringFunc(s, func(match string) string {
		m := linkRe.FindStringSubmatch(match)
		return m[1] + md.st.dim.Render(" ("+m[2]+")")
	})
}

// wrapIndent wraps s to width with first before the first line and rest before the others.
func wrapIndent(s string, width int, first, rest string) []string {
	w := width - max(ansi.StringWidth(first), ansi.StringWidth(rest))
	if w < 10 {
		w = 10
	}
	lines := wrapWords(s, w)
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return lines
}

// completeParagraphs splits streaming markdown at the last paragraph break outside a code
// block: done can be rendered and printed for good, pending is still being written.
func completeParagraphs(text string) (done, pending string) {
	inFence, fence := false, ""
	cut := -1
	offset := 0
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		complete := strings.HasSuffix(l, "\n")
		switch {
		case !complete:
		case inFence && fenceCloses(trimmed, fence):
			inFence = false
			cut = offset + len(l) // a closed code block is complete
		case !inFence:
			if f, ok := fenceOpen(trimmed); ok {
				inFence, fence = true, f
			} else if trimmed == "" && i > 0 {
				cut = offset + len(l)
			}
		}
		offset += len(l)
	}
	if cut <= 0 {
		return "", text
	}
	return text[:cut], text[cut:]
}

// wrapWords wraps styled text at spaces to width columns, keeping its indentation and cutting
// only words longer than a line. (ansi.Wrap also breaks at hyphens, which splits IDs and
// paths people copy.)
func wrapWords(s string, width int) []string {
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
