package bash

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

var (
	//go:embed output_schema.json
	outputSchema []byte
	//go:embed output_description.md
	outputDescription string
	//go:embed kill_schema.json
	killSchema []byte
	//go:embed kill_description.md
	killDescription string
)

type outputInput struct {
	BashID string `json:"bash_id"`
	Filter string `json:"filter,omitempty"`
}

type outputTool struct{}

// NewBashOutput returns the BashOutput tool, which reads what a background command printed
// since the last read.
func NewBashOutput() tool.Tool { return outputTool{} }

func (outputTool) Name() string                 { return "BashOutput" }
func (outputTool) Description() string          { return outputDescription }
func (outputTool) InputSchema() json.RawMessage { return outputSchema }
func (outputTool) ConcurrencySafe() bool        { return true }
func (outputTool) Class() permission.Class      { return permission.ClassRead }

func (outputTool) Run(_ context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in outputInput
	if err := fsutil.DecodeInput("BashOutput", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	var filter *regexp.Regexp
	if in.Filter != "" {
		re, err := regexp.Compile(in.Filter)
		if err != nil {
			return tool.Errorf("filter %q is not a valid regular expression: %v", in.Filter, err), nil
		}
		filter = re
	}
	j, err := lookupJob(env, "bash_id", in.BashID)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	status := j.status(env.Time())
	if !j.running() {
		j.awaitOutput() // so that "exited" comes with everything the job printed
	}
	data, dropped := j.take()
	out := proc.NewCapture(outputHead, outputTail)
	if filter != nil {
		data = filterLines(data, filter)
	}
	_, _ = out.Write(data)
	var b strings.Builder
	fmt.Fprintf(&b, "Job %s: %s\n", j.id, status)
	if dropped > 0 {
		fmt.Fprintf(&b, "[%d bytes of older output were dropped because it was not read in time]\n", dropped)
	}
	if text := strings.TrimRight(out.String(), "\n"); text != "" {
		b.WriteString(text)
	} else {
		b.WriteString("(no new output)")
	}
	return tool.Result{Text: b.String()}, nil
}

// filterLines keeps the lines matching re; the others are consumed all the same.
func filterLines(data []byte, re *regexp.Regexp) []byte {
	var kept []byte
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if line != "" && re.MatchString(strings.TrimSuffix(line, "\n")) {
			kept = append(kept, line...)
		}
	}
	return kept
}

type killInput struct {
	ShellID string `json:"shell_id"`
}

type killTool struct{}

// NewKillShell returns the KillShell tool, which stops a background command and everything
// it started.
func NewKillShell() tool.Tool { return killTool{} }

func (killTool) Name() string                 { return "KillShell" }
func (killTool) Description() string          { return killDescription }
func (killTool) InputSchema() json.RawMessage { return killSchema }
func (killTool) ConcurrencySafe() bool        { return false }
func (killTool) Class() permission.Class      { return permission.ClassExecute }

func (killTool) Run(_ context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in killInput
	if err := fsutil.DecodeInput("KillShell", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	j, err := lookupJob(env, "shell_id", in.ShellID)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	if !j.kill() {
		return tool.Result{Text: fmt.Sprintf("Job %s had already ended: %s.", j.id, j.status(env.Time()))}, nil
	}
	return tool.Result{Text: fmt.Sprintf("Job %s was stopped, with every process it started.", j.id)}, nil
}
