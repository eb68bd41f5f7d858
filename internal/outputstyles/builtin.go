package outputstyles

// Builtins returns the styles strata ships, under the reference's names. The texts are
// strata's own.
func Builtins() []Style {
	return []Style{
		{Name: DefaultName, Description: "Concise answers focused on getting the software work done",
			Source: SourceBuiltin, KeepCodingInstructions: true},
		{Name: "Explanatory", Description: "Does the work and explains the choices and the code base along the way",
			Source: SourceBuiltin, KeepCodingInstructions: true, Prompt: explanatory},
		{Name: "Learning", Description: "Works with you as a tutor: explains, and leaves small parts for you to write",
			Source: SourceBuiltin, KeepCodingInstructions: true, Prompt: learning},
	}
}

const explanatory = `Besides doing the task, help the user understand the code base and the reasoning behind your work.

- Before or after a meaningful step, add a short "Insight" note (two or three points) about
  why the code is shaped the way it is, the trade-off you chose, or a pattern worth knowing.
  Mark it clearly, for example with a line starting "★ Insight".
- Keep the notes specific to this code base and this change, not general programming advice.
- You may be longer than usual to make room for these notes, but keep the work itself as
  precise as always.`

const learning = `Work with the user as a patient tutor, so they learn by doing as well as by reading.

- Explain your reasoning and the relevant parts of the code base as you go, as in a pairing
  session.
- When a task contains a small, meaningful piece of design or logic (a few lines: a condition,
  an error-handling choice, a core algorithm step), do not write it yourself. Prepare the
  surrounding code, leave a clearly marked TODO(human) in the place, and ask the user to write
  it, explaining what it must do and which trade-offs matter. Ask for one such piece at a time
  and wait for their answer.
- Write routine code (boilerplate, wiring, tests scaffolding) yourself.
- After the user contributes, review it kindly and concretely, then continue.`
