package permission

import (
	"encoding/json"
	"strings"
	"testing"
)

func mustRules(t *testing.T, texts ...string) []Rule {
	t.Helper()
	var out []Rule
	for _, s := range texts {
		r, err := ParseRule(s, "test")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func input(kv map[string]string) json.RawMessage {
	b, _ := json.Marshal(kv)
	return b
}

func TestCheck(t *testing.T) {
	c := &Checker{
		Mode:       ModeDefault,
		AllowRules: mustRules(t, "Bash(go test:*)", "Bash(git status)", "WebFetch(domain:go.dev)", "mcp__docs"),
		AskRules:   mustRules(t, "Bash(go test ./secret/...)"),
		DenyRules:  mustRules(t, "Bash(rm:*)", "Read(//etc/**)", "Edit(./vendor/**)"),
		Dirs:       []string{"/work/p"},
	}
	cases := []struct {
		name     string
		call     Call
		want     Behavior
		wantRule string
	}{
		{"prefix allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test ./..."})}, Allow, "Bash(go test:*)"},
		{"prefix word boundary", Call{Tool: "Bash", Input: input(map[string]string{"command": "go testify"})}, Ask, ""},
		{"exact allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "git status"})}, Allow, "Bash(git status)"},
		{"exact with extra args asks", Call{Tool: "Bash", Input: input(map[string]string{"command": "git status -z"})}, Ask, ""},
		{"compound with a denied part", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test ./... && rm -rf /"})}, Deny, "Bash(rm:*)"},
		{"compound never allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test ./... && make"})}, Ask, ""},
		{"pipe into a shell might be rm", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test | sh"})}, Ask, "Bash(rm:*)"},
		{"subst might be the asked command", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test $(evil)"})}, Ask, "Bash(go test ./secret/...)"},
		{"subst never allowed", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test -run $(evil)"})}, Ask, ""},
		{"deny beats allow", Call{Tool: "Bash", Input: input(map[string]string{"command": "rm -rf x"})}, Deny, "Bash(rm:*)"},
		{"ask beats allow", Call{Tool: "Bash", Input: input(map[string]string{"command": "go test ./secret/..."})}, Ask, "Bash(go test ./secret/...)"},
		{"read inside cwd", Call{Tool: "Read", Class: ClassRead, Input: input(map[string]string{"file_path": "/work/p/a.go"})}, Allow, ""},
		{"read outside asks", Call{Tool: "Read", Class: ClassRead, Input: input(map[string]string{"file_path": "/home/u/a"})}, Ask, ""},
		{"read rule denies grep", Call{Tool: "Grep", Class: ClassRead, Input: input(map[string]string{"path": "/etc/passwd"})}, Deny, "Read(//etc/**)"},
		{"edit rule covers write", Call{Tool: "Write", Class: ClassEdit, Input: input(map[string]string{"file_path": "/work/p/vendor/x.go"})}, Deny, "Edit(./vendor/**)"},
		{"edit asks in default", Call{Tool: "Edit", Class: ClassEdit, Input: input(map[string]string{"file_path": "/work/p/a.go"})}, Ask, ""},
		{"webfetch domain", Call{Tool: "WebFetch", Class: ClassNetwork, Input: input(map[string]string{"url": "https://pkg.go.dev/x"})}, Allow, "WebFetch(domain:go.dev)"},
		{"webfetch other domain", Call{Tool: "WebFetch", Input: input(map[string]string{"url": "https://evil.example/go.dev"})}, Ask, ""},
		{"mcp server rule", Call{Tool: "mcp__docs__search"}, Allow, "mcp__docs"},
		{"mcp other server", Call{Tool: "mcp__other__search"}, Ask, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := c.Check(tc.call)
			if d.Behavior != tc.want || d.Rule != tc.wantRule {
				t.Fatalf("got %s by %q, want %s by %q", d.Behavior, d.Rule, tc.want, tc.wantRule)
			}
		})
	}
}

func TestModes(t *testing.T) {
	edit := Call{Tool: "Edit", Class: ClassEdit, Input: input(map[string]string{"file_path": "/p/a"})}
	bash := Call{Tool: "Bash", Input: input(map[string]string{"command": "make"})}
	read := Call{Tool: "Read", Class: ClassRead, Input: input(map[string]string{"file_path": "/p/a"})}
	cases := []struct {
		mode             Mode
		edit, bash, read Behavior
	}{
		{ModeDefault, Ask, Ask, Allow},
		{ModeAcceptEdits, Allow, Ask, Allow},
		{ModePlan, Deny, Deny, Allow},
		{ModeBypass, Allow, Allow, Allow},
	}
	for _, tc := range cases {
		c := &Checker{Mode: tc.mode, Dirs: []string{"/p"}}
		if got := c.Check(edit).Behavior; got != tc.edit {
			t.Errorf("%s edit: %s, want %s", tc.mode, got, tc.edit)
		}
		if got := c.Check(bash).Behavior; got != tc.bash {
			t.Errorf("%s bash: %s, want %s", tc.mode, got, tc.bash)
		}
		if got := c.Check(read).Behavior; got != tc.read {
			t.Errorf("%s read: %s, want %s", tc.mode, got, tc.read)
		}
	}
}

func TestParseRuleErrors(t *testing.T) {
	for _, s := range []string{"", "Bash(ls", "(x)", "Ba sh"} {
		if _, err := ParseRule(s, "settings.json"); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
}

func TestSplitRuleList(t *testing.T) {
	got := SplitRuleList("Bash(git diff:*) Edit,Read  WebFetch(domain:a.b)")
	want := []string{"Bash(git diff:*)", "Edit", "Read", "WebFetch(domain:a.b)"}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q", got)
		}
	}
}

func TestOtherToolRules(t *testing.T) {
	c := &Checker{
		AllowRules: mustRules(t, "WebFetch(domain:go.dev)", "mcp__docs", "mcp__gh__*", "Task"),
		DenyRules:  mustRules(t, "mcp__gh__delete_repo", "Task(deployer)", "WebFetch(domain:evil.example)"),
		Dirs:       []string{"/p"},
	}
	web := func(u string) Call {
		return Call{Tool: "WebFetch", Class: ClassNetwork, Input: input(map[string]string{"url": u})}
	}
	cases := []struct {
		name string
		call Call
		want Behavior
		rule string
	}{
		{"domain", web("https://go.dev/doc"), Allow, "WebFetch(domain:go.dev)"},
		{"subdomain", web("https://pkg.go.dev/x"), Allow, "WebFetch(domain:go.dev)"},
		{"lookalike", web("https://go.dev.evil.example/"), Deny, "WebFetch(domain:evil.example)"},
		{"other domain asks although read-only", web("https://example.com/go.dev"), Ask, ""},
		{"userinfo trick", web("https://go.dev@example.com/"), Ask, ""},
		{"mcp server", Call{Tool: "mcp__docs__search"}, Allow, "mcp__docs"},
		{"mcp server star", Call{Tool: "mcp__gh__create_issue"}, Allow, "mcp__gh__*"},
		{"mcp tool deny", Call{Tool: "mcp__gh__delete_repo"}, Deny, "mcp__gh__delete_repo"},
		{"mcp prefix is not a server", Call{Tool: "mcp__docsx__search"}, Ask, ""},
		{"task", Call{Tool: "Agent", Input: input(map[string]string{"subagent_type": "general-purpose"})}, Allow, "Task"},
		{"task agent deny", Call{Tool: "Agent", Input: input(map[string]string{"subagent_type": "deployer"})}, Deny, "Task(deployer)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := c.Check(tc.call)
			if d.Behavior != tc.want || d.Rule != tc.rule {
				t.Fatalf("got %s by %q, want %s by %q", d.Behavior, d.Rule, tc.want, tc.rule)
			}
		})
	}
}

func TestPlanModeAndOutside(t *testing.T) {
	c := &Checker{Mode: ModePlan, Dirs: []string{"/p"}, AllowRules: mustRules(t, "Bash(ls:*)", "Edit")}
	d := c.Check(Call{Tool: "Edit", Class: ClassEdit, Input: input(map[string]string{"file_path": "/p/a"})})
	if d.Behavior != Deny || !strings.Contains(d.Reason, "Plan mode") {
		t.Errorf("plan edit: %+v", d)
	}
	if d := c.Check(bashCall("ls")); d.Behavior != Deny {
		t.Errorf("plan mode let an allowed Bash command run: %+v", d)
	}
	if d := c.Check(Call{Tool: "Read", Class: ClassRead, Input: input(map[string]string{"file_path": "/elsewhere/a"})}); d.Behavior != Ask {
		t.Errorf("plan read outside: %+v", d)
	}
	c.Mode = ModeAcceptEdits
	if d := c.Check(Call{Tool: "Write", Class: ClassEdit, Input: input(map[string]string{"file_path": "/elsewhere/a"})}); d.Behavior != Ask || !strings.Contains(d.Reason, "outside") {
		t.Errorf("acceptEdits outside: %+v", d)
	}
	c.Mode = ModeBypass
	c.DenyRules = mustRules(t, "Edit(//p/locked/**)")
	if d := c.Check(Call{Tool: "Write", Class: ClassEdit, Input: input(map[string]string{"file_path": "/p/locked/a"})}); d.Behavior != Deny {
		t.Errorf("bypass ignored a deny rule: %+v", d)
	}
}

func TestParseRuleChecksSpecifiers(t *testing.T) {
	bad := []string{"Bash()", "Bash(rm:*:*)", "Bash(foo:*bar)", "Bash(a && b)", "Bash(a; b)", "Bash($(x))",
		"Bash(echo > $F)", "Bash($CMD:*)", "Bash(:*)", "Read([)", "Read(!secret)", "Edit()", "WebFetch(example.com)",
		"WebFetch(domain:)", "WebFetch(domain:a/b)", "TodoWrite(x)", "mcp__s__t(x)", "Bash(x", "Ba sh", "(x)"}
	for _, s := range bad {
		_, err := ParseRule(s, "/p/.claude/settings.json")
		if err == nil {
			t.Errorf("%q parsed", s)
			continue
		}
		if !strings.Contains(err.Error(), "/p/.claude/settings.json") || !strings.Contains(err.Error(), s) {
			t.Errorf("%q: error %q does not name the file and the rule", s, err)
		}
	}
	good := []string{"Bash", "Bash(*)", "Bash(npm run *)", "Bash(git * main)", `Bash(git commit -m "wip")`,
		"Bash(FOO=1 make:*)", "Read(~/x)", "Read(//x/**)", "Edit(/src/**)", "Edit(./a)", "Read(*.env)",
		"WebFetch(domain:go.dev)", "mcp__gh", "mcp__gh__*", "mcp__gh__create", "SlashCommand(/commit)", "NotebookEdit(a.ipynb)"}
	for _, s := range good {
		if _, err := ParseRule(s, "x"); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
}

func TestValidate(t *testing.T) {
	c := &Checker{
		AllowRules: []Rule{{Tool: "Bash", Specifier: "a && b", Source: "one.json"}},
		DenyRules:  []Rule{{Text: "Read(~/.ssh/**)", Tool: "Read", Specifier: "~/.ssh/**", Source: "two.json"}},
	}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "one.json") || !strings.Contains(err.Error(), "two.json") {
		t.Fatalf("Validate: %v", err)
	}
	c.Home, c.AllowRules = "/home/u", nil
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate with a home: %v", err)
	}
}

func TestAllowAlways(t *testing.T) {
	c := &Checker{Dirs: []string{"/p"}}
	call := bashCall("npm run test -- -x")
	if d := c.Check(call); d.Behavior != Ask {
		t.Fatalf("before: %s", d.Behavior)
	}
	rule := c.SuggestRule(call)
	if rule != "Bash(npm run test:*)" {
		t.Fatalf("suggested %q", rule)
	}
	if err := c.AllowAlways(rule); err != nil {
		t.Fatal(err)
	}
	if d := c.Check(call); d.Behavior != Allow || d.Rule != rule {
		t.Fatalf("after: %s by %q", d.Behavior, d.Rule)
	}
	if err := c.AllowAlways(rule); err != nil || len(c.AllowRules) != 1 {
		t.Fatalf("a second AllowAlways of the same rule: %v, %d rules", err, len(c.AllowRules))
	}
	if err := c.AllowAlways("Bash(a && b)"); err == nil {
		t.Fatal("AllowAlways took a broken rule")
	}
}

func TestSuggestRule(t *testing.T) {
	dir := t.TempDir()
	c := &Checker{Dirs: []string{dir}}
	cases := []struct {
		call Call
		want string
	}{
		{bashCall("npm run test -- -x"), "Bash(npm run test:*)"},
		{bashCall("go test ./..."), "Bash(go test:*)"},
		{bashCall("git status"), "Bash(git status)"},
		{bashCall("ls -la"), "Bash(ls:*)"},
		{bashCall("./build.sh --fast"), "Bash(./build.sh:*)"},
		{bashCall("CGO_ENABLED=0 go build -o x"), "Bash(CGO_ENABLED=0 go build:*)"},
		{bashCall("make > build.log"), "Bash(make >build.log)"},
		{bashCall(`git commit -m "a b"`), "Bash(git commit:*)"},
		{bashCall("git status && rm -rf /"), ""},
		{bashCall("echo $(date)"), ""},
		{bashCall("ls $DIR"), ""},
		{bashCall(`bash -c "x"`), `Bash(bash -c x)`},
		{Call{Tool: "Edit", Input: input(map[string]string{"file_path": dir + "/a.go"})}, "Edit"},
		{Call{Tool: "Write", Input: input(map[string]string{"file_path": "/nonexistent-dir/x/a.go"})}, "Edit(//nonexistent-dir/x/**)"},
		{Call{Tool: "Grep", Input: input(map[string]string{"path": "/nonexistent-dir/logs"})}, "Read(//nonexistent-dir/**)"},
		{Call{Tool: "WebFetch", Input: input(map[string]string{"url": "https://Docs.Example.com/a"})}, "WebFetch(domain:docs.example.com)"},
		{Call{Tool: "mcp__gh__create_issue"}, "mcp__gh__create_issue"},
	}
	for _, tc := range cases {
		got := c.SuggestRule(tc.call)
		if got != tc.want {
			t.Errorf("%s %s: got %q, want %q", tc.call.Tool, tc.call.Input, got, tc.want)
			continue
		}
		if got == "" {
			continue
		}
		// Every suggestion parses and allows the call it came from.
		r, err := ParseRule(got, "test")
		if err != nil {
			t.Errorf("suggestion %q does not parse: %v", got, err)
			continue
		}
		if tc.call.Tool == "Edit" || tc.call.Tool == "Bash" {
			c2 := &Checker{Dirs: c.Dirs, AllowRules: []Rule{r}}
			if d := c2.Check(tc.call); d.Behavior != Allow {
				t.Errorf("suggestion %q does not allow %s: %s", got, tc.call.Input, d.Behavior)
			}
		}
	}
}

// TestSetModeWhileChecking: Shift+Tab may change the mode while a turn's calls are checked;
// -race proves the two do not conflict, and the change applies to the next check.
func TestSetModeWhileChecking(t *testing.T) {
	c := &Checker{Mode: ModeDefault, Dirs: []string{"/p"}}
	edit := Call{Tool: "Edit", Class: ClassEdit, Input: input(map[string]string{"file_path": "/p/a"})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			c.Check(edit)
		}
	}()
	for i := 0; i < 200; i++ {
		c.SetMode([]Mode{ModeDefault, ModeAcceptEdits}[i%2])
	}
	<-done
	c.SetMode(ModeAcceptEdits)
	if got := c.Check(edit).Behavior; got != Allow || c.CurrentMode() != ModeAcceptEdits {
		t.Fatalf("after SetMode(acceptEdits): %s", got)
	}
}

// A copy's mode and granted rules stay its own (sub-agents, a command's allowed-tools), and
// granting refuses rules that name protected paths.
func TestWithModeAndGrant(t *testing.T) {
	dir := t.TempDir()
	base := &Checker{Mode: ModeDefault, Dirs: []string{dir}, AllowRules: make([]Rule, 0, 8)}
	cp := base.WithMode(ModePlan)
	if err := cp.Grant("Bash(git stash:*)", "skill x"); err != nil {
		t.Fatal(err)
	}
	call := Call{Tool: "Bash", Input: input(map[string]string{"command": "git stash"}), Class: ClassExecute, Cwd: dir}
	if base.CurrentMode() != ModeDefault || len(base.AllowRules) != 0 || base.Check(call).Behavior != Ask {
		t.Errorf("the copy changed the original: mode %s, rules %v", base.CurrentMode(), base.AllowRules)
	}
	if d := cp.WithMode(ModeDefault).Check(call); d.Behavior != Allow {
		t.Errorf("granted rule not applied: %+v", d)
	}
	if err := base.Grant("Edit(.git/**)", "skill x"); err == nil {
		t.Error("a rule naming a protected path was granted")
	}
}

func TestDontAskModeRefusesWhatWouldAsk(t *testing.T) {
	c := &Checker{Mode: ModeDontAsk, Dirs: []string{"/w"}, Cwd: "/w"}
	r, err := ParseRule("Bash(ls:*)", "test")
	if err != nil {
		t.Fatal(err)
	}
	c.AllowRules = []Rule{r}
	if d := c.Check(Call{Tool: "Bash", Input: []byte(`{"command":"ls -l"}`), Class: ClassExecute, Cwd: "/w"}); d.Behavior != Allow {
		t.Fatalf("an allowed call: %+v", d)
	}
	d := c.Check(Call{Tool: "Bash", Input: []byte(`{"command":"rm -rf build"}`), Class: ClassExecute, Cwd: "/w"})
	if d.Behavior != Deny || !strings.Contains(d.Reason, "dontAsk") {
		t.Fatalf("a call that would ask: %+v", d)
	}
	if _, err := ParseMode("auto"); err == nil || !strings.Contains(err.Error(), "classifier") {
		t.Fatalf("ParseMode(auto) = %v", err)
	}
}

func TestRestrictAddsDenyAndAskRules(t *testing.T) {
	c := &Checker{Dirs: []string{"/p"}, AllowRules: mustRules(t, "Bash(npm:*)")}
	if err := c.Restrict("Bash(npm publish:*)", true, "sdk"); err != nil {
		t.Fatal(err)
	}
	if err := c.Restrict("Bash(npm install:*)", false, "sdk"); err != nil {
		t.Fatal(err)
	}
	if d := c.Check(bashCall("npm publish --tag x")); d.Behavior != Deny {
		t.Fatalf("npm publish: %s", d.Behavior)
	}
	if d := c.Check(bashCall("npm install left-pad")); d.Behavior != Ask {
		t.Fatalf("npm install: %s", d.Behavior)
	}
	if d := c.Check(bashCall("npm test")); d.Behavior != Allow {
		t.Fatalf("npm test: %s", d.Behavior)
	}
	if err := c.Restrict("Bash(npm publish:*)", true, "sdk"); err != nil || len(c.DenyRules) != 1 {
		t.Fatalf("the same rule twice: %v, %d rules", err, len(c.DenyRules))
	}
}
