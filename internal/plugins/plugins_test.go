package plugins

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "folder-name")
	if err := os.MkdirAll(filepath.Join(dir, ".claude-plugin"), 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := Load(dir)
	if err != nil || p.Name != "folder-name" || p.Namespaced("x") != "folder-name:x" {
		t.Fatalf("without a manifest: %+v %v", p, err)
	}
	write := func(text string) {
		if err := os.WriteFile(filepath.Join(dir, Manifest), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"name": "tools", "version": "1.2.0"}`)
	if p, err = Load(dir); err != nil || p.Name != "tools" || p.Version != "1.2.0" {
		t.Fatalf("with a manifest: %+v %v", p, err)
	}
	write(`{"name": "Bad Name"}`)
	if _, err = Load(dir); err == nil || !strings.Contains(err.Error(), "plugin name") {
		t.Errorf("bad name: %v", err)
	}
	write(`{`)
	if _, err = Load(dir); err == nil {
		t.Error("broken manifest accepted")
	}
	if _, err = Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing folder accepted")
	}
}
