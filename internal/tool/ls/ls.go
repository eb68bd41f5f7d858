// Package ls is the LS tool: a sorted tree listing of a directory, breadth first so the
// top levels are complete when a large tree hits the entry cap, without descending into
// version-control and dependency directories.
package ls

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"io/fs"
	"os"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

//go:embed schema.json
var schema []byte

//go:embed description.md
var description string

// maxEntries caps a listing; beyond it the model should narrow the path or ignore more.
const maxEntries = 1000

// unexpanded directories are listed but not entered: their contents are large, generated
// and rarely what the model is looking for. It can still list them by passing their path.
var unexpanded = map[string]bool{
	".git": true, ".hg": true, ".svn": true, ".jj": true,
	"node_modules": true, "__pycache__": true, ".venv": true, ".tox": true,
	".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true, ".next": true,
}

type input struct {
	Path   string   `json:"path"`
	Ignore []string `json:"ignore"`
}

type lsTool struct{}

// New returns the LS tool.
func New() tool.Tool { return lsTool{} }

func (lsTool) Name() string                 { return "LS" }
func (lsTool) Description() string          { return description }
func (lsTool) InputSchema() json.RawMessage { return schema }
func (lsTool) ConcurrencySafe() bool        { return true }
func (lsTool) Class() permission.Class      { return permission.ClassRead }

func (lsTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput("LS", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	if in.Path == "" {
		in.Path = env.Cwd()
	}
	root, err := fsutil.AbsPath("path", in.Path)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	for _, p := range in.Ignore {
		if !doublestar.ValidatePattern(p) {
			return tool.Errorf("ignore pattern %q is not a valid glob (check its brackets and braces)", p), nil
		}
	}
	fi, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return tool.Errorf("directory does not exist: %s", root), nil
	case err != nil:
		return tool.Errorf("cannot list %s: %v", root, err), nil
	case !fi.IsDir():
		return tool.Errorf("%s is a file, not a directory; use Read to see its contents", root), nil
	}
	tree, err := walk(ctx, root, in.Ignore, env.Visibility())
	if err != nil {
		return tool.Result{}, err
	}
	return tool.Result{Text: tree.render()}, nil
}
