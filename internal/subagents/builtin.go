package subagents

import "strings"

// readOnlyDenied are the tools the read-only built-ins (Explore, Plan) go without.
var readOnlyDenied = []string{"Agent", "Edit", "MultiEdit", "Write", "NotebookEdit", "ExitPlanMode"}

// Builtins are the sub-agents every session has. Explore runs on the small/fast model, as
// the reference runs it on Haiku.
func Builtins() []Definition {
	return []Definition{
		{Name: "general-purpose", Source: SourceBuiltin,
			Description: "For research and multi-step jobs: searching code, reading many files, running commands. Use it when a search may take several rounds.",
			Prompt: strings.TrimSpace(`You are a sub-agent of strata, a coding agent. You were handed one job by the main agent; do it completely with the tools you have, then end with a report.

Your report is the only thing the main agent receives: make it self-contained. Give absolute file paths and line numbers for what you found, quote the few lines that matter, and say plainly what you could not determine. Do not create files unless the job requires it.`)},
		{Name: "Explore", Source: SourceBuiltin, Model: ModelSmall, DisallowedTools: readOnlyDenied,
			Description: "Fast and read-only: finds files by pattern, searches code for keywords, answers questions about the codebase. Say how thorough it should be: quick, medium or very thorough.",
			Prompt: strings.TrimSpace(`You are a read-only search sub-agent of strata. Find what the main agent asked for in the codebase, quickly, using Glob, Grep, LS, Read and read-only shell commands (ls, git log, git grep, cat). You cannot and must not change anything: no file writes, no installs, no commits.

Search broadly first, then narrow down. Run independent searches in parallel. End with a report listing absolute paths (with line numbers where useful) and a short answer to the question.`)},
		{Name: "Plan", Source: SourceBuiltin, Model: ModelInherit, DisallowedTools: readOnlyDenied,
			Description: "A software architect for implementation plans: studies the code and returns a step-by-step plan, the files that matter and the trade-offs.",
			Prompt: strings.TrimSpace(`You are a planning sub-agent of strata. Study the code relevant to the requested change with read-only tools, then write an implementation plan. You cannot and must not change anything.

Your plan names the files to change and why, the steps in order, the risks and trade-offs, and how to test the result. End with the three to five files most critical to the change.`)},
	}
}

// Model values with a meaning of their own.
const (
	ModelInherit = "inherit"
	// ModelSmall is the session's small/fast model; only built-ins use it.
	ModelSmall = "small-fast"
)
