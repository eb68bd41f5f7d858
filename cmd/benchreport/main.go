// Command benchreport turns `go test -bench` output (on stdin) into docs/benchmarks.md (on
// stdout): each figure beside the yardstick measured in the same run, its ratio and, where
// the project set one, the target, with the machine's cores and Go version. `make bench`
// runs the benchmarks one package at a time and pipes them here.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// result is one benchmark line.
type result struct {
	pkg, name       string // name without "Benchmark" and the -GOMAXPROCS suffix
	nsPerOp, bPerOp float64
	allocsPerOp     float64
	hasMem          bool
	other           []string // metrics a benchmark reports itself, "98.6 cache-read-%"
	// sameLoop is the time of a yardstick the benchmark ran alternately with itself, in the
	// same loop (its "yardstick-ns/op" metric): on a machine whose load changes during the
	// run, the fairest comparison. It takes precedence over a yardstick benchmark.
	sameLoop float64
}

// sameLoopMetric is the unit of a benchmark's own, same-loop yardstick.
const sameLoopMetric = "yardstick-ns/op"

// absTargets are limits the project set on a metric itself rather than on a ratio (issue 17:
// the first request byte of `strata -p` within 15 ms).
var absTargets = []absTarget{
	{"PrintFirstByte", "ms-to-first-byte", 15},
}

// absTarget is at most max of a benchmark's metric.
type absTarget struct {
	name, metric string
	max          float64
}

// yardsticks are the sub-benchmark names that measure the floor their siblings are compared
// with; a benchmark's own yardstick is the first of these among its siblings.
var yardsticks = []string{"hello", "raw", "curl", "rg", "copy", "lower", "reference"}

// explicit pairs whole benchmarks with a yardstick benchmark of the same package.
var explicit = map[string]string{
	"StartupVersion":            "StartupHelloWorld",
	"StartupVersionWithSecrets": "StartupHelloWorld",
	"StartupReference":          "StartupHelloWorld",
	"PrintEcho":                 "StartupHelloWorld",
	"PrintFirstByte":            "StartupHelloWorld",
	"StartupKeptLibraries":      "StartupHelloWorld",
	"StartupAWSConfig":          "StartupHelloWorld",
}

// targets are the ratios the project promises (issue 17), by name prefix.
var targets = []struct {
	prefix string
	max    float64
}{
	{"PrintLongAnswer/strata", 1.3},
	{"StartupVersion", 2},
	{"GrepGoroot/", 3},
}

// versus are the promises made against the reference CLI (issue 17): a sub-benchmark
// "<prefix><suffix>" takes at most max times its sibling "reference<suffix>" in the same run.
// The row says so when the reference was not installed.
var versus = []struct {
	prefix, reference string
	max               float64
}{
	{"PrintLongAnswer/strata", "PrintLongAnswer/reference", 0.5},
}

func main() {
	keep := flag.String("keep", "", "an earlier report whose sections for packages this run did not measure are kept, marked with their date")
	flag.Parse()
	results, cpu, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	var report strings.Builder
	write(&report, results, cpu)
	if *keep != "" {
		if old, err := os.ReadFile(*keep); err == nil {
			fmt.Print(merge(report.String(), string(old)))
			return
		}
	}
	fmt.Print(report.String())
}

// merge adds to report the sections of old for packages report does not have, each marked
// as coming from old's run, and orders the sections by package: `make bench PKGS=…` refreshes
// some packages' figures without dropping the others'.
func merge(report, old string) string {
	head, sections := splitSections(report)
	oldHead, oldSections := splitSections(old)
	when := "an earlier run"
	if _, rest, ok := strings.Cut(oldHead, "Written by `make bench` on "); ok {
		if date, _, ok := strings.Cut(rest, "."); ok {
			when = "the run of " + date
		}
	}
	for name, text := range oldSections {
		if _, measured := sections[name]; measured {
			continue
		}
		if !strings.Contains(text, "\n_Not measured in this run") {
			heading, table, _ := strings.Cut(text, "\n\n")
			text = heading + "\n\n_Not measured in this run: figures from " + when + "._\n\n" + table
		}
		sections[name] = text
	}
	names := make([]string, 0, len(sections))
	for name := range sections {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(head)
	for _, name := range names {
		b.WriteString(sections[name])
	}
	return b.String()
}

// splitSections cuts a report into what comes before the first package and each package's
// section ("\n## name\n…"), by name.
func splitSections(report string) (head string, sections map[string]string) {
	parts := strings.Split(report, "\n## ")
	sections = map[string]string{}
	for _, part := range parts[1:] {
		name, _, _ := strings.Cut(part, "\n")
		sections[name] = "\n## " + part
	}
	return parts[0], sections
}

func parse(r io.Reader) ([]result, string, error) {
	var out []result
	var pkg, cpu string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimPrefix(line, "pkg: ")
		case strings.HasPrefix(line, "cpu: "):
			cpu = strings.TrimSpace(strings.TrimPrefix(line, "cpu: "))
		case strings.HasPrefix(line, "Benchmark"):
			if res, ok := parseLine(pkg, line); ok {
				out = append(out, res)
			}
		}
	}
	return out, cpu, sc.Err()
}

// parseLine reads "BenchmarkX/sub-2  10  123 ns/op  45 B/op  6 allocs/op".
func parseLine(pkg, line string) (result, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || f[3] != "ns/op" {
		return result{}, false
	}
	name := strings.TrimPrefix(f[0], "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	res := result{pkg: pkg, name: name}
	res.nsPerOp, _ = strconv.ParseFloat(f[2], 64)
	for i := 4; i+1 < len(f); i += 2 {
		v, _ := strconv.ParseFloat(f[i], 64)
		switch f[i+1] {
		case "B/op":
			res.bPerOp, res.hasMem = v, true
		case "allocs/op":
			res.allocsPerOp = v
		case sameLoopMetric:
			res.sameLoop = v
		default:
			res.other = append(res.other, strconv.FormatFloat(v, 'f', -1, 64)+" "+f[i+1])
		}
	}
	return res, true
}

// yardstickOf returns the benchmark r is measured against, if any.
func yardstickOf(r result, all []result) (result, bool) {
	find := func(name string) (result, bool) {
		for _, o := range all {
			if o.pkg == r.pkg && o.name == name {
				return o, true
			}
		}
		return result{}, false
	}
	if y, ok := explicit[r.name]; ok {
		return find(y)
	}
	i := strings.LastIndexByte(r.name, '/')
	if i < 0 {
		return result{}, false
	}
	parent, self := r.name[:i], r.name[i+1:]
	if strings.HasSuffix(self, "yardstick") {
		return result{}, false // a yardstick is not measured against another
	}
	for _, o := range all { // a sibling named "…yardstick" comes first
		if o.pkg == r.pkg && strings.HasPrefix(o.name, parent+"/") && strings.HasSuffix(o.name, "yardstick") {
			return o, true
		}
	}
	for _, y := range yardsticks {
		if y == self {
			return result{}, false
		}
		if o, ok := find(parent + "/" + y); ok {
			return o, true
		}
	}
	return result{}, false
}

func targetOf(name string) float64 {
	for _, t := range targets {
		if strings.HasPrefix(name, t.prefix) && !strings.HasSuffix(name, "/rg") {
			return t.max
		}
	}
	return 0
}

func write(w io.Writer, results []result, cpu string) {
	fmt.Fprintf(w, "# Benchmarks\n\nWritten by `make bench` on %s. Every figure is from the same run as its\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(w, "yardstick; the ratio is figure ÷ yardstick (lower is better) and the target, where set, is the\n")
	fmt.Fprintf(w, "most it may be. Wall-clock figures of whole processes depend on what else the machine runs.\n\n")
	fmt.Fprintf(w, "- machine: %d cores (%s), %s/%s\n- Go: %s\n- load average at the end: %s\n\n", runtime.NumCPU(), cpu, runtime.GOOS, runtime.GOARCH, runtime.Version(), loadAverage())
	pkg := ""
	for _, r := range results {
		if r.pkg != pkg {
			pkg = r.pkg
			fmt.Fprintf(w, "\n## %s\n\n| benchmark | time/op | memory/op | allocs/op | other | yardstick | ratio | target |\n|---|---|---|---|---|---|---|---|\n", strings.TrimPrefix(pkg, "github.com/strata-agent/strata/"))
		}
		yard, ratio, target := "", "", ""
		y, ok := yardstickOf(r, results)
		if r.sameLoop > 0 {
			y, ok = result{name: "same loop: " + sameLoopName(r, results), nsPerOp: r.sameLoop}, true
		}
		if ok && y.nsPerOp > 0 {
			x := r.nsPerOp / y.nsPerOp
			yard, ratio = fmt.Sprintf("%s (%s)", y.name, duration(y.nsPerOp)), fmt.Sprintf("%.2fx", x)
			if t := targetOf(r.name); t > 0 {
				target = fmt.Sprintf("≤ %gx: %s", t, verdict(x <= t))
			}
		}
		if t, v, ok := absTargetOf(r); ok {
			target = fmt.Sprintf("≤ %g %s: %s", t.max, t.metric, verdict(v <= t.max))
		}
		mem, allocs := "", ""
		if r.hasMem {
			mem, allocs = bytesSize(r.bPerOp), strconv.FormatFloat(r.allocsPerOp, 'f', -1, 64)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name, duration(r.nsPerOp), mem, allocs,
			strings.Join(r.other, ", "), yard, ratio, target)
		versusRow(w, r, results)
	}
}

// versusRow writes r's comparison with the reference CLI, if a promise names r.
func versusRow(w io.Writer, r result, all []result) {
	for _, v := range versus {
		suffix, ok := strings.CutPrefix(r.name, v.prefix)
		if !ok {
			continue
		}
		name := v.reference + suffix
		for _, o := range all {
			if o.pkg == r.pkg && o.name == name && o.nsPerOp > 0 {
				x := r.nsPerOp / o.nsPerOp
				verdict := "met"
				if x > v.max {
					verdict = "**missed**"
				}
				fmt.Fprintf(w, "| %s vs reference | %s |  |  |  | %s (%s) | %.2fx | ≤ %gx: %s |\n", r.name, duration(r.nsPerOp),
					name, duration(o.nsPerOp), x, v.max, verdict)
				return
			}
		}
		fmt.Fprintf(w, "| %s vs reference | %s |  |  | the reference CLI was not installed (`make interop-sim` installs it) | %s |  | ≤ %gx: not measured |\n",
			r.name, duration(r.nsPerOp), name, v.max)
	}
}

// sameLoopName names the yardstick a benchmark ran in its own loop: the one its name is paired
// with when there is one (StartupVersion's hello world), else just "yardstick".
func sameLoopName(r result, all []result) string {
	if y, ok := yardstickOf(r, all); ok {
		return y.name
	}
	return "yardstick"
}

// absTargetOf returns the absolute target set on one of r's metrics, and the metric's value.
func absTargetOf(r result) (absTarget, float64, bool) {
	for _, t := range absTargets {
		if r.name != t.name {
			continue
		}
		for _, o := range r.other {
			if num, unit, found := strings.Cut(o, " "); found && unit == t.metric {
				v, err := strconv.ParseFloat(num, 64)
				return t, v, err == nil
			}
		}
	}
	return absTarget{}, 0, false
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "**missed**"
}

// duration shows ns with three significant digits.
func duration(ns float64) string {
	unit := 1.0
	for unit*1000 <= ns {
		unit *= 10
	}
	return time.Duration(ns).Round(time.Duration(unit)).String()
}

func bytesSize(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
