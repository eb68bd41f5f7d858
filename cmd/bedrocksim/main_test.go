package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary plays bedrocksim when this variable is set, so the tests can run the real
// main (signals, exit code) without building anything.
const runAsMain = "BEDROCKSIM_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsMain) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func TestStopsOnSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "--no-auth")
			cmd.Env = append(os.Environ(), runAsMain+"=1")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(out).ReadString('\n')
			if err != nil {
				cmd.Process.Kill()
				t.Fatalf("no URL line: %v", err)
			}
			url := strings.TrimSpace(line)
			if !strings.HasPrefix(url, "http://127.0.0.1:") {
				t.Errorf("first line %q is not the URL", line)
			}
			// It serves: an unauthenticated GET reaches the control plane.
			resp, err := http.Get(url + "/inference-profiles")
			if err != nil || resp.StatusCode != 200 {
				t.Errorf("GET /inference-profiles: %v %v", resp, err)
			}
			if resp != nil {
				resp.Body.Close()
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit after %v: %v", sig, err)
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running after %v", sig)
			}
		})
	}
}
