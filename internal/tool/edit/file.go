package edit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

const (
	maxEditBytes    = 32 << 20 // larger files are refused: they are held in memory twice
	snippetContext  = 3        // unchanged lines shown around a change
	maxSnippetLines = 40
)

// target is the file one Edit or MultiEdit call changes.
type target struct {
	path   string
	exists bool
	before []byte
	doc    document
}

// load reads path for editing after the checks every edit shares. creating says the first
// old_string is empty: a missing file is then created, and an empty existing file may be
// filled without a prior Read (there was nothing to see).
func load(env *tool.Env, path string, creating bool) (*target, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && creating:
		return &target{path: path}, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s does not exist; to create it, use Write (or an empty old_string)", path)
	case err != nil:
		return nil, fmt.Errorf("cannot check %s: %v", path, err)
	}
	if err := fsutil.CheckWritable(path, fi); err != nil {
		return nil, err
	}
	if !(creating && fi.Size() == 0) {
		if err := fsutil.CheckFresh(env, path, fi); err != nil {
			return nil, err
		}
	}
	if fi.Size() > maxEditBytes {
		return nil, fmt.Errorf("%s is %s, too large to edit here (limit %s); change it with a stream editor through Bash instead", path, fsutil.HumanSize(fi.Size()), fsutil.HumanSize(maxEditBytes))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	return &target{path: path, exists: true, before: data, doc: parseDocument(data)}, nil
}

// create fills a missing or empty file with content, the meaning of an empty old_string.
func (t *target) create(content string) error {
	if t.exists && t.doc.text != "" {
		return fmt.Errorf("old_string is empty, which only creates a file, but %s already has content; give the exact text to replace, or use Write to replace the whole file", t.path)
	}
	t.doc.text = content
	return nil
}

// save writes the edited document and records the new stamp. It returns the bytes written.
func (t *target) save(env *tool.Env) ([]byte, error) {
	after := t.doc.encode()
	if err := fsutil.WriteTracked(env, t.path, after, 0o644); err != nil {
		return nil, fmt.Errorf("%v; the file was left as it was", err)
	}
	return after, fsutil.Record(env, t.path)
}

// result is what the model and the person see after a successful edit: summary, the changed
// region with line numbers so the model can check its work, and a diff for people.
func (t *target) result(summary string, beforeText string, after []byte) tool.Result {
	text := summary
	if snip := changedSnippet(beforeText, t.doc.text); snip != "" {
		text += "\n" + snip
	}
	return tool.Result{Text: text, Display: fsutil.Diff(t.path, string(t.before), string(after))}
}

// changedSnippet numbers the lines of after that differ from before (found by their common
// prefix and suffix), with a few lines of context, capped at maxSnippetLines.
func changedSnippet(before, after string) string {
	if after == "" {
		return "The file is now empty."
	}
	p := commonPrefix(before, after)
	s := commonSuffix(before[p:], after[p:])
	lines := strings.Split(strings.TrimSuffix(after, "\n"), "\n")
	first := strings.Count(after[:p], "\n")                    // 0-based line of the change
	last := first + strings.Count(after[p:len(after)-s], "\n") // 0-based, inclusive
	from := max(0, first-snippetContext)
	to := min(len(lines)-1, last+snippetContext)
	cut := to-from+1 > maxSnippetLines
	if cut {
		to = from + maxSnippetLines - 1
	}
	out := fmt.Appendf(nil, "Lines %d-%d of the file now read:\n", from+1, to+1)
	for i := from; i <= to; i++ {
		out = fsutil.AppendNumbered(out, i+1, lines[i])
	}
	if cut {
		out = append(out, "[… more changed lines follow; Read the file to see them.]\n"...)
	}
	return string(out)
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

func commonSuffix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[len(a)-1-i] != b[len(b)-1-i] {
			return i
		}
	}
	return n
}

// plural renders "1 occurrence" / "3 occurrences".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
