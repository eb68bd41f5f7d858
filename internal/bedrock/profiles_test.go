package bedrock

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/llm"
)

const (
	baseSonnet   = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	onDemandText = "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
)

func summary(id, base string) map[string]any {
	return map[string]any{"inferenceProfileId": id, "inferenceProfileName": id, "status": "ACTIVE", "type": "SYSTEM_DEFINED",
		"inferenceProfileArn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + id,
		"models":              []any{map[string]string{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/" + base}}}
}

// onDemandBedrock answers like Bedrock for a model that needs a profile: base IDs get the
// on-demand error, the control plane lists pages (or is denied), everything else streams.
func onDemandBedrock(t *testing.T, pages [][]map[string]any, denyList bool) reply {
	return func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.EscapedPath()
		switch {
		case strings.HasPrefix(path, "/inference-profiles"):
			if denyList {
				errorReply(403, "AccessDeniedException", "not authorized to perform: bedrock:ListInferenceProfiles")(w, r)
				return
			}
			page := 0
			if tok := r.URL.Query().Get("nextToken"); tok != "" {
				page = int(tok[0] - '0')
			}
			body := map[string]any{"inferenceProfileSummaries": pages[page]}
			if page+1 < len(pages) {
				body["nextToken"] = string(rune('0' + page + 1))
			}
			jsonReply("application/json", body)(w, r)
		case strings.HasPrefix(path, "/model/anthropic."):
			errorReply(400, "ValidationException", onDemandText)(w, r)
		default:
			streamReply(textEvents("ok")...)(w, r)
		}
	}
}

// B33 table: a base ID that needs an inference profile is retried once with the profile found
// by ListInferenceProfiles (the region's geography first), the user is told which ID to set,
// and the mapping is remembered for the session.
func TestOnDemandRecovery(t *testing.T) {
	tests := []struct {
		name    string
		region  string
		pages   [][]map[string]any
		deny    bool
		want    string
		howWord string
	}{
		{"region geography first", "us-east-1", [][]map[string]any{{summary("global."+baseSonnet, baseSonnet),
			summary("us."+baseSonnet, baseSonnet), summary("us.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0")}},
			false, "us." + baseSonnet, "ListInferenceProfiles"},
		{"then global", "ca-central-1", [][]map[string]any{{summary("us."+baseSonnet, baseSonnet), summary("global."+baseSonnet, baseSonnet)}},
			false, "global." + baseSonnet, "ListInferenceProfiles"},
		{"second page", "eu-west-1", [][]map[string]any{{summary("us.other", "anthropic.other")}, {summary("eu."+baseSonnet, baseSonnet)}},
			false, "eu." + baseSonnet, "ListInferenceProfiles"},
		{"list denied: catalog", "us-east-1", nil, true, "us." + baseSonnet, "model catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(envKey, envSecret, "")
			e.set("AWS_REGION", tt.region)
			e.set("ANTHROPIC_MODEL", baseSonnet)
			f := newFake(t, false, onDemandBedrock(t, tt.pages, tt.deny))
			c := fakeClient(t, e, f, SettingsView{}, nil)
			n := &notices{}
			ctx := n.ctx(context.Background())
			if _, err := ask(t, ctx, c, "hi"); err != nil {
				t.Fatalf("%v\n%v", err, f.paths())
			}
			if _, err := ask(t, ctx, c, "again"); err != nil {
				t.Fatal(err)
			}
			var invokes []string
			for _, p := range f.paths() {
				if strings.HasPrefix(p, "/model/") {
					invokes = append(invokes, p)
				}
			}
			want := []string{"/model/" + escapeID(baseSonnet) + "/invoke-with-response-stream",
				"/model/" + escapeID(tt.want) + "/invoke-with-response-stream",
				"/model/" + escapeID(tt.want) + "/invoke-with-response-stream"}
			if strings.Join(invokes, "\n") != strings.Join(want, "\n") {
				t.Errorf("invocations\n%s\nwant\n%s", strings.Join(invokes, "\n"), strings.Join(want, "\n"))
			}
			if len(n.list) != 1 || n.list[0].Kind != llm.NoticeWarning {
				t.Fatalf("notices:\n%s", n.text())
			}
			mustContain(t, "warning", n.list[0].Text, "export ANTHROPIC_MODEL="+tt.want, tt.howWord)
		})
	}
}

func TestOnDemandNoProfile(t *testing.T) {
	const unknown = "anthropic.claude-imaginary-v1:0"
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	e.set("ANTHROPIC_MODEL", unknown)
	f := newFake(t, false, onDemandBedrock(t, [][]map[string]any{{summary("us."+baseSonnet, baseSonnet)}}, false))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	_, err := ask(t, context.Background(), c, "hi")
	if llm.KindOf(err) != llm.ErrNotFound {
		t.Fatalf("error %v", err)
	}
	mustContain(t, "error", err.Error(), unknown, "inference-profile ID", "aws bedrock list-inference-profiles --region us-east-1")
	if got := len(f.paths()); got != 2 {
		t.Errorf("%d requests (invoke, list), want 2: %q", got, f.paths())
	}
}

// The recovery is tried once: a profile that fails the same way ends the request.
func TestOnDemandOnlyOnce(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	e.set("ANTHROPIC_MODEL", baseSonnet)
	f := newFake(t, false, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/inference-profiles") {
			jsonReply("application/json", map[string]any{"inferenceProfileSummaries": []any{summary("us."+baseSonnet, baseSonnet)}})(w, r)
			return
		}
		errorReply(400, "ValidationException", onDemandText)(w, r)
	})
	c := fakeClient(t, e, f, SettingsView{}, nil)
	_, err := ask(t, context.Background(), c, "hi")
	if llm.KindOf(err) != llm.ErrNotFound {
		t.Fatalf("error %v", err)
	}
	if got := len(f.paths()); got != 3 {
		t.Errorf("requests %q, want invoke, list, invoke", f.paths())
	}
}

func TestOnDemandSmallRoleNamesItsVariable(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	e.set("ANTHROPIC_SMALL_FAST_MODEL", baseSonnet)
	f := newFake(t, false, onDemandBedrock(t, nil, true))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	n := &notices{}
	if _, err := ask(t, n.ctx(context.Background()), c.Small(), "hi"); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "warning", n.text(), "export ANTHROPIC_SMALL_FAST_MODEL=us."+baseSonnet)
}

func TestListInferenceProfiles(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	pages := [][]map[string]any{{summary("us."+baseSonnet, baseSonnet)}, {summary("global."+baseSonnet, baseSonnet)}}
	f := newFake(t, false, onDemandBedrock(t, pages, false))
	c := fakeClient(t, e, f, SettingsView{}, nil)
	got, err := c.ListInferenceProfiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].ID != "global."+baseSonnet || got[0].Models[0] != "arn:aws:bedrock:us-east-1::foundation-model/"+baseSonnet {
		t.Errorf("profiles %+v", got)
	}
	paths := f.paths()
	if len(paths) != 2 || f.recorded()[0].Method != http.MethodGet {
		t.Errorf("paths %q", paths)
	}
	denied := newFake(t, false, onDemandBedrock(t, nil, true))
	c = fakeClient(t, e, denied, SettingsView{}, nil)
	_, err = c.ListInferenceProfiles(context.Background())
	if llm.KindOf(err) != llm.ErrAccessDenied {
		t.Fatalf("error %v, want ErrAccessDenied", err)
	}
	mustContain(t, "error", err.Error(), "ListInferenceProfiles", "works without it")
}

// An application inference profile's model is learned once with GetInferenceProfile, so its
// requests get the model's betas and limits.
func TestApplicationProfileModelLookup(t *testing.T) {
	e := newTestEnv(t)
	e.keys(envKey, envSecret, "")
	e.set("ANTHROPIC_MODEL", appARN)
	f := newFake(t, false, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/inference-profiles/") {
			jsonReply("application/json", summary("abc123", baseSonnet))(w, r)
			return
		}
		streamReply(textEvents("ok")...)(w, r)
	})
	c := fakeClient(t, e, f, SettingsView{}, nil)
	req := simpleRequest("hi")
	req.Betas = []string{"context-1m-2025-08-07"}
	for range 2 {
		s, err := c.Stream(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := drain(t, s); err != nil {
			t.Fatal(err)
		}
	}
	reqs := f.recorded()
	if len(reqs) != 3 {
		t.Fatalf("requests %q, want one lookup and two invocations", f.paths())
	}
	mustContain(t, "body", string(reqs[1].Body), `"anthropic_beta":["context-1m-2025-08-07"]`)
}

// A profile ID that Bedrock answers with "cannot be invoked on demand" has no profile to
// switch to: one request, an error saying what is wrong, never "using X instead of X" and
// never a doubled prefix.
func TestOnDemandProfileIDSaysWhatIsWrong(t *testing.T) {
	for _, id := range []string{"us." + baseSonnet, "au." + baseSonnet} {
		t.Run(id, func(t *testing.T) {
			e := newTestEnv(t)
			e.keys(envKey, envSecret, "")
			e.set("ANTHROPIC_MODEL", id)
			f := newFake(t, false, onDemandProfileBedrock)
			c := fakeClient(t, e, f, SettingsView{}, nil)
			n := &notices{}
			_, err := ask(t, n.ctx(context.Background()), c, "hi")
			if llm.KindOf(err) != llm.ErrNotFound {
				t.Fatalf("error %v", err)
			}
			mustContain(t, "error", err.Error(), "refused the inference profile "+id, "not granted", "not offered in us-east-1")
			for _, bad := range []string{"us.us.", "us.au.", "instead"} {
				if strings.Contains(err.Error()+n.text(), bad) {
					t.Errorf("says %q:\n%v\n%s", bad, err, n.text())
				}
			}
			if got := f.paths(); len(got) != 1 {
				t.Errorf("requests %q, want the one invocation", got)
			}
		})
	}
}

func onDemandProfileBedrock(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/inference-profiles") {
		jsonReply("application/json", map[string]any{"inferenceProfileSummaries": []any{summary("us."+baseSonnet, baseSonnet)}})(w, r)
		return
	}
	errorReply(400, "ValidationException", onDemandText)(w, r)
}

// The suggestion for a base ID that needs a profile uses the region's narrowest geography.
func TestOnDemandSuggestionUsesRegionGeos(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1":      "us." + baseSonnet,
		"ap-southeast-2": "au." + baseSonnet,
		"us-gov-west-1":  "us-gov.",
	} {
		e := onDemandError(explained{model: baseSonnet, region: region, what: "x"})
		if !strings.Contains(e.Fix, want) || strings.Contains(e.Fix, "us.us.") {
			t.Errorf("%s: fix %q, want it to suggest %s", region, e.Fix, want)
		}
	}
	e := onDemandError(explained{model: "us." + baseSonnet, region: "us-east-1", what: "x"})
	if strings.Contains(e.Fix, "us.us.") || !strings.Contains(e.Message, "not granted") {
		t.Errorf("profile ID: %q / %q", e.Message, e.Fix)
	}
}
