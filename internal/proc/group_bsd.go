//go:build unix && !linux

package proc

import "syscall"

// sysProcAttr puts the command in a process group of its own. These systems have no
// Pdeathsig: only Tracker.KillAll stops commands when strata exits.
func sysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// groupHasLiving cannot tell zombies from running processes without /proc; ok false makes
// the caller fall back to probing the group with signal 0.
func groupHasLiving(int) (alive, ok bool) { return false, false }
