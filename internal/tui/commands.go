package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/tui/complete"
	"github.com/strata-agent/strata/internal/tui/look"
	"github.com/strata-agent/strata/internal/tui/picker"
	"github.com/strata-agent/strata/internal/tui/status"
)

// command is a built-in slash command (A11).
type command struct {
	name, args, help string
	anytime          bool // may run while a turn runs (it only reads)
	run              func(m *Model, args string) tea.Cmd
}

func builtinCommands() []command {
	return []command{
		{"help", "", "these commands and the keys", true, (*Model).cmdHelp},
		{"clear", "", "start a new conversation (this one stays saved)", false, (*Model).cmdClear},
		{"compact", "[focus]", "summarise the conversation to free context, keeping [focus] in detail", false, (*Model).cmdCompact},
		{"cost", "", "the same as /usage", true, (*Model).cmdUsage},
		{"usage", "", "tokens and estimated cost of this session, per model, and the totals", true, (*Model).cmdUsage},
		{"model", "[name]", "pick a model, or switch to an alias, model ID, profile ID or ARN", false, (*Model).cmdModel},
		{"context", "", "what fills the context window: system prompt, tools, memory, messages, free space", true, (*Model).cmdContext},
		{"config", "", "change the main settings (model, default mode, output style, auto-compact)", false, (*Model).cmdConfig},
		{"status", "", "provider, region, credentials and models in use", true, (*Model).cmdStatus},
		{"doctor", "", "check the Bedrock setup", true, (*Model).cmdDoctor},
		{"setup-bedrock", "", "set up Bedrock step by step: region, credentials, model (saved to your user settings)", false, (*Model).cmdSetupBedrock},
		{"terminal-setup", "", "how to start a new line (Shift+Enter) in this terminal", true, (*Model).cmdTerminalSetup},
		{"init", "", "ask strata to write a CLAUDE.md for this project", false, (*Model).cmdInit},
		{"memory", "", "the memory files (CLAUDE.md) strata reads", true, (*Model).cmdMemory},
		{"permissions", "[list]", "the permission rules by scope: add, remove, or move one", true, (*Model).cmdPermissionsPick},
		{"add-dir", "<path>", "add a working directory for this session (or remember it)", false, (*Model).cmdAddDir},
		{"sandbox", "[on|off]", "show the Bash sandbox, or turn it on or off for this session", true, (*Model).cmdSandbox},
		{"mcp", "", "MCP servers", true, (*Model).cmdMCP},
		{"output-style", "[name]", "list the output styles, or answer in another one from now on", false, (*Model).cmdOutputStyle},
		{"agents", "", "the sub-agents the model may start", true, extensionsCmd("agents")},
		{"skills", "", "the skills the model may load", true, extensionsCmd("skills")},
		{"hooks", "", "the hooks that run, by event", true, extensionsCmd("hooks")},
		{"plugin", "[enable|disable NAME]", "the plugins loaded; turn one on or off (--scope user|local)", true, (*Model).cmdPlugin},
		{"rewind", "", "restore the code and/or conversation to before an earlier prompt (also Esc Esc)", false, (*Model).cmdRewind},
		{"resume", "[id]", "pick one of this directory's saved sessions, or switch to one", false, (*Model).cmdResume},
		{"rename", "[name]", "name this conversation (shown by /resume)", true, (*Model).cmdRename},
		{"fork", "[name]", "copy this conversation into a new session and continue there", false, (*Model).cmdFork},
		{"login", "", "not used with Bedrock", true, (*Model).cmdLogin},
		{"logout", "", "not used with Bedrock", true, (*Model).cmdLogin},
		{"export", "[file.txt|file.md|clipboard]", "save the conversation as shown, or as markdown (.md), to a new file; or copy the markdown", true, (*Model).cmdExport},
		{"exit", "", "leave strata (also Ctrl-D)", true, (*Model).cmdExit},
	}
}

// runCommand runs /name args: a built-in, or a custom command that becomes a prompt.
func (m *Model) runCommand(text string) tea.Cmd {
	name, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	name, rest, _ := strings.Cut(name, "\n")
	args = strings.TrimSpace(rest + " " + args)
	for _, c := range builtinCommands() {
		if c.name != name && !(name == "quit" && c.name == "exit") {
			continue
		}
		m.transcript.Entry(text, "")
		if m.work.running() && !c.anytime {
			m.say(m.st.Dim.Render("/" + c.name + " waits for the turn to finish (Esc interrupts it)"))
			return nil
		}
		return c.run(m, args)
	}
	for _, c := range m.host.Commands() {
		if c.Name == name {
			// Expanding may run the command's !`…` lines: off the UI's goroutine.
			host := m.host
			return func() tea.Msg {
				prompt, model, _, err := host.ExpandCommand(context.Background(), text)
				return expandedMsg{text: text, prompt: prompt, model: model, err: err}
			}
		}
	}
	if strings.HasPrefix(name, "mcp__") && !m.work.running() {
		ctx, tick := m.startBusy("Fetching the MCP prompt")
		host := m.host
		m.spawn(func() tea.Msg {
			prompt, err := host.MCPPrompt(ctx, name, args)
			return mcpPromptMsg{shown: text, prompt: prompt, err: err}
		})
		return tick
	}
	m.transcript.Entry(text, "")
	m.say(m.st.Bad.Render("Unknown command /"+name) + m.st.Dim.Render(" · /help lists the commands"))
	return nil
}

// expandedMsg carries a custom command's expansion back to the UI.
type expandedMsg struct {
	text, prompt, model string
	err                 error
}

// onExpanded sends an expanded custom command, or says why it could not be expanded.
func (m *Model) onExpanded(msg expandedMsg) tea.Cmd {
	if msg.err != nil {
		m.transcript.Entry(msg.text, "")
		m.say(m.st.Bad.Render(msg.err.Error()))
		return nil
	}
	if msg.model != "" {
		m.sess.SetModel(msg.model)
	}
	return m.sendPrompt(msg.text, msg.prompt)
}

// commandList is what / completion offers: the built-ins, then the custom commands.
func (m *Model) commandList() []complete.Command {
	var out []complete.Command
	for _, c := range builtinCommands() {
		out = append(out, complete.Command{Name: c.name, Args: c.args, Help: c.help})
	}
	for _, c := range m.host.Commands() {
		out = append(out, complete.Command{Name: c.Name, Args: c.ArgumentHint, Help: c.Description, Source: c.Scope})
	}
	return out
}

func (m *Model) cmdHelp(string) tea.Cmd {
	out := []string{m.st.Bold.Render("Commands")}
	for _, c := range builtinCommands() {
		out = append(out, fmt.Sprintf("  %-22s %s", "/"+strings.TrimSpace(c.name+" "+c.args), m.st.Dim.Render(c.help)))
	}
	if custom := m.host.Commands(); len(custom) > 0 {
		out = append(out, m.st.Bold.Render("Custom commands")+m.st.Dim.Render(" (.claude/commands, ~/.claude/commands, skills)"))
		for _, c := range custom {
			out = append(out, fmt.Sprintf("  %-22s %s", "/"+strings.TrimSpace(c.Name+" "+c.ArgumentHint), m.st.Dim.Render(c.Description+" ("+c.Scope+")")))
		}
	}
	out = append(out, m.st.Bold.Render("Keys"),
		"  Enter sends · Shift+Enter (or \\ then Enter) starts a new line · Up/Down go through history",
		"  @path completes a file · !command runs it in the shell · #note adds a line to ./CLAUDE.md",
		"  Shift+Tab changes the permission mode · Esc interrupts · Esc Esc rewinds · Ctrl-O shows the last thinking",
		"  Ctrl-V pastes the clipboard's image · pasting an image's path attaches the image",
		"  Ctrl-C twice or Ctrl-D (on an empty line) exits")
	m.say(out...)
	return nil
}

func (m *Model) cmdClear(string) tea.Cmd {
	sess, id, err := m.host.NewConversation()
	if err != nil {
		m.say(m.st.Bad.Render("Could not start a new conversation: " + err.Error()))
		return nil
	}
	old := m.sessID
	m.switchSession(sess, id)
	m.say("Started a new conversation. The previous one is saved; " + m.st.Bold.Render("strata -r "+old) + " resumes it.")
	return nil
}

// switchSession makes sess the conversation the UI drives; what was kept for the old one
// (context for its next prompt, its thinking) is dropped.
func (m *Model) switchSession(sess Session, id string) {
	m.useSession(sess, id)
	m.extra = nil
	m.transcript.Forget()
}

func (m *Model) cmdCompact(focus string) tea.Cmd {
	return m.compact(focus)
}

func (m *Model) cmdModel(name string) tea.Cmd {
	if name == "" {
		var items []picker.Item
		for _, f := range m.host.ModelChoices() {
			detail := f.Value
			if info := m.host.ModelInfo(f.Value); info.Name != "" {
				detail = info.Name + " · " + f.Value
			}
			items = append(items, picker.Item{Label: f.Label, Detail: detail, Value: f.Label, Current: f.Value == m.status.Model()})
		}
		m.pick("Choose a model (/model NAME also takes a model ID or ARN)", items,
			func(alias string) tea.Cmd { return m.cmdModel(alias) })
		return nil
	}
	id, err := m.host.ResolveModel(name)
	if err != nil {
		m.say(m.st.Bad.Render(err.Error()))
		return nil
	}
	m.sess.SetModel(id)
	m.showModel(id)
	m.say("Model set to " + m.st.Bold.Render(id) + " for this session " + m.st.Dim.Render("(settings unchanged)"))
	return nil
}

func (m *Model) statusFacts() []string {
	facts := append([]Fact{{"Session", m.sessID}, {"Directory", m.opts.Cwd}}, m.host.Status()...)
	facts = append(facts, Fact{"Permission mode", string(m.status.Mode())})
	width := 0
	for _, f := range facts {
		width = max(width, len(f.Label))
	}
	out := make([]string, len(facts))
	for i, f := range facts {
		out[i] = m.st.Dim.Render(fmt.Sprintf("%-*s", width+1, f.Label+":")) + " " + f.Value
	}
	return out
}

func (m *Model) cmdStatus(string) tea.Cmd {
	m.say(m.statusFacts()...)
	return nil
}

// cmdDoctor runs the doctor's checks in the background; their report arrives as doctorDoneMsg.
// The prompt-cache probe is left out (it costs tokens): `strata doctor` runs it.
func (m *Model) cmdDoctor(string) tea.Cmd {
	if m.work.running() {
		m.say(m.st.Dim.Render("Not run: wait for the turn to finish, or press Esc to interrupt it"))
		return nil
	}
	ctx, tick := m.startBusy("Checking the Bedrock setup")
	host := m.host
	m.spawn(func() tea.Msg { return doctorDoneMsg{lines: host.Doctor(ctx)} })
	return tick
}

// onMCPPrompt sends a server's prompt (/mcp__server__prompt) as the user's turn.
func (m *Model) onMCPPrompt(msg mcpPromptMsg) tea.Cmd {
	m.endBusy()
	if msg.err != nil {
		m.transcript.Entry(msg.shown, "")
		m.say(m.st.Bad.Render(msg.err.Error()))
		return nil
	}
	return m.sendPrompt(msg.shown, msg.prompt)
}

func (m *Model) onDoctorDone(msg doctorDoneMsg) {
	m.endBusy()
	m.say(append(msg.lines, m.st.Dim.Render("(strata doctor also probes the prompt cache; strata doctor --iam-policy prints the IAM policy)"))...)
}

// initPrompt is what /init asks of the model.
const initPrompt = "Please look through this codebase and write a CLAUDE.md file in the working directory " +
	"for future coding sessions in it. Include the commands to build, lint and test (and to run a " +
	"single test), and a short account of the architecture that would otherwise take reading " +
	"several files to understand. If a CLAUDE.md already exists, improve it instead of starting " +
	"over. Be concise and leave out what any developer would know."

func (m *Model) cmdInit(string) tea.Cmd {
	return m.sendPrompt("(asking the model to write CLAUDE.md)", initPrompt)
}

func (m *Model) cmdMemory(string) tea.Cmd {
	files, err := m.host.MemoryFiles()
	var out []string
	if len(files) == 0 {
		out = append(out, "No memory files yet. /init writes a CLAUDE.md; #note adds a line to ./CLAUDE.md.")
	} else {
		out = append(out, "Memory files, read at the start of each session:")
		for _, f := range files {
			out = append(out, fmt.Sprintf("  %s %s", f.Path, m.st.Dim.Render("("+f.Scope+", "+look.Plural(f.Lines, "line")+")")))
		}
		out = append(out, m.st.Dim.Render("Edit them in your editor; #note adds a line to ./CLAUDE.md."))
	}
	if err != nil {
		out = append(out, m.st.Bad.Render(err.Error()))
	}
	m.say(out...)
	return nil
}

func (m *Model) cmdPermissions(string) tea.Cmd {
	r := m.host.Rules()
	mode := m.status.Mode()
	out := []string{"Mode: " + m.st.Bold.Render(string(mode)) + m.st.Dim.Render(" — "+status.ModeLabel(mode)+"; Shift+Tab changes it")}
	for _, set := range []struct {
		name  string
		rules []string
	}{{"Allow", r.Allow}, {"Ask", r.Ask}, {"Deny", r.Deny}} {
		if len(set.rules) == 0 {
			out = append(out, set.name+": "+m.st.Dim.Render("none"))
			continue
		}
		out = append(out, set.name+":")
		for _, rule := range set.rules {
			out = append(out, "  "+rule)
		}
	}
	out = append(out, m.st.Dim.Render("Rules live in the settings files; \"always\" answers go to .claude/settings.local.json."))
	m.say(out...)
	return nil
}

func (m *Model) cmdSandbox(args string) tea.Cmd {
	switch args {
	case "", "on", "off":
	default:
		m.say(m.st.Bad.Render("usage: /sandbox [on|off]"))
		return nil
	}
	text, err := m.host.Sandbox(args)
	if err != nil {
		m.say(m.st.Bad.Render(err.Error()))
		return nil
	}
	m.say(strings.Split(text, "\n")...)
	return nil
}

func (m *Model) cmdOutputStyle(args string) tea.Cmd {
	lines, err := m.host.OutputStyle(strings.TrimSpace(args))
	if err != nil {
		m.say(m.st.Bad.Render(err.Error()))
		return nil
	}
	m.say(lines...)
	return nil
}

// extensionsCmd lists one kind of extension the host loaded (/agents, /skills, /hooks).
func extensionsCmd(kind string) func(*Model, string) tea.Cmd {
	return func(m *Model, _ string) tea.Cmd {
		facts := m.host.Extensions(kind)
		if len(facts) == 0 {
			m.say(m.st.Dim.Render("No " + kind + " are configured."))
			return nil
		}
		out := []string{m.st.Bold.Render(strings.ToUpper(kind[:1]) + kind[1:])}
		for _, f := range facts {
			out = append(out, fmt.Sprintf("  %-22s %s", f.Label, m.st.Dim.Render(f.Value)))
		}
		m.say(out...)
		return nil
	}
}

func (m *Model) cmdMCP(args string) tea.Cmd {
	m.say(m.host.MCP(strings.TrimSpace(args))...)
	return nil
}

func (m *Model) cmdResume(id string) tea.Cmd {
	if id != "" {
		sess, err := m.host.Resume(id)
		if err != nil {
			m.say(m.st.Bad.Render(err.Error()))
			return nil
		}
		m.switchSession(sess, id)
		m.say("Resumed session " + m.st.Bold.Render(id) + "; the conversation continues from there.")
		m.syncMode()
		m.replay()
		return nil
	}
	infos, err := m.host.SavedSessions()
	if err != nil {
		m.say(m.st.Bad.Render(err.Error()))
		return nil
	}
	var items []picker.Item
	for _, in := range infos {
		if in.ID == m.sessID {
			continue
		}
		title := strings.TrimSpace(look.FirstLine(in.FirstPrompt))
		if in.Title != "" { // the name /rename gave it (or the reference's summary)
			title = in.Title
		}
		if title == "" {
			title = "(no prompt)"
		}
		items = append(items, picker.Item{Label: title, Value: in.ID,
			Detail: age(m.now().Sub(in.Modified)) + " · " + look.Plural(in.Messages, "message") + " · " + in.ID})
	}
	if len(items) == 0 {
		m.say("No other saved sessions in this directory yet.")
		return nil
	}
	m.pick("Resume a session of this directory", items, func(id string) tea.Cmd { return m.cmdResume(id) })
	return nil
}

// age says how long ago something was, in the largest unit that fits.
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}

// cmdLogin answers /login and /logout in Bedrock mode (B4): one line, nothing changes.
func (m *Model) cmdLogin(string) tea.Cmd {
	m.say("Disabled in Bedrock mode: authentication comes from your AWS credentials.")
	return nil
}

func (m *Model) cmdExit(string) tea.Cmd {
	m.quitting = true
	return nil
}
