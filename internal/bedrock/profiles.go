package bedrock

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// Profile is an inference profile as the Bedrock control plane describes it.
type Profile struct {
	ID     string
	ARN    string
	Name   string
	Type   string   // SYSTEM_DEFINED or APPLICATION
	Status string   // ACTIVE
	Models []string // ARNs of the foundation models it routes to
}

// ListInferenceProfiles lists the system-defined inference profiles of the client's region,
// all pages. The seed's IAM policy allows it; an AccessDenied is an *llm.Error of kind
// ErrAccessDenied that callers may ignore.
func (c *Client) ListInferenceProfiles(ctx context.Context) ([]Profile, error) {
	return c.s.listProfiles(ctx, c.Region())
}

// GetInferenceProfile describes one inference profile by ID or ARN. It needs
// bedrock:GetInferenceProfile, which the seed's policy does not grant: treat errors as
// "unknown" (B, IAM section).
func (c *Client) GetInferenceProfile(ctx context.Context, idOrARN string) (*Profile, error) {
	return c.s.getProfile(ctx, c.Region(), idOrARN)
}

func (s *shared) listProfiles(ctx context.Context, region string) ([]Profile, error) {
	st := s.current()
	if err := s.checkCredentials(ctx, st); err != nil {
		return nil, s.controlError(err, region, "ListInferenceProfiles")
	}
	pages := bedrock.NewListInferenceProfilesPaginator(st.control[region], &bedrock.ListInferenceProfilesInput{
		TypeEquals: types.InferenceProfileTypeSystemDefined, MaxResults: aws.Int32(1000)})
	var out []Profile
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, s.controlError(err, region, "ListInferenceProfiles")
		}
		for _, p := range page.InferenceProfileSummaries {
			out = append(out, newProfile(p.InferenceProfileId, p.InferenceProfileArn, p.InferenceProfileName,
				string(p.Type), string(p.Status), p.Models))
		}
	}
	return out, nil
}

func (s *shared) getProfile(ctx context.Context, region, id string) (*Profile, error) {
	st := s.current()
	if err := s.checkCredentials(ctx, st); err != nil {
		return nil, s.controlError(err, region, "GetInferenceProfile")
	}
	out, err := st.control[region].GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{
		InferenceProfileIdentifier: aws.String(id)})
	if err != nil {
		return nil, s.controlError(err, region, "GetInferenceProfile")
	}
	p := newProfile(out.InferenceProfileId, out.InferenceProfileArn, out.InferenceProfileName,
		string(out.Type), string(out.Status), out.Models)
	return &p, nil
}

func newProfile(id, arn, name *string, typ, status string, ms []types.InferenceProfileModel) Profile {
	p := Profile{ID: aws.ToString(id), ARN: aws.ToString(arn), Name: aws.ToString(name), Type: typ, Status: status}
	for _, m := range ms {
		p.Models = append(p.Models, aws.ToString(m.ModelArn))
	}
	return p
}

// controlError turns a control-plane failure into an *llm.Error. These calls are optional
// helpers, so they are tried once and not retried.
func (s *shared) controlError(err error, region, op string) error {
	f := classify(err)
	e := f.toError(s.secrets, "", region, 1)
	e.Message = fmt.Sprintf("Bedrock %s in %s failed: %s", op, region, f.describe(s.secrets))
	e.Fix = ""
	if f.class == classDenied {
		e.Fix = "Allow bedrock:" + op + " to your IAM identity to enable this; strata works without it."
	}
	if f.class == classCredentials {
		e.Kind = llm.ErrCredentials
	}
	return e
}

// modelInfo resolves an ID for the request builder. The model behind an application
// inference profile ARN is looked up once per session with GetInferenceProfile; without that
// permission the model stays unknown and requests carry nothing model-specific.
func (c *Client) modelInfo(ctx context.Context, region, id string) modelInfo {
	info := resolveModel(id)
	a, isARN := models.ParseARN(info.id)
	if info.known || !isARN || a.Kind != models.KindApplicationInferenceProfile {
		return info
	}
	s := c.s
	s.memo.Lock()
	cached, ok := s.appModels[info.id]
	s.memo.Unlock()
	if ok {
		return cached
	}
	p, err := s.getProfile(ctx, region, info.id)
	if err != nil {
		reason := "GetInferenceProfile failed"
		if llm.KindOf(err) == llm.ErrAccessDenied {
			reason = "bedrock:GetInferenceProfile is not allowed"
		}
		s.warnOnce(ctx, fmt.Sprintf("Could not find out which model %s uses (%s); its requests carry no "+
			"model-specific betas or limits.", info.id, reason))
	} else {
		for _, arn := range p.Models {
			if m, ok := models.Lookup(arn); ok {
				info.known, info.model = true, m
				break
			}
		}
	}
	s.memo.Lock()
	s.appModels[info.id] = info
	s.memo.Unlock()
	return info
}

// useProfile handles "on-demand throughput isn't supported" for a base model ID: it finds an
// inference profile containing the model and retries with it once, telling the user which ID
// to set.
func (cl *call) useProfile(ctx context.Context, f failure) error {
	id, how := cl.s.findProfile(ctx, cl.region, cl.model)
	if id == "" {
		return f.toError(cl.s.secrets, cl.model, cl.region, cl.failed+1)
	}
	variable := "ANTHROPIC_MODEL"
	if cl.small {
		variable = "ANTHROPIC_SMALL_FAST_MODEL"
	}
	cl.s.warnOnce(ctx, fmt.Sprintf("%s cannot be invoked on demand in %s; using the inference profile %s "+
		"instead (%s). To use it directly:\n  export %s=%s", cl.model, cl.region, id, how, variable, id))
	cl.recovered, cl.model = cl.model, id
	return nil
}

// findProfile looks for an inference profile containing the model: first in
// ListInferenceProfiles (preferring the region's geography, then global), then, when that finds
// none or is not allowed, in the catalog's profiles for the region.
func (s *shared) findProfile(ctx context.Context, region, model string) (id, how string) {
	_, base, ok := models.SplitID(model)
	if !ok {
		return "", ""
	}
	geo := models.GeoPrefix(region)
	if profiles, err := s.listProfiles(ctx, region); err == nil {
		if id := pickProfile(profiles, base, geo); id != "" {
			return id, "found with ListInferenceProfiles"
		}
	}
	if m, ok := models.Lookup(base); ok {
		switch {
		case m.HasGeo(geo):
			return m.ProfileID(geo), "from strata's model catalog"
		case geo != "us-gov" && m.HasGeo("global"):
			return m.ProfileID("global"), "from strata's model catalog"
		}
	}
	return "", ""
}

// pickProfile chooses among the listed profiles that route to base: the region's geography
// first, then global, then any other.
func pickProfile(profiles []Profile, base, geo string) string {
	rank := func(p Profile) int {
		prefix, _, _ := models.SplitID(p.ID)
		switch prefix {
		case geo:
			return 0
		case "global":
			return 1
		}
		return 2
	}
	var matches []Profile
	for _, p := range profiles {
		if (p.Status == "" || p.Status == "ACTIVE") && routesTo(p, base) {
			matches = append(matches, p)
		}
	}
	sort.SliceStable(matches, func(i, j int) bool { return rank(matches[i]) < rank(matches[j]) })
	if len(matches) == 0 {
		return ""
	}
	return matches[0].ID
}

func routesTo(p Profile, base string) bool {
	if _, b, ok := models.SplitID(p.ID); ok && b == base {
		return true
	}
	for _, arn := range p.Models {
		if _, b, ok := models.SplitID(arn); ok && b == base {
			return true
		}
	}
	return false
}

// rememberProfile keeps, for the session, the profile that replaced a base ID in a region.
func (s *shared) rememberProfile(ctx context.Context, cl *call) {
	if cl.recovered == "" {
		return
	}
	s.memo.Lock()
	defer s.memo.Unlock()
	s.onDemand[cl.region+"\x00"+cl.recovered] = cl.model
}

func (s *shared) rememberedProfile(region, id string) string {
	s.memo.Lock()
	defer s.memo.Unlock()
	return s.onDemand[region+"\x00"+id]
}
