package settings

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// layer is one settings file after parsing and validation, before merging.
type layer struct {
	src                 Source
	env                 []envEntry // in file order
	model               *string
	awsAuthRefresh      *string
	awsCredentialExport *string
	allow, ask, deny    []string
	additionalDirs      []string
	defaultMode         *string
	disableBypass       *string
	hooks               []eventHooks // in file order
	cleanupPeriodDays   *int
	includeCoAuthoredBy *bool
	enableAllProject    *bool
	enabledMcpjson      []string
	disabledMcpjson     []string
	statusLine          json.RawMessage
	sandbox             json.RawMessage
	extra               map[string]json.RawMessage
}

type envEntry struct{ key, value string }

type eventHooks struct {
	event    string
	matchers []HookMatcher
}

// typeError is a value of the wrong JSON type (or range) at a byte offset.
type typeError struct {
	off int
	msg string
}

// decoder turns a parsed file into a layer; data is the file's text, for raw values.
type decoder struct {
	data []byte
	src  Source
}

func wrongType(n *node, path, want string) *typeError {
	return &typeError{n.start, fmt.Sprintf("%s must be %s, not %s", path, want, n.kind.describe())}
}

// decodeLayer validates the known keys of root and collects the unknown ones. A null value
// for a known key counts as not set.
func (d *decoder) decodeLayer(root *node) (*layer, *typeError) {
	if root.kind != kindObject {
		return nil, &typeError{root.start, "a settings file must hold a JSON object ({ … }), not " + root.kind.describe()}
	}
	l := &layer{src: d.src, extra: map[string]json.RawMessage{}}
	for _, m := range root.members {
		if m.val.kind == kindNull && isKnownKey(m.key) {
			continue
		}
		if err := d.decodeKey(l, m); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func isKnownKey(key string) bool {
	switch key {
	case "env", "model", "awsAuthRefresh", "awsCredentialExport", "permissions", "hooks",
		"cleanupPeriodDays", "includeCoAuthoredBy", "enableAllProjectMcpServers",
		"enabledMcpjsonServers", "disabledMcpjsonServers", "statusLine", "sandbox":
		return true
	}
	return false
}

func (d *decoder) decodeKey(l *layer, m member) *typeError {
	var err *typeError
	switch v := m.val; m.key {
	case "env":
		l.env, err = decodeEnv(v)
	case "model":
		l.model, err = optString(v, "model")
	case "awsAuthRefresh":
		l.awsAuthRefresh, err = optString(v, "awsAuthRefresh")
	case "awsCredentialExport":
		l.awsCredentialExport, err = optString(v, "awsCredentialExport")
	case "permissions":
		err = decodePermissions(l, v)
	case "hooks":
		l.hooks, err = d.decodeHooks(v)
	case "cleanupPeriodDays":
		l.cleanupPeriodDays, err = optWholeNumber(v, "cleanupPeriodDays")
	case "includeCoAuthoredBy":
		l.includeCoAuthoredBy, err = optBool(v, "includeCoAuthoredBy")
	case "enableAllProjectMcpServers":
		l.enableAllProject, err = optBool(v, "enableAllProjectMcpServers")
	case "enabledMcpjsonServers":
		l.enabledMcpjson, err = stringArray(v, "enabledMcpjsonServers")
	case "disabledMcpjsonServers":
		l.disabledMcpjson, err = stringArray(v, "disabledMcpjsonServers")
	case "statusLine":
		if v.kind != kindObject {
			return wrongType(v, "statusLine", "an object")
		}
		l.statusLine = d.raw(v)
	case "sandbox":
		if v.kind != kindObject {
			return wrongType(v, "sandbox", "an object")
		}
		l.sandbox = d.raw(v) // internal/sandbox reads it, forgiving what it does not know
	default:
		l.extra[m.key] = d.raw(v)
	}
	return err
}

// raw is a private copy of n's text.
func (d *decoder) raw(n *node) json.RawMessage {
	return append(json.RawMessage(nil), d.data[n.start:n.end]...)
}

// decodeEnv reads the env block. Like the reference CLI, numbers and booleans are taken as
// their text ("1", "true"); objects, arrays and null are errors. Values never appear in
// messages: the env block often holds credentials.
func decodeEnv(n *node) ([]envEntry, *typeError) {
	if n.kind != kindObject {
		return nil, wrongType(n, "env", "an object of NAME: value pairs")
	}
	out := make([]envEntry, 0, len(n.members))
	for _, m := range n.members {
		if m.key == "" || strings.ContainsAny(m.key, "=\x00") {
			return nil, &typeError{m.keyOff, fmt.Sprintf("env: %q is not a valid environment variable name", m.key)}
		}
		var v string
		switch m.val.kind {
		case kindString, kindNumber:
			v = m.val.text
		case kindBool:
			v = strconv.FormatBool(m.val.b)
		default:
			return nil, wrongType(m.val, "env."+m.key, "a string")
		}
		if strings.ContainsRune(v, 0) {
			return nil, &typeError{m.val.start, fmt.Sprintf("env.%s contains a NUL character", m.key)}
		}
		out = append(out, envEntry{m.key, v})
	}
	return out, nil
}

func decodePermissions(l *layer, n *node) *typeError {
	if n.kind != kindObject {
		return wrongType(n, "permissions", "an object")
	}
	for _, m := range n.members {
		var err *typeError
		path := "permissions." + m.key
		if m.val.kind == kindNull {
			continue
		}
		switch m.key {
		case "allow":
			l.allow, err = stringArray(m.val, path)
		case "ask":
			l.ask, err = stringArray(m.val, path)
		case "deny":
			l.deny, err = stringArray(m.val, path)
		case "additionalDirectories":
			l.additionalDirs, err = stringArray(m.val, path)
		case "defaultMode":
			l.defaultMode, err = optString(m.val, path)
		case "disableBypassPermissionsMode":
			l.disableBypass, err = optString(m.val, path)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) decodeHooks(n *node) ([]eventHooks, *typeError) {
	if n.kind != kindObject {
		return nil, wrongType(n, "hooks", "an object of event: [matchers]")
	}
	var out []eventHooks
	for _, ev := range n.members {
		path := "hooks." + ev.key
		if ev.val.kind != kindArray {
			return nil, wrongType(ev.val, path, "an array of matchers")
		}
		eh := eventHooks{event: ev.key}
		for i, mn := range ev.val.elems {
			hm, err := d.decodeMatcher(mn, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			eh.matchers = append(eh.matchers, hm)
		}
		out = append(out, eh)
	}
	return out, nil
}

func (d *decoder) decodeMatcher(n *node, path string) (HookMatcher, *typeError) {
	hm := HookMatcher{Source: d.src}
	if n.kind != kindObject {
		return hm, wrongType(n, path, `an object such as {"matcher": "Bash", "hooks": [...]}`)
	}
	if m := n.member("matcher"); m != nil && m.val.kind != kindNull {
		if m.val.kind != kindString {
			return hm, wrongType(m.val, path+".matcher", "a string")
		}
		hm.Matcher = m.val.text
	}
	m := n.member("hooks")
	if m == nil || m.val.kind == kindNull {
		return hm, nil
	}
	if m.val.kind != kindArray {
		return hm, wrongType(m.val, path+".hooks", "an array of commands")
	}
	for i, cn := range m.val.elems {
		hc, err := decodeHookCommand(cn, fmt.Sprintf("%s.hooks[%d]", path, i))
		if err != nil {
			return hm, err
		}
		hm.Hooks = append(hm.Hooks, hc)
	}
	return hm, nil
}

func decodeHookCommand(n *node, path string) (HookCommand, *typeError) {
	var hc HookCommand
	if n.kind != kindObject {
		return hc, wrongType(n, path, `an object such as {"type": "command", "command": "..."}`)
	}
	for _, m := range n.members {
		var err *typeError
		var s *string
		switch m.key {
		case "type":
			if s, err = optString(m.val, path+".type"); s != nil {
				hc.Type = *s
			}
		case "command":
			if s, err = optString(m.val, path+".command"); s != nil {
				hc.Command = *s
			}
		case "url":
			if s, err = optString(m.val, path+".url"); s != nil {
				hc.URL = *s
			}
		case "prompt":
			if s, err = optString(m.val, path+".prompt"); s != nil {
				hc.Prompt = *s
			}
		case "headers":
			hc.Headers, err = stringMap(m.val, path+".headers")
		case "timeout":
			var t *int
			if t, err = optWholeNumber(m.val, path+".timeout"); t != nil {
				hc.Timeout = *t
			}
		}
		if err != nil {
			return hc, err
		}
	}
	return hc, nil
}

func optString(n *node, path string) (*string, *typeError) {
	switch n.kind {
	case kindNull:
		return nil, nil
	case kindString:
		s := n.text
		return &s, nil
	}
	return nil, wrongType(n, path, "a string")
}

func optBool(n *node, path string) (*bool, *typeError) {
	switch n.kind {
	case kindNull:
		return nil, nil
	case kindBool:
		b := n.b
		return &b, nil
	}
	return nil, wrongType(n, path, "true or false")
}

// optWholeNumber reads a non-negative integer (a count of days or seconds).
func optWholeNumber(n *node, path string) (*int, *typeError) {
	switch n.kind {
	case kindNull:
		return nil, nil
	case kindNumber:
		v, err := strconv.Atoi(n.text)
		if err != nil || v < 0 {
			return nil, &typeError{n.start, fmt.Sprintf("%s must be a whole number, 0 or more", path)}
		}
		return &v, nil
	}
	return nil, wrongType(n, path, "a whole number")
}

func stringArray(n *node, path string) ([]string, *typeError) {
	if n.kind != kindArray {
		return nil, wrongType(n, path, "an array of strings")
	}
	out := make([]string, 0, len(n.elems))
	for i, e := range n.elems {
		if e.kind != kindString {
			return nil, wrongType(e, fmt.Sprintf("%s[%d]", path, i), "a string")
		}
		out = append(out, e.text)
	}
	return out, nil
}

// stringMap reads an object of strings (an http hook's headers).
func stringMap(n *node, path string) (map[string]string, *typeError) {
	if n.kind == kindNull {
		return nil, nil
	}
	if n.kind != kindObject {
		return nil, wrongType(n, path, "an object of strings")
	}
	out := map[string]string{}
	for _, m := range n.members {
		s, err := optString(m.val, path+"."+m.key)
		if err != nil {
			return nil, err
		}
		if s != nil {
			out[m.key] = *s
		}
	}
	return out, nil
}
