package sandbox

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/strata-agent/strata/internal/settings"
)

// Config is the merged `sandbox` settings object.
type Config struct {
	Enabled bool
	// Forced: managed settings set enabled to true, so /sandbox cannot turn it off.
	Forced            bool
	FailIfUnavailable bool
	AutoAllowBash     bool // autoAllowBashIfSandboxed; default true
	AllowUnsandboxed  bool // allowUnsandboxedCommands; default true
	ExcludedCommands  []string

	AllowedDomains, DeniedDomains []string
	AllowAllUnixSockets           bool

	AllowWrite, DenyWrite, DenyRead, AllowRead []string // absolute paths
}

// rawConfig is one file's `sandbox` object; nil pointers were not set.
type rawConfig struct {
	Enabled                  *bool    `json:"enabled"`
	FailIfUnavailable        *bool    `json:"failIfUnavailable"`
	AutoAllowBashIfSandboxed *bool    `json:"autoAllowBashIfSandboxed"`
	AllowUnsandboxedCommands *bool    `json:"allowUnsandboxedCommands"`
	ExcludedCommands         []string `json:"excludedCommands"`
	Network                  struct {
		AllowedDomains          []string `json:"allowedDomains"`
		DeniedDomains           []string `json:"deniedDomains"`
		AllowManagedDomainsOnly *bool    `json:"allowManagedDomainsOnly"`
		AllowAllUnixSockets     *bool    `json:"allowAllUnixSockets"`
	} `json:"network"`
	Filesystem struct {
		AllowWrite []string `json:"allowWrite"`
		DenyWrite  []string `json:"denyWrite"`
		DenyRead   []string `json:"denyRead"`
		AllowRead  []string `json:"allowRead"`
	} `json:"filesystem"`
}

// FromSettings merges the files' sandbox objects, lowest precedence first: a higher file's
// scalar wins, lists add up. A file whose sandbox object strata cannot read is skipped with a
// warning rather than stopping strata (it may be valid for a newer reference). Relative
// paths are resolved as the reference does: against the project for project files, against
// the settings file's directory otherwise; ~ is home.
func FromSettings(layers []settings.RawSetting, home, project string) (Config, []string) {
	c := Config{AutoAllowBash: true, AllowUnsandboxed: true}
	var warnings []string
	managedOnly := false
	var managedDomains []string
	for _, l := range layers {
		var r rawConfig
		if err := json.Unmarshal(l.Raw, &r); err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: the sandbox settings could not be read and are ignored: %v", l.Source.Path, err))
			continue
		}
		managed := l.Source.Scope == settings.ScopeManaged
		setBool(&c.Enabled, r.Enabled)
		if managed && r.Enabled != nil && *r.Enabled {
			c.Forced = true
		}
		setBool(&c.FailIfUnavailable, r.FailIfUnavailable)
		setBool(&c.AutoAllowBash, r.AutoAllowBashIfSandboxed)
		setBool(&c.AllowUnsandboxed, r.AllowUnsandboxedCommands)
		setBool(&c.AllowAllUnixSockets, r.Network.AllowAllUnixSockets)
		c.ExcludedCommands = append(c.ExcludedCommands, r.ExcludedCommands...)
		c.AllowedDomains = append(c.AllowedDomains, r.Network.AllowedDomains...)
		c.DeniedDomains = append(c.DeniedDomains, r.Network.DeniedDomains...)
		if managed {
			managedDomains = append(managedDomains, r.Network.AllowedDomains...)
			setBool(&managedOnly, r.Network.AllowManagedDomainsOnly)
		}
		base := pathBase(l.Source, project)
		fs := r.Filesystem
		c.AllowWrite = append(c.AllowWrite, resolve(fs.AllowWrite, home, base)...)
		c.DenyWrite = append(c.DenyWrite, resolve(fs.DenyWrite, home, base)...)
		c.DenyRead = append(c.DenyRead, resolve(fs.DenyRead, home, base)...)
		c.AllowRead = append(c.AllowRead, resolve(fs.AllowRead, home, base)...)
	}
	if managedOnly {
		c.AllowedDomains = managedDomains
	}
	return c, warnings
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

// pathBase is what a relative path in a file's sandbox settings is relative to.
func pathBase(src settings.Source, project string) string {
	switch {
	case src.Scope == settings.ScopeProject || src.Scope == settings.ScopeLocal || src.Path == settings.InlinePath:
		return project
	}
	return filepath.Dir(src.Path)
}

func resolve(paths []string, home, base string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		switch {
		case p == "":
			continue
		case p == "~":
			p = home
		case strings.HasPrefix(p, "~/"):
			p = filepath.Join(home, p[2:])
		case strings.HasPrefix(p, "//"): // the reference's "absolute from the root" form
			p = p[1:]
		case !filepath.IsAbs(p):
			p = filepath.Join(base, p)
		}
		out = append(out, filepath.Clean(p))
	}
	return out
}

// hostAllowed reports whether the proxy admits host: it matches an allowed domain and no
// denied one. "example.com" matches itself only; "*.example.com" matches its subdomains.
func (c *Config) hostAllowed(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, d := range c.DeniedDomains {
		if domainMatches(d, host) {
			return false
		}
	}
	for _, d := range c.AllowedDomains {
		if domainMatches(d, host) {
			return true
		}
	}
	return false
}

func domainMatches(pattern, host string) bool {
	pattern = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(pattern)), ".")
	if rest, ok := strings.CutPrefix(pattern, "*."); ok {
		return strings.HasSuffix(host, "."+rest)
	}
	return pattern == host
}
