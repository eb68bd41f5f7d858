// Package tool defines what a built-in tool is (name, description, input schema, Run) and the
// session state tools share: the working directory that Bash moves, the record of which files
// were read (so Write and Edit can refuse stale or unread files), and the environment given to
// subprocesses. Each tool lives in its own package under this one; none of them talks to the
// model directly — WebFetch and Task reach it through the interfaces in Env.
package tool

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/strata-agent/strata/internal/permission"
)

// Tool is one capability the model may call. Implementations are stateless values; anything
// that must persist between calls lives in Env.
type Tool interface {
	// Name is the wire name the model and permission rules use ("Read", "Bash", …).
	Name() string
	// Description is the text sent to the model, written in strata's own words.
	Description() string
	// InputSchema is the JSON Schema of the input object.
	InputSchema() json.RawMessage
	// ConcurrencySafe reports whether calls may run at the same time as the other
	// concurrency-safe calls of the same turn (they neither change nor depend on what the
	// others change).
	ConcurrencySafe() bool
	// Class is what the tool can do, for the permission decision: whether it is allowed
	// without asking, in plan mode, or in acceptEdits mode.
	Class() permission.Class
	// Run executes one call. A problem the model can act on (file not found, old_string not
	// unique) is a Result with IsError set; a Go error means the environment itself broke and
	// ends the turn.
	Run(ctx context.Context, env *Env, input json.RawMessage) (Result, error)
}

// Result is what a call returns to the model.
type Result struct {
	// Text is the tool_result text the model reads.
	Text string
	// Images are attached after Text (the Read tool on a picture).
	Images []Image
	// IsError marks a failure the model should see and may recover from.
	IsError bool
	// Display is an optional richer rendering for people (a unified diff for Edit/Write); it is
	// never sent to the model. Empty means "show Text".
	Display string
	// Structured, when set, is the turn's structured answer (StructuredOutput): the turn
	// ends after this call and the result carries it.
	Structured json.RawMessage
}

// Image is a picture returned by a tool, sent as an image content block.
type Image struct {
	MediaType string // "image/png", "image/jpeg", "image/gif" or "image/webp"
	Data      []byte
}

// Errorf builds a Result the model sees as a failed call.
func Errorf(format string, args ...any) Result {
	return Result{Text: fmt.Sprintf(format, args...), IsError: true}
}
