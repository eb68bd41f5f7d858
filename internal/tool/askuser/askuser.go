// Package askuser is the AskUserQuestion tool: the model puts one to four multiple-choice
// questions to the user. The tool itself never talks to anyone. Its calls are of the
// permission class "user", so the session's Approver is always asked, and whoever answers
// (the terminal UI's question dialog, the Agent SDK's canUseTool) allows the call with the
// answers added to its input, as the reference does; Run turns them into the text the model
// reads. A call nobody can answer is never offered (print mode without a permission prompt
// tool): the cli leaves the tool out.
package askuser

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

//go:embed schema.json
var schema []byte

//go:embed description.md
var description string

// Name is the tool's wire name.
const Name = "AskUserQuestion"

// Limits of a call, as the reference's schema sets them.
const (
	MaxQuestions = 4
	MinOptions   = 2
	MaxOptions   = 4
	MaxHeader    = 12
)

// Option is one choice of a question.
type Option struct {
	Label       string `json:"label"`
	Description string `json:"description"`
	Preview     string `json:"preview,omitempty"`
}

// Question is one question of a call.
type Question struct {
	Question    string   `json:"question"`
	Header      string   `json:"header"`
	Options     []Option `json:"options"`
	MultiSelect bool     `json:"multiSelect"`
}

// Annotation is what the user added to an answer.
type Annotation struct {
	Preview string `json:"preview,omitempty"`
	Notes   string `json:"notes,omitempty"`
}

// Input is a call's input; Answers and Annotations are filled in by whoever answered.
type Input struct {
	Questions   []Question            `json:"questions"`
	Answers     Answers               `json:"answers,omitempty"`
	Annotations map[string]Annotation `json:"annotations,omitempty"`
	Metadata    *struct {
		Source string `json:"source,omitempty"`
	} `json:"metadata,omitempty"`
}

// Answers maps a question's text to its answer. A multi-select answer may come as a list of
// labels (the Agent SDK's hosts send either); it is kept comma-separated, as the reference
// does.
type Answers map[string]string

// UnmarshalJSON accepts a string or a list of strings per question.
func (a *Answers) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := Answers{}
	for q, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[q] = s
			continue
		}
		var list []string
		if err := json.Unmarshal(v, &list); err != nil {
			return fmt.Errorf("the answer to %q is neither text nor a list of labels", q)
		}
		out[q] = strings.Join(list, ", ")
	}
	*a = out
	return nil
}

type askTool struct{}

// New returns the AskUserQuestion tool.
func New() tool.Tool { return askTool{} }

func (askTool) Name() string                 { return Name }
func (askTool) Description() string          { return description }
func (askTool) InputSchema() json.RawMessage { return schema }

// ConcurrencySafe is true: questions change nothing, and the UI queues them.
func (askTool) ConcurrencySafe() bool { return true }

// Class is "user": the call is the question, so a person is always asked.
func (askTool) Class() permission.Class { return permission.ClassUser }

// AsksUser marks the tool as one only the main conversation gets.
func (askTool) AsksUser() {}

// Validate refuses a malformed call before anyone is asked.
func (askTool) Validate(_ *tool.Env, raw json.RawMessage) error {
	_, err := Parse(raw)
	return err
}

// Parse decodes and checks a call's input: one to four questions, each with a question, a
// header and two to four options; question texts unique, and labels unique within a question.
func Parse(raw json.RawMessage) (Input, error) {
	var in Input
	if err := fsutil.DecodeInput(Name, raw, &in); err != nil {
		return in, err
	}
	if n := len(in.Questions); n < 1 || n > MaxQuestions {
		return in, fmt.Errorf("%s takes 1 to %d questions, not %d; split a longer list over several calls", Name, MaxQuestions, n)
	}
	seen := map[string]bool{}
	for i, q := range in.Questions {
		switch {
		case strings.TrimSpace(q.Question) == "":
			return in, fmt.Errorf("questions[%d].question is empty", i)
		case strings.TrimSpace(q.Header) == "":
			return in, fmt.Errorf("questions[%d].header is empty; give a tag of at most %d characters", i, MaxHeader)
		case seen[q.Question]:
			return in, fmt.Errorf("questions[%d] repeats the question %q; question texts must be unique", i, q.Question)
		case len(q.Options) < MinOptions || len(q.Options) > MaxOptions:
			return in, fmt.Errorf("questions[%d] has %d options; give %d to %d (the user can always type their own answer)", i, len(q.Options), MinOptions, MaxOptions)
		}
		seen[q.Question] = true
		labels := map[string]bool{}
		for j, o := range q.Options {
			if strings.TrimSpace(o.Label) == "" {
				return in, fmt.Errorf("questions[%d].options[%d].label is empty", i, j)
			}
			if labels[o.Label] {
				return in, fmt.Errorf("questions[%d] offers the label %q twice; labels must be unique within a question", i, o.Label)
			}
			labels[o.Label] = true
		}
	}
	return in, nil
}

func (askTool) Run(_ context.Context, _ *tool.Env, raw json.RawMessage) (tool.Result, error) {
	in, err := Parse(raw)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	return tool.Result{Text: ResultText(in), Display: display(in)}, nil
}

// notesOnly is the answer a host records when the user wrote notes without picking.
const notesOnly = "(notes only)"

// ResultText is what the model reads, in the reference's words and shape:
// `"question"="answer"` pairs, notes and previews beside them.
func ResultText(in Input) string {
	var pairs []string
	for _, q := range in.Questions {
		ans, note := in.Answers[q.Question], in.Annotations[q.Question]
		picked := ans != "" && ans != notesOnly
		if !picked && note.Notes == "" {
			continue
		}
		// Quoted as the reference does, without escaping: the model reads it, nothing parses it.
		part := `"` + q.Question + `"=(no option selected)`
		if picked {
			part = `"` + q.Question + `"="` + ans + `"`
		}
		if note.Preview != "" {
			part += " selected preview:\n" + note.Preview
		}
		if note.Notes != "" {
			part += " notes: " + note.Notes
		}
		pairs = append(pairs, part)
	}
	if len(pairs) == 0 {
		return "The user did not answer the questions."
	}
	return "Your questions have been answered: " + strings.Join(pairs, ", ") +
		". You can now continue with these answers in mind."
}

// display is what the person sees once they answered: each question and its answer.
func display(in Input) string {
	lines := []string{"User answered the questions:"}
	for _, q := range in.Questions {
		if a := in.Answers[q.Question]; a != "" {
			lines = append(lines, "  · "+q.Question+" → "+a)
		}
	}
	if len(lines) == 1 {
		return "The questions were not answered."
	}
	return strings.Join(lines, "\n")
}
