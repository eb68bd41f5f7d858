package bash

import (
	"errors"
	"strings"
	"testing"
)

func TestFindBashPerPlatform(t *testing.T) {
	files := map[string]bool{"/git/bin/bash.exe": true, "/custom/bash.exe": true}
	exists := func(p string) bool { return files[p] }
	noBash := func(string) (string, error) { return "", errors.New("not found") }
	gitAt := func(name string) (string, error) {
		if name == "git" {
			return "/git/cmd/git.exe", nil
		}
		return "", errors.New("not found")
	}
	for _, c := range []struct {
		name, goos string
		environ    []string
		look       func(string) (string, error)
		want, err  string
	}{
		{"unix, bash on PATH", "linux", nil, func(string) (string, error) { return "/usr/bin/bash", nil }, "/usr/bin/bash", ""},
		{"unix, none on PATH", "darwin", nil, noBash, "/bin/bash", ""},
		{"windows, beside git", "windows", nil, gitAt, "/git/bin/bash.exe", ""},
		{"windows, the variable wins", "windows", []string{"CLAUDE_CODE_GIT_BASH_PATH=/nope", "CLAUDE_CODE_GIT_BASH_PATH=/custom/bash.exe"}, gitAt, "/custom/bash.exe", ""},
		{"windows, the variable names nothing", "windows", []string{"CLAUDE_CODE_GIT_BASH_PATH=/nope"}, gitAt, "", "/nope, which does not exist"},
		{"windows, no git", "windows", nil, noBash, "", "install Git for Windows"},
	} {
		got, err := findBash(c.goos, c.environ, c.look, exists)
		if got != c.want || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: got %q, %v; want %q, %q", c.name, got, err, c.want, c.err)
		}
	}
}
