// Package fsutil holds what the built-in file tools (Read, Write, Edit, MultiEdit, LS) share:
// the absolute-path rule for their inputs, the file stamps that let Write and Edit refuse
// files the model has not seen or that changed behind its back, an atomic write that keeps
// a file's mode, its symlinks and its hard links, unified diffs for people, and the strict
// input decoding (plus the schema check their tests run) that every tool in this tree uses.
package fsutil
