package bedrock

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// class is what the client does about a failure.
type class int

const (
	classUnknown     class = iota // report as is
	classCredentials              // refresh once, then report (B14)
	classThrottled                // back off and retry
	classTransient                // back off and retry
	classOverflow                 // report as ErrContextOverflow: the agent compacts
	classOnDemand                 // the base model ID needs an inference profile: recover once
	classDenied                   // IAM or model access: report
	classNotFound                 // unknown model or not in this region: report
	classInvalid                  // request shape: report
	classGateway                  // something between strata and Bedrock changed the answer
	classQuota                    // a hard quota, not worth retrying
	classTLS                      // the endpoint's certificate is not trusted
)

// failure is a classified error from one attempt.
type failure struct {
	class     class
	code      string // AWS error code, e.g. "ThrottlingException"
	status    int    // HTTP status, 0 when none
	msg       string // the service's message, not yet scrubbed
	requestID string
	retrieval bool // credentials could not be loaded (rather than rejected by Bedrock)
	err       error
}

// Error codes and messages that mean "your credentials are expired or wrong" (B14).
var credentialCodes = map[string]bool{
	"expiredtokenexception": true, "expiredtoken": true, "unrecognizedclientexception": true,
	"invalidsignatureexception": true, "incompletesignature": true, "invalidclienttokenid": true,
	"signaturedoesnotmatch": true, "requestexpired": true,
}

var transientCodes = map[string]bool{
	"internalserverexception": true, "serviceunavailableexception": true,
	"modelstreamerrorexception": true, "modeltimeoutexception": true, "modelnotreadyexception": true,
	"modelerrorexception": true, "internalfailure": true, "serviceunavailable": true,
	"requesttimeout": true, "requesttimeoutexception": true,
	"overloaded_error": true, "api_error": true,
}

var throttleCodes = map[string]bool{
	"throttlingexception": true, "throttling": true, "toomanyrequestsexception": true,
	"rate_limit_error": true,
}

// classify decides what an attempt's error means.
func classify(err error) failure {
	f := failure{err: err}
	var cmd *CommandError
	var cred *credentialsError
	var idle *idleError
	var cut *cutError
	var gw *contentTypeError
	var api smithy.APIError
	switch {
	case errors.As(err, &cmd), errors.As(err, &cred):
		f.class, f.retrieval = classCredentials, true
	case errors.As(err, &idle), errors.As(err, &cut):
		f.class = classTransient
	case errors.As(err, &gw):
		f.class = classGateway
	case isCertificateError(err):
		f.class = classTLS
	case errors.As(err, &api):
		f.code, f.msg = normalizeCode(api.ErrorCode()), api.ErrorMessage()
		f.status = httpStatus(err)
		f.requestID = requestID(err)
		f.class = classifyAPI(strings.ToLower(f.code), f.status, f.msg)
	case isNetworkError(err):
		f.class = classTransient
	default:
		f.status = httpStatus(err)
		f.class = classifyStatus(f.status)
	}
	return f
}

// classifyAPI reads an AWS error code (lower case), HTTP status and message.
func classifyAPI(code string, status int, msg string) class {
	lower := strings.ToLower(msg)
	switch {
	case credentialCodes[code], tokenRejected(lower):
		return classCredentials
	case throttleCodes[code]:
		return classThrottled
	case transientCodes[code]:
		return classTransient
	case code == "accessdeniedexception":
		return classDenied
	case code == "resourcenotfoundexception":
		return classNotFound
	case code == "servicequotaexceededexception":
		return classQuota
	case code == "validationexception" || code == "invalid_request_error" || status == 400:
		return classifyValidation(lower)
	}
	return classifyStatus(status)
}

// tokenRejected spots the credential messages Bedrock sends under other codes.
func tokenRejected(lower string) bool {
	return strings.Contains(lower, "security token included in the request is expired") ||
		strings.Contains(lower, "security token included in the request is invalid")
}

func classifyValidation(lower string) class {
	switch {
	case strings.Contains(lower, "on-demand throughput isn’t supported"),
		strings.Contains(lower, "on-demand throughput isn't supported"),
		strings.Contains(lower, "doesn't support on-demand throughput"),
		strings.Contains(lower, "doesn’t support on-demand throughput"):
		return classOnDemand
	case isOverflow(lower):
		return classOverflow
	case strings.Contains(lower, "model identifier is invalid"):
		return classNotFound
	}
	return classInvalid
}

// isOverflow recognises "the prompt does not fit the context window" in Bedrock's wordings.
func isOverflow(lower string) bool {
	for _, s := range []string{"input is too long", "prompt is too long", "exceed context limit",
		"exceeds the context window", "context length exceeded"} {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}

func classifyStatus(status int) class {
	switch {
	case status == 429:
		return classThrottled
	case status == 408 || status >= 500:
		return classTransient
	case status == 401:
		return classCredentials
	case status == 403:
		return classDenied
	case status == 404:
		return classNotFound
	case status == 400:
		return classInvalid
	}
	return classUnknown
}

// normalizeCode drops the namespace suffix some answers carry in x-amzn-ErrorType
// ("ThrottlingException:http://internal.amazon.com/coral/…").
func normalizeCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if code != "" && code[0] >= 'a' && code[0] <= 'z' && !strings.Contains(code, "_") {
		// In-stream exception frames name their type in lower camel case.
		code = strings.ToUpper(code[:1]) + code[1:]
	}
	return code
}

func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func requestID(err error) string {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.RequestID
	}
	return ""
}

// isNetworkError recognises a connection that broke: reset, refused, timed out, or a body that
// ended early.
func isNetworkError(err error) bool {
	var send *smithyhttp.RequestSendError
	var netErr net.Error
	return errors.As(err, &send) || errors.As(err, &netErr) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		strings.Contains(err.Error(), "connection reset")
}

func isCertificateError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	var hostname x509.HostnameError
	return errors.As(err, &unknown) || errors.As(err, &verify) || errors.As(err, &hostname)
}

// retryable says whether the retry loop may try again.
func (f failure) retryable() bool {
	return f.class == classThrottled || f.class == classTransient
}

// idleError is a stream that sent nothing for too long (the watchdog fired).
type idleError struct{ after string }

func (e *idleError) Error() string {
	return "Bedrock sent nothing for " + e.after + " and the stream was abandoned"
}

// cutError is a stream that ended before message_stop.
type cutError struct{ events int }

func (e *cutError) Error() string {
	return fmt.Sprintf("the response stream ended after %d events, before message_stop", e.events)
}

// credentialsError marks a failure to load credentials (as opposed to Bedrock rejecting them).
type credentialsError struct{ err error }

func (e *credentialsError) Error() string {
	// The cache's wording adds nothing for the user.
	return "loading AWS credentials: " + strings.TrimPrefix(e.err.Error(), "failed to refresh cached credentials, ")
}
func (e *credentialsError) Unwrap() error { return e.err }

// contentTypeError is a 200 answer that is not an event stream (B33).
type contentTypeError struct{ got string }

func (e *contentTypeError) Error() string {
	return fmt.Sprintf("the answer's Content-Type is %q, not %s", e.got, eventStreamType)
}

// describe says what happened, in one line, for messages.
func (f failure) describe(s *secrets) string {
	if f.code == "" || f.code == "UnknownError" {
		if f.status != 0 {
			return fmt.Sprintf("HTTP %d with no error code", f.status)
		}
		if short, ok := connectionFailure(f.err); ok {
			return s.scrub(short)
		}
		return s.scrub(innermost(f.err).Error())
	}
	msg := f.code
	if f.status != 0 {
		msg = fmt.Sprintf("%d %s", f.status, msg)
	}
	if m := firstSentence(f.msg); m != "" {
		msg += ": " + s.scrub(m)
	}
	return msg
}

// innermost drops the SDK's "operation error …, https response error …" wrapping: it returns
// the first error in the chain that this package made, or what the connection reported.
func innermost(err error) error {
	var (
		cmd  *CommandError
		cred *credentialsError
		idle *idleError
		cut  *cutError
		gw   *contentTypeError
		bad  *badEventError
		send *smithyhttp.RequestSendError
	)
	switch {
	case errors.As(err, &cmd):
		return cmd
	case errors.As(err, &cred):
		return cred
	case errors.As(err, &idle):
		return idle
	case errors.As(err, &cut):
		return cut
	case errors.As(err, &gw):
		return gw
	case errors.As(err, &bad):
		return bad
	case errors.As(err, &send) && send.Err != nil:
		return fmt.Errorf("the connection failed: %w", send.Err)
	}
	return err
}

// firstSentence keeps signature-mismatch answers from dumping the canonical request.
func firstSentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	if i := strings.Index(msg, "The Canonical String"); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	return msg
}

// toError builds the error the agent and the user see for a failure that is not retried (or
// whose retries ran out), with what happened, to which model and region, and the fix.
func (f failure) toError(c *shared, model, region string, attempts int) *llm.Error {
	s := c.secrets
	x := explained{f: f, model: model, region: region, ep: c.endpoint, attempts: attempts, what: f.describe(s)}
	explain, ok := explanations[f.class]
	if !ok {
		explain = explainUnknown
	}
	e := explain(x)
	e.Code, e.Status, e.Err = f.code, f.status, s.wrap(f.err)
	if f.requestID != "" {
		e.Message += " (request ID " + f.requestID + ")"
	}
	return e
}

// explained is what an explanation may use.
type explained struct {
	f             failure
	model, region string
	ep            endpoint // where the requests went: AWS, a gateway, a local server
	attempts      int
	what          string // the failure in one line, scrubbed
}

// explanations turn each class of failure into a message and a fix.
var explanations = map[class]func(x explained) *llm.Error{
	classThrottled: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrThrottled,
			Message: fmt.Sprintf("Bedrock kept throttling requests to %s %s (%s); gave up after %d attempts.",
				x.model, x.ep.where(x.region), x.what, x.attempts),
			Fix: x.ep.throttleFix()}
	},
	classTransient: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrTransient,
			Message: fmt.Sprintf("Bedrock failed to answer for %s %s after %d attempts: %s",
				x.model, x.ep.where(x.region), x.attempts, x.what),
			Fix: x.ep.transientFix(x.region, x.f)}
	},
	classOverflow: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrContextOverflow,
			Message: fmt.Sprintf("The conversation is too long for %s: %s", x.model, x.what),
			Fix:     "Compact the conversation (/compact) or start a new one."}
	},
	classDenied: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrAccessDenied,
			Message: fmt.Sprintf("Bedrock denied access to model %s in %s: %s", x.model, x.region, x.what),
			Fix:     accessFix(x.model, x.region, x.f.msg)}
	},
	classNotFound: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrNotFound,
			Message: fmt.Sprintf("Model %s is not available in %s: %s", x.model, x.region, x.what),
			Fix:     regionFix(x.region)}
	},
	classQuota: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrThrottled,
			Message: fmt.Sprintf("A Bedrock quota stopped the request to %s in %s: %s", x.model, x.region, x.what),
			Fix:     "Ask for a higher quota for this model in Service Quotas, or use another region or inference profile."}
	},
	classGateway: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrConfig,
			Message: fmt.Sprintf("The answer for %s did not come back as a Bedrock event stream (%s): "+
				"a proxy or gateway between strata and Bedrock rewrote it.", x.model, x.what),
			Fix: "Check ANTHROPIC_BEDROCK_BASE_URL and HTTPS_PROXY: the gateway must pass Bedrock's " +
				"application/vnd.amazon.eventstream answer through unchanged."}
	},
	classTLS: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrConfig,
			Message: fmt.Sprintf("Could not connect to Bedrock for %s securely: %s", x.model, x.what),
			Fix: "The endpoint's TLS certificate is not trusted. If a proxy or gateway presents its own " +
				"certificate, point AWS_CA_BUNDLE at its CA certificate file."}
	},
	classOnDemand: onDemandError,
	classInvalid: func(x explained) *llm.Error {
		return &llm.Error{Kind: llm.ErrInvalidRequest,
			Message: fmt.Sprintf("Bedrock rejected the request to %s in %s: %s", x.model, x.region, x.what),
			Fix:     invalidFix(strings.ToLower(x.f.msg))}
	},
}

func explainUnknown(x explained) *llm.Error {
	return &llm.Error{Kind: llm.ErrUnknown,
		Message: fmt.Sprintf("The request to %s in %s failed: %s", x.model, x.region, x.what)}
}

func accessFix(model, region, msg string) string {
	fix := "Check that access to " + model + " is granted in the Amazon Bedrock console (Model access) in " +
		region + ", and that your IAM identity is allowed bedrock:InvokeModel, " +
		"bedrock:InvokeModelWithResponseStream and bedrock:ListInferenceProfiles on " +
		"arn:aws:bedrock:*:*:inference-profile/* and arn:aws:bedrock:*:*:application-inference-profile/*."
	if strings.Contains(strings.ToLower(msg), "marketplace") {
		fix += "\nThe model also needs an AWS Marketplace subscription: the identity must be allowed " +
			"aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe once."
	}
	return fix
}

func regionFix(region string) string {
	return "See which models and inference profiles this region offers:\n" +
		"  aws bedrock list-inference-profiles --region " + region + "\n" +
		"or switch to a region that has the model, for example:\n  export AWS_REGION=us-east-1"
}

func invalidFix(lower string) string {
	switch {
	case strings.Contains(lower, "beta"):
		return "The model does not accept one of the beta features strata sent; choose another model " +
			"or report this so the model catalog can be corrected."
	case strings.Contains(lower, "max_tokens") || strings.Contains(lower, "maximum tokens"):
		return "Lower CLAUDE_CODE_MAX_OUTPUT_TOKENS (and MAX_THINKING_TOKENS below it)."
	}
	return "This request was built by strata; if the message above does not point at your " +
		"configuration, please report it."
}

// onDemandError explains "cannot be invoked on demand" when no profile could stand in. For an
// ID that is already an inference profile (or an ARN) there is no profile to add: Bedrock
// says so when the profile is not granted to the account or not offered in the region, and
// suggesting a prefix would only double it (us.us.…).
func onDemandError(x explained) *llm.Error {
	list := "\n  aws bedrock list-inference-profiles --region " + x.region
	if isProfileID(x.model) {
		return &llm.Error{Kind: llm.ErrNotFound,
			Message: fmt.Sprintf("Bedrock refused the inference profile %s in %s (%s): the profile is not granted "+
				"to this account, or not offered in %s.", x.model, x.region, x.what, x.region),
			Fix: "Check that the model is enabled in the Amazon Bedrock console (Model access) for every region the " +
				"profile routes to, that your IAM policy allows the profile and its models, and that the region lists " +
				"the profile:" + list}
	}
	return &llm.Error{Kind: llm.ErrNotFound,
		Message: fmt.Sprintf("Model %s cannot be invoked on demand in %s (%s), and no inference profile "+
			"containing it was found.", x.model, x.region, x.what),
		Fix: "Use an inference-profile ID (such as " + suggestedProfile(x.model, x.region) + ") or an " +
			"inference-profile ARN in ANTHROPIC_MODEL. To list them:" + list}
}

// isProfileID reports whether id already routes through an inference profile: a geography
// prefix (us., au., global., …) or an ARN.
func isProfileID(id string) bool {
	prefix, _, _ := models.SplitID(id)
	return prefix != "" || strings.HasPrefix(strings.TrimSpace(id), "arn:")
}

// suggestedProfile is a profile ID for a base model ID in region: the catalog's narrowest
// one serving the region, else the model under the region's narrowest geography.
func suggestedProfile(base, region string) string {
	if m, ok := models.Lookup(base); ok {
		if id := (models.Resolver{Region: region}).ProfileFor(m); isProfileID(id) {
			return id
		}
	}
	return models.RegionGeos(region)[0] + "." + base
}
