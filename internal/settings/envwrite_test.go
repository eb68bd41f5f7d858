package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetEnvKeepsTheRestOfTheFile: the env block changes, every other key stays as written,
// in order; a new file is private to its owner; a broken file is never rewritten.
func TestSetEnvKeepsTheRestOfTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.json")
	orig := `{
    "model": "opus",
    "env": {
        "KEEP": "1",
        "AWS_PROFILE": "old",
        "AWS_ACCESS_KEY_ID": "gone"
    },
    "permissions": {"allow": ["Read"]}
}
`
	if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	err := SetEnv(path, map[string]string{"AWS_PROFILE": "dev", "AWS_REGION": "eu-west-1", "CLAUDE_CODE_USE_BEDROCK": "1"},
		[]string{"AWS_ACCESS_KEY_ID"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := `{
    "model": "opus",
    "env": {
        "KEEP": "1",
        "AWS_PROFILE": "dev",
        "AWS_REGION": "eu-west-1",
        "CLAUDE_CODE_USE_BEDROCK": "1"
    },
    "permissions": {"allow": ["Read"]}
}
`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	fresh := filepath.Join(dir, "new", "settings.json")
	if err := SetEnv(fresh, map[string]string{"AWS_REGION": "us-west-2"}, []string{"AWS_PROFILE"}); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(fresh)
	if st, _ := os.Stat(fresh); string(got) != "{\n  \"env\": {\n    \"AWS_REGION\": \"us-west-2\"\n  }\n}\n" || st.Mode().Perm() != 0o600 {
		t.Errorf("new file %q mode %v", got, st.Mode())
	}

	broken := filepath.Join(dir, "broken.json")
	bad := "{\n  \"env\": {\"A\": \"1\",}\n}\n"
	os.WriteFile(broken, []byte(bad), 0o644)
	err = SetEnv(broken, map[string]string{"AWS_REGION": "x"}, nil)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), broken+":2:") {
		t.Errorf("broken file: %v", err)
	}
	if got, _ := os.ReadFile(broken); string(got) != bad {
		t.Errorf("a broken file was rewritten: %q", got)
	}

	// Without an env block, one is added after the last member.
	plain := filepath.Join(dir, "plain.json")
	os.WriteFile(plain, []byte(`{"model": "opus"}`), 0o644)
	if err := SetEnv(plain, map[string]string{"AWS_REGION": "x"}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(plain); string(got) != `{"model": "opus", "env": {"AWS_REGION": "x"}}` {
		t.Errorf("plain: %s", got)
	}
}
