package bedrock

import (
	"context"
	"fmt"
	"slices"
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
	return c.s.listProfiles(ctx, c.Region(), types.InferenceProfileTypeSystemDefined)
}

// GetInferenceProfile describes one inference profile by ID or ARN. It needs
// bedrock:GetInferenceProfile, which the seed's policy does not grant: treat errors as
// "unknown" (B, IAM section).
func (c *Client) GetInferenceProfile(ctx context.Context, idOrARN string) (*Profile, error) {
	return c.s.getProfile(ctx, c.Region(), idOrARN)
}

func (s *shared) listProfiles(ctx context.Context, region string, typ types.InferenceProfileType) ([]Profile, error) {
	st := s.current()
	if err := s.checkCredentials(ctx, st); err != nil {
		return nil, s.controlError(err, region, "ListInferenceProfiles")
	}
	pages := bedrock.NewListInferenceProfilesPaginator(st.control[region], &bedrock.ListInferenceProfilesInput{
		TypeEquals: typ, MaxResults: aws.Int32(1000)})
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
	e := f.toError(s, "", region, 1)
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

// modelInfo resolves an ID for the request builder. For an ID the catalog cannot read, the
// model stated in ANTHROPIC_MODEL_BASE (or its small/fast twin) is used; an application
// inference profile ARN is otherwise looked up once per session (see learnAppModel).
func (s *shared) modelInfo(ctx context.Context, region, id string) modelInfo {
	info := resolveModel(id)
	if info.known {
		return info
	}
	if m, ok := models.Lookup(s.statedBase(info.id)); ok {
		info.known, info.model = true, m
		return info
	}
	a, isARN := models.ParseARN(info.id)
	if !isARN || a.Kind != models.KindApplicationInferenceProfile {
		return info
	}
	s.memo.Lock()
	cached, ok := s.appModels[info.id]
	s.memo.Unlock()
	if ok {
		return cached
	}
	info, settled := s.learnAppModel(ctx, region, info, a)
	if settled { // a lookup that failed for a passing reason (expired credentials, network) is tried again
		s.memo.Lock()
		s.appModels[info.id] = info
		s.memo.Unlock()
	}
	return info
}

// statedBase is the base model the user stated for a configured ID, "" when none.
func (s *shared) statedBase(id string) string {
	switch {
	case id == "":
		return ""
	case id == s.cfg.Model:
		return s.cfg.ModelBase
	case id == s.cfg.SmallFastModel:
		return s.cfg.SmallFastModelBase
	}
	return ""
}

// learnAppModel finds the model behind an application inference profile: GetInferenceProfile
// (not in the seed's IAM policy), else the profile's entry in ListInferenceProfiles (which
// is), else a guess from its name. Without any of them requests carry nothing model-specific.
// settled reports an answer worth keeping for the session: Bedrock answered or refused the
// lookup, rather than failing on the way.
func (s *shared) learnAppModel(ctx context.Context, region string, info modelInfo, a models.ARN) (_ modelInfo, settled bool) {
	name := a.Resource
	p, err := s.getProfile(ctx, region, info.id)
	settled = err == nil || llm.KindOf(err) == llm.ErrAccessDenied
	if err == nil {
		name = p.Name
		if m, ok := profileModel(*p); ok {
			info.known, info.model = true, m
			return info, settled
		}
	}
	reason := "GetInferenceProfile failed"
	switch {
	case err == nil:
		reason = "it routes to models strata's catalog does not know"
	case llm.KindOf(err) == llm.ErrAccessDenied:
		reason = "bedrock:GetInferenceProfile is not allowed"
	}
	if listed, ok := s.cachedProfiles(ctx, region, types.InferenceProfileTypeApplication); ok {
		for _, lp := range listed {
			if lp.ARN == info.id || lp.ID == info.id {
				name = lp.Name
				if m, ok := profileModel(lp); ok {
					info.known, info.model = true, m
					return info, true
				}
			}
		}
	}
	if m, ok := GuessModel(name, a.Resource); ok {
		info.known, info.model = true, m
		s.warnOnce(ctx, fmt.Sprintf("Could not ask Bedrock which model %s uses (%s); going by its name, it "+
			"runs %s. If that is wrong, state it:\n  export %s=<base model ID>", info.id, reason, m.Name, s.baseVariable(info.id)))
		return info, settled
	}
	s.warnOnce(ctx, fmt.Sprintf("Could not find out which model %s uses (%s); its requests carry no "+
		"model-specific betas or limits. To state it:\n  export %s=<base model ID, e.g. %s>",
		info.id, reason, s.baseVariable(info.id), s.cfg.Resolver(region, s.opts.Now()).Default(models.RoleMain)))
	return info, settled
}

// baseVariable is the variable that states the model behind id.
func (s *shared) baseVariable(id string) string {
	if id == s.cfg.SmallFastModel && id != s.cfg.Model {
		return "ANTHROPIC_SMALL_FAST_MODEL_BASE"
	}
	return "ANTHROPIC_MODEL_BASE"
}

// profileModel is the catalog model a profile routes to.
func profileModel(p Profile) (models.Model, bool) {
	for _, arn := range p.Models {
		if m, ok := models.Lookup(arn); ok {
			return m, true
		}
	}
	return models.Model{}, false
}

// useProfile handles "on-demand throughput isn't supported" for a base model ID: it finds an
// inference profile containing the model and retries with it once, telling the user which ID
// to set.
func (cl *call) useProfile(ctx context.Context, f failure) error {
	if isProfileID(cl.model) { // nothing to add a profile to: say what is wrong instead
		return f.toError(cl.s, cl.model, cl.region, cl.failed+1)
	}
	id, how := cl.s.findProfile(ctx, cl.region, cl.model)
	if id == "" || id == cl.model {
		return f.toError(cl.s, cl.model, cl.region, cl.failed+1)
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
// ListInferenceProfiles (narrowest geography of the region first, see models.RegionGeos),
// then, when that finds none or is not allowed, in the catalog's profiles for the region.
func (s *shared) findProfile(ctx context.Context, region, model string) (id, how string) {
	_, base, ok := models.SplitID(model)
	if !ok {
		return "", ""
	}
	if profiles, ok := s.cachedProfiles(ctx, region, types.InferenceProfileTypeSystemDefined); ok {
		if id := pickProfile(profiles, base, region); id != "" {
			return id, "found with ListInferenceProfiles"
		}
	}
	if m, ok := models.Lookup(base); ok {
		for _, geo := range models.RegionGeos(region) {
			if m.HasGeo(geo) {
				return m.ProfileID(geo), "from strata's model catalog"
			}
		}
	}
	return "", ""
}

// pickProfile chooses among the listed profiles that route to base: the region's narrowest
// geography first, then wider ones, then any other.
func pickProfile(profiles []Profile, base, region string) string {
	if ids := rankProfiles(profiles, base, region); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// rankProfiles lists the IDs of the active profiles that route to base, in pickProfile's order.
func rankProfiles(profiles []Profile, base, region string) []string {
	geos := models.RegionGeos(region)
	rank := func(p Profile) int {
		prefix, _, _ := models.SplitID(p.ID)
		if i := slices.Index(geos, prefix); i >= 0 {
			return i
		}
		return len(geos)
	}
	var matches []Profile
	for _, p := range profiles {
		if (p.Status == "" || p.Status == "ACTIVE") && routesTo(p, base) {
			matches = append(matches, p)
		}
	}
	sort.SliceStable(matches, func(i, j int) bool { return rank(matches[i]) < rank(matches[j]) })
	ids := make([]string, len(matches))
	for i, p := range matches {
		ids[i] = p.ID
	}
	return ids
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
