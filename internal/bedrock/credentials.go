package bedrock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/strata-agent/strata/internal/proc"
)

// exportProvider is an aws.CredentialsProvider that runs the awsCredentialExport command (B12).
// Its standard output is parsed and dropped, never shown; its standard error only reaches the
// error message of a failed run.
//
// The SDK's credentials cache calls it when the credentials it holds have expired (or were
// dropped for a refresh): one run per expiry, shared by concurrent requests. The cache hides
// the caller's cancellation from it, so a run ends by itself, at its time limit, or with
// strata; a failed run is remembered for the rest of the turn (failureMemo).
type exportProvider struct {
	command string
	source  string
	timeout time.Duration
	run     Runner
	secrets *secrets
	failed  *failureMemo // shared by every load of the AWS configuration
}

const exportSetting = "awsCredentialExport"

// maxExportOutput bounds what is read of the command's standard output.
const maxExportOutput = 1 << 20

// Retrieve runs the command and parses its credentials, unless it already failed in this turn.
func (p *exportProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if err := p.failed.recall(ctx); err != nil {
		return aws.Credentials{}, err
	}
	creds, err := p.retrieve(ctx)
	var ce *CommandError
	if errors.As(err, &ce) {
		p.failed.remember(ctx, err)
	}
	return creds, err
}

func (p *exportProvider) retrieve(ctx context.Context) (aws.Credentials, error) {
	out := proc.NewCapture(maxExportOutput, 0)
	if err := runCommand(ctx, p.run, exportSetting, p.source, p.command, p.timeout, out, io.Discard); err != nil {
		return aws.Credentials{}, err
	}
	if out.Dropped() > 0 {
		return aws.Credentials{}, &CommandError{Setting: exportSetting, Source: p.source, ExitCode: 0,
			Problem: fmt.Sprintf("printed more than %d bytes (it must print only credentials as JSON)", maxExportOutput)}
	}
	creds, problem := parseExport(out.Bytes())
	if problem != "" {
		return aws.Credentials{}, &CommandError{Setting: exportSetting, Source: p.source,
			ExitCode: 0, Problem: problem}
	}
	p.secrets.add(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	return creds, nil
}

// exportJSON accepts both shapes users paste: STS's {"Credentials":{…}} and the flat
// credential_process form of `aws configure export-credentials --format process`.
type exportJSON struct {
	Credentials *exportFields `json:"Credentials"`
	exportFields
}

type exportFields struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
}

// parseExport returns the credentials, or a problem that names what is wrong without quoting
// the output.
func parseExport(out []byte) (aws.Credentials, string) {
	out = bytes.TrimSpace(out)
	if len(out) == 0 {
		return aws.Credentials{}, "printed nothing on standard output (it must print credentials as JSON)"
	}
	var doc exportJSON
	if err := json.Unmarshal(out, &doc); err != nil {
		return aws.Credentials{}, "printed output that is not a JSON object " +
			`(expected {"Credentials":{"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…}})`
	}
	f, prefix := doc.exportFields, ""
	if doc.Credentials != nil {
		f, prefix = *doc.Credentials, "Credentials."
	}
	var missing []string
	if f.AccessKeyID == "" {
		missing = append(missing, prefix+"AccessKeyId")
	}
	if f.SecretAccessKey == "" {
		missing = append(missing, prefix+"SecretAccessKey")
	}
	if len(missing) > 0 {
		return aws.Credentials{}, "printed JSON without " + strings.Join(missing, " and ")
	}
	creds := aws.Credentials{AccessKeyID: f.AccessKeyID, SecretAccessKey: f.SecretAccessKey,
		SessionToken: f.SessionToken, Source: exportSetting}
	if f.Expiration != "" {
		t, err := time.Parse(time.RFC3339, f.Expiration)
		if err != nil {
			return aws.Credentials{}, "printed an " + prefix + "Expiration that is not an RFC 3339 time"
		}
		creds.CanExpire, creds.Expires = true, t
	}
	return creds, ""
}
