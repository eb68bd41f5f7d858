package bedrock

import (
	"regexp"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/redact"
)

// secrets scrubs text leaving the package. It feeds every secret the client handles (keys,
// session tokens, the bearer token, custom header values, awsCredentialExport output) into a
// redact.Redactor — the process-wide one when Options.Redactor is set, so transcripts are
// scrubbed too — and also masks credential-shaped text Bedrock or a gateway may echo back (a
// signature-mismatch answer can quote the canonical request with its x-amz-security-token).
type secrets struct {
	r *redact.Redactor
}

func (s *secrets) add(values ...string) {
	for _, v := range values {
		s.r.Add(v)
	}
}

// Patterns that look like credentials even when this process never saw the value.
var secretPatterns = []struct {
	re   func() *regexp.Regexp
	repl string
}{
	{lazyre.New(`(?i)(x-amz-security-token|authorization|x-api-key)(\s*[:=]\s*)\S+(\s+\S+)?`),
		"${1}${2}" + redact.Marker},
	{lazyre.New(`(?i)\bbearer\s+\S+`), "Bearer " + redact.Marker},
	// Credentials printed as JSON or INI (a refresh command that prints what it exported).
	{lazyre.New(`(?i)("?(?:SecretAccessKey|SessionToken|aws_secret_access_key|aws_session_token)"?\s*[:=]\s*)"?[^",\s}]+"?`),
		"${1}" + redact.Marker},
	{lazyre.New(`\b(AKIA|ASIA)[A-Z0-9]{12,}\b`), redact.Marker},
}

// scrub replaces known secret values and credential-like patterns in text.
func (s *secrets) scrub(text string) string {
	if s != nil && s.r != nil {
		text = s.r.String(text)
	}
	for _, p := range secretPatterns {
		text = p.re().ReplaceAllString(text, p.repl)
	}
	return text
}

// scrubbedError shows a scrubbed message but keeps the original chain for errors.Is/As
// (context cancellation, smithy.APIError codes).
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

func (s *secrets) wrap(err error) error {
	if err == nil {
		return nil
	}
	return &scrubbedError{msg: s.scrub(err.Error()), err: err}
}
