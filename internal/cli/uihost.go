package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/memory"
	"github.com/strata-agent/strata/internal/models"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/search"
	"github.com/strata-agent/strata/internal/tui"
)

// The host's answers to what the UI needs beyond the session: files for @ completion,
// !commands, #notes and /memory, what a model is called and how much it holds, the saved
// sessions. The UI itself touches neither the file system's layout nor processes.

// Limits of @ completion's listing: a huge tree is cut short rather than waited for.
const (
	listFilesMax    = 20_000
	listFilesBudget = 500 * time.Millisecond
)

// ListFiles lists the working directory's files and directories for @ completion, ignore
// files honoured as the search tools do; directories end in "/". What the Read rules hide
// from the model is not offered either: a mention would put its name in the prompt.
func (h *host) ListFiles(ctx context.Context) []string {
	root := filepath.Clean(h.a.env.Cwd)
	var opts search.Options
	if h.st.checker != nil {
		opts.Visible = h.st.checker.ReadFilter().Allows
	}
	w, err := search.NewWalker(root, opts)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, listFilesBudget)
	defer cancel()
	var out []string
	_ = w.Walk(ctx, func(path string, d fs.DirEntry) error {
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			rel += "/"
		}
		out = append(out, rel)
		if len(out) >= listFilesMax {
			return fs.SkipAll
		}
		return nil
	}) // a walk cut short by the budget still offers what it found
	return out
}

// shellOutputMax is how much of a !command's output is kept.
const shellOutputMax = 1 << 20

// Shell runs a !command with bash in the conversation's working directory and the scrubbed
// environment tools get, through internal/proc: the end of ctx (Esc) stops it with every
// process it started, output is capped and its secrets masked.
func (h *host) Shell(ctx context.Context, command string) tui.ShellResult {
	dir := h.a.env.Cwd
	if sess := h.current(); sess != nil {
		dir = sess.Cwd()
	}
	out := proc.RunLine(ctx, dir, h.st.childEnv, command, shellOutputMax)
	res := tui.ShellResult{Output: string(out.Output)}
	if out.Dropped > 0 {
		res.Output += fmt.Sprintf("\n… (%d more bytes not kept)", out.Dropped)
	}
	if h.st.redactor != nil {
		res.Output = h.st.redactor.String(res.Output)
	}
	if err := out.Err(); err != nil && (out.ExitCode < 0 || out.StartErr != nil || out.Interrupted || out.TimedOut) {
		res.Err = err // it did not start, or a signal or the interrupt ended it
	} else {
		res.ExitCode = out.ExitCode
	}
	return res
}

// AddNote appends a #note to ./CLAUDE.md, the project memory.
func (h *host) AddNote(note string) error {
	return memory.AppendNote(filepath.Join(h.a.env.Cwd, "CLAUDE.md"), note)
}

// MemoryFiles lists the memory files a session of this directory reads (/memory).
func (h *host) MemoryFiles() ([]tui.MemoryFile, error) {
	files, err := memory.LoadWith(h.a.memoryOptions(h.st.settings))
	out := make([]tui.MemoryFile, len(files))
	for i, f := range files {
		out[i] = tui.MemoryFile{Path: f.Path, Scope: f.Scope, Lines: lineCount(f.Content)}
	}
	return out, err
}

func lineCount(text string) int {
	text = strings.TrimRight(text, "\n")
	if strings.TrimSpace(text) == "" {
		return 0
	}
	return strings.Count(text, "\n") + 1
}

// ModelInfo names a model from the catalog and gives its context window as compaction
// counts it: an application-inference-profile ARN or a substituted model counts as the base
// model the client resolves it to.
func (h *host) ModelInfo(id string) tui.ModelInfo {
	var info tui.ModelInfo
	if m, ok := models.Lookup(id); ok {
		info.Name = m.Name
	}
	base, ok := models.Lookup(id)
	if h.st.client != nil {
		base, ok = h.st.client.BaseModel(id)
	}
	if ok {
		_, oneM := models.Strip1M(id)
		info.ContextWindow = base.Window(oneM)
	}
	return info
}

// SavedSessions lists this directory's saved sessions, newest first (/resume).
func (h *host) SavedSessions() ([]tui.SessionInfo, error) {
	infos, err := h.store.List(h.a.env.Cwd)
	out := make([]tui.SessionInfo, len(infos))
	for i, in := range infos {
		out[i] = tui.SessionInfo{ID: in.ID, Modified: in.Modified, Messages: in.Messages, FirstPrompt: in.FirstPrompt, Title: in.Title}
	}
	return out, err
}

// AllowAlways is the "always" answer for a command line of several commands: each rule is
// allowed for the rest of the session and saved to .claude/settings.local.json, before the
// UI lets the call run.
func (h *host) AllowAlways(rules []string) error {
	var errs []error
	for _, rule := range rules {
		if err := h.st.checker.AllowAlways(rule); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := h.remember(rule); err != nil {
			errs = append(errs, fmt.Errorf("%s is allowed for this session, but saving it failed: %w", rule, err))
		}
	}
	return errors.Join(errs...)
}

// OutputStyle lists the output styles or switches the current conversation, and the ones
// /clear starts after it, to another.
func (h *host) OutputStyle(name string) ([]string, error) {
	st := h.st
	if name == "" {
		out := []string{"Output styles (outputStyle in settings chooses one at start):"}
		for _, s := range st.styles.All() {
			mark := "  "
			if s.Name == st.style.Name {
				mark = "* "
			}
			out = append(out, fmt.Sprintf("%s%-20s %s (%s)", mark, s.Name, s.Description, s.Source))
		}
		return out, nil
	}
	s, ok := st.styles.Find(name)
	if !ok {
		return nil, fmt.Errorf("no output style %q; there are: %s", name, strings.Join(st.styles.Names(), ", "))
	}
	if st.compose == nil {
		return nil, errors.New("the session runs as an agent (--agent), whose own prompt has no output style")
	}
	h.mu.Lock() // the status line reads the style from another goroutine
	st.style, st.system = s, st.compose(s)
	if h.sess != nil {
		h.sess.SetSystem(st.system)
	}
	h.mu.Unlock()
	return []string{"Output style: " + s.Name + " (from the next message on)"}, nil
}

// Sandbox shows the Bash sandbox, or switches it for the rest of the session.
func (h *host) Sandbox(action string) (string, error) {
	if action != "" {
		if err := h.st.sandbox.SetOn(action == "on"); err != nil {
			return "", err
		}
	}
	return h.st.sandbox.Summary(), nil
}

// AttachFile reads a file the user mentioned with @path for the next prompt, as the Read tool
// would for the model and under the same permission decision: a file a rule denies, or one
// reading would need asking about (outside the working directories), is not attached, and the
// error says why. The blocks say, as the reference's do, that Read was called and what it gave.
func (h *host) AttachFile(ctx context.Context, path string) (tui.Attachment, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(h.a.env.Cwd, filepath.FromSlash(path))
	}
	var reader tool.Tool
	for _, t := range h.st.tools {
		if t.Name() == "Read" {
			reader = t
		}
	}
	if reader == nil || h.st.checker == nil {
		return tui.Attachment{}, errors.New("the Read tool is not available in this session")
	}
	input, err := json.Marshal(map[string]string{"file_path": path})
	if err != nil {
		return tui.Attachment{}, err
	}
	switch d := h.st.checker.Check(permission.Call{Tool: "Read", Input: input, Class: reader.Class(), Cwd: h.a.env.Cwd}); d.Behavior {
	case permission.Deny:
		return tui.Attachment{}, errors.New(d.Reason)
	case permission.Ask:
		return tui.Attachment{}, fmt.Errorf("reading it needs your permission (%s); ask strata to read it instead", strings.TrimSuffix(d.Reason, "."))
	}
	env := tool.NewEnv(h.a.env.Cwd)
	env.CanRead = h.st.checker.CanRead
	res, err := reader.Run(ctx, env, input)
	if err != nil {
		return tui.Attachment{}, err
	}
	if res.IsError {
		return tui.Attachment{}, errors.New(res.Text)
	}
	blocks := []llm.ContentBlock{
		llm.TextBlock("Called the Read tool with the following input: " + string(input)),
	}
	summary := fmt.Sprintf("Read %d lines", strings.Count(strings.TrimRight(res.Text, "\n"), "\n")+1)
	if len(res.Images) > 0 {
		summary = "Read an image"
		for _, img := range res.Images {
			blocks = append(blocks, llm.ContentBlock{Type: llm.TypeImage, Source: &llm.ImageSource{
				Type: "base64", MediaType: img.MediaType, Data: base64.StdEncoding.EncodeToString(img.Data)}})
		}
	} else {
		blocks = append(blocks, llm.TextBlock("Result of calling the Read tool:\n"+res.Text))
	}
	return tui.Attachment{Blocks: blocks, Summary: summary}, nil
}
