package proc

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// sysProcAttr puts the command in a process group of its own and has Linux kill it if strata
// dies first: the terminal's Ctrl-C does not reach another process group, so an interrupted
// command would otherwise be orphaned. Pdeathsig fires when the thread that started the
// child exits; Go keeps its threads for the life of the process unless a goroutine exits
// while locked to one, which proc never does.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// groupHasLiving reports whether a process of group pgid is still running, reading /proc.
// Zombies do not count: killed children whose new parent (often PID 1 in a container) has
// not reaped them yet would otherwise make every kill wait out the full grace period.
// ok is false when /proc cannot be read.
func groupHasLiving(pgid int) (alive, ok bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return false, false
	}
	want := strconv.Itoa(pgid)
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // it just exited
		}
		s := string(data)
		// Fields after the command name, which is in parentheses and may hold spaces:
		// state, ppid, pgrp, …
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) >= 3 && f[2] == want && f[0] != "Z" && f[0] != "X" {
			return true, true
		}
	}
	return false, true
}
