// Command bedrocksim runs the local Amazon Bedrock emulator of package bedrocksim. It only
// wires the process (arguments, standard streams, signals) to bedrocksim.RunCommand; see
// docs/bedrocksim.md or `bedrocksim --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := bedrocksim.RunCommand(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
