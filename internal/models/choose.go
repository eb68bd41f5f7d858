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

// Default is the model ID strata uses for role when nothing is configured (see
// Resolver.Default), with nothing pinned.
func Default(role Role, region string, now time.Time) string {
	return Resolver{Region: region, Now: now}.Default(role)
}

// Fallbacks is Resolver.Fallbacks with nothing pinned.
func Fallbacks(role Role, region string, now time.Time) []string {
	return Resolver{Region: region, Now: now}.Fallbacks(role)
}

// Default is the model ID for role when nothing is configured: what the role's alias is pinned
// to (ANTHROPIC_DEFAULT_SONNET_MODEL for the main model, …_HAIKU_… for small/fast, as the
// reference does), else the first of Fallbacks. In us-east-1 today that is
// us.anthropic.claude-sonnet-4-5-20250929-v1:0 (main) and
// us.anthropic.claude-haiku-4-5-20251001-v1:0 (small/fast), the same models the aliases sonnet
// and haiku give, so `--model sonnet` does not change the default. It is "" only if every
// model of the role's family is retired.
func (r Resolver) Default(role Role) string {
	if pin := strings.TrimSpace(r.Pins[roleFamily(role)]); pin != "" {
		return pin
	}
	ids := r.Fallbacks(role)
	if len(ids) == 0 {
		return ""
	}
	if v, ok := r.Override(ids[0]); ok {
		return v
	}
	return ids[0]
}

// Fallbacks is the ordered list of IDs to try for role in the region, the default first.
// Models with a profile serving the region come first, as the narrowest such profile, in the
// order of the role's default list followed by the rest of the family, newest first. When no
// small/fast model is reachable (GovCloud, where the catalog knows no Haiku profile), the
// reachable main models follow: a dearer model that answers beats a cheap one that cannot.
// Active models that are not reachable come last as base IDs, so that Bedrock's "needs an
// inference profile" answer can lead to a profile found at run time. Retired models never
// appear.
func (r Resolver) Fallbacks(role Role) []string {
	reachable, rest := r.split(role)
	if len(reachable) == 0 && role == RoleSmallFast {
		reachable, _ = r.split(RoleMain)
	}
	return append(reachable, rest...)
}

func (r Resolver) split(role Role) (reachable, rest []string) {
	for _, m := range roleCandidates(role, r.now()) {
		if id, ok := r.profile(m); ok {
			reachable = append(reachable, id)
		} else {
			rest = append(rest, m.BaseID)
		}
	}
	return reachable, rest
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
	for i := range table {
		if table[i].Family == family && table[i].Active(now) {
			out = append(out, table[i].own())
		}
	}
	slices.SortStableFunc(out, func(a, b Model) int { return cmp.Compare(b.Generation, a.Generation) })
	return out
}

// ResolveAlias resolves an alias (see Resolver.Alias) with nothing pinned. Any other name
// reports false.
func ResolveAlias(name, region string, now time.Time) (string, bool) {
	id, _, ok := Resolver{Region: region, Now: now}.Alias(name)
	return id, ok
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
