package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

// longAnswerModel is a model whose output limit holds a 100k-token answer.
const longAnswerModel = "global.anthropic.claude-opus-4-6-v1"

// longAnswerSim starts an emulator that answers every request with a 100k-token text (400 KB,
// streamed a word at a time) and accepts unsigned requests too, for the raw reader.
func longAnswerSim(b *testing.B) (*bedrocksim.Server, int) {
	b.Helper()
	var text strings.Builder
	for i := 0; text.Len() < 400_000; i++ {
		fmt.Fprintf(&text, "word%d ", i)
	}
	src, _ := json.Marshal(map[string]any{"turns": []any{map[string]any{"content": text.String(), "repeat": true}}})
	sc, err := bedrocksim.ParseScript(src, "long.json")
	if err != nil {
		b.Fatal(err)
	}
	srv, err := bedrocksim.Start(bedrocksim.Config{Script: sc, NoAuth: true,
		Keys: []bedrocksim.Credential{{AccessKeyID: testKeyID, SecretAccessKey: testSecret}}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	return srv, text.Len()
}

// BenchmarkPrintLongAnswer prints a 100k-token answer with `strata -p`. Its yardstick, "raw",
// is a plain HTTP client reading the same stream from the same emulator and discarding it;
// "curl" does the same with curl when it is installed. strata should stay within 1.3x.
func BenchmarkPrintLongAnswer(b *testing.B) {
	srv, size := longAnswerSim(b)
	body := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":128000,"messages":[{"role":"user","content":"go"}]}`
	url := srv.URL() + "/model/" + longAnswerModel + "/invoke-with-response-stream"
	b.Run("curl", func(b *testing.B) {
		curl, err := exec.LookPath("curl")
		if err != nil {
			b.Skip("curl is not installed")
		}
		for b.Loop() {
			out, err := exec.Command(curl, "-sS", "--fail", "-H", "Content-Type: application/json", "--data-binary", body, url).Output()
			if err != nil || len(out) < size {
				b.Fatalf("%v: %d bytes", err, len(out))
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		for b.Loop() {
			resp, err := http.Post(url, "application/json", strings.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 || n < int64(size) {
				b.Fatalf("status %d, %d bytes, %v", resp.StatusCode, n, err)
			}
		}
	})
	b.Run("strata", func(b *testing.B) {
		bin := buildStrata(b)
		env := simEnvList(b, srv.URL())
		env = append(env, "ANTHROPIC_MODEL="+longAnswerModel, "CLAUDE_CODE_MAX_OUTPUT_TOKENS=128000")
		for b.Loop() {
			cmd := exec.CommandContext(context.Background(), bin, "-p", "go")
			var out bytes.Buffer
			cmd.Env, cmd.Stdout, cmd.Stderr = env, &out, &out
			if err := cmd.Run(); err != nil || out.Len() < size {
				b.Fatalf("%v: %d bytes: %.300s", err, out.Len(), out.String())
			}
		}
	})
}

// simEnvList is the environment of a strata run against the emulator at url, in a fresh home.
func simEnvList(b *testing.B, url string) []string {
	b.Helper()
	home := b.TempDir()
	empty := filepath.Join(home, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		b.Fatal(err)
	}
	return []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=" + testKeyID, "AWS_SECRET_ACCESS_KEY=" + testSecret, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + empty, "AWS_SHARED_CREDENTIALS_FILE=" + empty, "ANTHROPIC_BEDROCK_BASE_URL=" + url,
		"XDG_STATE_HOME=" + filepath.Join(home, "state")}
}

// BenchmarkPrintFirstByte is the time from starting `strata -p` to the first byte of its
// model request arriving at a listener standing in for Bedrock: start-up, settings, AWS
// configuration and signing, before any answer. The project's target is under 15 ms; its
// yardstick is the hello world, run in the same loop.
func BenchmarkPrintFirstByte(b *testing.B) {
	bin, yard := buildStrata(b), newSameLoop(b)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	env := simEnvList(b, "http://"+ln.Addr().String())
	var total time.Duration
	for b.Loop() {
		yard.yardstick(b)
		cmd := exec.Command(bin, "-p", "hello")
		cmd.Env = env
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		conn, err := ln.Accept()
		if err != nil {
			b.Fatal(err)
		}
		one := make([]byte, 1)
		if _, err := io.ReadFull(conn, one); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		conn.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms-to-first-byte")
	yard.report(b)
}
