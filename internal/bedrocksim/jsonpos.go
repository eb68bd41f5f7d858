package bedrocksim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The script parser works on a tree that remembers where each value and key starts, so every
// complaint can say file:line:col. encoding/json alone reports offsets only for syntax errors.

type nodeKind int

const (
	kindNull nodeKind = iota
	kindBool
	kindNumber
	kindString
	kindObject
	kindArray
)

func (k nodeKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an object", "an array"}[k]
}

// node is one JSON value with its byte offset in the file.
type node struct {
	kind   nodeKind
	off    int
	str    string // string value, or the literal of a number
	boolv  bool
	fields []field // object members in file order
	elems  []*node // array elements
}

type field struct {
	name string
	off  int // offset of the key
	val  *node
}

// posError is an error at a byte offset of the input.
type posError struct {
	off int
	msg string
}

func (e *posError) Error() string { return e.msg }

func errAt(off int, format string, args ...any) *posError {
	return &posError{off: off, msg: fmt.Sprintf(format, args...)}
}

// parseTree reads one JSON value (and nothing after it) into a tree.
func parseTree(data []byte) (*node, error) {
	p := &treeParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	root, err := p.value()
	if err != nil {
		return nil, err
	}
	off := p.next()
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, errAt(off, "unexpected data after the top-level value")
	}
	return root, nil
}

type treeParser struct {
	data []byte
	dec  *json.Decoder
}

// next is the offset of the next token: the decoder's position, past white space and the
// separators it swallows silently.
func (p *treeParser) next() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[off]) >= 0 {
		off++
	}
	return off
}

func (p *treeParser) token() (json.Token, int, error) {
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// The streaming decoder's offsets are not always absolute; a whole-buffer check
			// reports the same error at the right place.
			var v any
			if errors.As(json.Unmarshal(p.data, &v), &syn) {
				return nil, off, errAt(int(syn.Offset)-1, "invalid JSON: %v", syn)
			}
			return nil, off, errAt(off, "invalid JSON: %v", err)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, off, errAt(len(p.data), "invalid JSON: unexpected end of file")
		}
		return nil, off, errAt(off, "invalid JSON: %v", err)
	}
	return tok, off, nil
}

func (p *treeParser) value() (*node, error) {
	tok, off, err := p.token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return p.object(off)
		}
		if t == '[' {
			return p.array(off)
		}
		return nil, errAt(off, "invalid JSON: unexpected %q", string(t))
	case string:
		return &node{kind: kindString, off: off, str: t}, nil
	case json.Number:
		return &node{kind: kindNumber, off: off, str: string(t)}, nil
	case bool:
		return &node{kind: kindBool, off: off, boolv: t}, nil
	case nil:
		return &node{kind: kindNull, off: off}, nil
	}
	return nil, errAt(off, "invalid JSON")
}

func (p *treeParser) object(off int) (*node, error) {
	n := &node{kind: kindObject, off: off}
	seen := map[string]bool{}
	for p.dec.More() {
		tok, koff, err := p.token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		if seen[name] {
			return nil, errAt(koff, "duplicate key %q", name)
		}
		seen[name] = true
		val, err := p.value()
		if err != nil {
			return nil, err
		}
		n.fields = append(n.fields, field{name: name, off: koff, val: val})
	}
	if _, _, err := p.token(); err != nil { // the closing brace
		return nil, err
	}
	return n, nil
}

func (p *treeParser) array(off int) (*node, error) {
	n := &node{kind: kindArray, off: off}
	for p.dec.More() {
		val, err := p.value()
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, val)
	}
	if _, _, err := p.token(); err != nil { // the closing bracket
		return nil, err
	}
	return n, nil
}

// lineCol turns a byte offset into a 1-based line and a 1-based column counted in characters.
func lineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}

// toJSON writes a node back as compact JSON (used for tool inputs, which are free-form).
func (n *node) toJSON() json.RawMessage {
	var buf bytes.Buffer
	n.writeJSON(&buf)
	return buf.Bytes()
}

func (n *node) writeJSON(buf *bytes.Buffer) {
	switch n.kind {
	case kindNull:
		buf.WriteString("null")
	case kindBool:
		fmt.Fprint(buf, n.boolv)
	case kindNumber:
		buf.WriteString(n.str)
	case kindString:
		b, _ := json.Marshal(n.str)
		buf.Write(b)
	case kindArray:
		buf.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				buf.WriteByte(',')
			}
			e.writeJSON(buf)
		}
		buf.WriteByte(']')
	case kindObject:
		buf.WriteByte('{')
		for i, f := range n.fields {
			if i > 0 {
				buf.WriteByte(',')
			}
			b, _ := json.Marshal(f.name)
			buf.Write(b)
			buf.WriteByte(':')
			f.val.writeJSON(buf)
		}
		buf.WriteByte('}')
	}
}
