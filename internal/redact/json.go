package redact

import "encoding/json"

// JSON redacts the strings (values and keys) of a JSON text. Each string is matched in its
// decoded form, so an escape such as \u002f inside a secret cannot hide it, and a replaced
// string is encoded again, so the result stays valid JSON. Bytes outside strings are kept as
// they are. When nothing changes it returns b itself.
func (r *Redactor) JSON(b []byte) []byte {
	snap := r.snap.Load()
	if snap == nil {
		return b
	}
	text := string(b) // one copy, so each string below is a slice of it
	var out []byte    // stays nil until a string changes
	last := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '"' {
			continue
		}
		end, escaped := stringEnd(text, i)
		if end < 0 {
			break // unterminated: not JSON, nothing more to find
		}
		value := text[i+1 : end-1]
		if escaped && json.Unmarshal(b[i:end], &value) != nil {
			i = end - 1
			continue
		}
		if red := snap.redact(value); red != value {
			enc, _ := json.Marshal(red) // a string always encodes
			out = append(out, b[last:i]...)
			out = append(out, enc...)
			last = end
		}
		i = end - 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// stringEnd returns the index just past the closing quote of the string literal starting at
// text[start], and whether it holds escapes; -1 when the literal never ends.
func stringEnd(text string, start int) (end int, escaped bool) {
	for i := start + 1; i < len(text); i++ {
		switch text[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			return i + 1, escaped
		}
	}
	return -1, escaped
}
