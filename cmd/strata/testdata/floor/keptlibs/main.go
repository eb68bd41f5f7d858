// Command keptlibs is a start-up yardstick for BenchmarkStartupVersion: it links every
// third-party package strata's own packages import (the AWS SDK's configuration and Bedrock
// clients, the MCP go-sdk, mvdan/sh's parser, doublestar, go-udiff, Charm, chroma, yaml…) and
// does nothing else. Go runs each linked package's initialisation before main, so no strata
// start can be cheaper than this one. TestFloorLinksWhatStrataLinks keeps the list true.
package main

import (
	"fmt"

	_ "charm.land/bubbles/v2/key"
	_ "charm.land/bubbles/v2/textarea"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/lipgloss/v2"
	_ "github.com/alecthomas/chroma/v2"
	_ "github.com/aws/aws-sdk-go-v2/aws"
	_ "github.com/aws/aws-sdk-go-v2/aws/middleware"
	_ "github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	_ "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	_ "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/service/bedrock"
	_ "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	_ "github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	_ "github.com/aws/aws-sdk-go-v2/service/bedrockruntime/schemas"
	_ "github.com/aws/smithy-go"
	_ "github.com/aws/smithy-go/auth/bearer"
	_ "github.com/aws/smithy-go/middleware"
	_ "github.com/aws/smithy-go/transport/http"
	_ "github.com/aws/smithy-go/transport/http/protocol/restjson1"
	_ "github.com/aymanbagabas/go-udiff"
	_ "github.com/bmatcuk/doublestar/v4"
	_ "github.com/charmbracelet/x/ansi"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/google/jsonschema-go/jsonschema"
	_ "github.com/google/uuid"
	_ "github.com/modelcontextprotocol/go-sdk/jsonrpc"
	_ "github.com/modelcontextprotocol/go-sdk/mcp"
	_ "github.com/spf13/cobra"
	_ "github.com/spf13/pflag"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
	_ "golang.org/x/term"
	_ "mvdan.cc/sh/v3/syntax"
)

func main() { fmt.Println("hello") }
