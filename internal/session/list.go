package session

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

// Info describes a saved session for a listing.
type Info struct {
	ID       string
	Path     string
	Modified time.Time
	Messages int // user and assistant entries
	// FirstPrompt is the start (80 characters, on one line) of the first user message's last
	// text block: context the agent puts before the prompt, such as memory files, is skipped.
	FirstPrompt string
	Cwd         string
}

// List describes the sessions of cwd, newest first. A transcript it cannot read is listed
// with what could be read of it, so one bad file does not hide the others.
func (s Store) List(cwd string) ([]Info, error) {
	files, err := s.sessionFiles(cwd)
	if err != nil {
		return nil, err
	}
	infos := make([]Info, 0, len(files))
	for _, f := range files {
		info := Info{ID: f.id, Path: f.path, Modified: f.modified}
		summarize(f.path, &info)
		infos = append(infos, info)
	}
	return infos, nil
}

// summarize fills in the counts and first prompt of info, skipping lines it cannot read.
func summarize(path string, info *Info) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			summarizeLine(line, info)
		}
		if err != nil { // io.EOF, or a read error: list what was read
			return
		}
	}
}

func summarizeLine(line []byte, info *Info) {
	var head struct {
		Type    string          `json:"type"`
		Cwd     string          `json:"cwd"`
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(line, &head) != nil {
		return
	}
	if info.Cwd == "" {
		info.Cwd = head.Cwd
	}
	if head.Type != TypeUser && head.Type != TypeAssistant {
		return
	}
	info.Messages++
	if head.Type != TypeUser || info.FirstPrompt != "" {
		return
	}
	var m llm.Message
	if json.Unmarshal(head.Message, &m) == nil {
		info.FirstPrompt = firstPrompt(m)
	}
}

// firstPrompt is the start of the last text block of m, on one line.
func firstPrompt(m llm.Message) string {
	for i := len(m.Content) - 1; i >= 0; i-- {
		b := m.Content[i]
		if b.Type != llm.TypeText || strings.TrimSpace(b.Text) == "" {
			continue
		}
		text := []rune(strings.Join(strings.Fields(b.Text), " "))
		return string(text[:min(len(text), 80)])
	}
	return ""
}
