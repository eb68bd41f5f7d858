package doctor

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrock"
)

// The policy allows exactly what the configured models need: their profiles, the foundation
// models behind them in any region (cross-region profiles route anywhere in their geography),
// and ListInferenceProfiles.
func TestIAMPolicy(t *testing.T) {
	const (
		haiku = "anthropic.claude-haiku-4-5-20251001-v1:0"
		app   = "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/team-opus-4-5"
	)
	tests := []struct {
		name  string
		cfg   bedrock.Config
		want  []string
		notes []string
	}{
		{"default profiles", bedrock.Config{Region: "us-east-1", Model: "us." + sonnet45, SmallFastModel: "us." + haiku},
			[]string{
				"arn:aws:bedrock:*::foundation-model/" + haiku,
				"arn:aws:bedrock:*::foundation-model/" + sonnet45,
				"arn:aws:bedrock:us-east-1:*:inference-profile/us." + haiku,
				"arn:aws:bedrock:us-east-1:*:inference-profile/us." + sonnet45,
			}, nil},
		{"small/fast in its own region", bedrock.Config{Region: "us-east-1", SmallFastRegion: "eu-west-1",
			Model: "global." + sonnet45, SmallFastModel: "eu." + haiku},
			[]string{
				"arn:aws:bedrock:*::foundation-model/" + haiku,
				"arn:aws:bedrock:*::foundation-model/" + sonnet45,
				"arn:aws:bedrock:eu-west-1:*:inference-profile/eu." + haiku,
				"arn:aws:bedrock:us-east-1:*:inference-profile/global." + sonnet45,
			}, nil},
		{"base ID that needs a profile", bedrock.Config{Region: "eu-west-1", Model: sonnet45, SmallFastModel: sonnet45},
			[]string{
				"arn:aws:bedrock:*::foundation-model/" + sonnet45,
				"arn:aws:bedrock:eu-west-1:*:inference-profile/eu." + sonnet45,
				"arn:aws:bedrock:eu-west-1::foundation-model/" + sonnet45,
			}, nil},
		{"GovCloud", bedrock.Config{Region: "us-gov-west-1", Model: "us-gov." + sonnet45, SmallFastModel: "us-gov." + sonnet45},
			[]string{
				"arn:aws-us-gov:bedrock:*::foundation-model/" + sonnet45,
				"arn:aws-us-gov:bedrock:us-gov-west-1:*:inference-profile/us-gov." + sonnet45,
			}, nil},
		{"application profile, named", bedrock.Config{Region: "us-east-2", Model: app, SmallFastModel: app},
			[]string{"arn:aws:bedrock:*::foundation-model/" + opus45, app}, nil},
		{"application profile, stated", bedrock.Config{Region: "us-east-1", Model: appARN, ModelBase: opus45,
			SmallFastModel: "us." + haiku},
			[]string{
				"arn:aws:bedrock:*::foundation-model/" + haiku,
				"arn:aws:bedrock:*::foundation-model/" + opus45,
				"arn:aws:bedrock:us-east-1:*:inference-profile/us." + haiku,
				appARN,
			}, nil},
		{"application profile, unknown", bedrock.Config{Region: "us-east-1", Model: appARN, SmallFastModel: appARN},
			[]string{appARN}, []string{"ANTHROPIC_MODEL_BASE", "ANTHROPIC_SMALL_FAST_MODEL_BASE"}},
		{"no region", bedrock.Config{Model: "global." + sonnet45, SmallFastModel: "global." + sonnet45},
			[]string{"arn:aws:bedrock:*:*:inference-profile/global." + sonnet45, "arn:aws:bedrock:*::foundation-model/" + sonnet45}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, notes := IAMPolicy(&tt.cfg)
			var doc Policy
			if err := json.Unmarshal(p.JSON(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Version != "2012-10-17" || len(doc.Statement) != 2 {
				t.Fatalf("policy %s", p.JSON())
			}
			invoke, list := doc.Statement[0], doc.Statement[1]
			if !slices.Equal(invoke.Action, []string{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}) || invoke.Effect != "Allow" {
				t.Errorf("invoke statement %+v", invoke)
			}
			if !slices.Equal(invoke.Resource, tt.want) {
				t.Errorf("resources\n  %s\nwant\n  %s", strings.Join(invoke.Resource, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if !slices.Equal(list.Action, []string{"bedrock:ListInferenceProfiles"}) || !slices.Equal(list.Resource, []string{"*"}) {
				t.Errorf("list statement %+v", list)
			}
			if len(notes) != len(tt.notes) {
				t.Fatalf("notes %q", notes)
			}
			for i, n := range tt.notes {
				if !strings.Contains(notes[i], n) {
					t.Errorf("note %q does not name %s", notes[i], n)
				}
			}
		})
	}
}
