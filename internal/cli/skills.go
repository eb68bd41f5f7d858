package cli

import (
	"fmt"
	"path/filepath"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/skills"
	"github.com/strata-agent/strata/internal/tool/skill"
)

// loadSkills reads ~/.claude/skills and .claude/skills. When there are skills the model may
// load, the Skill tool joins the tools, and each skill's folder becomes readable (an allow
// rule, so deny rules still win) for the files its instructions point to.
func (a *app) loadSkills(st *stack) error {
	user, p1 := skills.LoadDir(filepath.Join(configDir(a.env), "skills"), skills.SourceUser)
	project, p2 := skills.LoadDir(filepath.Join(a.env.Cwd, ".claude", "skills"), skills.SourceProject)
	for _, p := range append(p1, p2...) {
		fmt.Fprintln(a.io.ErrOut, "strata: warning: skill skipped:", p)
	}
	var fromPlugins []skills.Skill
	for _, pl := range st.plugins {
		list, problems := skills.LoadDir(pl.Path("skills"), skills.SourcePlugin)
		for _, p := range problems {
			fmt.Fprintln(a.io.ErrOut, "strata: warning: skill skipped:", p)
		}
		for _, s := range list {
			s.Name = pl.Namespaced(s.Name)
			fromPlugins = append(fromPlugins, s)
		}
	}
	st.skills = skills.NewSet(fromPlugins, project, user)
	offered, grants := false, false
	for _, s := range st.skills.All() {
		offered = offered || s.ModelInvocable
		grants = grants || s.Source == skills.SourceProject && len(s.AllowedTools) > 0
		r, err := permission.PathRule("Read", s.Dir, "skill folder "+s.Name)
		if err != nil {
			return &llm.Error{Kind: llm.ErrConfig, Message: err.Error()}
		}
		st.checker.AllowRules = append(st.checker.AllowRules, r)
	}
	if offered {
		// Trust is read only when a project skill would grant tools: most starts skip it.
		st.tools = append(st.tools, skill.New(st.skills, grants && a.folderTrusted()))
	}
	return nil
}
