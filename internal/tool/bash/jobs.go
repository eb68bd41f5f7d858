package bash

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/tool"
)

// maxUnread bounds the output a background job keeps between two BashOutput calls; older
// output is dropped first.
const maxUnread = 1 << 20

// job is a command started with run_in_background. It is stored in the Env under its id.
type job struct {
	id      string
	command string
	started time.Time
	p       *proc.Process

	mu      sync.Mutex
	unread  []byte
	dropped int64
}

// Write receives the job's output (its pipe is copied here).
func (j *job) Write(b []byte) (int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.unread = append(j.unread, b...)
	if over := len(j.unread) - maxUnread; over > 0 {
		j.dropped += int64(over)
		j.unread = append([]byte(nil), j.unread[over:]...)
	}
	return len(b), nil
}

// take returns and clears the output not read yet, and how many bytes were dropped from it.
func (j *job) take() ([]byte, int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out, dropped := j.unread, j.dropped
	j.unread, j.dropped = nil, 0
	return out, dropped
}

// awaitOutput gives the output pipe a moment to drain after the job ended. It does not close
// the pipe: a process the job left behind may still be writing.
func (j *job) awaitOutput() {
	select {
	case <-j.p.OutputDone():
	case <-time.After(drainGrace):
	}
}

func (j *job) running() bool {
	select {
	case <-j.p.Exited():
		return false
	default:
		return true
	}
}

// status describes the job in one line.
func (j *job) status(now time.Time) string {
	if j.running() {
		return fmt.Sprintf("running (started %s ago)", now.Sub(j.started).Round(time.Second))
	}
	res, _ := j.p.Result()
	switch {
	case res.Killed:
		return "killed"
	case res.Signal != "":
		return "ended by signal " + res.Signal
	}
	return fmt.Sprintf("exited with code %d", res.ExitCode)
}

// kill stops the job's whole process group; it reports false if the job had already ended.
func (j *job) kill() bool {
	if !j.running() {
		return false
	}
	j.p.Kill()
	return true
}

func newJobID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "bash_" + hex.EncodeToString(b[:])
}

// startJob starts a background command and returns its id at once. The job does not move
// the session's working directory and has no timeout: it runs until it ends, KillShell
// stops it, or Shutdown does at the end of the session.
func startJob(env *tool.Env, bashPath, dir string, in input, note string, box proc.Wrapper) (tool.Result, error) {
	j := &job{id: newJobID(), command: in.Command, started: env.Time()}
	c := bashCmd(bashPath, dir, env.Environ, j, 0, in.Command)
	if script := shellEnv(env); script != "" {
		c = bashCmd(bashPath, dir, env.Environ, j, 0, withEnvScript, in.Command, script)
	}
	c.Wrapper = box
	// No context: the job outlives the call that started it.
	p, err := proc.Start(context.Background(), c)
	if err != nil {
		return tool.Result{}, fmt.Errorf("starting bash in %s: %w", dir, err)
	}
	j.p = p
	env.PutJob(j.id, j)
	text := fmt.Sprintf("Started in the background with id %s. Read its output with BashOutput (bash_id %q); stop it with KillShell (shell_id %q).",
		j.id, j.id, j.id)
	if in.Timeout != nil {
		text += " The timeout does not apply to background commands."
	}
	return tool.Result{Text: note + text}, nil
}

// lookupJob finds a background job by id; the error text is for the model.
func lookupJob(env *tool.Env, field, id string) (*job, error) {
	if id == "" {
		return nil, fmt.Errorf("%s is required", field)
	}
	v, ok := env.Job(id)
	j, isJob := v.(*job)
	if !ok || !isJob {
		ids := runningIDs(env)
		if len(ids) == 0 {
			return nil, fmt.Errorf("no background job has id %q, and no job is running", id)
		}
		return nil, fmt.Errorf("no background job has id %q; running jobs: %s", id, strings.Join(ids, ", "))
	}
	return j, nil
}

func runningIDs(env *tool.Env) []string {
	var ids []string
	for _, id := range env.JobIDs() {
		if v, _ := env.Job(id); v != nil {
			if j, ok := v.(*job); ok && j.running() {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// Shutdown stops every background job of the session that is still running — each with its
// whole process group — and returns when they are gone. Call it when the session ends.
func Shutdown(env *tool.Env) {
	var wg sync.WaitGroup
	for _, id := range env.JobIDs() {
		v, _ := env.Job(id)
		if j, ok := v.(*job); ok {
			wg.Add(1)
			go func() {
				defer wg.Done()
				j.kill()
			}()
		}
	}
	wg.Wait()
}
