package bash

import (
	"fmt"
	"sync"
	"unicode/utf8"
)

// capture keeps the beginning and the end of a stream and counts what it drops in between,
// so a command printing megabytes costs little memory and the model still sees how it
// started and how it ended (where errors and summaries usually are).
type capture struct {
	mu      sync.Mutex
	headMax int
	tailMax int
	head    []byte
	tail    []byte // grows to 2*tailMax before being trimmed, to copy rarely
	total   int64
}

func newCapture(headMax, tailMax int) *capture {
	return &capture{headMax: headMax, tailMax: tailMax}
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total += int64(len(p))
	rest := p
	if room := c.headMax - len(c.head); room > 0 && len(c.tail) == 0 {
		n := min(room, len(rest))
		c.head = append(c.head, rest[:n]...)
		rest = rest[n:]
	}
	c.tail = append(c.tail, rest...)
	if len(c.tail) > 2*c.tailMax {
		c.tail = append([]byte(nil), c.tail[len(c.tail)-c.tailMax:]...)
	}
	return len(p), nil
}

// String returns the kept text as valid UTF-8, with a marker saying how much was cut.
func (c *capture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	head, tail := c.head, c.tail
	if len(tail) > c.tailMax {
		tail = tail[len(tail)-c.tailMax:]
	}
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
