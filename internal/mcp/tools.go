package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// Names of the resource tools, as the reference calls them.
const (
	ListResourcesName = "ListMcpResourcesTool"
	ReadResourceName  = "ReadMcpResourceTool"
)

// ToolName is the name the model calls a server's tool by: mcp__<server>__<tool>, with
// characters a tool name may not hold replaced by _.
func ToolName(server, name string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
				return r
			}
			return '_'
		}, s)
	}
	return "mcp__" + clean(server) + "__" + clean(name)
}

// Tools returns the tools of every connected server, server by server in configuration
// order, then the resource tools when a connected server offers resources. The list grows
// as servers connect and shrinks when one fails.
func (m *Manager) Tools() []tool.Tool {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []tool.Tool
	resources := false
	for _, name := range m.order {
		sv := m.servers[name]
		if sv.session == nil {
			continue
		}
		for _, t := range sv.tools {
			out = append(out, &mcpTool{m: m, server: name, def: t})
		}
		resources = resources || sv.resources
	}
	if resources {
		out = append(out, listResources{m}, readResource{m})
	}
	return out
}

// Tool finds a tool by its name, also for a server that is not connected now, so that a
// call to a tool of a server that died gets an answer saying so.
func (m *Manager) Tool(name string) (tool.Tool, bool) {
	for _, t := range m.Tools() {
		if t.Name() == name {
			return t, true
		}
	}
	if name == ListResourcesName || name == ReadResourceName {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, sname := range m.order {
		if prefix := ToolName(sname, ""); strings.HasPrefix(name, prefix) && m.servers[sname].session == nil {
			return &mcpTool{m: m, server: sname, def: &sdk.Tool{Name: strings.TrimPrefix(name, prefix)}}, true
		}
	}
	return nil, false
}

// mcpTool is one server tool offered to the model.
type mcpTool struct {
	m      *Manager
	server string
	def    *sdk.Tool
}

func (t *mcpTool) Name() string { return ToolName(t.server, t.def.Name) }

func (t *mcpTool) Description() string {
	d := t.def.Description
	if d == "" {
		d = t.def.Title
	}
	const max = 2048 // a server's own words; long ones are cut, not the prompt's budget
	if len(d) > max {
		d = d[:max] + "…"
	}
	return d
}

func (t *mcpTool) InputSchema() json.RawMessage {
	b, err := json.Marshal(t.def.InputSchema)
	if err != nil || t.def.InputSchema == nil || string(b) == "null" {
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	return b
}

// ConcurrencySafe trusts the server's readOnlyHint: a tool that only reads may run beside
// the turn's other reads.
func (t *mcpTool) ConcurrencySafe() bool {
	return t.def.Annotations != nil && t.def.Annotations.ReadOnlyHint
}

// Class is execute: strata cannot know what a server's tool does, so it asks unless a rule
// (mcp__server or mcp__server__tool) allows it.
func (t *mcpTool) Class() permission.Class { return permission.ClassExecute }

func (t *mcpTool) Run(ctx context.Context, _ *tool.Env, input json.RawMessage) (tool.Result, error) {
	cs, err := t.m.session(ctx, t.server)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	if t.m.opts.ToolTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.m.opts.ToolTimeout)
		defer cancel()
	}
	if len(input) == 0 {
		input = json.RawMessage(`{}`)
	}
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: t.def.Name, Arguments: input})
	if err != nil {
		return t.callError(ctx, cs, err)
	}
	out := convert(res.Content, res.StructuredContent)
	out.IsError = res.IsError
	t.m.cap(&out)
	return out, nil
}

// callError turns a failed call into an answer the model can read: a timeout, a server that
// died, or the server's own error. The session goes on either way.
func (t *mcpTool) callError(ctx context.Context, cs *sdk.ClientSession, err error) (tool.Result, error) {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return tool.Errorf("MCP server %q did not answer the %s call within %v (MCP_TOOL_TIMEOUT)", t.server, t.def.Name, t.m.opts.ToolTimeout), nil
	case ctx.Err() != nil:
		return tool.Result{}, ctx.Err()
	case errors.Is(err, sdk.ErrConnectionClosed) || errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "server process ended"):
		why := "the server stopped during the call: " + err.Error()
		t.m.markDead(t.server, cs, why)
		return tool.Errorf("MCP server %q: %s", t.server, why), nil
	}
	return tool.Errorf("MCP server %q refused the %s call: %v", t.server, t.def.Name, err), nil
}

// imageTypes are the pictures the model accepts as image blocks.
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// convert maps MCP content to a tool result: text as text, pictures as image blocks, embedded
// resources by their text, anything else described in a line.
func convert(content []sdk.Content, structured any) tool.Result {
	var text []string
	var res tool.Result
	for _, c := range content {
		switch c := c.(type) {
		case *sdk.TextContent:
			text = append(text, c.Text)
		case *sdk.ImageContent:
			if imageTypes[c.MIMEType] {
				res.Images = append(res.Images, tool.Image{MediaType: c.MIMEType, Data: c.Data})
			} else {
				text = append(text, fmt.Sprintf("[an image of type %s, which cannot be shown]", c.MIMEType))
			}
		case *sdk.AudioContent:
			text = append(text, fmt.Sprintf("[audio of type %s, %d bytes, not shown]", c.MIMEType, len(c.Data)))
		case *sdk.ResourceLink:
			text = append(text, fmt.Sprintf("[resource %s: %s]", c.URI, firstNonEmpty(c.Title, c.Name)))
		case *sdk.EmbeddedResource:
			if c.Resource != nil {
				res.Images = append(res.Images, resourceText(c.Resource, &text)...)
			}
		}
	}
	if len(text) == 0 && len(res.Images) == 0 && structured != nil {
		if b, err := json.Marshal(structured); err == nil {
			text = append(text, string(b))
		}
	}
	res.Text = strings.Join(text, "\n")
	return res
}

// resourceText adds a resource's contents to text and returns it as pictures when it is one.
func resourceText(r *sdk.ResourceContents, text *[]string) []tool.Image {
	switch {
	case r.Text != "" || r.Blob == nil:
		*text = append(*text, fmt.Sprintf("[resource %s]\n%s", r.URI, r.Text))
	case imageTypes[r.MIMEType]:
		return []tool.Image{{MediaType: r.MIMEType, Data: r.Blob}}
	default:
		*text = append(*text, fmt.Sprintf("[resource %s: %d bytes of %s, not shown]", r.URI, len(r.Blob), firstNonEmpty(r.MIMEType, "binary data")))
	}
	return nil
}

// cap cuts a result longer than MAX_MCP_OUTPUT_TOKENS (estimated at four bytes a token),
// with a note saying so.
func (m *Manager) cap(r *tool.Result) {
	limit := m.opts.MaxOutputTokens * 4
	if len(r.Text) <= limit {
		return
	}
	cut := limit
	for cut > 0 && cut < len(r.Text) && r.Text[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	r.Text = r.Text[:cut] + fmt.Sprintf("\n\n[output cut: the tool returned about %d tokens, over the limit of %d (MAX_MCP_OUTPUT_TOKENS). "+
		"Ask for less, e.g. with a narrower query or paging, if the tool offers it.]", len(r.Text)/4, m.opts.MaxOutputTokens)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
