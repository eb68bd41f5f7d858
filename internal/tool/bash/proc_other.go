//go:build !unix

package bash

import (
	"errors"
	"io"
	"time"
)

const killGrace = 2 * time.Second

// proc is not implemented off Unix: the tool needs process groups and bash.
type proc struct {
	exited chan struct{}
}

func startBash(string, string, []string, io.Writer, string, ...string) (*proc, error) {
	return nil, errors.New("the Bash tool needs a Unix system with bash")
}

func (p *proc) killGroup()                            {}
func (p *proc) finishOutput(time.Duration) bool       { return true }
func (p *proc) exitStatus() (code int, signal string) { return -1, "" }
