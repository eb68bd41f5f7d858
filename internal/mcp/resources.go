package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
)

// listResources lists the resources of one connected server, or of all.
type listResources struct{ m *Manager }

func (listResources) Name() string { return ListResourcesName }
func (listResources) Description() string {
	return "Lists the resources (files, records, documents) that connected MCP servers offer, with their URIs. " +
		"Give server to list one server's resources only. Read one with " + ReadResourceName + "."
}
func (listResources) InputSchema() json.RawMessage {
	return json.RawMessage(`{"type":"object","properties":{"server":{"type":"string","description":"only this server's resources"}},"additionalProperties":false}`)
}
func (listResources) ConcurrencySafe() bool   { return true }
func (listResources) Class() permission.Class { return permission.ClassRead }

func (l listResources) Run(ctx context.Context, _ *tool.Env, input json.RawMessage) (tool.Result, error) {
	var in struct {
		Server string `json:"server"`
	}
	if err := json.Unmarshal(orEmpty(input), &in); err != nil {
		return tool.Errorf("bad input: %v", err), nil
	}
	type entry struct {
		Server      string `json:"server"`
		URI         string `json:"uri"`
		Name        string `json:"name,omitempty"`
		MIMEType    string `json:"mimeType,omitempty"`
		Description string `json:"description,omitempty"`
	}
	out := []entry{}
	var problems []string
	for _, st := range l.m.Statuses() {
		if in.Server != "" && st.Name != in.Server || st.State != StateConnected {
			continue
		}
		cs, err := l.m.session(ctx, st.Name)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if caps := cs.InitializeResult().Capabilities; caps == nil || caps.Resources == nil {
			continue
		}
		for r, err := range cs.Resources(ctx, nil) {
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", st.Name, err))
				break
			}
			out = append(out, entry{Server: st.Name, URI: r.URI, Name: r.Name, MIMEType: r.MIMEType, Description: r.Description})
		}
	}
	if in.Server != "" && len(out) == 0 && len(problems) == 0 {
		if _, err := l.m.session(ctx, in.Server); err != nil {
			return tool.Errorf("%v", err), nil
		}
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	text := string(b)
	if len(problems) > 0 {
		text += "\n\nSome servers could not list their resources: " + strings.Join(problems, "; ")
	}
	res := tool.Result{Text: text}
	l.m.cap(&res)
	return res, nil
}

// readResource reads one resource of one server.
type readResource struct{ m *Manager }

func (readResource) Name() string { return ReadResourceName }
func (readResource) Description() string {
	return "Reads one resource of a connected MCP server by its URI (as " + ListResourcesName + " lists them)."
}
func (readResource) InputSchema() json.RawMessage {
	return json.RawMessage(`{"type":"object","properties":{"server":{"type":"string","description":"the MCP server's name"},` +
		`"uri":{"type":"string","description":"the resource's URI"}},"required":["server","uri"],"additionalProperties":false}`)
}
func (readResource) ConcurrencySafe() bool   { return true }
func (readResource) Class() permission.Class { return permission.ClassRead }

func (r readResource) Run(ctx context.Context, _ *tool.Env, input json.RawMessage) (tool.Result, error) {
	var in struct {
		Server string `json:"server"`
		URI    string `json:"uri"`
	}
	if err := json.Unmarshal(orEmpty(input), &in); err != nil || in.Server == "" || in.URI == "" {
		return tool.Errorf("give server and uri"), nil
	}
	cs, err := r.m.session(ctx, in.Server)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	res, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: in.URI})
	if err != nil {
		return tool.Errorf("MCP server %q could not read %s: %v", in.Server, in.URI, err), nil
	}
	var text []string
	var out tool.Result
	for _, c := range res.Contents {
		if c != nil {
			out.Images = append(out.Images, resourceText(c, &text)...)
		}
	}
	out.Text = strings.Join(text, "\n")
	r.m.cap(&out)
	return out, nil
}

func orEmpty(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage(`{}`)
	}
	return b
}
