package doctor

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/models"
)

// Policy is an IAM policy document.
type Policy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a Policy.
type Statement struct {
	Sid      string   `json:"Sid"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource []string `json:"Resource"`
}

// JSON is the policy as `aws iam create-policy --policy-document` takes it.
func (p Policy) JSON() []byte {
	b, _ := json.MarshalIndent(p, "", "  ") // only strings: cannot fail
	return append(b, '\n')
}

// IAMPolicy is the least-privilege policy for the models cfg configures (main and small/fast,
// each in its own region; sub-agents use the main model): InvokeModel and
// InvokeModelWithResponseStream on each model's inference profile and on the foundation model
// in every region the profile routes to — a cross-region profile's destinations change, so
// any region (arn:aws:bedrock:*::foundation-model/<base ID>) — plus ListInferenceProfiles,
// which has no resource-level permissions. Accounts are written as *, since the configuration
// does not name one. notes lists what the policy could not cover (an application profile
// whose model is unknown).
func IAMPolicy(cfg *bedrock.Config) (p Policy, notes []string) {
	var resources []string
	for _, m := range []struct{ id, region, base, variable string }{
		{cfg.Model, cfg.Region, cfg.ModelBase, "ANTHROPIC_MODEL_BASE"},
		{cfg.SmallFastModel, firstNonEmpty(cfg.SmallFastRegion, cfg.Region), cfg.SmallFastModelBase, "ANTHROPIC_SMALL_FAST_MODEL_BASE"},
	} {
		arns, note := modelResources(m.id, firstNonEmpty(m.region, "*"), m.base, m.variable)
		resources = append(resources, arns...)
		if note != "" {
			notes = append(notes, note)
		}
	}
	slices.Sort(resources)
	resources = slices.Compact(resources)
	return Policy{Version: "2012-10-17", Statement: []Statement{
		{Sid: "InvokeConfiguredClaudeModels", Effect: "Allow",
			Action:   []string{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"},
			Resource: resources},
		{Sid: "ListInferenceProfiles", Effect: "Allow",
			Action: []string{"bedrock:ListInferenceProfiles"}, Resource: []string{"*"}},
	}}, notes
}

// modelResources are the ARNs one configured model ID needs.
func modelResources(id, region, statedBase, variable string) ([]string, string) {
	id, _ = models.Strip1M(strings.TrimSpace(id))
	if a, ok := models.ParseARN(id); ok && a.Kind == models.KindApplicationInferenceProfile {
		out := []string{id}
		base := statedBase
		if base == "" {
			if m, ok := bedrock.GuessModel(a.Resource); ok {
				base = m.BaseID
			}
		}
		if base == "" {
			return out, fmt.Sprintf("The model behind %s is unknown, so its foundation-model ARN is missing: "+
				"set %s to its base model ID, or add arn:%s:bedrock:*::foundation-model/<base model ID>.",
				id, variable, a.Partition)
		}
		return append(out, foundationModel(a.Partition, "*", base)), ""
	}
	geo, base, ok := models.SplitID(id)
	if !ok {
		return nil, "Cannot read the model ID " + id + "."
	}
	if a, isARN := models.ParseARN(id); isARN {
		region = a.Region
	}
	part := partition(region)
	if geo != "" {
		return []string{profileARN(part, region, geo+"."+base), foundationModel(part, "*", base)}, ""
	}
	out := []string{foundationModel(part, region, base)}
	if m, known := models.Lookup(base); known && m.NeedsProfile {
		// strata switches such a base ID to an inference profile (and says so): allow that one too.
		if pgeo := reachableGeo(m, region); pgeo != "" {
			out = append(out, profileARN(part, region, m.ProfileID(pgeo)), foundationModel(part, "*", base))
		}
	}
	return out, ""
}

// reachableGeo is the profile prefix strata would use for m in region.
func reachableGeo(m models.Model, region string) string {
	geo := models.GeoPrefix(region)
	switch {
	case m.HasGeo(geo):
		return geo
	case geo != "us-gov" && m.HasGeo("global"):
		return "global"
	}
	return ""
}

func profileARN(part, region, profileID string) string {
	return "arn:" + part + ":bedrock:" + region + ":*:inference-profile/" + profileID
}

func foundationModel(part, region, base string) string {
	return "arn:" + part + ":bedrock:" + region + "::foundation-model/" + base
}

// partition is the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	}
	return "aws"
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
