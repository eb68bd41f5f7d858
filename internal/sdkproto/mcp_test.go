package sdkproto

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

type addIn struct {
	A int `json:"a"`
	B int `json:"b"`
}

// fakeSDK plays the Agent SDK's side of mcp_message, as sdk.mjs does: a call goes to the
// in-process server and its response comes back in the control_response; a notification is
// answered with an empty result. Requests for a server it does not host get an error answer.
func fakeSDK(t *testing.T, out *lines, stdin io.Writer, server sdk.Connection, seen chan<- string) {
	ctx := context.Background()
	for line := range out.got {
		if line["type"] != "control_request" {
			continue
		}
		req := line["request"].(map[string]any)
		id := line["request_id"]
		name, _ := req["server_name"].(string)
		seen <- name
		raw, _ := json.Marshal(req["message"])
		answer := map[string]any{"subtype": "success", "request_id": id}
		msg, err := jsonrpc.DecodeMessage(raw)
		switch {
		case err != nil:
			t.Errorf("mcp_message carries no JSON-RPC: %v", err)
			return
		case name != "calc":
			answer = map[string]any{"subtype": "error", "request_id": id, "error": "SDK MCP server not found: " + name}
		default:
			if err := server.Write(ctx, msg); err != nil {
				t.Error(err)
				return
			}
			answer["response"] = map[string]any{"mcp_response": map[string]any{"jsonrpc": "2.0", "result": map[string]any{}, "id": 0}}
			if call, ok := msg.(*jsonrpc.Request); ok && call.IsCall() {
				resp, err := server.Read(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := jsonrpc.EncodeMessage(resp)
				answer["response"] = map[string]any{"mcp_response": json.RawMessage(body)}
			}
		}
		line, _ := json.Marshal(map[string]any{"type": "control_response", "response": answer})
		if _, err := stdin.Write(append(line, '\n')); err != nil {
			return
		}
	}
}

func TestMCPRelayReachesAnInProcessServer(t *testing.T) {
	ctx := context.Background()
	srv := sdk.NewServer(&sdk.Implementation{Name: "calc", Version: "1.2.3"}, nil)
	sdk.AddTool(srv, &sdk.Tool{Name: "add", Description: "adds"},
		func(_ context.Context, _ *sdk.CallToolRequest, in addIn) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "sum=" + string(rune('0'+in.A+in.B))}}}, nil, nil
		})
	st, ct := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	sdkSide, err := ct.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}

	stdinR, stdinW := io.Pipe()
	out := newLines()
	c := New(out, func(context.Context, string, json.RawMessage) (any, error) { return nil, errors.New("unexpected") })
	go func() { _ = c.Serve(ctx, stdinR) }()
	defer stdinW.Close()
	seen := make(chan string, 64)
	go fakeSDK(t, out, stdinW, sdkSide, seen)

	relay := NewMCPRelay(c)
	tr, _, _ := relay.Dialer("calc")(ctx)
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "strata"}, nil).Connect(ctx, tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if info := cs.InitializeResult().ServerInfo; info.Name != "calc" || info.Version != "1.2.3" {
		t.Fatalf("server info %+v", info)
	}
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "add", Arguments: map[string]any{"a": 2, "b": 3}})
	if err != nil {
		t.Fatal(err)
	}
	if text := res.Content[0].(*sdk.TextContent).Text; text != "sum=5" {
		t.Fatalf("tool result %q", text)
	}
	if name := <-seen; name != "calc" {
		t.Fatalf("mcp_message server_name %q", name)
	}

	// A server the SDK does not host: its error answer fails the handshake instead of hanging.
	tr, _, _ = relay.Dialer("nosuch")(ctx)
	_, err = sdk.NewClient(&sdk.Implementation{Name: "strata"}, nil).Connect(ctx, tr, nil)
	if err == nil || !strings.Contains(err.Error(), "SDK MCP server not found: nosuch") {
		t.Fatalf("connecting to a missing server: %v", err)
	}
}

func TestMCPRelayDeliverNeedsAConnection(t *testing.T) {
	relay := NewMCPRelay(New(newLines(), nil))
	err := relay.Deliver("calc", json.RawMessage(`{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}`))
	if err == nil || !strings.Contains(err.Error(), "not connected") {
		t.Fatalf("Deliver to no connection: %v", err)
	}
}
