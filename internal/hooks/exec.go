package hooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/settings"
)

// maxOutput bounds how much of a hook's stdout and stderr is kept.
const maxOutput = 1 << 20

// result is how one hook command ended.
type result struct {
	command        string
	exitCode       int // -1 when it did not exit on its own
	stdout, stderr []byte
	startErr       error
	timedOut       bool
	timeout        time.Duration
	interrupted    bool
	signal         string // the signal that ended it, when not proc's doing
}

// runOne runs one hook command with the event on stdin and extraEnv (CLAUDE_ENV_FILE) added
// to the hooks' environment, and waits for it; proc stops its whole process group when the
// timeout passes or ctx ends.
func (r *Runner) runOne(ctx context.Context, hc settings.HookCommand, stdin []byte, ask askFunc, extraEnv []string) result {
	timeout := r.opts.Timeout
	if hc.Timeout > 0 {
		timeout = time.Duration(hc.Timeout) * time.Second
	}
	switch hc.Type {
	case "http":
		return r.post(ctx, hc, stdin, timeout)
	case "prompt":
		return promptHook(ctx, hc, stdin, timeout, ask)
	}
	stdout, stderr := proc.NewCapture(maxOutput, 0), proc.NewCapture(maxOutput, 0)
	pr := proc.Run(ctx, proc.Cmd{
		Argv:    proc.Shell(r.opts.Shell, hc.Command),
		Dir:     r.opts.ProjectDir,
		Env:     append(r.env[:len(r.env):len(r.env)], extraEnv...),
		Stdin:   bytes.NewReader(stdin),
		Stdout:  stdout,
		Stderr:  stderr,
		Timeout: timeout,
		Tracker: r.opts.Procs,
	})
	res := result{command: hc.Command, exitCode: -1, timeout: timeout,
		stdout: stdout.Bytes(), stderr: stderr.Bytes(), startErr: pr.StartErr,
		timedOut: pr.TimedOut, interrupted: pr.Interrupted || pr.Killed, signal: pr.Signal}
	if !res.timedOut && !res.interrupted {
		res.exitCode = pr.ExitCode // -1 when a signal ended it
	}
	return res
}

// label names a hook command in messages, shortened.
func label(command string) string {
	const maxLen = 80
	if len(command) > maxLen {
		command = command[:maxLen] + "…"
	}
	return fmt.Sprintf("%q", command)
}

// post runs an http hook: the event is POSTed as JSON; a 2xx answer's body is read like a
// command hook's stdout, anything else is an error shown to the user that blocks nothing.
// Header values may name environment variables ($VAR) of the hooks' environment.
func (r *Runner) post(ctx context.Context, hc settings.HookCommand, body []byte, timeout time.Duration) result {
	res := result{command: hc.URL, exitCode: -1, timeout: timeout}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hc.URL, bytes.NewReader(body))
	if err != nil {
		res.startErr = err
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	env := envMap(r.env)
	for k, v := range hc.Headers {
		req.Header.Set(k, os.Expand(v, func(name string) string { return env[name] }))
	}
	resp, err := r.opts.HTTP.Do(req)
	if err != nil {
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			res.timedOut = true
		case ctx.Err() != nil:
			res.interrupted = true
		default:
			res.startErr = errors.New(strings.ReplaceAll(err.Error(), hc.URL, "the url"))
		}
		return res
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxOutput))
	if resp.StatusCode/100 != 2 {
		res.startErr = fmt.Errorf("HTTP %s: %s", resp.Status, strings.TrimSpace(string(data)))
		return res
	}
	res.exitCode, res.stdout = 0, data
	return res
}

func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

type askFunc = func(ctx context.Context, system, prompt string) (string, error)

// promptSystem tells the small model how to answer a prompt hook.
const promptSystem = `You check one event of a coding agent's session against the user's condition. ` +
	`The event is given as JSON. Answer with one JSON object and nothing else: {"ok": true} when the condition ` +
	`allows the event to go ahead, or {"ok": false, "reason": "why, in one sentence"} when it does not.`

// promptHook asks the small model the hook's question about the event ($ARGUMENTS in the
// prompt is the event's JSON, appended when absent). {"ok": false} blocks as exit status 2
// does, with the reason; an answer that is not such an object is an error that blocks
// nothing.
func promptHook(ctx context.Context, hc settings.HookCommand, event []byte, timeout time.Duration, ask askFunc) result {
	res := result{command: "prompt: " + hc.Prompt, exitCode: -1, timeout: timeout}
	if ask == nil {
		res.startErr = errors.New("prompt hooks need the model, which this event does not run with")
		return res
	}
	prompt := hc.Prompt
	if strings.Contains(prompt, "$ARGUMENTS") {
		prompt = strings.ReplaceAll(prompt, "$ARGUMENTS", string(event))
	} else {
		prompt += "\n\nThe event:\n" + string(event)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	answer, err := ask(ctx, promptSystem, prompt)
	if err != nil {
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			res.timedOut = true
		case ctx.Err() != nil:
			res.interrupted = true
		default:
			res.startErr = err
		}
		return res
	}
	var verdict struct {
		OK     *bool  `json:"ok"`
		Reason string `json:"reason"`
	}
	start, end := strings.Index(answer, "{"), strings.LastIndex(answer, "}")
	if start < 0 || end < start || json.Unmarshal([]byte(answer[start:end+1]), &verdict) != nil || verdict.OK == nil {
		res.startErr = fmt.Errorf("the model's answer was not {\"ok\": …}: %.200q", answer)
		return res
	}
	if *verdict.OK {
		res.exitCode = 0
		return res
	}
	res.exitCode, res.stderr = 2, []byte(verdict.Reason)
	return res
}
