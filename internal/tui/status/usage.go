package status

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/agent"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/tui/look"
)

// usageBook follows per-model usage and cost: a snapshot of the session's own account while
// it is idle, plus each answer's usage as it arrives during a turn (the session's map
// belongs to the agent's goroutine then).
type usageBook struct {
	cost    func(string, llm.Usage) (float64, bool)
	models  map[string]agent.ModelUsage
	apiTime time.Duration // summed from the results of finished turns
}

func newUsageBook(cost func(string, llm.Usage) (float64, bool)) usageBook {
	return usageBook{cost: cost, models: map[string]agent.ModelUsage{}}
}

func (b *usageBook) reset(snapshot map[string]agent.ModelUsage) {
	b.models = map[string]agent.ModelUsage{}
	for k, v := range snapshot {
		b.models[k] = v
	}
}

// add counts one answer of model.
func (b *usageBook) add(model string, u llm.Usage) {
	mu, seen := b.models[model]
	if !seen {
		mu.Known = true
	}
	mu.Usage = mu.Usage.Add(u)
	if b.cost == nil {
		mu.Known = false
	} else {
		usd, known := b.cost(model, u)
		mu.CostUSD += usd
		mu.Known = mu.Known && known
	}
	b.models[model] = mu
}

// total is the session's cost so far and whether every model had a price.
func (b *usageBook) total() (float64, bool) {
	var usd float64
	known := true
	for _, mu := range b.models {
		usd += mu.CostUSD
		known = known && mu.Known
	}
	return usd, known
}

// report is /usage and /cost: per-model tokens and cost, the totals, labelled as an
// estimate.
func (b *usageBook) report(st look.Styles) string {
	if len(b.models) == 0 {
		return st.Bold.Render("Session cost and usage") + " (an estimate): no model calls yet in this session, so $0 so far."
	}
	names := make([]string, 0, len(b.models))
	for name := range b.models {
		names = append(names, name)
	}
	sort.Strings(names)
	lines := []string{st.Bold.Render("Session cost and usage") + st.Dim.Render(" (cost estimated from Bedrock list prices; your bill may differ)")}
	var all llm.Usage
	for _, name := range names {
		mu := b.models[name]
		all = all.Add(mu.Usage)
		price := fmt.Sprintf("$%.4f", mu.CostUSD)
		if !mu.Known {
			price = "price unknown"
		}
		lines = append(lines, "  "+name, "    "+tokenLine(mu.Usage)+" · "+price)
	}
	usd, known := b.total()
	total := fmt.Sprintf("  Total: $%.4f", usd)
	if !known {
		total += " (without the models whose price is unknown)"
	}
	lines = append(lines, st.Bold.Render(total), "    "+tokenLine(all))
	if b.apiTime > 0 {
		lines = append(lines, st.Dim.Render(fmt.Sprintf("  Time waiting for the model: %.1fs", b.apiTime.Seconds())))
	}
	return strings.Join(lines, "\n")
}

// tokenLine is one model's (or all models') tokens by kind.
func tokenLine(u llm.Usage) string {
	return fmt.Sprintf("input %s · output %s · cache read %s · cache write %s",
		count(u.InputTokens), count(u.OutputTokens), count(u.CacheReadInputTokens), count(u.CacheCreationInputTokens))
}

// count formats a token count with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// shortCount is a token count for the status line: 950, 1.2k, 34k.
func shortCount(n int) string {
	switch {
	case n < 1000:
		return fmt.Sprint(n)
	case n < 10000:
		return fmt.Sprintf("%.1fk", float64(n)/1000)
	}
	return fmt.Sprintf("%dk", n/1000)
}
