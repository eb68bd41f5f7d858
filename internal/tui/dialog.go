package tui

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-agent/strata/internal/permission"
)

// The permission dialog (A8): allow once, allow always for this project (the rule goes to
// .claude/settings.local.json), or deny with an optional reason the model is told.

type choice int

const (
	choiceYes choice = iota
	choiceAlways
	choiceNo
)

// choices are the answers the request on show offers: "always" only when there is a rule
// that can be remembered safely (the Request's Suggestion).
func (m *Model) choices() []choice {
	if m.dialogs[0].req.Suggestion == "" {
		return []choice{choiceYes, choiceNo}
	}
	return []choice{choiceYes, choiceAlways, choiceNo}
}

func choiceLabel(c choice, req permission.Request) string {
	switch c {
	case choiceYes:
		return "Yes"
	case choiceAlways:
		return "Yes, and don't ask again for " + req.Suggestion + " in this project"
	}
	return "No, and tell the model what to do instead"
}

// dialogKey handles a key while a permission request is shown.
// defaultDialogGrace is how long a new dialog ignores answers: long enough that keys typed
// for the next prompt do not approve a command nobody read.
const defaultDialogGrace = 400 * time.Millisecond

func (m *Model) dialogKey(k tea.KeyPressMsg) tea.Cmd {
	if m.askReason {
		return m.reasonKey(k)
	}
	key := k.String()
	if key != "esc" && key != "ctrl+c" && m.now().Sub(m.dialogSince) < m.dialogGrace() {
		return nil
	}
	choices := m.choices()
	switch key {
	case "up", "k", "shift+tab":
		m.dialogSel = (m.dialogSel + len(choices) - 1) % len(choices)
	case "down", "j", "tab":
		m.dialogSel = (m.dialogSel + 1) % len(choices)
	case "y":
		m.choose(choiceYes)
	case "a":
		if len(choices) == 3 {
			m.choose(choiceAlways)
		}
	case "n":
		m.choose(choiceNo)
	case "1", "2", "3":
		if i := int(key[0] - '1'); i < len(choices) {
			m.choose(choices[i])
		}
	case "enter":
		m.choose(choices[m.dialogSel])
	case "esc", "ctrl+c": // Esc interrupts the turn everywhere (A11); "no" is n or 3
		m.interrupt()
	}
	return nil
}

func (m *Model) dialogGrace() time.Duration {
	switch g := m.opts.DialogGrace; {
	case g < 0:
		return 0
	case g == 0:
		return defaultDialogGrace
	default:
		return g
	}
}

func (m *Model) choose(c choice) {
	switch c {
	case choiceYes:
		m.answer(permission.Answer{Allow: true})
	case choiceAlways:
		m.answer(permission.Answer{Allow: true, Always: true})
	default:
		m.startReason()
	}
}

// startReason turns the input box into the place for the reason of a "no".
func (m *Model) startReason() {
	m.askReason = true
	m.savedDraft = m.input.Value()
	m.input.Reset()
	m.input.Placeholder = "Why not, or what instead? (optional) · Enter sends · Esc just says no"
}

func (m *Model) reasonKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter":
		m.answer(permission.Answer{Reason: strings.TrimSpace(m.input.Value())})
		return nil
	case "esc":
		m.answer(permission.Answer{})
		return nil
	case "ctrl+c":
		m.interrupt()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	return cmd
}

// answer replies to the request on show and moves to the next one.
func (m *Model) answer(ans permission.Answer) {
	if len(m.dialogs) == 0 {
		return
	}
	d := m.dialogs[0]
	d.reply <- ans
	m.dialogs = m.dialogs[1:]
	m.dialogSel, m.dialogSince = 0, m.now()
	if m.askReason {
		m.askReason = false
		m.input.Reset()
		m.input.InsertString(m.savedDraft)
		m.input.Placeholder = inputPlaceholder
	}
	if ans.Always {
		m.gap()
		m.emit(m.st.dim.Render("  " + d.req.Suggestion + " is now allowed in this project (.claude/settings.local.json)"))
	}
}

// dialogView draws the request on show.
func (m *Model) dialogView() string {
	d := m.dialogs[0]
	bar := m.st.accent.Render("│ ")
	title := m.st.accent.Render("╭─ " + dialogTitle(d.req.Call.Tool) + " ")
	// The model wrote what is shown here: make its control characters visible before any
	// styling, so nothing in a command can be hidden from the person approving it.
	fit := func(s string) string { return ansi.Truncate(s, m.width-2, "…") }
	out := []string{title, bar + m.st.bold.Render(fit(visible(d.req.Summary)))}
	if detail := dialogDetail(d.req); detail != "" {
		out = append(out, bar+m.st.dim.Render(fit(visible(detail))))
	}
	for _, l := range m.diffLines(visible(changePreview(d.req.Call))) {
		out = append(out, bar+fit(l))
	}
	if d.req.Reason != "" {
		for _, l := range wrapWords(visible(d.req.Reason), m.width-2) {
			out = append(out, bar+m.st.warn.Render(l))
		}
	}
	out = append(out, bar)
	if m.askReason {
		out = append(out, bar+"No — "+m.st.dim.Render("type the reason below"))
	} else {
		out = append(out, bar+"Allow this?")
		for i, c := range m.choices() {
			label := strconv.Itoa(i+1) + ". " + choiceLabel(c, d.req)
			if i == m.dialogSel {
				out = append(out, bar+m.st.selected.Render("❯ "+label))
			} else {
				out = append(out, bar+"  "+label)
			}
		}
	}
	if n := len(m.dialogs) - 1; n > 0 {
		out = append(out, bar+m.st.dim.Render("· "+plural(n, "more request")+" waiting"))
	}
	out = append(out, m.st.accent.Render("╰─")+m.st.dim.Render(" Enter chooses · n says no · Esc interrupts the turn"))
	return strings.Join(out, "\n")
}

func dialogTitle(toolName string) string {
	switch toolName {
	case "Bash":
		return "Run a command?"
	case "Edit", "MultiEdit":
		return "Edit a file?"
	case "Write":
		return "Write a file?"
	case "WebFetch":
		return "Fetch a web page?"
	}
	return "Use " + toolName + "?"
}

// dialogDetail is a second line for calls whose summary leaves out what matters.
func dialogDetail(req permission.Request) string {
	var in struct {
		Description string `json:"description"`
		Prompt      string `json:"prompt"`
	}
	_ = json.Unmarshal(req.Call.Input, &in) // a bad input shows no detail; the tool reports it
	switch {
	case in.Description != "":
		return in.Description
	case req.Call.Tool == "WebFetch" && in.Prompt != "":
		return in.Prompt
	}
	return ""
}

// previewLines bounds the change shown before an edit or write is allowed.
const previewLines = 16

// changePreview shows what an Edit, MultiEdit or Write call would change, as - and + lines
// (the exact diff comes after it runs).
func changePreview(call permission.Call) string {
	type edit struct {
		Old string `json:"old_string"`
		New string `json:"new_string"`
	}
	var in struct {
		edit
		Content string `json:"content"`
		Edits   []edit `json:"edits"`
	}
	if json.Unmarshal(call.Input, &in) != nil {
		return ""
	}
	var out []string
	add := func(prefix, text string) {
		if text == "" {
			return
		}
		for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			out = append(out, prefix+l)
		}
	}
	switch call.Tool {
	case "Edit":
		add("-", in.Old)
		add("+", in.New)
	case "MultiEdit":
		for _, e := range in.Edits {
			add("-", e.Old)
			add("+", e.New)
		}
	case "Write":
		add("+", in.Content)
	}
	if len(out) > previewLines {
		out = append(out[:previewLines], fmt.Sprintf("… %d more lines", len(out)-previewLines))
	}
	return strings.Join(out, "\n")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
