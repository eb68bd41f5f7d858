package main

import (
	"context"
	"fmt"
	"os"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// mcpServerMain is the scripts' `mcpserver` command: a stdio MCP server built with the go-sdk,
// with an echo tool and a tool that crashes the server mid-call. With $MCP_GATE set it answers
// nothing until that file exists: a server slow to start.
func mcpServerMain() int {
	if gate := os.Getenv("MCP_GATE"); gate != "" {
		for {
			if _, err := os.Stat(gate); err == nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	s := sdk.NewServer(&sdk.Implementation{Name: "script-server", Version: "1"}, nil)
	type echoIn struct {
		Text string `json:"text"`
	}
	sdk.AddTool(s, &sdk.Tool{Name: "echo", Description: "says the text back"},
		func(_ context.Context, _ *sdk.CallToolRequest, in echoIn) (*sdk.CallToolResult, any, error) {
			secrets := "aws-secret-hidden" // stdio servers get the scrubbed environment (B15)
			if os.Getenv("AWS_SECRET_ACCESS_KEY") != "" || os.Getenv("AWS_ACCESS_KEY_ID") != "" {
				secrets = "aws-secret-visible"
			}
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "echo: " + in.Text + " " + os.Getenv("GREETING") + " " + secrets}}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "crash", Description: "the server dies during the call"},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			os.Exit(9)
			return nil, nil, nil
		})
	if err := s.Run(context.Background(), &sdk.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, "mcpserver:", err)
		return 1
	}
	return 0
}
