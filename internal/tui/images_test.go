package tui

import "testing"

// TestPastedImagePath: a paste that is only the path of an image — plain, quoted, with
// backslashed spaces, or a file:// URL — names that file; anything else is text.
func TestPastedImagePath(t *testing.T) {
	for in, want := range map[string]string{
		"/tmp/shot.png":             "/tmp/shot.png",
		"  /tmp/Shot.JPG\n":         "/tmp/Shot.JPG",
		`'/tmp/my shot.webp'`:       "/tmp/my shot.webp",
		`"/tmp/my shot.gif"`:        "/tmp/my shot.gif",
		`/tmp/my\ shot.jpeg`:        "/tmp/my shot.jpeg",
		"file:///tmp/my%20shot.png": "/tmp/my shot.png",
		"shots/a.png":               "shots/a.png",
		"/tmp/notes.txt":            "",
		"look at /tmp/shot.png":     "look at /tmp/shot.png", // the host finds no such file: pasted as text
		"/tmp/a.png\n/tmp/b.png":    "",
		"/tmp/shot.png.txt":         "",
	} {
		if got := pastedImagePath(in); got != want {
			t.Errorf("pastedImagePath(%q) = %q, want %q", in, got, want)
		}
	}
}
