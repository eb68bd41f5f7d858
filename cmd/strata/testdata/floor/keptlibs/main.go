// Command keptlibs is a start-up yardstick for BenchmarkStartupVersion: it links the libraries
// strata keeps by policy (the AWS SDK's configuration and Bedrock clients, the MCP go-sdk,
// mvdan/sh, doublestar, go-udiff, Charm's UI packages, cobra) and does nothing else. Their
// package initialisation runs before any main, so this is the least a strata start can cost.
package main

import (
	"fmt"

	_ "charm.land/bubbles/v2/textarea"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/lipgloss/v2"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/service/bedrock"
	_ "github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	_ "github.com/aymanbagabas/go-udiff"
	_ "github.com/bmatcuk/doublestar/v4"
	_ "github.com/modelcontextprotocol/go-sdk/mcp"
	_ "github.com/spf13/cobra"
	_ "mvdan.cc/sh/v3/interp"
	_ "mvdan.cc/sh/v3/syntax"
)

func main() { fmt.Println("hello") }
