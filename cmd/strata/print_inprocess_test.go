package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-agent/strata/internal/cli"
	"github.com/strata-agent/strata/internal/iostreams"
)

// BenchmarkPrintLongAnswerInProcess is BenchmarkPrintLongAnswer's strata run inside the test
// process (cli.Run), so a profile sees strata's own work beside the emulator's:
//
//	STRATA_PROFILE_PRINT=1 go test -run XXX -bench PrintLongAnswerInProcess -cpuprofile cpu.out ./cmd/strata
//
// It is a profiling aid, not a figure (`make bench` skips it): strata shares the process, the
// cores and the garbage collector with the emulator here.
func BenchmarkPrintLongAnswerInProcess(b *testing.B) {
	if os.Getenv("STRATA_PROFILE_PRINT") == "" {
		b.Skip("a profiling aid: set STRATA_PROFILE_PRINT=1")
	}
	srv, size := longAnswerSim(b)
	home := b.TempDir()
	empty := filepath.Join(home, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		b.Fatal(err)
	}
	vars := map[string]string{"HOME": home, "PATH": os.Getenv("PATH"), "CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": testKeyID, "AWS_SECRET_ACCESS_KEY": testSecret, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty, "ANTHROPIC_BEDROCK_BASE_URL": srv.URL(),
		"XDG_STATE_HOME": filepath.Join(home, "state"), "ANTHROPIC_MODEL": longAnswerModel,
		"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "128000"}
	for k, v := range vars { // the AWS SDK reads the process environment itself
		b.Setenv(k, v)
	}
	env := cli.Env{Getenv: func(k string) string { return vars[k] },
		Setenv: func(k, v string) error { vars[k] = v; return nil },
		Environ: func() []string {
			var out []string
			for k, v := range vars {
				out = append(out, k+"="+v)
			}
			return out
		},
		Home: home, Cwd: home, Euid: os.Geteuid()}
	for _, mode := range []struct {
		name string
		args []string
	}{
		{"text", []string{"-p", "go"}},
		{"stream-json", []string{"-p", "--output-format", "stream-json", "--verbose", "go"}},
		{"partial", []string{"-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages", "go"}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			for b.Loop() {
				ios, _, out, errOut := iostreams.Test()
				if code := cli.Run(context.Background(), mode.args, ios, env); code != 0 || out.Len() < size {
					b.Fatalf("exit %d, %d bytes: %.300s", code, out.Len(), errOut.String())
				}
			}
		})
	}
}
