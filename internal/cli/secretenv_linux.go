package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/strata-agent/strata/internal/proc"
)

// selfExe is the running binary, even if the file was replaced or deleted since it started.
const selfExe = "/proc/self/exe"

// protectEnviron keeps the AWS secrets strata was started with out of /proc/<pid>/environ,
// which shows a process's environment as it was at exec time to any process of the same user
// (and to root) — a Bash tool call could read its parent's with `cat /proc/$PPID/environ`.
//
// That file is a live view of the memory the kernel wrote the environment block into, so the
// cheap way is to move the secrets into the Go runtime's copy of the environment and overwrite
// their entries in that block with NULs (scrubEnviron): no second start-up. Where that is not
// possible (no writable /proc/self/mem), strata falls back to executing itself again (same
// PID, same arguments) with an environment that lacks them, handing them over on an inherited pipe named by
// STRATA_SECRETS_FD. The new image puts them back into the Go runtime's copy of the
// environment, where os.Getenv and the AWS SDK find them but /proc does not: that file shows
// the block the kernel was given at exec, which setenv never touches. It then marks the
// process not dumpable, so processes of the same user can no longer read its memory or
// environment through /proc or ptrace (root still can).
//
// It returns a warning for stderr when the secrets could not be hidden; strata carries on.
func protectEnviron() (warning string) {
	defer notDumpable()
	marker, ok := os.LookupEnv(secretsFDVar)
	if ok {
		_ = os.Unsetenv(secretsFDVar) // the children strata starts must not see it
		if fd, ours := markerFD(marker); ours {
			if err := restoreSecrets(fd); err != nil {
				return "the AWS credentials strata was started with were lost: " + err.Error()
			}
			return ""
		}
	}
	secrets, rest := splitSecrets(os.Environ())
	if len(secrets) == 0 || !startsChildren(os.Args[1:]) {
		return ""
	}
	if scrubEnviron() == nil {
		return ""
	}
	// A scrub that failed half-way cleared the bytes the first strings shared; the secrets it
	// moved are in os.Environ now as copies of their own.
	secrets, rest = splitSecrets(os.Environ())
	err := reexec(secrets, rest) // returns only when the exec failed
	if errors.Is(err, fs.ErrNotExist) {
		return "" // no /proc: then nobody can read the environment through it either
	}
	return fmt.Sprintf("the AWS credentials stay readable in /proc/%d/environ: %v", os.Getpid(), err)
}

// markerFD reads STRATA_SECRETS_FD; ours is false for a value this process did not set.
func markerFD(marker string) (fd int, ours bool) {
	fdText, pidText, ok := strings.Cut(marker, ":")
	fd, errFD := strconv.Atoi(fdText)
	pid, errPID := strconv.Atoi(pidText)
	return fd, ok && errFD == nil && errPID == nil && pid == os.Getpid() && fd > 2
}

// reexec writes the secrets into a pipe and executes the running binary again with rest and
// the pipe's read end. It returns only on failure.
func reexec(secrets, rest []string) error {
	payload := encodeSecrets(secrets)
	if len(payload) > maxSecretsPayload {
		return fmt.Errorf("the AWS variables are larger than %d KiB", maxSecretsPayload>>10)
	}
	if _, err := os.Stat(selfExe); err != nil {
		return err
	}
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return fmt.Errorf("creating a pipe: %w", err)
	}
	r, w := p[0], p[1]
	// Nobody reads before the exec: a write the pipe cannot hold must fail, not block.
	err := unix.SetNonblock(w, true)
	if err == nil {
		err = writeAll(w, payload)
	}
	_ = unix.Close(w)
	if err == nil {
		_, err = unix.FcntlInt(uintptr(r), unix.F_SETFD, 0) // the read end survives the exec
	}
	if err == nil {
		env := append(rest, fmt.Sprintf("%s=%d:%d", secretsFDVar, r, os.Getpid()))
		err = proc.Replace(selfExe, os.Args, env)
	}
	_ = unix.Close(r)
	return err
}

func writeAll(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := unix.Write(fd, b)
		if err != nil {
			return fmt.Errorf("writing to the pipe: %w", err)
		}
		b = b[n:]
	}
	return nil
}

// restoreSecrets reads the secrets from the inherited pipe fd, closes it, and sets them in
// the process's environment (in memory only).
func restoreSecrets(fd int) error {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFIFO {
		return fmt.Errorf("%s=%d is not a pipe", secretsFDVar, fd)
	}
	f := os.NewFile(uintptr(fd), "secrets pipe")
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretsPayload+1))
	if err != nil {
		return fmt.Errorf("reading the secrets pipe: %w", err)
	}
	secrets, err := decodeSecrets(b)
	if err != nil {
		return err
	}
	for _, kv := range secrets {
		name, value, _ := strings.Cut(kv, "=")
		if err := os.Setenv(name, value); err != nil {
			return err
		}
	}
	return nil
}

// notDumpable stops processes of the same user (tool subprocesses among them) from reading
// strata's memory and environment through /proc/<pid>/mem, /proc/<pid>/environ or ptrace.
// It does not stop root. Children are unaffected: exec makes them dumpable again.
func notDumpable() { _ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0) }
