package webfetch

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLToText(t *testing.T) {
	base, _ := url.Parse("https://example.com/docs/page.html")
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs and entities", "<p>Fish &amp; chips</p><p>caf&eacute; &lt;tag&gt; &#x1F600;</p>",
			"Fish & chips\n\ncafé <tag> 😀"},
		{"script and style dropped", "<head><title>T</title><style>p{color:red}</style></head><body><script>var x = '<p>no</p>';</script>yes</body>",
			"T\nyes"},
		{"uppercase tags", "<SCRIPT>bad()</SCRIPT><P>ok</P>", "ok"},
		{"whitespace collapsed", "<div>  a \n\t b  </div>\n\n<div>c</div>", "a b\nc"},
		{"headings and lists", "<h1>Title</h1><ul><li>one</li><li>two <b>bold</b></li></ul><h3>Sub</h3>",
			"# Title\n\n- one\n- two bold\n\n### Sub"},
		{"links", `<a href="/api">API docs</a>, <a href="#top">top</a>, <a href="https://x.org/">https://x.org/</a>, <a href='javascript:void(0)'>js</a>`,
			"API docs (https://example.com/api), top, https://x.org/, js"},
		{"relative link", `<a href="other.html?q=1&amp;r=2">next</a>`, "next (https://example.com/docs/other.html?q=1&r=2)"},
		{"pre keeps whitespace", "<p>x</p><pre>  a\n    b</pre><p>y</p>", "x\n\n  a\n    b\n\ny"},
		{"attribute with >", `<img alt="a > b" src="x.png"><span title="1>2">text</span>`, "[a > b]text"},
		{"comments and doctype", "<!DOCTYPE html><!-- <p>hidden</p> -->shown<?xml x?>", "shown"},
		{"lone less-than", "a < b and 3<4", "a < b and 3<4"},
		{"table", "<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>", "k | v\na | 1"},
		{"unclosed script", "before<script>never closed", "before"},
		{"cdata", "<![CDATA[raw <text>]]>", "raw <text>"},
		{"br", "a<br>b<br/>c", "a\nb\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in, base); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func FuzzHTMLToText(f *testing.F) {
	f.Add("<p>a<a href='x'>b</a></p><script>c</script>")
	f.Add("<pre>\n</pre><h2 <li>&amp")
	f.Add("<a href=\"")
	f.Add("<img alt=x")
	f.Fuzz(func(t *testing.T, in string) {
		out := htmlToText(in, nil)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Errorf("invalid UTF-8 output for %q", in)
		}
		if strings.Contains(strings.ToLower(in), "<script") {
			return
		}
		if len(out) > 4*len(in)+64 {
			t.Errorf("output %d bytes for %d bytes of input", len(out), len(in))
		}
	})
}

// scriptPage is a 5 MB page with 5,000 scripts between paragraphs.
func scriptPage() string {
	var b strings.Builder
	for i := 0; b.Len() < 5<<20; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d of the page.</p>\n<SCRIPT type=\"module\">var x%d = \"</div>\";%s</Script>\n", i, i, strings.Repeat("x", 1000))
	}
	return b.String()
}

// BenchmarkHTMLToText converts a 5 MB page with thousands of scripts. Its yardstick, "lower",
// is one linear pass over the same bytes (strings.ToLower).
func BenchmarkHTMLToText(b *testing.B) {
	page := scriptPage()
	b.Run("lower", func(b *testing.B) {
		for b.Loop() {
			_ = strings.ToLower(page)
		}
	})
	b.Run("convert", func(b *testing.B) {
		for b.Loop() {
			if out := htmlToText(page, nil); strings.Contains(out, "var x") || !strings.Contains(out, "Paragraph 4000 of") {
				b.Fatalf("scripts kept or text lost: %.200s", out)
			}
		}
	})
}
