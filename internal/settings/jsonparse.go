package settings

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// A strict JSON parser that keeps the byte offset of every value and object key, so that both
// syntax errors and wrong types can be reported as path:line:col, duplicate keys are caught
// (encoding/json keeps the last one silently), and AddLocalAllowRule can edit a file in place.
// It accepts exactly what encoding/json accepts, minus duplicate keys and absurd nesting; the
// fuzz test checks that against json.Valid.

type kind int

const (
	kindObject kind = iota
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

// describe names a kind for "must be X, not Y" messages.
func (k kind) describe() string {
	return [...]string{"an object", "an array", "a string", "a number", "true/false", "null"}[k]
}

type member struct {
	key    string
	keyOff int
	val    *node
}

// node is one JSON value and where it sits in the input: data[start:end] is its text.
type node struct {
	kind       kind
	start, end int
	members    []member // kindObject, in file order
	elems      []*node  // kindArray
	text       string   // kindString: the decoded string; kindNumber: the literal
	b          bool     // kindBool
}

func (n *node) member(key string) *member {
	for i := range n.members {
		if n.members[i].key == key {
			return &n.members[i]
		}
	}
	return nil
}

// syntaxError is a parse failure at a byte offset.
type syntaxError struct {
	off int
	msg string
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack; settings never nest deep.
const maxDepth = 512

type parser struct {
	data  []byte
	pos   int
	depth int
}

// parseJSON parses one JSON value that must fill data (surrounding white space aside).
func parseJSON(data []byte) (*node, *syntaxError) {
	p := &parser{data: data}
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos == len(data) {
		return nil, &syntaxError{0, "the file is empty; a settings file holds one JSON object, at least {}"}
	}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos != len(data) {
		return nil, p.errorf("unexpected %s after the end of the JSON value", p.describeHere())
	}
	return n, nil
}

func (p *parser) errorf(format string, args ...any) *syntaxError {
	return &syntaxError{p.pos, fmt.Sprintf(format, args...)}
}

// describeHere names the input at the current position for error messages.
func (p *parser) describeHere() string {
	if p.pos >= len(p.data) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", p.data[p.pos])
	}
	return fmt.Sprintf("%q", r)
}

func (p *parser) skipSpace() *syntaxError {
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; c {
		case ' ', '\t', '\n', '\r':
			p.pos++
		case '/':
			if p.pos+1 < len(p.data) && (p.data[p.pos+1] == '/' || p.data[p.pos+1] == '*') {
				return p.errorf("comments are not allowed in JSON settings files")
			}
			return nil
		default:
			return nil
		}
	}
	return nil
}

func (p *parser) value() (*node, *syntaxError) {
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of file; a value is missing (or a closing } or ])")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", kindBool, true)
	case c == 'f':
		return p.literal("false", kindBool, false)
	case c == 'n':
		return p.literal("null", kindNull, false)
	case c == '\'':
		return nil, p.errorf("strings must be in double quotes, not single quotes")
	}
	if c := p.data[p.pos] | 0x20; c >= 'a' && c <= 'z' {
		return nil, p.errorf("unexpected %s where a value should start (strings need double quotes)", p.describeHere())
	}
	return nil, p.errorf("unexpected %s where a value should start", p.describeHere())
}

func (p *parser) enter() *syntaxError {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf("values are nested more than %d levels deep", maxDepth)
	}
	return nil
}

func (p *parser) object() (*node, *syntaxError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n := &node{kind: kindObject, start: p.pos}
	p.pos++ // {
	seen := map[string]int{}
	for first := true; ; first = false {
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		if first && p.pos < len(p.data) && p.data[p.pos] == '}' {
			break
		}
		m, err := p.objectMember(seen)
		if err != nil {
			return nil, err
		}
		n.members = append(n.members, m)
		done, err := p.afterItem('}', "object member")
		if err != nil {
			return nil, err
		}
		if done {
			break
		}
	}
	p.pos++ // }
	n.end = p.pos
	p.depth--
	return n, nil
}

func (p *parser) objectMember(seen map[string]int) (member, *syntaxError) {
	if p.pos >= len(p.data) {
		return member{}, p.errorf("unexpected end of file inside an object; a } is missing")
	}
	if p.data[p.pos] != '"' {
		return member{}, p.errorf("expected a double-quoted key, found %s", p.describeHere())
	}
	keyOff := p.pos
	key, err := p.str()
	if err != nil {
		return member{}, err
	}
	if prev, dup := seen[key.text]; dup {
		line, col := position(p.data, prev)
		return member{}, &syntaxError{keyOff, fmt.Sprintf("duplicate key %q (first at line %d, column %d)", key.text, line, col)}
	}
	seen[key.text] = keyOff
	if err := p.skipSpace(); err != nil {
		return member{}, err
	}
	if p.pos >= len(p.data) || p.data[p.pos] != ':' {
		return member{}, p.errorf("expected ':' after the key %q, found %s", key.text, p.describeHere())
	}
	p.pos++
	if err := p.skipSpace(); err != nil {
		return member{}, err
	}
	val, err := p.value()
	if err != nil {
		return member{}, err
	}
	return member{key: key.text, keyOff: keyOff, val: val}, nil
}

// afterItem consumes what follows an array element or object member: the closing bracket
// (done, left for the caller to consume) or a comma followed by another item.
func (p *parser) afterItem(closing byte, what string) (done bool, err *syntaxError) {
	if err := p.skipSpace(); err != nil {
		return false, err
	}
	if p.pos >= len(p.data) {
		return false, p.errorf("unexpected end of file; a %c is missing", closing)
	}
	switch p.data[p.pos] {
	case closing:
		return true, nil
	case ',':
		comma := p.pos
		p.pos++
		if err := p.skipSpace(); err != nil {
			return false, err
		}
		if p.pos < len(p.data) && p.data[p.pos] == closing {
			return false, &syntaxError{comma, fmt.Sprintf("trailing comma before %c", closing)}
		}
		return false, nil
	}
	return false, p.errorf("expected ',' or '%c' after an %s, found %s", closing, what, p.describeHere())
}

func (p *parser) array() (*node, *syntaxError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n := &node{kind: kindArray, start: p.pos}
	p.pos++ // [
	for first := true; ; first = false {
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		if first && p.pos < len(p.data) && p.data[p.pos] == ']' {
			break
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
		done, err := p.afterItem(']', "array element")
		if err != nil {
			return nil, err
		}
		if done {
			break
		}
	}
	p.pos++ // ]
	n.end = p.pos
	p.depth--
	return n, nil
}

func (p *parser) str() (*node, *syntaxError) {
	start := p.pos
	p.pos++ // opening quote
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; {
		case c == '"':
			p.pos++
			var s string
			if err := json.Unmarshal(p.data[start:p.pos], &s); err != nil {
				// Unreachable: the loop checked everything encoding/json checks in a string.
				return nil, &syntaxError{start, "invalid string: " + err.Error()}
			}
			return &node{kind: kindString, start: start, end: p.pos, text: s}, nil
		case c == '\\':
			if err := p.escape(); err != nil {
				return nil, err
			}
		case c < 0x20:
			return nil, p.errorf("control character 0x%02x inside a string; write it as an escape such as \\n or \\t", c)
		default:
			p.pos++
		}
	}
	return nil, &syntaxError{start, "this string is never closed (a \" is missing)"}
}

// escape checks one backslash escape at p.pos and moves past it.
func (p *parser) escape() *syntaxError {
	if p.pos+1 >= len(p.data) {
		p.pos++
		return p.errorf("unexpected end of file inside a string")
	}
	switch p.data[p.pos+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		p.pos += 2
		return nil
	case 'u':
		for i := 2; i < 6; i++ {
			if p.pos+i >= len(p.data) || !isHex(p.data[p.pos+i]) {
				return p.errorf(`invalid \u escape; it needs four hexadecimal digits`)
			}
		}
		p.pos += 6
		return nil
	}
	return p.errorf(`invalid escape \%c in a string (a backslash must be written \\)`, p.data[p.pos+1])
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) number() (*node, *syntaxError) {
	start := p.pos
	bad := func() (*node, *syntaxError) {
		return nil, &syntaxError{start, "invalid number"}
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(p.data) && p.data[p.pos] == '0':
		p.pos++
		if p.pos < len(p.data) && isDigit(p.data[p.pos]) {
			return nil, &syntaxError{start, "invalid number: leading zeros are not allowed"}
		}
	case p.pos < len(p.data) && isDigit(p.data[p.pos]):
		p.digits()
	default:
		return bad()
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if !p.digits() {
			return bad()
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if !p.digits() {
			return bad()
		}
	}
	return &node{kind: kindNumber, start: start, end: p.pos, text: string(p.data[start:p.pos])}, nil
}

// digits consumes a run of decimal digits and reports whether there was at least one.
func (p *parser) digits() bool {
	from := p.pos
	for p.pos < len(p.data) && isDigit(p.data[p.pos]) {
		p.pos++
	}
	return p.pos > from
}

func (p *parser) literal(word string, k kind, b bool) (*node, *syntaxError) {
	end := p.pos + len(word)
	if end > len(p.data) || string(p.data[p.pos:end]) != word {
		return nil, p.errorf("unexpected %s where a value should start (strings need double quotes)", p.describeHere())
	}
	n := &node{kind: k, start: p.pos, end: end, b: b}
	p.pos = end
	return n, nil
}

// position converts a byte offset into a 1-based line and a 1-based column counted in
// characters (UTF-8 code points), as editors show them.
func position(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line, lineStart := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, utf8.RuneCount(data[lineStart:off]) + 1
}
