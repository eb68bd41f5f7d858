package permission

import "testing"

func TestRuntimeRulesAndDirs(t *testing.T) {
	c := &Checker{Mode: ModeDefault, Dirs: []string{"/work/p"}}
	read := Call{Tool: "Read", Class: ClassRead, Input: input(map[string]string{"file_path": "/data/shared/notes.txt"})}
	if d := c.Check(read); d.Behavior != Ask {
		t.Fatalf("a read outside the working directories: %v", d.Behavior)
	}
	c.AddDir("/data/shared/")
	c.AddDir("/data/shared")
	if got := c.WorkingDirs(); len(got) != 2 || got[1] != "/data/shared" {
		t.Fatalf("working directories: %v", got)
	}
	if d := c.Check(read); d.Behavior != Allow {
		t.Fatalf("a read in an added directory: %v %s", d.Behavior, d.Reason)
	}

	deny := mustRules(t, "Read(//data/shared/**)")[0]
	deny.Source = "/u/settings.json"
	if err := c.AddRule(Deny, deny); err != nil {
		t.Fatal(err)
	}
	if err := c.AddRule("sometimes", deny); err == nil {
		t.Fatal("an unknown list was accepted")
	}
	if d := c.Check(read); d.Behavior != Deny {
		t.Fatalf("after a deny rule was added: %v", d.Behavior)
	}
	if n, _ := c.RemoveRule(Deny, deny.Text, "elsewhere"); n != 0 {
		t.Fatal("a rule of another source was removed")
	}
	if n, _ := c.RemoveRule(Deny, deny.Text, ""); n != 1 {
		t.Fatalf("removed %d rules", n)
	}
	if _, _, d := c.RuleLists(); len(d) != 0 || c.Check(read).Behavior != Allow {
		t.Fatalf("after removing the rule: %v", d)
	}
}
