package models

import (
	"slices"
	"strings"
	"time"
)

// Alias names the reference CLI 2.1.197 accepts for --model, ANTHROPIC_MODEL, the settings key
// `model` and /model. Each may carry a `[1m]` suffix.
const (
	AliasSonnet   = "sonnet"
	AliasOpus     = "opus"
	AliasHaiku    = "haiku"
	AliasFable    = "fable"
	AliasOpusPlan = "opusplan" // Opus in plan mode, Sonnet otherwise
	AliasBest     = "best"     // on Bedrock: Opus (Fable only when ANTHROPIC_DEFAULT_FABLE_MODEL is set)
)

// Aliases lists the alias names in the order /model and doctor show them.
func Aliases() []string {
	return []string{AliasSonnet, AliasOpus, AliasHaiku, AliasFable, AliasOpusPlan, AliasBest}
}

// aliasTarget is the base ID an alias family names on Bedrock when nothing pins it. These are
// the `per_provider.bedrock` entries of the reference 2.1.197's embedded alias table (sonnet →
// claude-sonnet-4-5, opus → claude-opus-4-6, haiku → claude-haiku-4-5, fable → claude-fable-5),
// not the newest models: a user moving from Claude Code gets the model they had there.
func aliasTarget(family string) string {
	switch family {
	case FamilySonnet:
		return "anthropic.claude-sonnet-4-5-20250929-v1:0"
	case FamilyOpus:
		return "anthropic.claude-opus-4-6-v1"
	case FamilyHaiku:
		return "anthropic.claude-haiku-4-5-20251001-v1:0"
	case FamilyFable:
		return "anthropic.claude-fable-5"
	}
	return ""
}

// PinVariables are the environment variables that pin an alias family to an ID, by family.
func PinVariables() map[string]string {
	return map[string]string{
		FamilySonnet: "ANTHROPIC_DEFAULT_SONNET_MODEL",
		FamilyOpus:   "ANTHROPIC_DEFAULT_OPUS_MODEL",
		FamilyHaiku:  "ANTHROPIC_DEFAULT_HAIKU_MODEL",
		FamilyFable:  "ANTHROPIC_DEFAULT_FABLE_MODEL",
	}
}

// Resolver turns aliases and roles into the model IDs sent for one region. The zero Pins
// means nothing is pinned. It has no state beyond its fields.
type Resolver struct {
	Region string
	Now    time.Time
	// Pins maps a family (FamilySonnet, …) to the ID its alias means, as the user set it with
	// ANTHROPIC_DEFAULT_<FAMILY>_MODEL. A pinned ID is sent as written.
	Pins map[string]string
	// Overrides is settings `modelOverrides`: an Anthropic model ID (claude-opus-4-6) mapped to
	// the Bedrock ID or ARN to send for that model. It applies to what aliases and defaults
	// resolve to, after pins (a pin is already the user's own ID).
	Overrides map[string]string
}

// aliasFamily is the family behind an alias name (lower case, no suffix); "" when name is not
// an alias. best is Opus on Bedrock unless Fable is pinned, as in the reference.
func (r Resolver) aliasFamily(name string) string {
	switch name {
	case AliasSonnet, AliasOpusPlan:
		return FamilySonnet
	case AliasOpus:
		return FamilyOpus
	case AliasHaiku:
		return FamilyHaiku
	case AliasFable:
		return FamilyFable
	case AliasBest:
		if r.Pins[FamilyFable] != "" {
			return FamilyFable
		}
		return FamilyOpus
	}
	return ""
}

// IsAlias reports whether name (any case, spaces and a `[1m]` suffix ignored) is an alias.
func IsAlias(name string) bool {
	base, _ := Strip1M(strings.ToLower(strings.TrimSpace(name)))
	return Resolver{}.aliasFamily(base) != ""
}

// Alias resolves an alias to the ID to send. `[1m]` asks for the 1M-token context: it is kept
// on the resolved ID when the model has that window (oneMDropped is true when it does not, so
// the caller can say so). A pinned family gives the pinned ID, with `[1m]` added when asked
// (the pin's model is the user's business). Otherwise the alias's model (aliasTarget) through
// the narrowest profile that serves the region (see ProfileFor); when it has none there, the
// newest active model of the family that has one; when none has, the target's own ID as
// ProfileFor's fallback gives it. ok is false for names that are not aliases.
func (r Resolver) Alias(name string) (id string, oneMDropped, ok bool) {
	base, oneM := Strip1M(strings.ToLower(strings.TrimSpace(name)))
	family := r.aliasFamily(base)
	if family == "" {
		return "", false, false
	}
	if pin := strings.TrimSpace(r.Pins[family]); pin != "" {
		if _, has := Strip1M(pin); oneM && !has {
			pin += suffix1M
		}
		return pin, false, true
	}
	m := r.familyModel(family)
	if v, ok := r.override(m); ok {
		return with1M(v, oneM), false, true
	}
	id = r.ProfileFor(m)
	switch {
	case oneM && m.Window(true) >= 1_000_000:
		id += suffix1M
	case oneM:
		oneMDropped = true
	}
	return id, oneMDropped, true
}

// familyModel is the model an unpinned alias family means in the region: its target when it
// is active and reachable, else the newest active reachable model of the family, else the
// target (or the family's newest active model when the target is retired).
func (r Resolver) familyModel(family string) Model {
	target, _ := Lookup(aliasTarget(family))
	if target.Active(r.now()) && r.reachable(target) {
		return target
	}
	newest := newestFirst(family, r.now())
	for _, m := range newest {
		if r.reachable(m) {
			return m
		}
	}
	if !target.Active(r.now()) && len(newest) > 0 {
		return newest[0]
	}
	return target
}

func (r Resolver) now() time.Time {
	if r.Now.IsZero() {
		return time.Now()
	}
	return r.Now
}

// RegionGeos are the inference-profile prefixes whose traffic stays closest to region,
// narrowest first: the country profiles (au. for Sydney and Melbourne, jp. for Tokyo and
// Osaka), then the continental one (us., eu., apac.), then global. — except in GovCloud, where
// only us-gov. routes. Data residency is why the order matters: a `global.` profile may send a
// request anywhere, an `au.` one keeps it in Australia.
func RegionGeos(region string) []string {
	region = strings.ToLower(strings.TrimSpace(region))
	geo := GeoPrefix(region)
	if geo == "us-gov" {
		return []string{"us-gov"}
	}
	var out []string
	switch region {
	case "ap-southeast-2", "ap-southeast-4":
		out = append(out, "au")
	case "ap-northeast-1", "ap-northeast-3":
		out = append(out, "jp")
	}
	if geo != "global" {
		out = append(out, geo)
	}
	return append(out, "global")
}

// reachable reports whether m has a profile that serves the region.
func (r Resolver) reachable(m Model) bool {
	_, ok := r.profile(m)
	return ok
}

func (r Resolver) profile(m Model) (string, bool) {
	for _, g := range RegionGeos(r.Region) {
		if m.HasGeo(g) {
			return m.ProfileID(g), true
		}
	}
	return "", false
}

// ProfileFor is the ID to send for m from the region: its profile of the narrowest geography
// that offers it (RegionGeos order). When the catalog knows none: in GovCloud the us-gov.
// profile ID all the same, as the reference does (the catalog's GovCloud column is thin, and
// a base ID of a profile-only model is refused for sure); elsewhere the base ID, which
// Bedrock's answer then leads to a listed profile.
func (r Resolver) ProfileFor(m Model) string {
	if id, ok := r.profile(m); ok {
		return id
	}
	if GeoPrefix(r.Region) == "us-gov" && m.NeedsProfile {
		return m.ProfileID("us-gov")
	}
	return m.BaseID
}

// Describe says what an alias resolves to, for /model and doctor: "us.anthropic… (Claude
// Sonnet 4.5)", or the pinned ID with the variable that pinned it.
func (r Resolver) Describe(alias string) string {
	id, dropped, ok := r.Alias(alias)
	if !ok {
		return ""
	}
	base, _ := Strip1M(strings.ToLower(strings.TrimSpace(alias)))
	family := r.aliasFamily(base)
	if strings.TrimSpace(r.Pins[family]) != "" {
		return id + " (pinned by " + PinVariables()[family] + ")"
	}
	desc := id
	if m, ok := Lookup(id); ok {
		desc += " (" + m.Name + ")"
	}
	if base == AliasOpusPlan {
		desc += "; in plan mode " + r.Describe(AliasOpus)
	}
	if dropped {
		desc += "; no 1M-token window"
	}
	return desc
}

// Listed is the aliases /model and doctor show, in Aliases order: every alias but fable,
// which appears only where a profile serves it from the region or it is pinned, since
// elsewhere it names a model the account cannot call.
func (r Resolver) Listed() []string {
	var out []string
	for _, alias := range Aliases() {
		if alias == AliasFable && strings.TrimSpace(r.Pins[FamilyFable]) == "" {
			if m, ok := Lookup(aliasTarget(FamilyFable)); !ok || !r.reachable(m) {
				continue
			}
		}
		out = append(out, alias)
	}
	return out
}

// AnthropicIDs are the names the Anthropic API gives m, which settings `modelOverrides` keys
// use: the dated ID (claude-sonnet-4-5-20250929) and, when it has a date, the undated one
// (claude-sonnet-4-5). Derived from the Bedrock base ID.
func AnthropicIDs(m Model) []string {
	id := strings.TrimPrefix(m.BaseID, "anthropic.")
	if i := strings.LastIndex(id, "-v"); i > 0 {
		id = id[:i]
	}
	out := []string{id}
	if i := strings.LastIndex(id, "-"); i > 0 && len(id)-i-1 == 8 && strings.Trim(id[i+1:], "0123456789") == "" {
		out = append(out, id[:i])
	}
	return out
}

// override is what settings `modelOverrides` maps m to, if anything.
func (r Resolver) override(m Model) (string, bool) {
	for _, k := range AnthropicIDs(m) {
		if v := strings.TrimSpace(r.Overrides[k]); v != "" {
			return v, true
		}
	}
	return "", false
}

// Override maps a name the user gave (an Anthropic model ID such as claude-opus-4-6, or a
// Bedrock ID of a model with an override) to its `modelOverrides` target; ok is false when
// no override applies.
func (r Resolver) Override(name string) (string, bool) {
	base, oneM := Strip1M(strings.TrimSpace(name))
	if v := strings.TrimSpace(r.Overrides[base]); v != "" {
		return with1M(v, oneM), true
	}
	if m, ok := Lookup(base); ok {
		if v, ok := r.override(m); ok {
			return with1M(v, oneM), true
		}
	}
	return "", false
}

func with1M(id string, oneM bool) string {
	if _, has := Strip1M(id); oneM && !has {
		return id + suffix1M
	}
	return id
}

// Allowed reports whether settings `availableModels` permits a model: name is what the user
// asked for, id what it resolved to. An entry may be an alias family ("opus": any Opus), a
// version prefix ("opus-4-5": that version only) or a full ID (Anthropic or Bedrock).
func Allowed(available []string, name, id string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	nameBase, _ := Strip1M(name)
	idBase, _ := Strip1M(strings.TrimSpace(id))
	m, known := Lookup(idBase)
	for _, e := range available {
		e = strings.ToLower(strings.TrimSpace(e))
		switch {
		case e == "":
		case e == nameBase || e == strings.ToLower(idBase):
			return true
		case known && e == m.Family:
			return true
		case known && strings.HasPrefix(AnthropicIDs(m)[0], "claude-"+e):
			return true
		case known && slices.Contains(AnthropicIDs(m), e):
			return true
		}
	}
	return false
}
