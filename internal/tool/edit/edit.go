// Package edit holds the Edit and MultiEdit tools: exact string replacements in a file the
// model has read, refusing ambiguous or missing matches, keeping the file's line endings,
// byte-order mark, final newline and mode, and never writing a partial MultiEdit.
package edit

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

var (
	//go:embed edit_schema.json
	editSchema []byte
	//go:embed edit_description.md
	editDescription string
)

type editInput struct {
	FilePath   string `json:"file_path"`
	OldString  string `json:"old_string"`
	NewString  string `json:"new_string"`
	ReplaceAll bool   `json:"replace_all"`
}

type editTool struct{}

// Edit returns the Edit tool.
func Edit() tool.Tool { return editTool{} }

func (editTool) Name() string                 { return "Edit" }
func (editTool) Description() string          { return editDescription }
func (editTool) InputSchema() json.RawMessage { return editSchema }
func (editTool) ConcurrencySafe() bool        { return false }
func (editTool) Class() permission.Class      { return permission.ClassEdit }

func (editTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in editInput
	if err := fsutil.DecodeInput("Edit", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	path, err := fsutil.AbsPath("file_path", in.FilePath)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	t, err := load(env, path, in.OldString == "")
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	before := t.doc.text
	summary, err := t.applyOne(change{in.OldString, in.NewString, in.ReplaceAll})
	if err != nil {
		return tool.Errorf("Editing %s failed: %v", path, err), nil
	}
	if err := ctx.Err(); err != nil {
		return tool.Result{}, err
	}
	after, err := t.save(env)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	return t.result(summary, before, after), nil
}

// applyOne applies c to the in-memory document and describes what it did.
func (t *target) applyOne(c change) (string, error) {
	if c.OldString == "" {
		existed := t.exists
		if err := t.create(c.NewString); err != nil {
			return "", err
		}
		if existed {
			return fmt.Sprintf("Wrote %s into the empty file %s.", plural(fsutil.CountLines(c.NewString), "line"), t.path), nil
		}
		return fmt.Sprintf("Created %s (%s).", t.path, plural(fsutil.CountLines(c.NewString), "line")), nil
	}
	a, err := apply(t.doc.text, t.doc.norm(c.OldString), t.doc.norm(c.NewString), c.ReplaceAll)
	if err != nil {
		return "", err
	}
	t.doc.text = a.text
	return fmt.Sprintf("Edited %s: replaced %s.", t.path, plural(a.count, "occurrence")), nil
}
