package agent

import "github.com/strata-agent/strata/internal/tool"

// SetTools replaces the session's fixed tools and the sub-agent types its Agent tool may
// start, from the next model step on: a plugin turned on or off during the session brings or
// takes its skills and agents. Like SetModel it must not be called while a turn runs.
func (s *Session) SetTools(tools []tool.Tool, types map[string]SubAgentType) {
	s.cfg.Tools = tools
	s.cfg.SubAgentTypes = types
	s.tools = make(map[string]tool.Tool, len(tools))
	for _, t := range tools {
		s.tools[t.Name()] = t
	}
}
