// Package webfetch is the WebFetch tool: it downloads a web page, turns it into plain text
// and has the small, fast model answer the caller's prompt about it. Redirects to another
// host are not followed; the model is told where the page moved and may fetch it there.
package webfetch

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/strata-agent/strata/internal/permission"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

var (
	//go:embed schema.json
	schema []byte
	//go:embed description.md
	description string
)

const (
	fetchTimeout = 15 * time.Second
	cacheTTL     = 15 * time.Minute
	cacheEntries = 64
	// maxModelInput is how much page text goes to the model; maxPlainOutput is how much is
	// returned directly when no model is available.
	maxModelInput  = 100_000
	maxPlainOutput = 30_000
)

// systemPrompt tells the small model how to answer about a page.
const systemPrompt = `You read a web page on behalf of a coding agent and answer its request about the page.
Answer from the page content only; say so plainly when the page does not contain the answer.
Be concise and concrete. Quote code, commands, version numbers and short passages exactly.
Do not reproduce long stretches of the page verbatim; summarise instead.`

// Options configures WebFetch.
type Options struct {
	// Client makes the requests. Nil means a client honouring the proxy variables of strata's
	// environment. Its redirect policy is always replaced by the tool's own.
	Client *http.Client
}

type input struct {
	URL    string `json:"url"`
	Prompt string `json:"prompt"`
}

type webFetch struct {
	client *http.Client
	cache  *cache
}

// New returns the WebFetch tool. Each value keeps its own 15-minute cache of fetched pages.
func New(opts Options) tool.Tool {
	c := opts.Client
	if c == nil {
		c = &http.Client{Transport: http.DefaultTransport}
	}
	return &webFetch{client: c, cache: newCache()}
}

func (*webFetch) Name() string                 { return "WebFetch" }
func (*webFetch) Description() string          { return description }
func (*webFetch) InputSchema() json.RawMessage { return schema }
func (*webFetch) ConcurrencySafe() bool        { return true }
func (*webFetch) Class() permission.Class      { return permission.ClassNetwork }

func (w *webFetch) Run(ctx context.Context, env *tool.Env, raw json.RawMessage) (tool.Result, error) {
	var in input
	if err := fsutil.DecodeInput("WebFetch", raw, &in); err != nil {
		return tool.Errorf("%v", err), nil
	}
	if strings.TrimSpace(in.Prompt) == "" {
		return tool.Errorf("prompt is required: say what you want to know from the page"), nil
	}
	u, err := normalizeURL(in.URL)
	if err != nil {
		return tool.Errorf("%v", err), nil
	}
	p, ok := w.cache.get(u.String(), env.Time())
	if !ok {
		fctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		p, err = fetch(fctx, w.client, u)
		cancel()
		var re *redirectError
		var fe *fetchError
		switch {
		case errors.As(err, &re):
			return tool.Result{Text: fmt.Sprintf("%s. It was not followed because it leads to another host; to read it, call WebFetch again with url %q.",
				re.Error(), re.to)}, nil
		case errors.As(err, &fe):
			return tool.Errorf("%v", fe), nil
		case err != nil:
			return tool.Result{}, err
		}
		w.cache.put(u.String(), p, env.Time())
	}
	return w.answer(ctx, env, p, in.Prompt)
}

// answer has the small model respond to prompt about the page, or returns the page text
// itself when there is no model or it fails.
func (w *webFetch) answer(ctx context.Context, env *tool.Env, p *page, prompt string) (tool.Result, error) {
	content, cut := truncate(p.text, maxModelInput)
	var notes []string
	if p.truncated {
		notes = append(notes, fmt.Sprintf("The page was larger than %d MB; only its beginning was read.", maxBody>>20))
	}
	if cut {
		notes = append(notes, fmt.Sprintf("The page text was cut to %d characters.", maxModelInput))
	}
	if env.Model != nil {
		q := fmt.Sprintf("Page %s:\n<page>\n%s\n</page>\n\n%sRequest: %s", p.url, content, noteLine(notes), prompt)
		ans, err := env.Model.Ask(ctx, systemPrompt, q)
		if err == nil {
			return tool.Result{Text: withNotes(strings.TrimSpace(ans), notes)}, nil
		}
		if ctx.Err() != nil {
			return tool.Result{}, ctx.Err()
		}
		notes = append(notes, fmt.Sprintf("The model could not answer the request (%v), so here is the page text itself.", err))
	} else {
		notes = append(notes, "No model is available to answer the request, so here is the page text itself.")
	}
	text, cut := truncate(p.text, maxPlainOutput)
	if cut {
		notes = append(notes, fmt.Sprintf("Only the first %d characters are shown.", maxPlainOutput))
	}
	return tool.Result{Text: withNotes(fmt.Sprintf("Content of %s:\n\n%s", p.url, text), notes)}, nil
}

func noteLine(notes []string) string {
	if len(notes) == 0 {
		return ""
	}
	return strings.Join(notes, " ") + "\n\n"
}

func withNotes(text string, notes []string) string {
	if len(notes) == 0 {
		return text
	}
	return text + "\n\n[" + strings.Join(notes, " ") + "]"
}

// truncate cuts s to at most n characters (runes).
func truncate(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i], true
		}
		count++
	}
	return s, false
}

// cache keeps recently fetched pages so that several questions about one page cost one
// download. It belongs to a tool value, never to the package.
type cache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	page    *page
	fetched time.Time
}

func newCache() *cache { return &cache{entries: map[string]cacheEntry{}} }

func (c *cache) get(key string, now time.Time) (*page, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || now.Sub(e.fetched) >= cacheTTL || now.Before(e.fetched) {
		delete(c.entries, key)
		return nil, false
	}
	return e.page, true
}

func (c *cache) put(key string, p *page, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if now.Sub(e.fetched) >= cacheTTL {
			delete(c.entries, k)
		}
	}
	if len(c.entries) >= cacheEntries {
		oldest := ""
		for k, e := range c.entries {
			if oldest == "" || e.fetched.Before(c.entries[oldest].fetched) {
				oldest = k
			}
		}
		delete(c.entries, oldest)
	}
	c.entries[key] = cacheEntry{page: p, fetched: now}
}
