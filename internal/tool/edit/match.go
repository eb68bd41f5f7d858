package edit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/lazyre"
)

// change is one replacement the model asked for; Edit takes one, MultiEdit a list.
type change struct {
	OldString  string `json:"old_string"`
	NewString  string `json:"new_string"`
	ReplaceAll bool   `json:"replace_all"`
}

// applied is the text after one change and where the (first) replacement landed in it.
type applied struct {
	text  string
	count int // occurrences replaced
	at    int // byte offset of the first replacement in text
	size  int // length of the replacement
}

// apply replaces old with new in text. Without all, old must occur exactly once, counting
// overlapping occurrences ("aa" occurs twice in "aaa"), because replacing "the first" of
// several would guess which one the model meant. Errors are written for the model.
func apply(text, old, new string, all bool) (applied, error) {
	switch {
	case old == "":
		return applied{}, errors.New("old_string is empty; give the exact text to replace (to create a file, use Write)")
	case old == new:
		return applied{}, errors.New("old_string and new_string are identical, so there is nothing to change")
	}
	at := strings.Index(text, old)
	if at < 0 {
		return applied{}, notFound(text, old)
	}
	if all {
		return applied{text: strings.ReplaceAll(text, old, new), count: strings.Count(text, old), at: at, size: len(new)}, nil
	}
	if n := countOverlapping(text, old); n > 1 {
		return applied{}, fmt.Errorf("old_string occurs %d times; include more of the surrounding lines so it matches exactly one place, or set replace_all to true to change every occurrence", n)
	}
	return applied{text: text[:at] + new + text[at+len(old):], count: 1, at: at, size: len(new)}, nil
}

func countOverlapping(s, sub string) int {
	n := 0
	for i := strings.Index(s, sub); i >= 0; {
		n++
		j := strings.Index(s[i+1:], sub)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return n
}

// lineNumberPrefix matches the line-number prefix Read puts before each line (padded by older versions).
var lineNumberPrefix = lazyre.New(`(?m)^ *[0-9]+\t`)

// notFound explains a failed match and, when a looser comparison would have matched, what
// differs, since that is what the model needs to fix its next attempt.
func notFound(text, old string) error {
	const base = "old_string was not found in the file"
	hint := ""
	switch {
	case lineNumberPrefix().MatchString(old) && strings.Contains(text, lineNumberPrefix().ReplaceAllString(old, "")):
		hint = "it includes the line-number prefixes from Read's output; leave out everything up to and including the tab after each number"
	case strings.Contains(unifyEOL(text), unifyEOL(old)):
		hint = "it differs from the file only in line endings (CRLF versus LF); the file mixes both, so copy the exact line endings"
	case strings.Contains(straightQuotes(text), straightQuotes(old)):
		hint = "it differs from the file only in quote characters (curly versus straight); copy them exactly"
	case strings.Contains(looseSpace(text), looseSpace(old)):
		hint = "it matches only if whitespace is ignored; check the indentation (tabs versus spaces) and trailing spaces and copy them exactly"
	}
	if hint != "" {
		return fmt.Errorf("%s as given, but %s", base, hint)
	}
	return errors.New(base + "; Read the file again and copy the text to replace exactly, including indentation")
}

func unifyEOL(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

var quoteReplacer = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201C", `"`, "\u201D", `"`)

func straightQuotes(s string) string { return quoteReplacer.Replace(unifyEOL(s)) }

// looseSpace reduces every line to its words separated by single spaces, dropping blank
// lines, so only the non-space characters and their order are compared.
func looseSpace(s string) string {
	var lines []string
	for line := range strings.Lines(straightQuotes(s)) {
		if f := strings.Fields(line); len(f) > 0 {
			lines = append(lines, strings.Join(f, " "))
		}
	}
	return strings.Join(lines, "\n")
}
