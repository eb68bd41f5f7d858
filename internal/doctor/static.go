package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/llm"
)

// static runs the checks that read only the configuration and the file system.
func (r *run) static() {
	r.settings()
	r.bedrockMode()
	r.region()
	r.endpoint()
	r.otherConfig()
	r.aliases()
	r.sandbox()
}

// aliases says what each model alias resolves to here, pins included, so a user can see what
// `--model opus` would send before sending it.
func (r *run) aliases() {
	c := r.slot(CheckAliases, "Model aliases")
	if r.cfg == nil || r.cfg.Region == "" {
		c.set(StatusSkip, "no region: aliases resolve per region", "")
		return
	}
	res := r.cfg.Resolver(r.cfg.Region, time.Now())
	var lines []string
	for _, alias := range res.Listed() {
		lines = append(lines, alias+" → "+res.Describe(alias))
	}
	c.set(StatusOK, strings.Join(lines, "\n"), "")
}

// sandbox reports the Bash sandbox: on and working, on but unable to run here (a failure —
// the user believes commands are confined and they are not), or off.
func (r *run) sandbox() {
	if r.d.Sandbox == nil {
		return
	}
	c := r.slot(CheckSandbox, "Bash sandbox")
	enabled, st := r.d.Sandbox(context.Background())
	switch {
	case enabled && st.Available:
		c.set(StatusOK, "on: bubblewrap, network through strata's proxy", "")
	case enabled:
		c.set(StatusFail, "sandbox.enabled is set, but "+st.Reason+"; commands run unsandboxed", st.Fix)
	case st.Available:
		c.set(StatusOK, "off (sandbox.enabled is not set); it would work here — /sandbox on turns it on", "")
	default:
		c.set(StatusOK, "off (sandbox.enabled is not set); it could not run here: "+st.Reason, "")
	}
}

// explain splits an error into its message and fix.
func explain(err error) (msg, fix string) {
	var e *llm.Error
	switch {
	case errors.As(err, &e) && e.Fix != "":
		return e.Message, e.Fix
	case errors.As(err, &e):
		return e.Message, fallbackFix
	case errors.Is(err, context.DeadlineExceeded):
		return "Bedrock did not answer in time", "Check that the endpoint is reachable from here (ANTHROPIC_BEDROCK_BASE_URL, " +
			"a proxy or VPN) and run `strata -p -d hi` to see where the request stops."
	}
	return err.Error(), fallbackFix
}

// fallbackFix is the advice for a failure strata has no specific remedy for: every ✗ gets one.
const fallbackFix = "Run `strata -p -d hi` to see each request and Bedrock's answer, and check AWS_REGION, " +
	"the credentials and ANTHROPIC_BEDROCK_BASE_URL against that."

func (r *run) settings() {
	c := r.slot(CheckSettings, "Settings")
	switch {
	case r.d.SettingsErr != nil:
		c.set(StatusFail, r.d.SettingsErr.Error(),
			"Fix the file at the place shown: strata does not start while a settings file is broken. "+
				"The checks below use the environment alone.")
	case len(r.d.SettingsFiles) == 0:
		c.set(StatusOK, "no settings files; using the environment only", "")
	case len(r.d.IgnoredSettings) > 0:
		c.set(StatusWarn, "read "+strings.Join(r.d.SettingsFiles, ", ")+"; strata does not act on "+strings.Join(r.d.IgnoredSettings, ", "),
			"These keys work in Claude Code but have no effect in strata yet; the rest of the file applies.")
	default:
		c.set(StatusOK, "read "+strings.Join(r.d.SettingsFiles, ", "), "")
	}
}

func (r *run) bedrockMode() {
	c := r.slot(CheckBedrock, "Bedrock mode")
	if r.cfg.Enabled {
		c.set(StatusOK, "on (from "+r.cfg.EnabledSource+")", "")
		return
	}
	detail := "off: CLAUDE_CODE_USE_BEDROCK is not set"
	if v := strings.TrimSpace(r.d.Getenv("CLAUDE_CODE_USE_BEDROCK")); v != "" {
		detail = fmt.Sprintf("off: CLAUDE_CODE_USE_BEDROCK=%q is not one of 1, true, yes, on", v)
	}
	c.set(StatusFail, detail, "export CLAUDE_CODE_USE_BEDROCK=1\n"+
		`or put "CLAUDE_CODE_USE_BEDROCK": "1" in the "env" block of ~/.claude/settings.json`)
}

var regionName = lazyre.New(`^[a-z]{2}(-[a-z]+)+-\d+$`)

func (r *run) region() {
	c := r.slot(CheckRegion, "Region")
	cfg := r.cfg
	switch {
	case cfg.Region == "":
		fix := "export AWS_REGION=us-east-1   (or the region where your Claude models are enabled)"
		if cfg.ProfileRegion != "" {
			fix = fmt.Sprintf("export AWS_REGION=%s   (the region of your AWS profile %q)", cfg.ProfileRegion, cfg.Profile)
		}
		c.set(StatusFail, "not set: AWS_REGION and AWS_DEFAULT_REGION are empty, and strata does not "+
			"take the region from ~/.aws/config", fix)
	case !regionName().MatchString(cfg.Region):
		c.set(StatusFail, fmt.Sprintf("%q (from %s) is not an AWS region name", cfg.Region, cfg.RegionSource),
			"Set it to a region such as us-east-1, eu-west-1 or ap-northeast-1.")
	case cfg.SmallFastRegion != "" && !regionName().MatchString(cfg.SmallFastRegion):
		c.set(StatusFail, fmt.Sprintf("ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION=%q is not an AWS region name", cfg.SmallFastRegion),
			"Set it to a region such as us-west-2, or unset it to use "+cfg.Region+".")
	default:
		detail := cfg.Region + " (from " + cfg.RegionSource + ")"
		if cfg.SmallFastRegion != "" && cfg.SmallFastRegion != cfg.Region {
			detail += "; small/fast model in " + cfg.SmallFastRegion + " (from ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION)"
		}
		c.set(StatusOK, detail, "")
	}
}

func (r *run) endpoint() {
	c := r.slot(CheckEndpoint, "Endpoint")
	cfg := r.cfg
	if err := r.problems[bedrock.PartEndpoint]; err != nil {
		msg, fix := explain(err)
		c.set(StatusFail, msg, fix)
		return
	}
	detail := "Amazon Bedrock"
	if cfg.Region != "" {
		detail = "https://bedrock-runtime." + cfg.Region + ".amazonaws.com"
	}
	if cfg.BaseURL != "" {
		detail = "gateway " + cfg.BaseURL + " (from ANTHROPIC_BEDROCK_BASE_URL)"
	}
	if cfg.SkipAuth {
		detail += "; requests are not signed (CLAUDE_CODE_SKIP_BEDROCK_AUTH)"
	}
	if len(cfg.CustomHeaders) > 0 {
		names := make([]string, 0, len(cfg.CustomHeaders))
		for name := range cfg.CustomHeaders {
			names = append(names, name)
		}
		sort.Strings(names)
		detail += "; custom headers " + strings.Join(names, ", ")
	}
	c.set(StatusOK, detail, "")
}

// otherConfig reports the remaining configuration problems (token limits, timeouts, models)
// and the warnings loading gave (a retired model, an ARN of another region).
func (r *run) otherConfig() {
	c := r.slot(CheckConfig, "Configuration")
	var msgs, fixes []string
	for _, part := range []string{bedrock.PartActivation, bedrock.PartProfile, bedrock.PartAuth,
		bedrock.PartCommands, bedrock.PartLimits, bedrock.PartModels} {
		if err := r.problems[part]; err != nil {
			msg, fix := explain(err)
			msgs, fixes = append(msgs, msg), append(fixes, fix)
		}
	}
	if len(msgs) > 0 {
		c.set(StatusFail, strings.Join(msgs, " "), strings.Join(slices.DeleteFunc(fixes, isBlank), "\n"))
		return
	}
	var warnings []string
	for _, w := range r.cfg.Warnings {
		if !strings.HasPrefix(w, "CLAUDE_CODE_USE_BEDROCK=") { // the Bedrock mode line says it
			warnings = append(warnings, w)
		}
	}
	if len(warnings) > 0 {
		first, rest, _ := strings.Cut(warnings[0], "\n")
		if len(warnings) > 1 {
			rest = strings.Join(warnings[1:], "\n")
		}
		c.set(StatusWarn, first, strings.TrimSpace(rest))
		return
	}
	c.set(StatusOK, "no problems in the other Bedrock settings", "")
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// commandCheck reports a settings command: whether the program it starts can be found. It
// shows only the program's name, since the rest of a command line may hold secrets.
func (r *run) commandCheck(id, setting, command, source string) {
	c := r.slot(id, setting)
	from := ""
	if source != "" {
		from = ", from " + source
	}
	if command == "" {
		c.set(StatusSkip, "not set", "")
		if id == CheckAuthRefresh && r.cfg.ProfileKind == "sso" && !r.cfg.EnvKeys && r.cfg.CredentialExport == "" {
			p := r.cfg.Profile
			c.set(StatusWarn, fmt.Sprintf("not set: when the SSO session of profile %q expires, strata stops "+
				"until you sign in again", p), fmt.Sprintf("Let strata sign in for you; add to ~/.claude/settings.json:\n"+
				"  \"awsAuthRefresh\": \"aws sso login --profile %s\"", p))
		}
		return
	}
	prog := program(command)
	switch {
	case prog == "":
		c.set(StatusFail, "is set but runs nothing"+from, "Set "+setting+" to a command, or remove it.")
	case shellBuiltins[prog]:
		c.set(StatusOK, "runs the shell builtin "+prog+from, "")
	default:
		path, err := r.d.LookPath(prog)
		if err != nil {
			c.set(StatusFail, fmt.Sprintf("runs %s, which is not installed or not on PATH%s", prog, from),
				fmt.Sprintf("Install %s, or correct the %s command in %s.", prog, setting, orSettings(source)))
			return
		}
		c.set(StatusOK, fmt.Sprintf("runs %s (%s)%s", prog, path, from), "")
	}
}

func orSettings(source string) string {
	if source == "" {
		return "your settings"
	}
	return source
}

var shellBuiltins = map[string]bool{".": true, "source": true, "eval": true, "exec": true, "cd": true,
	"export": true, "true": true, ":": true, "test": true, "[": true, "printf": true, "echo": true}

var assignment = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*=`)

// program is the program a shell command line starts: its first word after any VAR=value
// assignments, without quotes.
func program(command string) string {
	for _, word := range strings.Fields(command) {
		if assignment().MatchString(word) {
			continue
		}
		return strings.Trim(word, `'"`)
	}
	return ""
}
