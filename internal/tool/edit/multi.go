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
	//go:embed multiedit_schema.json
	multiSchema []byte
	//go:embed multiedit_description.md
	multiDescription string
)

type multiInput struct {
	FilePath string   `json:"file_path"`
	Edits    []change `json:"edits"`
}

type multiTool struct{}

// MultiEdit returns the MultiEdit tool.
func MultiEdit() tool.Tool { return multiTool{} }

func (multiTool) Name() string                 { return "MultiEdit" }
func (multiTool) Description() string          { return multiDescription }
func (multiTool) InputSchema() json.RawMessage { return multiSchema }
func (multiTool) ConcurrencySafe() bool        { return false }
func (multiTool) Class() permission.Class      { return permission.ClassEdit }

func (multiTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in multiInput
	if err := fsutil.DecodeInput("MultiEdit", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	path, err := fsutil.AbsPath("file_path", in.FilePath)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	if len(in.Edits) == 0 {
		return tool.Errorf("edits is empty; give at least one {old_string, new_string} pair"), nil
	}
	t, err := load(env, path, in.Edits[0].OldString == "")
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	before := t.doc.text
	// Every edit runs on the in-memory text; the file is written only if all of them succeed.
	for i, c := range in.Edits {
		if i > 0 && c.OldString == "" {
			return tool.Errorf("MultiEdit on %s failed at edits[%d] (edit %d of %d): old_string is empty; only the first edit may create the file. No edit was applied; the file is unchanged.", path, i, i+1, len(in.Edits)), nil
		}
		if _, err := t.applyOne(c); err != nil {
			return tool.Errorf("MultiEdit on %s failed at edits[%d] (edit %d of %d): %v. No edit was applied; the file is unchanged.", path, i, i+1, len(in.Edits), err), nil
		}
	}
	if err := ctx.Err(); err != nil {
		return tool.Result{}, err
	}
	after, err := t.save(env)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	summary := fmt.Sprintf("Applied %s to %s.", plural(len(in.Edits), "edit"), path)
	return t.result(summary, before, after), nil
}
