package proc

import "sync"

// Tracker holds the process groups started with it whose leader still runs, so that its
// owner can stop them all when strata exits (see the package doc for why Pdeathsig alone is
// not enough). The zero value is ready to use; a nil *Tracker tracks nothing.
type Tracker struct {
	mu     sync.Mutex
	live   map[*Process]struct{}
	closed bool
}

// add registers p; it reports false once KillAll has run, and p must then be stopped.
func (t *Tracker) add(p *Process) bool {
	if t == nil {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	if t.live == nil {
		t.live = map[*Process]struct{}{}
	}
	t.live[p] = struct{}{}
	return true
}

func (t *Tracker) remove(p *Process) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.live, p)
}

// Len is the number of groups whose leader still runs.
func (t *Tracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.live)
}

// KillAll stops every tracked group, all at once, and returns when they are gone. It is for
// the way out: a command started with the Tracker afterwards is stopped as soon as it starts.
func (t *Tracker) KillAll() {
	t.mu.Lock()
	t.closed = true
	ps := make([]*Process, 0, len(t.live))
	for p := range t.live {
		ps = append(ps, p)
	}
	t.mu.Unlock()
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Go(p.Kill)
	}
	wg.Wait()
}
