// Package builtin lists strata's built-in tools in the order they are offered to the model.
// The order is part of the prompt, so it never changes within a session (prompt caching).
package builtin

import (
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/bash"
	"github.com/strata-agent/strata/internal/tool/edit"
	"github.com/strata-agent/strata/internal/tool/glob"
	"github.com/strata-agent/strata/internal/tool/grep"
	"github.com/strata-agent/strata/internal/tool/ls"
	"github.com/strata-agent/strata/internal/tool/read"
	"github.com/strata-agent/strata/internal/tool/task"
	"github.com/strata-agent/strata/internal/tool/todo"
	"github.com/strata-agent/strata/internal/tool/webfetch"
	"github.com/strata-agent/strata/internal/tool/write"
)

// Tools returns a fresh set of the built-in tools.
func Tools() []tool.Tool {
	return []tool.Tool{
		task.New(),
		bash.New(),
		glob.New(),
		grep.New(grep.Options{}),
		ls.New(),
		read.New(),
		edit.Edit(),
		edit.MultiEdit(),
		write.New(),
		webfetch.New(webfetch.Options{}),
		todo.New(),
		bash.NewBashOutput(),
		bash.NewKillShell(),
	}
}

// Shutdown stops what the tools started in the background for env (Bash background jobs).
func Shutdown(env *tool.Env) { bash.Shutdown(env) }
