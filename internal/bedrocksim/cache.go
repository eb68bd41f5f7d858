package bedrocksim

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"sync"
	"time"
)

// Prompt-cache accounting. The prompt is a sequence of units — each tool, each system block,
// each message block, in that order — and each unit costs a stable token estimate (a quarter
// of the bytes of its canonical JSON, rounded up). A breakpoint caches the prefix up to and
// including its unit. Like Bedrock, a breakpoint looks back up to cacheLookback units for the
// longest prefix cached earlier: those tokens are read from the cache, the rest of the prefix
// is written to it. Prefixes shorter than the model's minimum are neither read nor written.

const (
	bytesPerToken = 4
	cacheLookback = 20
	ttl5m         = 5 * time.Minute
	ttl1h         = time.Hour
)

// cacheUnit is one block of the prompt as the cache sees it.
type cacheUnit struct {
	path   string // tools.0, system.1, messages.2.content.0: for error messages
	data   []byte // role + canonical JSON without cache_control
	tokens int
	mark   bool // carries a cache_control breakpoint
	ttl1h  bool
}

func newUnit(path, role string, raw json.RawMessage) cacheUnit {
	u := cacheUnit{path: path}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	_ = dec.Decode(&v)
	if m, ok := v.(map[string]any); ok {
		if cc, ok := m["cache_control"].(map[string]any); ok {
			u.mark = true
			u.ttl1h = cc["ttl"] == "1h"
		}
		delete(m, "cache_control")
	}
	canon, _ := json.Marshal(v) // maps marshal with sorted keys: a stable form
	u.tokens = max(1, (len(canon)+bytesPerToken-1)/bytesPerToken)
	u.data = append([]byte(role+":"), canon...)
	return u
}

// estimateTokens is the output-side estimate, with the same rate.
func estimateTokens(s string) int {
	return (len(s) + bytesPerToken - 1) / bytesPerToken
}

// promptCache remembers cached prefixes by hash until their TTL runs out.
type promptCache struct {
	mu      sync.Mutex
	entries map[[32]byte]cacheEntry
}

type cacheEntry struct {
	expires time.Time
	ttl     time.Duration
}

func newPromptCache() *promptCache {
	return &promptCache{entries: map[[32]byte]cacheEntry{}}
}

// account computes the cache reads and writes of a prompt for model (whose minimum cacheable
// prefix is minTokens) at now, and records the written prefixes.
func (c *promptCache) account(model string, units []cacheUnit, minTokens int, now time.Time) (read, write int) {
	if minTokens <= 0 {
		return 0, 0
	}
	hashes := make([][32]byte, len(units))
	cum := make([]int, len(units)) // tokens up to and including unit i
	h := sha256.Sum256([]byte(model))
	total := 0
	for i, u := range units {
		h = sha256.Sum256(append(h[:], u.data...))
		hashes[i] = h
		total += u.tokens
		cum[i] = total
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	pos := 0 // tokens accounted so far, from the start of the prompt
	for b, u := range units {
		if !u.mark || cum[b] < minTokens || cum[b] <= pos {
			continue
		}
		if j := c.lookup(hashes, b, now); j >= 0 && cum[j] > pos {
			read += cum[j] - pos
			pos = cum[j]
		}
		write += cum[b] - pos
		pos = cum[b]
		ttl := ttl5m
		if u.ttl1h {
			ttl = ttl1h
		}
		c.entries[hashes[b]] = cacheEntry{expires: now.Add(ttl), ttl: ttl}
	}
	return read, write
}

// lookup finds the longest live cached prefix ending between b-cacheLookback and b, and
// refreshes its expiry as a read does; -1 when there is none.
func (c *promptCache) lookup(hashes [][32]byte, b int, now time.Time) int {
	for j := b; j >= 0 && j >= b-cacheLookback; j-- {
		e, ok := c.entries[hashes[j]]
		if !ok {
			continue
		}
		if !now.Before(e.expires) {
			delete(c.entries, hashes[j])
			continue
		}
		e.expires = now.Add(e.ttl)
		c.entries[hashes[j]] = e
		return j
	}
	return -1
}
