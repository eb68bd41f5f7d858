// Package lazyre compiles a package's regular expressions on first use instead of at
// start-up. Every package's variables are initialised before main runs, for every command
// strata runs, `--version` included; a pattern compiled there costs each start its
// compilation (a bounded repetition like {1,128} alone takes a millisecond) though most runs
// never use it.
//
// A pattern made here is still a constant in all but name, as the architecture's rule on
// package-level state asks: the expression is fixed, only the moment of its compilation is
// not.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function yielding expr compiled, compiling it on the first call. An invalid
// expr panics on that call, as regexp.MustCompile would have at start-up; each pattern's
// package tests it.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
