package bedrock

import (
	"context"
	"sync"

	"github.com/strata-agent/strata/internal/llm"
)

// failureMemo remembers a failed credential command for the rest of the turn that saw it
// (llm.Turn), so that the turn's other requests — concurrent sub-agents, retries, the
// small/fast model, a fresh AWS configuration — get the same error at once instead of running
// again a command that may just have hung for minutes. The next turn, a separate user
// action, runs it again (the user may have fixed it or signed in meanwhile), and so does the
// export after a successful awsAuthRefresh. Outside any turn nothing is remembered; Client
// marks each request as a turn of its own when its caller did not.
type failureMemo struct {
	mu   sync.Mutex
	turn *llm.Turn
	err  error
}

// recall returns the failure remembered for ctx's turn, or nil.
func (m *failureMemo) recall(ctx context.Context) error {
	t := llm.TurnOf(ctx)
	if t == nil || m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.turn != t {
		return nil
	}
	return m.err
}

// remember records err as ctx's turn's failure.
func (m *failureMemo) remember(ctx context.Context, err error) {
	t := llm.TurnOf(ctx)
	if t == nil || m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.turn, m.err = t, err
}

// forget drops the remembered failure.
func (m *failureMemo) forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.turn, m.err = nil, nil
}
