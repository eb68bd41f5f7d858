package edit

import (
	"bytes"
	"strings"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// document is a file's text as edits see it: without a UTF-8 byte-order mark, and for a file
// whose every line ends in CRLF, with LF line ends, so the model's LF strings match and the
// file's convention is restored on encode. Files that mix endings are matched byte for byte.
type document struct {
	bom  bool
	crlf bool
	text string
}

func parseDocument(data []byte) document {
	var d document
	if bytes.HasPrefix(data, bom) {
		d.bom = true
		data = data[len(bom):]
	}
	d.text = string(data)
	crlfs := strings.Count(d.text, "\r\n")
	if crlfs > 0 && crlfs == strings.Count(d.text, "\n") {
		d.crlf = true
		d.text = strings.ReplaceAll(d.text, "\r\n", "\n")
	}
	return d
}

// encode turns the edited text back into file bytes with the original conventions. It is
// the exact inverse of parseDocument for unchanged text.
func (d document) encode() []byte {
	text := d.text
	if d.crlf {
		text = strings.ReplaceAll(text, "\n", "\r\n")
	}
	if d.bom {
		return append(bytes.Clone(bom), text...)
	}
	return []byte(text)
}

// norm brings an old_string or new_string into the document's line-ending space: in a CRLF
// file a CRLF the model copied is the same line end as the LF it usually sends.
func (d document) norm(s string) string {
	if d.crlf {
		return strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}
