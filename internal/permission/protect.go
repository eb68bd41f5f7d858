package permission

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Protected paths are files whose contents decide what other programs run or what strata
// allows: git's configuration and hooks, shell start-up files, editor tasks, direnv, package
// manager settings, and strata's own settings. A model that may edit files (acceptEdits, an
// `Edit` rule, bypassPermissions) could otherwise turn that into running any command
// (`fsmonitor = …` in .git/config, then the allowed `git status`) or into allowing itself
// everything (`"allow": ["Bash"]` in .claude/settings.local.json). So a write to one always
// asks, in every mode, unless an allow rule names the path itself.

// protectedDirs are directory names everything inside of which is protected.
func protectedDirs() []string { return []string{".git", ".claude", ".vscode", ".idea", ".husky"} }

// protectedFiles are file names that are protected in any directory.
func protectedFiles() []string {
	return []string{".mcp.json", ".claude.json", ".envrc", ".gitconfig", ".gitmodules", ".npmrc", ".yarnrc", ".yarnrc.yml",
		".pypirc", ".ripgreprc",
		".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zprofile", ".zshenv",
		".zlogin", ".zlogout", ".kshrc", ".mkshrc", ".cshrc", ".tcshrc", ".login", ".logout"}
}

// protectedXDG are the configuration directories under XDG_CONFIG_HOME that are protected.
func protectedXDG() []string { return []string{"git", "fish"} }

// ProtectedNames lists every protected name — directories, files, and the XDG configuration
// directories as ".config/git" — so that the Bash sandbox keeps the same list read-only.
func ProtectedNames() []string {
	out := slices.Concat(protectedDirs(), protectedFiles())
	for _, d := range protectedXDG() {
		out = append(out, ".config/"+d)
	}
	return out
}

func protectedDir(name string) bool  { return slices.Contains(protectedDirs(), name) }
func protectedFile(name string) bool { return slices.Contains(protectedFiles(), name) }

// protectedName returns the part of an absolute, clean path that makes it protected (".git",
// ".bashrc", ".config/git"), or "". With fold, case is ignored: on macOS and Windows
// .GIT/config is git's configuration.
func protectedName(p string, fold bool) string {
	segs := strings.Split(filepath.ToSlash(foldPath(p, fold)), "/")
	for i, s := range segs {
		switch {
		case protectedDir(s):
			return s
		case i == len(segs)-1 && protectedFile(s):
			return s
		case s == ".config" && i+1 < len(segs) && slices.Contains(protectedXDG(), segs[i+1]):
			return s + "/" + segs[i+1] // git's and fish's configuration under XDG_CONFIG_HOME
		}
	}
	return ""
}

// protection says why a path is protected: the name that makes it so, and the rule text an
// allow rule must contain literally to name it.
type protection struct {
	path string // the path the call reaches
	name string // ".git", ".bashrc", or a path from Checker.Protected
}

// protects reports whether writing p (absolute) is protected, looking at the path as written
// and as resolved through symlinks.
func (c *Checker) protects(p string) (protection, bool) {
	lexical := filepath.Clean(p)
	fold := c.foldCase()
	for _, q := range []string{lexical, resolvePath(lexical)} {
		if n := protectedName(q, fold); n != "" {
			return protection{path: lexical, name: n}, true
		}
		q = foldPath(q, fold)
		for _, extra := range c.Protected {
			extra = filepath.Clean(extra)
			if inside(foldPath(extra, fold), q) || inside(foldPath(resolvePath(extra), fold), q) {
				return protection{path: lexical, name: filepath.Base(extra)}, true
			}
		}
	}
	return protection{}, false
}

// protectedReason is what the person (or, in print mode, the model) is told.
func protectedReason(pr protection) string {
	return fmt.Sprintf("%s is a protected path (%s): what is written there can make programs run commands or change "+
		"strata's permissions, so writing it always asks, in every mode, unless an allow rule names it.", pr.path, pr.name)
}

// namesProtected reports whether a path rule's pattern spells out the protected name as
// literal path segments: `Edit(.git/config)` or `Edit(//home/u/.bashrc)` name what they
// allow; `Edit`, `Edit(**)` and `Edit(src/**)` do not.
func namesProtected(r Rule, name string) bool {
	if r.path == nil {
		return false
	}
	want := strings.Split(name, "/")
	segs := strings.Split(r.path.pattern, "/")
	for i := 0; i+len(want) <= len(segs); i++ {
		match := true
		for j, w := range want {
			match = match && segs[i+j] == w
		}
		if match {
			return true
		}
	}
	return false
}

// ruleNamesProtected reports whether an allow rule could let a call write a protected path
// without asking: a path rule spelling out a protected name, or a Bash rule whose command
// writes one. "Allow always" never saves such a rule: the dialog's answer covers one call,
// and only a rule a person writes into settings may allow writing these files.
func (c *Checker) ruleNamesProtected(r Rule) bool {
	r, ok := r.compiled()
	if !ok {
		return false
	}
	switch {
	case r.path != nil:
		if protectedName("/"+r.path.pattern, c.foldCase()) != "" {
			return true
		}
		for _, extra := range c.Protected {
			if namesProtected(r, filepath.Base(extra)) {
				return true
			}
		}
	case r.bash != nil:
		body := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(r.Specifier), ":*"), " *")
		line := parseCommand(body, 0)
		_, hit := c.bashProtected(&line, c.cwd(Call{}))
		return hit
	}
	return false
}

// writesProtected reports whether the call writes a protected path that no allow rule names:
// an edit tool's file, or a file a Bash line writes.
func (c *Checker) writesProtected(s *subject) (protection, bool) {
	switch {
	case s.call.Tool == "Bash":
		return c.bashWritesProtected(s.line, c.cwd(s.call))
	case !isEditTool(s.call.Tool):
		return protection{}, false
	}
	pr, ok := c.protects(s.paths.lexical) // as written and as resolved
	if !ok {
		return protection{}, false
	}
	for _, r := range c.AllowRules {
		cr, ok := r.compiled()
		if ok && cr.path != nil && toolMatches(r.Tool, s.call.Tool) && namesProtected(cr, pr.name) && c.pathMatches(cr, s.paths.real) {
			return protection{}, false
		}
	}
	return pr, true
}
