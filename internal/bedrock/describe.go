package bedrock

import (
	"fmt"
	"sort"
	"strings"

	"github.com/strata-agent/strata/internal/redact"
)

// Fact is one line of Describe: a label and a value with no secrets in it.
type Fact struct {
	Label string
	Value string
}

// Describe summarises the configuration for /status and doctor: provider, region and where it
// came from, how requests authenticate (kind and profile, never secrets), endpoint and models.
func (c *Config) Describe() []Fact {
	facts := []Fact{{"Provider", "Amazon Bedrock"}}
	if !c.Enabled {
		facts[0].Value += " (off: CLAUDE_CODE_USE_BEDROCK is not set)"
	}
	facts = append(facts, Fact{"Region", orNone(c.Region, c.RegionSource)})
	if c.SmallFastRegion != "" && c.SmallFastRegion != c.Region {
		facts = append(facts, Fact{"Small/fast region",
			c.SmallFastRegion + " (from ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION)"})
	}
	facts = append(facts, Fact{"Credentials", c.CredentialSource()})
	if c.AuthRefresh != "" {
		facts = append(facts, Fact{"Auth refresh", "awsAuthRefresh" + from(c.AuthRefreshSource)})
	}
	if c.BaseURL != "" {
		facts = append(facts, Fact{"Endpoint", c.BaseURL + " (from ANTHROPIC_BEDROCK_BASE_URL)"})
	}
	if len(c.CustomHeaders) > 0 {
		facts = append(facts, Fact{"Custom headers", strings.Join(headerNames(c), ", ")})
	}
	facts = append(facts,
		Fact{"Model", orNone(c.Model, c.ModelSource)},
		Fact{"Small/fast model", orNone(c.SmallFastModel, c.SmallFastModelSource)})
	if c.DisablePromptCaching {
		facts = append(facts, Fact{"Prompt caching", "off (DISABLE_PROMPT_CACHING)"})
	}
	return facts
}

// CredentialSource says how requests authenticate, in words, without any secret.
func (c *Config) CredentialSource() string {
	switch {
	case c.SkipAuth:
		return "none: requests are not signed (CLAUDE_CODE_SKIP_BEDROCK_AUTH)"
	case c.BearerToken != "":
		return "Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)"
	case c.CredentialExport != "":
		return "awsCredentialExport command" + from(c.CredentialExportSource)
	case c.EnvKeys:
		return "access keys from the environment (AWS_ACCESS_KEY_ID)"
	case c.ProfileKind != "":
		return fmt.Sprintf("AWS profile %q (%s)", c.Profile, c.ProfileKind)
	}
	return fmt.Sprintf("AWS default chain (profile %q; web identity, container or instance credentials)", c.Profile)
}

func headerNames(c *Config) []string {
	names := make([]string, 0, len(c.CustomHeaders))
	for name := range c.CustomHeaders {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func orNone(v, source string) string {
	if v == "" {
		return "(not set)"
	}
	return v + from(source)
}

func from(source string) string {
	if source == "" {
		return ""
	}
	return " (from " + source + ")"
}

// Format prints the configuration without secrets, whatever the verb: the bearer token and
// custom header values are masked, so a stray %v or %+v in a log cannot leak them.
func (c Config) Format(f fmt.State, verb rune) {
	var b strings.Builder
	b.WriteString("bedrock.Config{")
	for i, fact := range c.Describe() {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fact.Label + ": " + fact.Value)
	}
	if c.BearerToken != "" {
		b.WriteString("; BearerToken: " + redact.Marker)
	}
	b.WriteString("}")
	fmt.Fprint(f, b.String())
}

// String is Format's %v.
func (c Config) String() string { return fmt.Sprint(c) }

// GoString is Format's %#v.
func (c Config) GoString() string { return fmt.Sprint(c) }
