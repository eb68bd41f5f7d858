package proc

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCapture(t *testing.T) {
	tests := []struct {
		name       string
		writes     []string
		head, tail int
		want       string
		dropped    int64
	}{
		{"fits", []string{"ab", "cd"}, 4, 4, "abcd", 0},
		{"exactly full", []string{"abcdefgh"}, 4, 4, "abcdefgh", 0},
		{"cut in the middle", []string{"abcd", "XXXX", "efgh"}, 4, 4,
			"abcd\n\n[… 4 bytes of output cut from the middle; 12 bytes in total …]\n\nefgh", 4},
		{"many small writes", strings.Split(strings.Repeat("x", 50)+"END", ""), 2, 3,
			"xx\n\n[… 48 bytes of output cut from the middle; 53 bytes in total …]\n\nEND", 48},
		// "é" is two bytes: a cut through one drops the whole character on that side.
		{"no half characters", []string{"éééé", "ééé"}, 3, 3,
			"é\n\n[… 10 bytes of output cut from the middle; 14 bytes in total …]\n\né", 8},
		{"complete character kept at the head", []string{"aé", "zzzzzzzz", "b"}, 3, 1,
			"aé\n\n[… 8 bytes of output cut from the middle; 12 bytes in total …]\n\nb", 8},
		{"head only", []string{"abc", "defg", "h"}, 5, 0,
			"abcde\n\n[… 3 bytes of output cut from the middle; 8 bytes in total …]\n\n", 3},
		{"tail only", []string{"abc", "defg", "h"}, 0, 3,
			"\n\n[… 5 bytes of output cut from the middle; 8 bytes in total …]\n\nfgh", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCapture(tt.head, tt.tail)
			for _, w := range tt.writes {
				if n, err := c.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			got := c.String()
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Error("invalid UTF-8")
			}
			if c.Dropped() != tt.dropped || c.Total() != int64(len(strings.Join(tt.writes, ""))) {
				t.Errorf("dropped %d of %d, want %d dropped", c.Dropped(), c.Total(), tt.dropped)
			}
		})
	}
}

func TestCaptureBytesAndLastLines(t *testing.T) {
	c := NewCapture(0, 24)
	for i := range 10 {
		_, _ = c.Write([]byte(strings.Repeat("x", i) + "\n"))
	}
	_, _ = c.Write([]byte("\nlast one\n\n"))
	if got := c.LastLines(2); got != "xxxxxxxxx\nlast one" {
		t.Errorf("LastLines(2) = %q", got)
	}
	if got := c.LastLines(1); got != "last one" {
		t.Errorf("LastLines(1) = %q", got)
	}
	if b := c.Bytes(); len(b) != 24 || !strings.HasSuffix(string(b), "last one\n\n") {
		t.Errorf("Bytes = %q", b)
	}
}
