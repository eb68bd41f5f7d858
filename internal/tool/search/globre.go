package search

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// compileGlob turns a glob into an anchored regular expression with the semantics ripgrep's
// globset gives it (literal separators, backslash escapes, {a,b} alternation), so that the Go
// walker selects exactly the files rg would:
//
//   - `*` and `?` never match `/`;
//   - `**` is recursive only as a whole path component (`**/x`, `x/**`, `x/**/y`);
//     elsewhere it behaves like `*`;
//   - `[...]` is a class, `[!...]` or `[^...]` its negation, with no escapes inside.
func compileGlob(glob string) (*regexp.Regexp, error) {
	p := globParser{src: []rune(glob), stack: [][]token{nil}}
	toks, err := p.parse()
	if err != nil {
		return nil, fmt.Errorf("invalid glob %q: %w", glob, err)
	}
	if len(toks) == 1 && toks[0].kind == tokRecursivePrefix {
		return regexp.Compile(`(?s)^.*$`) // a lone `**` matches everything
	}
	return regexp.Compile(`(?s)^` + render(toks) + `$`)
}

type tokKind int

const (
	tokLiteral tokKind = iota
	tokOther
	tokRecursivePrefix     // `**/` at the start: any leading directories, or none
	tokRecursiveSuffix     // `/**` at the end: everything below
	tokRecursiveZeroOrMore // `/**/` in the middle: one separator or any directories
)

// zeroOrMore is what a single `*` matches: anything within one path component.
const zeroOrMore = `[^/]*`

type token struct {
	kind tokKind
	re   string
	lit  rune
}

// recursiveRE is the regular expression of a recursive token.
func recursiveRE(k tokKind) string {
	switch k {
	case tokRecursivePrefix:
		return `(?:/?|.*/)`
	case tokRecursiveSuffix:
		return `/.*`
	default:
		return `(?:/|/.*/)`
	}
}

func render(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		switch t.kind {
		case tokLiteral:
			b.WriteString(regexp.QuoteMeta(string(t.lit)))
		case tokOther:
			b.WriteString(t.re)
		default:
			b.WriteString(recursiveRE(t.kind))
		}
	}
	return b.String()
}

// globParser mirrors globset's parser: stack[0] is the top level and, inside `{…}`, each
// further entry is one alternative.
type globParser struct {
	src   []rune
	pos   int
	stack [][]token
}

func (p *globParser) peek() (rune, bool) {
	if p.pos < len(p.src) {
		return p.src[p.pos], true
	}
	return 0, false
}

func (p *globParser) push(t token) {
	top := len(p.stack) - 1
	p.stack[top] = append(p.stack[top], t)
}

func (p *globParser) pop() (token, bool) {
	top := len(p.stack) - 1
	n := len(p.stack[top])
	if n == 0 {
		return token{}, false
	}
	t := p.stack[top][n-1]
	p.stack[top] = p.stack[top][:n-1]
	return t, true
}

func (p *globParser) inAlternation() bool { return len(p.stack) > 1 }

func (p *globParser) parse() ([]token, error) {
	for p.pos < len(p.src) {
		r := p.src[p.pos]
		p.pos++
		var err error
		switch {
		case r == '\\':
			if n, ok := p.peek(); ok {
				p.pos++
				r = n
			}
			p.push(token{kind: tokLiteral, lit: r})
		case r == '?':
			p.push(token{kind: tokOther, re: `[^/]`})
		case r == '*':
			p.star()
		case r == '[':
			err = p.class()
		case r == '{':
			if p.inAlternation() {
				err = errors.New("nested {…} groups are not allowed")
			}
			p.stack = append(p.stack, nil)
		case r == ',' && p.inAlternation():
			p.stack = append(p.stack, nil)
		case r == '}' && p.inAlternation():
			p.closeAlternation()
		default:
			p.push(token{kind: tokLiteral, lit: r})
		}
		if err != nil {
			return nil, err
		}
	}
	if p.inAlternation() {
		return nil, errors.New("unclosed {")
	}
	return p.stack[0], nil
}

func (p *globParser) closeAlternation() {
	parts := make([]string, 0, len(p.stack)-1)
	for _, alt := range p.stack[1:] {
		parts = append(parts, render(alt))
	}
	p.stack = p.stack[:1]
	p.push(token{kind: tokOther, re: `(?:` + strings.Join(parts, "|") + `)`})
}

// star handles `*`, and `**` in the placements where it spans directories. prev is the
// character before the stars.
func (p *globParser) star() {
	var prev rune
	if p.pos >= 2 {
		prev = p.src[p.pos-2]
	}
	if n, ok := p.peek(); !ok || n != '*' {
		p.push(token{kind: tokOther, re: zeroOrMore})
		return
	}
	p.pos++ // the second '*'
	twoStars := func() {
		p.push(token{kind: tokOther, re: zeroOrMore})
		p.push(token{kind: tokOther, re: zeroOrMore})
	}
	next, hasNext := p.peek()
	top := p.stack[len(p.stack)-1]
	if len(top) == 0 { // start of the glob or of an alternative
		if hasNext && next != '/' {
			twoStars()
			return
		}
		if hasNext {
			p.pos++
		}
		p.push(token{kind: tokRecursivePrefix})
		return
	}
	if prev != '/' {
		twoStars()
		return
	}
	var suffix bool
	switch {
	case !hasNext:
		suffix = true
	case p.inAlternation() && (next == ',' || next == '}'):
		suffix = true
	case next == '/':
		p.pos++
	default:
		twoStars()
		return
	}
	last, _ := p.pop() // the separator before `**`, or a recursive token that ate it
	switch {
	case last.kind == tokRecursivePrefix || last.kind == tokRecursiveSuffix:
		p.push(last)
	case suffix:
		p.push(token{kind: tokRecursiveSuffix})
	default:
		p.push(token{kind: tokRecursiveZeroOrMore})
	}
}

// class parses `[...]` after the opening bracket. A `]` or `-` first is literal, a `-` last
// is literal, and a range must not run backwards.
func (p *globParser) class() error {
	negated := false
	if r, ok := p.peek(); ok && (r == '!' || r == '^') {
		negated = true
		p.pos++
	}
	type span struct{ lo, hi rune }
	var spans []span
	first, inRange := true, false
	for {
		r, ok := p.peek()
		if !ok {
			return errors.New("unclosed [")
		}
		p.pos++
		switch {
		case r == ']' && !first:
			if inRange {
				spans = append(spans, span{'-', '-'})
			}
			var b strings.Builder
			b.WriteString("[")
			if negated {
				b.WriteString("^")
			}
			for _, s := range spans {
				fmt.Fprintf(&b, `\x{%x}-\x{%x}`, s.lo, s.hi)
			}
			b.WriteString("]")
			p.push(token{kind: tokOther, re: b.String()})
			return nil
		case r == '-' && !first && !inRange:
			inRange = true
		case inRange:
			last := &spans[len(spans)-1]
			if r < last.lo {
				return fmt.Errorf("invalid range %c-%c", last.lo, r)
			}
			last.hi = r
			inRange = false
		default:
			spans = append(spans, span{r, r})
		}
		first = false
	}
}
