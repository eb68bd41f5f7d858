// Package archtest holds no code: its tests check the rules of ARCHITECTURE.md — that every
// path the codemap names exists and every package is named, that the import invariants hold
// directly (in every file) and transitively (over `go list -deps`), that only the packages
// allowed to start processes, take the environment or ask about terminals do, that
// transcripts are written only through the redactor, that every package has a doc comment,
// and that no package keeps mutable state at package level. Each rule is also run against a
// planted breach, to show it can fail.
package archtest
