package cli

import (
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/askuser"
	"github.com/strata-agent/strata/internal/tool/planmode"
)

// userTools are the tools whose calls are questions for the person at the terminal
// (AskUserQuestion, ExitPlanMode). As in the reference, they are offered only where someone
// can answer: the interactive UI, or print mode whose permission questions go to the Agent
// SDK's canUseTool (--permission-prompt-tool stdio). Plain -p leaves them out, so the model
// never asks a question nobody will see.
func userTools(opts *Options) []tool.Tool {
	headless := opts.Print || opts.InputFormat == "stream-json"
	if headless && opts.PermissionPromptTool != "stdio" {
		return nil
	}
	return []tool.Tool{askuser.New(), planmode.New()}
}
