package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// LocalPath is the project-local settings file of projectDir.
func LocalPath(projectDir string) string {
	return filepath.Join(projectDir, ".claude", "settings.local.json")
}

// AddLocalAllowRule adds rule to permissions.allow in projectDir's .claude/settings.local.json
// (the "allow always for this project" answer). The file is edited in place: every other key,
// the key order, the indentation and the line endings stay as they were, and the rule goes at
// the end of the allow list. A rule already there changes nothing. A missing file (and
// .claude directory) is created; a broken file is reported and left alone.
func AddLocalAllowRule(projectDir, rule string) error {
	rule = strings.TrimSpace(rule)
	if rule == "" {
		return errors.New("cannot add an empty permission rule")
	}
	// editFile refuses a symbolic link among the file and its .claude folder: the repository
	// owns .claude, and a link there could send a rule the user allows for this project into
	// their user settings (or any JSON file they own).
	return AddToList(LocalPath(projectDir), ScopeLocal, []string{"permissions", "allow"}, rule)
}

// quote is rule as a JSON string, without HTML escaping (rules often hold < > &).
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// editor inserts text into a parsed file, imitating its layout.
type editor struct {
	data      []byte
	multiline bool   // the file spreads over several lines
	unit      string // one indentation step, as the file uses it
	newline   string // "\n" or "\r\n"
}

func newEditor(data []byte) *editor {
	e := &editor{data: data, unit: "  ", newline: "\n"}
	trimmed := bytes.TrimSpace(data)
	e.multiline = bytes.ContainsRune(trimmed, '\n')
	if bytes.Contains(data, []byte("\r\n")) {
		e.newline = "\r\n"
	}
	if u := e.indentUnit(); u != "" {
		e.unit = u
	}
	return e
}

// indentUnit is the leading white space of the first indented line.
func (e *editor) indentUnit() string {
	for _, line := range strings.Split(string(e.data), "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed != "" && len(trimmed) < len(line) && strings.TrimSpace(trimmed) != "" {
			return line[:len(line)-len(trimmed)]
		}
	}
	return ""
}

func (e *editor) object(ind, key, value string) string {
	if !e.multiline {
		return "{" + quote(key) + ": " + value + "}"
	}
	return "{" + e.newline + ind + e.unit + quote(key) + ": " + value + e.newline + ind + "}"
}

// array renders [elem] for a member indented by ind.
func (e *editor) array(ind, elem string) string {
	if !e.multiline {
		return "[" + elem + "]"
	}
	return "[" + e.newline + ind + e.unit + elem + e.newline + ind + "]"
}

// addMember adds "key": value as the last member of obj; value renders the value for the
// member's indentation.
func (e *editor) addMember(obj *node, key string, value func(ind string) string) []byte {
	if len(obj.members) == 0 {
		ind := e.lineIndent(obj.start)
		inner := quote(key) + ": " + value(ind+e.unit)
		if e.multiline {
			inner = e.newline + ind + e.unit + inner + e.newline + ind
		}
		return e.splice(obj.start+1, obj.end-1, inner)
	}
	last := obj.members[len(obj.members)-1]
	sep, ind := e.separatorBefore(last.keyOff)
	return e.splice(last.val.end, last.val.end, ","+sep+quote(key)+": "+value(ind))
}

// appendElem adds elem after the last element of the non-empty array arr.
func (e *editor) appendElem(arr *node, elem string) []byte {
	last := arr.elems[len(arr.elems)-1]
	sep, _ := e.separatorBefore(last.start)
	return e.splice(last.end, last.end, ","+sep+elem)
}

// separatorBefore is the white space that precedes the item at off when it starts its own
// line (so a new item can copy it), or a single space; ind is that item's indentation.
func (e *editor) separatorBefore(off int) (sep, ind string) {
	i := off
	for i > 0 && strings.IndexByte(" \t\r\n", e.data[i-1]) >= 0 {
		i--
	}
	ws := string(e.data[i:off])
	if nl := strings.LastIndexByte(ws, '\n'); nl >= 0 {
		ind = ws[nl+1:]
		return e.newline + ind, ind
	}
	return " ", e.lineIndent(off)
}

// lineIndent is the leading white space of the line holding off.
func (e *editor) lineIndent(off int) string {
	start := bytes.LastIndexByte(e.data[:off], '\n') + 1
	end := start
	for end < len(e.data) && (e.data[end] == ' ' || e.data[end] == '\t') {
		end++
	}
	return string(e.data[start:end])
}

func (e *editor) replace(n *node, text string) []byte { return e.splice(n.start, n.end, text) }

func (e *editor) splice(from, to int, text string) []byte {
	out := make([]byte, 0, len(e.data)+len(text))
	out = append(out, e.data[:from]...)
	out = append(out, text...)
	return append(out, e.data[to:]...)
}

// writeAtomic replaces path with data through a temporary file in the same directory, so a
// crash never leaves a half-written settings file.
func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".settings.local.json.*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	_, werr := tmp.Write(data)
	if err := errors.Join(werr, tmp.Chmod(mode), tmp.Close()); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
