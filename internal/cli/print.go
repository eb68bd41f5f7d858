package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/render"
)

// maxPipedInput bounds how much of piped stdin becomes part of the prompt.
const maxPipedInput = 10 << 20

// runPrint answers without a UI (A1, A5): the prompt from the arguments and piped stdin, or
// user turns as JSON lines with --input-format stream-json.
func runPrint(a *app, opts *Options) error {
	if opts.InputFormat == "stream-json" {
		return runSDK(a, opts)
	}
	var prompt string
	if opts.InputFormat == "text" {
		var err error
		if prompt, err = readPrompt(a, opts.Prompt); err != nil {
			return err
		}
	}
	st, err := a.build(a.ctx, opts)
	if err != nil {
		return err
	}
	defer st.close()
	a.noticeUntrusted(st.settings) // before the hooks and the credential commands run
	st.debugStart()
	out, errOut := st.redactor.Writer(a.io.Out), st.redactor.Writer(a.io.ErrOut)
	defer flush(errOut)
	defer flush(out)
	printer := render.New(render.Options{Format: opts.OutputFormat, IncludePartial: opts.IncludePartial,
		Verbose: opts.Verbose, SessionID: st.transcript.ID(), Batch: true}, out, errOut)
	showHooks(st, printer, opts.IncludeHookEvents) // stream-json only: the printer writes nothing else
	hookMessage := func(m string) { fmt.Fprintln(errOut, "strata: hook:", m) }
	source := "startup"
	if opts.Continue || opts.Resume != "" {
		source = "resume"
	}
	conv := st.sessionStart(a.ctx, st.transcript, st.history, source, hookMessage)
	defer st.sessionEnd(a.ctx, st.transcript, "other", hookMessage)
	sess := st.newSession(conv, printer.Event, opts.MaxTurns)
	defer sess.Close()
	printer.Start(render.Init{SessionID: st.transcript.ID(), Cwd: a.env.Cwd, Model: st.bedrock.Model,
		Tools: toolNames(st), PermissionMode: string(st.mode), Version: thisBuild().Version, MCPServers: initServers(st.mcp),
		OutputStyle: st.style.Name, Plugins: initPlugins(st.plugins)})

	if opts.InputFormat == "stream-json" {
		return runStreamInput(a, sess, printer)
	}
	// A custom command sends its expansion, as in the UI.
	if expanded, model, ok, err := a.expandCommand(a.ctx, st, a.env.Cwd, strings.TrimSpace(prompt)); err != nil {
		return err
	} else if ok {
		prompt = expanded
		if model != "" {
			sess.SetModel(model)
		}
	}
	return finishRun(a, printer, sess, []llm.ContentBlock{llm.TextBlock(prompt)})
}

// finishRun runs one user turn and reports it; a failed run exits 1 with the error on stderr.
func finishRun(a *app, printer *render.Printer, sess *agent.Session, prompt []llm.ContentBlock) error {
	res, runErr := sess.Run(a.ctx, prompt)
	if err := printer.Finish(res); err != nil {
		return fmt.Errorf("writing the answer: %w", err)
	}
	if runErr != nil {
		return runErr
	}
	if res.IsError { // turn or budget limit, no structured answer: reported by the printer
		return silentError{fmt.Errorf("the run ended with %s", res.Subtype)}
	}
	return nil
}

// runStreamInput reads user turns as JSON lines and answers each in turn.
func runStreamInput(a *app, sess *agent.Session, printer *render.Printer) error {
	sc := bufio.NewScanner(a.io.In)
	sc.Buffer(make([]byte, 64<<10), maxPipedInput)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		content, err := parseStreamTurn([]byte(text))
		if err != nil {
			return usageError{fmt.Errorf("stdin line %d: %w", line, err)}
		}
		if err := finishRun(a, printer, sess, content); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading stdin: %w", err)
	}
	return nil
}

// parseStreamTurn reads one stream-json input line: a user turn, whose content is returned.
func parseStreamTurn(line []byte) ([]llm.ContentBlock, error) {
	var in struct {
		Type    string      `json:"type"`
		Message llm.Message `json:"message"`
	}
	if err := json.Unmarshal(line, &in); err != nil {
		return nil, fmt.Errorf("not a JSON user turn: %v", err)
	}
	if in.Type != "user" || in.Message.Role != llm.RoleUser || len(in.Message.Content) == 0 {
		return nil, fmt.Errorf(`want {"type":"user","message":{"role":"user","content":[…]}}`)
	}
	return in.Message.Content, nil
}

// readPrompt joins the prompt argument with piped stdin (A1).
func readPrompt(a *app, arg string) (string, error) {
	var piped string
	if !a.io.IsStdinTTY() && a.io.In != nil {
		b, err := io.ReadAll(io.LimitReader(a.io.In, maxPipedInput+1))
		if err != nil {
			return "", fmt.Errorf("reading stdin: %w", err)
		}
		if len(b) > maxPipedInput {
			return "", usageError{fmt.Errorf("piped input is larger than %d MiB", maxPipedInput>>20)}
		}
		piped = strings.TrimRight(string(b), "\n")
	}
	prompt := strings.TrimSpace(arg)
	switch {
	case prompt == "" && piped == "":
		return "", usageError{errNoPrompt}
	case piped == "":
		return prompt, nil
	case prompt == "":
		return piped, nil
	}
	return prompt + "\n\n" + piped, nil
}

func toolNames(st *stack) []string {
	names := make([]string, len(st.tools))
	for i, t := range st.tools {
		names[i] = t.Name()
	}
	if st.mcp != nil {
		for _, t := range st.mcp.Tools() { // those connected by now
			names = append(names, t.Name())
		}
	}
	return names
}

// flush writes out what a redacting writer still holds.
func flush(w io.Writer) {
	if f, ok := w.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
}
