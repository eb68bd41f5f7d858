package plugins

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnabledFromLocalMarketplaces(t *testing.T) {
	root := t.TempDir()
	market, config := filepath.Join(root, "market"), filepath.Join(root, "config")
	put := func(path, text string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put(filepath.Join(market, MarketplaceManifest), `{"metadata": {"pluginRoot": "plugins"}, "plugins": [
	  {"name": "a", "source": "a"}, {"name": "escape", "source": "../../x"},
	  {"name": "remote", "source": {"source": "github", "repo": "o/r"}}]}`)
	put(filepath.Join(market, "plugins", "a", "commands", "c.md"), "x")
	put(filepath.Join(config, "plugins", "marketplaces", "cloned", MarketplaceManifest), `{"plugins": [{"name": "b", "source": "./b"}]}`)
	put(filepath.Join(config, "plugins", "marketplaces", "cloned", "b", "skills", "s", "SKILL.md"), "x")
	markets, _ := json.Marshal(map[string]any{
		"m":      map[string]any{"source": map[string]string{"source": "directory", "path": market}},
		"f":      map[string]any{"source": map[string]string{"source": "file", "path": filepath.Join(market, MarketplaceManifest)}},
		"cloned": map[string]any{"source": map[string]string{"source": "git", "url": "https://example.invalid/c.git"}},
		"net":    map[string]any{"source": map[string]string{"source": "github", "repo": "o/net"}},
	})
	enabled := json.RawMessage(`{"a@m": true, "a@f": true, "b@cloned": true, "off@m": false, "escape@m": true,
	  "remote@m": true, "x@net": true, "nomarket": true, "y@undeclared": true}`)
	got, problems := Enabled(enabled, markets, config)
	var names []string
	for _, p := range got {
		names = append(names, p.Name+"@"+p.Marketplace)
	}
	if strings.Join(names, ",") != "a@market,a@market,b@cloned" {
		t.Errorf("plugins = %v", names)
	}
	text := strings.Join(problems, "\n")
	for _, want := range []string{"escape@m: ", "outside the marketplace", "remote@m: ", "remote source", "x@net: ",
		"does not fetch", `"nomarket": expected plugin@marketplace`, "y@undeclared: ", "not declared"} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
	if len(problems) != 5 {
		t.Errorf("%d problems:\n%s", len(problems), text)
	}
}
