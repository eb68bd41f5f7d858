package llm

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Client sends a request and streams the answer. The Bedrock client implements it; the agent
// depends only on this interface.
type Client interface {
	Stream(ctx context.Context, req *Request) (Stream, error)
}

// Stream yields events as they arrive. Recv returns io.EOF after message_stop. A stream that
// the client restarted after a transient failure reports a NoticeRestart through the
// context's observer (for people, while it waits) and then yields an EventRestart carrying
// the abandoned attempt's billed usage, then a fresh message_start: consumers drop what they
// showed of the old answer and count its usage.
type Stream interface {
	Recv() (Event, error)
	Close() error
}

// NoticeKind says what a Notice reports.
type NoticeKind int

const (
	NoticeRetry         NoticeKind = iota + 1 // a request failed transiently and will be retried
	NoticeRestart                             // a stream broke mid-way; a new one follows
	NoticeRefresh                             // credentials are being refreshed
	NoticeRefreshOutput                       // a line of awsAuthRefresh output, for the user to see
	NoticeWarning                             // something the user should know (model fallback, corrected limits)
)

// Notice is client progress that is not part of the model's answer.
type Notice struct {
	Kind        NoticeKind
	Attempt     int           // retry: the attempt that failed (1-based)
	MaxAttempts int           // retry: the budget
	Delay       time.Duration // retry: wait before the next attempt
	Err         error         // retry/restart: what failed
	Text        string        // refresh, warning: a line for the user; retry: the failure in a few words, naming the endpoint
	Model       string        // retry/restart: the model ID the request was sent to
}

// Observer receives notices. It must not block.
type Observer func(Notice)

type observerKey struct{}

// WithObserver returns a context whose client calls report their notices to obs, in the way
// net/http/httptrace attaches a trace to a request.
func WithObserver(ctx context.Context, obs Observer) context.Context {
	return context.WithValue(ctx, observerKey{}, obs)
}

// Observed reports whether ctx carries an Observer, i.e. whether Notify reaches anyone.
func Observed(ctx context.Context) bool {
	obs, ok := ctx.Value(observerKey{}).(Observer)
	return ok && obs != nil
}

// Notify reports n to the observer attached to ctx, if any.
func Notify(ctx context.Context, n Notice) {
	if obs, ok := ctx.Value(observerKey{}).(Observer); ok && obs != nil {
		obs(n)
	}
}

// Turn identifies one user action — a prompt and everything done for it, sub-agents
// included — so that a client can remember, for the rest of it, a failure that trying again
// would only repeat (a credential command that hung), and try again on the next one.
type Turn struct{ _ byte } // not zero-sized: distinct turns must have distinct addresses

type turnKey struct{}

// WithTurn returns ctx marked as a new turn, or ctx itself when it is already inside one (a
// sub-agent's requests belong to its parent's turn).
func WithTurn(ctx context.Context) context.Context {
	if TurnOf(ctx) != nil {
		return ctx
	}
	return context.WithValue(ctx, turnKey{}, &Turn{})
}

// TurnOf returns the turn ctx belongs to, nil when none was marked.
func TurnOf(ctx context.Context) *Turn {
	t, _ := ctx.Value(turnKey{}).(*Turn)
	return t
}

// ErrorKind classifies provider errors for the agent's decisions.
type ErrorKind int

const (
	ErrUnknown         ErrorKind = iota
	ErrContextOverflow           // the prompt is too long: compact and retry
	ErrThrottled                 // quota: retried already; the budget ran out
	ErrTransient                 // server or stream failure: retried already
	ErrCredentials               // credentials missing, expired or invalid after refresh
	ErrAccessDenied              // IAM or model access not granted
	ErrNotFound                  // unknown model or not in this region
	ErrInvalidRequest            // the request shape was rejected
	ErrConfig                    // strata's configuration is wrong (region missing, …)
)

// Error is a provider failure with what the user can do about it.
type Error struct {
	Kind    ErrorKind
	Code    string // provider error code, e.g. "ThrottlingException"
	Status  int    // HTTP status, 0 when none
	Message string // what happened, to which model/region
	Fix     string // what to do, one or more lines; may be empty
	Err     error  // underlying error, secrets already removed
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Fix != "" {
		msg += "\n" + e.Fix
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of a provider error, ErrUnknown for anything else.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ErrUnknown
}

// Errorf builds an Error of a kind.
func Errorf(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}
