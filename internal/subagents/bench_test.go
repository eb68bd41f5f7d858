package subagents

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLoadDir measures reading 50 definitions, front matter parsed with YAML, against
// the yardstick of only reading the same 50 files: what parsing adds to a start.
func BenchmarkLoadDir(b *testing.B) {
	dir := b.TempDir()
	var paths []string
	for i := range 50 {
		p := filepath.Join(dir, fmt.Sprintf("agent%02d.md", i))
		text := fmt.Sprintf("---\nname: agent%02d\ndescription: Agent number %d for benchmarks\ntools: Read, Grep, Glob, Bash(git diff:*)\nmodel: sonnet\n---\nYou are agent %d. Work carefully.\n", i, i, i)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	b.Run("yardstick-readfiles", func(b *testing.B) {
		for b.Loop() {
			for _, p := range paths {
				if _, err := os.ReadFile(p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("loaddir", func(b *testing.B) {
		for b.Loop() {
			if defs, problems := LoadDir(dir, SourceUser); len(defs) != 50 || len(problems) != 0 {
				b.Fatal(len(defs), problems)
			}
		}
	})
}
