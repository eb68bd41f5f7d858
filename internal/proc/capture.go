package proc

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Capture is an io.Writer that keeps the first head bytes and the last tail bytes written to
// it and counts what it drops in between, so a command printing megabytes costs little
// memory. NewCapture(n, 0) keeps the beginning only, NewCapture(0, n) the end only (the last
// lines of an error output). It never fails a write: a short write would make the child's
// output copy stop. Safe for concurrent use.
type Capture struct {
	mu      sync.Mutex
	headMax int
	tailMax int
	head    []byte
	tail    []byte // grows to 2*tailMax before being trimmed, to copy rarely
	total   int64
}

// NewCapture returns a Capture keeping head bytes from the start and tail from the end.
func NewCapture(head, tail int) *Capture {
	return &Capture{headMax: head, tailMax: tail}
}

func (c *Capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total += int64(len(p))
	rest := p
	if room := c.headMax - len(c.head); room > 0 && len(c.tail) == 0 {
		n := min(room, len(rest))
		c.head = append(c.head, rest[:n]...)
		rest = rest[n:]
	}
	if c.tailMax == 0 {
		return len(p), nil
	}
	c.tail = append(c.tail, rest...)
	if len(c.tail) > 2*c.tailMax {
		c.tail = append([]byte(nil), c.tail[len(c.tail)-c.tailMax:]...)
	}
	return len(p), nil
}

// parts returns the kept beginning and end; the lock must be held.
func (c *Capture) parts() (head, tail []byte) {
	head, tail = c.head, c.tail
	if len(tail) > c.tailMax {
		tail = tail[len(tail)-c.tailMax:]
	}
	return head, tail
}

// Total is the number of bytes written.
func (c *Capture) Total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// Dropped is the number of bytes written but not kept.
func (c *Capture) Dropped() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	head, tail := c.parts()
	return c.total - int64(len(head)) - int64(len(tail))
}

// Bytes returns a copy of what was kept, beginning and end joined with nothing between.
func (c *Capture) Bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	head, tail := c.parts()
	return append(append([]byte(nil), head...), tail...)
}

// LastLines returns the last n non-blank lines of what was kept, without trailing spaces.
func (c *Capture) LastLines(n int) string {
	var lines []string
	for _, l := range strings.Split(validUTF8(string(c.Bytes())), "\n") {
		if l = strings.TrimRight(l, " \t\r"); strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// String returns the kept text as valid UTF-8, with a marker saying how much was cut from
// the middle.
func (c *Capture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	head, tail := c.parts()
	cut := c.total - int64(len(head)) - int64(len(tail))
	if cut == 0 {
		return validUTF8(string(head) + string(tail))
	}
	// Do not show half a character on either side of the cut.
	if i := lastRuneStart(head); i >= 0 && !utf8.FullRune(head[i:]) {
		head = head[:i]
	}
	for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
		tail = tail[1:]
	}
	cut = c.total - int64(len(head)) - int64(len(tail))
	return fmt.Sprintf("%s\n\n[… %d bytes of output cut from the middle; %d bytes in total …]\n\n%s",
		validUTF8(string(head)), cut, c.total, validUTF8(string(tail)))
}

// lastRuneStart returns the index of the last byte that starts a character, or -1.
func lastRuneStart(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return -1
}

func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s)) // invalid bytes become U+FFFD
}
