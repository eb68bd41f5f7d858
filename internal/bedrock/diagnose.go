package bedrock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/strata-agent/strata/internal/models"
)

// What strata doctor needs from the client beyond requests: the credentials it would sign
// with, the SSO session behind them, and the answers to "which profile would you switch to" and
// "which model would you fall back to". None of these return or print a secret.

// CredentialStatus is what CheckCredentials found.
type CredentialStatus struct {
	Source  string    // how requests authenticate, in words (Config.CredentialSource)
	Loaded  bool      // SigV4 credentials were loaded (API keys and skip-auth load none)
	Expires time.Time // when the loaded credentials expire; zero when they do not
	Err     error     // an *llm.Error of kind ErrCredentials when they cannot be loaded or have expired
}

// CheckCredentials loads the credentials requests would be signed with, running
// credential_process or awsCredentialExport if that is how they come, but never
// awsAuthRefresh. The result is cached like a request's, so later requests reuse it.
func (c *Client) CheckCredentials(ctx context.Context) CredentialStatus {
	s := c.s
	cs := CredentialStatus{Source: s.cfg.CredentialSource()}
	st := s.current()
	if st.cache == nil {
		return cs
	}
	creds, err := st.marked.Retrieve(ctx)
	if err != nil {
		cs.Err = s.credentialError(classify(err), "", "", nil)
		return cs
	}
	cs.Loaded = true
	if creds.CanExpire {
		// The cache moves expiries earlier by its window, so that renewals happen in time.
		cs.Expires = creds.Expires.Add(expiryWindow)
	}
	if err := s.checkCredentials(ctx, st); err != nil {
		cs.Err = s.credentialError(classify(err), "", "", nil)
	}
	return cs
}

// SSOExpiry reads when the profile's SSO sign-in expires, from the token the AWS CLI cached
// (`aws sso login`). Only the expiry is read; the token itself is never kept.
func (c *Config) SSOExpiry() (time.Time, error) {
	if c.SSOTokenFile == "" {
		return time.Time{}, fmt.Errorf("AWS profile %q does not use SSO", c.Profile)
	}
	data, err := os.ReadFile(c.SSOTokenFile)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, fmt.Errorf("there is no sign-in for SSO session %q on this machine (no cached token in %s)",
			c.SSOSession, c.SSOTokenFile)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the cached token of SSO session %q: %w", c.SSOSession, err)
	}
	var token struct {
		ExpiresAt string `json:"expiresAt"`
	}
	if json.Unmarshal(data, &token) != nil || token.ExpiresAt == "" {
		return time.Time{}, fmt.Errorf("the cached token of SSO session %q in %s has no expiresAt", c.SSOSession, c.SSOTokenFile)
	}
	t, err := time.Parse(time.RFC3339, token.ExpiresAt)
	if err != nil {
		return time.Time{}, fmt.Errorf("the cached token of SSO session %q has an unreadable expiresAt", c.SSOSession)
	}
	return t, nil
}

// FindProfile is the inference profile this view would switch a base model ID to after
// Bedrock's "on-demand throughput isn't supported" answer, and how it was found ("" when
// none is known).
func (c *Client) FindProfile(ctx context.Context, model string) (id, how string) {
	return c.s.findProfile(ctx, c.Region(), model)
}

// Fallbacks lists, in order, the models this view would move to if Bedrock refused its
// default model as not granted: other models of the role, as profiles that exist in the
// region where ListInferenceProfiles says so. It is empty when the model was configured
// (an explicit ID or an alias), since those are never replaced by another model.
func (c *Client) Fallbacks(ctx context.Context) []string {
	model := c.Model()
	if c.choiceOf(model) != ChoiceDefault {
		return nil
	}
	_, base, _ := models.SplitID(model)
	ids, _ := c.s.candidates(ctx, c.Region(), model, ChoiceDefault, c.role())
	return slices.DeleteFunc(ids, func(id string) bool {
		_, b, _ := models.SplitID(id)
		return b == base
	})
}

// NeedsProfile reports whether err is Bedrock's answer to a base model ID that cannot be
// invoked on demand ("…with on-demand throughput isn't supported…").
func NeedsProfile(err error) bool {
	return err != nil && classify(err).class == classOnDemand
}

// RewrittenContentType reports the Content-Type of a successful streaming answer that was not
// an event stream: a proxy or gateway rewrote it (B33).
func RewrittenContentType(err error) (string, bool) {
	var gw *contentTypeError
	if errors.As(err, &gw) {
		return gw.got, true
	}
	return "", false
}
