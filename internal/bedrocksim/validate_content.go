package bedrocksim

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/llm"
)

// blockKeys lists the members each content-block type may have.
var blockKeys = map[string][]string{
	"text":              {"type", "text", "cache_control", "citations"},
	"image":             {"type", "source", "cache_control"},
	"document":          {"type", "source", "title", "context", "citations", "cache_control"},
	"tool_use":          {"type", "id", "name", "input", "cache_control"},
	"tool_result":       {"type", "tool_use_id", "content", "is_error", "cache_control"},
	"thinking":          {"type", "thinking", "signature"},
	"redacted_thinking": {"type", "data"},
}

var (
	messageBlockTypes    = []string{"text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"}
	toolResultBlockTypes = []string{"text", "image", "document"}
	systemBlockTypes     = []string{"text"}
)

// requiredMembers lists, per block type, the members that must be present and their type.
var requiredMembers = map[string][][2]string{
	"text":              {{"text", "String"}},
	"image":             {{"source", "JSONObject"}},
	"document":          {{"source", "JSONObject"}},
	"tool_use":          {{"id", "String"}, {"name", "String"}, {"input", "JSONObject"}},
	"tool_result":       {{"tool_use_id", "String"}},
	"thinking":          {{"thinking", "String"}, {"signature", "String"}},
	"redacted_thinking": {{"data", "String"}},
}

var pydanticType = map[string]string{
	"String":     "a valid string",
	"JSONObject": "a valid dictionary",
	"Boolean":    "a valid boolean",
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

// checkBlock validates one content block at path (e.g. messages.1.content.0); section is the
// name used by the empty-text rule ("messages" or "system").
func checkBlock(raw json.RawMessage, path, section string, allowed []string) (string, *apiError) {
	m, ok := objectKeys(raw)
	if !ok {
		return "", modelError("%s: Input should be a valid dictionary or object to extract fields from", path)
	}
	typRaw, ok := m["type"]
	if !ok {
		return "", modelError("%s.type: Field required", path)
	}
	var typ string
	if json.Unmarshal(typRaw, &typ) != nil {
		return "", modelError("%s.type: Input should be a valid string", path)
	}
	if !slices.Contains(allowed, typ) {
		return "", modelError("%s: Input tag '%s' found using 'type' does not match any of the expected tags: %s", path, typ, quoteList(allowed))
	}
	if k, bad := extraKey(m, blockKeys[typ]...); bad {
		return "", modelError("%s.%s: Extra inputs are not permitted", path, k)
	}
	for _, req := range requiredMembers[typ] {
		v, ok := m[req[0]]
		if !ok {
			return "", modelError("%s.%s: Field required", path, req[0])
		}
		if jsonTypeName(v) != req[1] {
			return "", modelError("%s.%s: Input should be %s", path, req[0], pydanticType[req[1]])
		}
	}
	if typ == "text" {
		var text string
		_ = json.Unmarshal(m["text"], &text)
		if text == "" {
			return "", modelError("%s: text content blocks must be non-empty", section)
		}
	}
	if typ == "image" || typ == "document" {
		if err := checkSource(m["source"], path+".source", typ); err != nil {
			return "", err
		}
	}
	if typ == "tool_result" {
		if err := checkToolResult(m, path); err != nil {
			return "", err
		}
	}
	if cc, ok := m["cache_control"]; ok {
		return typ, checkCacheControl(cc, path)
	}
	return typ, nil
}

// sourceTypes are the sources Bedrock takes for images and documents: the bytes themselves.
// URL and Files API sources are not supported on Bedrock (notes §1, [ABR]).
var sourceTypes = map[string][]string{
	"image":    {"base64"},
	"document": {"base64", "content", "text"},
}

func checkSource(raw json.RawMessage, path, block string) *apiError {
	m, _ := objectKeys(raw)
	var typ string
	if json.Unmarshal(m["type"], &typ) != nil {
		return modelError("%s.type: Field required", path)
	}
	if allowed := sourceTypes[block]; !slices.Contains(allowed, typ) {
		return modelError("%s: Input tag '%s' found using 'type' does not match any of the expected tags: %s", path, typ, quoteList(allowed))
	}
	return nil
}

func checkToolResult(m map[string]json.RawMessage, path string) *apiError {
	if e, ok := m["is_error"]; ok && jsonTypeName(e) != "Boolean" {
		return modelError("%s.is_error: Input should be a valid boolean", path)
	}
	c, ok := m["content"]
	if !ok || jsonTypeName(c) == "String" {
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(c, &items) != nil {
		return modelError("%s.content: Input should be a valid list", path)
	}
	for j, it := range items {
		if _, err := checkBlock(it, path+".content."+itoa(j), "messages", toolResultBlockTypes); err != nil {
			return err
		}
	}
	return nil
}

func checkCacheControl(raw json.RawMessage, path string) *apiError {
	path += ".cache_control"
	m, ok := objectKeys(raw)
	if !ok {
		return modelError("%s: Input should be a valid dictionary", path)
	}
	if k, bad := extraKey(m, "type", "ttl"); bad {
		return modelError("%s.%s: Extra inputs are not permitted", path, k)
	}
	var typ, ttl string
	_ = json.Unmarshal(m["type"], &typ)
	if typ != "ephemeral" {
		return modelError("%s.type: Input should be 'ephemeral'", path)
	}
	if t, ok := m["ttl"]; ok {
		_ = json.Unmarshal(t, &ttl)
		if ttl != "5m" && ttl != "1h" {
			return modelError("%s.ttl: Input should be '5m' or '1h'", path)
		}
	}
	return nil
}

// textBlock is the block a plain-string system prompt or message content stands for.
func textBlock(s string) json.RawMessage {
	b, _ := json.Marshal(map[string]string{"type": "text", "text": s})
	return b
}

// blockList reads content given as a string or as an array of blocks.
func blockList(raw json.RawMessage) []json.RawMessage {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []json.RawMessage{textBlock(s)}
	}
	var items []json.RawMessage
	_ = json.Unmarshal(raw, &items)
	return items
}

func (r *request) decodeSystem(top map[string]json.RawMessage) *apiError {
	raw, ok := top["system"]
	if !ok {
		return nil
	}
	for i, b := range blockList(raw) {
		if _, err := checkBlock(b, "system."+itoa(i), "system", systemBlockTypes); err != nil {
			return err
		}
		var blk llm.ContentBlock
		_ = json.Unmarshal(b, &blk)
		r.system = append(r.system, blk)
		r.units = append(r.units, newUnit("system."+itoa(i), "system", b))
	}
	return nil
}

func (r *request) decodeMessages(top map[string]json.RawMessage) *apiError {
	var msgs []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	_ = json.Unmarshal(top["messages"], &msgs)
	for i, m := range msgs {
		if m.Role == roleSystem {
			if err := r.decodeMidSystem(i, m.Content); err != nil {
				return err
			}
			continue
		}
		msg := llm.Message{Role: m.Role}
		for j, b := range blockList(m.Content) {
			typ, err := checkBlock(b, "messages."+itoa(i)+".content."+itoa(j), "messages", messageBlockTypes)
			if err != nil {
				return err
			}
			if err := checkBlockRole(typ, m.Role, i, j); err != nil {
				return err
			}
			var blk llm.ContentBlock
			_ = json.Unmarshal(b, &blk)
			msg.Content = append(msg.Content, blk)
			r.units = append(r.units, newUnit("messages."+itoa(i)+".content."+itoa(j), m.Role, b))
		}
		r.messages = append(r.messages, msg)
	}
	return nil
}

// roleSystem is the role of a mid-conversation system message; the schema lets it through
// only on the models that take it.
const roleSystem = "system"

// decodeMidSystem checks a mid-conversation system message: text blocks only, like the
// top-level system prompt. It counts toward the prompt and the cache prefix but stays out of
// r.messages, so that role alternation and tool pairing look through it.
func (r *request) decodeMidSystem(i int, content json.RawMessage) *apiError {
	blocks := blockList(content)
	if len(blocks) == 0 {
		return modelError("messages.%d: all messages must have non-empty content except for the optional final assistant message", i)
	}
	for j, b := range blocks {
		path := "messages." + itoa(i) + ".content." + itoa(j)
		if _, err := checkBlock(b, path, "messages", systemBlockTypes); err != nil {
			return err
		}
		r.units = append(r.units, newUnit(path, roleSystem, b))
	}
	return nil
}

func checkBlockRole(typ, role string, i, j int) *apiError {
	switch typ {
	case "tool_use", "thinking", "redacted_thinking":
		if role != llm.RoleAssistant {
			return modelError("messages.%d.content.%d: `%s` blocks are only allowed in `assistant` messages", i, j, typ)
		}
	case "tool_result":
		if role != llm.RoleUser {
			return modelError("messages.%d.content.%d: `tool_result` blocks are only allowed in `user` messages", i, j)
		}
	}
	return nil
}

var toolNamePattern = lazyre.New(`^[a-zA-Z0-9_-]{1,128}$`)

func (r *request) decodeTools(top map[string]json.RawMessage) *apiError {
	raw, ok := top["tools"]
	if !ok {
		return nil
	}
	var items []json.RawMessage
	_ = json.Unmarshal(raw, &items)
	var toolUnits []cacheUnit
	for i, it := range items {
		name, err := checkTool(it, i, r.betas)
		if err != nil {
			return err
		}
		if slices.Contains(r.toolNames, name) {
			return modelError("tools: Tool names must be unique.")
		}
		r.toolNames = append(r.toolNames, name)
		toolUnits = append(toolUnits, newUnit("tools."+itoa(i), "tool", it))
	}
	// Tools come first in the cache prefix, before the system prompt and the messages.
	r.units = append(toolUnits, r.units...)
	return nil
}

// clientToolTypes are the Anthropic-defined tools that run on the client, which Bedrock
// takes. Server tools (web_search_*, web_fetch_*, code_execution_*, the advisor, MCP) are not
// supported on Bedrock (notes §1, [ABR]) and fail the tag check.
var clientToolTypes = []string{
	"bash_20241022", "bash_20250124",
	"computer_20241022", "computer_20250124", "computer_20251124",
	"memory_20250818",
	"text_editor_20241022", "text_editor_20250124", "text_editor_20250429", "text_editor_20250728",
	"tool_search_tool_bm25_20251119", "tool_search_tool_regex_20251119",
}

// toolKeys are the members a tool may have; some come with a beta.
func toolKeys(betas []string) []string {
	keys := []string{"name", "description", "input_schema", "cache_control", "type"}
	if slices.Contains(betas, betaToolSearch) {
		keys = append(keys, "defer_loading")
	}
	if slices.Contains(betas, betaToolExamples) {
		keys = append(keys, "input_examples")
	}
	if slices.Contains(betas, betaFineGrainedToolStreaming) {
		keys = append(keys, "eager_input_streaming")
	}
	return keys
}

func checkTool(raw json.RawMessage, i int, betas []string) (string, *apiError) {
	path := "tools." + itoa(i)
	m, ok := objectKeys(raw)
	if !ok {
		return "", modelError("%s: Input should be a valid dictionary or object to extract fields from", path)
	}
	if k, bad := extraKey(m, toolKeys(betas)...); bad {
		return "", modelError("%s.%s: Extra inputs are not permitted", path, k)
	}
	var name string
	if json.Unmarshal(m["name"], &name) != nil {
		return "", modelError("%s.name: Field required", path)
	}
	if !toolNamePattern().MatchString(name) {
		return "", modelError("%s.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", path)
	}
	var typ string
	if t, typed := m["type"]; typed {
		_ = json.Unmarshal(t, &typ)
		if typ != "custom" && !slices.Contains(clientToolTypes, typ) {
			return "", modelError("%s: Input tag '%s' found using 'type' does not match any of the expected tags: %s", path, typ, quoteList(append([]string{"custom"}, clientToolTypes...)))
		}
	}
	if typ == "" || typ == "custom" {
		schema, ok := m["input_schema"]
		if !ok {
			return "", modelError("%s.custom.input_schema: Field required", path)
		}
		if jsonTypeName(schema) != "JSONObject" {
			return "", modelError("%s.custom.input_schema: Input should be a valid dictionary", path)
		}
	}
	if d, ok := m["description"]; ok && jsonTypeName(d) != "String" {
		return "", modelError("%s.description: Input should be a valid string", path)
	}
	if cc, ok := m["cache_control"]; ok {
		return name, checkCacheControl(cc, path)
	}
	return name, nil
}

func (r *request) checkToolChoice(top map[string]json.RawMessage) *apiError {
	raw, ok := top["tool_choice"]
	if !ok {
		return nil
	}
	m, _ := objectKeys(raw)
	var typ string
	_ = json.Unmarshal(m["type"], &typ)
	allowed := []string{"type", "disable_parallel_tool_use"}
	switch typ {
	case "auto", "any", "none":
	case "tool":
		allowed = append(allowed, "name")
		var name string
		if json.Unmarshal(m["name"], &name) != nil {
			return modelError("tool_choice.tool.name: Field required")
		}
	default:
		return modelError("tool_choice: Input tag '%s' found using 'type' does not match any of the expected tags: 'any', 'auto', 'none', 'tool'", typ)
	}
	if k, bad := extraKey(m, allowed...); bad {
		return modelError("tool_choice.%s.%s: Extra inputs are not permitted", typ, k)
	}
	return nil
}
