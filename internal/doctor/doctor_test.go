package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/bedrocksim"
)

const (
	sonnet45  = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	opus45    = "anthropic.claude-opus-4-5-20251101-v1:0"
	ssoConfig = "[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n" +
		"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
	appARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3"
)

// expect is what one check must show: its status and text in its detail or fix.
type expect struct {
	status Status
	parts  []string
}

func ok(parts ...string) expect      { return expect{StatusOK, parts} }
func warn(parts ...string) expect    { return expect{StatusWarn, parts} }
func fail(parts ...string) expect    { return expect{StatusFail, parts} }
func skipped(parts ...string) expect { return expect{StatusSkip, parts} }

// Every check in its working and broken states, against the emulator.
func TestRun(t *testing.T) {
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name   string
		setup  func(e *testEnv) bedrock.SettingsView
		adjust func(d *Deps)
		failed bool
		want   map[string]expect
	}{
		{"everything works", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{
			CheckSettings: ok("no settings files"), CheckBedrock: ok("on (from CLAUDE_CODE_USE_BEDROCK)"),
			CheckRegion: ok("us-east-1 (from AWS_REGION)"), CheckEndpoint: ok("gateway http://127.0.0.1"),
			CheckConfig: ok(), CheckCredentials: ok("access keys from the environment"),
			CheckAliases:     ok("sonnet → us."+sonnet45+" (Claude Sonnet 4.5)", "opus → us.anthropic.claude-opus-4-6-v1", "opusplan → "),
			CheckAuthRefresh: skipped("not set"), CheckCredentialExport: skipped("not set"),
			CheckListProfiles:  ok("allowed", "inference profiles in us-east-1"),
			CheckMainModel:     ok("us." + sonnet45 + " (default for us-east-1): answers in us-east-1"),
			CheckSmallModel:    ok("us.anthropic.claude-haiku-4-5-20251001-v1:0 (default for us-east-1): answers"),
			CheckSubAgentModel: ok("main model"), CheckStream: ok("application/vnd.amazon.eventstream"),
			CheckPromptCache: ok("the second of two identical requests read", "tokens from the cache"),
		}},
		{"pinned opus", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("ANTHROPIC_DEFAULT_OPUS_MODEL", "us.anthropic.claude-opus-4-5-20251101-v1:0")
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{
			CheckAliases: ok("opus → us.anthropic.claude-opus-4-5-20251101-v1:0 (pinned by ANTHROPIC_DEFAULT_OPUS_MODEL)",
				"sonnet → us."+sonnet45),
		}},
		{"no probe", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			return bedrock.SettingsView{}
		}, func(d *Deps) { d.NoProbe = true }, false, map[string]expect{CheckPromptCache: skipped("--no-probe")}},
		{"prompt caching off", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("DISABLE_PROMPT_CACHING", "1")
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{CheckPromptCache: skipped("DISABLE_PROMPT_CACHING")}},
		{"cache not read", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, `{"turns":[{"when":{"user_text_contains":"prompt-cache check"},"repeat":true,
				"usage":{"cache_read_input_tokens":0},"content":"OK"}],"on_exhausted":"echo"}`)
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{CheckPromptCache: warn("read nothing from the cache", "cache_control")}},
		{"missing region", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("AWS_REGION", "")
			e.set("AWS_PROFILE", "dev")
			e.set("AWS_CONFIG_FILE", e.write("aws-config", "[profile dev]\nregion = eu-west-1\n"))
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{
			CheckRegion:      fail("not set", "export AWS_REGION=eu-west-1", `AWS profile "dev"`),
			CheckCredentials: ok("access keys"), CheckMainModel: skipped("no region"), CheckStream: skipped("no region"),
		}},
		{"Bedrock mode off", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("CLAUDE_CODE_USE_BEDROCK", "")
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{CheckBedrock: fail("off", "export CLAUDE_CODE_USE_BEDROCK=1"), CheckMainModel: ok()}},
		{"Bedrock mode from a settings env block", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			return bedrock.SettingsView{EnvSources: map[string]string{"CLAUDE_CODE_USE_BEDROCK": "/home/u/.claude/settings.json"}}
		}, func(d *Deps) { d.SettingsFiles = []string{"/home/u/.claude/settings.json"} }, false, map[string]expect{
			CheckSettings: ok("read /home/u/.claude/settings.json"),
			CheckBedrock:  ok("env block of /home/u/.claude/settings.json"),
		}},
		{"broken settings file", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			return bedrock.SettingsView{}
		}, func(d *Deps) { d.SettingsErr = errors.New("/p/.claude/settings.json:3:7: expected a string") }, true,
			map[string]expect{CheckSettings: fail("/p/.claude/settings.json:3:7", "Fix the file"), CheckMainModel: ok()}},
		{"bad values", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("CLAUDE_CODE_MAX_OUTPUT_TOKENS", "lots")
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{CheckConfig: fail("CLAUDE_CODE_MAX_OUTPUT_TOKENS", "Fix or unset"), CheckMainModel: ok(), CheckStream: ok()}},
		{"bad endpoint", func(e *testEnv) bedrock.SettingsView {
			e.set("ANTHROPIC_BEDROCK_BASE_URL", "ftp://gateway")
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{CheckEndpoint: fail("ANTHROPIC_BEDROCK_BASE_URL", "gateway's address"),
			CheckMainModel: skipped("endpoint is not valid")}},
		{"expired SSO session", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("AWS_ACCESS_KEY_ID", "")
			e.set("AWS_SECRET_ACCESS_KEY", "")
			e.set("AWS_PROFILE", "corp")
			e.write("aws-config", ssoConfig)
			e.writeSSOToken("corp", past)
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{
			CheckCredentials: fail(`AWS profile "corp" (sso)`, `SSO session "corp" expired`, "aws sso login --profile corp"),
			CheckAuthRefresh: warn("not set", `"awsAuthRefresh": "aws sso login --profile corp"`),
			CheckMainModel:   skipped("no usable credentials"),
		}},
		{"SSO never signed in", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("AWS_ACCESS_KEY_ID", "")
			e.set("AWS_SECRET_ACCESS_KEY", "")
			e.set("AWS_PROFILE", "corp")
			e.write("aws-config", ssoConfig)
			return bedrock.SettingsView{AWSAuthRefresh: "aws sso login --profile corp", AWSAuthRefreshSource: "/u/settings.json"}
		}, nil, true, map[string]expect{
			CheckCredentials: fail(`no sign-in for SSO session "corp"`, "aws sso login"),
			CheckAuthRefresh: ok("runs aws (/usr/local/bin/aws), from /u/settings.json"),
		}},
		{"export command failing", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("AWS_ACCESS_KEY_ID", "")
			e.set("AWS_SECRET_ACCESS_KEY", "")
			return bedrock.SettingsView{AWSCredentialExport: e.script("export.sh", "echo 'token expired' >&2\nexit 3\n"),
				AWSCredentialExportSource: "/u/.claude/settings.json"}
		}, nil, true, map[string]expect{
			CheckCredentials:      fail("awsCredentialExport", "exit status 3", "token expired", "run it yourself"),
			CheckCredentialExport: ok("export.sh", "from /u/.claude/settings.json"),
			CheckMainModel:        skipped("no usable credentials"),
		}},
		{"export program missing", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("AWS_ACCESS_KEY_ID", "")
			e.set("AWS_SECRET_ACCESS_KEY", "")
			return bedrock.SettingsView{AWSCredentialExport: "CORP_ENV=prod corp-creds --format sts"}
		}, nil, true, map[string]expect{
			CheckCredentialExport: fail("runs corp-creds, which is not installed", "Install corp-creds"),
			CheckCredentials:      fail("awsCredentialExport"),
		}},
		{"credentials expire soon", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			soon := time.Now().Add(5 * time.Minute).UTC().Format(time.RFC3339)
			return bedrock.SettingsView{AWSCredentialExport: e.script("export.sh", `echo '{"Credentials":{"AccessKeyId":"`+
				testKey+`","SecretAccessKey":"`+testSecret+`","Expiration":"`+soon+`"}}'`)}
		}, nil, false, map[string]expect{CheckCredentials: warn("awsCredentialExport", "they expire", "refreshed")}},
		{"profiles denied", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{DenyControlPlane: true}, "")
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{CheckListProfiles: warn("not allowed", "bedrock:ListInferenceProfiles"), CheckMainModel: ok()}},
		{"model not granted", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{Denied: []string{sonnet45}}, "")
			e.set("ANTHROPIC_MODEL", "us."+sonnet45)
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{
			CheckMainModel:     fail("us."+sonnet45+" (ANTHROPIC_MODEL): not granted to this account in us-east-1 (403 AccessDeniedException)", "Model access"),
			CheckSubAgentModel: fail("main model"), CheckStream: skipped("did not answer"), CheckSmallModel: ok(),
		}},
		{"default model not granted", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{Denied: []string{sonnet45}}, "")
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{
			CheckMainModel: warn("not granted", "strata falls back to us.anthropic.claude-sonnet-5-5",
				"Enable us."+sonnet45, "export ANTHROPIC_MODEL=us.anthropic.claude-sonnet-5-5"),
			CheckStream: ok("us.anthropic.claude-sonnet-5-5"),
		}},
		{"base ID needs a profile", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("ANTHROPIC_MODEL", sonnet45)
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{
			CheckMainModel: warn("cannot be invoked on demand", "inference profile us."+sonnet45, "export ANTHROPIC_MODEL=us."+sonnet45),
			CheckStream:    ok("us." + sonnet45),
		}},
		{"base ID without any profile", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{Regions: []string{"ca-central-1"}}, "")
			e.set("AWS_REGION", "ca-central-1")
			e.set("ANTHROPIC_MODEL", "anthropic.claude-opus-4-1-20250805-v1:0")
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{CheckMainModel: fail("not offered in ca-central-1", "list-inference-profiles")}},
		{"model not in the region", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, "")
			e.set("ANTHROPIC_MODEL", "us.anthropic.claude-imaginary-v9")
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{CheckMainModel: fail("not offered in us-east-1", "aws bedrock list-inference-profiles --region us-east-1")}},
		{"throttled", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, `{"turns":[{"when":{"user_text_contains":"model check","model":"us.`+sonnet45+`"},
				"faults":[{"fault":"throttle"}],"content":"OK"}],"on_exhausted":"echo"}`)
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{CheckMainModel: warn("throttled", "quota"), CheckStream: ok()}},
		{"gateway rewrites the stream", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{}, `{"turns":[{"when":{"user_text_contains":"stream check"},
				"faults":[{"fault":"content_type","content_type":"application/json"}],"content":"OK"}],"on_exhausted":"echo"}`)
			return bedrock.SettingsView{}
		}, nil, true, map[string]expect{
			CheckMainModel: ok(),
			CheckStream:    fail(`came back as "application/json"`, "gateway", "ANTHROPIC_BEDROCK_BASE_URL"),
		}},
		{"small/fast model in its own region", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{Regions: []string{"us-east-1", "eu-west-1"}}, "")
			e.set("ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", "eu-west-1")
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{
			CheckRegion:     ok("small/fast model in eu-west-1"),
			CheckSmallModel: ok("eu.anthropic.claude-haiku-4-5-20251001-v1:0", "answers in eu-west-1"),
		}},
		{"application profile, model unknown", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{DenyControlPlane: true, AppProfiles: map[string]string{appARN: "us." + opus45}}, "")
			e.set("ANTHROPIC_MODEL", appARN)
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{CheckMainModel: warn("cannot tell which model it runs", "export ANTHROPIC_MODEL_BASE=")}},
		{"application profile, model stated", func(e *testEnv) bedrock.SettingsView {
			e.sim(bedrocksim.Config{DenyControlPlane: true, AppProfiles: map[string]string{appARN: "us." + opus45}}, "")
			e.set("ANTHROPIC_MODEL", appARN)
			e.set("ANTHROPIC_MODEL_BASE", opus45)
			return bedrock.SettingsView{}
		}, nil, false, map[string]expect{CheckMainModel: ok("runs Claude Opus 4.5"), CheckPromptCache: ok("read")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			s := tt.setup(e)
			rep := e.run(s, tt.adjust)
			if t.Failed() {
				return
			}
			if rep.Failed() != tt.failed {
				t.Errorf("Failed() = %v, want %v", rep.Failed(), tt.failed)
			}
			for id, want := range tt.want {
				c, found := rep.Find(id)
				if !found {
					t.Errorf("no %s check", id)
					continue
				}
				if c.Status != want.status {
					t.Errorf("%s: status %s, want %s", id, c.Status, want.status)
				}
				for _, p := range want.parts {
					if !strings.Contains(c.Detail+"\n"+c.Fix, p) {
						t.Errorf("%s does not say %q:\n  %s\n  fix: %s", id, p, c.Detail, c.Fix)
					}
				}
				if c.Status == StatusFail && c.Fix == "" {
					t.Errorf("%s failed without a fix", id)
				}
			}
			checkJSON(t, rep)
			text := rep.String() + string(rep.JSON())
			for _, secret := range []string{testSecret, "sso-secret-token"} {
				if strings.Contains(text, secret) {
					t.Errorf("the report shows a secret:\n%s", text)
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Log("\n" + rep.String())
			}
		})
	}
}

// checkJSON asserts the --json form: every check in order, with its ID, status and detail,
// and "ok" false exactly when a check failed.
func checkJSON(t *testing.T, rep Report) {
	t.Helper()
	var got struct {
		OK     bool `json:"ok"`
		Checks []struct {
			ID, Title, Status, Detail, Fix string
		} `json:"checks"`
	}
	if err := json.Unmarshal(rep.JSON(), &got); err != nil {
		t.Fatalf("--json output is not JSON: %v", err)
	}
	if got.OK == rep.Failed() {
		t.Errorf(`"ok": %v, but Failed() is %v`, got.OK, rep.Failed())
	}
	wantIDs := []string{CheckVersion, CheckSettings, CheckBedrock, CheckRegion, CheckEndpoint, CheckConfig, CheckAliases, CheckCredentials,
		CheckAuthRefresh, CheckCredentialExport, CheckListProfiles, CheckMainModel, CheckSmallModel,
		CheckSubAgentModel, CheckStream, CheckPromptCache}
	if len(got.Checks) != len(wantIDs) {
		t.Fatalf("%d checks in JSON, want %d", len(got.Checks), len(wantIDs))
	}
	for i, c := range got.Checks {
		if c.ID != wantIDs[i] || c.Title == "" || c.Detail == "" {
			t.Errorf("check %d: %+v, want ID %s with a title and a detail", i, c, wantIDs[i])
		}
		switch Status(c.Status) {
		case StatusOK, StatusWarn, StatusFail, StatusSkip:
		default:
			t.Errorf("check %s: status %q", c.ID, c.Status)
		}
	}
}

func TestLines(t *testing.T) {
	rep := Report{Checks: []Check{
		{ID: "a", Title: "Region", Status: StatusFail, Detail: "not set", Fix: "export AWS_REGION=us-west-2\n(the profile's region)"},
		{ID: "b", Title: "ListInferenceProfiles", Status: StatusWarn, Detail: "not allowed"},
		{ID: "c", Title: "Main model", Status: StatusSkip, Detail: "skipped: no region"},
		{ID: "d", Title: "Bedrock mode", Status: StatusOK, Detail: "on"},
	}}
	want := []string{
		"✗ Region: not set",
		"    fix: export AWS_REGION=us-west-2",
		"         (the profile's region)",
		"! ListInferenceProfiles: not allowed",
		"- Main model: skipped: no region",
		"✓ Bedrock mode: on",
		"1 problem found, 1 warning.",
	}
	if got := rep.Lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, tt := range []struct {
		checks []Check
		last   string
	}{
		{nil, "No problems found."},
		{[]Check{{Status: StatusWarn}, {Status: StatusWarn}}, "No problems found, 2 warnings."},
		{[]Check{{Status: StatusFail}, {Status: StatusFail}}, "2 problems found."},
	} {
		lines := Report{Checks: tt.checks}.Lines()
		if got := lines[len(lines)-1]; got != tt.last {
			t.Errorf("summary %q, want %q", got, tt.last)
		}
	}
}

func TestProgram(t *testing.T) {
	tests := []struct{ command, want string }{
		{"aws sso login --profile corp", "aws"},
		{"AWS_PROFILE=corp  aws sso login", "aws"},
		{`"/opt/my tools/creds" --json`, "/opt/my"},
		{"'./refresh.sh'", "./refresh.sh"},
		{"A=1 B=2", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := program(tt.command); got != tt.want {
			t.Errorf("program(%q) = %q, want %q", tt.command, got, tt.want)
		}
	}
}

func TestWhen(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		want string
	}{
		{now.Add(3*time.Hour + 10*time.Minute), "2026-11-24 15:10 UTC (in 3h10m)"},
		{now.Add(2 * time.Hour), "2026-11-24 14:00 UTC (in 2h)"},
		{now.Add(-45 * time.Minute), "2026-11-24 11:15 UTC (45m ago)"},
		{now.Add(20 * time.Second), "2026-11-24 12:00 UTC (in less than a minute)"},
	}
	for _, tt := range tests {
		if got := when(tt.t, now); got != tt.want {
			t.Errorf("when(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestVersionLineAndUpdateCheckOnlyWhenAsked(t *testing.T) {
	check := func(d Deps) Check {
		r := &run{d: d}
		r.version(context.Background())
		return r.report().Checks[0]
	}
	d := Deps{Version: "0.2.0 (strata)"}
	if c := check(d); c.Status != StatusOK || c.Detail != "0.2.0 (strata)" {
		t.Errorf("without asking: %+v", c)
	}
	for latest, want := range map[string]Status{"0.3.0": StatusWarn, "v0.2.0": StatusOK, "0.1.9": StatusOK} {
		d.LatestRelease = func(context.Context) (string, error) { return latest, nil }
		if c := check(d); c.Status != want {
			t.Errorf("latest %s: got %+v, want %s", latest, c, want)
		}
	}
	d.LatestRelease = func(context.Context) (string, error) { return "", errors.New("registry down") }
	if c := check(d); c.Status != StatusWarn || !strings.Contains(c.Detail, "registry down") {
		t.Errorf("failed lookup: %+v", c)
	}
}

func TestNewerOrdersReleases(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"1.0.0", "0.9.9", true}, {"0.10.0", "0.9.0", true}, {"0.1.0", "0.1.0-dev", true}, {"0.1.0-dev", "0.1.0", false}, {"0.1.0", "0.1.0 (strata) commit x", false}} {
		if got := newer(c.a, c.b); got != c.want {
			t.Errorf("newer(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
