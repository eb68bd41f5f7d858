package mcp

import (
	"context"
	"encoding/json"
	"io"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/strata-agent/strata/internal/tool"
)

// Gate decides whether a call may run when strata serves its tools (`strata mcp serve`):
// the session's permission rules, with nobody to ask. It returns why not when it refuses.
type Gate func(ctx context.Context, t tool.Tool, input json.RawMessage) (ok bool, reason string)

// ServeOptions are what Serve needs besides the tools.
type ServeOptions struct {
	Env     *tool.Env           // the tools' shared state (working directory, read stamps, environment)
	Gate    Gate                // nil allows nothing
	Redact  func(string) string // masks secrets in results; nil leaves them
	Version string
}

// Serve offers tools as an MCP server over t until the client goes away or ctx ends. Every
// call passes the Gate first, and its result is masked before it leaves.
func Serve(ctx context.Context, t sdk.Transport, tools []tool.Tool, o ServeOptions) error {
	s := sdk.NewServer(&sdk.Implementation{Name: "strata", Version: o.Version}, nil)
	for _, tl := range tools {
		s.AddTool(&sdk.Tool{Name: tl.Name(), Description: tl.Description(), InputSchema: tl.InputSchema()},
			func(ctx context.Context, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
				return serveCall(ctx, tl, req.Params.Arguments, o), nil
			})
	}
	return s.Run(ctx, t)
}

func serveCall(ctx context.Context, tl tool.Tool, input json.RawMessage, o ServeOptions) *sdk.CallToolResult {
	failed := func(text string) *sdk.CallToolResult {
		return &sdk.CallToolResult{IsError: true, Content: []sdk.Content{&sdk.TextContent{Text: text}}}
	}
	if o.Gate == nil {
		return failed("strata allows no tool calls here")
	}
	if ok, reason := o.Gate(ctx, tl, orEmpty(input)); !ok {
		return failed("permission denied: " + reason)
	}
	res, err := tl.Run(ctx, o.Env, orEmpty(input))
	if err != nil {
		res = tool.Result{Text: "the " + tl.Name() + " tool failed: " + err.Error(), IsError: true}
	}
	if o.Redact != nil {
		res.Text = o.Redact(res.Text)
	}
	out := &sdk.CallToolResult{IsError: res.IsError, Content: []sdk.Content{&sdk.TextContent{Text: res.Text}}}
	for _, img := range res.Images {
		out.Content = append(out.Content, &sdk.ImageContent{MIMEType: img.MediaType, Data: img.Data})
	}
	return out
}

// IOTransport is a transport over a reader and a writer that Serve does not close (strata's
// own stdin and stdout for `strata mcp serve`).
func IOTransport(r io.Reader, w io.Writer) sdk.Transport {
	return &sdk.IOTransport{Reader: io.NopCloser(r), Writer: nopWriteCloser{w}}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
