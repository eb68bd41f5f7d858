package bedrock

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

const (
	baseS45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	baseS55 = "anthropic.claude-sonnet-5-5"
	baseS5  = "anthropic.claude-sonnet-5"
	baseS46 = "anthropic.claude-sonnet-4-6"
	baseH45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
	baseH55 = "anthropic.claude-haiku-5-5"
	baseO45 = "anthropic.claude-opus-4-5-20251101-v1:0"
)

// simKeys is the key pair every resolution test signs with.
var simKeys = []bedrocksim.Credential{{AccessKeyID: simKey1, SecretAccessKey: simSecret1}}

// operations lists the emulator's requests as "Operation model status".
func operations(srv *bedrocksim.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		line := r.Operation
		if r.Model != "" {
			line += " " + r.Model
		}
		out = append(out, line+" "+http.StatusText(r.Status))
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func warnings(n *notices) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, x := range n.list {
		if x.Kind == llm.NoticeWarning {
			out = append(out, x.Text)
		}
	}
	return out
}

// A default model the account was not granted falls back along the role's list, with one
// warning naming the model to enable and the ID to set; the fallback is kept for the session,
// so the second request goes straight to it. An explicit ID or an alias never falls back.
func TestDefaultModelFallback(t *testing.T) {
	const list = "ListInferenceProfiles OK"
	tests := []struct {
		name      string
		env       []string
		small     bool
		cfg       bedrocksim.Config
		want      []string // operations of two requests
		warning   []string // parts of the one warning; nil: an error instead
		wantError []string
	}{
		{"default denied, profiles listed", nil, false, bedrocksim.Config{Denied: []string{baseS45}},
			[]string{"InvokeModelWithResponseStream us." + baseS45 + " Forbidden", list,
				"InvokeModelWithResponseStream us." + baseS55 + " OK", "InvokeModelWithResponseStream us." + baseS55 + " OK"},
			[]string{"us." + baseS45 + ", the default main model, is not granted", "Model access",
				"export ANTHROPIC_MODEL=us." + baseS55}, nil},
		{"default denied, listing denied", nil, false, bedrocksim.Config{Denied: []string{baseS45}, DenyControlPlane: true},
			[]string{"InvokeModelWithResponseStream us." + baseS45 + " Forbidden", "ListInferenceProfiles Forbidden",
				"InvokeModelWithResponseStream us." + baseS55 + " OK", "InvokeModelWithResponseStream us." + baseS55 + " OK"},
			[]string{"export ANTHROPIC_MODEL=us." + baseS55}, nil},
		{"two denied", nil, false, bedrocksim.Config{Denied: []string{baseS45, "us." + baseS55}},
			[]string{"InvokeModelWithResponseStream us." + baseS45 + " Forbidden", list,
				"InvokeModelWithResponseStream us." + baseS55 + " Forbidden", "InvokeModelWithResponseStream us." + baseS5 + " OK",
				"InvokeModelWithResponseStream us." + baseS5 + " OK"},
			[]string{"us." + baseS45 + ", the default main model", "export ANTHROPIC_MODEL=us." + baseS5}, nil},
		{"small/fast default denied", nil, true, bedrocksim.Config{Denied: []string{baseH45}},
			[]string{"InvokeModelWithResponseStream us." + baseH45 + " Forbidden", list,
				"InvokeModelWithResponseStream us." + baseH55 + " OK", "InvokeModelWithResponseStream us." + baseH55 + " OK"},
			[]string{"the default small/fast model", "export ANTHROPIC_SMALL_FAST_MODEL=us." + baseH55}, nil},
		{"explicit ID denied", []string{"ANTHROPIC_MODEL", "us." + baseS45}, false, bedrocksim.Config{Denied: []string{baseS45}},
			[]string{"InvokeModelWithResponseStream us." + baseS45 + " Forbidden", "InvokeModelWithResponseStream us." + baseS45 + " Forbidden"},
			nil, []string{"denied access to model us." + baseS45, "Model access"}},
		{"alias denied", []string{"ANTHROPIC_MODEL", "sonnet"}, false, bedrocksim.Config{Denied: []string{baseS45}},
			[]string{"InvokeModelWithResponseStream us." + baseS45 + " Forbidden", list,
				"InvokeModelWithResponseStream us." + baseS45 + " Forbidden"},
			nil, []string{"denied access to model us." + baseS45}},
		{"every candidate denied", nil, false, bedrocksim.Config{Denied: []string{baseS45, baseS55, baseS5, baseS46}},
			nil, nil, []string{"denied access to model us." + baseS45, "also tried us." + baseS55 + ", us." + baseS5 + ", us." + baseS46}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(simKey1, simSecret1, "")
			for i := 0; i+1 < len(tt.env); i += 2 {
				e.set(tt.env[i], tt.env[i+1])
			}
			tt.cfg.Keys = simKeys
			srv := startSim(t, tt.cfg)
			c := simClient(t, e, srv, "", SettingsView{}, nil, nil)
			if tt.small {
				c = c.Small()
			}
			n := &notices{}
			ctx := n.ctx(context.Background())
			_, err1 := ask(t, ctx, c, "first")
			_, err2 := ask(t, ctx, c, "second")
			if tt.warning == nil {
				if llm.KindOf(err1) != llm.ErrAccessDenied || llm.KindOf(err2) != llm.ErrAccessDenied {
					t.Fatalf("errors %v / %v, want access denied", err1, err2)
				}
				mustContain(t, "error", err1.Error(), tt.wantError...)
				if len(warnings(n)) != 0 {
					t.Errorf("warnings without a fallback: %q", warnings(n))
				}
			} else {
				if err1 != nil || err2 != nil {
					t.Fatalf("errors %v / %v\n%s", err1, err2, strings.Join(operations(srv), "\n"))
				}
				w := warnings(n)
				if len(w) != 1 {
					t.Fatalf("%d warnings, want 1: %q", len(w), w)
				}
				mustContain(t, "warning", w[0], tt.warning...)
			}
			if tt.want != nil {
				sameLines(t, "requests", operations(srv), tt.want)
			}
		})
	}
}

// After a fallback, cost and capabilities follow the model actually used.
func TestBaseModelFollowsFallback(t *testing.T) {
	e := newTestEnv(t)
	e.keys(simKey1, simSecret1, "")
	srv := startSim(t, bedrocksim.Config{Keys: simKeys, Denied: []string{baseS45}})
	c := simClient(t, e, srv, "", SettingsView{}, nil, nil)
	if m, _ := c.BaseModel(c.Model()); m.BaseID != baseS45 {
		t.Errorf("before any request: %s", m.BaseID)
	}
	if _, err := ask(t, context.Background(), c, "hi"); err != nil {
		t.Fatal(err)
	}
	if m, _ := c.BaseModel(c.Model()); m.BaseID != baseS55 {
		t.Errorf("after the fallback: %s, want %s", m.BaseID, baseS55)
	}
	want, _ := models.PriceFor("us." + baseS55)
	if p, ok := c.Price(c.Model()); !ok || p != want {
		t.Errorf("price after the fallback %+v, want %+v", p, want)
	}
}

// A default profile the region does not offer is replaced by the same model's profile that
// ListInferenceProfiles does list.
func TestDefaultModelNotOffered(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	f := newFake(t, false, func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.EscapedPath()
		switch {
		case strings.HasPrefix(path, "/inference-profiles"):
			jsonReply("application/json", map[string]any{"inferenceProfileSummaries": []any{summary("global."+baseS45, baseS45)}})(w, r)
		case strings.Contains(path, "us.anthropic"):
			errorReply(400, "ValidationException", "The provided model identifier is invalid.")(w, r)
		default:
			streamReply(textEvents("ok")...)(w, r)
		}
	})
	c := fakeClient(t, e, f, SettingsView{}, nil)
	n := &notices{}
	if _, err := ask(t, n.ctx(context.Background()), c, "hi"); err != nil {
		t.Fatal(err)
	}
	want := []string{"/model/" + escapeID("us."+baseS45) + "/invoke-with-response-stream", "/inference-profiles",
		"/model/" + escapeID("global."+baseS45) + "/invoke-with-response-stream"}
	sameLines(t, "paths", f.paths(), want)
	w := warnings(n)
	if len(w) != 1 {
		t.Fatalf("warnings %q", w)
	}
	mustContain(t, "warning", w[0], "is not offered in us-east-1", "found with ListInferenceProfiles", "export ANTHROPIC_MODEL=global."+baseS45)
}

// With NoRecovery (strata doctor) every refusal is final at once and says what it was.
func TestNoRecovery(t *testing.T) {
	tests := []struct {
		name   string
		model  string
		cfg    bedrocksim.Config
		script string
		check  func(t *testing.T, c *Client, err error)
	}{
		{"throttled", "", bedrocksim.Config{}, `[{"fault":"throttle"}]`, func(t *testing.T, c *Client, err error) {
			if llm.KindOf(err) != llm.ErrThrottled {
				t.Errorf("error %v", err)
			}
		}},
		{"base ID needs a profile", baseS45, bedrocksim.Config{}, `[]`, func(t *testing.T, c *Client, err error) {
			if !NeedsProfile(err) {
				t.Errorf("NeedsProfile(%v) = false", err)
			}
			if id, how := c.FindProfile(context.Background(), baseS45); id != "us."+baseS45 || !strings.Contains(how, "ListInferenceProfiles") {
				t.Errorf("FindProfile = %q, %q", id, how)
			}
		}},
		{"default denied", "", bedrocksim.Config{Denied: []string{baseS45}}, `[]`, func(t *testing.T, c *Client, err error) {
			if llm.KindOf(err) != llm.ErrAccessDenied {
				t.Errorf("error %v", err)
			}
			if got := c.Fallbacks(context.Background()); len(got) < 2 || got[0] != "us."+baseS55 || got[1] != "global."+baseS55 {
				t.Errorf("Fallbacks = %q", got)
			}
		}},
		{"gateway", "", bedrocksim.Config{}, `[{"fault":"content_type","content_type":"application/json"}]`, func(t *testing.T, c *Client, err error) {
			if ct, ok := RewrittenContentType(err); !ok || ct != "application/json" {
				t.Errorf("RewrittenContentType(%v) = %q, %v", err, ct, ok)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(simKey1, simSecret1, "")
			if tt.model != "" {
				e.set("ANTHROPIC_MODEL", tt.model)
			}
			tt.cfg.Keys = simKeys
			tt.cfg.Script = simScript(t, `{"turns":[{"faults":`+tt.script+`,"content":"ok"}],"on_exhausted":"echo"}`)
			srv := startSim(t, tt.cfg)
			e.set("ANTHROPIC_BEDROCK_BASE_URL", srv.URL())
			o := simOptions(srv)
			o.NoRecovery = true
			c, err := New(context.Background(), e.config(SettingsView{}), o)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ask(t, context.Background(), c, "hi")
			if err == nil {
				t.Fatal("no error")
			}
			invokes := 0
			for _, r := range srv.Requests() {
				if strings.HasPrefix(r.Operation, "Invoke") {
					invokes++
				}
			}
			if invokes != 1 {
				t.Errorf("%d invocations, want 1: %q", invokes, operations(srv))
			}
			tt.check(t, c, err)
		})
	}
}

// An application inference profile's model: stated by the user (no lookup at all), learned
// from ListInferenceProfiles when GetInferenceProfile is not allowed, or guessed from its name
// when neither is; thinking, betas and prices then follow that model.
func TestApplicationProfileBaseModel(t *testing.T) {
	const (
		named   = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/team-opus-4-5"
		opaque  = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3"
		profile = "us." + baseO45
	)
	apps := map[string]string{named: profile, opaque: profile}
	tests := []struct {
		name    string
		arn     string
		base    string
		cfg     bedrocksim.Config
		ops     []string
		known   bool
		warning string
	}{
		{"stated", opaque, baseO45, bedrocksim.Config{}, []string{"InvokeModelWithResponseStream " + opaque + " OK"}, true, ""},
		{"learned from the list", opaque, "", bedrocksim.Config{DenyOperations: []string{"GetInferenceProfile"}},
			[]string{"GetInferenceProfile " + opaque + " Forbidden", "ListInferenceProfiles OK", "InvokeModelWithResponseStream " + opaque + " OK"}, true, ""},
		{"guessed from the name", named, "", bedrocksim.Config{DenyControlPlane: true},
			[]string{"GetInferenceProfile " + named + " Forbidden", "ListInferenceProfiles Forbidden", "InvokeModelWithResponseStream " + named + " OK"},
			true, "going by its name, it runs Claude Opus 4.5"},
		{"unknown", opaque, "", bedrocksim.Config{DenyControlPlane: true},
			[]string{"GetInferenceProfile " + opaque + " Forbidden", "ListInferenceProfiles Forbidden", "InvokeModelWithResponseStream " + opaque + " OK"},
			false, "export ANTHROPIC_MODEL_BASE="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(simKey1, simSecret1, "")
			e.set("ANTHROPIC_MODEL", tt.arn)
			e.set("ANTHROPIC_MODEL_BASE", tt.base)
			tt.cfg.Keys, tt.cfg.AppProfiles = simKeys, apps
			srv := startSim(t, tt.cfg)
			c := simClient(t, e, srv, "", SettingsView{}, nil, nil)
			n := &notices{}
			req := simpleRequest("hi")
			req.MaxTokens = 0 // the model's default, which shows whether the model is known
			s, err := c.Stream(n.ctx(context.Background()), req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := drain(t, s); err != nil {
				t.Fatal(err)
			}
			sameLines(t, "requests", operations(srv), tt.ops)
			m, ok := c.BaseModel(tt.arn)
			if ok != tt.known || (ok && m.BaseID != baseO45) {
				t.Errorf("BaseModel = %s, %v; want known=%v", m.BaseID, ok, tt.known)
			}
			if p, ok := c.Price(tt.arn); ok != tt.known || (ok && p != m.Regional) {
				t.Errorf("Price = %+v, %v; want the regional price of %s", p, ok, m.Name)
			}
			body := string(srv.Requests()[len(srv.Requests())-1].Body)
			if tt.known != strings.Contains(body, `"max_tokens":32000`) {
				t.Errorf("max_tokens does not follow the model (known=%v): %s", tt.known, body)
			}
			w := strings.Join(warnings(n), "\n")
			if tt.warning == "" && w != "" {
				t.Errorf("unexpected warning %q", w)
			}
			mustContain(t, "warnings", w, tt.warning)
		})
	}
}

func TestGuessModel(t *testing.T) {
	tests := []struct{ name, want string }{
		{"team-opus-4-5", baseO45},
		{"Claude Sonnet 4.5 (prod)", baseS45},
		{"claude-sonnet-4-5-20250929", baseS45},
		{"opus-5-5-batch", "anthropic.claude-opus-5-5"},
		{"haiku_4_5", baseH45},
		{"sonnet", ""},
		{"a1b2c3", ""},
		{"sonnet-45", ""},
	}
	for _, tt := range tests {
		m, ok := GuessModel(tt.name)
		if ok != (tt.want != "") || m.BaseID != tt.want {
			t.Errorf("GuessModel(%q) = %q, %v; want %q", tt.name, m.BaseID, ok, tt.want)
		}
	}
	for _, m := range models.All() {
		if k := modelKey(m.BaseID); k == "" || strings.ContainsAny(k, ".:") {
			t.Errorf("modelKey(%s) = %q", m.BaseID, k)
		}
	}
}

// ANTHROPIC_MODEL_BASE takes a base ID, a profile ID or an alias; anything else is ignored
// with a warning.
func TestLoadConfigStatedBase(t *testing.T) {
	tests := []struct{ value, want, warning string }{
		{"anthropic.claude-opus-4-5-20251101-v1:0", baseO45, ""},
		{"us." + baseS45, baseS45, ""},
		{"haiku", "anthropic.claude-haiku-4-5-20251001-v1:0", ""}, // the reference's haiku alias
		{"gpt-5", "", "is not a Claude model strata knows"},
	}
	for _, tt := range tests {
		cfg, err := LoadConfig(mapEnv("CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", "/nonexistent",
			"ANTHROPIC_MODEL_BASE", tt.value), SettingsView{Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.ModelBase != tt.want {
			t.Errorf("%s: ModelBase %q, want %q", tt.value, cfg.ModelBase, tt.want)
		}
		if got := strings.Join(cfg.Warnings, "\n"); (tt.warning == "") != (got == "") || !strings.Contains(got, tt.warning) {
			t.Errorf("%s: warnings %q", tt.value, got)
		}
	}
}

func TestLoadConfigChoice(t *testing.T) {
	tests := []struct {
		env              []string
		main, smallFast  Choice
		flag, settingsID string
	}{
		{nil, ChoiceDefault, ChoiceDefault, "", ""},
		{[]string{"ANTHROPIC_MODEL", "opus"}, ChoiceAlias, ChoiceDefault, "", ""},
		{[]string{"ANTHROPIC_SMALL_FAST_MODEL", "us." + baseH45}, ChoiceDefault, ChoiceExplicit, "", ""},
		{nil, ChoiceExplicit, ChoiceDefault, "us." + baseS45, ""},
		{nil, ChoiceExplicit, ChoiceDefault, "", "us." + baseS45},
	}
	for i, tt := range tests {
		env := append([]string{"CLAUDE_CODE_USE_BEDROCK", "1", "AWS_REGION", "us-east-1", "HOME", "/nonexistent"}, tt.env...)
		cfg, err := LoadConfig(mapEnv(env...), SettingsView{Now: fixedNow, FlagModel: tt.flag, Model: tt.settingsID})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.ModelChoice != tt.main || cfg.SmallFastModelChoice != tt.smallFast {
			t.Errorf("case %d: choices %v/%v, want %v/%v", i, cfg.ModelChoice, cfg.SmallFastModelChoice, tt.main, tt.smallFast)
		}
	}
}

// GuessModel never panics, and a guess is always a catalog model whose name part the name
// contains as whole words.
func FuzzGuessModel(f *testing.F) {
	for _, seed := range []string{"team-opus-4-5", "Claude Sonnet 4.5 (prod)", "haiku_4_5", "", "-", "opus-5-5-5",
		"arn:aws:bedrock:us-east-1:1:application-inference-profile/x", "sonnet--4--5", "ÅSONNET-4-5"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		m, ok := GuessModel(name)
		if !ok {
			if m.BaseID != "" {
				t.Fatalf("no guess, but a model: %q", m.BaseID)
			}
			return
		}
		if _, known := models.Lookup(m.BaseID); !known {
			t.Fatalf("guessed %q, not in the catalog", m.BaseID)
		}
		norm := "-" + nameSeparator().ReplaceAllString(strings.ToLower(name), "-") + "-"
		if !strings.Contains(norm, "-"+modelKey(m.BaseID)+"-") {
			t.Fatalf("guessed %s from %q, which does not name it", m.BaseID, name)
		}
	})
}

// A fallback found for a default model never replaces the same ID where the user set it
// explicitly (here as the small/fast model): that request is refused and explained instead.
func TestFallbackDoesNotReplaceExplicitID(t *testing.T) {
	e := newTestEnv(t)
	e.keys(simKey1, simSecret1, "")
	e.set("ANTHROPIC_SMALL_FAST_MODEL", "us."+baseS45)
	srv := startSim(t, bedrocksim.Config{Keys: simKeys, Denied: []string{baseS45}})
	c := simClient(t, e, srv, "", SettingsView{}, nil, nil)
	ctx := (&notices{}).ctx(context.Background())
	if _, err := ask(t, ctx, c, "main"); err != nil {
		t.Fatalf("the default main model did not fall back: %v", err)
	}
	_, err := ask(t, ctx, c.Small(), "small")
	if llm.KindOf(err) != llm.ErrAccessDenied {
		t.Fatalf("explicit small/fast ID: %v, want access denied", err)
	}
	ops := operations(srv)
	if last := ops[len(ops)-1]; last != "InvokeModelWithResponseStream us."+baseS45+" Forbidden" {
		t.Fatalf("the explicit ID was replaced: %q", ops)
	}
}
