package tui

import (
	"context"
	"errors"
	"testing"
)

// setupHost is a fake host with the guided Bedrock setup and a terminal name.
type setupHost struct {
	*fakeHost
	term   string
	saved  []BedrockChoice
	models []string
}

func (s *setupHost) TerminalProgram() string { return s.term }

func (s *setupHost) BedrockSetupStart() BedrockSetupStart {
	return BedrockSetupStart{Region: "us-east-1", Profiles: []AWSProfile{{Name: "dev"}, {Name: "corp", SSO: true}},
		SettingsPath: "/home/u/.claude/settings.json"}
}

func (s *setupHost) BedrockModels(context.Context, BedrockChoice) ([]string, error) {
	if s.models == nil {
		return nil, errors.New("AccessDeniedException")
	}
	return s.models, nil
}

func (s *setupHost) SaveBedrockSetup(c BedrockChoice) (string, error) {
	s.saved = append(s.saved, c)
	return "/home/u/.claude/settings.json", nil
}

func newSetupHarness(t *testing.T, host *setupHost) *harness {
	h := newHarness(t, nil)
	host.fakeHost = h.host
	h.m.host = host
	return h
}

// TestSetupBedrockWizard: a region typed in, an SSO profile picked from the config's, a
// model picked from the listed ones; the choice is saved and doctor runs. Esc at any step
// cancels without saving, and a listing that fails still lets the user go on.
func TestSetupBedrockWizard(t *testing.T) {
	host := &setupHost{models: []string{"eu.anthropic.claude-sonnet-4-5-20250929-v1:0"}}
	h := newSetupHarness(t, host)
	h.enterLine("/setup-bedrock")
	h.mustShow(h.view(), "Which AWS region", "1. us-east-1", "Type something.")
	h.key("6") // "Type something." after the current region and four others
	h.typeText("eu-west-3")
	h.key("enter")
	h.mustShow(h.view(), "How does strata get AWS credentials?", "2. AWS SSO profile")
	h.key("2")
	h.mustShow(h.view(), "Which AWS profile", "1. corp")
	h.mustNotShow(h.view(), "dev") // not an SSO profile
	h.key("1")
	h.waitFor("the model question", func() bool { return h.m.questionOpen() })
	h.mustShow(h.view(), "Which model", "1. Keep strata's defaults", "2. eu.anthropic.claude-sonnet-4-5")
	h.key("2")
	h.settle()
	want := BedrockChoice{Region: "eu-west-3", Auth: AuthSSO, Profile: "corp", Model: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"}
	if len(host.saved) != 1 || host.saved[0] != want {
		t.Fatalf("saved %+v", host.saved)
	}
	h.mustShow(h.out(), "aws sso login --profile corp", "Bedrock configuration saved to /home/u/.claude/settings.json", "strata doctor also probes")

	host.models = nil
	h.enterLine("/setup-bedrock")
	h.key("1", "3") // current region, access keys from the environment (not set: warned)
	h.waitFor("the model question", func() bool { return h.m.questionOpen() })
	h.mustShow(h.out(), "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", "Could not list the inference profiles: AccessDeniedException")
	h.key("esc")
	h.settle()
	if len(host.saved) != 1 || h.m.questionOpen() {
		t.Errorf("cancelled setup saved %+v", host.saved)
	}
	h.mustShow(h.out(), "Bedrock setup cancelled; nothing was saved.")
}

func TestTerminalSetup(t *testing.T) {
	host := &setupHost{term: "vscode"}
	h := newSetupHarness(t, host)
	h.enterLine("/terminal-setup")
	h.settle()
	h.mustShow(h.out(), "Ctrl+J and Alt+Enter", "workbench.action.terminal.sendSequence")
	host.term = "ghostty"
	h.enterLine("/terminal-setup")
	h.settle()
	h.mustShow(h.out(), "Shift+Enter works as it is in Ghostty")
}
