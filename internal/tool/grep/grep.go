// Package grep is the Grep tool: a regular-expression search over file contents. It runs
// ripgrep when one is installed and otherwise a Go implementation that walks the same files
// and prints the same text, so the model sees no difference between machines.
package grep

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

var (
	//go:embed schema.json
	schema []byte
	//go:embed description.md
	description string
)

// Options configures the Grep tool.
type Options struct {
	// RgPath is the ripgrep executable. "" means look `rg` up on PATH once, at the first call.
	RgPath string
	// NoRipgrep forces the Go back end even when rg is installed.
	NoRipgrep bool
}

type input struct {
	Pattern     string `json:"pattern"`
	Path        string `json:"path,omitempty"`
	Glob        string `json:"glob,omitempty"`
	Type        string `json:"type,omitempty"`
	OutputMode  string `json:"output_mode,omitempty"`
	IgnoreCase  bool   `json:"-i,omitempty"`
	LineNumbers *bool  `json:"-n,omitempty"`
	After       *int   `json:"-A,omitempty"`
	Before      *int   `json:"-B,omitempty"`
	Context     *int   `json:"-C,omitempty"`
	HeadLimit   *int   `json:"head_limit,omitempty"`
	Multiline   bool   `json:"multiline,omitempty"`
}

type grepTool struct {
	opts    Options
	once    sync.Once
	rgPath  string    // "" when the Go back end is used
	workers sync.Pool // the Go back end's *worker values, kept from one search to the next
}

// New returns the Grep tool.
func New(opts Options) tool.Tool { return &grepTool{opts: opts} }

func (*grepTool) Name() string                 { return "Grep" }
func (*grepTool) Description() string          { return description }
func (*grepTool) InputSchema() json.RawMessage { return schema }
func (*grepTool) ConcurrencySafe() bool        { return true }
func (*grepTool) Class() permission.Class      { return permission.ClassRead }

// ripgrep returns the rg executable to use, or "" for the Go back end.
func (g *grepTool) ripgrep() string {
	g.once.Do(func() {
		switch {
		case g.opts.NoRipgrep:
		case g.opts.RgPath != "":
			g.rgPath = g.opts.RgPath
		default:
			if p, err := proc.LookPath("rg"); err == nil {
				g.rgPath = p
			}
		}
	})
	return g.rgPath
}

// inputError marks a problem with the call itself (bad pattern, glob or type) that the model
// should see and fix.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }

func (g *grepTool) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	q, in, err := parseInput(env, raw)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	c, err := g.search(ctx, env, q)
	var ie *inputError
	switch {
	case errors.As(err, &ie):
		return tool.Errorf("%v", ie), nil
	case err != nil && ctx.Err() != nil:
		return tool.Result{}, ctx.Err()
	case err != nil:
		return tool.Result{}, fmt.Errorf("searching %s for %q: %w", q.root, q.pattern, err)
	}
	if c.overflow {
		return tool.Errorf("the search matched too much text to hold; narrow it with path, glob or type, or use output_mode \"files_with_matches\""), nil
	}
	lineNumbers := in.LineNumbers == nil || *in.LineNumbers
	headLimit := 0
	if in.HeadLimit != nil {
		headLimit = *in.HeadLimit
	}
	return tool.Result{Text: render(q, c.results(), lineNumbers, headLimit)}, nil
}

func (g *grepTool) search(ctx context.Context, env *tool.Env, q *query) (*collector, error) {
	if rg := g.ripgrep(); rg != "" {
		c, err := searchRg(ctx, rg, env.Environ, q)
		if !errors.Is(err, errRgUnusable) {
			return c, err
		}
		// rg vanished or cannot run: the Go back end gives the same answer.
	}
	return searchGo(ctx, q, &g.workers)
}

// parseInput decodes and checks the call, resolving path against the working directory.
func parseInput(env *tool.Env, raw json.RawMessage) (*query, *input, error) {
	var in input
	if err := fsutil.DecodeInput("Grep", raw, &in); err != nil {
		return nil, nil, err
	}
	if in.Pattern == "" {
		return nil, nil, errors.New("pattern is required")
	}
	q := &query{pattern: in.Pattern, fileType: in.Type, ignoreCase: in.IgnoreCase, multiline: in.Multiline,
		visible: env.Visibility()}
	switch in.OutputMode {
	case "", modeFiles:
		q.mode = modeFiles
	case modeContent, modeCount:
		q.mode = in.OutputMode
	default:
		return nil, nil, fmt.Errorf("output_mode must be %q, %q or %q, not %q", modeContent, modeFiles, modeCount, in.OutputMode)
	}
	for name, v := range map[string]*int{"-A": in.After, "-B": in.Before, "-C": in.Context, "head_limit": in.HeadLimit} {
		if v != nil && *v < 0 {
			return nil, nil, fmt.Errorf("%s must not be negative", name)
		}
	}
	q.before, q.after = contextSizes(&in)
	q.globs = strings.Fields(in.Glob)
	root, isFile, err := resolvePath(env, in.Path)
	if err != nil {
		return nil, nil, err
	}
	q.root, q.rootIsFile = root, isFile
	return q, &in, nil
}

// contextSizes applies -C to whichever of -B and -A is not given, as rg does.
func contextSizes(in *input) (before, after int) {
	if in.Context != nil {
		before, after = *in.Context, *in.Context
	}
	if in.Before != nil {
		before = *in.Before
	}
	if in.After != nil {
		after = *in.After
	}
	return before, after
}

func resolvePath(env *tool.Env, p string) (string, bool, error) {
	root, st, err := fsutil.SearchRoot(env, p)
	if err != nil {
		return "", false, err
	}
	return root, !st.IsDir(), nil
}
