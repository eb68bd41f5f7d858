package fsutil

import (
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Diff renders the change from before to after as a unified diff for people (never sent to
// the model). Carriage returns are dropped so CRLF files do not show a stray ^M per line.
func Diff(path, before, after string) string {
	before = strings.ReplaceAll(before, "\r\n", "\n")
	after = strings.ReplaceAll(after, "\r\n", "\n")
	return udiff.Unified(path, path, before, after)
}
