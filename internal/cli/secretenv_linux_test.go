package cli

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

func TestMarkerFDIsOnlyOurs(t *testing.T) {
	pid := os.Getpid()
	cases := map[string]bool{
		fmt.Sprintf("3:%d", pid):   true,
		fmt.Sprintf("3:%d", pid+1): false, // set by another process: a stray copy
		fmt.Sprintf("0:%d", pid):   false, // stdin is never the pipe
		fmt.Sprintf("x:%d", pid):   false,
		"3":                        false,
		fmt.Sprintf("3:%d:9", pid): false,
		fmt.Sprintf("12:%d", pid):  true,
		fmt.Sprintf("-1:%d", pid):  false,
		fmt.Sprintf(" 3:%d", pid):  false,
		fmt.Sprintf("3:%d ", pid):  false,
		fmt.Sprintf("3: %d", pid):  false,
	}
	for marker, want := range cases {
		if _, got := markerFD(marker); got != want {
			t.Errorf("markerFD(%q) ours = %v, want %v", marker, got, want)
		}
	}
}

// TestRestoreSecretsReadsThePipeOnce: the secrets come back into the process environment
// and the pipe is closed.
func TestRestoreSecretsReadsThePipeOnce(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	if err := writeAll(p[1], encodeSecrets([]string{"AWS_SECRET_ACCESS_KEY=restored-secret", "AWS_SESSION_TOKEN=restored=token"})); err != nil {
		t.Fatal(err)
	}
	_ = unix.Close(p[1])
	var before unix.Stat_t
	if err := unix.Fstat(p[0], &before); err != nil {
		t.Fatal(err)
	}
	if err := restoreSecrets(p[0]); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("AWS_SECRET_ACCESS_KEY") != "restored-secret" || os.Getenv("AWS_SESSION_TOKEN") != "restored=token" {
		t.Fatalf("not restored: %q %q", os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))
	}
	// The descriptor number may be reused at once; the pipe is gone if it names something else.
	var after unix.Stat_t
	if err := unix.Fstat(p[0], &after); err == nil && after.Ino == before.Ino && after.Dev == before.Dev {
		t.Error("the pipe is still open")
	}
}

func TestRestoreSecretsWantsAPipe(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := restoreSecrets(int(f.Fd())); err == nil {
		t.Fatal("read secrets from /dev/null")
	}
}
