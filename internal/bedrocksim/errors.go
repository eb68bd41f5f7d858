package bedrocksim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Texts Bedrock answers with, verbatim where the notes (shared/notes/bedrock-models.md §8)
// recorded them. Texts marked "ours" were not observed and are the emulator's own wording.
const (
	msgInvalidModelID = "The provided model identifier is invalid."
	// The live service writes a curly apostrophe in "isn’t" (notes §8.1).
	msgOnDemandFmt   = "Invocation of model ID %s with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
	msgNoModelAccess = "You don't have access to the model with the specified model ID."
	msgNotFound      = "Could not resolve the foundation model from the provided model identifier."
	msgCacheDenied   = "You invoked an unsupported model or your request did not allow prompt caching"
	msgTokenInvalid  = "The security token included in the request is invalid."
	msgTokenExpired  = "The security token included in the request is expired"
	msgBadSignature  = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgMissingAuth   = "Missing Authentication Token"
	msgBearerInvalid = "Authentication failed: Please make sure your API Key is valid."
	msgThrottled     = "Too many requests, please wait before trying again."
	msgInputTooLong  = "Input is too long for requested model."
	msgInvalidBeta   = "invalid beta flag"
	msgMaxTokensFmt  = "The maximum tokens you requested exceeds the model limit of %d. Try again with a maximum tokens value that is lower than %d."
	msgBudgetTooBig  = "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size"
	msgBudgetTooLow  = "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
	msgInternal      = "The server encountered an internal error while processing the request." // ours
	msgUnavailable   = "Bedrock is unable to process your request."
	msgModelTimeout  = "Model has timed out in processing the request. Try your request again." // ours
	msgStreamError   = "The model stream was interrupted. Try your request again."              // ours
	// modelErrorPrefix wraps errors raised by the model's own validation (notes §8 intro).
	modelErrorPrefix = "The model returned the following errors: "
)

// serviceSuffix follows the code in x-amzn-ErrorType on answers of the Bedrock service itself
// (as seen in captured responses); errors of the authentication layer carry the bare code.
const serviceSuffix = ":http://internal.amazon.com/coral/com.amazon.bedrock/"

// apiError is an error answer: HTTP status, x-amzn-ErrorType code and message.
type apiError struct {
	status  int
	code    string
	message string
	// authLayer marks errors of AWS's authentication front end: no service suffix in the
	// error type.
	authLayer bool
	// capitalKey writes the body as {"Message": …}, as Bedrock does for rejected API keys.
	capitalKey bool
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func newError(status int, code, msg string) *apiError {
	return &apiError{status: status, code: code, message: msg}
}

func authError(status int, code, msg string) *apiError {
	return &apiError{status: status, code: code, message: msg, authLayer: true}
}

func validationError(msg string) *apiError {
	return newError(http.StatusBadRequest, "ValidationException", msg)
}

// modelError is a ValidationException raised by the model's validation, which Bedrock wraps.
func modelError(format string, args ...any) *apiError {
	return validationError(modelErrorPrefix + fmt.Sprintf(format, args...))
}

// malformed is Bedrock's JSON-schema rejection. One violation is spelled out; several are
// counted, as the service does.
func malformed(violations []string) *apiError {
	const tail = ", please reformat your input and try again."
	if len(violations) == 1 {
		return validationError("Malformed input request: " + violations[0] + tail)
	}
	return validationError(fmt.Sprintf("Malformed input request: %d schema violations found%s", len(violations), tail))
}

func accessDenied(msg string) *apiError {
	return newError(http.StatusForbidden, "AccessDeniedException", msg)
}

func throttled(msg string) *apiError {
	if msg == "" {
		msg = msgThrottled
	}
	return newError(http.StatusTooManyRequests, "ThrottlingException", msg)
}

// serverError maps an injected 5xx (or 408/424) status to Bedrock's code for it.
func serverError(status int, msg string) *apiError {
	code, text := "InternalServerException", msgInternal
	switch status {
	case http.StatusServiceUnavailable:
		code, text = "ServiceUnavailableException", msgUnavailable
	case http.StatusRequestTimeout:
		code, text = "ModelTimeoutException", msgModelTimeout
	case http.StatusFailedDependency:
		code, text = "ModelErrorException", "The model encountered an error processing the request." // ours
	}
	if msg != "" {
		text = msg
	}
	return newError(status, code, text)
}

func unknownOperation(method, path string) *apiError {
	return newError(http.StatusNotFound, "UnknownOperationException",
		fmt.Sprintf("bedrocksim serves no operation at %s %s (it serves POST /model/{modelId}/invoke, POST /model/{modelId}/invoke-with-response-stream, GET /inference-profiles and GET /inference-profiles/{id})", method, path))
}

// write sends the error the way Bedrock does: x-amzn-ErrorType header and a JSON body.
func (e *apiError) write(w http.ResponseWriter) {
	typ := e.code
	if !e.authLayer {
		typ += serviceSuffix
	}
	key := "message"
	if e.capitalKey {
		key = "Message"
	}
	body, _ := json.Marshal(map[string]string{key: e.message})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", typ)
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}

// jsonTypeName names the JSON type of a raw value the way Bedrock's schema validator does.
func jsonTypeName(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" {
		return "Null"
	}
	switch s[0] {
	case '{':
		return "JSONObject"
	case '[':
		return "JSONArray"
	case '"':
		return "String"
	case 't', 'f':
		return "Boolean"
	case 'n':
		return "Null"
	}
	if strings.ContainsAny(s, ".eE") {
		return "BigDecimal"
	}
	return "Integer"
}
