//go:build unix && !linux

package bedrock

import "syscall"

// groupAttr puts a credential command in its own process group.
func groupAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
