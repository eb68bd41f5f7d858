package edit

import (
	"bytes"
	"strings"
	"testing"
)

// editBytes is one unique (not replace_all) Edit on a file's bytes, as the tool does it.
func editBytes(data []byte, old, new string) ([]byte, document, error) {
	d := parseDocument(data)
	a, err := apply(d.text, d.norm(old), d.norm(new), false)
	if err != nil {
		return nil, d, err
	}
	d.text = a.text
	return d.encode(), d, nil
}

// FuzzEditApply checks two properties of the matcher and the line-ending handling:
// replacing a unique old_string and then the (unique) new_string back restores the file
// byte for byte; and an edit with LF strings on a CRLF file gives the CRLF form of the same
// edit on the LF file.
func FuzzEditApply(f *testing.F) {
	f.Add("a\nb\nc\n", "b", "B")
	f.Add("one\r\ntwo\r\n", "one\n", "1\n2\n")
	f.Add("\xEF\xBB\xBFx\r\ny", "x", "z")
	f.Add("aaa", "aa", "b")
	f.Add("mixed\r\nends\n", "d\r\ne", "-")
	f.Add("日本語\n", "本", "")
	f.Fuzz(func(t *testing.T, content, old, new string) {
		data := []byte(content)
		orig := parseDocument(data)
		fwd, fd, err := editBytes(data, old, new)
		if err != nil {
			return
		}
		if orig.crlf == fd.crlf && orig.bom == parseDocument(fwd).bom && orig.crlf == parseDocument(fwd).crlf {
			if back, _, err := editBytes(fwd, new, old); err == nil && !bytes.Equal(back, data) {
				t.Fatalf("round trip of %q→%q on %q gave %q", old, new, content, back)
			}
		}
		lfOnly := !strings.ContainsRune(content+old+new, '\r') && strings.Contains(content, "\n")
		if !lfOnly {
			return
		}
		crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
		onCRLF, _, errCRLF := editBytes([]byte(crlf(content)), old, new)
		if errCRLF != nil {
			t.Fatalf("edit matched the LF file but failed on its CRLF form: %v", errCRLF)
		}
		if string(onCRLF) != crlf(string(fwd)) {
			t.Fatalf("CRLF edit gave %q, want %q", onCRLF, crlf(string(fwd)))
		}
	})
}
