package bedrocksim

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

// decodeContent reads the answer: a string (one text block) or an array of blocks.
func (t *turn) decodeContent(n *node, what string) error {
	if n.kind == kindString {
		t.content = []scriptBlock{{typ: llm.TypeText, text: n.str}}
		return nil
	}
	if n.kind != kindArray {
		return errAt(n.off, "%s: content must be a string or an array of blocks, not %s", what, n.kind)
	}
	for i, e := range n.elems {
		var b scriptBlock
		if err := b.decode(e, fmt.Sprintf("%s: content block %d", what, i+1)); err != nil {
			return err
		}
		t.content = append(t.content, b)
	}
	return nil
}

// blockFields lists, per block type, the fields a script may give besides "type".
var blockFields = map[string][]string{
	llm.TypeText:             {"text"},
	llm.TypeThinking:         {"thinking", "signature"},
	llm.TypeRedactedThinking: {"data"},
	llm.TypeToolUse:          {"id", "name", "input"},
}

func (b *scriptBlock) decode(n *node, what string) error {
	if n.kind != kindObject {
		return errAt(n.off, "%s must be an object, not %s", what, n.kind)
	}
	var typeNode *node
	for _, f := range n.fields {
		if f.name == "type" {
			typeNode = f.val
		}
	}
	if typeNode == nil {
		return errAt(n.off, "%s needs \"type\" (text, thinking, redacted_thinking or tool_use)", what)
	}
	typ, err := enumString(typeNode, what+": type", llm.TypeText, llm.TypeThinking, llm.TypeRedactedThinking, llm.TypeToolUse)
	if err != nil {
		return err
	}
	b.typ = typ
	decoders := map[string]func(*node) error{"type": func(*node) error { return nil }}
	str := func(dst *string, key string) func(*node) error {
		return func(v *node) (err error) { *dst, err = wantString(v, what+": "+key); return }
	}
	for _, key := range blockFields[typ] {
		switch key {
		case "text":
			decoders[key] = str(&b.text, key)
		case "thinking":
			decoders[key] = str(&b.thinking, key)
		case "signature":
			decoders[key] = str(&b.signature, key)
		case "data":
			decoders[key] = func(v *node) (err error) { b.data, err = nonEmptyString(v, what+": data"); return }
		case "id":
			decoders[key] = func(v *node) (err error) { b.id, err = nonEmptyString(v, what+": id"); return }
		case "name":
			decoders[key] = func(v *node) (err error) { b.name, err = nonEmptyString(v, what+": name"); return }
		case "input":
			decoders[key] = func(v *node) error {
				if v.kind != kindObject {
					return errAt(v.off, "%s: input must be an object, not %s", what, v.kind)
				}
				b.input = v.toJSON()
				return nil
			}
		}
	}
	if err := decodeObject(n, what+" ("+typ+")", decoders); err != nil {
		return err
	}
	return b.checkRequired(n, what)
}

func (b *scriptBlock) checkRequired(n *node, what string) error {
	switch b.typ {
	case llm.TypeToolUse:
		if b.name == "" {
			return errAt(n.off, "%s: a tool_use block needs \"name\"", what)
		}
		if b.input == nil {
			b.input = []byte("{}")
		}
	case llm.TypeRedactedThinking:
		if b.data == "" {
			return errAt(n.off, "%s: a redacted_thinking block needs \"data\"", what)
		}
	}
	return nil
}

// faultFields lists, per fault kind, the fields it takes besides "fault" and "times".
var faultFields = map[string][]string{
	faultThrottle:    {"message"},
	faultServerError: {"status", "message"},
	faultError:       {"status", "code", "message"},
	faultValidation:  {"message"},
	faultExpire:      {},
	faultContentType: {"content_type"},
	faultCut:         {"after_events", "reset"},
	faultException:   {"after_events", "exception", "message"},
	faultStall:       {"ms", "after_events", "resume", "reset"},
}

func faultKinds() string {
	kinds := make([]string, 0, len(faultFields))
	for k := range faultFields {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return strings.Join(kinds, ", ")
}

func (t *turn) decodeFaults(n *node, what string) error {
	if n.kind != kindArray {
		return errAt(n.off, "%s: faults must be an array, not %s", what, n.kind)
	}
	for i, e := range n.elems {
		fw := fmt.Sprintf("%s: fault %d", what, i+1)
		f, times, err := decodeFault(e, fw)
		if err != nil {
			return err
		}
		if len(t.faults) > 0 && t.faults[len(t.faults)-1].resume {
			return errAt(e.off, "%s: comes after a stall with \"resume\": true, which already delivers the answer", fw)
		}
		if f.resume && (times != 1 || i != len(n.elems)-1) {
			return errAt(e.off, "%s: a stall with \"resume\": true delivers the answer, so it must be the last fault and happen once", fw)
		}
		for range times {
			t.faults = append(t.faults, f)
		}
	}
	return nil
}

func decodeFault(n *node, what string) (fault, int, error) {
	var f fault
	if n.kind != kindObject {
		return f, 0, errAt(n.off, "%s must be an object, not %s", what, n.kind)
	}
	var kindNode *node
	for _, fl := range n.fields {
		if fl.name == "fault" {
			kindNode = fl.val
		}
	}
	if kindNode == nil {
		return f, 0, errAt(n.off, "%s needs \"fault\" (one of %s)", what, faultKinds())
	}
	kind, err := wantString(kindNode, what+": fault")
	if err != nil {
		return f, 0, err
	}
	fields, ok := faultFields[kind]
	if !ok {
		return f, 0, errAt(kindNode.off, "%s: unknown fault %q (known: %s)", what, kind, faultKinds())
	}
	f.kind = kind
	times := 1
	decoders := map[string]func(*node) error{
		"fault": func(*node) error { return nil },
		"times": func(v *node) (err error) { times, err = wantInt(v, what+": times", 1, 1000); return },
	}
	for _, key := range fields {
		decoders[key] = f.fieldDecoder(key, what)
	}
	if err := decodeObject(n, what+" ("+kind+")", decoders); err != nil {
		return f, 0, err
	}
	if err := f.checkRequired(n, what); err != nil {
		return f, 0, err
	}
	return f, times, nil
}

func (f *fault) fieldDecoder(key, what string) func(*node) error {
	what += ": " + key
	switch key {
	case "message":
		return func(v *node) (err error) { f.message, err = nonEmptyString(v, what); return }
	case "code":
		return func(v *node) (err error) { f.code, err = nonEmptyString(v, what); return }
	case "content_type":
		return func(v *node) (err error) { f.contentType, err = nonEmptyString(v, what); return }
	case "status":
		return func(v *node) (err error) { f.status, err = wantInt(v, what, 400, 599); return }
	case "after_events":
		return func(v *node) (err error) { f.afterEvents, err = wantInt(v, what, 0, 1<<20); return }
	case "ms":
		return func(v *node) error {
			ms, err := wantInt(v, what, 1, 3_600_000)
			f.stall = time.Duration(ms) * time.Millisecond
			return err
		}
	case "resume":
		return func(v *node) (err error) { f.resume, err = wantBool(v, what); return }
	case "reset":
		return func(v *node) (err error) { f.reset, err = wantBool(v, what); return }
	case "exception":
		return func(v *node) error {
			s, err := wantString(v, what)
			if err != nil {
				return err
			}
			if _, ok := streamExceptions[s]; !ok {
				return errAt(v.off, "%s %q is unknown (known: %s)", what, s, exceptionNames())
			}
			f.exception = s
			return nil
		}
	}
	panic("bedrocksim: no decoder for fault field " + key)
}

func exceptionNames() string {
	var names []string
	for k := range streamExceptions {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (f *fault) checkRequired(n *node, what string) error {
	switch f.kind {
	case faultServerError:
		if f.status == 0 {
			f.status = 500
		}
		switch f.status {
		case 500, 503, 408, 424:
		default:
			return errAt(n.off, "%s: server_error status must be 500, 503, 408 or 424, not %d (use fault \"error\" for others)", what, f.status)
		}
	case faultError:
		if f.status == 0 || f.code == "" || f.message == "" {
			return errAt(n.off, "%s: an error fault needs \"status\", \"code\" and \"message\"", what)
		}
	case faultValidation:
		if f.message == "" {
			return errAt(n.off, "%s: a validation fault needs \"message\" (e.g. %q)", what, msgInputTooLong)
		}
	case faultException:
		if f.exception == "" {
			return errAt(n.off, "%s: an exception fault needs \"exception\" (one of %s)", what, exceptionNames())
		}
	case faultStall:
		if f.stall == 0 {
			return errAt(n.off, "%s: a stall needs \"ms\"", what)
		}
	case faultContentType:
		if f.contentType == "" {
			f.contentType = "application/json"
		}
	}
	return nil
}
