package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/models"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tui"
)

// The host answers /setup-bedrock (tui.BedrockSetupHost).
var _ tui.BedrockSetupHost = (*host)(nil)

// userSettingsPath is the user's settings file, where /setup-bedrock saves.
func (h *host) userSettingsPath() string { return filepath.Join(configDir(h.a.env), "settings.json") }

// BedrockSetupStart describes what the guided setup starts from.
func (h *host) BedrockSetupStart() tui.BedrockSetupStart {
	get := h.a.env.Getenv
	s := tui.BedrockSetupStart{Region: firstSet(get("AWS_REGION"), get("AWS_DEFAULT_REGION")),
		EnvKeys:     get("AWS_ACCESS_KEY_ID") != "" && get("AWS_SECRET_ACCESS_KEY") != "",
		BearerToken: get("AWS_BEARER_TOKEN_BEDROCK") != "", SettingsPath: h.userSettingsPath()}
	path := get("AWS_CONFIG_FILE")
	if path == "" {
		path = filepath.Join(h.a.env.Home, ".aws", "config")
	}
	s.Profiles, s.ProfilesErr = awsProfiles(path)
	return s
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// awsProfiles lists the profiles of an AWS config file: [default] and [profile NAME]
// sections, each marked SSO when it names an sso_session or sso_start_url. Only section
// names and those two keys are read; nothing secret is kept.
func awsProfiles(path string) ([]tui.AWSProfile, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the AWS config file: %w", err)
	}
	defer f.Close()
	var out []tui.AWSProfile
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			name := strings.TrimSpace(line[1 : len(line)-1])
			if name == "default" || strings.HasPrefix(name, "profile ") {
				out = append(out, tui.AWSProfile{Name: strings.TrimSpace(strings.TrimPrefix(name, "profile "))})
			} else {
				out = append(out, tui.AWSProfile{Name: "\x00"}) // another kind of section: its keys are not a profile's
			}
			continue
		}
		key, _, _ := strings.Cut(line, "=")
		if key = strings.TrimSpace(key); (key == "sso_session" || key == "sso_start_url") && len(out) > 0 {
			out[len(out)-1].SSO = true
		}
	}
	out = slices.DeleteFunc(out, func(p tui.AWSProfile) bool { return p.Name == "\x00" || p.Name == "" })
	return out, sc.Err()
}

// bedrockEnv is the env block a choice stands for: the keys it sets and those it removes. As
// in the reference, the other providers are switched off and the model pins replaced; unlike
// it, no credential is ever written: keys and API keys stay in the environment, and those of
// the method not chosen are removed from the settings.
func bedrockEnv(c tui.BedrockChoice) (set map[string]string, unset []string) {
	set = map[string]string{"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": c.Region}
	unset = []string{"CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY", "CLAUDE_CODE_USE_ANTHROPIC_AWS",
		"ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_DEFAULT_OPUS_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL", "ANTHROPIC_SMALL_FAST_MODEL"}
	switch c.Auth {
	case tui.AuthProfile, tui.AuthSSO:
		set["AWS_PROFILE"] = c.Profile
		unset = append(unset, "AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
	case tui.AuthEnv:
		unset = append(unset, "AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK")
	case tui.AuthBearer:
		unset = append(unset, "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
	}
	if c.Model != "" {
		set[pinFor(c.Model)] = c.Model
	}
	return set, slices.DeleteFunc(unset, func(k string) bool { _, ok := set[k]; return ok })
}

// pinFor is the variable that pins a model for its family's alias; a model of no known
// family becomes the main model.
func pinFor(model string) string {
	id := strings.ToLower(model)
	for _, fam := range []string{"opus", "sonnet", "haiku"} {
		if strings.Contains(id, fam) {
			return "ANTHROPIC_DEFAULT_" + strings.ToUpper(fam) + "_MODEL"
		}
	}
	return "ANTHROPIC_MODEL"
}

// SaveBedrockSetup writes the choice into the user's settings, keeping the rest of the file.
func (h *host) SaveBedrockSetup(c tui.BedrockChoice) (string, error) {
	if c.Region == "" || (c.Auth == tui.AuthProfile || c.Auth == tui.AuthSSO) && c.Profile == "" {
		return "", errors.New("the setup is incomplete: a region and, for a profile, its name are needed")
	}
	path := h.userSettingsPath()
	set, unset := bedrockEnv(c)
	return path, settings.SetEnv(path, set, unset)
}

// BedrockModels lists the Claude inference profiles the choice reaches: the configuration
// strata would load with it, asked for ListInferenceProfiles.
func (h *host) BedrockModels(ctx context.Context, c tui.BedrockChoice) ([]string, error) {
	set, unset := bedrockEnv(tui.BedrockChoice{Region: c.Region, Auth: c.Auth, Profile: c.Profile})
	getenv := func(k string) string {
		if v, ok := set[k]; ok {
			return v
		}
		if slices.Contains(unset, k) || k == "AWS_DEFAULT_REGION" {
			return ""
		}
		return h.a.env.Getenv(k)
	}
	cfg, err := bedrock.LoadConfig(getenv, bedrock.SettingsView{})
	if err != nil {
		return nil, err
	}
	client, err := bedrock.New(ctx, cfg, bedrock.Options{Redactor: h.st.redactor, CommandEnv: h.a.env.Environ()})
	if err != nil {
		return nil, err
	}
	profiles, err := client.ListInferenceProfiles(ctx)
	if err != nil {
		return nil, err
	}
	// The region's own geography first (data residency), then the wider ones; newest
	// models (the highest IDs) first within each.
	geos := models.RegionGeos(c.Region)
	rank := func(id string) int {
		for i, g := range geos {
			if strings.HasPrefix(id, g+".") {
				return i
			}
		}
		return len(geos)
	}
	var ids []string
	for _, p := range profiles {
		if strings.Contains(p.ID, "anthropic.") && rank(p.ID) < len(geos) {
			ids = append(ids, p.ID)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(b, a)
	})
	return ids, nil
}
