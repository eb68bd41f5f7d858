package bash

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
	}{
		{"fits", []string{"ab", "cd"}, 4, 4, "abcd"},
		{"exactly full", []string{"abcdefgh"}, 4, 4, "abcdefgh"},
		{"cut in the middle", []string{"abcd", "XXXX", "efgh"}, 4, 4,
			"abcd\n\n[… 4 bytes of output cut from the middle; 12 bytes in total …]\n\nefgh"},
		{"many small writes", strings.Split(strings.Repeat("x", 50)+"END", ""), 2, 3,
			"xx\n\n[… 48 bytes of output cut from the middle; 53 bytes in total …]\n\nEND"},
		// "é" is two bytes: a cut through one drops the whole character on that side.
		{"no half characters", []string{"éééé", "ééé"}, 3, 3,
			"é\n\n[… 10 bytes of output cut from the middle; 14 bytes in total …]\n\né"},
		{"complete character kept at the head", []string{"aé", "zzzzzzzz", "b"}, 3, 1,
			"aé\n\n[… 8 bytes of output cut from the middle; 12 bytes in total …]\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCapture(tt.head, tt.tail)
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
		})
	}
}
