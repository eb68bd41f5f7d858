package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// proxyPort is where the bridge listens inside the sandbox's own loopback.
const proxyPort = 3128

// credentialPaths are the files and directories under home that hold secrets; no sandboxed
// command may read them.
var credentialPaths = []string{
	".aws", ".ssh", ".gnupg", ".netrc", ".git-credentials", ".docker/config.json",
	".kube", ".azure", ".config/gcloud", ".config/gh", ".npmrc", ".pypirc",
	".claude.json", ".claude", ".config/strata", ".local/state/strata",
}

// bwrapArgv wraps argv in bubblewrap. Order matters: later mounts cover earlier ones, so
// the read-only root comes first, then the writable directories, then what must stay
// read-only or hidden inside them.
// It also returns the placeholders it asks bwrap to create: mount points for protected paths
// that do not exist yet, so that a command cannot create them either.
func (s *Sandbox) bwrapArgv(base string, argv []string, dir string) (args, created []string) {
	a := []string{s.status.Bwrap, "--die-with-parent", "--new-session", "--unshare-all",
		"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"}
	if !s.cfg.AllowAllUnixSockets {
		// Sockets of host services (docker, D-Bus, …) live under /run; a read-only mount
		// does not stop connect(), hiding them does.
		if st, err := os.Lstat("/run"); err == nil && st.IsDir() {
			a = append(a, "--tmpfs", "/run")
		}
	}
	writable := s.writable(base)
	for _, d := range writable {
		a = append(a, "--bind", d, d)
	}
	// Placeholders first: bwrap creates them in a directory that must still be writable.
	var present []string
	paths, guard := s.readOnly(writable)
	// The directories between a writable root and a protected path become mount points of
	// their own first: a mount point cannot be renamed or removed, so `mv .git .git-old`
	// cannot carry the read-only hooks away and leave a fresh .git in their place.
	var pinned []string
	for _, p := range paths {
		for _, d := range between(p, writable) {
			if st, err := os.Lstat(d); err == nil && st.IsDir() && !slices.Contains(pinned, d) {
				pinned = append(pinned, d)
				a = append(a, "--bind", d, d)
			}
		}
	}
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			present = append(present, p)
		} else if c := firstMissing(p, writable); guard[p] && c != "" && !slices.Contains(created, c) {
			created = append(created, c)
			a = append(a, "--ro-bind", "/dev/null", c)
		}
	}
	for _, p := range present {
		a = append(a, "--ro-bind", p, p)
	}
	for _, p := range s.hidden() {
		if !visible(p, writable) {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			a = append(a, "--tmpfs", p, "--remount-ro", p)
		} else if err == nil {
			a = append(a, "--ro-bind", "/dev/null", p)
		}
	}
	sock := filepath.Join(base, "proxy.sock")
	a = append(a, "--bind", sock, sock)
	if dir != "" {
		a = append(a, "--chdir", dir)
	}
	a = append(a, "--", "/bin/sh", "-c", bridgeScript, "sh", s.status.Socat, sock)
	return append(a, argv...), created
}

// bridgeScript starts socat to carry 127.0.0.1:3128 inside the sandbox to the proxy's Unix
// socket, waits (at most 5 s) until it listens, then runs the command as its own process.
// $1 is socat, $2 the socket, the rest the command.
var bridgeScript = fmt.Sprintf(`s=$1 k=$2; shift 2
"$s" TCP-LISTEN:%d,bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:"$k" </dev/null >/dev/null 2>&1 &
i=0; while [ $i -lt 500 ] && ! grep -q ':%04X 00000000:0000 0A' /proc/net/tcp 2>/dev/null; do sleep 0.01; i=$((i+1)); done
exec "$@"`, proxyPort, proxyPort)

// writable lists the existing directories commands may write: the working directories,
// sandbox.filesystem.allowWrite and the private temporary directory.
func (s *Sandbox) writable(base string) []string {
	out := []string{filepath.Join(base, "tmp")}
	for _, d := range slices.Concat(s.opts.Dirs, s.cfg.AllowWrite) {
		if _, err := os.Stat(d); err == nil && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// defaultProtected is used when the caller names no protected paths.
func defaultProtected() []string { return []string{".claude", ".git", ".mcp.json"} }

// mustNotCreate are the protected names a command may not create where they are missing
// (a placeholder is mounted there while it runs): creating one alone grants permissions
// (.claude), adds servers (.mcp.json) or runs commands later, outside the sandbox. The other
// protected names are only kept read-only where they exist, to spare the project a crowd
// of placeholders; in home, where shell start-up files matter, every name is guarded.
func mustNotCreate() []string {
	return []string{".claude", ".mcp.json", ".git/hooks", ".git/config", ".envrc", ".vscode"}
}

// readOnly lists what must stay read-only inside the writable directories: denyWrite,
// Options.ReadOnly, and the protected names in each writable directory and in home; guard
// holds those that must not be created either.
func (s *Sandbox) readOnly(writable []string) (paths []string, guard map[string]bool) {
	names := s.opts.Protected
	if names == nil {
		names = defaultProtected()
	}
	roots := slices.Concat(s.opts.Dirs, s.cfg.AllowWrite)
	if s.opts.Home != "" {
		roots = append(roots, s.opts.Home)
	}
	out := slices.Concat(s.cfg.DenyWrite, s.opts.ReadOnly)
	guard = map[string]bool{}
	for _, d := range roots {
		for _, n := range names {
			rels := []string{n}
			if n == ".git" {
				rels = []string{".git/hooks", ".git/config"}
			}
			for _, rel := range rels {
				p := filepath.Join(d, filepath.FromSlash(rel))
				out = append(out, p)
				guard[p] = guard[p] || d == s.opts.Home || slices.Contains(mustNotCreate(), rel)
			}
		}
	}
	out = slices.DeleteFunc(out, func(p string) bool { return !inside(p, writable) })
	slices.Sort(out)
	return slices.Compact(out), guard
}

// firstMissing returns the outermost missing component of p, the one a command would have to
// create to reach p, when it lies in a writable directory; "" otherwise.
func firstMissing(p string, writable []string) string {
	for {
		parent := filepath.Dir(p)
		if parent == p {
			return ""
		}
		if _, err := os.Lstat(parent); err == nil {
			if inside(p, writable) {
				return p
			}
			return ""
		}
		p = parent
	}
}

// between returns the directories strictly between p and the writable directory holding it,
// outermost first.
func between(p string, writable []string) []string {
	var out []string
	for d := filepath.Dir(p); inside(d, writable); d = filepath.Dir(d) {
		out = append([]string{d}, out...)
	}
	return out
}

// inside reports whether p lies strictly below one of dirs.
func inside(p string, dirs []string) bool {
	for _, d := range dirs {
		if p != d && within(p, d) {
			return true
		}
	}
	return false
}

// hidden lists what commands may not read: credential files, strata's own state, and
// denyRead, less allowRead.
func (s *Sandbox) hidden() []string {
	var out []string
	if s.opts.Home != "" {
		for _, p := range credentialPaths {
			out = append(out, filepath.Join(s.opts.Home, p))
		}
	}
	out = append(append(out, s.opts.Hidden...), s.cfg.DenyRead...)
	out = slices.DeleteFunc(out, func(p string) bool { return slices.Contains(s.cfg.AllowRead, p) })
	out = existing(out)
	// What lies inside a hidden directory is gone with it; mounting it again would fail,
	// since the empty directory that hides its parent has no such entry.
	return slices.DeleteFunc(out, func(p string) bool { return inside(p, out) })
}

func existing(paths []string) []string {
	out := paths[:0:0]
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// visible reports whether p can be seen inside the sandbox at all: /tmp is a fresh empty
// file system there, so what lies in the host's /tmp is only visible through a writable
// directory bound back in.
func visible(p string, writable []string) bool {
	for _, d := range writable {
		if within(p, d) {
			return true
		}
	}
	return !within(p, "/tmp")
}

func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}

// sandboxEnv points the command at the proxy and the private temporary directory.
func sandboxEnv(env []string, tmp string) []string {
	proxyURL := fmt.Sprintf("http://127.0.0.1:%d", proxyPort)
	out := slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "TMPDIR":
			return true
		}
		return false
	})
	return append(out, "HTTP_PROXY="+proxyURL, "HTTPS_PROXY="+proxyURL, "http_proxy="+proxyURL,
		"https_proxy="+proxyURL, "NO_PROXY=localhost,127.0.0.1,::1", "no_proxy=localhost,127.0.0.1,::1",
		"TMPDIR="+tmp, "STRATA_SANDBOX=1")
}

// sandboxSigns are what a command prints when the sandbox, not the command, stopped it.
var sandboxSigns = []string{
	deniedMarker, "Read-only file system", "Operation not permitted", "Permission denied",
	"CONNECT tunnel failed", "Could not resolve host", "Temporary failure in name resolution",
	"Network is unreachable", "Name or service not known",
}

// Explain returns a note for the model when the output of a failed sandboxed command looks
// like the sandbox stopped it, saying what it may do next; "" otherwise.
func (s *Sandbox) Explain(output string) string {
	if s == nil {
		return ""
	}
	hit := ""
	for _, sign := range sandboxSigns {
		if strings.Contains(output, sign) {
			hit = sign
			break
		}
	}
	if hit == "" {
		return ""
	}
	note := fmt.Sprintf("This command ran in strata's sandbox, and the failure (%q) may come from it: outside the working "+
		"directories the file system is read-only, credential files are hidden, and the network reaches only the hosts in "+
		"sandbox.network.allowedDomains.", hit)
	if s.cfg.AllowUnsandboxed {
		return note + " If the sandbox caused it, retry with dangerouslyDisableSandbox: true — the user will be asked to " +
			"approve running it outside — and mention that /sandbox shows the restrictions."
	}
	return note + " Policy forbids running commands outside the sandbox (allowUnsandboxedCommands: false); ask the user " +
		"to adjust the sandbox settings instead."
}
