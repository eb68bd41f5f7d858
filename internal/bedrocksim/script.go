package bedrocksim

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// Script is a parsed script: the turns a scripted model answers with, in order. Build one
// with ParseScript or LoadScript; docs/bedrocksim.md describes the file format.
type Script struct {
	file        string
	turns       []turn
	onExhausted string            // exhaustedError or exhaustedEcho
	appProfiles map[string]string // application-inference-profile ARN → model ID
}

// Len is the number of turns in the script.
func (sc *Script) Len() int { return len(sc.turns) }

const (
	exhaustedError = "error"
	exhaustedEcho  = "echo"
)

// turn is one answer of the scripted model, with the faults served before it.
type turn struct {
	name           string
	line           int
	when           *when
	faults         []fault // expanded: one entry per request it answers
	content        []scriptBlock
	stopReason     string // "" = derived from the content
	usage          usageOverride
	repeat         bool
	closeTruncated bool
}

// label names the turn in messages: "turn 3 (name)".
func (t *turn) label(i int) string {
	if t.name != "" {
		return fmt.Sprintf("turn %d (%s)", i+1, t.name)
	}
	return fmt.Sprintf("turn %d", i+1)
}

// when holds the conditions a request must meet for the turn to answer it; all must hold.
type when struct {
	userTextContains   string
	toolResultContains string
	hasTool            string
	model              string
	modelContains      string
	operation          string // InvokeModel or InvokeModelWithResponseStream
	hasTools           *bool  // the request offers tools (true) or none (false)
	systemContains     string
	// tools, when set, is the exact list of tool names the request must offer, in order.
	tools    []string
	toolsSet bool
}

// Fault kinds.
const (
	faultThrottle    = "throttle"
	faultServerError = "server_error"
	faultError       = "error"
	faultValidation  = "validation"
	faultExpire      = "expire_credentials"
	faultContentType = "content_type"
	faultCut         = "cut"
	faultException   = "exception"
	faultStall       = "stall"
)

// fault is what one request gets instead of (or while getting) the turn's answer.
type fault struct {
	kind        string
	status      int
	code        string
	message     string
	afterEvents int
	exception   string
	stall       time.Duration
	resume      bool
	reset       bool // cut with a TCP reset instead of a close
	contentType string
}

// streamExceptions maps the exception frames Bedrock's stream can carry to the HTTP status
// and code the same failure has on the non-streaming route.
var streamExceptions = map[string]struct {
	status int
	code   string
	text   string
}{
	"throttlingException":           {429, "ThrottlingException", msgThrottled},
	"modelStreamErrorException":     {424, "ModelStreamErrorException", msgStreamError},
	"internalServerException":       {500, "InternalServerException", msgInternal},
	"serviceUnavailableException":   {503, "ServiceUnavailableException", msgUnavailable},
	"modelTimeoutException":         {408, "ModelTimeoutException", msgModelTimeout},
	"validationException":           {400, "ValidationException", msgInputTooLong},
	"serviceQuotaExceededException": {400, "ServiceQuotaExceededException", "Your request exceeds the service quota for your account."},
}

// scriptBlock is one content block of a scripted answer.
type scriptBlock struct {
	typ       string
	text      string // text
	thinking  string // thinking
	signature string // thinking; "" = computed
	data      string // redacted_thinking
	id        string // tool_use; "" = generated
	name      string // tool_use
	input     json.RawMessage
}

type usageOverride struct {
	input, output, cacheWrite, cacheRead *int
}

// LoadScript reads and parses a script file.
func LoadScript(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read bedrocksim script: %w", err)
	}
	return ParseScript(data, path)
}

// ParseScript parses a script. Errors have the form "filename:line:col: what is wrong".
func ParseScript(data []byte, filename string) (*Script, error) {
	sc, err := parseScript(data, filename)
	if err != nil {
		if pe, ok := err.(*posError); ok {
			line, col := lineCol(data, pe.off)
			return nil, fmt.Errorf("%s:%d:%d: %s", filename, line, col, pe.msg)
		}
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	return sc, nil
}

func parseScript(data []byte, filename string) (*Script, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	sc := &Script{file: filename, onExhausted: exhaustedError, appProfiles: map[string]string{}}
	var defaultWhen *when
	err = decodeObject(root, "the script", map[string]func(*node) error{
		"turns": func(n *node) error { return sc.decodeTurns(n, data) },
		"on_exhausted": func(n *node) error {
			s, err := enumString(n, "on_exhausted", exhaustedError, exhaustedEcho)
			sc.onExhausted = s
			return err
		},
		"app_profiles": func(n *node) error { return sc.decodeAppProfiles(n) },
		"when": func(n *node) error {
			defaultWhen = &when{}
			return defaultWhen.decode(n, "the script's when")
		},
	}, "turns")
	if err != nil {
		return nil, err
	}
	// A script-level "when" is the condition of every turn that has none of its own: one line
	// keeps a whole script on the conversation and off a client's side requests.
	for i := range sc.turns {
		if sc.turns[i].when == nil {
			sc.turns[i].when = defaultWhen
		}
	}
	return sc, nil
}

// decodeObject checks that n is an object, rejects unknown and missing keys, and hands each
// member to its decoder.
func decodeObject(n *node, what string, decoders map[string]func(*node) error, required ...string) error {
	if n.kind != kindObject {
		return errAt(n.off, "%s must be an object, not %s", what, n.kind)
	}
	seen := map[string]bool{}
	for _, f := range n.fields {
		dec, ok := decoders[f.name]
		if !ok {
			return errAt(f.off, "unknown field %q in %s (known: %s)", f.name, what, knownKeys(decoders))
		}
		seen[f.name] = true
		if err := dec(f.val); err != nil {
			return err
		}
	}
	for _, r := range required {
		if !seen[r] {
			return errAt(n.off, "%s needs %q", what, r)
		}
	}
	return nil
}

func knownKeys(decoders map[string]func(*node) error) string {
	keys := make([]string, 0, len(decoders))
	for k := range decoders {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func wantString(n *node, what string) (string, error) {
	if n.kind != kindString {
		return "", errAt(n.off, "%s must be a string, not %s", what, n.kind)
	}
	return n.str, nil
}

func nonEmptyString(n *node, what string) (string, error) {
	s, err := wantString(n, what)
	if err == nil && s == "" {
		err = errAt(n.off, "%s must not be empty", what)
	}
	return s, err
}

func enumString(n *node, what string, allowed ...string) (string, error) {
	s, err := wantString(n, what)
	if err != nil {
		return "", err
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", errAt(n.off, "%s must be one of %s, not %q", what, strings.Join(allowed, ", "), s)
}

func wantInt(n *node, what string, lo, hi int) (int, error) {
	if n.kind != kindNumber {
		return 0, errAt(n.off, "%s must be a number, not %s", what, n.kind)
	}
	v, err := strconv.Atoi(n.str)
	if err != nil {
		return 0, errAt(n.off, "%s must be a whole number, not %s", what, n.str)
	}
	if v < lo || v > hi {
		return 0, errAt(n.off, "%s must be between %d and %d, not %d", what, lo, hi, v)
	}
	return v, nil
}

func wantBool(n *node, what string) (bool, error) {
	if n.kind != kindBool {
		return false, errAt(n.off, "%s must be true or false, not %s", what, n.kind)
	}
	return n.boolv, nil
}

func (sc *Script) decodeAppProfiles(n *node) error {
	if n.kind != kindObject {
		return errAt(n.off, "app_profiles must be an object of ARN → model ID, not %s", n.kind)
	}
	for _, f := range n.fields {
		model, err := nonEmptyString(f.val, "the model of app profile "+f.name)
		if err != nil {
			return err
		}
		if err := checkAppProfile(f.name, model); err != nil {
			return errAt(f.off, "%v", err)
		}
		sc.appProfiles[f.name] = model
	}
	return nil
}

// checkAppProfile validates one application-inference-profile entry.
func checkAppProfile(arn, model string) error {
	a, ok := models.ParseARN(arn)
	if !ok || a.Kind != models.KindApplicationInferenceProfile || strings.Contains(a.Resource, "/") {
		return fmt.Errorf("app profile %q is not an application-inference-profile ARN (arn:aws:bedrock:REGION:ACCOUNT:application-inference-profile/NAME)", arn)
	}
	if _, ok := models.Lookup(model); !ok {
		return fmt.Errorf("app profile %q names model %q, which is not in the catalog (use a base ID or a system inference-profile ID)", arn, model)
	}
	return nil
}

func (sc *Script) decodeTurns(n *node, data []byte) error {
	if n.kind != kindArray {
		return errAt(n.off, "turns must be an array, not %s", n.kind)
	}
	for i, e := range n.elems {
		line, _ := lineCol(data, e.off)
		t := turn{line: line}
		if err := t.decode(e, fmt.Sprintf("turn %d", i+1)); err != nil {
			return err
		}
		sc.turns = append(sc.turns, t)
	}
	return nil
}

func (t *turn) decode(n *node, what string) error {
	var contentSeen bool
	err := decodeObject(n, what, map[string]func(*node) error{
		"name": func(v *node) (err error) { t.name, err = wantString(v, what+": name"); return },
		"when": func(v *node) error { t.when = &when{}; return t.when.decode(v, what+": when") },
		"faults": func(v *node) error {
			return t.decodeFaults(v, what)
		},
		"content": func(v *node) error {
			contentSeen = true
			return t.decodeContent(v, what)
		},
		"stop_reason": func(v *node) (err error) {
			t.stopReason, err = enumString(v, what+": stop_reason", llm.StopEndTurn, llm.StopToolUse,
				llm.StopMaxTokens, llm.StopSequence, llm.StopRefusal, llm.StopPauseTurn)
			return
		},
		"usage":                 func(v *node) error { return t.usage.decode(v, what+": usage") },
		"repeat":                func(v *node) (err error) { t.repeat, err = wantBool(v, what+": repeat"); return },
		"close_truncated_block": func(v *node) (err error) { t.closeTruncated, err = wantBool(v, what+": close_truncated_block"); return },
	})
	if err != nil {
		return err
	}
	if !contentSeen {
		return errAt(n.off, "%s needs \"content\": the answer sent once its faults are used up", what)
	}
	return nil
}

func (w *when) decode(n *node, what string) error {
	str := func(dst *string, key string) func(*node) error {
		return func(v *node) (err error) { *dst, err = nonEmptyString(v, what+": "+key); return }
	}
	err := decodeObject(n, what, map[string]func(*node) error{
		"user_text_contains":   str(&w.userTextContains, "user_text_contains"),
		"tool_result_contains": str(&w.toolResultContains, "tool_result_contains"),
		"has_tool":             str(&w.hasTool, "has_tool"),
		"model":                str(&w.model, "model"),
		"model_contains":       str(&w.modelContains, "model_contains"),
		"system_contains":      str(&w.systemContains, "system_contains"),
		"operation": func(v *node) (err error) {
			w.operation, err = enumString(v, what+": operation", OpInvoke, OpInvokeStream)
			return
		},
		"has_tools": func(v *node) error {
			b, err := wantBool(v, what+": has_tools")
			w.hasTools = &b
			return err
		},
		"tools": func(v *node) error {
			if v.kind != kindArray {
				return errAt(v.off, "%s: tools must be an array of tool names, not %s", what, v.kind)
			}
			w.toolsSet, w.tools = true, []string{}
			for _, e := range v.elems {
				name, err := nonEmptyString(e, what+": tools")
				if err != nil {
					return err
				}
				w.tools = append(w.tools, name)
			}
			return nil
		},
	})
	if err == nil && len(n.fields) == 0 {
		err = errAt(n.off, "%s has no condition; leave \"when\" out to match every request", what)
	}
	return err
}

func (u *usageOverride) decode(n *node, what string) error {
	num := func(dst **int, key string) func(*node) error {
		return func(v *node) error {
			x, err := wantInt(v, what+"."+key, 0, 1<<30)
			*dst = &x
			return err
		}
	}
	return decodeObject(n, what, map[string]func(*node) error{
		"input_tokens":                num(&u.input, "input_tokens"),
		"output_tokens":               num(&u.output, "output_tokens"),
		"cache_creation_input_tokens": num(&u.cacheWrite, "cache_creation_input_tokens"),
		"cache_read_input_tokens":     num(&u.cacheRead, "cache_read_input_tokens"),
	})
}

// apply replaces the counts the script sets.
func (u usageOverride) apply(x llm.Usage) llm.Usage {
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	set(&x.InputTokens, u.input)
	set(&x.OutputTokens, u.output)
	set(&x.CacheCreationInputTokens, u.cacheWrite)
	set(&x.CacheReadInputTokens, u.cacheRead)
	return x
}
