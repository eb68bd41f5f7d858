package look

import (
	"fmt"
	"time"
)

// SpinnerFrame is how long a spinner shows each frame; the UI redraws at this pace while
// something runs.
const SpinnerFrame = 100 * time.Millisecond

// Spinner is the spinner's frame for something running for d: one turn a second.
func (st Styles) Spinner(d time.Duration) string {
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	i := int(d/SpinnerFrame) % len(frames)
	return st.Accent.Render(frames[max(i, 0)])
}

// Elapsed is a running time: 7s, 2m05s.
func Elapsed(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}
