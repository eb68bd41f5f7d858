package skills

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadAndBody(t *testing.T) {
	user, project := t.TempDir(), t.TempDir()
	write(t, filepath.Join(user, "pdf", FileName), "---\ndescription: user pdf\nallowed-tools: [Read, \"Bash(pdftotext:*)\"]\n---\nUse ${CLAUDE_SKILL_DIR}/x.py on $ARGUMENTS.\n")
	write(t, filepath.Join(project, "pdf", FileName), "---\ndescription: project pdf\n---\nproject")
	write(t, filepath.Join(project, "quiet", FileName), "---\ndescription: q\nuser-invocable: false\ndisable-model-invocation: true\n---\nNo args here.")
	write(t, filepath.Join(project, "broken", FileName), "---\nname: bad name\ndescription: x\n---\n")
	write(t, filepath.Join(project, "notes", "README.md"), "not a skill")
	u, problems := LoadDir(user, SourceUser)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	p, problems := LoadDir(project, SourceProject)
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "bad name") {
		t.Errorf("problems = %v", problems)
	}
	set := NewSet(u, p)
	pdf, _ := set.Lookup("pdf")
	if pdf.Description != "user pdf" || len(pdf.AllowedTools) != 2 || !pdf.UserInvocable || !pdf.ModelInvocable {
		t.Errorf("the personal skill should win: %+v", pdf)
	}
	body, err := pdf.Body("a.pdf")
	if err != nil || body != "Use "+filepath.Join(user, "pdf")+"/x.py on a.pdf." {
		t.Errorf("body = %q, %v", body, err)
	}
	quiet, _ := set.Lookup("quiet")
	if quiet.UserInvocable || quiet.ModelInvocable {
		t.Errorf("quiet = %+v", quiet)
	}
	if body, _ := quiet.Body("x y"); !strings.HasSuffix(body, "ARGUMENTS: x y") {
		t.Errorf("arguments without $ARGUMENTS are lost: %q", body)
	}
	if n := len(set.All()); n != 2 {
		t.Errorf("All has %d skills", n)
	}
}
