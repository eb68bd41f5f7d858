package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/strata-agent/strata/internal/mcp"
)

// addSDKServers registers the SDK's in-process MCP servers (initialize.sdkMcpServers): each
// is reached through mcp_message control requests, and its tools join the configured ones.
// They start connecting at once; the first turn waits for them (waitMCP).
func (h *sdkHost) addSDKServers(names []string) error {
	for _, name := range names {
		if err := h.st.mcp.AddServer(name, mcp.ScopeSDK, h.relay.Dialer(name)); err != nil {
			return err
		}
	}
	if len(names) > 0 {
		h.st.mcp.Start()
	}
	return nil
}

// waitMCP lets the servers still connecting finish before a turn's system/init, as the
// reference lists its servers connected (each attempt is bounded by MCP_TIMEOUT).
func (h *sdkHost) waitMCP(ctx context.Context) {
	_ = h.st.mcp.Wait(ctx)
}

// sdkMCP answers the MCP control requests of the SDK.
func (h *sdkHost) sdkMCP(subtype string, raw json.RawMessage) (any, error) {
	m := h.st.mcp
	switch subtype {
	case "mcp_status":
		return map[string]any{"mcpServers": mcpStatus(m.Statuses())}, nil
	case "mcp_message": // a message the SDK's own server starts
		var req struct {
			Server  string          `json:"server_name"`
			Message json.RawMessage `json:"message"`
		}
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, fmt.Errorf("mcp_message: %v", err)
		}
		return nil, h.relay.Deliver(req.Server, req.Message)
	case "mcp_reconnect":
		var req struct {
			Server string `json:"serverName"`
		}
		_ = json.Unmarshal(raw, &req)
		return nil, m.Reconnect(req.Server)
	}
	return nil, fmt.Errorf("%s: strata does not change its MCP servers while it runs; configure them with --mcp-config or in the SDK's mcpServers", subtype)
}

// sdkState is a server's state in the reference's words (McpServerStatus.status).
func sdkState(s mcp.State) string {
	switch s {
	case mcp.StateConnecting, mcp.StatePending:
		return "pending"
	case mcp.StateDisabled, mcp.StateBlocked:
		return "disabled"
	}
	return string(s)
}

// mcpStatus is mcp_status's list in the SDK's McpServerStatus shape. Configurations show
// what connects where, never env or header values.
func mcpStatus(list []mcp.Status) []map[string]any {
	out := []map[string]any{}
	for _, s := range list {
		e := map[string]any{"name": s.Name, "status": sdkState(s.State), "scope": string(s.Scope)}
		if s.State == mcp.StateFailed || s.State == mcp.StateBlocked {
			e["error"] = s.Reason
		}
		if s.Scope == mcp.ScopeSDK {
			e["config"] = map[string]any{"type": "sdk", "name": s.Name}
		} else if c := s.Config; c.URL != "" {
			e["config"] = map[string]any{"type": c.Type, "url": c.URL}
		} else {
			e["config"] = map[string]any{"type": "stdio", "command": c.Command, "args": append([]string{}, c.Args...)}
		}
		if s.Server.Name != "" {
			e["serverInfo"] = map[string]any{"name": s.Server.Name, "version": s.Server.Version}
		}
		if s.State == mcp.StateConnected {
			tools := []map[string]any{}
			for _, t := range s.ToolList {
				tools = append(tools, toolStatus(t))
			}
			e["tools"] = tools
		}
		out = append(out, e)
	}
	return out
}

func toolStatus(t mcp.ToolInfo) map[string]any {
	e := map[string]any{"name": t.Name}
	if t.Description != "" {
		e["description"] = t.Description
	}
	ann := map[string]any{}
	for k, v := range map[string]*bool{"readOnly": t.ReadOnly, "destructive": t.Destructive, "openWorld": t.OpenWorld} {
		if v != nil {
			ann[k] = *v
		}
	}
	if len(ann) > 0 {
		e["annotations"] = ann
	}
	return e
}
