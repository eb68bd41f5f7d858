package session

import (
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
	out := map[string]llm.Usage{}
	for _, e := range p.entries {
		if e.Type == TypeAssistant && e.Usage != nil && e.Model != "" {
			out[e.Model] = out[e.Model].Add(*e.Usage)
		}
	}
	return out, nil
}
