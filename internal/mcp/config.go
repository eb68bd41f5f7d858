package mcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/strata-agent/strata/internal/lazyre"
)

// Scope is where a server's configuration came from.
type Scope string

const (
	ScopeLocal   Scope = "local"   // ~/.claude.json, under projects[<project dir>]
	ScopeProject Scope = "project" // <project>/.mcp.json, shared through the repository
	ScopeUser    Scope = "user"    // ~/.claude.json, top level
	ScopeDynamic Scope = "dynamic" // --mcp-config
	ScopeSDK     Scope = "sdk"     // added by an embedding program (AddServer)
)

// Transport types as they are written in the configuration.
const (
	TypeStdio = "stdio"
	TypeHTTP  = "http"
	TypeSSE   = "sse"
)

// Config is one server's entry in an mcpServers object, in the reference's format.
type Config struct {
	Type          string            `json:"type,omitempty"`
	Command       string            `json:"command,omitempty"`
	Args          []string          `json:"args,omitempty"`
	Env           map[string]string `json:"env,omitempty"`
	URL           string            `json:"url,omitempty"`
	Headers       map[string]string `json:"headers,omitempty"`
	HeadersHelper string            `json:"headersHelper,omitempty"`
}

// Server is a configured server: its name, where it came from and its configuration as
// written (variables not yet expanded).
type Server struct {
	Name   string
	Scope  Scope
	Source string // the file (or "--mcp-config") that holds it
	Config Config
}

// Remote reports whether the server is reached over HTTP (streamable or SSE).
func (c Config) Remote() bool { return c.Type == TypeHTTP || c.Type == TypeSSE }

// parseServers reads an object `{"mcpServers": {...}}` (or a bare map of servers when bare is
// set) and checks each entry. Unknown keys in an entry are ignored: other programs write
// these files too.
func parseServers(data []byte, source string, scope Scope) ([]Server, error) {
	var top struct {
		MCPServers map[string]json.RawMessage `json:"mcpServers"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%s: not valid JSON: %v", source, err)
	}
	return checkServers(top.MCPServers, source, scope)
}

func checkServers(raw map[string]json.RawMessage, source string, scope Scope) ([]Server, error) {
	var out []Server
	for name, msg := range raw {
		c, err := parseConfig(msg)
		if err == nil {
			err = checkName(name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: MCP server %q: %v", source, name, err)
		}
		out = append(out, Server{Name: name, Scope: scope, Source: source, Config: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// parseConfig decodes one entry and fills in its type.
func parseConfig(msg json.RawMessage) (Config, error) {
	var c Config
	if bytes.Equal(bytes.TrimSpace(msg), []byte("null")) {
		return c, errors.New("the entry is null")
	}
	if err := json.Unmarshal(msg, &c); err != nil {
		return c, fmt.Errorf("not a server entry: %v", err)
	}
	switch c.Type {
	case "":
		if c.URL != "" && c.Command == "" {
			return c, errors.New(`a URL needs "type": "http" or "sse"`)
		}
		c.Type = TypeStdio
	case "streamable-http":
		c.Type = TypeHTTP
	case TypeStdio, TypeHTTP, TypeSSE:
	default:
		return c, fmt.Errorf("transport type %q is not supported (want stdio, http or sse)", c.Type)
	}
	switch {
	case c.Type == TypeStdio && c.Command == "":
		return c, errors.New(`a stdio server needs a "command"`)
	case c.Remote() && c.URL == "":
		return c, fmt.Errorf(`an %s server needs a "url"`, c.Type)
	}
	return c, nil
}

// checkName refuses names that would not make a tool name the model can call.
func checkName(name string) error {
	if name == "" {
		return errors.New("the name is empty")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return errors.New("names may hold only letters, digits, _ and -")
		}
	}
	return nil
}

// varPattern matches ${VAR} and ${VAR:-default}.
var varPattern = lazyre.New(`\$\{([^}:]+)(?::-([^}]*))?\}`)

// expand replaces ${VAR} and ${VAR:-default} in s and reports the variables that were unset
// and had no default.
func expand(s string, getenv func(string) string) (string, []string) {
	var missing []string
	out := varPattern().ReplaceAllStringFunc(s, func(m string) string {
		sub := varPattern().FindStringSubmatch(m)
		if v := getenv(sub[1]); v != "" {
			return v
		}
		if strings.Contains(m, ":-") {
			return sub[2]
		}
		missing = append(missing, sub[1])
		return ""
	})
	return out, missing
}

// Expand returns the configuration with every variable expanded, or an error naming the
// server and each variable that is unset without a default.
func (s Server) Expand(getenv func(string) string) (Config, error) {
	c := s.Config
	var missing []string
	one := func(v string) string {
		out, m := expand(v, getenv)
		missing = append(missing, m...)
		return out
	}
	c.Command, c.URL, c.HeadersHelper = one(c.Command), one(c.URL), one(c.HeadersHelper)
	c.Args = slices.Clone(c.Args)
	for i := range c.Args {
		c.Args[i] = one(c.Args[i])
	}
	c.Env, c.Headers = expandMap(c.Env, one), expandMap(c.Headers, one)
	if len(missing) > 0 {
		slices.Sort(missing)
		missing = slices.Compact(missing)
		return c, fmt.Errorf("MCP server %q (%s): environment variable %s is not set and has no default (write ${%s:-default} for one)",
			s.Name, s.Source, strings.Join(missing, ", "), missing[0])
	}
	return c, nil
}

func expandMap(m map[string]string, one func(string) string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = one(v)
	}
	return out
}
