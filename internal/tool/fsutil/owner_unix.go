//go:build unix

package fsutil

import (
	"io/fs"
	"os"
	"syscall"
)

// linkCount is the number of hard links to the file (1 when unknown).
func linkCount(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// copyOwner gives the replacement file the original's owner and group. It only succeeds
// for root or when nothing changes, so failure is ignored: the content still matters more.
func copyOwner(f *os.File, old fs.FileInfo) {
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}
