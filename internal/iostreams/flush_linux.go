package iostreams

import "golang.org/x/sys/unix"

// flushInput discards the terminal's unread input (tcflush(fd, TCIFLUSH)).
func flushInput(fd int) { _ = unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH) }

// The ioctls that read and set the terminal's modes.
const getTermios, setTermios = unix.TCGETS, unix.TCSETS
