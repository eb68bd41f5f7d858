package skill

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/skills"
	"github.com/strata-agent/strata/internal/tool"
)

func TestSkillTool(t *testing.T) {
	root := t.TempDir()
	put := func(name, text string) {
		t.Helper()
		p := filepath.Join(root, name, skills.FileName)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("deploy", "---\ndescription: Deploys the app\nallowed-tools: Bash(make deploy:*)\n---\nRun make deploy $ARGUMENTS.")
	put("secret", "---\ndescription: Only for people\ndisable-model-invocation: true\n---\nhidden")
	list, problems := skills.LoadDir(root, skills.SourceProject)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	set := skills.NewSet(list)
	run := func(tl tool.Tool, in string) (tool.Result, []string) {
		var granted []string
		env := tool.NewEnv(root)
		env.Grant = func(rules []string, source string) error { granted = append(granted, rules...); return nil }
		res, err := tl.Run(context.Background(), env, json.RawMessage(in))
		if err != nil {
			t.Fatal(err)
		}
		return res, granted
	}
	untrusted := New(set, false)
	if d := untrusted.Description(); !strings.Contains(d, "- deploy: Deploys the app") || strings.Contains(d, "secret") {
		t.Errorf("description:\n%s", d)
	}
	res, granted := run(untrusted, `{"skill": "deploy", "args": "staging"}`)
	if res.IsError || !strings.Contains(res.Text, "Run make deploy staging.") || !strings.Contains(res.Text, "not trusted") || len(granted) != 0 {
		t.Errorf("untrusted project skill: %q, granted %q", res.Text, granted)
	}
	if _, granted = run(New(set, true), `{"skill": "deploy"}`); len(granted) != 1 || granted[0] != "Bash(make deploy:*)" {
		t.Errorf("trusted project skill granted %q", granted)
	}
	for _, in := range []string{`{"skill": "secret"}`, `{"skill": "nope"}`, `{"name": "deploy"}`} {
		if res, _ := run(untrusted, in); !res.IsError {
			t.Errorf("%s: %q", in, res.Text)
		}
	}
}
