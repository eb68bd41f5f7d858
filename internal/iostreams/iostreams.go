// Package iostreams is the only place that looks at file descriptors: it knows whether stdin
// and stdout are terminals, whether colour is wanted, and gives tests buffers instead of a
// terminal. Everything else writes to the streams it is handed.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the three standard streams and what they are connected to.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	colorDisabled                  bool
	discardTypeahead               func() // drops input typed before a question; nil does nothing
	holdTypeahead                  func() func()
}

// System returns the process's streams. noColor is the NO_COLOR convention, read by the caller.
func System(noColor bool) *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:      isTerminal(os.Stdin),
		stdoutTTY:     isTerminal(os.Stdout),
		stderrTTY:     isTerminal(os.Stderr),
		colorDisabled: noColor,
		discardTypeahead: func() {
			if isTerminal(os.Stdin) {
				flushInput(int(os.Stdin.Fd()))
			}
		},
		holdTypeahead: systemHold,
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Test returns streams backed by buffers, none of them a terminal.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// SetTTY marks the streams as terminals (for tests of terminal-only behaviour).
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// IsStdinTTY reports whether stdin is a terminal (false when input is piped).
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt reports whether an interactive UI can run: both ends are terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stdoutTTY }

// ColorEnabled reports whether stderr diagnostics may use colour.
func (s *IOStreams) ColorEnabled() bool { return s.stderrTTY && !s.colorDisabled }

// DiscardTypeahead drops what was typed on the terminal but not read yet, so that a question
// asked now is answered by what the user types after seeing it, not by keys pressed before.
func (s *IOStreams) DiscardTypeahead() {
	if s.discardTypeahead != nil {
		s.discardTypeahead()
	}
}

// SetDiscardTypeahead replaces what DiscardTypeahead does (for tests that fake a terminal).
func (s *IOStreams) SetDiscardTypeahead(f func()) { s.discardTypeahead = f }
