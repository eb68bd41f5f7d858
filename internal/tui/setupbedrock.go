package tui

import (
	"context"
	"encoding/json"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tui/question"
)

// BedrockSetupHost is what /setup-bedrock asks the host for. It is optional: a Host without
// it has no guided setup, and /setup-bedrock says so.
type BedrockSetupHost interface {
	// BedrockSetupStart describes what the setup starts from.
	BedrockSetupStart() BedrockSetupStart
	// BedrockModels lists the Claude inference profiles the choice reaches (Bedrock's
	// ListInferenceProfiles with those credentials and region). Called off the UI goroutine.
	BedrockModels(ctx context.Context, c BedrockChoice) ([]string, error)
	// SaveBedrockSetup writes the choice into the user's settings file and returns its path.
	SaveBedrockSetup(c BedrockChoice) (path string, err error)
}

// BedrockSetupStart is the current state: the region in use, the profiles of the AWS config
// file, whether credentials are in the environment, and where the choice will be saved.
type BedrockSetupStart struct {
	Region       string
	Profiles     []AWSProfile
	ProfilesErr  error // the AWS config file could not be read
	EnvKeys      bool  // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
	BearerToken  bool  // AWS_BEARER_TOKEN_BEDROCK is set
	SettingsPath string
}

// AWSProfile is a profile of ~/.aws/config.
type AWSProfile struct {
	Name string
	SSO  bool // it signs in through IAM Identity Center (sso_session or sso_start_url)
}

// Credential sources /setup-bedrock offers.
const (
	AuthProfile = "profile" // a named profile of ~/.aws/config (keys, role, process)
	AuthSSO     = "sso"     // an IAM Identity Center profile (aws sso login)
	AuthEnv     = "env"     // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment
	AuthBearer  = "bearer"  // a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK
)

// BedrockChoice is what the user chose. Model "" keeps strata's defaults.
type BedrockChoice struct {
	Region, Auth, Profile, Model string
}

// localAsk is a question form the UI itself put up, and what happens with its answer.
type localAsk struct {
	reply chan permission.Answer
	then  func(answers map[string]string, ok bool) tea.Cmd
}

// stepMsg continues a command on the UI goroutine once background work is done.
type stepMsg struct{ then func() tea.Cmd }

// setupQuestion is one question of the setup: its text, header, and (label, description)
// pairs; the user may always type an answer instead.
type setupQuestion struct {
	text, header string
	options      [][2]string
}

// askLocal shows q in the question form; then gets its answer (ok false: cancelled).
func (m *Model) askLocal(q setupQuestion, then func(answer string, ok bool) tea.Cmd) {
	type option struct {
		Label       string `json:"label"`
		Description string `json:"description"`
	}
	opts := []option{}
	for _, o := range q.options {
		opts = append(opts, option{o[0], o[1]})
	}
	input, _ := json.Marshal(map[string]any{"questions": []any{map[string]any{
		"question": q.text, "header": q.header, "options": opts, "multiSelect": false}}})
	reply := make(chan permission.Answer, 1)
	m.local = &localAsk{reply: reply, then: func(answers map[string]string, ok bool) tea.Cmd {
		return then(answers[q.text], ok && answers[q.text] != "")
	}}
	m.questions().Push(question.Ask{Request: permission.Request{Call: permission.Call{Tool: question.AskTool, Input: input}}, Reply: reply, Local: true})
}

// localAnswered hands the answer of the UI's own form, once given, to what waits for it.
func (m *Model) localAnswered() tea.Cmd {
	if m.local == nil {
		return nil
	}
	select {
	case ans := <-m.local.reply:
		then := m.local.then
		m.local = nil
		var in struct {
			Answers map[string]string `json:"answers"`
		}
		_ = json.Unmarshal([]byte(ans.UpdatedInput), &in)
		return then(in.Answers, ans.Allow)
	default:
		return nil
	}
}

// cmdSetupBedrock guides the user through region, credentials and model, saves the choice
// in the user settings' env block, then runs doctor's checks on it.
func (m *Model) cmdSetupBedrock(string) tea.Cmd {
	h, ok := m.host.(BedrockSetupHost)
	if !ok {
		m.say(m.st.Bad.Render("The guided Bedrock setup is not available here."))
		return nil
	}
	w := &bedrockWizard{m: m, host: h, start: h.BedrockSetupStart()}
	m.say(m.st.Bold.Render("Set up Amazon Bedrock") + m.st.Dim.Render(" · saved to "+w.start.SettingsPath+" · Esc cancels"))
	w.askRegion()
	return nil
}

// bedrockWizard is one run of /setup-bedrock.
type bedrockWizard struct {
	m      *Model
	host   BedrockSetupHost
	start  BedrockSetupStart
	choice BedrockChoice
}

func (w *bedrockWizard) cancelled() tea.Cmd {
	w.m.say(w.m.st.Dim.Render("Bedrock setup cancelled; nothing was saved."))
	return nil
}

// regionPattern is what an AWS region name looks like (us-east-1, us-gov-west-1).
var regionPattern = lazyre.New(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$`)

func (w *bedrockWizard) askRegion() {
	var opts [][2]string
	if r := w.start.Region; r != "" {
		opts = append(opts, [2]string{r, "the region strata uses now"})
	}
	for _, r := range [][2]string{{"us-east-1", "N. Virginia"}, {"us-west-2", "Oregon"}, {"eu-west-1", "Ireland"},
		{"eu-central-1", "Frankfurt"}, {"ap-northeast-1", "Tokyo"}} {
		if r[0] != w.start.Region {
			opts = append(opts, r)
		}
	}
	w.m.askLocal(setupQuestion{"Which AWS region are your Bedrock models enabled in?", "Region", opts},
		func(region string, ok bool) tea.Cmd {
			if !ok {
				return w.cancelled()
			}
			if region = strings.TrimSpace(region); !regionPattern().MatchString(region) {
				w.m.say(w.m.st.Bad.Render(region + " is not an AWS region name (like us-east-1); nothing was saved."))
				return nil
			}
			w.choice.Region = region
			w.askAuth()
			return nil
		})
}

// authLabels maps the credential choices to their labels, in the order shown.
var authLabels = [][3]string{
	{AuthProfile, "AWS profile", "a profile of ~/.aws/config: keys, an assumed role or a credential process"},
	{AuthSSO, "AWS SSO profile", "IAM Identity Center; sign in with aws sso login --profile NAME"},
	{AuthEnv, "Access keys in the environment", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as strata starts"},
	{AuthBearer, "Bedrock API key", "a bearer token in AWS_BEARER_TOKEN_BEDROCK as strata starts"},
}

func (w *bedrockWizard) askAuth() {
	var opts [][2]string
	for _, a := range authLabels {
		opts = append(opts, [2]string{a[1], a[2]})
	}
	w.m.askLocal(setupQuestion{"How does strata get AWS credentials?", "Credentials", opts}, func(label string, ok bool) tea.Cmd {
		if !ok {
			return w.cancelled()
		}
		for _, a := range authLabels {
			if a[1] == label {
				w.choice.Auth = a[0]
			}
		}
		switch w.choice.Auth {
		case AuthProfile, AuthSSO:
			w.askProfile()
			return nil
		case AuthEnv:
			w.warnUnless(w.start.EnvKeys, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set in strata's environment")
		case AuthBearer:
			w.warnUnless(w.start.BearerToken, "AWS_BEARER_TOKEN_BEDROCK is not set in strata's environment")
		default:
			w.m.say(w.m.st.Bad.Render("Pick one of the credential sources listed; nothing was saved."))
			return nil
		}
		return w.listModels()
	})
}

// warnUnless says how to provide a secret strata does not store: the setup never writes
// credentials into a settings file.
func (w *bedrockWizard) warnUnless(set bool, problem string) {
	if !set {
		w.m.say(w.m.st.Warn.Render("⚠ " + problem + ": export it in your shell (or your secret manager's wrapper) " +
			"before starting strata. The setup never writes credentials into a settings file."))
	}
}

func (w *bedrockWizard) askProfile() {
	if w.start.ProfilesErr != nil {
		w.m.say(w.m.st.Warn.Render("⚠ " + w.start.ProfilesErr.Error()))
	}
	var opts [][2]string
	for _, p := range w.start.Profiles {
		if w.choice.Auth == AuthSSO && !p.SSO || len(opts) == 8 {
			continue
		}
		desc := "from ~/.aws/config"
		if p.SSO {
			desc = "IAM Identity Center (SSO)"
		}
		opts = append(opts, [2]string{p.Name, desc})
	}
	w.m.askLocal(setupQuestion{"Which AWS profile should strata use?", "Profile", opts}, func(name string, ok bool) tea.Cmd {
		if !ok {
			return w.cancelled()
		}
		w.choice.Profile = strings.TrimSpace(name)
		if w.choice.Auth == AuthSSO {
			w.m.say(w.m.st.Dim.Render("If the SSO session has expired, run: aws sso login --profile " + w.choice.Profile))
		}
		return w.listModels()
	})
}

// defaultsLabel keeps strata's model defaults.
const defaultsLabel = "Keep strata's defaults"

// listModels asks Bedrock which Claude inference profiles the choice reaches, in the
// background, then offers them.
func (w *bedrockWizard) listModels() tea.Cmd {
	m := w.m
	ctx, tick := m.startBusy("Listing the inference profiles in " + w.choice.Region)
	choice, host := w.choice, w.host
	m.spawn(func() tea.Msg {
		ids, err := host.BedrockModels(ctx, choice)
		return stepMsg{then: func() tea.Cmd {
			m.endBusy()
			if err != nil {
				m.say(m.st.Warn.Render("⚠ Could not list the inference profiles: " + err.Error()))
			}
			w.askModel(ids)
			return nil
		}}
	})
	return tick
}

func (w *bedrockWizard) askModel(ids []string) {
	opts := [][2]string{{defaultsLabel, "the aliases resolve to current models; nothing is pinned"}}
	for _, id := range ids {
		if len(opts) == 8 {
			break
		}
		opts = append(opts, [2]string{id, "pinned for its model family"})
	}
	w.m.askLocal(setupQuestion{"Which model should strata use?", "Model", opts}, func(model string, ok bool) tea.Cmd {
		if !ok {
			return w.cancelled()
		}
		if model != defaultsLabel {
			w.choice.Model = strings.TrimSpace(model)
		}
		return w.save()
	})
}

// save writes the choice and runs doctor's checks on the saved configuration.
func (w *bedrockWizard) save() tea.Cmd {
	path, err := w.host.SaveBedrockSetup(w.choice)
	if err != nil {
		w.m.say(w.m.st.Bad.Render("Not saved: " + err.Error()))
		return nil
	}
	w.m.say(w.m.st.OK.Render("✓ Bedrock configuration saved to "+path),
		w.m.st.Dim.Render("The running conversation keeps its client; start strata again to use the new setup. Checking it now:"))
	return w.m.cmdDoctor("")
}
