package trust

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func newStore(t *testing.T) Store {
	t.Helper()
	dir := t.TempDir()
	return Store{Path: filepath.Join(dir, "state", "trusted-folders.json"), Reference: filepath.Join(dir, ".claude.json"),
		Home: filepath.Join(dir, "home")}
}

func trusted(t *testing.T, s Store, dir string) bool {
	t.Helper()
	ok, err := s.Trusted(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestRememberedTrustCoversTheFoldersBelow(t *testing.T) {
	s := newStore(t)
	project := filepath.Join(s.Home, "src", "project")
	if trusted(t, s, project) {
		t.Fatal("trusted before anyone said so")
	}
	if err := s.Remember(project, time.Now()); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]bool{project: true, project + "/": true, filepath.Join(project, "sub", "deeper"): true,
		filepath.Dir(project): false, project + "-other": false, s.Home: false} {
		if got := trusted(t, s, dir); got != want {
			t.Errorf("Trusted(%s) = %v, want %v", dir, got, want)
		}
	}
	info, err := os.Stat(s.Path)
	if err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Errorf("the trust file should be private: %v %v", info.Mode(), err)
	}
}

// TestHomeIsNeverRemembered: as in the reference, trusting the home directory lasts one
// session, and a home entry (from either file) does not cover the folders below it.
func TestHomeIsNeverRemembered(t *testing.T) {
	s := newStore(t)
	if err := s.Remember(s.Home, time.Now()); err != nil {
		t.Fatal(err)
	}
	if trusted(t, s, s.Home) {
		t.Fatal("the home directory was remembered")
	}
	write(t, s.Reference, `{"projects": {"`+s.Home+`": {"hasTrustDialogAccepted": true}}}`)
	if trusted(t, s, filepath.Join(s.Home, "project")) || trusted(t, s, s.Home) {
		t.Fatal("the reference's trust in the home directory covered it")
	}
}

func TestReferenceAnswersCount(t *testing.T) {
	s := newStore(t)
	write(t, s.Reference, `{"numStartups": 3, "projects": {
	  "/work/yes": {"hasTrustDialogAccepted": true, "allowedTools": []},
	  "/work/no": {"hasTrustDialogAccepted": false}}}`)
	for dir, want := range map[string]bool{"/work/yes": true, "/work/yes/sub": true, "/work/no": false, "/work": false} {
		if got := trusted(t, s, dir); got != want {
			t.Errorf("Trusted(%s) = %v, want %v", dir, got, want)
		}
	}
	write(t, s.Reference, `{"projects": [`)
	if trusted(t, s, "/work/yes") {
		t.Error("a broken reference file trusted something")
	}
}

func TestBrokenOwnFileIsReportedAndNotOverwritten(t *testing.T) {
	s := newStore(t)
	write(t, s.Path, `{"folders": `)
	if ok, err := s.Trusted("/work/x"); ok || err == nil {
		t.Fatalf("Trusted = %v, %v; want false and an error", ok, err)
	}
	if err := s.Remember("/work/x", time.Now()); err == nil {
		t.Fatal("Remember overwrote a file it could not read")
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
