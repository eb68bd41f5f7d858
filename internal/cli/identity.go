package cli

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/strata-agent/strata/internal/bedrock"
	"github.com/strata-agent/strata/internal/models"
	"github.com/strata-agent/strata/internal/session"
	"github.com/strata-agent/strata/internal/settings"
)

// isDeviceID reports the shape of the reference's userID: 32 random bytes in lower-case hex.
func isDeviceID(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// deviceID is the stable, anonymous ID of this machine's user that goes into
// metadata.user_id: the reference's userID from its .claude.json when there is one (so a
// gateway attributes both tools' requests to the same user), else one strata generated once
// and keeps in its state directory. Failing to persist it only makes it last one process.
func deviceID(env Env) string {
	if id := referenceUserID(claudeJSONPath(env)); id != "" {
		return id
	}
	path := filepath.Join(filepath.Dir(session.DefaultDir(env.Getenv, env.Home)), "device-id")
	if b, err := os.ReadFile(path); err == nil {
		if id := strings.TrimSpace(string(b)); isDeviceID(id) {
			return id
		}
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on supported platforms
	id := hex.EncodeToString(raw[:])
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err == nil {
		_ = os.WriteFile(path, []byte(id+"\n"), 0o600)
	}
	return id
}

// referenceUserID reads the top-level userID of the reference's .claude.json; "" when the
// file is missing, unreadable or holds no ID of the right shape.
func referenceUserID(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var doc struct {
		UserID string `json:"userID"`
	}
	if json.NewDecoder(f).Decode(&doc) != nil || !isDeviceID(doc.UserID) {
		return ""
	}
	return doc.UserID
}

// metadataUserID is metadata.user_id as the reference sends it: a JSON object in a string,
// the keys of CLAUDE_CODE_EXTRA_METADATA (a JSON object) first, then device_id, account_uuid
// and session_id, which the extra keys cannot override. account_uuid is empty on Bedrock
// (there is no claude.ai account) except in a remote session that states one. A malformed
// CLAUDE_CODE_EXTRA_METADATA is ignored with a warning, as the reference logs it.
func metadataUserID(getenv func(string) string, device, sessionID string, warn func(string)) string {
	var buf bytes.Buffer
	buf.WriteByte('{')
	extra := map[string]json.RawMessage{}
	if raw := strings.TrimSpace(getenv("CLAUDE_CODE_EXTRA_METADATA")); raw != "" {
		if err := json.Unmarshal([]byte(raw), &extra); err != nil {
			warn("CLAUDE_CODE_EXTRA_METADATA must be a JSON object; it is ignored")
			extra = map[string]json.RawMessage{}
		}
	}
	own := map[string]bool{"device_id": true, "account_uuid": true, "session_id": true}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !own[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	field := func(k string, v []byte) {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		buf.Write(kj)
		buf.WriteByte(':')
		buf.Write(v)
	}
	for _, k := range keys {
		compact := bytes.Buffer{}
		if json.Compact(&compact, extra[k]) == nil {
			field(k, compact.Bytes())
		}
	}
	account := ""
	if v, _ := settings.Truthy(getenv("CLAUDE_CODE_REMOTE")); v {
		account = getenv("CLAUDE_CODE_ACCOUNT_UUID")
	}
	for _, kv := range [][2]string{{"device_id", device}, {"account_uuid", account}, {"session_id", sessionID}} {
		v, _ := json.Marshal(kv[1])
		field(kv[0], v)
	}
	buf.WriteByte('}')
	return buf.String()
}

// userIDMaker reads the device ID once and checks CLAUDE_CODE_EXTRA_METADATA once (warning
// about a malformed value at start-up, not per session).
func (a *app) userIDMaker() func(sessionID string) string {
	device := deviceID(a.env)
	metadataUserID(a.env.Getenv, device, "", func(msg string) { fmt.Fprintln(a.io.ErrOut, "strata: warning:", msg) })
	return func(sessionID string) string {
		return metadataUserID(a.env.Getenv, device, sessionID, func(string) {})
	}
}

// modelOverrides reads settings `modelOverrides` (Anthropic model ID → Bedrock ID or ARN). A
// value of the wrong shape is ignored with a warning: a file Claude Code accepts never stops
// strata.
func (a *app) modelOverrides(s *settings.Settings) map[string]string {
	raw, ok := s.Extra["modelOverrides"]
	if !ok {
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		fmt.Fprintf(a.io.ErrOut, "strata: warning: modelOverrides in %s must map model IDs to strings; it is ignored\n",
			s.ExtraSource["modelOverrides"].Path)
		return nil
	}
	return m
}

// availableModels is settings `availableModels`; ok is false when it is not set (every model
// is allowed). An empty list allows only the default model.
func availableModels(s *settings.Settings) (list []string, source string, ok bool) {
	if s == nil {
		return nil, "", false
	}
	raw, set := s.Extra["availableModels"]
	if !set || json.Unmarshal(raw, &list) != nil || list == nil {
		return nil, "", false
	}
	return list, s.ExtraSource["availableModels"].Path, true
}

// restrictModels applies `availableModels`: a --model it does not allow is a usage error
// naming the list; with `enforceAvailableModels`, a default model it does not allow becomes
// the first allowed entry, as the reference constrains its Default.
func (a *app) restrictModels(st *stack, flagModel string) error {
	list, source, ok := availableModels(st.settings)
	if !ok {
		return nil
	}
	cfg := st.bedrock
	if flagModel != "" && !models.Allowed(list, flagModel, cfg.Model) {
		return usageError{modelNotAvailable(flagModel, list, source)}
	}
	var enforce bool
	if raw, set := st.settings.Extra["enforceAvailableModels"]; set {
		_ = json.Unmarshal(raw, &enforce)
	}
	if enforce && len(list) > 0 && cfg.ModelChoice == bedrock.ChoiceDefault && !models.Allowed(list, "", cfg.Model) {
		r := st.resolver()
		id, _, isAlias := r.Alias(list[0])
		if !isAlias {
			id = strings.TrimSpace(list[0])
		}
		cfg.Model, cfg.ModelSource, cfg.ModelChoice = id, "first entry of availableModels in "+source, bedrock.ChoiceExplicit
	}
	return nil
}

func modelNotAvailable(name string, list []string, source string) error {
	allowed := "only the default model"
	if len(list) > 0 {
		allowed = strings.Join(list, ", ")
	}
	return fmt.Errorf("model %q is not available: availableModels in %s allows %s", name, source, allowed)
}

// pickFallback is the fallback model: --fallback-model, else settings fallbackModel, as an
// alias resolved like --model or an ID as given; "" when none.
func (st *stack) pickFallback(flag string) string {
	name := strings.TrimSpace(flag)
	if name == "" && st.settings != nil {
		if raw, ok := st.settings.Extra["fallbackModel"]; ok {
			_ = json.Unmarshal(raw, &name)
		}
	}
	if name = strings.TrimSpace(name); name == "" {
		return ""
	}
	if id, ok := st.resolver().Override(name); ok {
		return id
	}
	return st.resolveModel(name)
}
