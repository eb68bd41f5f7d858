package settings

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SetEnabledPlugin writes enabledPlugins[id] = on into the settings file at path (the user's
// settings or a project's settings.local.json: /plugin enable and disable), keeping the
// rest of the file as it is and creating it when missing. A file that does not load is
// refused, and so is a symbolic link among the file and its folder when scope is a
// project's: the repository owns .claude, and a link there could send the change elsewhere.
func SetEnabledPlugin(path string, scope Scope, id string, on bool) error {
	id = strings.TrimSpace(id)
	if id == "" {
		return errors.New("no plugin named")
	}
	if scope == ScopeLocal || scope == ScopeProject {
		for _, p := range []string{filepath.Dir(path), path} {
			if fi, err := os.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
				return fmt.Errorf("not saving the change: %s is a symbolic link", p)
			}
		}
	}
	value := "false"
	if on {
		value = "true"
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
		}
		return writeAtomic(path, []byte("{\n  \"enabledPlugins\": {\n    "+quote(id)+": "+value+"\n  }\n}\n"), 0o644)
	}
	if err != nil {
		return readError(path, err)
	}
	src := Source{scope, path}
	bom := bytes.HasPrefix(data, []byte(utf8BOM))
	if _, _, err := parseFile(src, data); err != nil {
		return err
	}
	body := bytes.TrimPrefix(data, []byte(utf8BOM))
	_, root, _ := parseFile(src, body)
	out := newEditor(body).setPlugin(root, id, value)
	if _, _, err := parseFile(src, out); err != nil {
		return fmt.Errorf("internal error editing %s (file left unchanged): %w", path, err)
	}
	if bom {
		out = append([]byte(utf8BOM), out...)
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	return writeAtomic(path, out, mode)
}

// setPlugin places "id": value in root.enabledPlugins, creating what is missing.
func (e *editor) setPlugin(root *node, id, value string) []byte {
	obj := root.member("enabledPlugins")
	switch {
	case obj == nil:
		return e.addMember(root, "enabledPlugins", func(ind string) string { return e.object(ind, id, value) })
	case obj.val.kind != kindObject:
		return e.replace(obj.val, e.object(e.lineIndent(obj.keyOff), id, value))
	}
	if m := obj.val.member(id); m != nil {
		return e.replace(m.val, value)
	}
	return e.addMember(obj.val, id, func(string) string { return value })
}
