package permission

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// ForWalk answers as Allows does for every kind of path a walk meets: plain files, a file and a
// directory linked into the hidden folder, a dangling link, and links in the middle of a path.
func TestReadFilterForWalkAgreesWithAllows(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"secrets/key.txt", "secrets/deep/k2.txt", "src/a.go", "src/sub/b.go"} {
		mkfile(t, filepath.Join(dir, p))
	}
	for link, target := range map[string]string{"src/file-link": "secrets/key.txt", "src/dir-link": "secrets",
		"src/dangling": "secrets/new.txt", "alias": "src"} {
		if err := os.Symlink(filepath.Join(dir, target), filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	c := &Checker{Dirs: []string{dir}, DenyRules: mustRules(t, "Read(./secrets/**)")}
	f := c.ReadFilter()
	walk := f.ForWalk()
	paths := []string{"src/a.go", "src/sub/b.go", "src/file-link", "src/dir-link", "src/dir-link/key.txt",
		"src/dir-link/deep/k2.txt", "src/dangling", "alias/dir-link/key.txt", "alias/a.go", "secrets/key.txt",
		"src/sub/../../secrets/key.txt"}
	for _, p := range paths {
		abs := filepath.Join(dir, p)
		if got, want := walk(abs), f.Allows(abs); got != want {
			t.Errorf("%s: ForWalk %v, Allows %v", p, got, want)
		}
	}
	for _, hidden := range []string{"src/file-link", "src/dir-link/key.txt", "alias/dir-link/deep/k2.txt", "src/dangling"} {
		if walk(filepath.Join(dir, hidden)) {
			t.Errorf("%s leads into the hidden folder but ForWalk shows it", hidden)
		}
	}
}

// BenchmarkReadFilter checks every file of the Go source tree as a search does, once per file
// with Allows and with one ForWalk, beside the yardstick of one Lstat per file.
func BenchmarkReadFilter(b *testing.B) {
	var files []string
	_ = filepath.WalkDir(filepath.Join(runtime.GOROOT(), "src"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	home, _ := os.UserHomeDir()
	c := &Checker{Dirs: []string{"/"}, Home: home, DenyRules: mustRulesB(b, "Read(~/.aws/credentials)", "Read(~/.aws/sso/cache/**)", "Read(./secrets/**)")}
	f := c.ReadFilter()
	b.Run("lstat-yardstick", func(b *testing.B) {
		for b.Loop() {
			for _, p := range files {
				_, _ = os.Lstat(p)
			}
		}
		b.ReportMetric(float64(len(files)), "files")
	})
	b.Run("allows", func(b *testing.B) {
		for b.Loop() {
			for _, p := range files {
				f.Allows(p)
			}
		}
	})
	b.Run("for-walk", func(b *testing.B) {
		for b.Loop() {
			walk := f.ForWalk()
			for _, p := range files {
				walk(p)
			}
		}
	})
}
