package look

import (
	"fmt"
	"strings"
)

// Visible makes text from outside strata — tool output, the model's words, command lines
// awaiting approval — safe to draw: control characters are shown, not obeyed. An escape
// sequence in a file the model cats must not clear the screen, retitle the terminal, write the
// clipboard (OSC 52) or hide part of a command in the permission dialog (SGR 8). Newlines and
// tabs stay.
func Visible(s string) string {
	if !hasControl(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == 0x1b:
			b.WriteString("␛")
		case r < 0x20:
			b.WriteString("^" + string(rune(r+'@')))
		case r == 0x7f:
			b.WriteString("^?")
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}
