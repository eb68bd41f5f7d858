package doctor

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/llm"
)

// soonWindow: credentials expiring within it get a warning.
const soonWindow = 10 * time.Minute

// live runs the checks that load credentials and talk to Bedrock.
func (r *run) live(ctx context.Context) {
	cfg := r.cfg
	creds := r.slot(CheckCredentials, "Credentials")
	r.commandCheck(CheckAuthRefresh, "awsAuthRefresh", cfg.AuthRefresh, cfg.AuthRefreshSource)
	r.commandCheck(CheckCredentialExport, "awsCredentialExport", cfg.CredentialExport, cfg.CredentialExportSource)
	list := r.slot(CheckListProfiles, "ListInferenceProfiles")
	main := r.slot(CheckMainModel, "Main model")
	small := r.slot(CheckSmallModel, "Small/fast model")
	sub := r.slot(CheckSubAgentModel, "Sub-agent model")
	stream := r.slot(CheckStream, "Response stream")
	cache := r.slot(CheckPromptCache, "Prompt cache")
	bedrockChecks := []*Check{list, main, small, sub, stream, cache}

	client, err := r.client(ctx)
	if err != nil {
		msg, fix := explain(err)
		creds.set(StatusFail, msg, fix)
		skip(bedrockChecks, "skipped: the AWS configuration could not be loaded")
		return
	}
	r.credentials(ctx, creds, client)
	switch {
	case creds.Status == StatusFail:
		skip(bedrockChecks, "skipped: no usable credentials")
		return
	case r.blocked() != "":
		skip(bedrockChecks, "skipped: "+r.blocked())
		return
	}
	var wg sync.WaitGroup
	wg.Go(func() { r.listProfiles(ctx, list, client) })
	wg.Go(func() { r.model(ctx, small, client.Small(), "ANTHROPIC_SMALL_FAST_MODEL", cfg.SmallFastModelSource) })
	wg.Go(func() {
		usable := r.model(ctx, main, client, "ANTHROPIC_MODEL", cfg.ModelSource)
		sub.set(main.Status, "Task sub-agents use the main model", "")
		if main.Status != StatusOK {
			sub.Fix = "See the main model above."
		}
		if usable == "" {
			skip([]*Check{stream, cache}, "skipped: the main model did not answer")
			return
		}
		var after sync.WaitGroup
		after.Go(func() { r.stream(ctx, stream, client, usable) })
		after.Go(func() { r.promptCache(ctx, cache, client, usable) })
		after.Wait()
	})
	wg.Wait()
}

func skip(checks []*Check, why string) {
	for _, c := range checks {
		c.set(StatusSkip, why, "")
	}
}

// blocked says why no request can be sent to Bedrock, "" when requests can go.
func (r *run) blocked() string {
	switch {
	case r.cfg.Region == "":
		return "no region"
	case !regionName().MatchString(r.cfg.Region):
		return "the region is not valid"
	case r.cfg.SmallFastRegion != "" && !regionName().MatchString(r.cfg.SmallFastRegion):
		return "the small/fast region is not valid"
	case r.problems[bedrock.PartEndpoint] != nil:
		return "the endpoint is not valid"
	}
	return ""
}

// client builds a Bedrock client that reports failures instead of recovering from them. With
// no region it still loads credentials, under a stand-in region (no request to Bedrock is
// made then: see blocked).
func (r *run) client(ctx context.Context) (*bedrock.Client, error) {
	cfg := *r.cfg
	if cfg.Region == "" {
		cfg.Region = cfg.ProfileRegion
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	opts := r.d.Options
	opts.NoRecovery = true
	if opts.Now == nil {
		opts.Now = r.d.Now
	}
	return bedrock.New(ctx, &cfg, opts)
}

func (r *run) credentials(ctx context.Context, c *Check, client *bedrock.Client) {
	cs := client.CheckCredentials(ctx)
	now := r.d.Now()
	sso, ssoBroken := r.ssoSession(now)
	if cs.Err != nil {
		msg, fix := explain(cs.Err)
		msg = strings.TrimPrefix(msg, "Could not get AWS credentials for Bedrock: ")
		detail := cs.Source + ": " + msg
		switch {
		case ssoBroken:
			detail = cs.Source + "; " + sso // says it better than the SDK's message
		case r.cfg.CredentialExport != "" && strings.HasPrefix(msg, "the awsCredentialExport command"):
			detail = msg
		}
		c.set(StatusFail, detail, fix)
		return
	}
	detail := cs.Source
	if sso != "" {
		detail += "; " + sso
	}
	if !cs.Expires.IsZero() {
		detail += "; they expire " + when(cs.Expires, now)
		if cs.Expires.Sub(now) < soonWindow {
			fix := "They will be refreshed when they expire (awsAuthRefresh / awsCredentialExport)."
			if r.cfg.AuthRefresh == "" && r.cfg.CredentialExport == "" {
				fix = "Renew them before a long session, or set awsAuthRefresh so strata can renew them itself."
			}
			c.set(StatusWarn, detail, fix)
			return
		}
	}
	c.set(StatusOK, detail, "")
}

// ssoSession describes the profile's SSO sign-in, "" when it has none; broken means there is
// no usable sign-in (none cached, or expired).
func (r *run) ssoSession(now time.Time) (detail string, broken bool) {
	if r.cfg.SSOSession == "" {
		return "", false
	}
	exp, err := r.cfg.SSOExpiry()
	switch {
	case err != nil:
		return err.Error(), true
	case !exp.After(now):
		return fmt.Sprintf("SSO session %q expired %s", r.cfg.SSOSession, when(exp, now)), true
	}
	return fmt.Sprintf("SSO session %q valid until %s", r.cfg.SSOSession, when(exp, now)), false
}

// when formats a time for a report line, with how far it is from now.
func when(t, now time.Time) string {
	d := t.Sub(now).Round(time.Minute)
	rel := "in " + short(d)
	if d < 0 {
		rel = short(-d) + " ago"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC") + " (" + rel + ")"
}

func short(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "less than a minute"
	}
	return s
}

func (r *run) listProfiles(ctx context.Context, c *Check, client *bedrock.Client) {
	profiles, err := client.ListInferenceProfiles(ctx)
	if err == nil {
		c.set(StatusOK, fmt.Sprintf("allowed: %d inference profiles in %s", len(profiles), client.Region()), "")
		return
	}
	msg, _ := explain(err)
	if llm.KindOf(err) == llm.ErrAccessDenied {
		c.set(StatusWarn, "not allowed (AccessDeniedException); strata works without it, but cannot check "+
			"which inference profiles exist and goes by its catalog",
			"Allow bedrock:ListInferenceProfiles (on resource \"*\") to your IAM identity; it is part of the "+
				"policy strata needs (strata doctor --iam-policy prints it).")
		return
	}
	c.set(StatusWarn, msg, "")
}
