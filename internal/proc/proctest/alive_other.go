//go:build !unix

package proctest

import "os"

// alive asks for a handle on the process; Windows refuses one for a process that has exited
// and been released.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
