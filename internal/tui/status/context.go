package status

// ContextUsed is the input of the latest request, in tokens: how much of the context window
// the conversation filled when the model last read it; 0 before the first answer.
func (s *Status) ContextUsed() int { return s.context }
