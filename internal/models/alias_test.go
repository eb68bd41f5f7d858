package models

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// tableRegions are the regions the alias table is checked in: one per geography strata
// treats differently (continental, two country profiles, GovCloud).
var tableRegions = []string{"us-east-1", "eu-west-1", "ap-southeast-2", "ap-northeast-1", "us-gov-west-1"}

// aliasGolden is what each alias resolves to with nothing pinned, by region: the reference's
// Bedrock alias table through the narrowest profile the catalog lists.
var aliasGolden = map[string]map[string]string{
	"us-east-1": {
		"sonnet": "us." + sonnet45, "opus": "us.anthropic.claude-opus-4-6-v1", "haiku": "us." + haiku45,
		"fable": "us.anthropic.claude-fable-5", "opusplan": "us." + sonnet45, "best": "us.anthropic.claude-opus-4-6-v1",
	},
	"eu-west-1": {
		"sonnet": "eu." + sonnet45, "opus": "eu.anthropic.claude-opus-4-6-v1", "haiku": "eu." + haiku45,
		"fable": "eu.anthropic.claude-fable-5", "opusplan": "eu." + sonnet45, "best": "eu.anthropic.claude-opus-4-6-v1",
	},
	"ap-southeast-2": {
		"sonnet": "au." + sonnet45, "opus": "au.anthropic.claude-opus-4-6-v1", "haiku": "au." + haiku45,
		"fable": "global.anthropic.claude-fable-5", "opusplan": "au." + sonnet45, "best": "au.anthropic.claude-opus-4-6-v1",
	},
	"ap-northeast-1": {
		"sonnet": "jp." + sonnet45, "opus": "jp.anthropic.claude-opus-4-6-v1", "haiku": "global." + haiku45,
		"fable": "global.anthropic.claude-fable-5", "opusplan": "jp." + sonnet45, "best": "jp.anthropic.claude-opus-4-6-v1",
	},
	"us-gov-west-1": {
		"sonnet": "us-gov." + sonnet45, "opus": "us-gov.anthropic.claude-opus-4-6-v1", "haiku": "us-gov." + haiku45,
		"fable": "us-gov.anthropic.claude-fable-5", "opusplan": "us-gov." + sonnet45, "best": "us-gov.anthropic.claude-opus-4-6-v1",
	},
}

// TestAliasTable resolves every alias (with and without `[1m]`) in every table region under
// every pinning variable, and checks each answer against the catalog: the pinned ID when the
// alias's family is pinned; otherwise the golden ID, which must name the alias's model through
// a profile the catalog lists for it (GovCloud excepted, see Resolver.ProfileFor), and the
// narrowest one that serves the region, never global when a narrower one exists.
func TestAliasTable(t *testing.T) {
	const pinned = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/team"
	overrides := append([]string{""}, FamilySonnet, FamilyOpus, FamilyHaiku, FamilyFable)
	for _, region := range tableRegions {
		for _, override := range overrides {
			r := Resolver{Region: region, Now: today}
			if override != "" {
				r.Pins = map[string]string{override: pinned}
			}
			for _, alias := range Aliases() {
				for _, suffix := range []string{"", "[1m]"} {
					name := PinVariables()[override] + " " + region + " " + alias + suffix
					got, dropped, ok := r.Alias(alias + suffix)
					if !ok {
						t.Fatalf("%s: not resolved", name)
					}
					family := r.aliasFamily(alias)
					if override != "" && family == override {
						if want := pinned + suffix; got != want {
							t.Errorf("%s = %q, want the pin %q", name, got, want)
						}
						continue
					}
					checkAlias(t, name, region, alias, suffix, got, dropped)
				}
			}
		}
	}
}

func checkAlias(t *testing.T, name, region, alias, suffix, got string, dropped bool) {
	t.Helper()
	id, has1M := Strip1M(got)
	want := aliasGolden[region][alias]
	if id != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
	m, ok := Lookup(id)
	if !ok {
		t.Fatalf("%s = %q: not in the catalog", name, got)
	}
	if target := aliasTarget(Resolver{}.aliasFamily(alias)); m.BaseID != target {
		t.Errorf("%s = %q: model %s, want the alias's %s", name, got, m.BaseID, target)
	}
	supports := m.Window(true) >= 1_000_000
	if suffix != "" && (has1M != supports || dropped == supports) {
		t.Errorf("%s = %q (dropped %v): the model's 1M support is %v", name, got, dropped, supports)
	}
	if suffix == "" && (has1M || dropped) {
		t.Errorf("%s = %q: 1M not asked for", name, got)
	}
	geo, _, _ := SplitID(id)
	geos := RegionGeos(region)
	if !slices.Contains(geos, geo) {
		t.Errorf("%s = %q: prefix %q does not serve %s (%v)", name, got, geo, region, geos)
	}
	if !m.HasGeo(geo) {
		if region != "us-gov-west-1" {
			t.Errorf("%s = %q: the catalog lists no %s. profile for %s", name, got, geo, m.Name)
		}
		return
	}
	for _, narrower := range geos[:slices.Index(geos, geo)] {
		if m.HasGeo(narrower) {
			t.Errorf("%s = %q: %s. is narrower and offered", name, got, narrower)
		}
	}
}

func TestRegionGeos(t *testing.T) {
	tests := map[string]string{
		"us-east-1": "us global", "eu-west-1": "eu global", "ap-southeast-2": "au apac global",
		"ap-southeast-4": "au apac global", "ap-northeast-1": "jp apac global", "ap-northeast-3": "jp apac global",
		"ap-south-1": "apac global", "us-gov-west-1": "us-gov", "ca-central-1": "global", "": "global",
	}
	for region, want := range tests {
		if got := strings.Join(RegionGeos(region), " "); got != want {
			t.Errorf("RegionGeos(%q) = %q, want %q", region, got, want)
		}
	}
}

// The default main and small/fast models are what sonnet and haiku give, pinned or not, so
// naming the alias of the default never changes the model.
func TestDefaultMatchesAlias(t *testing.T) {
	for _, region := range tableRegions {
		for _, pins := range []map[string]string{nil, {FamilySonnet: "x.sonnet", FamilyHaiku: "x.haiku"}} {
			r := Resolver{Region: region, Now: today, Pins: pins}
			sonnet, _, _ := r.Alias("sonnet")
			if got := r.Default(RoleMain); got != sonnet {
				t.Errorf("%s %v: main default %q, sonnet %q", region, pins, got, sonnet)
			}
			haiku, _, _ := r.Alias("haiku")
			if got := r.Default(RoleSmallFast); got != haiku && region != "us-gov-west-1" {
				t.Errorf("%s %v: small/fast default %q, haiku %q", region, pins, got, haiku)
			}
		}
	}
}

func TestDescribe(t *testing.T) {
	r := Resolver{Region: "us-east-1", Now: today}
	if got := r.Describe("sonnet"); got != "us."+sonnet45+" (Claude Sonnet 4.5)" {
		t.Errorf("Describe(sonnet) = %q", got)
	}
	if got := r.Describe("opusplan"); !strings.Contains(got, "plan mode us.anthropic.claude-opus-4-6-v1") {
		t.Errorf("Describe(opusplan) = %q", got)
	}
	r.Pins = map[string]string{FamilyOpus: "global.anthropic.claude-opus-5"}
	if got := r.Describe("opus"); got != "global.anthropic.claude-opus-5 (pinned by ANTHROPIC_DEFAULT_OPUS_MODEL)" {
		t.Errorf("Describe(pinned opus) = %q", got)
	}
	if r.Describe("nope") != "" || IsAlias("sonnet-4") || !IsAlias(" Sonnet[1M] ") {
		t.Error("non-alias handling")
	}
}

func TestOverrides(t *testing.T) {
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	r := Resolver{Region: "eu-west-1", Now: now, Overrides: map[string]string{
		"claude-opus-4-6":           "arn:aws:bedrock:eu-west-1:1:application-inference-profile/o",
		"claude-haiku-4-5-20251001": "global.anthropic.claude-haiku-4-5-20251001-v1:0",
	}}
	if id, _, _ := r.Alias("opus[1m]"); id != "arn:aws:bedrock:eu-west-1:1:application-inference-profile/o[1m]" {
		t.Errorf("opus[1m] → %q", id)
	}
	if id := r.Default(RoleSmallFast); id != "global.anthropic.claude-haiku-4-5-20251001-v1:0" {
		t.Errorf("small/fast default → %q", id)
	}
	if id, _, _ := r.Alias("sonnet"); id != "eu.anthropic.claude-sonnet-4-5-20250929-v1:0" {
		t.Errorf("sonnet (no override) → %q", id)
	}
	if id, ok := r.Override("eu.anthropic.claude-opus-4-6-v1"); !ok || !strings.HasSuffix(id, "/o") {
		t.Errorf("a Bedrock ID of an overridden model → %q %v", id, ok)
	}
	if _, ok := r.Override("claude-sonnet-4-5"); ok {
		t.Error("an ID without an override was overridden")
	}
	// A pin outranks an override: it is already the user's own ID.
	r.Pins = map[string]string{FamilyOpus: "us.anthropic.claude-opus-4-5-20251101-v1:0"}
	if id, _, _ := r.Alias("opus"); id != "us.anthropic.claude-opus-4-5-20251101-v1:0" {
		t.Errorf("pinned opus → %q", id)
	}
	if got := AnthropicIDs(Model{BaseID: "anthropic.claude-sonnet-4-5-20250929-v1:0"}); len(got) != 2 ||
		got[0] != "claude-sonnet-4-5-20250929" || got[1] != "claude-sonnet-4-5" {
		t.Errorf("AnthropicIDs %q", got)
	}
}

func TestAllowed(t *testing.T) {
	list := []string{"opus", "sonnet-4-5", "anthropic.claude-haiku-4-5-20251001-v1:0"}
	for _, tt := range []struct {
		name, id string
		want     bool
	}{
		{"opus", "us.anthropic.claude-opus-4-6-v1", true},
		{"x", "eu.anthropic.claude-opus-4-5-20251101-v1:0", true},
		{"sonnet", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", true},
		{"", "us.anthropic.claude-sonnet-4-6", false},
		{"anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0", true},
		{"claude-sonnet-4-5-20250929", "anthropic.claude-sonnet-4-5-20250929-v1:0", true},
		{"arn:aws:bedrock:us-east-1:1:application-inference-profile/x", "arn:aws:bedrock:us-east-1:1:application-inference-profile/x", false},
	} {
		if got := Allowed(list, tt.name, tt.id); got != tt.want {
			t.Errorf("Allowed(%q, %q) = %v, want %v", tt.name, tt.id, got, tt.want)
		}
	}
	if Allowed(nil, "sonnet", "us.anthropic.claude-sonnet-4-5-20250929-v1:0") {
		t.Error("an empty list allowed an explicit model")
	}
}
