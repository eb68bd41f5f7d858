package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/strata-agent/strata/internal/iostreams"
	"github.com/strata-agent/strata/internal/settings"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tui"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// /plugin enable and disable during a session: the choice is saved in the scope's file and
// the plugin's command, skill, agent and hook come and go at once, without a restart.
func TestPluginToggleAppliesAtOnce(t *testing.T) {
	env, _ := simEnv(t)
	market := t.TempDir()
	writeFiles(t, market, map[string]string{
		".claude-plugin/marketplace.json":  `{"name": "local", "plugins": [{"name": "tools", "source": "./tools"}]}`,
		"tools/.claude-plugin/plugin.json": `{"name": "tools"}`,
		"tools/commands/hello.md":          "Say hello to $ARGUMENTS",
		"tools/skills/greet/SKILL.md":      "---\ndescription: Greets people\n---\nGreet warmly.",
		"tools/agents/helper.md":           "---\nname: helper\ndescription: Helps out\n---\nYou help.",
		"tools/hooks/hooks.json":           `{"hooks": {"Notification": [{"hooks": [{"type": "command", "command": "true # tools-hook"}]}]}}`,
		"tools/output-styles/terse.md":     "---\ndescription: Short answers\n---\nBe terse.",
		"tools/.mcp.json":                  `{"mcpServers": {"plug": {"type": "http", "url": "` + helloServer(t) + `"}}}`,
	})
	userSettings := filepath.Join(env.Home, ".claude", "settings.json")
	writeFiles(t, filepath.Dir(userSettings), map[string]string{"settings.json": `{"extraKnownMarketplaces": {"local": {"source": {"source": "directory", "path": "` + market + `"}}}}`})
	ios, _, _, errOut := iostreams.Test()
	a := &app{ctx: context.Background(), io: ios, env: env, trusted: true}
	st, err := a.build(a.ctx, &Options{})
	if err != nil {
		t.Fatalf("build: %v (%s)", err, errOut)
	}
	defer st.close()
	h := newHost(a, st)
	h.bridge.Close()
	h.start(st.transcript, nil, "startup", func(m string) { t.Errorf("hook message: %s", m) })
	st.transcript = nil
	defer h.close()

	has := func() (cmd, skill, agent, hook, style bool) {
		cmd = slices.ContainsFunc(h.Commands(), func(c tui.CommandInfo) bool { return c.Name == "tools:hello" })
		skill = slices.ContainsFunc(h.Extensions("skills"), func(f tui.Fact) bool { return f.Label == "tools:greet" })
		_, agent = st.subAgentTypes["tools:helper"]
		hook = slices.ContainsFunc(h.Extensions("hooks"), func(f tui.Fact) bool { return strings.Contains(f.Value, "tools-hook") })
		_, style = st.styles.Find("tools:terse")
		return
	}
	if c, s, ag, hk, sy := has(); c || s || ag || hk || sy {
		t.Fatalf("before enabling: command %v skill %v agent %v hook %v style %v", c, s, ag, hk, sy)
	}

	lines, err := h.TogglePlugin("tools@local", true, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(lines, "\n"), "tools@local enabled in "+userSettings) ||
		!strings.Contains(strings.Join(lines, "\n"), "MCP servers starting: plug") {
		t.Errorf("enable said %q", lines)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := st.mcp.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := st.mcp.Tool("mcp__plug__hello"); !ok {
		t.Fatalf("the plugin's MCP tool is not offered: %+v", st.mcp.Statuses())
	}
	if c, s, ag, hk, sy := has(); !c || !s || !ag || !hk || !sy {
		t.Fatalf("after enabling: command %v skill %v agent %v hook %v style %v", c, s, ag, hk, sy)
	}
	if !slices.ContainsFunc(st.tools, func(tl tool.Tool) bool { return tl.Name() == "Skill" }) {
		t.Error("the Skill tool did not join the tools")
	}
	s, err := settings.Load(st.live.sopts)
	if err != nil || !pluginEntries(s.Extra["enabledPlugins"])["tools@local"] {
		t.Fatalf("user settings not written: %v %s", err, s.Extra["enabledPlugins"])
	}

	// Off again, in the project's local file, by its bare name.
	if _, err := h.TogglePlugin("tools", false, "local"); err != nil {
		t.Fatal(err)
	}
	if c, s, ag, hk, sy := has(); c || s || ag || hk || sy {
		t.Fatalf("after disabling: command %v skill %v agent %v hook %v style %v", c, s, ag, hk, sy)
	}
	if _, ok := st.mcp.Tool("mcp__plug__hello"); ok {
		t.Fatal("the plugin's MCP tool outlived the plugin")
	}
	data, err := os.ReadFile(settings.LocalPath(env.Cwd))
	if err != nil || !strings.Contains(string(data), `"tools@local": false`) {
		t.Fatalf("local settings: %s %v", data, err)
	}
	if list := h.Extensions("plugins"); len(list) != 1 || list[0].Label != "tools@local" || !strings.Contains(list[0].Value, "off") {
		t.Errorf("/plugin lists %+v", list)
	}
	if _, err := h.TogglePlugin("tools", true, "project"); err == nil || !strings.Contains(err.Error(), ".claude/settings.json") {
		t.Errorf("project scope: %v", err)
	}
	if _, err := h.TogglePlugin("nothing", true, ""); err == nil {
		t.Error("an unknown plugin was enabled")
	}
}

// helloServer is an MCP server over streamable HTTP on 127.0.0.1 with one tool, hello.
func helloServer(t *testing.T) string {
	t.Helper()
	s := sdk.NewServer(&sdk.Implementation{Name: "hello", Version: "1"}, nil)
	sdk.AddTool(s, &sdk.Tool{Name: "hello", Description: "greets"},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "hello"}}}, nil, nil
		})
	srv := httptest.NewServer(sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return s }, nil))
	t.Cleanup(srv.Close)
	return srv.URL
}
