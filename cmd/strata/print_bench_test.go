package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// BenchmarkPrintLongAnswer prints a 100k-token answer with `strata -p`: as text, as
// stream-json, and as stream-json with every delta (--include-partial-messages). Its
// yardstick, "raw", is testdata/rawclient, about the least a program can do to print the same
// stream: one unsigned POST, frames cut by their lengths, each chunk's base64 decoded and the
// text of each text delta picked out of it, written through a buffer. "curl" only reads the
// stream (to /dev/null).
// "reference" runs are the reference CLI on the same emulator, when it is installed
// (referenceCLI). strata should stay within 1.3x of raw and take at most half the
// reference's time. Memory and allocations per op are the benchmark process's: the emulator's.
func BenchmarkPrintLongAnswer(b *testing.B) {
	srv, size := longAnswerSim(b)
	body := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":128000,"messages":[{"role":"user","content":"go"}]}`
	url := srv.URL() + "/model/" + longAnswerModel + "/invoke-with-response-stream"
	b.Run("curl", func(b *testing.B) {
		curl, err := exec.LookPath("curl")
		if err != nil {
			b.Skip("curl is not installed")
		}
		runLong(b, 3, curl, []string{"-sS", "--fail", "-o", "/dev/null", "-H", "Content-Type: application/json",
			"--data-binary", "@-", url}, nil, body, 0)
	})
	b.Run("raw", func(b *testing.B) {
		bin := filepath.Join(b.TempDir(), "rawclient")
		if out, err := exec.Command("go", "build", "-o", bin, "./testdata/rawclient").CombinedOutput(); err != nil {
			b.Fatalf("go build: %v\n%s", err, out)
		}
		runLong(b, 3, bin, []string{url}, nil, body, size)
	})
	modes := []struct{ name, args string }{
		{"", "-p go"},
		{"-stream-json", "-p --output-format stream-json --verbose go"},
		{"-partial", "-p --output-format stream-json --verbose --include-partial-messages go"},
	}
	bin := buildStrata(b)
	for _, m := range modes {
		b.Run("strata"+m.name, func(b *testing.B) {
			env := simEnvList(b, srv.URL())
			env = append(env, "ANTHROPIC_MODEL="+longAnswerModel, "CLAUDE_CODE_MAX_OUTPUT_TOKENS=128000")
			runLong(b, 3, bin, strings.Fields(m.args), env, "", size)
		})
	}
	for _, m := range modes {
		b.Run("reference"+m.name, func(b *testing.B) {
			ref := referenceCLI(b)
			home := b.TempDir()
			env := []string{"PATH=/usr/bin:/bin", "HOME=" + home, "TERM=dumb", "CLAUDE_CODE_USE_BEDROCK=1",
				"ANTHROPIC_BEDROCK_BASE_URL=" + srv.URL(), "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=" + testKeyID,
				"AWS_SECRET_ACCESS_KEY=" + testSecret, "AWS_EC2_METADATA_DISABLED=true", "ANTHROPIC_MODEL=" + longAnswerModel,
				"CLAUDE_CODE_MAX_OUTPUT_TOKENS=128000", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1"}
			runLong(b, 1, ref, strings.Fields(m.args), env, "", size) // ten times slower: one run tells
		})
	}
}

// runLong runs bin with args, env and stdin runs times per iteration, each run printing at
// least size bytes to stdout, and reports the median run as ns/op (a single run of a second
// or two says little on a machine whose other work comes and goes) and the median CPU time of
// the client process. The output is counted,
// not kept: every client's lines cost the benchmark process (which also runs the emulator)
// the same little.
func runLong(b *testing.B, runs int, bin string, args, env []string, stdin string, size int) {
	b.Helper()
	dir := b.TempDir()
	var took, cpu []time.Duration
	for b.Loop() {
		for range runs {
			cmd := exec.CommandContext(context.Background(), bin, args...)
			var out counter
			var errOut bytes.Buffer
			cmd.Env, cmd.Dir, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, dir, strings.NewReader(stdin), &out, &errOut
			start := time.Now()
			if err := cmd.Run(); err != nil || out.n < size {
				b.Fatalf("%v: %d bytes: %q %.300s", err, out.n, out.head, errOut.String())
			}
			took = append(took, time.Since(start))
			cpu = append(cpu, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		}
	}
	slices.Sort(took)
	slices.Sort(cpu)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "ns/op")
	b.ReportMetric(float64(len(took)), "runs")
	// The client's own CPU time depends less on the machine's other work than the wall clock.
	b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds())/1000, "client-cpu-ms")
}

// counter counts what is written to it and keeps the start, for messages.
type counter struct {
	n    int
	head []byte
}

func (c *counter) Write(p []byte) (int, error) {
	if len(c.head) < 300 {
		c.head = append(c.head, p[:min(len(p), 300-len(c.head))]...)
	}
	c.n += len(p)
	return len(p), nil
}

// referenceCLI is the reference CLI's binary: STRATA_REFERENCE_CLI, else the copy `make
// interop-sim` installs under $XDG_CACHE_HOME/strata-npm (~/.cache/strata-npm), else
// `claude` on PATH. Without one the benchmark is skipped, saying so.
func referenceCLI(b *testing.B) string {
	if ref := os.Getenv("STRATA_REFERENCE_CLI"); ref != "" {
		return ref
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	installed := filepath.Join(cache, "strata-npm", "interop-sim-2.1.197-3.1178.0", "node_modules",
		"@anthropic-ai", "claude-code-linux-x64", "claude")
	if _, err := os.Stat(installed); err == nil {
		return installed
	}
	if ref, err := exec.LookPath("claude"); err == nil {
		return ref
	}
	b.Skip("the reference CLI is not installed: run `make interop-sim` or set STRATA_REFERENCE_CLI to its binary")
	return ""
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
