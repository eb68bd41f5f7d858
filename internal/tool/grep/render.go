package grep

import (
	"fmt"
	"strconv"
	"strings"
)

// maxOutput is the most text one call returns; the rest is cut with a note.
const maxOutput = 30000

// render formats the results. It is shared by both back ends so that their output is
// identical by construction.
func render(q *query, files []*fileResult, lineNumbers bool, headLimit int) string {
	if len(files) == 0 {
		return "No matches found."
	}
	var lines []string
	var header string
	switch q.mode {
	case modeFiles:
		for _, f := range files {
			lines = append(lines, f.path)
		}
		header = fmt.Sprintf("Found %s", plural(len(files), "file"))
	case modeCount:
		total := 0
		for _, f := range files {
			lines = append(lines, f.path+":"+strconv.Itoa(f.matched))
			total += f.matched
		}
		header = fmt.Sprintf("Found %s in %s", plural(total, "matching line"), plural(len(files), "file"))
	default:
		lines = contentLines(files, lineNumbers, q.before > 0 || q.after > 0)
	}
	total := len(lines)
	if headLimit > 0 && total > headLimit {
		lines = lines[:headLimit]
	}
	limited := len(lines) < total
	var b strings.Builder
	if header != "" {
		b.WriteString(header)
		if limited {
			fmt.Fprintf(&b, " (head_limit: showing the first %d)", len(lines))
		}
		b.WriteString("\n")
	}
	b.WriteString(capOutput(lines))
	if header == "" && limited {
		fmt.Fprintf(&b, "\n[head_limit: showing the first %d of %d lines]", len(lines), total)
	}
	return b.String()
}

// contentLines renders matched lines as `path:N:text` and context lines as `path-N-text`
// (without N when line numbers are off), with `--` between groups that are not adjacent, as
// grep and rg print them.
func contentLines(files []*fileResult, lineNumbers, separators bool) []string {
	var out []string
	for _, f := range files {
		prev := -1
		for _, l := range f.lines {
			if separators && len(out) > 0 && (prev < 0 || l.num != prev+1) {
				out = append(out, "--")
			}
			prev = l.num
			sep := "-"
			if l.match {
				sep = ":"
			}
			if lineNumbers {
				out = append(out, f.path+sep+strconv.Itoa(l.num)+sep+l.text)
			} else {
				out = append(out, f.path+sep+l.text)
			}
		}
	}
	return out
}

// capOutput joins lines up to maxOutput characters, cutting at a line boundary.
func capOutput(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if b.Len()+len(l)+1 > maxOutput {
			fmt.Fprintf(&b, "[output cut at %d characters: %d more lines not shown; narrow the search with path, glob or type, use head_limit, or switch output_mode]",
				maxOutput, len(lines)-i)
			return b.String()
		}
		b.WriteString(l)
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
