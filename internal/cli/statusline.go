package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/proc"
)

// statusLineConfig is the `statusLine` setting: a command whose first line of output the UI
// shows under the input box, and the columns it is indented by.
type statusLineConfig struct {
	Type    string `json:"type"`
	Command string `json:"command"`
	Padding int    `json:"padding"`
}

// Status-line commands get a short time and little output: the line is redrawn after
// every message, so a slow or chatty script must not pile up.
const (
	statusLineTimeout = 5 * time.Second
	statusLineMax     = 8 << 10
)

// statusLine reads the setting; ok is false when there is none to run. A command from the
// project's own settings runs only in a trusted folder, as its hooks do.
func (a *app) statusLine(st *stack) (statusLineConfig, bool) {
	var c statusLineConfig
	if len(st.settings.StatusLine) == 0 || json.Unmarshal(st.settings.StatusLine, &c) != nil {
		return c, false
	}
	if c.Type != "command" || strings.TrimSpace(c.Command) == "" {
		return c, false
	}
	if fromProject(st.settings.StatusLineSource) && !a.folderTrusted() {
		return c, false
	}
	return c, true
}

// statusInput is the JSON the command reads on stdin, in the reference's shape.
type statusInput struct {
	HookEventName  string `json:"hook_event_name"`
	SessionID      string `json:"session_id"`
	TranscriptPath string `json:"transcript_path"`
	Cwd            string `json:"cwd"`
	Model          struct {
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
	} `json:"model"`
	Workspace struct {
		CurrentDir string `json:"current_dir"`
		ProjectDir string `json:"project_dir"`
	} `json:"workspace"`
	Version     string `json:"version"`
	OutputStyle struct {
		Name string `json:"name"`
	} `json:"output_style"`
	Cost struct {
		TotalCostUSD    float64 `json:"total_cost_usd"`
		TotalDurationMS int64   `json:"total_duration_ms"`
	} `json:"cost"`
}

// StatusLine runs the statusLine command with what the session is doing on its stdin and
// returns the first line it prints, indented by its padding. ok is false when no status line
// is configured (or the folder is not trusted to run its own), so the UI stops asking.
func (h *host) StatusLine(ctx context.Context) (line string, ok bool, err error) {
	cfg, ok := h.a.statusLine(h.st)
	if !ok {
		return "", false, nil
	}
	stdin, dir := h.statusInput()
	out := proc.NewCapture(statusLineMax, 0)
	res := proc.Run(ctx, proc.Cmd{Argv: proc.Shell("bash", cfg.Command), Dir: dir, Env: h.st.childEnv,
		Stdin: bytes.NewReader(stdin), Stdout: out, Timeout: statusLineTimeout, Tracker: &h.st.procs})
	if res.StartErr != nil || res.TimedOut || res.ExitCode != 0 {
		if e := res.Err(); e != nil {
			return "", true, fmt.Errorf("statusLine: %w", e)
		}
		return "", true, errors.New("statusLine: the command failed")
	}
	first, _, _ := strings.Cut(strings.TrimRight(string(out.Bytes()), "\n"), "\n")
	if h.st.redactor != nil {
		first = h.st.redactor.String(first)
	}
	return strings.Repeat(" ", max(cfg.Padding, 0)) + first, true, nil
}

// statusInput describes the current conversation for the status-line command, and returns
// the directory the command runs in (the session's, which Bash may have changed).
func (h *host) statusInput() ([]byte, string) {
	var in statusInput
	in.HookEventName = "Status"
	in.Cwd, in.Workspace.ProjectDir = h.a.env.Cwd, h.a.env.Cwd
	in.Model.ID = h.st.bedrock.Model
	h.mu.Lock()
	sess, tr := h.sess, h.tr
	in.OutputStyle.Name = h.st.style.Name
	h.mu.Unlock()
	if tr != nil {
		in.SessionID, in.TranscriptPath = tr.ID(), tr.Path()
	}
	if sess != nil {
		in.Cwd, in.Model.ID = sess.Cwd(), sess.Model()
		for _, u := range sess.Usage() {
			in.Cost.TotalCostUSD += u.CostUSD
		}
	}
	in.Workspace.CurrentDir = in.Cwd
	in.Model.DisplayName = h.ModelInfo(in.Model.ID).Name
	if in.Model.DisplayName == "" {
		in.Model.DisplayName = in.Model.ID
	}
	in.Version = thisBuild().Version
	if !h.started.IsZero() {
		in.Cost.TotalDurationMS = time.Since(h.started).Milliseconds()
	}
	data, _ := json.Marshal(in)
	return data, in.Cwd
}
