package fsutil

import (
	"fmt"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// MaxDiffBytes bounds the text Diff compares: beyond it a diff costs seconds and is too
// long for anyone to read, so a one-line summary is shown instead.
const MaxDiffBytes = 2 << 20

// Diff renders the change from before to after as a unified diff for people (never sent to
// the model). Carriage returns are dropped so CRLF files do not show a stray ^M per line.
func Diff(path, before, after string) string {
	if len(before) > MaxDiffBytes || len(after) > MaxDiffBytes {
		return fmt.Sprintf("%s: %s → %s (too large to show a diff)", path, HumanSize(int64(len(before))), HumanSize(int64(len(after))))
	}
	before = strings.ReplaceAll(before, "\r\n", "\n")
	after = strings.ReplaceAll(after, "\r\n", "\n")
	return udiff.Unified(path, path, before, after)
}
