// Package demo holds the demo's material: a small Go project with a bug and a failing test,
// and the script the emulator's model follows to fix it. The tools, files and `go test` runs
// are real; only the model's words are scripted. The script's Bash calls ask for the longest
// timeout: the first `go test` on a cold build cache compiles the standard library's test
// dependencies, which on a slow or loaded machine can outlast the default two minutes.
package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

// Prompt is what the demo asks strata.
const Prompt = "The tests in this project fail. Find out why, fix the bug, and make sure the tests pass."

//go:embed project script.json
var files embed.FS

// WriteProject lays the project out in dir. Files are stored with a .txt suffix so the Go tool
// does not treat them as part of strata.
func WriteProject(dir string) error {
	return fs.WalkDir(files, "project", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(path, "project/"), ".txt")
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// Script returns the scripted model for a project laid out in dir.
func Script(dir string) (*bedrocksim.Script, error) {
	raw, err := files.ReadFile("script.json")
	if err != nil {
		return nil, err
	}
	quoted := strings.Trim(fmt.Sprintf("%q", filepath.ToSlash(dir)), `"`)
	return bedrocksim.ParseScript([]byte(strings.ReplaceAll(string(raw), "{{PROJECT}}", quoted)), "demo script")
}
