package sdkproto

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Initialize is the SDK's first control request: what it configures in-process instead of
// on the command line.
type Initialize struct {
	// SystemPrompt replaces the system prompt when present: the SDK sends [""] when the
	// caller set none, which means "no Claude Code prompt", not "the default one".
	SystemPrompt       *[]string                  `json:"systemPrompt"`
	AppendSystemPrompt string                     `json:"appendSystemPrompt"`
	Hooks              map[string][]HookMatcher   `json:"hooks"`
	SDKMCPServers      []string                   `json:"sdkMcpServers"`
	JSONSchema         json.RawMessage            `json:"jsonSchema"`
	Agents             map[string]json.RawMessage `json:"agents"`
}

// HookMatcher is one hook registration: callbacks the SDK runs for events whose target
// (the tool name for tool events) the matcher matches.
type HookMatcher struct {
	Matcher         string   `json:"matcher"`
	HookCallbackIDs []string `json:"hookCallbackIds"`
	Timeout         float64  `json:"timeout"` // seconds
}

// PermissionAnswer is the SDK's answer to can_use_tool.
type PermissionAnswer struct {
	Behavior     string          `json:"behavior"` // allow or deny
	UpdatedInput json.RawMessage `json:"updatedInput"`
	Message      string          `json:"message"`
	Interrupt    bool            `json:"interrupt"`
	// UpdatedPermissions are changes the SDK's caller asks for with an allow ("always allow").
	UpdatedPermissions []PermissionUpdate `json:"updatedPermissions"`
}

// PermissionUpdate is one of the SDK's PermissionUpdate values: addRules, replaceRules,
// removeRules (Rules, Behavior), setMode (Mode), addDirectories, removeDirectories
// (Directories), each for a Destination (session, localSettings, projectSettings,
// userSettings, cliArg).
type PermissionUpdate struct {
	Type        string      `json:"type"`
	Rules       []RuleValue `json:"rules"`
	Behavior    string      `json:"behavior"` // allow, deny or ask
	Destination string      `json:"destination"`
	Mode        string      `json:"mode"`
	Directories []string    `json:"directories"`
}

// RuleValue is a rule in the SDK's shape: Bash with "npm test" is the rule Bash(npm test).
type RuleValue struct {
	ToolName    string `json:"toolName"`
	RuleContent string `json:"ruleContent"`
}

// Text is the rule as settings files write it.
func (r RuleValue) Text() string {
	if r.RuleContent == "" {
		return r.ToolName
	}
	return r.ToolName + "(" + r.RuleContent + ")"
}

// ParsePermissionAnswer reads a can_use_tool answer.
func ParsePermissionAnswer(body json.RawMessage) (PermissionAnswer, error) {
	var a PermissionAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return a, fmt.Errorf("the SDK's permission answer is not JSON: %w", err)
	}
	switch a.Behavior {
	case "allow", "deny":
	default:
		return a, fmt.Errorf("the SDK's permission answer has behavior %q; want allow or deny", a.Behavior)
	}
	if len(a.UpdatedInput) > 0 && !strings.HasPrefix(strings.TrimSpace(string(a.UpdatedInput)), "{") {
		if strings.TrimSpace(string(a.UpdatedInput)) != "null" {
			return a, fmt.Errorf("the SDK's updatedInput is not a JSON object")
		}
		a.UpdatedInput = nil
	}
	return a, nil
}

// SystemPromptText is the system prompt an Initialize asks for and whether it asks for one
// at all. Like the reference, a replaced prompt starts with one line saying what the agent
// is, followed by the caller's parts.
func (in Initialize) SystemPromptText() (string, bool) {
	if in.SystemPrompt == nil {
		return "", false
	}
	parts := []string{sdkIdentity}
	for _, p := range *in.SystemPrompt {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "\n\n"), true
}

// sdkIdentity opens a system prompt the SDK caller replaced (in strata's words).
const sdkIdentity = "You are an agent run through the Claude Agent SDK, working with the tools you are given."
