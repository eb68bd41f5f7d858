// Package write is the Write tool: it creates a file or replaces a whole file's contents,
// refusing to overwrite a file the model has not read in this session or that changed on
// disk since, and writing atomically so a crash never leaves half a file.
package write

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

//go:embed schema.json
var schema []byte

//go:embed description.md
var description string

type input struct {
	FilePath string  `json:"file_path"`
	Content  *string `json:"content"` // a pointer, so a forgotten field is not an empty file
}

type writeTool struct{}

// New returns the Write tool.
func New() tool.Tool { return writeTool{} }

func (writeTool) Name() string                 { return "Write" }
func (writeTool) Description() string          { return description }
func (writeTool) InputSchema() json.RawMessage { return schema }
func (writeTool) ConcurrencySafe() bool        { return false }
func (writeTool) Class() permission.Class      { return permission.ClassEdit }

func (writeTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput("Write", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	path, err := fsutil.AbsPath("file_path", in.FilePath)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	if in.Content == nil {
		return tool.Errorf("content is required: pass the complete new contents of the file (an empty string for an empty file)"), nil
	}
	content := *in.Content
	old, res := current(env, path)
	if res != nil {
		return *res, nil
	}
	if err := ctx.Err(); err != nil {
		return tool.Result{}, err
	}
	if err := fsutil.WriteTracked(env, path, []byte(content), 0o644); err != nil {
		return tool.Errorf("%v; the file was left as it was", err), nil
	}
	if err := fsutil.Record(env, path); err != nil {
		return tool.Result{}, err
	}
	verb := "Created"
	if old.exists {
		verb = "Updated"
	}
	return tool.Result{
		Text:    fmt.Sprintf("%s %s (%d lines).", verb, path, fsutil.CountLines(content)),
		Display: old.diff(path, content),
	}, nil
}

// prior is what the file held before the write.
type prior struct {
	exists bool
	size   int64
	text   string // empty when the file is too large to diff
}

func (p prior) diff(path, content string) string {
	if p.size > fsutil.MaxDiffBytes {
		return fmt.Sprintf("%s: replaced %s with %s (too large to show a diff)", path, fsutil.HumanSize(p.size), fsutil.HumanSize(int64(len(content))))
	}
	return fsutil.Diff(path, p.text, content)
}

// current returns what the file holds now, or the result that refuses the write.
func current(env *tool.Env, path string) (prior, *tool.Result) {
	refuse := func(format string, args ...any) (prior, *tool.Result) {
		r := tool.Errorf(format, args...)
		return prior{}, &r
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return prior{}, nil
	}
	if err != nil {
		return refuse("cannot check %s before writing: %v", path, err)
	}
	if err := fsutil.CheckWritable(path, fi); err != nil {
		return refuse("%v", err)
	}
	if err := fsutil.CheckFresh(env, path, fi); err != nil {
		return refuse("%v", err)
	}
	p := prior{exists: true, size: fi.Size()}
	if p.size > fsutil.MaxDiffBytes {
		return p, nil // the text is only wanted for the diff, which would not be shown
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return refuse("cannot read the current contents of %s: %v", path, err)
	}
	p.text = string(data)
	return p, nil
}
