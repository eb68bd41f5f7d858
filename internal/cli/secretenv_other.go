//go:build !linux

package cli

// protectEnviron does nothing outside Linux: there is no /proc/<pid>/environ to clean, but
// other processes of the same user may still read strata's environment (`ps -E` on macOS).
// Tool subprocesses never receive the secrets either way.
func protectEnviron() (warning string) { return "" }
