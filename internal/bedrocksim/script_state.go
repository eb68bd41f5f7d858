package bedrocksim

import (
	"slices"
	"strings"
)

// scriptState is a script's position. The rules, in docs/bedrocksim.md too:
//   - A request goes to the turn in progress, if one is (its faults are not all served yet).
//   - Otherwise it goes to the first unused turn, in file order, whose "when" holds (a turn
//     without "when" matches every request); that turn is now in progress.
//   - Each request to a turn in progress takes its next fault; once they are used up, the
//     next request gets the answer (a stall with "resume" delivers it too) and the turn is
//     used — unless it has "repeat", which makes it start over instead.
//   - When no unused turn matches, the script is exhausted.
type scriptState struct {
	sc      *Script
	used    []bool
	current int // turn in progress, -1 for none
	served  int // faults of the current turn already served
}

func newScriptState(sc *Script) *scriptState {
	return &scriptState{sc: sc, used: make([]bool, len(sc.turns)), current: -1}
}

// step is what the script does with one request.
type step struct {
	turn      *turn
	index     int
	fault     *fault // nil: deliver the answer cleanly
	exhausted bool
}

// next decides what the request gets and moves the script on. The caller holds the lock.
func (st *scriptState) next(req *request) step {
	if st.current < 0 {
		st.current = st.match(req)
		st.served = 0
		if st.current < 0 {
			return step{exhausted: true}
		}
	}
	t := &st.sc.turns[st.current]
	s := step{turn: t, index: st.current}
	if st.served < len(t.faults) {
		f := t.faults[st.served]
		s.fault = &f
		st.served++
		if !f.resume {
			return s
		}
	}
	if !t.repeat {
		st.used[st.current] = true
	}
	st.current, st.served = -1, 0
	return s
}

func (st *scriptState) match(req *request) int {
	for i := range st.sc.turns {
		if !st.used[i] && st.sc.turns[i].when.holds(req) {
			return i
		}
	}
	return -1
}

// holds reports whether every condition is met; no conditions always hold.
func (w *when) holds(req *request) bool {
	if w == nil {
		return true
	}
	contains := func(haystack, needle string) bool { return needle == "" || strings.Contains(haystack, needle) }
	return contains(req.lastUserText(), w.userTextContains) &&
		contains(req.lastToolResultText(), w.toolResultContains) &&
		(w.hasTool == "" || slices.Contains(req.toolNames, w.hasTool)) &&
		(w.model == "" || req.res.requested == w.model) &&
		contains(req.res.requested, w.modelContains) &&
		contains(req.systemText(), w.systemContains) &&
		(w.operation == "" || req.op == w.operation) &&
		(w.hasTools == nil || *w.hasTools == (len(req.toolNames) > 0)) &&
		(!w.toolsSet || slices.Equal(req.toolNames, w.tools))
}

// used counts the turns used up, for the exhaustion message.
func (st *scriptState) usedCount() int {
	n := 0
	for _, u := range st.used {
		if u {
			n++
		}
	}
	return n
}
