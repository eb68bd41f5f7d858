package bedrock

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

// refresher makes credential refreshes single-flight (B14). Each finished refresh bumps the
// generation; a request remembers the generation it started with, so a request that failed
// with old credentials after someone else already refreshed just retries instead of running
// the commands again. A refresh that failed is not run again in the same turn (see
// failureMemo): its error is the answer for every later request of that turn.
type refresher struct {
	mu       sync.Mutex
	gen      uint64
	running  chan struct{} // closed when the refresh in progress ends; nil when none runs
	err      error         // result of the last finished refresh
	ran      []string      // what the last refresh ran, for error messages
	failedIn *llm.Turn     // the turn whose refresh failed with err; nil after a success
}

func (r *refresher) generation() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gen
}

// do runs refresh unless one finished after generation seen (then its result is returned), or
// waits for the one in progress. A refresh abandoned because its caller's context ended does
// not count: the next caller runs it again.
func (r *refresher) do(ctx context.Context, seen uint64, refresh func() ([]string, error)) error {
	r.mu.Lock()
	for {
		if t := llm.TurnOf(ctx); r.gen > seen || (t != nil && t == r.failedIn) {
			err := r.err
			r.mu.Unlock()
			return err
		}
		if r.running == nil {
			break
		}
		wait := r.running
		r.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return ctx.Err()
		}
		r.mu.Lock()
	}
	done := make(chan struct{})
	r.running = done
	r.mu.Unlock()

	ran, err := refresh()

	r.mu.Lock()
	defer r.mu.Unlock()
	if ctx.Err() == nil {
		r.gen++
		r.err, r.ran, r.failedIn = err, ran, nil
		if err != nil {
			r.failedIn = llm.TurnOf(ctx)
		}
	}
	r.running = nil
	close(done)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (r *refresher) lastRan() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ran
}

// checkCredentials loads the credentials a request will be signed with and reports them as a
// credential failure when they cannot be loaded or expire within the window (B14), so the
// refresh happens before sending instead of after a 403.
func (s *shared) checkCredentials(ctx context.Context, st *awsState) error {
	if st.cache == nil {
		return nil
	}
	creds, err := st.marked.Retrieve(ctx)
	if err != nil {
		return err
	}
	// The credentials cache already moved Expires expiryWindow earlier (B14's "small window
	// before it"); comparing with now+expiryWindow again would reject credentials that are
	// valid for two more minutes.
	if creds.CanExpire && !creds.Expires.After(s.opts.Now()) {
		return &credentialsError{err: fmt.Errorf("the credentials from %s expired at %s",
			credentialOrigin(creds.Source), creds.Expires.UTC().Format(time.RFC3339))}
	}
	return nil
}

func credentialOrigin(source string) string {
	if source == "" {
		return "the AWS default chain"
	}
	return source
}

// canRefresh says whether a refresh could help with f: it needs SigV4 and a command to run.
// When awsCredentialExport itself failed, running it again cannot fix anything unless
// awsAuthRefresh runs first.
func (s *shared) canRefresh(f failure) bool {
	if !s.signs() {
		return false
	}
	var ce *CommandError
	exportFailed := errors.As(f.err, &ce) && ce.Setting == exportSetting
	return s.cfg.AuthRefresh != "" || (s.cfg.CredentialExport != "" && !exportFailed)
}

// refresh handles a credential failure of one request: one refresh (or waiting for one that
// another request started), then a retry; a second failure is final.
func (cl *call) refresh(ctx context.Context, f failure, gen uint64) error {
	s := cl.s
	if cl.refreshed {
		return s.credentialError(f, cl.model, cl.region, s.refresher.lastRan())
	}
	if !s.canRefresh(f) {
		// Credentials from awsCredentialExport are not in files renewed outside strata:
		// reloading the configuration would only run the command again.
		if !cl.reloaded && s.signs() && s.cfg.CredentialExport == "" && s.reloadRenewed(ctx) {
			cl.reloaded = true
			return nil // retry with the credentials renewed outside strata
		}
		return s.credentialError(f, cl.model, cl.region, nil)
	}
	cl.refreshed = true
	return s.refresher.do(ctx, gen, func() ([]string, error) { return s.refreshCredentials(ctx, f) })
}

// refreshCredentials runs awsAuthRefresh (then reloads the AWS configuration) and/or
// invalidates the cached credentials so awsCredentialExport runs again, then loads the new
// credentials at once so that a failing command is reported as the refresh's failure (B13, B14).
func (s *shared) refreshCredentials(ctx context.Context, f failure) ([]string, error) {
	reason := "were rejected by Bedrock"
	if f.retrieval {
		reason = "could not be loaded or have expired"
	}
	llm.Notify(ctx, llm.Notice{Kind: llm.NoticeRefresh, Text: "AWS credentials " + reason + "; refreshing them."})
	var ran []string
	if s.cfg.AuthRefresh != "" {
		ran = append(ran, "awsAuthRefresh: "+s.cfg.AuthRefresh)
		if err := s.runAuthRefresh(ctx); err != nil {
			if ctx.Err() != nil {
				return ran, ctx.Err()
			}
			return ran, s.refreshFailed(err, ran)
		}
		s.exportFailed.forget() // signed in anew: the export may work now
		st, err := s.buildState(ctx)
		if err != nil {
			return ran, err
		}
		s.swap(st)
	} else {
		s.current().cache.Invalidate()
	}
	if s.cfg.CredentialExport != "" {
		ran = append(ran, "awsCredentialExport"+from(s.cfg.CredentialExportSource))
	}
	if err := s.checkCredentials(ctx, s.current()); err != nil {
		if ctx.Err() != nil {
			return ran, ctx.Err()
		}
		return ran, s.refreshFailed(err, ran)
	}
	llm.Notify(ctx, llm.Notice{Kind: llm.NoticeRefresh, Text: "AWS credentials refreshed."})
	return ran, nil
}

// runAuthRefresh runs awsAuthRefresh with its output shown line by line (B13): as notices
// when the caller observes them (the renderer or the TUI shows them, once), else on Stderr.
// Writing both printed every line twice in print mode, and wrote under the TUI.
func (s *shared) runAuthRefresh(ctx context.Context) error {
	var mu sync.Mutex // the two streams' lines arrive from separate goroutines
	observed := llm.Observed(ctx)
	emit := func(line string) {
		line = s.secrets.scrub(line)
		mu.Lock()
		defer mu.Unlock()
		if s.opts.Stderr != nil && !observed {
			fmt.Fprintln(s.opts.Stderr, line)
		}
		llm.Notify(ctx, llm.Notice{Kind: llm.NoticeRefreshOutput, Text: line})
	}
	// One line buffer per stream, so a partial line on one is not glued to a line of the other.
	stdout, stderr := &lineWriter{emit: emit}, &lineWriter{emit: emit}
	defer stderr.Flush()
	defer stdout.Flush()
	return runCommand(ctx, s.opts.RunCommand, "awsAuthRefresh", s.cfg.AuthRefreshSource,
		s.cfg.AuthRefresh, s.cfg.RefreshTimeout, stdout, stderr)
}

// refreshFailed is the error of a refresh that did not produce usable credentials.
func (s *shared) refreshFailed(err error, ran []string) error {
	e := &llm.Error{Kind: llm.ErrCredentials, Err: s.secrets.wrap(err),
		Message: "Refreshing the AWS credentials for Bedrock failed: " + s.secrets.scrub(innermost(err).Error())}
	var ce *CommandError
	if errors.As(err, &ce) {
		e.Fix = commandFix(ce)
	} else {
		e.Fix = "Ran " + s.secrets.scrub(strings.Join(ran, "; ")) + ".\n" + s.checkFix()
	}
	return e
}

// commandFix tells the user what a failed command must do instead. strata runs it again at
// the next prompt, not before: within a turn the failure is remembered.
func commandFix(ce *CommandError) string {
	within := ""
	if ce.Limit > 0 {
		within = " within " + ce.Limit.String()
	}
	if ce.Setting == exportSetting {
		return "Fix the awsCredentialExport command" + from(ce.Source) + ": run it yourself; it must finish" +
			within + " without asking for input, exit with status 0 and print " +
			`{"Credentials":{"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…}}. ` +
			"strata runs it again with your next message."
	}
	return "Fix the awsAuthRefresh command" + from(ce.Source) + ": run it yourself in a terminal; it " +
		"must finish" + within + " without asking for input. strata runs it again with your next message."
}

// checkFix tells the user how to check the credentials themselves.
func (s *shared) checkFix() string {
	return "Check which identity the AWS CLI gets for the same settings:\n" +
		"  aws sts get-caller-identity --profile " + s.cfg.Profile
}

// credentialError is the final error of a credential failure: not refreshable, or still
// failing after a refresh (ran lists what the refresh ran).
func (s *shared) credentialError(f failure, model, region string, ran []string) error {
	var ce *CommandError
	if errors.As(f.err, &ce) {
		return &llm.Error{Kind: llm.ErrCredentials, Err: s.secrets.wrap(f.err),
			Message: "Could not get AWS credentials for Bedrock: " + s.secrets.scrub(ce.Error()), Fix: commandFix(ce)}
	}
	e := &llm.Error{Kind: llm.ErrCredentials, Code: f.code, Status: f.status, Err: s.secrets.wrap(f.err)}
	if f.retrieval {
		e.Message = "Could not get AWS credentials for Bedrock: " + f.describe(s.secrets)
	} else {
		e.Message = fmt.Sprintf("Bedrock in %s rejected the credentials for %s: %s", region, model, f.describe(s.secrets))
	}
	switch {
	case len(ran) > 0:
		e.Message = "Even after refreshing them: " + e.Message
		e.Fix = "The refresh ran " + s.secrets.scrub(strings.Join(ran, "; ")) + ", and the credentials still do not work. " +
			"Check that these commands give credentials for the right account and role.\n" + s.checkFix()
	case s.cfg.SkipAuth:
		e.Fix = "CLAUDE_CODE_SKIP_BEDROCK_AUTH is set, so strata sends no credentials: the gateway at " +
			s.cfg.BaseURL + " must authenticate the request itself (check ANTHROPIC_CUSTOM_HEADERS)."
	case s.cfg.BearerToken != "":
		e.Fix = "The Bedrock API key in AWS_BEARER_TOKEN_BEDROCK was not accepted; it may have expired. " +
			"Create a new key in the Bedrock console, or unset the variable to use AWS credentials."
	default:
		e.Fix = s.noRefreshFix()
	}
	return e
}

// noRefreshFix is the fix when no refresh command is configured.
func (s *shared) noRefreshFix() string {
	p := s.cfg.Profile
	if s.cfg.ProfileKind == "sso" {
		return fmt.Sprintf("Your AWS profile %q uses SSO; sign in again:\n  aws sso login --profile %s\n"+
			"To have strata do this when needed, add to your settings:\n  \"awsAuthRefresh\": \"aws sso login --profile %s\"", p, p, p)
	}
	return "Refresh your AWS credentials (new keys, `aws sso login`, or `aws login`), or set awsAuthRefresh " +
		"or awsCredentialExport in your settings so strata can refresh them itself.\n" + s.checkFix()
}

// reloadRenewed loads the AWS configuration again and switches to it when it holds other
// credentials than the ones that failed: ~/.aws/credentials rewritten by saml2aws or
// `aws configure`, or a new SSO sign-in in another terminal (B14: drop cached credentials
// and retry). It runs no command, and reports false when nothing changed.
func (s *shared) reloadRenewed(ctx context.Context) bool {
	old, oldErr := s.current().marked.Retrieve(ctx)
	st, err := s.buildState(ctx)
	if err != nil {
		return false
	}
	fresh, err := st.marked.Retrieve(ctx)
	if err != nil || (oldErr == nil && fresh.AccessKeyID == old.AccessKeyID && fresh.SessionToken == old.SessionToken) {
		return false
	}
	if fresh.CanExpire && !fresh.Expires.After(s.opts.Now()) {
		return false
	}
	s.swap(st)
	return true
}
