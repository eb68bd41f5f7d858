// Package archtest holds no code: its tests check the rules of ARCHITECTURE.md — that every
// path the codemap names exists, that the import invariants hold, that every package has a
// doc comment, and that no package keeps mutable state at package level.
package archtest
