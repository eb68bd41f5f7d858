package transcript

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/tui/look"
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
type markdown struct{ st look.Styles }

func newMarkdown(st look.Styles) *markdown { return &markdown{st: st} }

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
		out = append(out, "  "+md.st.Code.Render(ansi.Truncate(l, width-2, "…")))
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
		return []string{md.st.Rule.Render(strings.Repeat("─", min(width, 40)))}
	}
	if m := headingRe.FindStringSubmatch(line); m != nil {
		return look.WrapIndent(md.st.Heading.Render(md.inline(m[2])), width, "", "")
	}
	if m := bulletRe.FindStringSubmatch(line); m != nil {
		return look.WrapIndent(md.inline(m[2]), width, m[1]+"• ", m[1]+"  ")
	}
	if m := numberRe.FindStringSubmatch(line); m != nil {
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
		loc := codeSpanRe.FindStringSubmatchIndex(rest)
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
	s = boldRe.ReplaceAllStringFunc(s, func(match string) string {
		m := boldRe.FindStringSubmatch(match)
		return md.st.Bold.Render(m[1] + m[2])
	})
	s = italicRe.ReplaceAllStringFunc(s, func(match string) string {
		m := italicRe.FindStringSubmatch(match)
		return m[1] + m[3] + md.st.Italic.Render(m[2]+m[4])
	})
	return linkRe.ReplaceAllStringFunc(s, func(match string) string {
		m := linkRe.FindStringSubmatch(match)
		return m[1] + md.st.Dim.Render(" ("+m[2]+")")
	})
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
