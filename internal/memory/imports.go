package memory

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// loader expands imports. seen holds every file already included, so that a file imported
// twice appears once and an import cycle stops where it closes.
type loader struct {
	home string
	seen map[string]bool
}

// key identifies a file: symbolic links resolved, so a link cannot hide a cycle.
func (l *loader) key(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	return filepath.Clean(path)
}

// expand returns content with every import mentioned on a line inserted after that line,
// between comments naming the imported file. depth is how many hops led to path.
func (l *loader) expand(path, content string, depth int, missing *[]string) string {
	var out strings.Builder
	for _, ln := range splitLines(content) {
		out.WriteString(ln.text)
		for _, ref := range ln.imports {
			block := l.include(path, ref, depth+1, missing)
			if block != "" && !strings.HasSuffix(out.String(), "\n") {
				out.WriteByte('\n')
			}
			out.WriteString(block)
		}
	}
	return out.String()
}

// include is what an import of ref from the file at from turns into.
func (l *loader) include(from, ref string, depth int, missing *[]string) string {
	target, data, err := l.read(from, ref)
	switch {
	case err != nil:
		*missing = append(*missing, ref)
		return fmt.Sprintf("<!-- @%s not imported: %v -->\n", ref, err)
	case l.seen[l.key(target)]:
		return "" // already included above, or a cycle
	case depth > MaxImportDepth:
		return fmt.Sprintf("<!-- @%s not imported: more than %d imports deep -->\n", ref, MaxImportDepth)
	}
	l.seen[l.key(target)] = true
	body := strings.TrimRight(l.expand(target, data, depth, missing), "\n")
	return fmt.Sprintf("<!-- imported from %s -->\n%s\n<!-- end of %s -->\n", target, body, target)
}

// read resolves ref against the importing file and reads it. A ref that names nothing is
// tried again without trailing punctuation, for "see @notes.md." in a sentence.
func (l *loader) read(from, ref string) (string, string, error) {
	target, data, err := l.readRef(from, ref)
	if os.IsNotExist(err) {
		if trimmed := strings.TrimRight(ref, ".,;:!?)]}'\""); trimmed != ref && trimmed != "" {
			if t2, d2, err2 := l.readRef(from, trimmed); err2 == nil {
				return t2, d2, nil
			}
		}
		return "", "", fmt.Errorf("no such file")
	}
	return target, data, err
}

func (l *loader) readRef(from, ref string) (string, string, error) {
	var target string
	switch {
	case strings.HasPrefix(ref, "~/"):
		if l.home == "" {
			return "", "", os.ErrNotExist
		}
		target = filepath.Join(l.home, ref[2:])
	case filepath.IsAbs(ref):
		target = filepath.Clean(ref)
	default:
		target = filepath.Join(filepath.Dir(from), ref)
	}
	info, err := os.Stat(target)
	if err != nil {
		return "", "", err
	}
	if info.IsDir() {
		return "", "", fmt.Errorf("%s is a directory", target)
	}
	data, err := os.ReadFile(target)
	if err != nil {
		return "", "", err
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return "", "", fmt.Errorf("%s is not a text file", target)
	}
	return target, string(data), nil
}

// line is one line of a memory file (with its end) and the imports it mentions.
type line struct {
	text    string
	imports []string
}

// splitLines cuts content into lines and finds the imports of each: '@' at the start of a
// line or after white space, followed by a path ("\ " for a space in it), outside fenced code
// blocks and inline code spans. Code spans are recognised within one line only.
func splitLines(content string) []line {
	var out []line
	var fence string // the opening fence while inside a fenced block
	for rest := content; rest != ""; {
		text, tail, found := strings.Cut(rest, "\n")
		if found {
			text += "\n"
		}
		rest = tail
		if fence != "" {
			if closesFence(text, fence) {
				fence = ""
			}
			out = append(out, line{text: text})
			continue
		}
		if f := opensFence(text); f != "" {
			fence = f
			out = append(out, line{text: text})
			continue
		}
		out = append(out, line{text: text, imports: findImports(text)})
	}
	return out
}

// opensFence returns the fence (three or more ` or ~) a line opens, or "".
func opensFence(text string) string {
	t := strings.TrimLeft(text, " ")
	if len(text)-len(t) > 3 {
		return "" // indented four or more: not a fence
	}
	for _, c := range []string{"`", "~"} {
		n := len(t) - len(strings.TrimLeft(t, c))
		if n >= 3 {
			if c == "`" && strings.Contains(t[n:], "`") {
				return "" // a backtick fence's info string may not hold a backtick
			}
			return t[:n]
		}
	}
	return ""
}

// closesFence reports whether a line closes the block opened by fence: the same character,
// at least as many, and nothing else on the line.
func closesFence(text, fence string) bool {
	t := strings.TrimSpace(text)
	if len(strings.TrimLeft(text, " ")) < len(text)-3 {
		return false
	}
	return len(t) >= len(fence) && strings.Trim(t, fence[:1]) == ""
}

// findImports returns the @paths of a line outside code spans.
func findImports(text string) []string {
	var refs []string
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '`':
			i = skipCodeSpan(text, i) - 1
		case text[i] == '@' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t'):
			ref, end := readRef(text, i+1)
			if ref != "" {
				refs = append(refs, ref)
			}
			i = end - 1
		}
	}
	return refs
}

// skipCodeSpan returns the index after the code span whose opening backticks start at i, or
// after the backticks alone when no run of the same length closes them.
func skipCodeSpan(text string, i int) int {
	n := 0
	for i+n < len(text) && text[i+n] == '`' {
		n++
	}
	run := text[i : i+n]
	for j := i + n; j < len(text); {
		k := strings.Index(text[j:], run)
		if k < 0 {
			break
		}
		k += j
		m := k + n
		for m < len(text) && text[m] == '`' {
			m++
		}
		if m-k == n {
			return m
		}
		j = m
	}
	return i + n
}

// readRef reads a path from text[i:] up to white space; "\ " stands for a space.
func readRef(text string, i int) (string, int) {
	var b strings.Builder
	for i < len(text) {
		c := text[i]
		if c == '\\' && i+1 < len(text) && text[i+1] == ' ' {
			b.WriteByte(' ')
			i += 2
			continue
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), i
}
