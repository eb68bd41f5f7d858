package cli

import (
	"runtime/debug"
	"strings"
)

// devVersion is the version of a build that says nothing better about itself.
const devVersion = "0.1.0-dev"

// Set by the release build (-ldflags -X, see .goreleaser.yaml); never written by code.
var (
	releaseVersion string
	releaseCommit  string
	releaseDate    string
)

// build says which strata this is.
type build struct {
	Version string // semantic version without a leading "v"
	Commit  string // VCS revision, 12 hex digits, or ""
	Date    string // build or commit time (RFC 3339), or ""
}

// thisBuild reads the release stamps when the release build set them, and otherwise what the
// Go toolchain recorded: the module version for `go install …@vX.Y.Z`, the VCS revision and
// commit time for a build from a checkout.
func thisBuild() build {
	b := build{Version: releaseVersion, Commit: releaseCommit, Date: releaseDate}
	bi, ok := debug.ReadBuildInfo()
	if ok && b.Version == "" && taggedVersion(bi.Main.Version) {
		b.Version = bi.Main.Version
	}
	for _, s := range settingsOf(bi, ok) {
		switch {
		case s.Key == "vcs.revision" && b.Commit == "":
			b.Commit = s.Value
		case s.Key == "vcs.time" && b.Date == "":
			b.Date = s.Value
		}
	}
	if b.Version == "" {
		b.Version = devVersion
	}
	b.Version = strings.TrimPrefix(b.Version, "v")
	if len(b.Commit) > 12 {
		b.Commit = b.Commit[:12]
	}
	return b
}

// taggedVersion reports a module version that names a release: not "(devel)", and not the
// pseudo-version (v0.0.0-<time>-<commit>) Go stamps on a build from an untagged checkout.
func taggedVersion(v string) bool {
	return v != "" && v != "(devel)" && !strings.HasPrefix(v, "v0.0.0-") && !strings.Contains(v, "+dirty")
}

func settingsOf(bi *debug.BuildInfo, ok bool) []debug.BuildSetting {
	if !ok {
		return nil
	}
	return bi.Settings
}

// versionString is what --version prints. The version comes first, as the reference prints
// its own, so scripts that read the first word keep working.
func versionString() string {
	b := thisBuild()
	v := b.Version + " (strata)"
	if b.Commit != "" {
		v += " commit " + b.Commit
	}
	if b.Date != "" {
		v += " built " + b.Date
	}
	return v
}
