package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/strata-agent/strata/internal/sandbox"

	"github.com/spf13/cobra"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/doctor"
	"github.com/strata-agent/strata/internal/redact"
	"github.com/strata-agent/strata/internal/settings"
)

// doctorFlags are strata doctor's flags.
type doctorFlags struct {
	json, noProbe, iamPolicy, checkUpdate bool
}

func newDoctorCmd(a *app) *cobra.Command {
	f := &doctorFlags{}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the Bedrock setup: mode, region, credentials, IAM, models, stream and prompt cache",
		Long: `strata doctor checks what usually goes wrong around Claude on Amazon Bedrock and prints one
line per check — ✓ works, ! works but needs attention, ✗ broken — with a fix under every
problem. It reads the same settings and environment as strata itself, sends a 1-token request
to each configured model, one short streaming request, and (unless --no-probe) two requests of
a few thousand tokens to see the prompt cache work. It never runs awsAuthRefresh.

It exits with status 1 when something is broken, so scripts and CI can use it; --json prints
the same checks as JSON.

An application-inference-profile ARN runs some base model, which decides thinking, limits and
prices. strata asks Bedrock (GetInferenceProfile, else ListInferenceProfiles), else reads the
profile's name; to state it yourself, set ANTHROPIC_MODEL_BASE (ANTHROPIC_SMALL_FAST_MODEL_BASE
for the small/fast model) to its base model ID, in the shell or a settings file's env block.

The first line names strata's own build; --check-update also asks the npm registry for the
newest release (strata makes no such request unless asked).

--iam-policy prints, instead of checking, the least-privilege IAM policy for the models
strata is configured to use.`,
		Example: `  strata doctor
  strata doctor --json --no-probe
  strata doctor --iam-policy > strata-policy.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDoctor(a, cmd.OutOrStdout(), f) },
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.json, "json", false, "print the checks as JSON")
	fl.BoolVar(&f.noProbe, "no-probe", false, "skip the prompt-cache probe (it costs a few thousand input tokens)")
	fl.BoolVar(&f.checkUpdate, "check-update", false, "also ask the npm registry whether a newer strata is released (strata never asks by itself)")
	fl.BoolVar(&f.iamPolicy, "iam-policy", false, "print the least-privilege IAM policy for the configured models, and check nothing")
	return cmd
}

func runDoctor(a *app, out io.Writer, f *doctorFlags) error {
	if !f.iamPolicy { // the checks may run the folder's credential commands: say so first
		if s, err := settings.Load(settings.DefaultOptions(a.env.Getenv, a.env.Home, a.env.Cwd, "")); err == nil {
			a.noticeUntrusted(s)
		}
	}
	deps, redactor := a.doctorDeps(f.noProbe)
	if f.checkUpdate {
		deps.LatestRelease = latestRelease
	}
	if f.iamPolicy {
		cfg, _ := bedrock.InspectConfig(deps.Getenv, deps.Settings)
		policy, notes := doctor.IAMPolicy(cfg)
		if _, err := out.Write(policy.JSON()); err != nil {
			return err
		}
		for _, n := range notes {
			fmt.Fprintln(a.io.ErrOut, "strata: note:", n)
		}
		return nil
	}
	report := doctor.Run(a.ctx, deps)
	text := []byte(report.String())
	if f.json {
		text = report.JSON()
	}
	// The checks never print secrets; masking again costs nothing and catches what a
	// gateway or a command might echo.
	if _, err := out.Write(redactor.Bytes(text)); err != nil {
		return err
	}
	if report.Failed() {
		return exitCodeError{code: ExitError, err: silentError{errors.New("strata doctor found problems")}}
	}
	return nil
}

// doctorDeps reads the settings as a session would (a broken file is reported by doctor, not
// fatal), applies their env block, and returns what doctor.Run needs.
func (a *app) doctorDeps(noProbe bool) (doctor.Deps, *redact.Redactor) {
	redactor := redact.New()
	d := doctor.Deps{Getenv: a.env.Getenv, NoProbe: noProbe, Options: bedrock.Options{Redactor: redactor},
		Version: versionString()}
	s, err := settings.Load(settings.DefaultOptions(a.env.Getenv, a.env.Home, a.env.Cwd, ""))
	if err == nil {
		err = s.ApplyEnv(a.env.Setenv)
	}
	redactor.AddEnv(a.env.Environ())
	d.Options.CommandEnv = a.env.Environ() // after the env block, as a session's commands see it
	if err != nil {
		d.SettingsErr = err
		return d, redactor
	}
	envSources := map[string]string{}
	for k, src := range s.EnvSource {
		envSources[k] = src.Path
	}
	d.Settings = bedrock.SettingsView{
		AWSAuthRefresh: s.AWSAuthRefresh, AWSAuthRefreshSource: s.AWSAuthRefreshSource.Path,
		AWSCredentialExport: s.AWSCredentialExport, AWSCredentialExportSource: s.AWSCredentialExportSource.Path,
		Model: s.Model, ModelSource: s.ModelSource.Path, EnvSources: envSources,
	}
	for _, file := range s.Files {
		d.SettingsFiles = append(d.SettingsFiles, file.Path)
	}
	d.IgnoredSettings = ignoredSettings(s)
	d.Sandbox = func(ctx context.Context) (bool, sandbox.Status) {
		cfg, _ := sandbox.FromSettings(s.Sandbox, a.env.Home, a.env.Cwd)
		return cfg.Enabled, sandbox.Probe(ctx)
	}
	return d, redactor
}

// handledExtraKey reports the settings keys strata acts on that the settings package keeps
// verbatim (Settings.Extra) for the part of strata that reads them.
func handledExtraKey(key string) bool {
	switch key {
	case passEnvKey, "alwaysThinkingEnabled", "effortLevel", "modelOverrides", "availableModels", "enforceAvailableModels", "fallbackModel",
		"disableAllHooks", "allowManagedHooksOnly", "allowedHttpHookUrls", "claudeMdExcludes", "outputStyle",
		"enabledPlugins", "extraKnownMarketplaces", "$schema":
		return true
	}
	return false
}

// ignoredSettings lists the keys of the settings files strata does not act on, sorted, each
// with the file that sets it.
func ignoredSettings(s *settings.Settings) []string {
	var out []string
	for key, src := range s.ExtraSource {
		if !handledExtraKey(key) {
			out = append(out, fmt.Sprintf("%s (%s)", key, src.Path))
		}
	}
	sort.Strings(out)
	return out
}
