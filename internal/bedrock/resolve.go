package bedrock

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// Model resolution at run time. Nothing here runs before the first request: the IDs strata
// derives from the catalog are sent as they are, and only when Bedrock refuses one does the
// client look further (ListInferenceProfiles, the role's fallbacks), once per region and
// session. An ID the user wrote is never replaced, except for the one documented switch from a
// base model ID to its inference profile (useProfile), which says which ID to set.

// profileList is one ListInferenceProfiles answer kept for the session.
type profileList struct {
	profiles []Profile
	denied   bool // the identity may not list profiles
}

// cachedProfiles lists a region's inference profiles of one type, once per session. ok is
// false when listing is not allowed or failed; only an answer or a denial is remembered, so a
// passing network or credential failure is tried again next time.
func (s *shared) cachedProfiles(ctx context.Context, region string, typ types.InferenceProfileType) ([]Profile, bool) {
	key := region + "\x00" + string(typ)
	s.memo.Lock()
	pl, ok := s.profiles[key]
	s.memo.Unlock()
	if ok {
		return pl.profiles, !pl.denied
	}
	list, err := s.listProfiles(ctx, region, typ)
	if err != nil && llm.KindOf(err) != llm.ErrAccessDenied {
		return nil, false
	}
	s.memo.Lock()
	s.profiles[key] = profileList{profiles: list, denied: err != nil}
	s.memo.Unlock()
	return list, err == nil
}

// substitution is an ID used instead of one Bedrock refused.
type substitution struct {
	model     string
	sameModel bool // the same base model through another inference profile (on-demand recovery)
}

// substitute is what is used instead of id in region this session; model is "" when nothing.
func (s *shared) substitute(region, id string) substitution {
	s.memo.Lock()
	defer s.memo.Unlock()
	return s.substitutes[region+"\x00"+id]
}

// succeeded records, after a request went through, the model that replaced the one asked
// for, and gives the one warning of a fallback.
func (cl *call) succeeded(ctx context.Context) {
	if cl.model == cl.origin {
		return
	}
	from, to := resolveModel(cl.origin), resolveModel(cl.model)
	same := from.known && to.known && from.model.BaseID == to.model.BaseID
	cl.s.memo.Lock()
	cl.s.substitutes[cl.region+"\x00"+cl.origin] = substitution{model: cl.model, sameModel: same}
	cl.s.memo.Unlock()
	if cl.resolving != nil {
		cl.s.warnOnce(ctx, cl.resolving.warning(cl))
	}
}

// resolution is what a call went through after Bedrock refused a default or alias model.
type resolution struct {
	first       failure // the refusal of the model asked for
	firstModel  string
	tried       []string        // models refused so far, in order
	deniedBases map[string]bool // base models Bedrock said the account may not use
	listed      bool            // candidates were checked against ListInferenceProfiles
}

// resolve handles a default or alias model that Bedrock refused, as not granted (403) or not
// offered in the region (404, invalid identifier). It tries the same model through another
// inference profile that exists in the region, then, for a default, the next model of the
// role's fallback list. The user sees one warning once a model answers (succeeded), or the
// first refusal, with what was tried, when none does.
func (cl *call) resolve(ctx context.Context, f failure) error {
	r := cl.resolving
	if r == nil {
		r = &resolution{first: f, firstModel: cl.model, deniedBases: map[string]bool{}}
		cl.resolving = r
	}
	r.tried = append(r.tried, cl.model)
	if _, base, ok := models.SplitID(cl.model); ok && f.class == classDenied {
		r.deniedBases[base] = true
	}
	next := cl.alternative(ctx)
	if next == "" {
		return r.exhausted(cl)
	}
	return cl.use(ctx, next)
}

// alternative is the next model to try, "" when none is left: the first candidate not tried
// yet whose base model was not denied.
func (cl *call) alternative(ctx context.Context) string {
	r := cl.resolving
	ids, listed := cl.s.candidates(ctx, cl.region, cl.origin, cl.choice, cl.role)
	r.listed = listed
	for _, id := range ids {
		if _, base, ok := models.SplitID(id); ok && !r.deniedBases[base] && !slices.Contains(r.tried, id) {
			return id
		}
	}
	return ""
}

// candidates lists, in order, the IDs that may stand in for origin in region: origin's own
// model through each inference profile that exists there and, for a default, the role's
// fallbacks. Where ListInferenceProfiles is allowed (listed), every candidate is a profile
// the region lists, its geography first, then global; otherwise only the catalog's profile
// IDs are candidates, since a base ID the catalog cannot place would only be refused.
func (s *shared) candidates(ctx context.Context, region, origin string, choice Choice, role models.Role) (ids []string, listed bool) {
	profiles, listed := s.cachedProfiles(ctx, region, types.InferenceProfileTypeSystemDefined)
	wanted := []string{origin}
	if choice == ChoiceDefault {
		wanted = append(wanted, s.cfg.Resolver(region, s.opts.Now()).Fallbacks(role)...)
	}
	for _, w := range wanted {
		prefix, base, ok := models.SplitID(w)
		if !ok {
			continue
		}
		found := []string{w}
		if listed {
			found = rankProfiles(profiles, base, region)
		} else if prefix == "" {
			continue
		}
		for _, id := range found {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids, listed
}

// exhausted is the error when no candidate answered: the first refusal, which says what to
// enable, plus what else was tried.
func (r *resolution) exhausted(cl *call) error {
	e := r.first.toError(cl.s, r.firstModel, cl.region, 1)
	if others := r.tried[1:]; len(others) > 0 {
		e.Fix += fmt.Sprintf("\nstrata also tried %s; Bedrock refused them too.", strings.Join(others, ", "))
	}
	return e
}

// warning is the one notice of a successful resolution.
func (r *resolution) warning(cl *call) string {
	variable := "ANTHROPIC_MODEL"
	if cl.small {
		variable = "ANTHROPIC_SMALL_FAST_MODEL"
	}
	what := r.first.describe(cl.s.secrets)
	keep := fmt.Sprintf("To choose it yourself (and silence this warning):\n  export %s=%s", variable, cl.model)
	if r.first.class == classDenied {
		return fmt.Sprintf("%s, the default %s model, is not granted to this account in %s (%s); using %s "+
			"instead. To use %s, enable it in the Amazon Bedrock console (Model access) and allow "+
			"bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on it. %s",
			r.firstModel, cl.role, cl.region, what, cl.model, r.firstModel, keep)
	}
	how := "from strata's model catalog"
	if r.listed {
		how = "found with ListInferenceProfiles"
	}
	return fmt.Sprintf("%s is not offered in %s (%s); using %s instead (%s). %s",
		r.firstModel, cl.region, what, cl.model, how, keep)
}

// BaseModel is the catalog model behind id, as far as the client knows without asking
// Bedrock: the catalog for base IDs, profile IDs and their ARNs; for an application inference
// profile, the model stated in ANTHROPIC_MODEL_BASE, what its first request learned
// (GetInferenceProfile or ListInferenceProfiles), or a guess from its name. A default model
// that was replaced this session gives the model that replaced it. Cost accounting and the
// UI use it so that ARNs get the right prices, context window and thinking.
func (c *Client) BaseModel(id string) (models.Model, bool) {
	s := c.s
	info := resolveModel(id)
	if sub := s.substitute(c.Region(), info.id); sub.model != "" && (sub.sameModel || c.choiceOf(id) != ChoiceExplicit) {
		info = resolveModel(sub.model)
	}
	if info.known {
		return info.model, true
	}
	if m, ok := models.Lookup(s.statedBase(info.id)); ok {
		return m, true
	}
	s.memo.Lock()
	learned, ok := s.appModels[info.id]
	s.memo.Unlock()
	if ok && learned.known {
		return learned.model, true
	}
	if a, ok := models.ParseARN(info.id); ok && a.Kind == models.KindApplicationInferenceProfile {
		return GuessModel(a.Resource)
	}
	return models.Model{}, false
}

// Price is the Bedrock price of calls made with id, for cost estimates: the catalog's price
// for the ID as sent (a global. profile costs the global price, a geographic profile or a base
// ID the price models.PriceFor gives); for an ID the catalog cannot read (an application
// inference profile), the regional price of the model BaseModel finds, since such profiles are
// made from a regional or geographic one. A default replaced this session is priced as its
// replacement.
func (c *Client) Price(id string) (models.Price, bool) {
	stripped := resolveModel(id).id
	for _, region := range []string{c.s.cfg.Region, c.s.cfg.SmallFastRegion} {
		if sub := c.s.substitute(region, stripped); sub.model != "" && (sub.sameModel || c.choiceOf(id) != ChoiceExplicit) {
			id = sub.model
			break
		}
	}
	if p, ok := models.PriceFor(id); ok {
		return p, true
	}
	if m, ok := c.BaseModel(id); ok {
		return m.Regional, true
	}
	return models.Price{}, false
}

// modelKey is the part of a base ID people put in names: "sonnet-4-5" for
// anthropic.claude-sonnet-4-5-20250929-v1:0, "opus-4-6" for anthropic.claude-opus-4-6-v1.
func modelKey(baseID string) string {
	k := strings.TrimPrefix(baseID, "anthropic.claude-")
	k, _, _ = strings.Cut(k, ":")
	k = versionSuffix().ReplaceAllString(k, "")
	return dateSuffix().ReplaceAllString(k, "")
}

var (
	versionSuffix = lazyre.New(`-v\d+$`)
	dateSuffix    = lazyre.New(`-\d{8}$`)
	nameSeparator = lazyre.New(`[^a-z0-9]+`)
)

// GuessModel reads a model from free-form names (an application profile's name or its ARN's
// resource): the catalog model whose name part ("sonnet-4-5", "opus-4-6") appears in a name as
// whole words, the longest winning, so "team-opus-4-5-prod" is Opus 4.5 and not Opus 4. It is
// how strata places an application profile it may not look up.
func GuessModel(names ...string) (models.Model, bool) {
	var best models.Model
	bestLen := 0
	for _, name := range names {
		norm := "-" + nameSeparator().ReplaceAllString(strings.ToLower(name), "-") + "-"
		for _, m := range models.All() {
			key := modelKey(m.BaseID)
			if len(key) > bestLen && strings.Contains(norm, "-"+key+"-") {
				best, bestLen = m, len(key)
			}
		}
	}
	return best, bestLen > 0
}

// Limits returns the context window and the max_tokens a request to id is sent with when the
// caller sets none (CLAUDE_CODE_MAX_OUTPUT_TOKENS, else the default, within what the model
// allows): the contextWindow and maxOutputTokens of a result's modelUsage.
func (c *Client) Limits(id string) (contextWindow, maxOutputTokens int) {
	m, ok := c.BaseModel(id)
	n := c.s.cfg.MaxOutputTokens
	if !ok {
		if n <= 0 {
			n = unknownModelMaxTokens
		}
		return 200_000, n // the window of every Claude model on Bedrock without the 1M beta
	}
	if n <= 0 {
		n = defaultMaxTokens
	}
	_, oneM := models.Strip1M(id)
	return m.Window(oneM), min(n, m.MaxOutput)
}
