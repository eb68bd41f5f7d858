package settings

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Editing settings files for the UI's /permissions, /add-dir and /config: a value added to or
// removed from a list, or a key set, in the file of one scope. Like AddLocalAllowRule, every
// edit keeps the rest of the file as it was (keys, order, indentation, line endings), refuses
// a file that does not load, and never writes a file strata could not read back. Symbolic
// links are refused in a project's files (a link in a repository's .claude could send the
// edit into another file the user owns) and followed in the user's own (a settings file kept
// in a dotfiles folder stays there: the edit replaces the link's target, not the link).

// ScopePath is the settings file of a scope strata may edit: user (configDir/settings.json),
// project (.claude/settings.json) or local (.claude/settings.local.json) of projectDir; ""
// for the others (--settings, managed), which strata never writes.
func ScopePath(scope Scope, configDir, projectDir string) string {
	switch scope {
	case ScopeUser:
		return filepath.Join(configDir, "settings.json")
	case ScopeProject:
		return filepath.Join(projectDir, ".claude", "settings.json")
	case ScopeLocal:
		return LocalPath(projectDir)
	}
	return ""
}

// AddToList adds value at the end of the string list at keys (["permissions", "deny"]) in
// the settings file at path, creating the file, its folder and the keys that are missing. A
// value already there changes nothing.
func AddToList(path string, scope Scope, keys []string, value string) error {
	if value == "" || len(keys) == 0 {
		return errors.New("settings: nothing to add")
	}
	return editFile(path, scope, true, func(e *editor, root *node) ([]byte, error) {
		if list := lookup(root, keys); list != nil && list.kind == kindArray &&
			slices.ContainsFunc(list.elems, func(n *node) bool { return n.kind == kindString && n.text == value }) {
			return nil, nil
		}
		return e.addToList(root, keys, value)
	})
}

// RemoveFromList removes every occurrence of value from the string list at keys in the
// settings file at path; removed says whether there was one. A missing file holds nothing.
func RemoveFromList(path string, scope Scope, keys []string, value string) (removed bool, err error) {
	err = editFile(path, scope, false, func(e *editor, root *node) ([]byte, error) {
		list := lookup(root, keys)
		if list == nil || list.kind != kindArray {
			return nil, nil
		}
		i := slices.IndexFunc(list.elems, func(n *node) bool { return n.kind == kindString && n.text == value })
		if i < 0 {
			return nil, nil
		}
		removed = true
		return e.removeElem(list, i), nil
	})
	return removed, err
}

// SetValue sets the key at keys (["permissions", "defaultMode"]) to raw, a JSON value, in
// the settings file at path, creating what is missing.
func SetValue(path string, scope Scope, keys []string, raw string) error {
	if len(keys) == 0 {
		return errors.New("settings: no key to set")
	}
	if _, err := parseJSON([]byte(raw)); err != nil {
		return fmt.Errorf("settings: %s is not a JSON value", raw)
	}
	return editFile(path, scope, true, func(e *editor, root *node) ([]byte, error) {
		return e.put(root, keys, func(string) string { return raw }, func(m *member) []byte {
			return e.replace(m.val, raw)
		})
	})
}

// editFile applies change to the file at path, of scope, until it changes nothing more (a
// value listed twice is removed twice) and writes the result atomically. create says whether
// a missing file is created (the user's readable by its owner only); change returns nil for
// "nothing to do".
func editFile(path string, scope Scope, create bool, change func(*editor, *node) ([]byte, error)) error {
	mode := fs.FileMode(0o644)
	if scope == ScopeUser {
		mode = 0o600
		if real, err := filepath.EvalSymlinks(path); err == nil {
			path = real
		}
	} else if err := refuseLinks(path); err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !create:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		data = []byte("{\n}\n")
	case err != nil:
		return readError(path, err)
	default:
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
	}
	bom := bytes.HasPrefix(data, []byte(utf8BOM))
	body, changed := bytes.TrimPrefix(data, []byte(utf8BOM)), false
	for range 1000 { // bounded: each round removes or adds something
		_, root, err := parseFile(Source{scope, path}, body)
		if err != nil {
			if changed { // a bug in the editor: never write a file strata could not read back
				return fmt.Errorf("internal error editing %s (file left unchanged): %w", path, err)
			}
			return err
		}
		out, err := change(newEditor(body), root)
		if err != nil {
			return fmt.Errorf("editing %s: %w", path, err)
		}
		if out == nil || bytes.Equal(out, body) {
			break
		}
		body, changed = out, true
	}
	if !changed {
		return nil
	}
	if _, _, err := parseFile(Source{scope, path}, body); err != nil {
		return fmt.Errorf("internal error editing %s (file left unchanged): %w", path, err)
	}
	if bom {
		body = append([]byte(utf8BOM), body...)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	return writeAtomic(path, body, mode)
}

// refuseLinks refuses a settings file that is a symbolic link, or sits in a .claude folder
// that is one.
func refuseLinks(path string) error {
	check := []string{path}
	if dir := filepath.Dir(path); filepath.Base(dir) == ".claude" {
		check = append(check, dir)
	}
	for _, p := range check {
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("not editing the settings: %s is a symbolic link (edit the file it points to yourself)", p)
		}
	}
	return nil
}

// lookup is the value at keys under root, or nil.
func lookup(root *node, keys []string) *node {
	n := root
	for _, k := range keys {
		if n == nil || n.kind != kindObject {
			return nil
		}
		m := n.member(k)
		if m == nil {
			return nil
		}
		n = m.val
	}
	return n
}

// addToList appends value to the list at keys, creating what is missing.
func (e *editor) addToList(root *node, keys []string, value string) ([]byte, error) {
	elem := quote(value)
	return e.put(root, keys, func(ind string) string { return e.array(ind, elem) }, func(m *member) []byte {
		if m.val.kind == kindArray && len(m.val.elems) > 0 {
			return e.appendElem(m.val, elem)
		}
		return e.replace(m.val, e.array(e.lineIndent(m.keyOff), elem)) // null, [] or a wrong type
	})
}

// put places a value at keys under obj: leaf renders it for a new member indented by ind;
// have edits a member already there (the last key's).
func (e *editor) put(obj *node, keys []string, leaf func(ind string) string, have func(*member) []byte) ([]byte, error) {
	if obj.kind != kindObject {
		return nil, fmt.Errorf("%s is not an object", strings.Join(keys, "."))
	}
	m := obj.member(keys[0])
	switch {
	case m == nil:
		return e.addMember(obj, keys[0], func(ind string) string { return e.nest(ind, keys[1:], leaf) }), nil
	case len(keys) == 1:
		return have(m), nil
	case m.val.kind == kindNull:
		return e.replace(m.val, e.nest(e.lineIndent(m.keyOff), keys[1:], leaf)), nil
	}
	return e.put(m.val, keys[1:], leaf, have)
}

// nest renders {"k1": {"k2": leaf}} for a member indented by ind.
func (e *editor) nest(ind string, keys []string, leaf func(ind string) string) string {
	if len(keys) == 0 {
		return leaf(ind)
	}
	return e.object(ind, keys[0], e.nest(ind+e.unit, keys[1:], leaf))
}

// removeElem removes element i of arr with the separator that joined it to its neighbour.
func (e *editor) removeElem(arr *node, i int) []byte {
	switch {
	case len(arr.elems) == 1:
		return e.replace(arr, "[]")
	case i < len(arr.elems)-1:
		return e.splice(arr.elems[i].start, arr.elems[i+1].start, "")
	}
	return e.splice(arr.elems[i-1].end, arr.elems[i].end, "")
}
