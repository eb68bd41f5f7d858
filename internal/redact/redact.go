// Package redact keeps secrets out of everything strata writes: transcripts, logs, debug output
// and error messages (B15). A Redactor holds the secret values seen in this process and replaces
// them with a fixed marker; ScrubEnv removes AWS secrets from the environment of child processes.
package redact

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Marker replaces every secret.
const Marker = "[REDACTED]"

// MinSecretLen is the shortest value Add accepts. Shorter values (a short password, "true",
// a port number) would match ordinary text too often and mangle output; they are ignored.
const MinSecretLen = 8

// maxPasses bounds the repeated passes String makes when a secret can be formed together with
// the marker itself (see snapshot.risky).
const maxPasses = 8

// Redactor is a set of secret values. It is safe for concurrent use: Add swaps in a new
// immutable snapshot, so redaction never waits for a lock.
type Redactor struct {
	mu      sync.Mutex // serialises Add
	secrets map[string]struct{}
	snap    atomic.Pointer[snapshot]
}

// snapshot is what redaction reads: built once per Add, never changed after.
type snapshot struct {
	secrets  []string // longest first
	replacer *strings.Replacer
	longest  int

	// For Writer, which matches by itself: the set, its distinct lengths (longest first) and
	// which bytes start a secret.
	set     map[string]struct{}
	lengths []int
	first   [256]bool

	// risky is set when a secret contains '[' or ']'. Only such a secret can overlap the marker,
	// so only then can replacing one secret make another appear (e.g. the secret "D]abcdefg"
	// in "[REDACTED]abcdefg"). Redaction then repeats until nothing changes.
	risky bool
}

// New returns an empty Redactor.
func New() *Redactor {
	return &Redactor{secrets: map[string]struct{}{}}
}

// Add registers a secret value. Values shorter than MinSecretLen bytes are ignored (too many
// false hits), and so are values that are part of the marker itself, which no output could
// ever be free of.
func (r *Redactor) Add(secret string) {
	if len(secret) < MinSecretLen || strings.Contains(Marker, secret) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.secrets[secret]; ok {
		return
	}
	r.secrets[secret] = struct{}{}
	r.snap.Store(buildSnapshot(r.secrets))
}

// buildSnapshot orders the secrets longest first: strings.Replacer prefers the earlier of two
// keys matching at the same position, so a secret that extends another is replaced whole.
func buildSnapshot(set map[string]struct{}) *snapshot {
	s := &snapshot{secrets: make([]string, 0, len(set)), set: make(map[string]struct{}, len(set))}
	seenLen := map[int]bool{}
	for v := range set {
		s.secrets = append(s.secrets, v)
		s.set[v] = struct{}{}
		s.longest = max(s.longest, len(v))
		s.risky = s.risky || strings.ContainsAny(v, "[]")
		s.first[v[0]] = true
		if !seenLen[len(v)] {
			seenLen[len(v)] = true
			s.lengths = append(s.lengths, len(v))
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(s.lengths)))
	sort.Slice(s.secrets, func(i, j int) bool {
		a, b := s.secrets[i], s.secrets[j]
		return len(a) > len(b) || len(a) == len(b) && a < b
	})
	pairs := make([]string, 0, 2*len(s.secrets))
	for _, v := range s.secrets {
		pairs = append(pairs, v, Marker)
	}
	s.replacer = strings.NewReplacer(pairs...)
	return s
}

// AddEnv registers the values of the secret variables in environ ("NAME=value" entries, as
// os.Environ returns them). Which names count as secret is IsSecretName's decision.
func (r *Redactor) AddEnv(environ []string) {
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if ok && IsSecretName(name) {
			r.Add(value)
		}
	}
}

// String returns s with every registered secret replaced by Marker. Without secrets it
// returns s as is.
func (r *Redactor) String(s string) string {
	snap := r.snap.Load()
	if snap == nil {
		return s
	}
	return snap.redact(s)
}

// Bytes is String for a byte slice. Without secrets it returns b itself.
func (r *Redactor) Bytes(b []byte) []byte {
	snap := r.snap.Load()
	if snap == nil {
		return b
	}
	return []byte(snap.redact(string(b)))
}

// redact replaces the secrets. When a secret may overlap the marker it repeats until nothing
// changes; should that not settle within maxPasses, the whole text is withheld rather than
// risk a leak.
func (s *snapshot) redact(text string) string {
	out := s.replacer.Replace(text)
	if !s.risky {
		return out
	}
	for range maxPasses {
		next := s.replacer.Replace(out)
		if next == out {
			return out
		}
		out = next
	}
	return Marker
}
