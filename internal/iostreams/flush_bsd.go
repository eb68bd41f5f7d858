//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package iostreams

import "golang.org/x/sys/unix"

// fread is FREAD from <sys/fcntl.h>: TIOCFLUSH with it flushes the input queue only.
const fread = 1

// flushInput discards the terminal's unread input (tcflush(fd, TCIFLUSH)).
func flushInput(fd int) { _ = unix.IoctlSetPointerInt(fd, unix.TIOCFLUSH, fread) }

// The ioctls that read and set the terminal's modes.
const getTermios, setTermios = unix.TIOCGETA, unix.TIOCSETA
