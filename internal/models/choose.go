package models

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// roleFamily is the family the seed chose for each role (B21).
func roleFamily(r Role) string {
	if r == RoleSmallFast {
		return FamilyHaiku
	}
	return FamilySonnet
}

// Default is the model ID strata uses for role when nothing is configured: the first active
// entry of the role's default list (catalog.go) that has a profile for the region's geography
// or a global one, as a profile ID. In us-east-1 today that is
// us.anthropic.claude-sonnet-4-5-20250929-v1:0 (main) and
// us.anthropic.claude-haiku-4-5-20251001-v1:0 (small/fast). It is "" only if every model of
// the role's family is retired.
func Default(role Role, region string, now time.Time) string {
	ids := Fallbacks(role, region, now)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// Fallbacks is the ordered list of IDs to try for role in region, the default first. Models
// reachable from the region (a profile for its geography, or a global one outside GovCloud,
// where only us-gov profiles route) come first as profile IDs, in the order of the role's
// default list followed by the rest of the family, newest first. Active models that are not
// reachable follow as base IDs, so that Bedrock's "needs an inference profile" answer can lead
// to a profile found at run time. Retired models never appear.
func Fallbacks(role Role, region string, now time.Time) []string {
	geo := GeoPrefix(region)
	var reachable, rest []string
	for _, m := range roleCandidates(role, now) {
		if id, ok := profileFor(m, geo); ok {
			reachable = append(reachable, id)
		} else {
			rest = append(rest, m.BaseID)
		}
	}
	return append(reachable, rest...)
}

// roleCandidates is the role's default list followed by the rest of its family, newest first,
// without retired models.
func roleCandidates(role Role, now time.Time) []Model {
	var out []Model
	seen := map[string]bool{}
	for _, id := range roleDefaults(role) {
		if m, ok := Lookup(id); ok && m.Active(now) && !seen[m.BaseID] {
			seen[m.BaseID] = true
			out = append(out, m)
		}
	}
	for _, m := range newestFirst(roleFamily(role), now) {
		if !seen[m.BaseID] {
			seen[m.BaseID] = true
			out = append(out, m)
		}
	}
	return out
}

// newestFirst lists the active models of family, highest Generation first.
func newestFirst(family string, now time.Time) []Model {
	var out []Model
	for _, m := range catalog() {
		if m.Family == family && m.Active(now) {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b Model) int { return cmp.Compare(b.Generation, a.Generation) })
	return out
}

// profileFor is m's profile ID for geo when it can be reached from there: through a profile of
// that geography, or else through global (except from GovCloud, where global does not route).
func profileFor(m Model, geo string) (string, bool) {
	switch {
	case m.HasGeo(geo):
		return m.ProfileID(geo), true
	case geo != "us-gov" && m.HasGeo("global"):
		return m.ProfileID("global"), true
	}
	return "", false
}

// ResolveAlias turns "sonnet", "opus" or "haiku" (any case, surrounding spaces ignored) into
// the newest active model of that family reachable from region, as a profile ID for the
// region's geography or else global. When no active model of the family is reachable, it
// gives the newest one's base ID. Any other name reports false.
func ResolveAlias(name, region string, now time.Time) (string, bool) {
	family := strings.ToLower(strings.TrimSpace(name))
	switch family {
	case FamilySonnet, FamilyOpus, FamilyHaiku:
	default:
		return "", false
	}
	models := newestFirst(family, now)
	geo := GeoPrefix(region)
	for _, m := range models {
		if id, ok := profileFor(m, geo); ok {
			return id, true
		}
	}
	if len(models) > 0 {
		return models[0].BaseID, true
	}
	return "", false
}

// Successor is the model to suggest instead of m (for "m is retired, use X" warnings): the
// newest active model of m's family, provided it is newer than m. For a retired m with no newer
// active relative, it is the newest active one of the family even if older. It reports false
// when there is nothing to suggest.
func Successor(m Model, now time.Time) (Model, bool) {
	for _, c := range newestFirst(m.Family, now) {
		if c.BaseID != m.BaseID && (c.Generation > m.Generation || m.IsRetired(now)) {
			return c, true
		}
	}
	return Model{}, false
}
