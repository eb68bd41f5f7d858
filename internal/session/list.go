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
	// Source names the tool that started the session: SourceStrata or SourceClaude.
	Source string
	// Title is the name the user gave the session (/rename), else the reference's summary
	// of the conversation, when it wrote one.
	Title  string
	titled bool // Title is the user's: a later summary does not replace it
}

// Sources of sessions.
const (
	SourceStrata = "strata"
	SourceClaude = "claude"
)

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
		var lastMsg string
		summarize(f.path, &info, &lastMsg)
		if f.legacy {
			info.Source = SourceStrata
		}
		infos = append(infos, info)
	}
	return infos, nil
}

// summarize fills in the counts and first prompt of info, skipping lines it cannot read.
func summarize(path string, info *Info, lastMsg *string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			summarizeLine(line, info, lastMsg)
		}
		if err != nil { // io.EOF, or a read error: list what was read
			return
		}
	}
}

// summarizeLine counts a line of the main conversation: the reference writes each block of a
// response on a line of its own, so lines of one message id count once.
func summarizeLine(line []byte, info *Info, lastMsg *string) {
	var head struct {
		Type        string `json:"type"`
		Cwd         string `json:"cwd"`
		Entrypoint  string `json:"entrypoint"`
		IsSidechain bool   `json:"isSidechain"`
		IsMeta      bool   `json:"isMeta"`
		Compact     bool   `json:"isCompactSummary"`
		Summary     string `json:"summary"`
		CustomTitle string `json:"customTitle"`
		Message     struct {
			ID string `json:"id"` // only: a listing reads every line of every session
		} `json:"message"`
	}
	if json.Unmarshal(line, &head) != nil {
		return
	}
	switch {
	case head.Type == TypeCustomTitle && head.CustomTitle != "":
		info.Title, info.titled = oneLine(head.CustomTitle), true // the last rename wins
	case head.Type == TypeSummary && head.Summary != "" && !info.titled:
		info.Title = oneLine(head.Summary)
	}
	if head.Type != TypeUser && head.Type != TypeAssistant || head.IsSidechain {
		return
	}
	if info.Cwd == "" {
		info.Cwd = head.Cwd
	}
	if info.Source == "" {
		info.Source = SourceClaude
		if head.Entrypoint == entrypoint {
			info.Source = SourceStrata
		}
	}
	if id := head.Message.ID; head.Type == TypeAssistant && id != "" {
		if id == *lastMsg {
			return
		}
		*lastMsg = id
	} else {
		*lastMsg = ""
	}
	info.Messages++
	if head.Type != TypeUser || info.FirstPrompt != "" || head.IsMeta || head.Compact {
		return
	}
	var e struct {
		Message *Message `json:"message"`
	}
	if json.Unmarshal(line, &e) == nil && e.Message != nil {
		info.FirstPrompt = firstPrompt(e.Message.LLM(head.Type))
	}
}

// firstPrompt is the start of the last text block of m, on one line.
func firstPrompt(m llm.Message) string {
	for i := len(m.Content) - 1; i >= 0; i-- {
		b := m.Content[i]
		if b.Type != llm.TypeText || strings.TrimSpace(b.Text) == "" {
			continue
		}
		if strings.HasPrefix(b.Text, "<") {
			continue // the reference's local commands and reminders, not a prompt
		}
		return oneLine(b.Text)
	}
	return ""
}

// oneLine is the start of s (80 characters) on one line.
func oneLine(s string) string {
	text := []rune(strings.Join(strings.Fields(s), " "))
	return string(text[:min(len(text), 80)])
}
