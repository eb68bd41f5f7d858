package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

// buildStrata compiles the real binary once for a benchmark, as the release builds it.
func buildStrata(b *testing.B) string {
	b.Helper()
	return releaseBuild(b, filepath.Join(b.TempDir(), "strata"), ".")
}

// releaseBuild compiles pkg to bin with the release's settings (.goreleaser.yaml): no cgo,
// so a static binary that the dynamic loader and libc's start-up never touch, and no symbol
// table or DWARF. A plain `go build` here links libc (the net package's resolver) and measured
// a start-up the release does not have.
func releaseBuild(b *testing.B, bin, pkg string) string {
	b.Helper()
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkStartupHelloWorld is the yardstick for the others: a Go program that prints one
// line, built the same way and run on the same machine in the same run.
func BenchmarkStartupHelloWorld(b *testing.B) {
	bin := buildHello(b)
	for b.Loop() {
		runHello(b, bin)
	}
}

// buildHello compiles the hello-world yardstick.
func buildHello(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	src := "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	return releaseBuild(b, filepath.Join(dir, "hello"), filepath.Join(dir, "main.go"))
}

func runHello(b *testing.B, bin string) {
	if out, err := exec.Command(bin).CombinedOutput(); err != nil {
		b.Fatalf("%v: %s", err, out)
	}
}

// sameLoop runs the hello world before each iteration of a start-up benchmark, with the
// benchmark's timer stopped, and reports its mean as the yardstick-ns/op metric that
// cmd/benchreport compares with: a machine whose load changes during the run changes both
// figures alike, which separate benchmarks minutes apart do not.
type sameLoop struct {
	hello string
	total time.Duration
}

func newSameLoop(b *testing.B) *sameLoop { return &sameLoop{hello: buildHello(b)} }

// yardstick runs the hello world once, off the benchmark's clock.
func (s *sameLoop) yardstick(b *testing.B) {
	b.StopTimer()
	start := time.Now()
	runHello(b, s.hello)
	s.total += time.Since(start)
	b.StartTimer()
}

func (s *sameLoop) report(b *testing.B) {
	b.ReportMetric(float64(s.total.Nanoseconds())/float64(b.N), "yardstick-ns/op")
}

// BenchmarkStartupVersionWithSecrets is BenchmarkStartupVersion with AWS secrets in the
// environment: on Linux strata executes itself again to drop them from /proc/<pid>/environ.
func BenchmarkStartupVersionWithSecrets(b *testing.B) {
	bin, yard := buildStrata(b), newSameLoop(b)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + b.TempDir(), "AWS_ACCESS_KEY_ID=" + testKeyID, "AWS_SECRET_ACCESS_KEY=" + testSecret}
	for b.Loop() {
		yard.yardstick(b)
		cmd := exec.Command(bin, "--version")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
	yard.report(b)
}

// BenchmarkStartupVersion is the cost of starting the process at all: runtime, package
// initialisation and flag parsing, with nothing loaded.
func BenchmarkStartupVersion(b *testing.B) {
	bin, yard := buildStrata(b), newSameLoop(b)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + b.TempDir()} // no secrets: nothing to scrub
	for b.Loop() {
		yard.yardstick(b)
		cmd := exec.Command(bin, "--version")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
	yard.report(b)
}

// BenchmarkStartupKeptLibraries is the floor under BenchmarkStartupVersion: a program that
// links every third-party package strata imports (testdata/floor/keptlibs, kept true by
// TestFloorLinksWhatStrataLinks) and prints one line. Go runs every linked package's
// initialisation before main, so no strata start can be cheaper than this one.
func BenchmarkStartupKeptLibraries(b *testing.B) {
	benchFloor(b, "./testdata/floor/keptlibs")
}

// BenchmarkStartupAWSConfig is the floor of any program that reads AWS credentials with the
// SDK: only its configuration package is linked (testdata/floor/awsconfig).
func BenchmarkStartupAWSConfig(b *testing.B) {
	benchFloor(b, "./testdata/floor/awsconfig")
}

func benchFloor(b *testing.B, pkg string) {
	bin, yard := releaseBuild(b, filepath.Join(b.TempDir(), "floor"), pkg), newSameLoop(b)
	for b.Loop() {
		yard.yardstick(b)
		runHello(b, bin)
	}
	yard.report(b)
}

// BenchmarkPrintEcho is a whole `strata -p` run against the in-process emulator's echo model:
// settings, AWS configuration, signing, one streamed answer, the transcript, exit.
func BenchmarkPrintEcho(b *testing.B) {
	bin := buildStrata(b)
	srv, err := bedrocksim.Start(bedrocksim.Config{Keys: []bedrocksim.Credential{{AccessKeyID: testKeyID, SecretAccessKey: testSecret}}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	home := b.TempDir()
	empty := filepath.Join(home, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		b.Fatal(err)
	}
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=" + testKeyID, "AWS_SECRET_ACCESS_KEY=" + testSecret, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + empty, "AWS_SHARED_CREDENTIALS_FILE=" + empty, "ANTHROPIC_BEDROCK_BASE_URL=" + srv.URL(),
		"XDG_STATE_HOME=" + filepath.Join(home, "state")}
	for b.Loop() {
		cmd := exec.CommandContext(context.Background(), bin, "-p", "hello")
		cmd.Env, cmd.Dir = env, home
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}

// BenchmarkStartupReference is the reference CLI's `--version`, when it is installed: the
// binary named by STRATA_REFERENCE_CLI, else `claude` on PATH.
func BenchmarkStartupReference(b *testing.B) {
	ref := os.Getenv("STRATA_REFERENCE_CLI")
	if ref == "" {
		var err error
		if ref, err = exec.LookPath("claude"); err != nil {
			b.Skip("the reference CLI is not installed; set STRATA_REFERENCE_CLI to its binary")
		}
	}
	for b.Loop() {
		cmd := exec.Command(ref, "--version")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + b.TempDir(), "DISABLE_AUTOUPDATER=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1"}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}
