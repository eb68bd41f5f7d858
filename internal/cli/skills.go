package cli

import (
	"slices"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/skills"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/skill"
)

// loadSkills reads ~/.claude/skills and .claude/skills. When there are skills the model may
// load, the Skill tool joins the tools, and each skill's folder becomes readable (an allow
// rule, so deny rules still win) for the files its instructions point to.
func (a *app) loadSkills(st *stack) error {
	l := loadLayers(a, st.plugins, "skills", "skill",
		[3]string{skills.SourceUser, skills.SourceProject, skills.SourcePlugin},
		skills.LoadDir, func(s *skills.Skill) *string { return &s.Name })
	st.skills = skills.NewSet(l.plugins, l.project, l.user)
	offered, grants := false, false
	for _, s := range st.skills.All() {
		offered = offered || s.ModelInvocable
		grants = grants || s.Source == skills.SourceProject && len(s.AllowedTools) > 0
		r, err := permission.PathRule("Read", s.Dir, "skill folder "+s.Name)
		if err != nil {
			return &llm.Error{Kind: llm.ErrConfig, Message: err.Error()}
		}
		st.checker.AddAllow(r)
	}
	st.tools = slices.DeleteFunc(slices.Clone(st.tools), func(t tool.Tool) bool { return t.Name() == skill.Name })
	if offered {
		// Trust is read only when a project skill would grant tools: most starts skip it.
		st.tools = append(st.tools, skill.New(st.skills, grants && a.folderTrusted()))
	}
	return nil
}
