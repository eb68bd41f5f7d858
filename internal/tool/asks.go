package tool

import "encoding/json"

// Validator is a tool that checks its input before the permission decision, so that a
// malformed call fails at once instead of asking a person about it (AskUserQuestion with
// five questions, ExitPlanMode outside plan mode). The error's text is the result the model
// reads.
type Validator interface {
	Validate(env *Env, input json.RawMessage) error
}

// UserFacing marks a tool that talks to the person at the terminal (its call is a question
// for them). Sub-agents never get one: nobody watches their turns.
type UserFacing interface {
	Tool
	AsksUser()
}

// IsUserFacing reports whether t talks to the person at the terminal.
func IsUserFacing(t Tool) bool {
	_, ok := t.(UserFacing)
	return ok
}
