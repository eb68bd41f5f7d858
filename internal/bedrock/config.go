package bedrock

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// Defaults of the knobs Config carries.
const (
	DefaultMaxRetries        = 10
	DefaultStreamIdleTimeout = 120 * time.Second
	DefaultRequestTimeout    = 10 * time.Minute
	DefaultRefreshTimeout    = 5 * time.Minute
	DefaultExportTimeout     = 2 * time.Minute
)

// SettingsView is what the client needs from strata's settings: the two credential commands
// and the model, each with the place it came from (a file path) for messages. FlagModel is the
// --model flag, which outranks every other source (B22).
type SettingsView struct {
	AWSAuthRefresh            string
	AWSAuthRefreshSource      string
	AWSCredentialExport       string
	AWSCredentialExportSource string
	Model                     string
	ModelSource               string
	FlagModel                 string
	// ModelOverrides is settings `modelOverrides` (Anthropic model ID → Bedrock ID or ARN).
	ModelOverrides map[string]string

	// EnvSources names, for variables that a settings file's env block set, that file; the
	// rest came from the process environment. Used only to say where a value came from.
	EnvSources map[string]string

	// Now is the time used to pick default models and spot retired ones; zero means now.
	Now time.Time
}

// Config is the Bedrock configuration for one strata process. Build it with LoadConfig; tests
// may adjust fields before calling New. It never prints secrets: see Format.
type Config struct {
	Enabled       bool   // CLAUDE_CODE_USE_BEDROCK is truthy (B1)
	EnabledSource string // where that came from

	Region          string // AWS_REGION or AWS_DEFAULT_REGION (B2)
	RegionSource    string
	SmallFastRegion string // ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION; empty means Region (B3)

	BaseURL       string      // ANTHROPIC_BEDROCK_BASE_URL, path prefix kept (B5)
	SkipAuth      bool        // CLAUDE_CODE_SKIP_BEDROCK_AUTH (B6)
	CustomHeaders http.Header `json:"-"` // ANTHROPIC_CUSTOM_HEADERS; values may be secrets
	BearerToken   string      `json:"-"` // AWS_BEARER_TOKEN_BEDROCK (B11); never printed

	Profile       string // AWS_PROFILE, or "default"
	ProfileKind   string // what the profile holds: "sso", "credential_process", … ("" when absent)
	ProfileRegion string // the profile's region, only used in messages
	EnvKeys       bool   // AWS_ACCESS_KEY_ID is set

	AuthRefresh            string // awsAuthRefresh command (B13)
	AuthRefreshSource      string
	CredentialExport       string // awsCredentialExport command (B12)
	CredentialExportSource string

	Model                string // main model ID as it will be sent (B21, B22)
	ModelSource          string
	ModelChoice          Choice // how it was chosen: decides whether strata may replace it
	SmallFastModel       string
	SmallFastModelSource string
	SmallFastModelChoice Choice

	// Pins maps a model family (models.FamilySonnet, …) to the ID its alias means, as set with
	// ANTHROPIC_DEFAULT_<FAMILY>_MODEL; families not pinned are absent. See Resolver.
	Pins map[string]string
	// Overrides is settings `modelOverrides`; see models.Resolver.Overrides.
	Overrides map[string]string

	// ModelBase and SmallFastModelBase are the base IDs of the models behind IDs the catalog
	// cannot read (application-inference-profile ARNs), as the user stated them with
	// ANTHROPIC_MODEL_BASE and ANTHROPIC_SMALL_FAST_MODEL_BASE; "" when not stated.
	ModelBase          string
	SmallFastModelBase string

	// SSOSession names the profile's SSO session (the sso_session name, or the start URL of
	// a legacy SSO profile); SSOTokenFile is where the AWS CLI caches its token. Both are
	// empty when the profile does not use SSO. See SSOExpiry.
	SSOSession   string
	SSOTokenFile string

	DisablePromptCaching bool // DISABLE_PROMPT_CACHING (B23)
	// PromptCache1h: breakpoints ask for the 1-hour TTL (ENABLE_PROMPT_CACHING_1H or
	// ENABLE_PROMPT_CACHING_1H_BEDROCK, unless FORCE_PROMPT_CACHING_5M), as the reference does.
	PromptCache1h     bool
	MaxOutputTokens   int // CLAUDE_CODE_MAX_OUTPUT_TOKENS; 0 = the model's default (B24)
	MaxThinkingTokens int // MAX_THINKING_TOKENS; -1 = unset, 0 = off (B24)

	MaxRetries        int           // CLAUDE_CODE_MAX_RETRIES
	StreamIdleTimeout time.Duration // CLAUDE_STREAM_IDLE_TIMEOUT_MS
	RequestTimeout    time.Duration // API_TIMEOUT_MS: a non-streaming call, or a stream's first byte
	RefreshTimeout    time.Duration // limit for awsAuthRefresh
	ExportTimeout     time.Duration // limit for awsCredentialExport

	// Warnings found while loading (a retired model, an unusable value); the caller shows them.
	Warnings []string
}

// Resolver resolves aliases and role defaults for region with the configured pins. Every
// place that turns an alias into an ID uses it, so a pin means the same everywhere.
func (c *Config) Resolver(region string, now time.Time) models.Resolver {
	return models.Resolver{Region: region, Now: now, Pins: c.Pins, Overrides: c.Overrides}
}

// Choice says how a model ID was chosen. It decides what strata may do when Bedrock refuses
// the ID: an ID the user wrote is never replaced silently.
type Choice int

const (
	// ChoiceExplicit: the user gave the exact ID (--model, an environment variable, settings).
	ChoiceExplicit Choice = iota
	// ChoiceAlias: the user named a family (sonnet, opus, haiku) and strata picked the ID.
	ChoiceAlias
	// ChoiceDefault: nothing was configured; the ID is the catalog's default for the role.
	ChoiceDefault
)

// Parts of the configuration, as InspectConfig reports their problems.
const (
	PartActivation = "activation" // CLAUDE_CODE_USE_BEDROCK
	PartProfile    = "profile"    // the AWS profile
	PartRegion     = "region"     // AWS_REGION
	PartEndpoint   = "endpoint"   // ANTHROPIC_BEDROCK_BASE_URL, skip-auth, custom headers
	PartAuth       = "auth"       // the Bedrock API key
	PartCommands   = "commands"   // awsAuthRefresh, awsCredentialExport
	PartLimits     = "limits"     // token limits, retries, timeouts
	PartModels     = "models"     // the main and small/fast models
)

// LoadConfig reads the Bedrock configuration. env looks up the process environment after the
// settings' env blocks were applied (B20). A configuration that cannot work (Bedrock on, no
// region) is an *llm.Error of kind ErrConfig.
func LoadConfig(env func(string) string, s SettingsView) (*Config, error) {
	l := newLoader(env, s)
	for _, step := range l.steps() {
		if err := step.read(); err != nil {
			return nil, err
		}
	}
	return l.cfg, nil
}

// InspectConfig is LoadConfig for diagnostics: it reads every part it can, carrying on after a
// part fails, and returns the configuration as far as it could be read (never nil) with the
// failures by part (the Part constants). strata doctor uses it to report a missing region and
// still check everything that does not need one.
func InspectConfig(env func(string) string, s SettingsView) (*Config, map[string]error) {
	l := newLoader(env, s)
	problems := map[string]error{}
	for _, step := range l.steps() {
		if err := step.read(); err != nil {
			problems[step.part] = err
		}
	}
	return l.cfg, problems
}

type loader struct {
	env func(string) string
	s   SettingsView
	cfg *Config
}

func newLoader(env func(string) string, s SettingsView) *loader {
	l := &loader{env: env, s: s, cfg: &Config{MaxThinkingTokens: -1}}
	if l.s.Now.IsZero() {
		l.s.Now = time.Now()
	}
	return l
}

type loadStep struct {
	part string
	read func() error
}

// steps are the parts in the order they are read: later parts use what earlier ones found.
func (l *loader) steps() []loadStep {
	return []loadStep{{PartActivation, l.activation}, {PartProfile, l.profile}, {PartRegion, l.region},
		{PartEndpoint, l.endpoint}, {PartAuth, l.auth}, {PartCommands, l.commands},
		{PartLimits, l.limits}, {PartModels, l.models}}
}

// source says where an environment variable's value came from.
func (l *loader) source(name string) string {
	if f := l.s.EnvSources[name]; f != "" {
		return name + " (env block of " + f + ")"
	}
	return name
}

func (l *loader) activation() error {
	v := l.env("CLAUDE_CODE_USE_BEDROCK")
	on, ok := parseBool(v)
	if !ok {
		l.cfg.Warnings = append(l.cfg.Warnings, fmt.Sprintf(
			"CLAUDE_CODE_USE_BEDROCK=%q is not one of 1/true/yes/on or 0/false/no/off; Bedrock mode stays off", v))
	}
	l.cfg.Enabled = on
	if on {
		l.cfg.EnabledSource = l.source("CLAUDE_CODE_USE_BEDROCK")
	}
	return nil
}

// parseBool reads B1's truthy values; ok is false for anything it does not recognise.
func parseBool(v string) (on, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true, true
	case "", "0", "false", "no", "off":
		return false, true
	}
	return false, false
}

// profile reads the active shared-config profile: its region helps the region error, its kind
// helps Describe and the credential errors. A missing or unreadable file is not an error here;
// the SDK reports real problems when it loads credentials.
func (l *loader) profile() error {
	l.cfg.Profile = l.env("AWS_PROFILE")
	if l.cfg.Profile == "" {
		l.cfg.Profile = l.env("AWS_DEFAULT_PROFILE")
	}
	if l.cfg.Profile == "" {
		l.cfg.Profile = "default"
	}
	l.cfg.EnvKeys = l.env("AWS_ACCESS_KEY_ID") != ""
	sc, err := config.LoadSharedConfigProfile(context.Background(), l.cfg.Profile,
		func(o *config.LoadSharedConfigOptions) {
			o.ConfigFiles = []string{l.awsFile("AWS_CONFIG_FILE", "config")}
			o.CredentialsFiles = []string{l.awsFile("AWS_SHARED_CREDENTIALS_FILE", "credentials")}
		})
	if err != nil {
		return nil
	}
	l.cfg.ProfileRegion = sc.Region
	l.cfg.ProfileKind = profileKind(sc)
	l.ssoSession(sc)
	return nil
}

// ssoSession records the profile's SSO session and where the AWS CLI caches its token: the
// SHA-1 of the session name (or, for legacy profiles, of the start URL) under ~/.aws/sso/cache,
// the same file the SDK reads.
func (l *loader) ssoSession(sc config.SharedConfig) {
	key := sc.SSOSessionName
	if key == "" {
		key = sc.SSOStartURL
	}
	if key == "" {
		return
	}
	sum := sha1.Sum([]byte(key))
	l.cfg.SSOSession = key
	l.cfg.SSOTokenFile = filepath.Join(l.home(), ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
}

// awsFile is the shared config or credentials file the SDK would read.
func (l *loader) awsFile(variable, name string) string {
	if p := l.env(variable); p != "" {
		return p
	}
	return filepath.Join(l.home(), ".aws", name)
}

func (l *loader) home() string {
	if home := l.env("HOME"); home != "" {
		return home
	}
	return l.env("USERPROFILE")
}

func profileKind(sc config.SharedConfig) string {
	switch {
	case sc.RoleARN != "":
		return "assume-role"
	case sc.Credentials.HasKeys():
		return "static keys"
	case sc.SSOSessionName != "" || sc.SSOStartURL != "":
		return "sso"
	case sc.CredentialProcess != "":
		return "credential_process"
	case sc.WebIdentityTokenFile != "":
		return "web identity"
	case sc.CredentialSource != "":
		return "credential_source " + sc.CredentialSource
	}
	return ""
}

func (l *loader) region() error {
	if r := strings.TrimSpace(l.env("AWS_REGION")); r != "" {
		l.cfg.Region, l.cfg.RegionSource = r, l.source("AWS_REGION")
	} else if r := strings.TrimSpace(l.env("AWS_DEFAULT_REGION")); r != "" {
		l.cfg.Region, l.cfg.RegionSource = r, l.source("AWS_DEFAULT_REGION")
	}
	l.cfg.SmallFastRegion = strings.TrimSpace(l.env("ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION"))
	if l.cfg.Region != "" || !l.cfg.Enabled {
		return nil
	}
	e := &llm.Error{Kind: llm.ErrConfig,
		Message: "Bedrock mode needs an AWS region, and AWS_REGION is not set " +
			"(strata does not take the region from ~/.aws/config)."}
	if l.cfg.ProfileRegion != "" {
		e.Fix = fmt.Sprintf("Your AWS profile %q uses region %s; to use it:\n  export AWS_REGION=%s",
			l.cfg.Profile, l.cfg.ProfileRegion, l.cfg.ProfileRegion)
	} else {
		e.Fix = "Set the region Bedrock should use, for example:\n  export AWS_REGION=us-east-1"
	}
	return e
}

func (l *loader) endpoint() error {
	raw := strings.TrimSpace(l.env("ANTHROPIC_BEDROCK_BASE_URL"))
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &llm.Error{Kind: llm.ErrConfig,
				Message: fmt.Sprintf("ANTHROPIC_BEDROCK_BASE_URL=%q is not an http:// or https:// URL.", raw),
				Fix:     "Set it to the gateway's address, e.g. https://gateway.example.com/bedrock"}
		}
		l.cfg.BaseURL = strings.TrimRight(raw, "/")
	}
	skip, ok := parseBool(l.env("CLAUDE_CODE_SKIP_BEDROCK_AUTH"))
	if !ok {
		l.cfg.Warnings = append(l.cfg.Warnings,
			"CLAUDE_CODE_SKIP_BEDROCK_AUTH has a value that is not a yes/no; requests stay signed")
	}
	l.cfg.SkipAuth = skip
	headers, err := parseHeaders(l.env("ANTHROPIC_CUSTOM_HEADERS"))
	if err != nil {
		return err
	}
	l.cfg.CustomHeaders = headers
	return nil
}

// parseHeaders reads `Name: Value` lines. Errors name the line, never its value, since header
// values are often gateway keys.
func parseHeaders(v string) (http.Header, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	h := http.Header{}
	for i, line := range strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, &llm.Error{Kind: llm.ErrConfig,
				Message: fmt.Sprintf("ANTHROPIC_CUSTOM_HEADERS line %d is not a `Name: Value` header.", i+1),
				Fix:     "Put one header per line, each as Name: Value."}
		}
		h.Add(name, strings.TrimSpace(value))
	}
	return h, nil
}

func (l *loader) auth() error {
	l.cfg.BearerToken = strings.TrimSpace(l.env("AWS_BEARER_TOKEN_BEDROCK"))
	return nil
}

func (l *loader) commands() error {
	l.cfg.AuthRefresh = strings.TrimSpace(l.s.AWSAuthRefresh)
	l.cfg.AuthRefreshSource = l.s.AWSAuthRefreshSource
	l.cfg.CredentialExport = strings.TrimSpace(l.s.AWSCredentialExport)
	l.cfg.CredentialExportSource = l.s.AWSCredentialExportSource
	l.cfg.RefreshTimeout = DefaultRefreshTimeout
	l.cfg.ExportTimeout = DefaultExportTimeout
	return nil
}

func (l *loader) limits() error {
	c := l.cfg
	// Defaults first, so that a configuration read around a bad value (InspectConfig) still
	// has working limits.
	c.MaxRetries, c.StreamIdleTimeout, c.RequestTimeout = DefaultMaxRetries, DefaultStreamIdleTimeout, DefaultRequestTimeout
	c.DisablePromptCaching, _ = parseBool(l.env("DISABLE_PROMPT_CACHING"))
	c.PromptCache1h = l.promptCache1h()
	var err error
	if c.MaxOutputTokens, err = l.intVar("CLAUDE_CODE_MAX_OUTPUT_TOKENS", 0, 1); err != nil {
		return err
	}
	if c.MaxThinkingTokens, err = l.intVar("MAX_THINKING_TOKENS", -1, 0); err != nil {
		return err
	}
	if c.MaxRetries, err = l.intVar("CLAUDE_CODE_MAX_RETRIES", DefaultMaxRetries, 0); err != nil {
		return err
	}
	idle, err := l.intVar("CLAUDE_STREAM_IDLE_TIMEOUT_MS", 0, 1)
	if err != nil {
		return err
	}
	c.StreamIdleTimeout = DefaultStreamIdleTimeout
	if idle > 0 {
		c.StreamIdleTimeout = time.Duration(idle) * time.Millisecond
	}
	timeout, err := l.intVar("API_TIMEOUT_MS", 0, 1)
	if err != nil {
		return err
	}
	c.RequestTimeout = DefaultRequestTimeout
	if timeout > 0 {
		c.RequestTimeout = time.Duration(timeout) * time.Millisecond
	}
	return nil
}

// intVar reads an integer variable; unset gives def, a value below lowest or not a number is
// a configuration error naming the variable.
func (l *loader) intVar(name string, def, lowest int) (int, error) {
	v := strings.TrimSpace(l.env(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lowest {
		return 0, &llm.Error{Kind: llm.ErrConfig,
			Message: fmt.Sprintf("%s=%q is not a whole number of at least %d.", l.source(name), v, lowest),
			Fix:     fmt.Sprintf("Fix or unset %s.", name)}
	}
	return n, nil
}

// promptCache1h reads the 1-hour cache switches in the reference's order: FORCE_PROMPT_CACHING_5M
// wins, then ENABLE_PROMPT_CACHING_1H (any provider) or ENABLE_PROMPT_CACHING_1H_BEDROCK.
func (l *loader) promptCache1h() bool {
	truthy := func(name string) bool { v, _ := parseBool(l.env(name)); return v }
	if truthy("FORCE_PROMPT_CACHING_5M") {
		return false
	}
	return truthy("ENABLE_PROMPT_CACHING_1H") || truthy("ENABLE_PROMPT_CACHING_1H_BEDROCK")
}
