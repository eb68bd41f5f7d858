package bedrock

import (
	"fmt"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// modelInfo is what the request builder knows about the model an ID names.
type modelInfo struct {
	id    string // the ID to send: the configured one without a `[1m]` suffix
	oneM  bool   // the ID asked for the 1M-token context window
	known bool   // the catalog knows the model behind the ID
	model models.Model
}

// resolveModel looks an ID up in the catalog. Application-inference-profile ARNs are unknown
// here; the client may learn their model through GetInferenceProfile (see Client.modelInfo).
func resolveModel(id string) modelInfo {
	stripped, oneM := models.Strip1M(strings.TrimSpace(id))
	m, ok := models.Lookup(stripped)
	return modelInfo{id: stripped, oneM: oneM, known: ok, model: m}
}

// models picks the main and small/fast models (B21, B22): --model, then ANTHROPIC_MODEL, then
// the settings' model, then the catalog's default for the region. Aliases resolve to the newest
// model of their family reachable from the region; a retired model is kept as given, with a
// warning naming its successor.
func (l *loader) models() error {
	c := l.cfg
	c.Pins = l.pins()
	c.Overrides = l.s.ModelOverrides
	region := c.Region
	smallRegion := c.SmallFastRegion
	if smallRegion == "" {
		smallRegion = region
	}
	c.Model, c.ModelSource, c.ModelChoice = l.pickModel(region, models.RoleMain, []modelChoice{
		{l.s.FlagModel, "--model"},
		{l.env("ANTHROPIC_MODEL"), l.source("ANTHROPIC_MODEL")},
		{l.s.Model, settingsSource("model", l.s.ModelSource)},
	})
	c.SmallFastModel, c.SmallFastModelSource, c.SmallFastModelChoice = l.pickModel(smallRegion, models.RoleSmallFast, []modelChoice{
		{l.env("ANTHROPIC_SMALL_FAST_MODEL"), l.source("ANTHROPIC_SMALL_FAST_MODEL")},
	})
	c.ModelBase = l.statedBase("ANTHROPIC_MODEL_BASE", region)
	c.SmallFastModelBase = l.statedBase("ANTHROPIC_SMALL_FAST_MODEL_BASE", smallRegion)
	if c.Enabled && (c.Model == "" || c.SmallFastModel == "") {
		return &llm.Error{Kind: llm.ErrConfig,
			Message: "No Claude model is configured and the model catalog has no active default.",
			Fix:     "Set ANTHROPIC_MODEL (and ANTHROPIC_SMALL_FAST_MODEL) to an inference-profile ID."}
	}
	return nil
}

// statedBase reads a variable that names the model behind an application-inference-profile
// ARN: a base ID, a profile ID or an alias, kept as the catalog's base ID. A value the catalog
// does not know is ignored with a warning.
func (l *loader) statedBase(variable, region string) string {
	v := strings.TrimSpace(l.env(variable))
	if v == "" {
		return ""
	}
	if id, _, ok := l.cfg.Resolver(region, l.s.Now).Alias(v); ok {
		v = id
	}
	m, ok := models.Lookup(v)
	if !ok {
		l.cfg.Warnings = append(l.cfg.Warnings, fmt.Sprintf("%s=%q is not a Claude model strata knows; it is "+
			"ignored. Set it to a base model ID such as anthropic.claude-sonnet-4-5-20250929-v1:0.", l.source(variable), v))
		return ""
	}
	return m.BaseID
}

type modelChoice struct{ value, source string }

func settingsSource(key, file string) string {
	if file == "" {
		return "settings " + key
	}
	return "settings " + key + " in " + file
}

// pickModel applies the precedence and resolves aliases; it records retirement warnings.
func (l *loader) pickModel(region string, role models.Role, choices []modelChoice) (string, string, Choice) {
	for _, ch := range choices {
		v := strings.TrimSpace(ch.value)
		if v == "" {
			continue
		}
		r := l.cfg.Resolver(region, l.s.Now)
		if id, _, ok := r.Alias(v); ok {
			return id, fmt.Sprintf("%s, alias %q", ch.source, strings.ToLower(v)), ChoiceAlias
		}
		if id, ok := r.Override(v); ok {
			return id, ch.source + ", through settings modelOverrides", ChoiceExplicit
		}
		l.warnRetired(v, region)
		l.warnOtherRegion(v, region, ch.source)
		return v, ch.source, ChoiceExplicit
	}
	r := l.cfg.Resolver(region, l.s.Now)
	if pin := r.Pins[roleFamilyPin(role)]; pin != "" {
		return r.Default(role), "default, pinned by " + l.source(models.PinVariables()[roleFamilyPin(role)]), ChoiceExplicit
	}
	d := r.Default(role)
	r.Overrides = nil
	if d != r.Default(role) {
		return d, "default, through settings modelOverrides", ChoiceExplicit
	}
	return d, "default for " + orUnset(region), ChoiceDefault
}

// roleFamilyPin is the family whose pin sets role's default: the reference's main model is
// the sonnet alias, its small/fast model the haiku one.
func roleFamilyPin(role models.Role) string {
	if role == models.RoleSmallFast {
		return models.FamilyHaiku
	}
	return models.FamilySonnet
}

// pins reads ANTHROPIC_DEFAULT_<FAMILY>_MODEL. A pin is sent as written (it may be a
// profile ID or an ARN), so it is only trimmed.
func (l *loader) pins() map[string]string {
	out := map[string]string{}
	for family, variable := range models.PinVariables() {
		if v := strings.TrimSpace(l.env(variable)); v != "" {
			out[family] = v
		}
	}
	return out
}

func orUnset(region string) string {
	if region == "" {
		return "no region"
	}
	return region
}

// warnRetired adds the B21 warning for an explicitly configured model Bedrock no longer serves.
func (l *loader) warnRetired(id, region string) {
	m, ok := models.Lookup(id)
	if !ok || !m.IsRetired(l.s.Now) {
		return
	}
	msg := fmt.Sprintf("%s (%s) was retired on Bedrock on %s; it is sent as configured, but Bedrock will "+
		"probably refuse it.", id, m.Name, m.Retired.Format(time.DateOnly))
	if next, ok := models.Successor(m, l.s.Now); ok {
		msg += " Use " + reachableID(next, region) + " (" + next.Name + ") instead."
	}
	l.cfg.Warnings = append(l.cfg.Warnings, msg)
}

// warnOtherRegion notes an ARN of another region: Bedrock serves a profile only in its own.
func (l *loader) warnOtherRegion(id, region, source string) {
	a, ok := models.ParseARN(id)
	if !ok || region == "" || a.Region == region {
		return
	}
	l.cfg.Warnings = append(l.cfg.Warnings, fmt.Sprintf("The model in %s is an ARN in %s, but requests go to %s; "+
		"Bedrock will not find it there. To use it:\n  export AWS_REGION=%s", source, a.Region, region, a.Region))
}

// reachableID is the ID to suggest for m in region: its profile of the narrowest geography
// serving the region (models.RegionGeos), else its base ID.
func reachableID(m models.Model, region string) string {
	return models.Resolver{Region: region}.ProfileFor(m)
}
