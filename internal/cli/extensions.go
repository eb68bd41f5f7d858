package cli

import (
	"fmt"
	"path/filepath"

	"github.com/strata-agent/strata/internal/plugins"
)

// layers is one kind of extension (sub-agents, skills, commands, output styles) as read from
// the three places it comes from; each package's own Set or Merge applies the precedence.
type layers[T any] struct{ user, project, plugins []T }

// loadLayers reads one kind of extension from ~/.claude/<folder>, .claude/<folder> and each
// plugin's <folder>, with the package's reader and its names for the three sources (user,
// project, plugin, in that order). A plugin's items take its namespace (name points at an
// item's name). A file that cannot be read is a warning naming what was skipped: one broken
// file never stops the others.
func loadLayers[T, P any](a *app, plugs []plugins.Plugin, folder, what string, sources [3]string,
	load func(dir, source string) ([]T, []P), name func(*T) *string) layers[T] {
	warn := func(problems []P) {
		for _, p := range problems {
			fmt.Fprintf(a.io.ErrOut, "strata: warning: %s skipped: %v\n", what, p)
		}
	}
	var out layers[T]
	var problems []P
	out.user, problems = load(filepath.Join(configDir(a.env), folder), sources[0])
	warn(problems)
	out.project, problems = load(filepath.Join(a.env.Cwd, ".claude", folder), sources[1])
	warn(problems)
	for _, pl := range plugs {
		list, problems := load(pl.Path(folder), sources[2])
		warn(problems)
		for i := range list {
			n := name(&list[i])
			*n = pl.Namespaced(*n)
		}
		out.plugins = append(out.plugins, list...)
	}
	return out
}
