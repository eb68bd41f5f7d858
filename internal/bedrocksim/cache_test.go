package bedrocksim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrocksim"
	"github.com/strata-agent/strata/internal/llm"
)

// systemPrompt is about 2,500 tokens: above Sonnet 4.5's 1,024-token cache minimum.
var systemPrompt = strings.Repeat("You are a careful coding agent. ", 320)

func cachedTurn(messages ...any) []byte {
	return body(map[string]any{"system": []any{cached(text(systemPrompt))}, "messages": messages})
}

func usageOf(t *testing.T, srv *bedrocksim.Server, b []byte) llm.Usage {
	t.Helper()
	evs, err := stream(runtimeClient(srv, clientOpts{noAuth: true}), sonnet45, b)
	if err != nil {
		t.Fatal(err)
	}
	return accumulate(t, evs).Usage
}

func TestPromptCache(t *testing.T) {
	clock := newClock()
	// Unsigned requests, so that moving the clock past the TTL does not trip the skew check.
	srv := start(t, bedrocksim.Config{Now: clock.Now, NoAuth: true})
	turn1 := cachedTurn(user([]any{cached(text("first question"))}))

	first := usageOf(t, srv, turn1)
	if first.CacheCreationInputTokens < 1024 || first.CacheReadInputTokens != 0 || first.InputTokens != 0 {
		t.Fatalf("first request: %+v, want everything written to the cache", first)
	}
	again := usageOf(t, srv, turn1)
	if again.CacheReadInputTokens != first.CacheCreationInputTokens || again.CacheCreationInputTokens != 0 || again.InputTokens != 0 {
		t.Errorf("identical request: %+v, want it all read from the cache (%d)", again, first.CacheCreationInputTokens)
	}

	// The next turn moves the message breakpoint forward: the old prefix is found by looking
	// back from the new breakpoint, and only the new blocks are written.
	turn2 := cachedTurn(user("first question"), assistant("first answer"), user([]any{cached(text("second question"))}))
	second := usageOf(t, srv, turn2)
	if second.CacheReadInputTokens != first.CacheCreationInputTokens || second.CacheCreationInputTokens == 0 || second.InputTokens != 0 {
		t.Errorf("next turn: %+v, want %d read and the new blocks written", second, first.CacheCreationInputTokens)
	}
	total := second.TotalInput()

	// Blocks after the last breakpoint are plain input.
	uncachedTail := cachedTurn(user([]any{cached(text("first question"))}), assistant("answer"), user("tail"))
	tail := usageOf(t, srv, uncachedTail)
	if tail.InputTokens == 0 || tail.CacheReadInputTokens != first.CacheCreationInputTokens {
		t.Errorf("uncached tail: %+v", tail)
	}

	// After the five-minute TTL everything is written again.
	clock.Add(6 * time.Minute)
	late := usageOf(t, srv, turn2)
	if late.CacheReadInputTokens != 0 || late.CacheCreationInputTokens != total {
		t.Errorf("after expiry: %+v, want %d written", late, total)
	}
}

func TestPromptCacheMinimum(t *testing.T) {
	srv := start(t, bedrocksim.Config{NoAuth: true})
	b := body(map[string]any{"system": []any{cached(text("short system prompt"))}})
	for range 2 {
		u := usageOf(t, srv, b)
		if u.CacheCreationInputTokens != 0 || u.CacheReadInputTokens != 0 || u.InputTokens == 0 {
			t.Errorf("a prefix under the minimum was cached: %+v", u)
		}
	}
}
