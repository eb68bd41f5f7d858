//go:build !unix

package grep

import (
	"io"
	"os"
)

// readFile reads the file at path into buf, reusing its memory; the buffer it returns is
// the one to reuse next, even with an error.
func readFile(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf[:0], err
	}
	defer f.Close()
	buf = buf[:0]
	for {
		buf = roomToRead(buf)
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf[:0], err
		}
	}
}
