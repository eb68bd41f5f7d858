package session

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf16"
)

// claudeKeyMax is the length past which the reference shortens a project directory name.
const claudeKeyMax = 200

// ProjectsDir is where Claude Code keeps its transcripts, and strata with it:
// <config>/projects, where config is CLAUDE_CONFIG_DIR or ~/.claude.
func ProjectsDir(configDir string) string { return filepath.Join(configDir, "projects") }

// ClaudeProjectKey names the directory of a working directory's sessions exactly as Claude Code
// 2.1.197 does, so that each tool finds the other's transcripts: every UTF-16 code unit other
// than an ASCII letter or digit becomes '-'; a name longer than 200 is cut to 200 and followed
// by '-' and a base-36 hash of the whole path (the Java string hash the reference uses).
func ClaudeProjectKey(cwd string) string {
	units := utf16.Encode([]rune(cwd))
	name := make([]byte, len(units))
	for i, u := range units {
		name[i] = '-'
		if u >= 'a' && u <= 'z' || u >= 'A' && u <= 'Z' || u >= '0' && u <= '9' {
			name[i] = byte(u)
		}
	}
	key := string(name)
	if len(key) <= claudeKeyMax {
		return key
	}
	return key[:claudeKeyMax] + "-" + strconv.FormatInt(abs(javaHash(units)), 36)
}

// javaHash is the 32-bit string hash h = 31*h + unit the reference computes over UTF-16 units.
func javaHash(units []uint16) int32 {
	var h int32
	for _, u := range units {
		h = h*31 + int32(u)
	}
	return h
}

// abs widens first: the reference's Math.abs of the smallest int32 is 2147483648.
func abs(h int32) int64 {
	if h < 0 {
		return -int64(h)
	}
	return int64(h)
}

// realCwd is the working directory as the reference names it: absolute, symlinks resolved
// (on macOS /tmp is /private/tmp), or just absolute when it cannot be resolved.
func realCwd(cwd string) (string, error) {
	abs, err := filepath.Abs(cwd)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	return abs, nil
}

// claudeDirs are the directories that may hold cwd's reference-format sessions: the one
// ClaudeProjectKey names, and for a long path every directory sharing its 200-character
// prefix, since the reference hashes long paths differently depending on its runtime (it
// searches the same way).
func claudeDirs(root, cwd string) []string {
	key := ClaudeProjectKey(cwd)
	main := filepath.Join(root, key)
	dirs := []string{main}
	if len(key) <= claudeKeyMax {
		return dirs
	}
	prefix := key[:claudeKeyMax] + "-"
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if p := filepath.Join(root, e.Name()); e.IsDir() && strings.HasPrefix(e.Name(), prefix) && p != main {
			dirs = append(dirs, p)
		}
	}
	return dirs
}
