package main

import (
	"strings"
	"testing"
)

// TestReportPairsYardsticks: a sub-benchmark is compared with its sibling yardstick, a named
// benchmark with its explicit one, and a missed target is flagged.
func TestReportPairsYardsticks(t *testing.T) {
	in := "pkg: github.com/strata-agent/strata/cmd/strata\ncpu: Test CPU\n" +
		"BenchmarkStartupHelloWorld-2   100   1000000 ns/op\n" +
		"BenchmarkStartupVersion-2      100   3000000 ns/op\n" +
		"BenchmarkPrintLongAnswer/raw-2    1  1000000000 ns/op\n" +
		"BenchmarkPrintLongAnswer/strata-2 1  1200000000 ns/op  5000 B/op  7 allocs/op\n" +
		"BenchmarkLonely-2 5 10 ns/op  98.5 cache-read-%\n" +
		"BenchmarkWalk/lstat-yardstick-2 5 2000 ns/op\nBenchmarkWalk/filter-2 5 3000 ns/op\n" +
		"BenchmarkStartupVersionWithSecrets-2 100 3000000 ns/op  2000000 yardstick-ns/op\n" +
		"BenchmarkPrintFirstByte-2 10 30000000 ns/op  16.5 ms-to-first-byte  1000000 yardstick-ns/op\n"
	results, cpu, err := parse(strings.NewReader(in))
	if err != nil || cpu != "Test CPU" || len(results) != 9 {
		t.Fatalf("parse: %v %q %d", err, cpu, len(results))
	}
	var b strings.Builder
	write(&b, results, cpu)
	for _, want := range []string{
		"| StartupVersion | 3ms |  |  |  | StartupHelloWorld (1ms) | 3.00x | ≤ 2x: **missed** |",
		"| PrintLongAnswer/strata | 1.2s | 4.9 KB | 7 |  | PrintLongAnswer/raw (1s) | 1.20x | ≤ 1.3x: met |",
		"| Lonely | 10ns |  |  | 98.5 cache-read-% |  |  |  |",
		"## cmd/strata",
		"| Walk/filter | 3µs |  |  |  | Walk/lstat-yardstick (2µs) | 1.50x |  |",
		// a yardstick run in the benchmark's own loop wins over the separate one
		"| StartupVersionWithSecrets | 3ms |  |  |  | same loop: StartupHelloWorld (2ms) | 1.50x | ≤ 2x: met |",
		"| PrintFirstByte | 30ms |  |  | 16.5 ms-to-first-byte | same loop: StartupHelloWorld (1ms) | 30.00x | ≤ 15 ms-to-first-byte: **missed** |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

// A figure promised against the reference CLI gets a row comparing the two, or saying that
// the reference was not there.
func TestReportComparesWithReference(t *testing.T) {
	in := "pkg: github.com/strata-agent/strata/cmd/strata\n" +
		"BenchmarkPrintLongAnswer/raw-2    1  1000000000 ns/op\n" +
		"BenchmarkPrintLongAnswer/strata-2 1  1200000000 ns/op\n" +
		"BenchmarkPrintLongAnswer/strata-partial-2 1  1500000000 ns/op\n" +
		"BenchmarkPrintLongAnswer/reference-2 1  6000000000 ns/op\n"
	results, cpu, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	write(&b, results, cpu)
	for _, want := range []string{
		"| PrintLongAnswer/strata vs reference | 1.2s |  |  |  | PrintLongAnswer/reference (6s) | 0.20x | ≤ 0.5x: met |",
		"| PrintLongAnswer/strata-partial vs reference | 1.5s |  |  | the reference CLI was not installed",
		"| PrintLongAnswer/strata-partial | 1.5s |  |  |  | PrintLongAnswer/raw (1s) | 1.50x | ≤ 1.3x: **missed** |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "| PrintLongAnswer/reference vs") {
		t.Errorf("the reference is compared with itself:\n%s", b.String())
	}
}

// A partial run keeps the other packages' sections of the earlier report, marked with its
// date, and replaces the sections it measured.
func TestMergeKeepsUnmeasuredPackages(t *testing.T) {
	old := "# Benchmarks\n\nWritten by `make bench` on 2026-01-02 03:04 UTC. Every figure…\n\n" +
		"\n## internal/a\n\n| benchmark |\n| A | old |\n" +
		"\n## internal/b\n\n| benchmark |\n| B | old |\n"
	report := "# Benchmarks\n\nWritten by `make bench` on 2026-02-02 00:00 UTC.\n\n" +
		"\n## internal/b\n\n| benchmark |\n| B | new |\n"
	got := merge(report, old)
	want := "# Benchmarks\n\nWritten by `make bench` on 2026-02-02 00:00 UTC.\n\n" +
		"\n## internal/a\n\n_Not measured in this run: figures from the run of 2026-01-02 03:04 UTC._\n\n| benchmark |\n| A | old |\n" +
		"\n## internal/b\n\n| benchmark |\n| B | new |\n"
	if got != want {
		t.Fatalf("merged:\n%s\nwant:\n%s", got, want)
	}
	if again := merge(report, got); again != want {
		t.Fatalf("a kept section was marked twice:\n%s", again)
	}
}
