package cli

import (
	"regexp"
	"testing"
)

func TestVersionNamesReleaseCommitAndDate(t *testing.T) {
	v := versionString()
	if !regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\S* \(strata\)`).MatchString(v) {
		t.Errorf("a plain build's version does not start with a version: %q", v)
	}
	old := [3]string{releaseVersion, releaseCommit, releaseDate}
	t.Cleanup(func() { releaseVersion, releaseCommit, releaseDate = old[0], old[1], old[2] })
	releaseVersion, releaseCommit, releaseDate = "v1.2.3", "0123456789abcdef0123", "2026-12-04T00:00:00Z"
	if got, want := versionString(), "1.2.3 (strata) commit 0123456789ab built 2026-12-04T00:00:00Z"; got != want {
		t.Errorf("release build: got %q, want %q", got, want)
	}
}

func TestOnlyTaggedModuleVersionsNameARelease(t *testing.T) {
	for v, want := range map[string]bool{"v1.2.3": true, "(devel)": false, "": false,
		"v0.0.0-20261204024034-e940d3a24d51": false, "v1.2.4-0.20261204024034-e940d3a24d51+dirty": false} {
		if got := taggedVersion(v); got != want {
			t.Errorf("taggedVersion(%q) = %v", v, got)
		}
	}
}
