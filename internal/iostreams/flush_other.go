//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package iostreams

// flushInput does nothing here: questions still need an explicit answer.
func flushInput(int) {}
