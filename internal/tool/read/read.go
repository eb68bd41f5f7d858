// Package read is the Read tool: it shows a text file with numbered lines, a chosen range of
// a large one without loading it, or a picture as an image block, and records what the model
// saw so Write and Edit can refuse to change text it has not read.
package read

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/picture"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

const (
	defaultLimit     = 2000      // lines shown when the call gives no limit
	maxLineChars     = 2000      // longer lines are cut
	maxFullReadBytes = 256 << 10 // larger files need offset/limit
	sniffBytes       = 8 << 10   // how much of a file decides text or binary
	maxOutputBytes   = 320 << 10 // a window stops early rather than grow past this
	countRestBytes   = 32 << 20  // up to this size the total line count is reported
)

//go:embed schema.json
var schema []byte

//go:embed description.md
var description string

type input struct {
	FilePath string `json:"file_path"`
	Offset   int    `json:"offset"`
	Limit    int    `json:"limit"`
}

type readTool struct{}

// New returns the Read tool.
func New() tool.Tool { return readTool{} }

func (readTool) Name() string                 { return "Read" }
func (readTool) Description() string          { return description }
func (readTool) InputSchema() json.RawMessage { return schema }
func (readTool) ConcurrencySafe() bool        { return true }
func (readTool) Class() permission.Class      { return permission.ClassRead }

func (readTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput("Read", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	path, err := fsutil.AbsPath("file_path", in.FilePath)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	if !env.Readable(path) {
		// The permission check refuses such a call before it runs; this holds whoever
		// calls the tool.
		return tool.Errorf("reading %s is denied by the permission rules", path), nil
	}
	if in.Offset < 0 || in.Limit < 0 {
		return tool.Errorf("offset and limit must be positive line counts (offset is the 1-based line to start at)"), nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return openError(path, err)
	}
	if fi.IsDir() {
		return tool.Errorf("%s is a directory, not a file; use LS to list its contents", path), nil
	}
	if !fi.Mode().IsRegular() {
		return tool.Errorf("%s is not a regular file (%s) and cannot be read", path, fi.Mode().Type()), nil
	}
	if env.SameView(fsutil.Key(path), view(fi, in)) {
		return tool.Result{Text: unchanged}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return openError(path, err)
	}
	defer f.Close()
	return readOpen(ctx, env, path, f, in)
}

// openError turns a failure to stat or open path into what the model is told.
func openError(path string, err error) (tool.Result, error) {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return tool.Errorf("file does not exist: %s", path), nil
	case errors.Is(err, fs.ErrPermission):
		return tool.Errorf("cannot read %s: permission denied", path), nil
	}
	return tool.Errorf("cannot read %s: %v", path, err), nil
}

func readOpen(ctx context.Context, env *tool.Env, path string, f *os.File, in input) (tool.Result, error) {
	fi, err := f.Stat()
	if err != nil {
		return tool.Errorf("cannot read %s: %v", path, err), nil
	}
	head := make([]byte, sniffBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return tool.Errorf("cannot read %s: %v", path, err), nil
	}
	head = head[:n]
	if fi.Size() == 0 && n == 0 {
		env.RecordRead(fsutil.Key(path), fsutil.StampOf(fi))
		return tool.Result{Text: fmt.Sprintf("[%s exists but is empty.]", path)}, nil
	}
	if mt := picture.Sniff(head); mt != "" {
		return readImage(env, path, f, fi, head, mt)
	}
	if looksBinary(head, n < sniffBytes) {
		return tool.Errorf("%s looks like a binary file (%s), not text, so it is not shown; inspect it with a tool made for its format via Bash (file, xxd, unzip -l, …)", path, fsutil.HumanSize(fi.Size())), nil
	}
	ranged := in.Offset > 0 || in.Limit > 0
	if !ranged && fi.Size() > maxFullReadBytes {
		return tool.Errorf("%s is %s, more than the %s a whole-file Read may return; read it in parts with offset and limit (for example offset=1, limit=%d), or find the relevant lines with Grep first", path, fsutil.HumanSize(fi.Size()), fsutil.HumanSize(maxFullReadBytes), defaultLimit), nil
	}
	v := view(fi, in)
	offset, limit := v.Offset, v.Limit
	w, err := readWindow(ctx, io.MultiReader(bytesReader(head), f), offset, limit, fi.Size() <= countRestBytes)
	if err != nil {
		if ctx.Err() != nil {
			return tool.Result{}, ctx.Err()
		}
		return tool.Errorf("reading %s failed: %v", path, err), nil
	}
	env.RecordRead(fsutil.Key(path), fsutil.StampOf(fi))
	env.RecordView(fsutil.Key(path), view(fi, in))
	return tool.Result{Text: render(w, offset)}, nil
}

// unchanged answers a Read of a range the model already has, unchanged: the reference does
// the same, and a repeated large Read otherwise costs its whole size again on every turn.
const unchanged = "[Unchanged since you last read this range of the file: the earlier Read result in this conversation still shows its current content, so use that.]"

// view is the range a Read of fi with in shows, defaults applied.
func view(fi fs.FileInfo, in input) tool.View {
	limit := in.Limit
	if limit == 0 {
		limit = defaultLimit
	}
	return tool.View{Stamp: fsutil.StampOf(fi), Offset: max(in.Offset, 1), Limit: limit}
}
