//go:build unix

package grep

import "syscall"

// readFile reads the file at path into buf, reusing its memory; the buffer it returns is
// the one to reuse next, even with an error. It goes to the system calls
// directly because os.Open also registers every file with the runtime's poller and switches
// it to non-blocking mode, three more system calls per file that a read to the end never
// needs — a search opens thousands of files, and those calls were a third of its time.
func readFile(path string, buf []byte) ([]byte, error) {
	var fd int
	err := retryEINTR(func() (e error) {
		fd, e = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return e
	})
	if err != nil {
		return buf[:0], err
	}
	defer syscall.Close(fd)
	buf = buf[:0]
	for {
		buf = roomToRead(buf)
		var n int
		err := retryEINTR(func() (e error) {
			n, e = syscall.Read(fd, buf[len(buf):min(cap(buf), len(buf)+maxRead)])
			return e
		})
		if err != nil {
			return buf[:0], err
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

// maxRead is the most one read asks for: macOS and FreeBSD refuse reads of 2 GiB or more
// with EINVAL (the os package caps its reads the same way).
const maxRead = 1 << 30

// retryEINTR runs call again while a signal interrupts it, as the os package does.
func retryEINTR(call func() error) error {
	for {
		if err := call(); err != syscall.EINTR {
			return err
		}
	}
}
