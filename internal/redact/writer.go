package redact

import (
	"io"
	"sync"
)

// Writer redacts what passes through it. A secret may arrive split across Write calls, so the
// last bytes of each write (fewer than the longest secret) are held back until the next Write
// or Flush decides them. Call Flush when the stream ends. Its output is exactly String of
// everything written, however the writes were split.
//
// When a registered secret contains '[' or ']' it could be formed together with the marker,
// which only repeated passes over the whole text rule out; the Writer then holds everything
// until Flush. A secret added while a stream is under way protects only what is written after.
type Writer struct {
	r       *Redactor
	w       io.Writer
	mu      sync.Mutex
	pending []byte
	scratch []byte // reused for the redacted output of each Write
}

// Writer returns a redacting writer that writes to w.
func (r *Redactor) Writer(w io.Writer) *Writer {
	return &Writer{r: r, w: w}
}

// Write redacts p and passes on everything that no later byte can change. It reports len(p)
// written when p was accepted, even if part of it is still held back.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	snap := w.r.snap.Load()
	if snap == nil {
		// Nothing is held either: pending only fills once a secret exists.
		return w.w.Write(p)
	}
	w.pending = append(w.pending, p...)
	if snap.risky {
		return len(p), nil
	}
	out, n := snap.scan(w.scratch[:0], w.pending, false)
	w.scratch = out
	w.pending = w.pending[:copy(w.pending, w.pending[n:])]
	if len(out) == 0 {
		return len(p), nil
	}
	if _, err := w.w.Write(out); err != nil {
		return len(p), err
	}
	return len(p), nil
}

// Flush redacts and writes what is held back. The Writer stays usable.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return nil
	}
	snap := w.r.snap.Load()
	var out []byte
	if snap.risky {
		out = []byte(snap.redact(string(w.pending)))
	} else {
		out, _ = snap.scan(nil, w.pending, true)
	}
	w.pending = w.pending[:0]
	_, err := w.w.Write(out)
	return err
}

// scan appends buf to out redacted the way strings.Replacer does in String: left to right, at
// each position the longest secret starting there. Unless final, it stops at the first position
// whose decision needs bytes beyond buf, and reports how many bytes it consumed.
func (s *snapshot) scan(out, buf []byte, final bool) (_ []byte, consumed int) {
	i, last := 0, 0
	for i < len(buf) {
		if !s.first[buf[i]] {
			i++
			continue
		}
		if !final && i+s.longest > len(buf) {
			break
		}
		if n := s.matchAt(buf[i:]); n > 0 {
			out = append(out, buf[last:i]...)
			out = append(out, Marker...)
			i += n
			last = i
			continue
		}
		i++
	}
	out = append(out, buf[last:i]...)
	return out, i
}

// matchAt returns the length of the longest secret b starts with, or 0.
func (s *snapshot) matchAt(b []byte) int {
	for _, n := range s.lengths {
		if n > len(b) {
			continue
		}
		if _, ok := s.set[string(b[:n])]; ok {
			return n
		}
	}
	return 0
}
