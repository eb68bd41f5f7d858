package settings

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// layout is a temp tree with every settings layer in its own place.
type layout struct {
	home, project, managed, flag string
}

func newLayout(t *testing.T) layout {
	t.Helper()
	root := t.TempDir()
	l := layout{
		home:    filepath.Join(root, "home", ".claude"),
		project: filepath.Join(root, "proj"),
		managed: filepath.Join(root, "etc", "managed-settings.json"),
		flag:    filepath.Join(root, "flag.json"),
	}
	return l
}

func (l layout) options() Options {
	return Options{ConfigDir: l.home, ProjectDir: l.project, ManagedPath: l.managed}
}

func (l layout) path(s Scope) string {
	switch s {
	case ScopeUser:
		return filepath.Join(l.home, "settings.json")
	case ScopeProject:
		return filepath.Join(l.project, ".claude", "settings.json")
	case ScopeLocal:
		return filepath.Join(l.project, ".claude", "settings.local.json")
	case ScopeFlag:
		return l.flag
	}
	return l.managed
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustLoad(t *testing.T, o Options) *Settings {
	t.Helper()
	s, err := Load(o)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestLoadNoFiles(t *testing.T) {
	l := newLayout(t)
	s := mustLoad(t, l.options())
	if len(s.Files) != 0 || len(s.Env) != 0 || s.Model != "" || s.Env == nil || s.Hooks == nil {
		t.Errorf("empty load = %+v", s)
	}
	if s, err := Load(Options{}); err != nil || len(s.Files) != 0 {
		t.Errorf("Load(Options{}) = %+v, %v", s, err)
	}
}

// Each layer overrides the ones below it; every test adds one more layer on top.
func TestPrecedence(t *testing.T) {
	scopes := []Scope{ScopeUser, ScopeProject, ScopeLocal, ScopeFlag, ScopeManaged}
	l := newLayout(t)
	o := l.options()
	for i, sc := range scopes {
		writeFile(t, l.path(sc), `{"model": "`+string(sc)+`", "env": {"FROM": "`+string(sc)+`", "`+strings.ToUpper(string(sc))+`": "1"},
			"permissions": {"defaultMode": "`+string(sc)+`"}}`)
		if sc == ScopeFlag {
			o.Flag = l.flag
		}
		s := mustLoad(t, o)
		want := Source{sc, l.path(sc)}
		if s.Model != string(sc) || s.ModelSource != want || s.Env["FROM"] != string(sc) || s.EnvSource["FROM"] != want {
			t.Errorf("with %d layers: model %q from %v, FROM=%q from %v; want %s", i+1, s.Model, s.ModelSource, s.Env["FROM"], s.EnvSource["FROM"], sc)
		}
		if s.Permissions.DefaultMode != string(sc) || len(s.Files) != i+1 || s.Files[i] != want {
			t.Errorf("with %d layers: defaultMode %q, files %v", i+1, s.Permissions.DefaultMode, s.Files)
		}
		// Keys set only by lower layers survive (env merges key by key).
		for _, lower := range scopes[:i+1] {
			k := strings.ToUpper(string(lower))
			if s.Env[k] != "1" || s.EnvSource[k].Scope != lower {
				t.Errorf("with %d layers: env %s = %q from %v", i+1, k, s.Env[k], s.EnvSource[k])
			}
		}
	}
}

func TestMergeListsAndHooks(t *testing.T) {
	l := newLayout(t)
	writeFile(t, l.path(ScopeUser), `{
  "permissions": {"allow": ["Bash(ls)", "Read"], "deny": ["Bash(rm:*)"], "additionalDirectories": ["/a"]},
  "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "u", "timeout": 5}]}]},
  "enabledMcpjsonServers": ["x"],
  "includeCoAuthoredBy": false, "cleanupPeriodDays": 30,
  "statusLine": {"type": "command", "command": "lower"}
}`)
	writeFile(t, l.path(ScopeProject), `{
  "permissions": {"allow": ["Read", "Edit"], "ask": ["Bash(git push:*)"], "additionalDirectories": ["/a", "/b"]},
  "hooks": {"PreToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "p"}]}],
            "Stop": [{"hooks": [{"type": "command", "command": "s"}]}]},
  "enabledMcpjsonServers": ["x", "y"], "disabledMcpjsonServers": ["z"],
  "includeCoAuthoredBy": true, "enableAllProjectMcpServers": true,
  "statusLine": {"type": "command", "command": "higher"}
}`)
	writeFile(t, l.path(ScopeManaged), `{"permissions": {"deny": ["Bash(rm:*)", "WebFetch"]}}`)
	s := mustLoad(t, l.options())
	user, proj, managed := Source{ScopeUser, l.path(ScopeUser)}, Source{ScopeProject, l.path(ScopeProject)}, Source{ScopeManaged, l.managed}
	wantAllow := []Rule{{"Bash(ls)", user}, {"Read", proj}, {"Edit", proj}}
	wantDeny := []Rule{{"Bash(rm:*)", managed}, {"WebFetch", managed}}
	if !reflect.DeepEqual(s.Permissions.Allow, wantAllow) || !reflect.DeepEqual(s.Permissions.Deny, wantDeny) {
		t.Errorf("allow %v\ndeny %v", s.Permissions.Allow, s.Permissions.Deny)
	}
	if !reflect.DeepEqual(s.Permissions.Ask, []Rule{{"Bash(git push:*)", proj}}) ||
		!reflect.DeepEqual(s.Permissions.AdditionalDirectories, []string{"/a", "/b"}) {
		t.Errorf("ask %v, dirs %v", s.Permissions.Ask, s.Permissions.AdditionalDirectories)
	}
	wantPre := []HookMatcher{
		{Matcher: "Bash", Hooks: []HookCommand{{Type: "command", Command: "u", Timeout: 5}}, Source: user},
		{Matcher: "Edit", Hooks: []HookCommand{{Type: "command", Command: "p"}}, Source: proj},
	}
	if !reflect.DeepEqual(s.Hooks["PreToolUse"], wantPre) || len(s.Hooks["Stop"]) != 1 || s.Hooks["Stop"][0].Hooks[0].Command != "s" {
		t.Errorf("hooks = %+v", s.Hooks)
	}
	if !reflect.DeepEqual(s.EnabledMcpjsonServers, []string{"x", "y"}) || !reflect.DeepEqual(s.DisabledMcpjsonServers, []string{"z"}) {
		t.Errorf("mcp lists %v %v", s.EnabledMcpjsonServers, s.DisabledMcpjsonServers)
	}
	if len(s.MCPApprovalFrom) == 0 {
		t.Errorf("no file recorded as setting MCP approvals")
	}
	if s.IncludeCoAuthoredBy == nil || !*s.IncludeCoAuthoredBy || s.CleanupPeriodDays == nil || *s.CleanupPeriodDays != 30 ||
		s.EnableAllProjectMcpServers == nil || !*s.EnableAllProjectMcpServers {
		t.Errorf("scalars: %v %v %v", s.IncludeCoAuthoredBy, s.CleanupPeriodDays, s.EnableAllProjectMcpServers)
	}
	if string(s.StatusLine) != `{"type": "command", "command": "higher"}` {
		t.Errorf("statusLine = %s", s.StatusLine)
	}
}

func TestInlineFlag(t *testing.T) {
	l := newLayout(t)
	writeFile(t, l.path(ScopeLocal), `{"model": "local", "awsAuthRefresh": "aws sso login"}`)
	o := l.options()
	o.Flag = ` {"model": "inline", "awsCredentialExport": "export-cmd", "env": {"N": 3, "B": true, "F": 1.5}}`
	s := mustLoad(t, o)
	inline := Source{ScopeFlag, InlinePath}
	if s.Model != "inline" || s.ModelSource != inline || s.AWSCredentialExport != "export-cmd" || s.AWSCredentialExportSource != inline {
		t.Errorf("inline flag not applied: %+v", s)
	}
	if s.AWSAuthRefresh != "aws sso login" || s.AWSAuthRefreshSource.Scope != ScopeLocal {
		t.Errorf("lower layer lost: %q from %v", s.AWSAuthRefresh, s.AWSAuthRefreshSource)
	}
	if want := map[string]string{"N": "3", "B": "true", "F": "1.5"}; !reflect.DeepEqual(s.Env, want) {
		t.Errorf("env = %v, want %v", s.Env, want)
	}
	o.Flag = `{"model": 1}`
	if _, err := Load(o); err == nil || err.Error() != `(--settings):1:11: model must be a string, not a number` {
		t.Errorf("inline error = %v", err)
	}
}

func TestFlagFileMissingIsAnError(t *testing.T) {
	l := newLayout(t)
	o := l.options()
	o.Flag = l.flag
	_, err := Load(o)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Path != l.flag || !errors.Is(err, fs.ErrNotExist) || fe.Line != 0 {
		t.Fatalf("missing --settings file: %v", err)
	}
	if !strings.HasPrefix(err.Error(), l.flag+": cannot read the settings file: ") {
		t.Errorf("message = %q", err.Error())
	}
}

func TestUnreadableFile(t *testing.T) {
	l := newLayout(t)
	if err := os.MkdirAll(l.path(ScopeProject), 0o755); err != nil { // a directory, not a file
		t.Fatal(err)
	}
	_, err := Load(l.options())
	var fe *FileError
	if !errors.As(err, &fe) || fe.Path != l.path(ScopeProject) {
		t.Fatalf("directory in place of settings.json: %v", err)
	}
}

// When the project is the home directory, ~/.claude/settings.json is both the user and the
// project file; it must be read once, or its hooks would run twice.
func TestSameFileLoadedOnce(t *testing.T) {
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".claude", "settings.json"),
		`{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x"}]}]}, "permissions": {"allow": ["Read"]}}`)
	s := mustLoad(t, Options{ConfigDir: filepath.Join(home, ".claude"), ProjectDir: home})
	if len(s.Files) != 1 || s.Files[0].Scope != ScopeUser || len(s.Hooks["Stop"]) != 1 {
		t.Errorf("files %v, hooks %v", s.Files, s.Hooks)
	}
}

func TestUnknownKeysKept(t *testing.T) {
	l := newLayout(t)
	writeFile(t, l.path(ScopeUser), `{"theme": "dark", "feedbackSurveyState": {"n": [1, 2]}, "permissions": {"futureKey": 1}}`)
	writeFile(t, l.path(ScopeProject), `{"theme": "light"}`)
	s := mustLoad(t, l.options())
	if string(s.Extra["theme"]) != `"light"` || s.ExtraSource["theme"].Scope != ScopeProject {
		t.Errorf("theme = %s from %v", s.Extra["theme"], s.ExtraSource["theme"])
	}
	if string(s.Extra["feedbackSurveyState"]) != `{"n": [1, 2]}` || s.ExtraSource["feedbackSurveyState"].Scope != ScopeUser {
		t.Errorf("feedbackSurveyState = %s", s.Extra["feedbackSurveyState"])
	}
}

func TestNullMeansUnset(t *testing.T) {
	l := newLayout(t)
	writeFile(t, l.path(ScopeUser), `{"model": "m", "cleanupPeriodDays": 7}`)
	writeFile(t, l.path(ScopeProject), `{"model": null, "env": null, "permissions": {"allow": null}, "cleanupPeriodDays": null}`)
	s := mustLoad(t, l.options())
	if s.Model != "m" || s.CleanupPeriodDays == nil || *s.CleanupPeriodDays != 7 {
		t.Errorf("null overrode a lower value: %q %v", s.Model, s.CleanupPeriodDays)
	}
}

func TestBrokenFiles(t *testing.T) {
	tests := []struct {
		name, content, want string // want is the message after "path:"
	}{
		{"empty", "", "1:1: the file is empty; a settings file holds one JSON object, at least {}"},
		{"blank", "\n  \n", "1:1: the file is empty; a settings file holds one JSON object, at least {}"},
		{"trailing comma", "{\n  \"model\": \"x\",\n}\n", `2:15: trailing comma before }`},
		{"trailing comma in array", `{"permissions": {"allow": ["a",]}}`, `1:31: trailing comma before ]`},
		{"missing comma", "{\n  \"a\": 1\n  \"b\": 2\n}", `3:3: expected ',' or '}' after an object member, found '"'`},
		{"unclosed", "{\n  \"model\": \"x\"\n", `3:1: unexpected end of file; a } is missing`},
		{"unterminated string", `{"model": "x}`, `1:11: this string is never closed (a " is missing)`},
		{"comment", "{\n  // mine\n  \"model\": \"x\"\n}", `2:3: comments are not allowed in JSON settings files`},
		{"single quotes", `{"model": 'x'}`, `1:11: strings must be in double quotes, not single quotes`},
		{"unquoted key", `{model: "x"}`, `1:2: expected a double-quoted key, found 'm'`},
		{"bare word", `{"model": sonnet}`, `1:11: unexpected 's' where a value should start (strings need double quotes)`},
		{"leading zero", `{"cleanupPeriodDays": 07}`, `1:23: invalid number: leading zeros are not allowed`},
		{"bad escape", `{"model": "a\q"}`, `1:13: invalid escape \q in a string (a backslash must be written \\)`},
		{"control char", "{\"model\": \"a\tb\"}", `1:13: control character 0x09 inside a string; write it as an escape such as \n or \t`},
		{"two objects", `{} {}`, `1:4: unexpected '{' after the end of the JSON value`},
		{"duplicate key", "{\n  \"model\": \"a\",\n  \"model\": \"b\"\n}", `3:3: duplicate key "model" (first at line 2, column 3)`},
		{"nested duplicate", `{"env": {"A": "1", "A": "2"}}`, `1:20: duplicate key "A" (first at line 1, column 10)`},
		{"not an object", `["a"]`, `1:1: a settings file must hold a JSON object ({ … }), not an array`},
		{"model number", "{\n  \"model\": 3\n}", `2:12: model must be a string, not a number`},
		{"env object", `{"env": {"AWS_REGION": {"x": 1}}}`, `1:24: env.AWS_REGION must be a string, not an object`},
		{"env null value", `{"env": {"AWS_REGION": null}}`, `1:24: env.AWS_REGION must be a string, not null`},
		{"env bad name", `{"env": {"A=B": "1"}}`, `1:10: env: "A=B" is not a valid environment variable name`},
		{"env array", `{"env": ["A=1"]}`, `1:9: env must be an object of NAME: value pairs, not an array`},
		{"allow string", `{"permissions": {"allow": "Bash"}}`, `1:27: permissions.allow must be an array of strings, not a string`},
		{"allow element", "{\"permissions\": {\n    \"allow\": [\"Read\", 42]\n}}", `2:23: permissions.allow[1] must be a string, not a number`},
		{"permissions array", `{"permissions": []}`, `1:17: permissions must be an object, not an array`},
		{"defaultMode", `{"permissions": {"defaultMode": true}}`, `1:33: permissions.defaultMode must be a string, not true/false`},
		{"hook timeout", `{"hooks": {"Stop": [{"hooks": [{"command": "x", "timeout": 1.5}]}]}}`, `1:60: hooks.Stop[0].hooks[0].timeout must be a whole number, 0 or more`},
		{"hook matcher", `{"hooks": {"Stop": [{"matcher": 1}]}}`, `1:33: hooks.Stop[0].matcher must be a string, not a number`},
		{"hooks not array", `{"hooks": {"Stop": {}}}`, `1:20: hooks.Stop must be an array of matchers, not an object`},
		{"cleanup negative", `{"cleanupPeriodDays": -1}`, `1:23: cleanupPeriodDays must be a whole number, 0 or more`},
		{"bool as string", `{"includeCoAuthoredBy": "yes"}`, `1:25: includeCoAuthoredBy must be true or false, not a string`},
		{"statusLine string", `{"statusLine": "x"}`, `1:16: statusLine must be an object, not a string`},
		{"columns count characters", `{"ñandú": 1, "model": 2}`, `1:23: model must be a string, not a number`},
		{"crlf", "{\r\n  \"model\": 3\r\n}", `2:12: model must be a string, not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLayout(t)
			path := l.path(ScopeProject)
			writeFile(t, path, tt.content)
			_, err := Load(l.options())
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Load = %v, want a *FileError", err)
			}
			if got := err.Error(); got != path+":"+tt.want {
				t.Errorf("error\n got %q\nwant %q", got, path+":"+tt.want)
			}
		})
	}
}

func TestByteOrderMarkAccepted(t *testing.T) {
	l := newLayout(t)
	writeFile(t, l.path(ScopeUser), "\xef\xbb\xbf{\"model\": \"m\"}")
	if s := mustLoad(t, l.options()); s.Model != "m" {
		t.Errorf("model = %q", s.Model)
	}
	writeFile(t, l.path(ScopeUser), "\xef\xbb\xbf{\"model\": 1}")
	if _, err := Load(l.options()); err == nil || !strings.HasSuffix(err.Error(), ":1:11: model must be a string, not a number") {
		t.Errorf("BOM shifts columns: %v", err)
	}
}
