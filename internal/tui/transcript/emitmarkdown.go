package transcript

// Markdown queues markdown text (a plan the model presents) for the scrollback, rendered
// and wrapped as the model's answers are.
func (t *Transcript) Markdown(text string) {
	t.Emit(t.md.render(text, t.width-2))
}
