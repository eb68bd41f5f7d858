package look

import (
	"strconv"
	"strings"
)

// ColourLines is Lines for tool output that may be coloured (a test runner, ls --color, git
// diff): SGR sequences that only set colours and text attributes are kept, and each line
// that uses one ends with a reset, so that a colour never runs into the next line or the
// UI's own text. Every other control sequence — and an SGR that conceals text (8) or
// blinks — is shown, not obeyed, as Visible does.
func ColourLines(text string) []string {
	text = strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = colourLine(strings.ReplaceAll(l, "\t", "    "))
	}
	return lines
}

// colourLine keeps the harmless SGR sequences of one line and makes the rest visible.
func colourLine(l string) string {
	var b strings.Builder
	coloured := false
	for {
		i := strings.Index(l, "\x1b[")
		if i < 0 {
			b.WriteString(Visible(l))
			break
		}
		b.WriteString(Visible(l[:i]))
		end := i + 2
		for end < len(l) && (l[end] >= '0' && l[end] <= '9' || l[end] == ';') {
			end++
		}
		if end < len(l) && l[end] == 'm' && harmlessSGR(l[i+2:end]) {
			b.WriteString(l[i : end+1])
			coloured = true
			l = l[end+1:]
			continue
		}
		b.WriteString("␛") // not kept: the rest of it is drawn as text
		l = l[i+1:]
	}
	if coloured {
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

// harmlessSGR reports whether the parameters of an SGR sequence only set colours (basic,
// 256 and true colour), bold, faint, italic, underline, inverse, or reset them.
func harmlessSGR(params string) bool {
	if params == "" {
		return true // ESC[m: reset
	}
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		n, err := strconv.Atoi(ps[i])
		if err != nil {
			return false
		}
		switch {
		case n <= 4, n == 7, n >= 21 && n <= 24, n == 27, n >= 30 && n <= 37, n == 39,
			n >= 40 && n <= 47, n == 49, n >= 90 && n <= 97, n >= 100 && n <= 107:
		case n == 38 || n == 48: // 5;n or 2;r;g;b
			if i+1 >= len(ps) {
				return false
			}
			switch ps[i+1] {
			case "5":
				i += 2
			case "2":
				i += 4
			default:
				return false
			}
			if i >= len(ps) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
