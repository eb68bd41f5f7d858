package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/strata-agent/strata/internal/redact"
)

// scrubEnviron hides the AWS secrets of the environment block the kernel gave this process at
// exec — the memory /proc/<pid>/environ reads, live, between the env_start and env_end
// addresses of /proc/self/stat — without starting the process again. Each secret first goes
// into the Go runtime's environment (a copy on the heap, where os.Getenv and the AWS SDK find
// it), then its whole NAME=VALUE entry in the block is overwritten with NULs through
// /proc/self/mem. It reads the file back and fails unless no secret is left, so the caller
// can fall back to executing itself again.
func scrubEnviron() error {
	start, end, err := environBounds()
	if err != nil {
		return err
	}
	mem, err := os.OpenFile("/proc/self/mem", os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer mem.Close()
	block := make([]byte, end-start)
	if _, err := mem.ReadAt(block, start); err != nil {
		return fmt.Errorf("reading the environment block: %w", err)
	}
	seen := map[string]bool{}
	for off := 0; off < len(block); {
		n := bytes.IndexByte(block[off:], 0)
		if n < 0 {
			n = len(block) - off
		}
		name, value, _ := strings.Cut(string(block[off:off+n]), "=")
		if redact.IsAWSSecret(name) {
			if !seen[name] { // the first of duplicate entries is the one os.Getenv returns
				seen[name] = true
				if err := os.Setenv(name, value); err != nil {
					return err
				}
			}
			if _, err := mem.WriteAt(make([]byte, n), start+int64(off)); err != nil {
				return fmt.Errorf("clearing the environment block: %w", err)
			}
		}
		off += n + 1
	}
	return checkScrubbed()
}

// environBounds reads env_start and env_end, the last-but-one and last-but-two fields of
// /proc/self/stat (Linux 3.5 and later; fields 50 and 51 counting from 1).
func environBounds() (start, end int64, err error) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, 0, err
	}
	// The command name (field 2) may hold spaces and parentheses: count from its last ')'.
	i := bytes.LastIndexByte(b, ')')
	fields := strings.Fields(string(b[i+1:]))
	const envStart, envEnd = 50 - 3, 51 - 3 // index after pid and (comm)
	if i < 0 || len(fields) <= envEnd {
		return 0, 0, errors.New("/proc/self/stat has no environment bounds")
	}
	start, err1 := strconv.ParseInt(fields[envStart], 10, 64)
	end, err2 := strconv.ParseInt(fields[envEnd], 10, 64)
	if err1 != nil || err2 != nil || start <= 0 || end < start || end-start > 1<<30 {
		return 0, 0, fmt.Errorf("/proc/self/stat has unusable environment bounds %q %q", fields[envStart], fields[envEnd])
	}
	return start, end, nil
}

// checkScrubbed reads /proc/self/environ as another process would see it.
func checkScrubbed() error {
	b, err := os.ReadFile("/proc/self/environ")
	if err != nil {
		return err
	}
	for _, kv := range strings.Split(string(b), "\x00") {
		if name, _, _ := strings.Cut(kv, "="); redact.IsAWSSecret(name) {
			return fmt.Errorf("%s is still in /proc/self/environ", name)
		}
	}
	return nil
}
