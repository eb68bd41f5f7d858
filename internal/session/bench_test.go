package session

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/redact"
)

// bigReferenceSession writes a long session in the reference's shape (each response block on
// its own line, tool results of 2 KB) for cwd and returns its path and size.
func bigReferenceSession(b *testing.B, s Store, turns int) (string, int64) {
	b.Helper()
	dir := filepath.Join(s.Dir, ClaudeProjectKey(cwd))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, refSession+".jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	parent, n := any(nil), 0
	add := func(kind string, msg map[string]any) {
		n++
		id := fmt.Sprintf("%08x-0000-4000-8000-000000000000", n)
		if err := enc.Encode(map[string]any{"parentUuid": parent, "isSidechain": false, "userType": "external",
			"cwd": cwd, "sessionId": refSession, "version": "2.1.197", "type": kind, "message": msg, "uuid": id,
			"timestamp": fmt.Sprintf("2026-11-30T09:%02d:%02d.000Z", n/60%60, n%60)}); err != nil {
			b.Fatal(err)
		}
		parent = id
	}
	output := strings.Repeat("ok  \tgithub.com/example/pkg\t0.123s\n", 60)
	for i := range turns {
		add("user", map[string]any{"role": "user", "content": fmt.Sprintf("step %d: run the tests", i)})
		mid := fmt.Sprintf("msg_%d", i)
		tool := fmt.Sprintf("toolu_%d", i)
		for _, block := range []map[string]any{
			{"type": "thinking", "thinking": "I will run the tests and read the output.", "signature": "c2lnbmF0dXJl"},
			{"type": "text", "text": "Running them."},
			{"type": "tool_use", "id": tool, "name": "Bash", "input": map[string]any{"command": "go test ./..."}},
		} {
			add("assistant", map[string]any{"id": mid, "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
				"content": []any{block}, "stop_reason": nil, "usage": map[string]any{"input_tokens": 10, "output_tokens": 5}})
		}
		add("user", map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": tool, "content": output}}})
		add("assistant", map[string]any{"id": mid + "b", "type": "message", "role": "assistant", "content": []any{map[string]any{"type": "text", "text": "All pass."}}})
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	info, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path, info.Size()
}

// BenchmarkResumeLarge: resuming a long reference-format session against the yardstick of
// decoding its lines alone (parseTranscript), to show what rebuilding the chain costs on top.
// List is the cost `strata sessions` pays for the same file.
func BenchmarkResumeLarge(b *testing.B) {
	s := Store{Dir: b.TempDir()}
	path, size := bigReferenceSession(b, s, 2000)
	b.Run("yardstick=decode", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if _, err := readTranscript(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("resume", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			tr, msgs, err := s.Resume(refSession, cwd, redact.New())
			if err != nil || len(msgs) != 8000 {
				b.Fatalf("%d messages, %v", len(msgs), err)
			}
			tr.Close()
		}
	})
	b.Run("list", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if infos, err := s.List(cwd); err != nil || len(infos) != 1 {
				b.Fatal(infos, err)
			}
		}
	})
}
