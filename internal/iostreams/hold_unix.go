//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package iostreams

import "golang.org/x/sys/unix"

// holdKeys clears ICRNL (keep Enter a carriage return) and ECHO on the terminal fd and
// returns what puts them back.
func holdKeys(fd int) func() {
	was, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return func() {}
	}
	held := *was
	held.Iflag &^= unix.ICRNL
	held.Lflag &^= unix.ECHO | unix.ECHONL
	if unix.IoctlSetTermios(fd, setTermios, &held) != nil {
		return func() {}
	}
	return func() { _ = unix.IoctlSetTermios(fd, setTermios, was) }
}
