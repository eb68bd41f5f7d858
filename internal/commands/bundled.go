package commands

import (
	"embed"
	"strings"
)

// ScopeBundled is a command strata ships (/review, /security-review). It has the lowest
// precedence: a user's or project's command of the same name replaces it.
const ScopeBundled = "bundled"

//go:embed bundled/*.md
var bundledFS embed.FS

// Bundled returns the commands strata ships, written as prompts. They run no !`command` at
// expansion: the model gathers what it needs (git, gh) through its tools, under the
// permission decision the user sees — a repository's own git configuration could otherwise
// run programs (an external diff tool, fsmonitor) before anyone agreed to anything.
func Bundled() []Command {
	entries, _ := bundledFS.ReadDir("bundled") // embedded: cannot fail
	out := make([]Command, 0, len(entries))
	for _, e := range entries {
		data, _ := bundledFS.ReadFile("bundled/" + e.Name())
		name := strings.TrimSuffix(e.Name(), ".md")
		c, err := Parse(name, "(bundled) "+e.Name(), data, ScopeBundled)
		if err != nil {
			panic("bundled command " + name + ": " + err.Error()) // a build-time mistake, caught by the tests
		}
		out = append(out, c)
	}
	return out
}
