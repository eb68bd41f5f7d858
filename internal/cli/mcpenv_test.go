package cli

import "testing"

func TestMCPExpansionNeverSeesAWSSecrets(t *testing.T) {
	a := &app{env: Env{Getenv: func(name string) string { return "value-of-" + name }}}
	get := a.mcpOptions(nil, nil, nil).Getenv
	for name, want := range map[string]string{"AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_BEARER_TOKEN_BEDROCK": "",
		"GITHUB_TOKEN": "value-of-GITHUB_TOKEN", "AWS_REGION": "value-of-AWS_REGION"} {
		if got := get(name); got != want {
			t.Errorf("%s expands to %q, want %q", name, got, want)
		}
	}
}
