//go:build unix

package proctest

import "syscall"

// alive sends signal 0: it fails once the process is gone (or was never ours to see).
func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }
