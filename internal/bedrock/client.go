package bedrock

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/redact"
)

// Options are the dependencies of a Client.
type Options struct {
	// Stderr receives awsAuthRefresh output line by line as it runs when the call's context
	// has no llm.Observer; with one, the lines go only to it as llm.NoticeRefreshOutput.
	Stderr io.Writer
	// HTTPClient replaces the SDK's HTTP client (tests use it to trust a TLS test server). It
	// is set on the service clients, not the aws.Config, because AWS_CA_BUNDLE may be set.
	HTTPClient *http.Client
	// Now is the clock for local expiry checks; nil means time.Now.
	Now func() time.Time
	// RunCommand runs awsAuthRefresh and awsCredentialExport; nil runs them with `sh -c`
	// through internal/proc, with CommandEnv as their environment.
	RunCommand Runner
	// CommandEnv is the whole environment of awsAuthRefresh and awsCredentialExport; nil
	// means an empty one, as everywhere in internal/proc. Unlike tool subprocesses they are
	// the user's credential tools, so the cli hands them strata's environment with the AWS
	// variables (AWS_PROFILE, and secrets an `aws` call may use).
	CommandEnv []string
	// Procs, when set, tracks the credential commands while they run, so that whoever owns
	// it can stop them (with everything they started) when strata exits.
	Procs *proc.Tracker
	// Redactor receives every secret the client handles, so the rest of strata can scrub
	// them too; nil gives the client a private one.
	Redactor *redact.Redactor
	// AppID names the program in every request's User-Agent (app/AppID), as the reference
	// names itself and its entry point (CLAUDE_CODE_ENTRYPOINT); "" adds nothing.
	AppID string
	// Version is strata's version, sent as `strata/<Version>` in every request's User-Agent
	// so gateways and CloudTrail can tell strata's calls apart; "" adds nothing.
	Version string
	// BackoffBase and BackoffMax shape the retry waits (about BackoffBase, doubling per
	// attempt, at most BackoffMax); zero gives 500 ms and 20 s.
	BackoffBase, BackoffMax time.Duration
	// NoRecovery makes every failure final at once: no retries, no credential refresh, no
	// switch to an inference profile or another model. strata doctor uses it to see what
	// Bedrock answers to exactly what is configured.
	NoRecovery bool
}

// Client is the Bedrock llm.Client. It is safe for concurrent use. Small returns a view of the
// same client for the small/fast model and its region.
type Client struct {
	s     *shared
	small bool
}

var _ llm.Client = (*Client)(nil)

// shared is the state every view of a Client uses.
type shared struct {
	cfg      *Config
	opts     Options
	secrets  *secrets
	endpoint endpoint // who answers: AWS, a gateway or a local server (for advice on failures)
	backoff  backoff

	mu    sync.RWMutex
	state *awsState // rebuilt after awsAuthRefresh

	refresher refresher
	// exportFailed remembers a failed awsCredentialExport run for the rest of its turn.
	exportFailed failureMemo

	memo sync.Mutex
	// substitutes remembers, per region, the model ID used instead of one Bedrock refused: the
	// inference profile for a base ID, or the fallback for a default model not granted.
	substitutes map[string]substitution
	// profiles remembers, per region and type, what ListInferenceProfiles answered.
	profiles map[string]profileList
	// appModels remembers what was learned about application-profile ARNs.
	appModels map[string]modelInfo
	// warned holds the warnings already shown, so each appears once per session.
	warned map[string]bool
}

// New builds a client for cfg. It loads the AWS configuration (lazily: missing credentials
// surface at the first request, where they are refreshed or reported).
func New(ctx context.Context, cfg *Config, opts Options) (*Client, error) {
	if cfg.Region == "" {
		return nil, &llm.Error{Kind: llm.ErrConfig, Message: "Bedrock needs an AWS region and none is set.",
			Fix: "export AWS_REGION=us-east-1"}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RunCommand == nil {
		opts.RunCommand = shellRunner(opts.CommandEnv, opts.Procs)
	}
	if opts.Redactor == nil {
		opts.Redactor = redact.New()
	}
	s := &shared{cfg: cfg, opts: opts, secrets: &secrets{r: opts.Redactor}, endpoint: endpointOf(cfg.BaseURL),
		backoff:     newBackoff(opts.BackoffBase, opts.BackoffMax),
		substitutes: map[string]substitution{}, profiles: map[string]profileList{}, appModels: map[string]modelInfo{},
		warned: map[string]bool{}}
	s.secrets.add(cfg.BearerToken)
	for _, values := range cfg.CustomHeaders {
		s.secrets.add(values...)
	}
	st, err := s.buildState(ctx)
	if err != nil {
		return nil, err
	}
	s.state = st
	return &Client{s: s}, nil
}

// Small returns the client for the small/fast role: requests without a model go to the
// small/fast model, in ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION when that is set (B3).
func (c *Client) Small() *Client { return &Client{s: c.s, small: true} }

// Config returns the configuration the client was built with.
func (c *Client) Config() *Config { return c.s.cfg }

// Region is where this view's requests go.
func (c *Client) Region() string {
	if c.small && c.s.cfg.SmallFastRegion != "" {
		return c.s.cfg.SmallFastRegion
	}
	return c.s.cfg.Region
}

// Model is the model ID this view uses for requests that name none.
func (c *Client) Model() string {
	if c.small {
		return c.s.cfg.SmallFastModel
	}
	return c.s.cfg.Model
}

// current returns the AWS state requests use now.
func (s *shared) current() *awsState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state
}

func (s *shared) swap(st *awsState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = st
}

// warnOnce reports a warning the first time it occurs in this session.
func (s *shared) warnOnce(ctx context.Context, text string) {
	s.memo.Lock()
	seen := s.warned[text]
	s.warned[text] = true
	s.memo.Unlock()
	if !seen {
		llm.Notify(ctx, llm.Notice{Kind: llm.NoticeWarning, Text: s.secrets.scrub(text)})
	}
}

// newCall prepares one logical request: which model and region, and the body. A model that
// Bedrock refused earlier in the session goes straight to what replaced it.
func (c *Client) newCall(ctx context.Context, req *llm.Request) (*call, error) {
	if req == nil {
		return nil, fmt.Errorf("bedrock: nil request")
	}
	id := req.Model
	if id == "" {
		id = c.Model()
	}
	region := c.Region()
	choice := c.choiceOf(id)
	if resolved, _, ok := c.s.cfg.Resolver(region, c.s.opts.Now()).Alias(id); ok {
		id, choice = resolved, ChoiceAlias // the agent should resolve aliases, but "sonnet" must never reach the wire
	}
	origin := resolveModel(id)
	cl := &call{s: c.s, small: c.small, region: region, req: req, origin: origin.id, oneM: origin.oneM,
		choice: choice, role: c.role()}
	model := id
	// The same model through another profile replaces any ID; another model (a fallback)
	// replaces only a default or an alias, never an ID the user set.
	if sub := c.s.substitute(region, origin.id); sub.model != "" && (sub.sameModel || choice != ChoiceExplicit) {
		model = sub.model
	}
	if err := cl.use(ctx, model); err != nil {
		return nil, err
	}
	return cl, nil
}

// role is the job of this view's default model.
func (c *Client) role() models.Role {
	if c.small {
		return models.RoleSmallFast
	}
	return models.RoleMain
}

// choiceOf says how id was chosen: the view's configured model carries its Choice; any other
// ID was named by the caller and counts as explicit.
func (c *Client) choiceOf(id string) Choice {
	cfg := c.s.cfg
	switch {
	case c.small && id == cfg.SmallFastModel:
		return cfg.SmallFastModelChoice
	case !c.small && id == cfg.Model:
		return cfg.ModelChoice
	}
	return ChoiceExplicit
}

// credentialsProvider is what SigV4 signing uses; nil for bearer and skip-auth.
func (st *awsState) credentialsProvider() aws.CredentialsProvider {
	if st.cache == nil {
		return nil
	}
	return st.marked
}
