package mcp

import (
	"context"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Prompt answers /mcp__<server>__<prompt> ARGS: it finds the server's prompt, fills its
// arguments in order with the words of args (the last one takes the rest), and returns the
// prompt's messages as one text to send as the user's turn.
func (m *Manager) Prompt(ctx context.Context, command, args string) (string, error) {
	var server string
	for _, st := range m.Statuses() {
		if strings.HasPrefix(command, ToolName(st.Name, "")) {
			server = st.Name
		}
	}
	if server == "" {
		return "", fmt.Errorf("no MCP server for /%s", command)
	}
	cs, err := m.session(ctx, server)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, m.opts.ConnectTimeout)
	defer cancel()
	want := strings.TrimPrefix(command, ToolName(server, ""))
	for p, err := range cs.Prompts(ctx, nil) {
		if err != nil {
			return "", fmt.Errorf("MCP server %q: listing prompts: %v", server, err)
		}
		if ToolName(server, p.Name) == command || p.Name == want {
			return m.getPrompt(ctx, cs, server, p, args)
		}
	}
	return "", fmt.Errorf("MCP server %q has no prompt %q", server, want)
}

func (m *Manager) getPrompt(ctx context.Context, cs *sdk.ClientSession, server string, p *sdk.Prompt, args string) (string, error) {
	words := strings.Fields(args)
	values := map[string]string{}
	for i, a := range p.Arguments {
		switch {
		case i >= len(words):
			if a.Required {
				return "", fmt.Errorf("/%s needs the argument %q", ToolName(server, p.Name), a.Name)
			}
		case i == len(p.Arguments)-1:
			values[a.Name] = strings.Join(words[i:], " ")
		default:
			values[a.Name] = words[i]
		}
	}
	res, err := cs.GetPrompt(ctx, &sdk.GetPromptParams{Name: p.Name, Arguments: values})
	if err != nil {
		return "", fmt.Errorf("MCP server %q: prompt %q: %v", server, p.Name, err)
	}
	var text []string
	for _, msg := range res.Messages {
		if msg == nil {
			continue
		}
		r := convert([]sdk.Content{msg.Content}, nil)
		if r.Text != "" {
			text = append(text, r.Text)
		}
	}
	if len(text) == 0 {
		return "", fmt.Errorf("MCP server %q: prompt %q has no text", server, p.Name)
	}
	return strings.Join(text, "\n\n"), nil
}
