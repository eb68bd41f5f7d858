package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestDeviceIDIsPersistedOnce(t *testing.T) {
	home := t.TempDir()
	vars := map[string]string{"XDG_STATE_HOME": filepath.Join(home, "state")}
	env := Env{Home: home, Getenv: func(k string) string { return vars[k] }}
	first := deviceID(env)
	if !isDeviceID(first) {
		t.Fatalf("device ID %q is not 64 hex digits", first)
	}
	if again := deviceID(env); again != first {
		t.Errorf("second start got %q, want the persisted %q", again, first)
	}
	// The reference's userID wins, so both tools report the same device.
	ref := "ab" + first[2:]
	if err := os.WriteFile(filepath.Join(home, ".claude.json"), []byte(`{"userID":"`+ref+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := deviceID(env); got != ref {
		t.Errorf("with .claude.json: %q, want %q", got, ref)
	}
}

func TestMetadataUserID(t *testing.T) {
	vars := map[string]string{}
	getenv := func(k string) string { return vars[k] }
	var warned []string
	warn := func(s string) { warned = append(warned, s) }
	const dev = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	if got, want := metadataUserID(getenv, dev, "s-1", warn),
		`{"device_id":"`+dev+`","account_uuid":"","session_id":"s-1"}`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	vars["CLAUDE_CODE_EXTRA_METADATA"] = `{"b": 2, "a": {"x": [1, 2]}, "session_id": "spoof"}`
	vars["CLAUDE_CODE_REMOTE"], vars["CLAUDE_CODE_ACCOUNT_UUID"] = "1", "acct"
	got := metadataUserID(getenv, dev, "s-2", warn)
	if want := `{"a":{"x":[1,2]},"b":2,"device_id":"` + dev + `","account_uuid":"acct","session_id":"s-2"}`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if !json.Valid([]byte(got)) || len(warned) != 0 {
		t.Errorf("invalid JSON or warnings %q", warned)
	}
	vars["CLAUDE_CODE_EXTRA_METADATA"] = `"text"`
	metadataUserID(getenv, dev, "s-3", warn)
	if len(warned) != 1 {
		t.Errorf("a non-object extra gave warnings %q", warned)
	}
}
