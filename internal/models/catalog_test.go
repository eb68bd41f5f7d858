package models

import (
	"fmt"
	"strings"
	"testing"
)

// knownBetas is every beta the catalog may list; adding one here is a deliberate decision
// that Bedrock's Invoke API accepts it (notes §6).
var knownBetas = map[string]bool{BetaInterleavedThinking: true, BetaContext1M: true}

var knownEfforts = map[string]bool{"low": true, "medium": true, "high": true, "xhigh": true, "max": true}

func TestCatalogWellFormed(t *testing.T) {
	seen := map[string]bool{}
	generation := map[string]bool{}
	for _, m := range All() {
		if seen[m.BaseID] {
			t.Errorf("%s: duplicate BaseID", m.BaseID)
		}
		seen[m.BaseID] = true
		key := fmt.Sprintf("%s/%d", m.Family, m.Generation)
		if generation[key] {
			t.Errorf("%s: two %s models share generation %d", m.BaseID, m.Family, m.Generation)
		}
		generation[key] = true
		checkModel(t, m)
	}
	for _, role := range []Role{RoleMain, RoleSmallFast} {
		for _, id := range roleDefaults(role) {
			m, ok := Lookup(id)
			if !ok || m.Family != roleFamily(role) {
				t.Errorf("role %v default list names %q, not a %s model of the catalog", role, id, roleFamily(role))
			}
		}
	}
}

func checkModel(t *testing.T, m Model) {
	t.Helper()
	if !strings.HasPrefix(m.BaseID, "anthropic.claude-") || strings.ContainsAny(m.BaseID, " /[") {
		t.Errorf("%s: malformed BaseID", m.BaseID)
	}
	if got, ok := Lookup(m.BaseID); !ok || got.BaseID != m.BaseID {
		t.Errorf("%s: Lookup of its own BaseID fails", m.BaseID)
	}
	if m.Name == "" || m.Family == "" || m.Generation <= 0 {
		t.Errorf("%s: missing name, family or generation", m.BaseID)
	}
	if m.ContextWindow < 100_000 || m.MaxOutput < 4096 || m.MaxOutput >= m.ContextWindow {
		t.Errorf("%s: implausible window %d / max output %d", m.BaseID, m.ContextWindow, m.MaxOutput)
	}
	switch m.Thinking {
	case ThinkingAdaptive:
		if !knownEfforts[m.DefaultEffort] {
			t.Errorf("%s: adaptive thinking needs a default effort, got %q", m.BaseID, m.DefaultEffort)
		}
	case ThinkingBudget, ThinkingNone:
		if m.DefaultEffort != "" || m.ThinkingRequired {
			t.Errorf("%s: effort %q / thinking required without adaptive thinking", m.BaseID, m.DefaultEffort)
		}
		if m.Thinking == ThinkingNone && m.AcceptsBeta(BetaInterleavedThinking) {
			t.Errorf("%s: interleaved-thinking beta on a model without thinking", m.BaseID)
		}
	default:
		t.Errorf("%s: unknown thinking mode %d", m.BaseID, m.Thinking)
	}
	for _, b := range m.Betas {
		if !knownBetas[b] {
			t.Errorf("%s: beta %q is not on the allow-list", m.BaseID, b)
		}
	}
	if m.AcceptsBeta(BetaContext1M) && m.ContextWindow >= 1_000_000 {
		t.Errorf("%s: 1M beta on a model that has 1M already", m.BaseID)
	}
	if len(m.Geos) == 0 {
		t.Errorf("%s: no inference-profile geographies", m.BaseID)
	}
	for _, g := range m.Geos {
		if !IsGeo(g) {
			t.Errorf("%s: unknown geo %q", m.BaseID, g)
		}
	}
	checkPrice(t, m, "global", m.Global)
	checkPrice(t, m, "regional", m.Regional)
	if m.GovCloud != (Price{}) {
		checkPrice(t, m, "us-gov", m.GovCloud)
	}
	if m.Regional.Input < m.Global.Input {
		t.Errorf("%s: regional cheaper than global", m.BaseID)
	}
}

func checkPrice(t *testing.T, m Model, which string, p Price) {
	t.Helper()
	if p.Input <= 0 || p.Output <= p.Input {
		t.Errorf("%s: %s price %+v: input must be positive and output above it", m.BaseID, which, p)
	}
	caching := m.CacheMinTokens > 0
	if caching != (p.CacheWrite5m > 0) || caching != (p.CacheRead > 0) {
		t.Errorf("%s: %s cache prices %+v do not match CacheMinTokens %d", m.BaseID, which, p, m.CacheMinTokens)
	}
	if caching && (p.CacheWrite5m <= p.Input || p.CacheRead >= p.Input || p.CacheWrite1h < 0 ||
		(p.CacheWrite1h > 0 && p.CacheWrite1h <= p.CacheWrite5m)) {
		t.Errorf("%s: %s cache prices %+v out of order (read < input < write 5m < write 1h)", m.BaseID, which, p)
	}
}
