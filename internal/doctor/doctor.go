package doctor

import (
	"context"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/sandbox"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/proc"
)

// DefaultTimeout bounds a whole run, probes included.
const DefaultTimeout = 30 * time.Second

// Deps is what Run reads. Getenv should be set (nil reads as an empty environment); the rest
// has working defaults.
type Deps struct {
	// Getenv looks up the environment after the settings' env blocks were applied (B20).
	Getenv func(string) string
	// Settings is what the settings files say (credential commands, model, env sources).
	Settings bedrock.SettingsView
	// SettingsFiles are the settings files that were read, for the settings line.
	SettingsFiles []string
	// IgnoredSettings are the settings keys strata reads but does not act on, each as
	// "key (file)": a Claude Code user learns here what has no effect.
	IgnoredSettings []string
	// SettingsErr is why the settings could not be read; the other checks then run on the
	// environment alone.
	SettingsErr error
	// Options reach the Bedrock client (an HTTP client that trusts a test server, the
	// process's redactor). Run always adds NoRecovery: it reports what Bedrock answers.
	Options bedrock.Options
	// LookPath finds the program of a refresh command; nil means proc.LookPath.
	LookPath func(file string) (string, error)
	// Now is the clock for expiries; nil means time.Now.
	Now func() time.Time
	// Sandbox, when set, checks the Bash sandbox: whether the settings enable it and whether
	// it can run here (sandbox.Probe). Nil leaves the check out.
	Sandbox func(ctx context.Context) (enabled bool, st sandbox.Status)
	// NoProbe skips the prompt-cache probe, the one check that costs more than a few tokens.
	NoProbe bool
	// Timeout bounds the whole run; zero means DefaultTimeout.
	Timeout time.Duration
	// Version names strata's build, for the first line.
	Version string
	// LatestRelease, set only when the user asked (strata doctor --check-update), learns the
	// newest published release.
	LatestRelease func(context.Context) (string, error)
}

// Run checks the configuration and, where it allows, talks to Bedrock. It always returns a
// full report: a check that cannot run because another one failed is marked skipped.
// Independent checks run at the same time.
func Run(ctx context.Context, d Deps) Report {
	if d.Getenv == nil {
		d.Getenv = func(string) string { return "" }
	}
	if d.LookPath == nil {
		d.LookPath = proc.LookPath
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Timeout <= 0 {
		d.Timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()

	if d.Settings.Now.IsZero() {
		d.Settings.Now = d.Now()
	}
	cfg, problems := bedrock.InspectConfig(d.Getenv, d.Settings)
	r := &run{d: d, cfg: cfg, problems: problems}
	r.version(ctx)
	r.static()
	r.live(ctx)
	return Report{OK: !r.report().Failed(), Checks: r.report().Checks}
}

// run is one doctor run: the configuration it found and the checks so far, in order.
type run struct {
	d        Deps
	cfg      *bedrock.Config
	problems map[string]error

	mu     sync.Mutex
	checks []*Check
}

// slot reserves the next line, so that checks finishing in any order print in a fixed one.
func (r *run) slot(id, title string) *Check {
	c := &Check{ID: id, Title: title, Status: StatusSkip}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks = append(r.checks, c)
	return c
}

func (r *run) report() Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep := Report{}
	for _, c := range r.checks {
		rep.Checks = append(rep.Checks, *c)
	}
	rep.OK = !rep.Failed()
	return rep
}

func (c *Check) set(status Status, detail, fix string) {
	if status == StatusFail && fix == "" {
		fix = fallbackFix // every ✗ says what to do
	}
	c.Status, c.Detail, c.Fix = status, detail, fix
}
