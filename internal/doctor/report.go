// Package doctor is strata's preflight for Bedrock: it checks, one line each, what usually goes
// wrong around the model call — Bedrock mode, the region, credentials and their refresh
// commands, the IAM actions strata uses, each configured model (a 1-token request), the
// response stream (a gateway that rewrites it is caught) and the prompt cache — and says how to
// fix each problem. `strata doctor` prints its Report; the interactive UI's /doctor calls Run
// and shows Report.Lines. IAMPolicy writes the least-privilege policy for the configured models.
//
// Checks never print a secret, never run awsAuthRefresh (it may open a browser), and make no
// request that is not needed: the probes cost a few tokens, the cache probe (skippable) a few
// thousand.
package doctor

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Status is the outcome of one check.
type Status string

const (
	StatusOK   Status = "ok"   // works
	StatusWarn Status = "warn" // works, but something deserves attention
	StatusFail Status = "fail" // broken: strata will fail here
	StatusSkip Status = "skip" // not checked (not configured, or depends on a broken check)
)

// Symbol is the mark a line starts with.
func (s Status) Symbol() string {
	switch s {
	case StatusOK:
		return "✓"
	case StatusWarn:
		return "!"
	case StatusFail:
		return "✗"
	}
	return "-"
}

// Check IDs, stable for scripts reading --json.
const (
	CheckSettings         = "settings"
	CheckSandbox          = "sandbox"
	CheckBedrock          = "bedrock"
	CheckRegion           = "region"
	CheckEndpoint         = "endpoint"
	CheckConfig           = "config"
	CheckAliases          = "model-aliases"
	CheckCredentials      = "credentials"
	CheckAuthRefresh      = "auth-refresh"
	CheckCredentialExport = "credential-export"
	CheckListProfiles     = "list-profiles"
	CheckMainModel        = "model-main"
	CheckSmallModel       = "model-small"
	CheckSubAgentModel    = "model-subagent"
	CheckStream           = "stream"
	CheckPromptCache      = "prompt-cache"
)

// Check is one line of the report.
type Check struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"` // what to do; set for every failure, may span lines
}

// Report is the result of Run, checks in a fixed order.
type Report struct {
	OK     bool    `json:"ok"` // no check failed
	Checks []Check `json:"checks"`
}

// Failed reports whether any check failed (strata doctor then exits 1).
func (r Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == StatusFail {
			return true
		}
	}
	return false
}

// Find returns the check with that ID.
func (r Report) Find(id string) (Check, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// Lines renders the report for a terminal: one line per check, its fix indented below it,
// and a last line that sums up.
func (r Report) Lines() []string {
	var out []string
	fails, warns := 0, 0
	for _, c := range r.Checks {
		detail := strings.Split(strings.TrimSpace(c.Detail), "\n")
		out = append(out, fmt.Sprintf("%s %s: %s", c.Status.Symbol(), c.Title, detail[0]))
		for _, line := range detail[1:] {
			out = append(out, "    "+strings.TrimSpace(line))
		}
		for i, line := range strings.Split(strings.TrimSpace(c.Fix), "\n") {
			if line == "" {
				continue
			}
			prefix := "         "
			if i == 0 {
				prefix = "    fix: "
			}
			out = append(out, prefix+line)
		}
		switch c.Status {
		case StatusFail:
			fails++
		case StatusWarn:
			warns++
		}
	}
	switch {
	case fails > 0 && warns > 0:
		out = append(out, fmt.Sprintf("%s found, %s.", plural(fails, "problem"), plural(warns, "warning")))
	case fails > 0:
		out = append(out, plural(fails, "problem")+" found.")
	case warns > 0:
		out = append(out, fmt.Sprintf("No problems found, %s.", plural(warns, "warning")))
	default:
		out = append(out, "No problems found.")
	}
	return out
}

// String is Lines joined.
func (r Report) String() string { return strings.Join(r.Lines(), "\n") + "\n" }

// JSON is the report for --json: indented, one object.
func (r Report) JSON() []byte {
	r.OK = !r.Failed()
	b, _ := json.MarshalIndent(r, "", "  ") // only strings and bools: cannot fail
	return append(b, '\n')
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
