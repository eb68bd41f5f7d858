package llm

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// deltaKeys are the content deltas the fast path reads, each with the key of its string.
var deltaKeys = [...]struct{ typ, key string }{
	{DeltaText, "text"}, {DeltaThinking, "thinking"}, {DeltaInputJSON, "partial_json"}, {DeltaSignature, "signature"},
}

// decodeContentDelta reads a content_block_delta written the way the API writes it,
//
//	{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"…"}}
//
// without encoding/json's reflection: nearly every event of an answer has this shape. It
// reports false for anything else (other keys, other order, spaces, invalid UTF-8), which
// then goes through the general decoder; FuzzContentDeltaFastPath checks that the two agree
// wherever this one answers.
func decodeContentDelta(data []byte, e *Event) bool {
	rest, ok := bytes.CutPrefix(data, []byte(`{"type":"content_block_delta","index":`))
	if !ok {
		return false
	}
	index, rest, ok := cutIndex(rest)
	if !ok {
		return false
	}
	if rest, ok = bytes.CutPrefix(rest, []byte(`,"delta":{"type":"`)); !ok {
		return false
	}
	for _, d := range deltaKeys {
		after, ok := bytes.CutPrefix(rest, []byte(d.typ))
		if !ok {
			continue
		}
		if after, ok = bytes.CutPrefix(after, []byte(`","`)); !ok {
			return false
		}
		if after, ok = bytes.CutPrefix(after, []byte(d.key)); !ok {
			return false
		}
		if after, ok = bytes.CutPrefix(after, []byte(`":`)); !ok {
			return false
		}
		value, ok := jsonString(after, []byte("}}"))
		if !ok {
			return false
		}
		delta := &Delta{Type: d.typ}
		switch d.typ {
		case DeltaText:
			delta.Text = value
		case DeltaThinking:
			delta.Thinking = value
		case DeltaInputJSON:
			delta.PartialJSON = value
		case DeltaSignature:
			delta.Signature = value
		}
		*e = Event{Type: EventContentBlockDelta, Index: index, Delta: delta}
		return true
	}
	return false
}

// cutIndex reads a small non-negative JSON integer.
func cutIndex(b []byte) (int, []byte, bool) {
	n, i := 0, 0
	for ; i < len(b) && i < 6 && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int(b[i]-'0')
	}
	if i == 0 || i == 6 || (b[0] == '0' && i > 1) {
		return 0, nil, false
	}
	return n, b[i:], true
}

// jsonString reads the JSON string literal b starts with, which must be followed by exactly
// end. Escapes are decoded by encoding/json; raw control characters and invalid UTF-8 (which
// encoding/json rejects or replaces) send the caller to the general decoder.
func jsonString(b, end []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' {
		return "", false
	}
	escaped, ascii := false, true
	i := 1
	for ; i < len(b); i++ {
		c := b[i]
		if c == '"' {
			break
		}
		switch {
		case c < 0x20:
			return "", false
		case c == '\\':
			escaped = true
			i++ // the escaped character cannot end the string
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if i >= len(b) || !bytes.Equal(b[i+1:], end) {
		return "", false
	}
	lit := b[:i+1]
	if !ascii && !utf8.Valid(lit) {
		return "", false
	}
	if !escaped {
		return string(lit[1:i]), true
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return "", false
	}
	return s, true
}
