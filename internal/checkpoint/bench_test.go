package checkpoint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkSnapshot is the cost a prompt pays for checkpoints with 100 tracked 10 KiB files:
// "unchanged" (nothing saved; each file compared with its last version) and "changed" (each
// file saved anew), beside "raw", reading the 100 files once, and "copy", copying them.
func BenchmarkSnapshot(b *testing.B) {
	dir := b.TempDir()
	project := filepath.Join(dir, "project")
	os.MkdirAll(project, 0o755)
	content := bytes.Repeat([]byte("0123456789abcdef\n"), 10<<10/17)
	var paths []string
	for i := range 100 {
		p := filepath.Join(project, "f"+strconv.Itoa(i)+".txt")
		os.WriteFile(p, content, 0o644)
		paths = append(paths, p)
	}
	newStore := func(b *testing.B) *Store {
		s, err := New(Options{Root: filepath.Join(b.TempDir(), "file-history"), SessionID: "0b6c2f1e-8a49-4d7e-9a51-3f0e7c2d9b10", Cwd: project})
		if err != nil {
			b.Fatal(err)
		}
		s.Snapshot("first")
		for _, p := range paths {
			if err := s.Track(RealPath(p)); err != nil {
				b.Fatal(err)
			}
		}
		return s
	}
	b.Run("raw", func(b *testing.B) {
		for b.Loop() {
			for _, p := range paths {
				if _, err := os.ReadFile(p); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		s := newStore(b)
		i := 0
		for b.Loop() {
			i++
			if err := s.Snapshot(fmt.Sprint("p", i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("copy", func(b *testing.B) {
		out := b.TempDir()
		for b.Loop() {
			for i, p := range paths {
				if err := copyFile(p, filepath.Join(out, strconv.Itoa(i))); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("changed", func(b *testing.B) {
		s := newStore(b)
		i := 0
		for b.Loop() {
			i++
			b.StopTimer()
			for _, p := range paths {
				os.WriteFile(p, append(content, byte('a'+i%26)), 0o644)
			}
			b.StartTimer()
			if err := s.Snapshot(fmt.Sprint("p", i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
