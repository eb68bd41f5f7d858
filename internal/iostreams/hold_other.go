//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package iostreams

// holdKeys does nothing here.
func holdKeys(int) func() { return func() {} }
