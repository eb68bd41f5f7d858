package bedrock

import (
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// endpointKind says who answers the client's requests, which decides what a failure's advice
// points at: AWS's health dashboard and quotas, a gateway's operator, or a server on this
// machine.
type endpointKind int

const (
	endpointAWS     endpointKind = iota // Bedrock's own regional endpoint (no base URL, or one of AWS's hosts)
	endpointGateway                     // ANTHROPIC_BEDROCK_BASE_URL on another machine
	endpointLocal                       // ANTHROPIC_BEDROCK_BASE_URL on this machine
)

// endpoint is where requests go, as far as messages and advice care.
type endpoint struct {
	kind endpointKind
	host string // host[:port] of the base URL; "" for AWS's default endpoint
}

// endpointOf classifies the configured base URL ("" for AWS's default endpoint).
func endpointOf(baseURL string) endpoint {
	if baseURL == "" {
		return endpoint{kind: endpointAWS}
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		// Not the raw text: a URL that does not parse may still carry user:password@ or a
		// token, and this host goes into error messages.
		return endpoint{kind: endpointGateway, host: "the ANTHROPIC_BEDROCK_BASE_URL gateway"}
	}
	name := strings.ToLower(u.Hostname())
	switch {
	case isLoopback(name):
		return endpoint{kind: endpointLocal, host: u.Host}
	case strings.HasSuffix(name, ".amazonaws.com"), strings.HasSuffix(name, ".amazonaws.com.cn"),
		strings.HasSuffix(name, ".api.aws"):
		// A VPC endpoint or FIPS host is still AWS answering.
		return endpoint{kind: endpointAWS, host: u.Host}
	}
	return endpoint{kind: endpointGateway, host: u.Host}
}

func isLoopback(name string) bool {
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// where names the endpoint and the region in a message: "in us-east-1", "through the
// gateway gw.example.com (us-east-1)", "at the local endpoint 127.0.0.1:8080 (us-east-1)".
func (e endpoint) where(region string) string {
	switch e.kind {
	case endpointGateway:
		return "through the gateway " + e.host + " (" + region + ")"
	case endpointLocal:
		return "at the local endpoint " + e.host + " (" + region + ")"
	}
	return "in " + region
}

// transientFix is the advice when requests kept failing: for AWS, its health dashboard; for
// a gateway, the gateway; for a local endpoint, whether it runs at all.
func (e endpoint) transientFix(region string, f failure) string {
	down := unreachable(f.err)
	switch {
	case e.kind == endpointLocal && down:
		return "Nothing answers at " + e.host + ": is the local server (bedrocksim, a proxy) still running? " +
			"Start it again, or point ANTHROPIC_BEDROCK_BASE_URL at where it listens, and try again."
	case e.kind == endpointLocal:
		return "The local endpoint at " + e.host + " kept failing: see its own output or log for why, then try again."
	case e.kind == endpointGateway && down:
		return "The gateway at " + e.host + " cannot be reached: check that it is up, that " +
			"ANTHROPIC_BEDROCK_BASE_URL names it correctly, and your network or HTTPS_PROXY."
	case e.kind == endpointGateway:
		return "The gateway at " + e.host + " (ANTHROPIC_BEDROCK_BASE_URL) kept failing: check it is " +
			"healthy and can reach Bedrock; its logs or operator can say why."
	case down:
		return "Bedrock's endpoint in " + region + " cannot be reached: check your network connection " +
			"and HTTPS_PROXY, then try again. If they are fine, check the AWS Health Dashboard for Amazon " +
			"Bedrock in " + region + "."
	}
	return "This is usually temporary: try again. If it persists, check the AWS Health Dashboard " +
		"for Amazon Bedrock in " + region + "."
}

// throttleFix is the advice when requests kept being throttled.
func (e endpoint) throttleFix() string {
	switch e.kind {
	case endpointGateway:
		return "Wait a minute and try again. The gateway at " + e.host + " or the Bedrock account behind " +
			"it limits requests: ask its operator for more throughput. To keep retrying longer, raise " +
			"CLAUDE_CODE_MAX_RETRIES."
	case endpointLocal:
		return "Wait a moment and try again: the local endpoint at " + e.host + " throttles requests " +
			"(raise its limits), or raise CLAUDE_CODE_MAX_RETRIES."
	}
	return "Wait a minute and try again. To keep retrying longer, raise CLAUDE_CODE_MAX_RETRIES; " +
		"for more throughput, ask for a higher quota in Service Quotas or use a cross-region " +
		"inference profile (us./eu./apac./global.)."
}

// unreachable reports whether err means no connection could be made or kept: refused,
// reset, no route, a name that does not resolve, a dial that timed out.
func unreachable(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case err == nil:
		return false
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.As(err, &dns):
		return true
	}
	return errors.As(err, &op) && op.Op == "dial"
}

// connectionFailure says in a few words what a failed connection was: "127.0.0.1:8080:
// connection refused" rather than the SDK's `Post "http://…/invoke-with-response-stream":
// dial tcp …` that a status line would cut before the part that matters.
func connectionFailure(err error) (string, bool) {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return "", false
	}
	host := ue.URL
	if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
		host = u.Host
	}
	var dns *net.DNSError
	text := ""
	switch {
	case errors.Is(ue.Err, syscall.ECONNREFUSED):
		text = "connection refused"
	case errors.Is(ue.Err, syscall.ECONNRESET):
		text = "connection reset"
	case errors.As(ue.Err, &dns):
		text = "no such host"
	case ue.Timeout():
		text = "timed out"
	case errors.Is(ue.Err, io.EOF), errors.Is(ue.Err, io.ErrUnexpectedEOF):
		text = "the connection closed"
	default:
		cause := ue.Err
		for next := errors.Unwrap(cause); next != nil; next = errors.Unwrap(cause) {
			cause = next
		}
		text = cause.Error()
	}
	return host + ": " + text, true
}

// short is a failure in a few words that name where it happened, for a status line that
// counts down to the next attempt: "127.0.0.1:8080: connection refused", "gw.example.com:
// 503 ServiceUnavailableException: …", "Bedrock us-east-1: 429 ThrottlingException: …".
func (f failure) short(c *shared, region string) string {
	if text, ok := connectionFailure(f.err); ok {
		return c.secrets.scrub(text)
	}
	name := c.endpoint.host
	if c.endpoint.kind == endpointAWS {
		name = "Bedrock " + region
	}
	return name + ": " + f.describe(c.secrets)
}
