package cli

import "runtime/debug"

// Version is strata's release version.
const Version = "0.1.0-dev"

// versionString is what --version prints: the release and, when the binary was built from a
// module, the VCS revision it carries.
func versionString() string {
	v := Version + " (strata)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	return v
}
