package plugins

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MarketplaceManifest is where a marketplace lists its plugins, relative to its folder.
const MarketplaceManifest = ".claude-plugin/marketplace.json"

// NoNetwork is said of every marketplace strata would have to download: it reads only
// marketplaces already on disk.
const NoNetwork = "strata does not fetch plugin marketplaces over the network; " +
	"use a local directory source or a checkout already on disk"

// marketSource is an extraKnownMarketplaces entry's source, as the reference writes it.
type marketSource struct {
	Source string `json:"source"` // directory, file, git, github
	Path   string `json:"path"`
	Repo   string `json:"repo"`
	URL    string `json:"url"`
}

// Enabled returns the plugins enabledPlugins turns on ("name@marketplace": true), from the
// marketplaces extraKnownMarketplaces declares: a local directory or marketplace.json file,
// or a git/github marketplace whose checkout is already in configDir/plugins/marketplaces/.
// What cannot be found is a problem, reported and skipped: a settings file valid for Claude
// Code never stops strata.
func Enabled(enabled, markets json.RawMessage, configDir string) (out []Plugin, problems []string) {
	var on map[string]json.RawMessage
	if len(enabled) > 0 && json.Unmarshal(enabled, &on) != nil {
		return nil, []string{"enabledPlugins: not an object"}
	}
	var known map[string]struct {
		Source marketSource `json:"source"`
	}
	if len(markets) > 0 && json.Unmarshal(markets, &known) != nil {
		problems = append(problems, "extraKnownMarketplaces: not an object")
	}
	ids := make([]string, 0, len(on))
	for id, v := range on {
		if strings.TrimSpace(string(v)) != "false" && string(v) != "null" {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		name, market, ok := strings.Cut(id, "@")
		if !ok {
			problems = append(problems, fmt.Sprintf("enabledPlugins %q: expected plugin@marketplace", id))
			continue
		}
		m, found := known[market]
		root, err := marketRoot(market, m.Source, found, configDir)
		if err == nil {
			var p Plugin
			if p, err = fromMarket(root, name); err == nil {
				out = append(out, p)
				continue
			}
		}
		problems = append(problems, fmt.Sprintf("plugin %s: %v", id, err))
	}
	return out, problems
}

// marketRoot finds a marketplace's folder on disk.
func marketRoot(name string, src marketSource, declared bool, configDir string) (string, error) {
	switch {
	case declared && src.Source == "directory":
		return src.Path, nil
	case declared && src.Source == "file":
		// .../.claude-plugin/marketplace.json: the marketplace is two levels up.
		return filepath.Dir(filepath.Dir(src.Path)), nil
	}
	checkout := filepath.Join(configDir, "plugins", "marketplaces", name)
	if _, err := os.Stat(filepath.Join(checkout, MarketplaceManifest)); err == nil {
		return checkout, nil
	}
	if !declared {
		return "", fmt.Errorf("marketplace %q is not declared in extraKnownMarketplaces and has no checkout in %s", name, checkout)
	}
	return "", fmt.Errorf("marketplace %q (%s source) has no checkout in %s: %s", name, src.Source, checkout, NoNetwork)
}

// fromMarket loads the plugin called name from the marketplace in root.
func fromMarket(root, name string) (Plugin, error) {
	path := filepath.Join(root, MarketplaceManifest)
	data, err := os.ReadFile(path)
	if err != nil {
		return Plugin{}, err
	}
	var m struct {
		Metadata struct {
			PluginRoot string `json:"pluginRoot"`
		} `json:"metadata"`
		Plugins []struct {
			Name   string          `json:"name"`
			Source json.RawMessage `json:"source"`
		} `json:"plugins"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return Plugin{}, fmt.Errorf("%s: %w", path, err)
	}
	for _, e := range m.Plugins {
		if e.Name != name {
			continue
		}
		var rel string
		if json.Unmarshal(e.Source, &rel) != nil {
			return Plugin{}, fmt.Errorf("%s: plugin %q comes from a remote source: %s", path, name, NoNetwork)
		}
		if !strings.HasPrefix(rel, "./") && !strings.HasPrefix(rel, "../") && m.Metadata.PluginRoot != "" {
			rel = filepath.Join(m.Metadata.PluginRoot, rel)
		}
		dir := filepath.Join(root, rel)
		if !within(root, dir) {
			return Plugin{}, fmt.Errorf("%s: plugin %q points outside the marketplace (%s)", path, name, rel)
		}
		p, err := Load(dir)
		if err != nil {
			return Plugin{}, err
		}
		p.Name, p.Marketplace = name, filepath.Base(root)
		return p, nil
	}
	return Plugin{}, fmt.Errorf("%s lists no plugin %q", path, name)
}

// within reports whether path is root or inside it: a marketplace may not point at the
// rest of the disk.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}
