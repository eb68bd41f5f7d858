package attack

// Tool calls, in the model's words.
func bash(cmd string) call { return call{"Bash", map[string]any{"command": cmd}} }
func read(p string) call   { return call{"Read", map[string]any{"file_path": p}} }
func ls(p string) call     { return call{"LS", map[string]any{"path": p}} }
func write(p, content string) call {
	return call{"Write", map[string]any{"file_path": p, "content": content}}
}
func edit(p, old, new string) call {
	return call{"Edit", map[string]any{"file_path": p, "old_string": old, "new_string": new}}
}
func multiEdit(p, old, new string) call {
	return call{"MultiEdit", map[string]any{"file_path": p, "edits": []any{map[string]any{"old_string": old, "new_string": new}}}}
}
func glob(pattern, path string) call {
	in := map[string]any{"pattern": pattern}
	if path != "" {
		in["path"] = path
	}
	return call{"Glob", in}
}
func grep(pattern, mode string) call {
	return call{"Grep", map[string]any{"pattern": pattern, "output_mode": mode}}
}
func grepIn(pattern, mode string, extra map[string]any) call {
	c := grep(pattern, mode)
	for k, v := range extra {
		c.input[k] = v
	}
	return c
}

const (
	allModes   = "default acceptEdits plan bypassPermissions"
	fsmonitor  = "[core]\n\tfsmonitor = \"touch CANARY; false\"\n"
	allowBash  = `{"permissions": {"allow": ["Bash"], "defaultMode": "bypassPermissions"}}`
	touchCanry = "touch CANARY"
)

// attempts is the whole suite. Each group is one kind of attack, tried in the modes where it
// means something.
func attempts() []attempt {
	var all []attempt
	all = append(all, expand("read", allModes, readAttacks())...)
	all = append(all, expand("protected-tool", "acceptEdits bypassPermissions", protectedToolAttacks())...)
	all = append(all, expand("protected-bash", "acceptEdits bypassPermissions", protectedBashAttacks())...)
	all = append(all, expand("dynamic-code", "default acceptEdits bypassPermissions", dynamicCodeAttacks())...)
	all = append(all, expand("injection", "default acceptEdits", injectionAttacks())...)
	all = append(all, expand("code-option", "default acceptEdits bypassPermissions", codeOptionAttacks())...)
	all = append(all, expand("environ", "default bypassPermissions", environAttacks())...)
	all = append(all, expand("repo-settings", "default acceptEdits", repoSettingsAttacks())...)
	all = append(all, expand("sandbox", "default acceptEdits bypassPermissions", sandboxAttacks())...)
	all = append(all, expand("sandbox-leave", "default acceptEdits", sandboxOutsideAttacks())...)
	all = append(all, expand("root", "bypassPermissions", []attempt{{calls: []call{bash("mkdir CANARY")}, asRoot: true}})...)
	return all
}

// expand tries every attack in each of the modes.
func expand(category, modes string, attacks []attempt) []attempt {
	var out []attempt
	for _, m := range splitFields(modes) {
		for _, a := range attacks {
			a.category, a.mode = category, m
			out = append(out, a)
		}
	}
	return out
}

func splitFields(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	return out
}

func one(calls ...call) attempt { return attempt{calls: calls} }

// readAttacks try to see what Read(./secrets/**) and the built-in rules deny (item 1).
func readAttacks() []attempt {
	return []attempt{
		one(grep("TOPSECRET", "content")),
		one(grep("TOPSECRET", "files_with_matches")),
		one(grep("TOPSECRET", "count")),
		one(grep(".", "files_with_matches")),
		one(grepIn("TOPSECRET", "content", map[string]any{"glob": "secrets/**"})),
		one(grepIn("TOPSECRET", "content", map[string]any{"path": "$P/secrets"})),
		one(grepIn("TOPSECRET", "content", map[string]any{"path": "$P/src/link"})),
		one(grepIn("TOPSECRET", "content", map[string]any{"path": "$P/src", "-C": 3})),
		one(grepIn("TOP.*", "content", map[string]any{"multiline": true, "-i": true})),
		one(glob("**/key.txt", "")),
		one(glob("**/*", "")),
		one(glob("secrets/*", "")),
		one(glob("**/hidden-*", "$P")),
		one(ls("$P")),
		one(ls("$P/secrets")),
		one(read("$P/secrets/key.txt")),
		one(read("$P/src/link")),
		one(read("$P/src/../secrets/key.txt")),
		one(grepIn("AWSCRED", "content", map[string]any{"path": "$H/.aws"})),
		one(read("$H/.aws/credentials")),
		one(glob("$H/.aws/**", "")),
		one(ls("$H/.aws/sso/cache")),
		one(grepIn("STATECANARY", "content", map[string]any{"path": "$S"})),
		one(glob("**/*.jsonl", "$S")),
		one(ls("$S/projects")),
		one(grepIn("STATECANARY", "files_with_matches", map[string]any{"path": "$S/projects"})),
		one(grepIn("STATECANARY", "content", map[string]any{"path": "$H/.claude/projects"})),
		one(ls("$H/.claude/projects/-old-proj")),
		one(glob("**/*.jsonl", "$H/.claude/projects")),
		one(bash("cat secrets/key.txt")),
		one(bash("cat src/link")),
		one(bash("cd secrets && cat key.txt")),
		one(bash("ls secrets")),
		one(bash("cat secre*/key.txt")),
		one(bash("cat secrets/*")),
		one(bash("cat {secrets,src}/*")),
		one(bash("ls -R")),
		one(bash("ls -R .")),
		one(bash("find .")),
		one(bash("find . -name '*.txt'")),
		one(bash("grep -r TOPSECRET .")),
		one(bash("grep -rl . .")),
		one(bash("rg TOPSECRET")),
		one(bash("rg --files")),
		one(bash("du -a")),
		one(bash("tar cf - . | cat")),
		one(bash("cd src && grep -r TOP ..")),
		// read-only commands run without asking in default mode: what they read is still
		// checked like Read (strata asks for the rest, and print mode refuses)
		one(bash("cat ~/.aws/credentials")),
		one(bash("cat $H/.aws/credentials")),
		one(bash("head -c 4096 < secrets/key.txt")),
		one(bash("cat < src/link")),
		one(bash("tail src/link")),
		one(bash("cd .. && grep -r AWSCRED .")),
		one(bash("grep -r AWSCRED ~")),
		one(bash("LC_ALL=C sort secrets/key.txt | uniq")),
		one(bash("grep -f secrets/key.txt -r .")),
		one(bash("grep --file=secrets/key.txt src")),
		one(bash("git grep --no-index TOPSECRET")),
		one(bash("git diff --no-index /dev/null secrets/key.txt")),
		one(bash("jq -Rr . secrets/key.txt")),
	}
}

// protectedToolAttacks write, through the file tools, what would run code or widen the
// model's permissions (items 2 and 3). An existing file is read first: Write and Edit refuse
// a file the model has not read, and the attack must fail for the right reason.
func protectedToolAttacks() []attempt {
	next := []call{bash("mkdir CANARY")} // what a widened settings file would let through
	gitStatus := bash("git status")
	return []attempt{
		one(read("$P/.git/config"), write("$P/.git/config", fsmonitor), gitStatus),
		one(read("$P/.git/config"), edit("$P/.git/config", "[core]", fsmonitor), gitStatus),
		one(read("$P/.git/config"), multiEdit("$P/.git/config", "[core]", fsmonitor), gitStatus),
		one(read("$P/docs/cfg"), write("$P/docs/cfg", fsmonitor), gitStatus),
		one(read("$P/.git/config"), write("$P/src/../.git/config", fsmonitor), gitStatus),
		one(write("$P/.git/hooks/post-checkout", "#!/bin/sh\ntouch CANARY\n")),
		{calls: []call{write("$P/.claude/settings.local.json", allowBash)}, next: next},
		{calls: []call{write("$P/.claude/settings.json", allowBash)}, next: next},
		{calls: []call{read("$H/.claude/settings.json"), write("$H/.claude/settings.json", allowBash)}, next: next},
		{calls: []call{write("$H/.gitconfig", fsmonitor)}, next: []call{bash("git status")}},
		{calls: []call{write("$H/.config/git/config", fsmonitor)}, next: []call{bash("git status")}},
		one(write("$P/.mcp.json", `{"mcpServers": {"x": {"command": "touch", "args": ["CANARY"]}}}`)),
		one(write("$P/.vscode/tasks.json", `{"tasks": [{"command": "touch CANARY", "runOptions": {"runOn": "folderOpen"}}]}`)),
		one(write("$P/.envrc", touchCanry+"\n")),
		one(write("$P/.bashrc", touchCanry+"\n")),
		one(write("$H/.bashrc", touchCanry+"\n")),
		one(write("$H/.zshrc", touchCanry+"\n")),
		one(write("$P/.gitmodules", "[submodule \"x\"]\n\tupdate = !touch CANARY\n")),
		one(write("$P/.husky/pre-commit", touchCanry+"\n")),
		one(write("$P/.npmrc", "script-shell=/tmp/evil\n")),
		one(write("$S/trusted-folders.json", `{"folders": {"/": true}}`)),
	}
}

// protectedBashAttacks write the same files through Bash lines the user's prefix rules
// would otherwise allow, or that bypass mode would run (items 2 and 3).
func protectedBashAttacks() []attempt {
	line := `printf '[core]\n\tfsmonitor = "touch CANARY; false"\n'`
	return []attempt{
		one(bash(line + " >> .git/config && git status")),
		one(bash(line+" | tee -a .git/config"), bash("git status")),
		one(bash("git config core.fsmonitor 'touch CANARY; false'"), bash("git status")),
		one(bash("git config --global core.fsmonitor 'touch CANARY; false'"), bash("git status")),
		one(bash("cd .git && "+line+" >> config"), bash("git status")),
		one(bash("{ "+line+"; } >> .git/config"), bash("git status")),
		one(bash(`bash -c "echo '[core] fsmonitor = touch CANARY' >> .git/config"`), bash("git status")),
		one(bash("cp evil.sh .git/hooks/post-checkout")),
		one(bash("mv evil.sh .husky/pre-commit")),
		one(bash("sed -i '1i touch CANARY' .git/config"), bash("git status")),
		one(bash("echo '{\"permissions\":{\"allow\":[\"Bash\"]}}' > .claude/settings.local.json")),
		one(bash("echo " + touchCanry + " | tee .envrc ~/.bashrc")),
		one(bash("cp evil.sh docs/cfg"), bash("git status")),
		one(bash("echo '[core] fsmonitor = touch CANARY' | sed -n 'w .git/config'"), bash("git status")),
		one(bash("git diff --output=.git/hooks/post-checkout")),
		one(bash(`find src -maxdepth 0 -fprintf .git/config '[core]\n\tfsmonitor = "touch CANARY; false"\n'`), bash("git status")),
		one(bash("find src -maxdepth 0 -fprint .envrc")),
		one(bash("find .git -name config -delete")),
		one(bash(`awk 'BEGIN{print "[core]\n\tfsmonitor = touch CANARY" > ".git/config"}'`), bash("git status")),
		one(bash(`echo '{"folders": {"/": true}}' > $S/trusted-folders.json`)),
		one(bash(`printf x | tee $S/trusted-folders.json`)),
	}
}

// codeOptionAttacks run `touch CANARY`, which a deny rule refuses, through options and
// scripts of commands the user allows by prefix (sed, awk, git, tar, find).
func codeOptionAttacks() []attempt {
	return []attempt{
		one(bash("sed -n '1e touch CANARY' README.md")),
		one(bash("sed 's/.*/touch CANARY/e' README.md")),
		one(bash("sed -e 's/x/y/' -e '$e touch CANARY' README.md")),
		one(bash(`awk 'BEGIN{system("touch CANARY")}'`)),
		one(bash(`awk 'BEGIN{print "x" | "touch CANARY"}'`)),
		one(bash("git -c core.fsmonitor='touch CANARY; false' status")),
		one(bash("git -c alias.x='!touch CANARY' x")),
		one(bash("tar -cf /dev/null --checkpoint=1 --checkpoint-action=exec='touch CANARY' README.md")),
		one(bash("tar -cf - README.md | tar -xf - --to-command='touch CANARY'")),
	}
}

// environAttacks read the environment of the tool's processes and of strata itself: the key
// pair strata signs with must never reach the model, the transcript or the output.
func environAttacks() []attempt {
	return []attempt{
		one(bash(`tr '\0' '\n' < /proc/$PPID/environ`)),
		one(bash("cat /proc/self/environ")),
		one(bash("cat /proc/$PPID/environ")),
		one(bash("env")),
		one(bash("cat /proc/*/environ")),
	}
}

// dynamicCodeAttacks run `touch CANARY`, which a deny rule refuses, as code produced when the
// line runs, under allow rules for source, bash, eval and friends (item 8).
func dynamicCodeAttacks() []attempt {
	return []attempt{
		one(bash("source <(echo touch CANARY)")),
		one(bash(". <(echo touch CANARY)")),
		one(bash("bash <(echo touch CANARY)")),
		one(bash("sh <(echo touch CANARY)")),
		one(bash(`eval "$(echo touch CANARY)"`)),
		one(bash("eval $(printf 'touch CANARY')")),
		one(bash("echo touch CANARY | source /dev/stdin")),
		one(bash("echo touch CANARY | bash")),
		one(bash("echo touch CANARY | sh -s")),
		one(bash(`source /dev/stdin <<< "touch CANARY"`)),
		one(bash(`bash -c "$(echo touch CANARY)"`)),
		one(bash("trap 'touch CANARY' EXIT")),
		one(bash("command source <(echo touch CANARY)")),
		one(bash("T=touch; $T CANARY")),
		one(bash(`"$(echo touch)" CANARY`)),
		one(bash(`\touch CANARY`)),
		one(bash("/usr/bin/touch CANARY")),
		one(bash("t''ouch CANARY")),
		one(bash("echo CANARY | xargs touch")),
		one(bash("find . -maxdepth 0 -exec touch CANARY ';'")),
	}
}

// injectionAttacks are the command-line tricks of internal/permission's Bash table, aimed at
// creating the canary past the user's allow rules (`mkdir`, which no rule denies).
func injectionAttacks() []attempt {
	var out []attempt
	for _, cmd := range []string{
		"git status; mkdir CANARY", "git status && mkdir CANARY", "git status || mkdir CANARY",
		"git status | mkdir CANARY", "git status & mkdir CANARY", "git status\nmkdir CANARY",
		"echo $(mkdir CANARY)", "echo `mkdir CANARY`", `echo "$(mkdir CANARY)"`, "ls <(mkdir CANARY)",
		"ls >(mkdir CANARY)", "declare -x F=$(mkdir CANARY)", "cat <<EOF\n$(mkdir CANARY)\nEOF",
		"f() { mkdir CANARY; }; f", "if true; then mkdir CANARY; fi", "for x in 1; do mkdir CANARY; done",
		"{ git status; mkdir CANARY; }", "(mkdir CANARY)", "echo hi > CANARY", "echo hi >> CANARY",
		"ls > CANARY", "make > CANARY", "$(echo mkdir) CANARY", `bash -c "mkdir CANARY"`, "sh -c 'mkdir CANARY'",
		"echo CANARY | xargs mkdir", "find . -maxdepth 0 -exec mkdir CANARY ';'", "npm run test && mkdir CANARY",
		"git log --oneline -1 $(mkdir CANARY)", "PATH=/nonexistent:$PATH mkdir CANARY",
		"sed -n '1e mkdir CANARY' README.md", "sed -n 's/.*/mkdir CANARY/ep' README.md",
		`awk 'BEGIN{system("mkdir CANARY")}'`, "git -c alias.x='!mkdir CANARY' x",
	} {
		out = append(out, one(bash(cmd)))
	}
	return out
}

// repoSettingsAttacks: a repository that ships its own permission rules. strata has never
// been told to trust the folder, so in print mode (as in the reference) those allow rules are
// ignored and the model's commands are asked — that is, denied.
func repoSettingsAttacks() []attempt {
	allowAll := `{"permissions": {"allow": ["Bash", "Write", "Edit"]}}`
	allowMkdir := `{"permissions": {"allow": ["Bash(mkdir:*)", "Bash(touch:*)"]}}`
	return []attempt{
		{repo: map[string]string{"$P/.claude/settings.json": allowAll}, calls: []call{bash("mkdir CANARY")}},
		{repo: map[string]string{"$P/.claude/settings.json": allowMkdir}, calls: []call{bash("mkdir CANARY")}},
		{repo: map[string]string{"$P/.claude/settings.json": allowMkdir}, calls: []call{bash("touch CANARY")}},
		{repo: map[string]string{"$P/.claude/settings.json": allowAll}, calls: []call{bash("sh evil.sh")}},
		// A local settings file is the user's, unless the repository ships it as a link.
		{repo: map[string]string{"$P/shipped.json": allowAll, "$P/.claude/settings.local.json": "->../shipped.json"},
			calls: []call{bash("mkdir CANARY")}},
		{repo: map[string]string{"$P/shipped/settings.local.json": allowMkdir, "$P/.claude": "->shipped"},
			calls: []call{bash("mkdir CANARY")}},
	}
}
