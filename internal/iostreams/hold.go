package iostreams

import "os"

// HoldTypeahead keeps keys typed while strata starts exactly as typed, until release is
// called: in the terminal's ordinary (cooked) mode the kernel turns Enter's carriage return
// into a line feed, which the UI, once it reads the keys in raw mode, takes for Ctrl+J — a
// newline in the prompt instead of sending it. It also stops the kernel echoing them over
// what strata prints. Line editing and Ctrl+C keep working. release restores the terminal as
// it was; call it after the UI has ended (the UI restores the state it found). Without a
// terminal, or where the terminal modes are not known, it does nothing.
func (s *IOStreams) HoldTypeahead() (release func()) {
	if s.holdTypeahead != nil {
		return s.holdTypeahead()
	}
	return func() {}
}

// systemHold holds stdin's typeahead when it is a terminal.
func systemHold() func() {
	if !isTerminal(os.Stdin) {
		return func() {}
	}
	return holdKeys(int(os.Stdin.Fd()))
}
