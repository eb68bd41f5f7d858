package mcp

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// The test binary doubles as a stdio MCP server: TestMain runs it as one when
// STRATA_MCP_TEST_SERVER is set, so the stdio tests start a real child process speaking the
// protocol through the go-sdk.
func TestMain(m *testing.M) {
	if mode := os.Getenv("STRATA_MCP_TEST_SERVER"); mode != "" {
		if gate := os.Getenv("STRATA_MCP_TEST_GATE"); gate != "" {
			waitForFile(gate) // a server slow to start: it answers nothing until the test says so
		}
		if err := testServer(mode).Run(context.Background(), &sdk.StdioTransport{}); err != nil {
			fmt.Fprintln(os.Stderr, "test server:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func waitForFile(p string) {
	for {
		if _, err := os.Stat(p); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type echoIn struct {
	Text string `json:"text" jsonschema:"what to say back"`
}

// testServer has tools for every outcome: an answer, an error result, a crash mid-call, a
// call that never ends, a picture, and a resource.
func testServer(mode string) *sdk.Server {
	s := sdk.NewServer(&sdk.Implementation{Name: "strata-test-" + mode, Version: "1"}, nil)
	sdk.AddTool(s, &sdk.Tool{Name: "echo", Description: "says the text back", Annotations: &sdk.ToolAnnotations{ReadOnlyHint: true}},
		func(_ context.Context, _ *sdk.CallToolRequest, in echoIn) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "echo: " + in.Text}}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "fail", Description: "always fails"},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{IsError: true, Content: []sdk.Content{&sdk.TextContent{Text: "the disk is on fire"}}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "crash", Description: "the server dies during the call"},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			os.Exit(7)
			return nil, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "hang", Description: "never answers"},
		func(ctx context.Context, _ *sdk.CallToolRequest, _ struct{}) (*sdk.CallToolResult, any, error) {
			<-ctx.Done()
			select {} // not even after the client gives up
		})
	sdk.AddTool(s, &sdk.Tool{Name: "picture", Description: "returns a PNG and a big text"},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			big := make([]byte, 300)
			for i := range big {
				big[i] = 'x'
			}
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.ImageContent{MIMEType: "image/png", Data: []byte("\x89PNG")},
				&sdk.TextContent{Text: string(big)}}}, nil, nil
		})
	s.AddPrompt(&sdk.Prompt{Name: "review", Description: "asks for a review", Arguments: []*sdk.PromptArgument{{Name: "what", Required: true}}},
		func(_ context.Context, req *sdk.GetPromptRequest) (*sdk.GetPromptResult, error) {
			return &sdk.GetPromptResult{Messages: []*sdk.PromptMessage{{Role: "user",
				Content: &sdk.TextContent{Text: "Please review " + req.Params.Arguments["what"]}}}}, nil
		})
	s.AddResource(&sdk.Resource{URI: "test://notes", Name: "notes", MIMEType: "text/plain"},
		func(context.Context, *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
			return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: "test://notes", MIMEType: "text/plain", Text: "remember the milk"}}}, nil
		})
	return s
}

// httpServer serves testServer over streamable HTTP on 127.0.0.1 and refuses requests
// without the bearer token; it stops with the test.
func httpServer(t *testing.T, token string) (url string, srv *sdk.Server) {
	t.Helper()
	srv = testServer("http")
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv }, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})}}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts.URL + "/mcp", srv
}
