package agent

import (
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
)

// exitPlanTool is the tool that ends plan mode (internal/tool/planmode).
const exitPlanTool = "ExitPlanMode"

// planModeReminder tells the model, with each prompt sent in plan mode, what the mode lets
// it do and how it ends; otherwise it learns only from refused calls.
const planModeReminder = "Plan mode is on. Only read-only tools run: explore the code and design the change, " +
	"but do not edit files or run commands that change anything. Settle open questions with AskUserQuestion. " +
	"When the plan is ready, call ExitPlanMode with the whole plan, in Markdown, in its plan field: the user " +
	"approves it, and plan mode ends, or tells you what to change."

// planReminder adds planModeReminder after the prompt while plan mode is on and the session
// has ExitPlanMode to end it.
func (s *Session) planReminder(prompt []llm.ContentBlock) []llm.ContentBlock {
	if s.cfg.Permissions.CurrentMode() != permission.ModePlan {
		return prompt
	}
	if _, ok := s.tool(exitPlanTool); !ok {
		return prompt
	}
	return append(append([]llm.ContentBlock(nil), prompt...), llm.TextBlock(planModeReminder))
}
