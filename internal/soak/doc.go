// Package soak holds strata's reliability suites; its code is all tests.
//
// The soak suite (soak_test.go) drives agent sessions — the real Bedrock client, the real
// transcript writer and the real Bash tool — through many scripted turns against the
// in-process emulator, which throttles, fails, cuts streams, sends exception frames, stalls
// and expires credentials at random (seeded). It checks that no turn is lost or duplicated
// in the transcript, that no tool runs twice because a request was retried, that every
// failure that outlived its retries is reported with its cause, and that no goroutine or file
// descriptor is left behind. `make soak` runs 1,000 turns; `make test` a short version.
//
// The crash suite (crash_test.go) kills the real strata binary with SIGKILL at random points
// of a session and checks that the transcript still reads and that `strata -c -p` resumes it
// against the emulator. `make crash` runs 100 kills; `make test` a few.
package soak
