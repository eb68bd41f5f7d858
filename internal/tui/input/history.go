package input

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// historyKeep is how many inputs a project's history keeps.
const historyKeep = 500

// history is the project's earlier inputs, oldest first, for Up and Down. It lives in a file
// of JSON strings, one per line, appended as the user sends; a file grown to twice the limit
// is rewritten with the newest entries when loaded. A history that cannot be read or written
// is simply not kept: it is a convenience, never a reason to stop.
type history struct {
	path    string
	entries []string
	pos     int    // the entry shown; len(entries) is the input being written
	draft   string // what was in the input box before browsing started
}

func loadHistory(path string) *history {
	h := &history{path: path}
	if path != "" {
		h.entries = readHistory(path)
		if len(h.entries) > historyKeep {
			h.entries = h.entries[len(h.entries)-historyKeep:]
			h.rewrite()
		}
	}
	h.pos = len(h.entries)
	return h
}

func readHistory(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var s string
		if json.Unmarshal(sc.Bytes(), &s) == nil && s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (h *history) rewrite() {
	var b strings.Builder
	for _, e := range h.entries {
		line, _ := json.Marshal(e)
		b.Write(line)
		b.WriteByte('\n')
	}
	tmp := h.path + ".tmp"
	if os.WriteFile(tmp, []byte(b.String()), 0o600) == nil {
		_ = os.Rename(tmp, h.path)
	}
}

// add records an input sent (not a repeat of the one before) and ends browsing.
func (h *history) add(text string) {
	h.pos, h.draft = len(h.entries), ""
	if n := len(h.entries); n > 0 && h.entries[n-1] == text {
		return
	}
	h.entries = append(h.entries, text)
	h.pos = len(h.entries)
	if h.path == "" {
		return
	}
	line, _ := json.Marshal(text)
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	_, _ = f.Write(append(line, '\n'))
	_ = f.Close()
}

// step moves one entry back (up) or forward and returns the text to show; current is the
// input box's text, kept as the draft when browsing starts.
func (h *history) step(up bool, current string) (string, bool) {
	switch {
	case up && h.pos == 0, !up && h.pos >= len(h.entries):
		return "", false
	case up && h.pos == len(h.entries):
		h.draft = current
	}
	if up {
		h.pos--
	} else {
		h.pos++
	}
	if h.pos == len(h.entries) {
		return h.draft, true
	}
	return h.entries[h.pos], true
}
