package doctor

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// CheckVersion is the line naming strata's own build.
const CheckVersion = "version"

// ErrNoRelease is what Deps.LatestRelease returns when the registry answers that nothing is
// published: an answer, not a failure.
var ErrNoRelease = errors.New("no release is published")

// version names this build and, only when the user asked for it (Deps.LatestRelease set),
// whether a newer release is published. strata never looks on its own.
func (r *run) version(ctx context.Context) {
	c := r.slot(CheckVersion, "strata")
	c.Status, c.Detail = StatusOK, r.d.Version
	if c.Detail == "" {
		c.Detail = "build not named by the caller"
	}
	if r.d.LatestRelease == nil {
		return
	}
	latest, err := r.d.LatestRelease(ctx)
	switch {
	case errors.Is(err, ErrNoRelease):
		c.Detail += "; no release is published yet"
	case err != nil:
		c.Status = StatusWarn
		c.Detail += "; could not learn the latest release: " + err.Error()
		c.Fix = "Check that the npm registry (https://registry.npmjs.org) is reachable, or compare with the releases page."
	case newer(latest, r.d.Version):
		c.Status = StatusWarn
		c.Detail += fmt.Sprintf("; release %s is out", latest)
		c.Fix = "Update the way you installed strata: `npm install -g @strata-agent/strata`, `brew upgrade strata`\n" +
			"or `go install github.com/strata-agent/strata/cmd/strata@latest`."
	default:
		c.Detail += "; this is the latest release"
	}
}

// newer reports whether release a is later than version b (both "X.Y.Z" with anything after
// the third number ignored except that a pre-release of the same numbers is older).
func newer(a, b string) bool {
	an, apre := versionNumbers(a)
	bn, bpre := versionNumbers(b)
	for i := range an {
		if an[i] != bn[i] {
			return an[i] > bn[i]
		}
	}
	return !apre && bpre
}

func versionNumbers(v string) (n [3]int, pre bool) {
	v = strings.TrimPrefix(strings.Fields(v + " ")[0], "v")
	core, rest, _ := strings.Cut(v, "-")
	for i, part := range strings.SplitN(core, ".", 3) {
		n[i], _ = strconv.Atoi(part)
	}
	return n, rest != ""
}
