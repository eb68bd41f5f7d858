package session

import (
	"fmt"

	"github.com/strata-agent/strata/internal/llm"
)

// Usage sums the usage the saved answers of session id of cwd reported, per model ID, so that
// a resumed session's cost goes on from where it stopped. Answers before a compaction count
// too: they were paid for.
func (s Store) Usage(id, cwd string) (map[string]llm.Usage, error) {
	file, err := s.find(id, cwd)
	if err != nil {
		return nil, err
	}
	p, err := readTranscript(file.path)
	if err != nil {
		return nil, err
	}
	// The reference writes each block of a response on a line of its own, every line with the
	// response's usage: a response counts once, by its ID (the last line's usage is complete).
	type answer struct {
		model string
		usage llm.Usage
	}
	byID := map[string]answer{}
	var order []string
	for i, e := range p.entries {
		if e.Type != TypeAssistant {
			continue
		}
		a, id := answer{model: e.Model}, e.ResponseID
		if e.Usage != nil {
			a.usage = *e.Usage
		}
		if m := e.Message; m != nil && m.Usage != nil {
			a, id = answer{model: m.Model, usage: *m.Usage}, m.ID
		}
		if a.model == "" || (a.usage == llm.Usage{}) {
			continue
		}
		if id == "" {
			id = fmt.Sprintf("line %d", i)
		}
		if _, seen := byID[id]; !seen {
			order = append(order, id)
		}
		byID[id] = a
	}
	out := map[string]llm.Usage{}
	for _, id := range order {
		a := byID[id]
		out[a.model] = out[a.model].Add(a.usage)
	}
	return out, nil
}
