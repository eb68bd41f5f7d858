package webfetch

import (
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// htmlToText turns an HTML page into plain text a model can read: scripts, styles and other
// non-text elements are dropped, block elements become line breaks, headings and list items
// get a Markdown-like marker, links keep their target as "text (url)", and entities are
// decoded. It is a small scanner rather than a full HTML parser: it never fails, and on
// broken markup it degrades to showing more text, not less.
func htmlToText(src string, base *url.URL) string {
	c := &converter{base: base, atLineStart: true}
	for i := 0; i < len(src); {
		if src[i] != '<' {
			j := strings.IndexByte(src[i:], '<')
			if j < 0 {
				j = len(src) - i
			}
			c.text(html.UnescapeString(src[i : i+j]))
			i += j
			continue
		}
		i = c.markup(src, i)
	}
	return strings.TrimSpace(c.out.String())
}

type converter struct {
	out         strings.Builder
	base        *url.URL
	atLineStart bool
	space       bool // whitespace seen since the last character written
	wroteText   bool // something other than whitespace has been written
	newlines    int  // line breaks at the end of out
	pre         int  // depth of <pre> elements: whitespace is kept inside
	links       []openLink
	cells       int // cells so far in the current table row
}

type openLink struct {
	href  string
	start int // length of out when the link opened
}

// isSkipped reports elements whose content is not text for a reader.
func isSkipped(name string) bool {
	switch name {
	case "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "math":
		return true
	}
	return false
}

// isParagraph reports elements that get a blank line around them.
func isParagraph(name string) bool {
	switch name {
	case "p", "pre", "blockquote", "table", "ul", "ol", "dl", "section", "article", "header",
		"footer", "form", "figure", "main", "nav", "aside", "details", "fieldset":
		return true
	}
	return false
}

// isLine reports elements that start on a new line.
func isLine(name string) bool {
	switch name {
	case "div", "br", "tr", "dt", "dd", "title", "option", "figcaption", "summary", "address",
		"hr", "caption", "center":
		return true
	}
	return false
}

// markup handles what starts with '<' at src[i] and returns where scanning resumes.
func (c *converter) markup(src string, i int) int {
	rest := src[i:]
	switch {
	case strings.HasPrefix(rest, "<!--"):
		return skipPast(src, i+4, "-->")
	case strings.HasPrefix(rest, "<![CDATA["):
		end := strings.Index(src[i+9:], "]]>")
		if end < 0 {
			c.text(src[i+9:])
			return len(src)
		}
		c.text(src[i+9 : i+9+end])
		return i + 9 + end + 3
	case strings.HasPrefix(rest, "<!") || strings.HasPrefix(rest, "<?"):
		return skipPast(src, i+2, ">")
	}
	t, next, ok := parseTag(src, i)
	if !ok {
		c.text("<") // a lone '<' in text, such as "a < b"
		return i + 1
	}
	if t.closing {
		c.endTag(t.name)
		return next
	}
	if isSkipped(t.name) && !t.selfClosing {
		return skipElement(src, next, t.name)
	}
	c.startTag(t)
	return next
}

func skipPast(src string, from int, end string) int {
	if j := strings.Index(src[from:], end); j >= 0 {
		return from + j + len(end)
	}
	return len(src)
}

// skipElement jumps past the closing tag of name, or to the end when there is none. It
// looks at each "</" once, so a page of many scripts stays linear.
func skipElement(src string, from int, name string) int {
	for i := from; ; {
		j := strings.Index(src[i:], "</")
		if j < 0 {
			return len(src)
		}
		at := i + j + 2
		if at+len(name) <= len(src) && strings.EqualFold(src[at:at+len(name)], name) {
			return skipPast(src, at, ">")
		}
		i = at
	}
}

type tag struct {
	name        string
	closing     bool
	selfClosing bool
	attrs       map[string]string
}

// parseTag reads a start or end tag at src[i] (which is '<'). ok is false when the '<' does
// not begin a tag. Quoted attribute values may contain '>'.
func parseTag(src string, i int) (t tag, next int, ok bool) {
	j := i + 1
	if j < len(src) && src[j] == '/' {
		t.closing = true
		j++
	}
	start := j
	for j < len(src) && (isASCIILetter(src[j]) || (j > start && (isDigit(src[j]) || src[j] == '-' || src[j] == ':'))) {
		j++
	}
	if j == start {
		return tag{}, 0, false
	}
	t.name = strings.ToLower(src[start:j])
	t.attrs = map[string]string{}
	for j < len(src) {
		switch ch := src[j]; {
		case ch == '>':
			return t, j + 1, true
		case ch == '/' && j+1 < len(src) && src[j+1] == '>':
			t.selfClosing = true
			return t, j + 2, true
		case isSpace(ch) || ch == '/':
			j++
		default:
			j = parseAttr(src, j, t.attrs)
		}
	}
	return t, len(src), true
}

// parseAttr reads name[=value] at src[j] into attrs and returns the position after it.
func parseAttr(src string, j int, attrs map[string]string) int {
	start := j
	for j < len(src) && !isSpace(src[j]) && src[j] != '=' && src[j] != '>' && !(src[j] == '/' && j+1 < len(src) && src[j+1] == '>') {
		j++
	}
	name := strings.ToLower(src[start:j])
	for j < len(src) && isSpace(src[j]) {
		j++
	}
	if j >= len(src) || src[j] != '=' {
		attrs[name] = ""
		return max(j, start+1)
	}
	j++
	for j < len(src) && isSpace(src[j]) {
		j++
	}
	var value string
	if j < len(src) && (src[j] == '"' || src[j] == '\'') {
		q := src[j]
		end := strings.IndexByte(src[j+1:], q)
		if end < 0 {
			return len(src)
		}
		value = src[j+1 : j+1+end]
		j += end + 2
	} else {
		vs := j
		for j < len(src) && !isSpace(src[j]) && src[j] != '>' {
			j++
		}
		value = src[vs:j]
	}
	attrs[name] = html.UnescapeString(value)
	return j
}

func (c *converter) startTag(t tag) {
	switch {
	case len(t.name) == 2 && t.name[0] == 'h' && t.name[1] >= '1' && t.name[1] <= '6':
		c.newline(2)
		c.raw(strings.Repeat("#", int(t.name[1]-'0')) + " ")
	case t.name == "li":
		c.newline(1)
		c.raw("- ")
	case t.name == "tr":
		c.newline(1)
		c.cells = 0
	case t.name == "td" || t.name == "th":
		if c.cells > 0 {
			c.raw(" | ")
		}
		c.cells++
	case t.name == "a":
		c.links = append(c.links, openLink{href: t.attrs["href"], start: c.out.Len()})
	case t.name == "img":
		if alt := strings.TrimSpace(t.attrs["alt"]); alt != "" {
			c.text("[" + alt + "]")
		}
	case isParagraph(t.name):
		c.newline(2)
	case isLine(t.name):
		c.newline(1)
	}
	if t.name == "pre" && !t.selfClosing {
		c.pre++
	}
}

func (c *converter) endTag(name string) {
	switch {
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		c.newline(2)
	case name == "a":
		c.closeLink()
	case isParagraph(name):
		c.newline(2)
	case isLine(name):
		c.newline(1)
	}
	if name == "pre" && c.pre > 0 {
		c.pre--
	}
}

// closeLink appends the target of the link being closed, unless it adds nothing: an anchor
// on the same page, a script, or a URL equal to the link text.
func (c *converter) closeLink() {
	if len(c.links) == 0 {
		return
	}
	l := c.links[len(c.links)-1]
	c.links = c.links[:len(c.links)-1]
	text := strings.TrimSpace(c.out.String()[min(l.start, c.out.Len()):])
	target := c.resolve(l.href)
	if text == "" || target == "" || text == target {
		return
	}
	c.text(" (" + target + ")")
}

func (c *converter) resolve(href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if c.base != nil {
		u = c.base.ResolveReference(u)
	}
	switch u.Scheme {
	case "http", "https", "mailto":
		return u.String()
	}
	return ""
}

// text writes s, collapsing whitespace outside <pre>.
func (c *converter) text(s string) {
	if c.pre > 0 {
		if s != "" {
			c.out.WriteString(s)
			c.atLineStart = strings.HasSuffix(s, "\n")
			c.space = false
			c.wroteText = c.wroteText || strings.TrimSpace(s) != ""
			if trimmed := strings.TrimRight(s, "\n"); trimmed == "" {
				c.newlines += len(s)
			} else {
				c.newlines = len(s) - len(trimmed)
			}
		}
		return
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			c.space = true
			continue
		}
		if r == utf8.RuneError || r == 0 {
			r = '\uFFFD'
		}
		if c.space && !c.atLineStart {
			c.out.WriteByte(' ')
		}
		c.space = false
		c.out.WriteRune(r)
		c.atLineStart, c.wroteText, c.newlines = false, true, 0
	}
}

// raw writes a marker such as "- " at the current position.
func (c *converter) raw(s string) {
	if c.space && !c.atLineStart {
		c.out.WriteByte(' ')
	}
	c.space = false
	c.out.WriteString(s)
	c.atLineStart, c.wroteText, c.newlines = false, true, 0
}

// newline ends the current line so that at least n line breaks separate what follows (n=2
// leaves a blank line). Nothing is written at the very start of the text.
func (c *converter) newline(n int) {
	c.space = false
	if !c.wroteText {
		return
	}
	for ; c.newlines < n; c.newlines++ {
		c.out.WriteByte('\n')
	}
	c.atLineStart = true
}

func isASCIILetter(b byte) bool { return (b|0x20) >= 'a' && (b|0x20) <= 'z' }
func isDigit(b byte) bool       { return b >= '0' && b <= '9' }
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f'
}

// decodeLatin1 converts ISO-8859-1 bytes to UTF-8; each byte is the code point of the same
// value.
func decodeLatin1(b []byte) string {
	var s strings.Builder
	s.Grow(len(b))
	for _, c := range b {
		s.WriteRune(rune(c))
	}
	return s.String()
}
