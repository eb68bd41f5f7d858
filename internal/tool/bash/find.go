package bash

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// gitBashVar names bash.exe on Windows when Git Bash is not where strata looks (the reference
// reads the same variable).
const gitBashVar = "CLAUDE_CODE_GIT_BASH_PATH"

// findBash chooses the bash that runs commands. CLAUDE_CODE_GIT_BASH_PATH wins when set. On
// Windows strata wants Git Bash, never the System32 bash.exe (that one enters WSL, another
// file system): it looks beside git.exe on PATH, then in the default install folder.
// Elsewhere it is the bash on PATH, else /bin/bash.
func findBash(goos string, environ []string, lookPath func(string) (string, error), exists func(string) bool) (string, error) {
	if p := lastValue(environ, gitBashVar); p != "" {
		if !exists(p) {
			return "", fmt.Errorf("%s is set to %s, which does not exist; point it at Git Bash's bash.exe", gitBashVar, p)
		}
		return p, nil
	}
	if goos != "windows" {
		if p, err := lookPath("bash"); err == nil {
			return p, nil
		}
		return "/bin/bash", nil
	}
	var tried []string
	if git, err := lookPath("git"); err == nil { // …\Git\cmd\git.exe → …\Git\bin\bash.exe
		tried = append(tried, filepath.Join(filepath.Dir(filepath.Dir(git)), "bin", "bash.exe"))
	}
	tried = append(tried, `C:\Program Files\Git\bin\bash.exe`)
	for _, p := range tried {
		if exists(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("Bash needs Git Bash on Windows and found none (looked at %s): install Git for Windows "+
		"(https://git-scm.com/downloads/win) or set %s to its bash.exe", strings.Join(tried, ", "), gitBashVar)
}

// lastValue is the value of name in environ; a later entry wins, as in a real environment.
func lastValue(environ []string, name string) string {
	v := ""
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val
		}
	}
	return v
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
