// Package plugins reads Claude Code plugin folders given with --plugin-dir or turned on by
// enabledPlugins from a marketplace on disk (marketplace.go): a folder with
// .claude-plugin/plugin.json (its name) and any of commands/, agents/ and skills/, whose
// contents load under the plugin's namespace (/name:command, agent name:agent, skill
// name:skill). Fetching marketplaces over the network is not done.
package plugins

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-agent/strata/internal/lazyre"
)

// Plugin is one plugin folder.
type Plugin struct {
	Name        string
	Version     string
	Description string
	Dir         string
	Marketplace string // the marketplace it came from (enabledPlugins); "" for --plugin-dir
}

// Manifest is where a plugin names itself, relative to its folder.
const Manifest = ".claude-plugin/plugin.json"

var namePattern = lazyre.New(`^[a-z0-9][a-z0-9._-]*$`)

// Load reads the plugin in dir. Without a manifest the folder's name is the plugin's, as
// the reference allows.
func Load(dir string) (Plugin, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Plugin{}, err
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return Plugin{}, fmt.Errorf("--plugin-dir %s: not a folder", dir)
	}
	p := Plugin{Name: filepath.Base(abs), Dir: abs}
	data, err := os.ReadFile(filepath.Join(abs, Manifest))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return Plugin{}, err
	default:
		var m struct {
			Name        string `json:"name"`
			Version     string `json:"version"`
			Description string `json:"description"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return Plugin{}, fmt.Errorf("%s: %w", filepath.Join(abs, Manifest), err)
		}
		if m.Name != "" {
			p.Name = m.Name
		}
		p.Version, p.Description = m.Version, m.Description
	}
	if !namePattern().MatchString(p.Name) {
		return Plugin{}, fmt.Errorf("%s: plugin name %q: use lower-case letters, digits, ., _ and -", abs, p.Name)
	}
	return p, nil
}

// Path is a folder of the plugin (commands, agents, skills).
func (p Plugin) Path(part string) string { return filepath.Join(p.Dir, part) }

// Namespaced is an item's name under the plugin.
func (p Plugin) Namespaced(name string) string { return p.Name + ":" + name }
