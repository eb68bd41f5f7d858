package soak

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// maxRetries is CLAUDE_CODE_MAX_RETRIES in the soak: small, so that a turn can outlive it
// with a handful of faults.
const maxRetries = 3

// plan is what one prompt of the soak is scripted to do.
type plan struct {
	n       int  // global turn number, in prompt and answer markers
	tool    bool // the model first runs a Bash command, then answers
	slow    bool // that command sleeps first
	exhaust bool // one of its model requests fails more often than the retries allow
	// faults of the first model request and (for tool turns) of the one after the tool.
	first, second []map[string]any
}

func prompt(n int) string { return fmt.Sprintf("TURN-%05d", n) }
func answer(n int) string { return fmt.Sprintf("ANSWER-%05d", n) }
func ran(n int) string    { return fmt.Sprintf("RAN-%05d", n) }

// newPlan draws turn n at random.
func newPlan(rng *rand.Rand, n int) plan {
	p := plan{n: n, tool: rng.IntN(2) == 0}
	p.slow = p.tool && rng.IntN(4) == 0
	p.first = faults(rng)
	if p.tool {
		p.second = faults(rng)
	}
	if rng.IntN(25) == 0 {
		// maxRetries+1 failures the client retries: the whole budget is spent.
		p.exhaust = true
		spent := exhaustion(rng)
		if p.tool && rng.IntN(2) == 0 {
			p.second = spent
		} else {
			p.first = spent
		}
	}
	return p
}

// faults draws what a model request meets before it is answered: nothing half the time, else
// one to maxRetries faults of every kind the client must survive. Credentials expire at most
// once per request, since a request refreshes them once.
func faults(rng *rand.Rand) []map[string]any {
	if rng.IntN(2) == 0 {
		return nil
	}
	var out []map[string]any
	expired := false
	for range 1 + rng.IntN(maxRetries) {
		f := fault(rng)
		if f["fault"] == "expire_credentials" {
			if expired {
				f = map[string]any{"fault": "throttle"}
			}
			expired = true
		}
		out = append(out, f)
	}
	if rng.IntN(6) == 0 {
		// A slow answer: the request that gets it waits first.
		out = append(out, map[string]any{"fault": "stall", "ms": 20 + rng.IntN(60), "resume": true})
	}
	return out
}

var streamExceptions = []string{"modelStreamErrorException", "throttlingException", "internalServerException",
	"serviceUnavailableException"}

func fault(rng *rand.Rand) map[string]any {
	switch rng.IntN(9) {
	case 0:
		return map[string]any{"fault": "throttle"}
	case 1:
		return map[string]any{"fault": "server_error", "status": []int{500, 503}[rng.IntN(2)]}
	case 2, 3:
		// after_events stays below the 6 frames of the shortest answer: a cut after the last
		// frame would deliver the whole answer.
		return map[string]any{"fault": "cut", "after_events": rng.IntN(6), "reset": rng.IntN(2) == 0}
	case 4, 5:
		return map[string]any{"fault": "exception", "after_events": rng.IntN(5),
			"exception": streamExceptions[rng.IntN(len(streamExceptions))], "message": "soak fault"}
	case 6:
		// A stall before the headers, closed by the emulator.
		return map[string]any{"fault": "stall", "ms": 10 + rng.IntN(40)}
	case 7:
		if rng.IntN(2) == 0 {
			// Each one costs the idle timeout: half as many as the other faults.
			return map[string]any{"fault": "cut", "after_events": rng.IntN(6)}
		}
		// A stall in mid-stream far longer than the client's idle timeout; the emulator stops
		// waiting when the client goes away.
		return map[string]any{"fault": "stall", "ms": 10 * idleTimeoutMS, "after_events": 1 + rng.IntN(3)}
	default:
		return map[string]any{"fault": "expire_credentials"}
	}
}

// exhaustion is maxRetries+1 throttles and server errors: a request the client gives up on.
func exhaustion(rng *rand.Rand) []map[string]any {
	var out []map[string]any
	for range maxRetries + 1 {
		if rng.IntN(2) == 0 {
			out = append(out, map[string]any{"fault": "throttle"})
		} else {
			out = append(out, map[string]any{"fault": "server_error"})
		}
	}
	return out
}

// command is the Bash command of a tool turn: it appends its marker to the ledger, so every
// execution leaves a line, and prints it for the model.
func (p plan) command(ledger string) string {
	cmd := fmt.Sprintf("echo %s | tee -a %s", ran(p.n), ledger)
	if p.slow {
		cmd = "sleep 0.05; " + cmd
	}
	return cmd
}

// scriptFor is the emulator script of a run of plans.
func scriptFor(plans []plan, ledger string) []byte {
	var turns []any
	for _, p := range plans {
		first := map[string]any{"name": prompt(p.n), "when": map[string]any{"user_text_contains": prompt(p.n)},
			"content": answer(p.n)}
		if len(p.first) > 0 {
			first["faults"] = p.first
		}
		if p.tool {
			first["content"] = []any{
				map[string]any{"type": "text", "text": "Running " + ran(p.n) + "."},
				map[string]any{"type": "tool_use", "name": "Bash",
					"input": map[string]any{"command": p.command(ledger), "description": "record the turn"}}}
		}
		turns = append(turns, first)
		if p.tool {
			second := map[string]any{"name": ran(p.n), "when": map[string]any{"tool_result_contains": ran(p.n)},
				"content": answer(p.n)}
			if len(p.second) > 0 {
				second["faults"] = p.second
			}
			turns = append(turns, second)
		}
	}
	doc, err := json.Marshal(map[string]any{"turns": turns, "on_exhausted": "error"})
	if err != nil {
		panic(err)
	}
	return doc
}

// requests is how many model requests the plans must cost: one per fault, plus the one that
// gets the answer, for every scripted answer. Anything else is a lost or a duplicated request.
func requests(plans []plan) int {
	n := 0
	for _, p := range plans {
		n += cost(p.first)
		if p.tool {
			n += cost(p.second)
		}
	}
	return n
}

// cost is the requests one scripted answer takes: a stall that resumes delivers the answer
// itself.
func cost(faults []map[string]any) int {
	if n := len(faults); n > 0 && faults[n-1]["resume"] == true {
		return n
	}
	return len(faults) + 1
}
