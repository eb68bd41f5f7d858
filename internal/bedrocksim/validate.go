package bedrocksim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/models"
)

// anthropicVersion is the only anthropic_version Bedrock's Invoke API takes for Claude.
const anthropicVersion = "bedrock-2023-05-31"

// request is a body that passed validation, with what the emulator needs to answer it.
type request struct {
	op        string // the operation (InvokeModel, InvokeModelWithResponseStream, CountTokens)
	res       resolved
	maxTokens int
	thinking  string // "enabled", "adaptive", "disabled" or "" (absent)
	budget    int
	betas     []string
	system    []llm.ContentBlock
	messages  []llm.Message
	toolNames []string
	stopSeqs  []string
	units     []cacheUnit
	tokens    int // input token estimate: tools, system and messages
}

// thinkingOn reports whether the model thinks for this request. Models that cannot turn
// thinking off think even when the request does not ask.
func (r *request) thinkingOn() bool {
	return r.thinking == "enabled" || r.thinking == "adaptive" ||
		(r.thinking == "" && r.res.model.ThinkingRequired)
}

// schemaTypes are the JSON types Bedrock's schema allows for each top-level key.
var schemaTypes = map[string][]string{
	"anthropic_version": {"String"},
	"anthropic_beta":    {"JSONArray"},
	"max_tokens":        {"Integer"},
	"system":            {"String", "JSONArray"},
	"messages":          {"JSONArray"},
	"tools":             {"JSONArray"},
	"tool_choice":       {"JSONObject"},
	"thinking":          {"JSONObject"},
	"output_config":     {"JSONObject"},
	"temperature":       {"Integer", "BigDecimal"},
	"top_p":             {"Integer", "BigDecimal"},
	"top_k":             {"Integer"},
	"stop_sequences":    {"JSONArray"},
	"metadata":          {"JSONObject"},
	// context_management takes its beta in the anthropic-beta header, which the reference
	// CLI sends there on Bedrock; the body key is accepted on its own.
	"context_management": {"JSONObject"},
}

// validate checks a body as Bedrock would for the resolved model: first the service's JSON
// schema ("Malformed input request"), then the service's own rules (version, betas,
// max_tokens), then the model's validation (wrapped in "The model returned…").
func (s *Server) validate(op string, body []byte, res resolved) (*request, *apiError) {
	top, err := decodeTop(body)
	if err != nil {
		return nil, err
	}
	if v := schemaViolations(top, res.model); len(v) > 0 {
		return nil, malformed(v)
	}
	req := &request{op: op, res: res}
	if err := req.serviceRules(top); err != nil {
		return nil, err
	}
	checks := []func(map[string]json.RawMessage) *apiError{
		req.decodeSystem, req.decodeMessages, req.decodeTools, req.checkToolChoice,
		req.checkThinking, req.checkOutputConfig, req.checkSampling, req.checkMetadata, req.checkContextManagement,
	}
	for _, check := range checks {
		if err := check(top); err != nil {
			return nil, err
		}
	}
	if err := req.checkConversation(s.sigs); err != nil {
		return nil, err
	}
	if err := req.checkCache(); err != nil {
		return nil, err
	}
	return req, req.checkWindow()
}

func decodeTop(body []byte) (map[string]json.RawMessage, *apiError) {
	trimmed := bytes.TrimSpace(body)
	var top map[string]json.RawMessage
	err := json.Unmarshal(trimmed, &top)
	if err == nil && top != nil {
		return top, nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) || string(trimmed) == "null" {
		return nil, malformed([]string{"#: expected type: JSONObject, found: " + jsonTypeName(trimmed)})
	}
	return nil, validationError("Malformed input request: the request body is not valid JSON, please reformat your input and try again.")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// schemaViolations lists what Bedrock's JSON schema rejects, in its own words.
func schemaViolations(top map[string]json.RawMessage, m models.Model) []string {
	var v []string
	for _, k := range sortedKeys(top) {
		_, known := schemaTypes[k]
		if !known || (k == "thinking" && m.Thinking == models.ThinkingNone) {
			v = append(v, fmt.Sprintf("#: extraneous key [%s] is not permitted", k))
		}
	}
	for _, k := range []string{"anthropic_version", "max_tokens", "messages"} {
		if _, ok := top[k]; !ok {
			v = append(v, fmt.Sprintf("#: required key [%s] not found", k))
		}
	}
	for _, k := range sortedKeys(top) {
		want, known := schemaTypes[k]
		if !known {
			continue
		}
		if got := jsonTypeName(top[k]); !slices.Contains(want, got) {
			v = append(v, fmt.Sprintf("#/%s: expected type: %s, found: %s", k, want[len(want)-1], got))
			continue
		}
		v = append(v, valueViolations(k, top[k], m)...)
	}
	return v
}

// valueViolations checks the inside of the keys whose schema goes deeper than a type.
func valueViolations(key string, raw json.RawMessage, m models.Model) []string {
	var v []string
	switch key {
	case "max_tokens":
		if n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64); err == nil && n < 1 {
			v = append(v, fmt.Sprintf("#/max_tokens: %d is not greater or equal to 1", n))
		}
	case "anthropic_beta", "stop_sequences":
		var items []json.RawMessage
		_ = json.Unmarshal(raw, &items)
		for i, it := range items {
			if t := jsonTypeName(it); t != "String" {
				v = append(v, fmt.Sprintf("#/%s/%d: expected type: String, found: %s", key, i, t))
			}
		}
	case "messages":
		var items []json.RawMessage
		_ = json.Unmarshal(raw, &items)
		if len(items) == 0 {
			v = append(v, "#/messages: expected minimum item count: 1, found: 0")
		}
		for i, it := range items {
			v = append(v, messageViolations(i, it, midConversationSystem(m))...)
		}
	}
	return v
}

// messageViolations checks one message; systemRole allows `role: "system"` (mid-conversation
// system messages, on the models that take them).
func messageViolations(i int, raw json.RawMessage, systemRole bool) []string {
	path := fmt.Sprintf("#/messages/%d", i)
	if t := jsonTypeName(raw); t != "JSONObject" {
		return []string{path + ": expected type: JSONObject, found: " + t}
	}
	var msg map[string]json.RawMessage
	_ = json.Unmarshal(raw, &msg)
	var v []string
	for _, k := range sortedKeys(msg) {
		if k != "role" && k != "content" {
			v = append(v, fmt.Sprintf("%s: extraneous key [%s] is not permitted", path, k))
		}
	}
	for _, k := range []string{"role", "content"} {
		if _, ok := msg[k]; !ok {
			v = append(v, fmt.Sprintf("%s: required key [%s] not found", path, k))
		}
	}
	if role, ok := msg["role"]; ok {
		var s string
		if json.Unmarshal(role, &s) != nil {
			v = append(v, fmt.Sprintf("%s/role: expected type: String, found: %s", path, jsonTypeName(role)))
		} else if s != llm.RoleUser && s != llm.RoleAssistant && !(systemRole && s == roleSystem) {
			v = append(v, fmt.Sprintf("%s/role: %s is not a valid enum value", path, s))
		}
	}
	if c, ok := msg["content"]; ok {
		if t := jsonTypeName(c); t != "String" && t != "JSONArray" {
			v = append(v, fmt.Sprintf("%s/content: expected type: JSONArray, found: %s", path, t))
		}
	}
	return v
}

// serviceRules are the checks Bedrock makes itself: API version, beta flags, max_tokens.
func (r *request) serviceRules(top map[string]json.RawMessage) *apiError {
	var version string
	_ = json.Unmarshal(top["anthropic_version"], &version)
	if version != anthropicVersion {
		return validationError("Invalid API version: " + version)
	}
	if raw, ok := top["anthropic_beta"]; ok {
		_ = json.Unmarshal(raw, &r.betas)
		for _, b := range r.betas {
			if !acceptsBetaFor(r.op, r.res.model, b) {
				return validationError(msgInvalidBeta)
			}
		}
	}
	_ = json.Unmarshal(top["max_tokens"], &r.maxTokens)
	if limit := r.res.model.MaxOutput; r.maxTokens > limit {
		return validationError(fmt.Sprintf(msgMaxTokensFmt, limit, limit))
	}
	if raw, ok := top["stop_sequences"]; ok {
		_ = json.Unmarshal(raw, &r.stopSeqs)
	}
	return nil
}

// objectKeys decodes a JSON object into its members; ok is false for anything else.
func objectKeys(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if jsonTypeName(raw) != "JSONObject" || json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	return m, true
}

// extraKey names the first member of m (in sorted order) that is not allowed.
func extraKey(m map[string]json.RawMessage, allowed ...string) (string, bool) {
	for _, k := range sortedKeys(m) {
		if !slices.Contains(allowed, k) {
			return k, true
		}
	}
	return "", false
}

func (r *request) checkMetadata(top map[string]json.RawMessage) *apiError {
	raw, ok := top["metadata"]
	if !ok {
		return nil
	}
	m, _ := objectKeys(raw)
	if k, bad := extraKey(m, "user_id"); bad {
		return modelError("metadata.%s: Extra inputs are not permitted", k)
	}
	if id, ok := m["user_id"]; ok && jsonTypeName(id) != "String" && jsonTypeName(id) != "Null" {
		return modelError("metadata.user_id: Input should be a valid string")
	}
	return nil
}

func (r *request) checkOutputConfig(top map[string]json.RawMessage) *apiError {
	raw, ok := top["output_config"]
	if !ok {
		return nil
	}
	m, _ := objectKeys(raw)
	if k, bad := extraKey(m, "effort"); bad {
		return modelError("output_config.%s: Extra inputs are not permitted", k)
	}
	effort, ok := m["effort"]
	if !ok {
		return nil
	}
	if r.res.model.Thinking != models.ThinkingAdaptive {
		return validationError("output_config.effort: Extra inputs are not permitted")
	}
	var e string
	_ = json.Unmarshal(effort, &e)
	switch e {
	case "low", "medium", "high", "xhigh", "max":
		return nil
	}
	return modelError("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")
}

// contextEdits are the strategies context_management.edits may name.
var contextEdits = []string{"clear_thinking_20251015", "clear_tool_uses_20250919", "compact_20260112"}

// checkContextManagement checks the shape of context_management: an optional list of edits,
// each naming a known strategy. The strategies' own settings are not checked.
func (r *request) checkContextManagement(top map[string]json.RawMessage) *apiError {
	raw, ok := top["context_management"]
	if !ok {
		return nil
	}
	m, _ := objectKeys(raw)
	if k, bad := extraKey(m, "edits"); bad {
		return modelError("context_management.%s: Extra inputs are not permitted", k)
	}
	edits, ok := m["edits"]
	if !ok {
		return nil
	}
	var items []json.RawMessage
	if jsonTypeName(edits) != "JSONArray" || json.Unmarshal(edits, &items) != nil {
		return modelError("context_management.edits: Input should be a valid list")
	}
	for i, it := range items {
		e, ok := objectKeys(it)
		var typ string
		if !ok || json.Unmarshal(e["type"], &typ) != nil {
			return modelError("context_management.edits.%d.type: Field required", i)
		}
		if !slices.Contains(contextEdits, typ) {
			return modelError("context_management.edits.%d: Input tag '%s' found using 'type' does not match any of the expected tags: %s", i, typ, quoteList(contextEdits))
		}
	}
	return nil
}
