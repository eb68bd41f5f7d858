package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileError is a settings file that could not be read or is not valid. Line and Col (1-based,
// columns in characters) are 0 when the problem is not at a place in the file (e.g. it
// cannot be opened).
type FileError struct {
	Path      string
	Line, Col int
	Msg       string
	Err       error // the underlying error, if any
}

func (e *FileError) Error() string {
	if e.Line == 0 {
		return e.Path + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
}

func (e *FileError) Unwrap() error { return e.Err }

// utf8BOM is skipped at the start of a file: some editors write it, and it carries no content.
const utf8BOM = "\xef\xbb\xbf"

// parseFile parses and validates one settings file's content.
func parseFile(src Source, data []byte) (*layer, *node, error) {
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	root, serr := parseJSON(data)
	if serr != nil {
		return nil, nil, fileErrorAt(src.Path, data, serr.off, serr.msg)
	}
	d := &decoder{data: data, src: src}
	l, terr := d.decodeLayer(root)
	if terr != nil {
		return nil, nil, fileErrorAt(src.Path, data, terr.off, terr.msg)
	}
	return l, root, nil
}

func fileErrorAt(path string, data []byte, off int, msg string) *FileError {
	line, col := position(data, off)
	return &FileError{Path: path, Line: line, Col: col, Msg: msg}
}

// candidate is one settings layer to try.
type candidate struct {
	src      Source
	inline   string // the JSON itself for inline --settings
	required bool   // a missing file is an error (an explicit --settings path)
}

func (o Options) candidates() []candidate {
	var out []candidate
	add := func(scope Scope, path string) {
		if path != "" && o.reads(scope) {
			out = append(out, candidate{src: Source{scope, filepath.Clean(path)}})
		}
	}
	if o.ConfigDir != "" {
		add(ScopeUser, filepath.Join(o.ConfigDir, "settings.json"))
	}
	if o.ProjectDir != "" {
		add(ScopeProject, filepath.Join(o.ProjectDir, ".claude", "settings.json"))
		add(ScopeLocal, filepath.Join(o.ProjectDir, ".claude", "settings.local.json"))
	}
	switch {
	case isInline(o.Flag):
		out = append(out, candidate{src: Source{ScopeFlag, InlinePath}, inline: o.Flag})
	case o.Flag != "":
		add(ScopeFlag, o.Flag)
		out[len(out)-1].required = true
	}
	add(ScopeManaged, o.ManagedPath)
	return out
}

// reads reports whether the layer scope is read under Sources.
func (o Options) reads(scope Scope) bool {
	if o.Sources == nil || scope == ScopeFlag || scope == ScopeManaged {
		return true
	}
	for _, s := range o.Sources {
		if s == scope {
			return true
		}
	}
	return false
}

// Load reads, validates and merges the settings layers named by o. Missing files are skipped
// (except an explicit --settings file); a file that cannot be read or parsed stops the load
// with a *FileError. A file named by two layers (the project is the home directory) is read
// once, at the lower layer, so its hooks do not run twice.
func Load(o Options) (*Settings, error) {
	s := &Settings{
		Env: map[string]string{}, EnvSource: map[string]Source{},
		Hooks: map[string][]HookMatcher{},
		Extra: map[string]json.RawMessage{}, ExtraSource: map[string]Source{},
	}
	m := newMerger(s)
	loaded := map[string]bool{}
	for _, c := range o.candidates() {
		data := []byte(c.inline)
		if c.inline == "" {
			if loaded[c.src.Path] {
				continue
			}
			var err error
			if data, err = os.ReadFile(c.src.Path); err != nil {
				if errors.Is(err, fs.ErrNotExist) && !c.required {
					continue
				}
				return nil, readError(c.src.Path, err)
			}
			loaded[c.src.Path] = true
		}
		l, _, err := parseFile(c.src, data)
		if err != nil {
			return nil, err
		}
		m.add(l)
	}
	return s, nil
}

func readError(path string, err error) *FileError {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	return &FileError{Path: path, Msg: "cannot read the settings file: " + msg, Err: err}
}
