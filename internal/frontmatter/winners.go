package frontmatter

import "sort"

// Winners holds, of definitions read from several places (built-in, plugin, user, project,
// flag), the one that takes effect for each name: the highest rank, and between two of the
// same rank the later. Skills and sub-agents share it. A nil *Winners holds nothing.
type Winners[T any] struct{ byName map[string]T }

// PickWinners goes through the lists in order; key names a definition and ranks its source.
func PickWinners[T any](key func(T) (name string, rank int), lists ...[]T) *Winners[T] {
	w := &Winners[T]{byName: map[string]T{}}
	for _, list := range lists {
		for _, d := range list {
			name, rank := key(d)
			if old, ok := w.byName[name]; ok {
				if _, oldRank := key(old); oldRank > rank {
					continue
				}
			}
			w.byName[name] = d
		}
	}
	return w
}

// Lookup finds the winner of a name.
func (w *Winners[T]) Lookup(name string) (T, bool) {
	var zero T
	if w == nil {
		return zero, false
	}
	d, ok := w.byName[name]
	return d, ok
}

// Sorted lists the winners in the order less gives.
func (w *Winners[T]) Sorted(less func(a, b T) bool) []T {
	if w == nil {
		return nil
	}
	out := make([]T, 0, len(w.byName))
	for _, d := range w.byName {
		out = append(out, d)
	}
	sort.Slice(out, func(i, k int) bool { return less(out[i], out[k]) })
	return out
}
