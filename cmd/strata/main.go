// Command strata is a terminal coding agent for Claude on Amazon Bedrock.
package main

import (
	"os"

	"github.com/strata-agent/strata/internal/cli"
)

func main() { os.Exit(cli.Main()) }
