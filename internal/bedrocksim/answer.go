package bedrocksim

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/strata-agent/strata/internal/llm"
)

// answer is what the model says to one request.
type answer struct {
	blocks  []llm.ContentBlock
	stop    string
	stopSeq *string
	// open is set when the last block is a tool_use cut off by max_tokens: only partial of
	// its input is sent and, unless closeOpen, its content_block_stop never comes.
	open      bool
	partial   string
	closeOpen bool
	usage     usageOverride
}

// outputTokens estimates what the answer costs in output tokens.
func (a *answer) outputTokens() int {
	n := 0
	for i, b := range a.blocks {
		switch b.Type {
		case llm.TypeText:
			n += estimateTokens(b.Text)
		case llm.TypeThinking:
			n += estimateTokens(b.Thinking)
		case llm.TypeRedactedThinking:
			n += estimateTokens(b.Data) / 4
		case llm.TypeToolUse:
			in := string(b.Input)
			if a.open && i == len(a.blocks)-1 {
				in = a.partial
			}
			n += estimateTokens(b.Name + in)
		}
	}
	return max(n, 1)
}

// echoAnswer is the built-in model: it repeats the last user text (or tool result) back.
func (s *Server) echoAnswer(req *request) *answer {
	text := req.lastUserText()
	if text == "" {
		if tr := req.lastToolResultText(); tr != "" {
			text = "tool_result: " + tr
		}
	}
	if text == "" {
		text = "(no text)"
	}
	return &answer{blocks: []llm.ContentBlock{llm.TextBlock("echo: " + text)}, stop: llm.StopEndTurn}
}

// scriptedAnswer turns a script turn into an answer, with fresh tool_use IDs where the script
// gives none.
func (s *Server) scriptedAnswer(t *turn) *answer {
	a := &answer{stop: t.stopReason, usage: t.usage, closeOpen: t.closeTruncated}
	for _, b := range t.content {
		switch b.typ {
		case llm.TypeText:
			a.blocks = append(a.blocks, llm.TextBlock(b.text))
		case llm.TypeThinking:
			sig := b.signature
			if sig == "" {
				sig = s.sigs.sign(b.thinking)
			}
			a.blocks = append(a.blocks, llm.ContentBlock{Type: llm.TypeThinking, Thinking: b.thinking, Signature: sig})
		case llm.TypeRedactedThinking:
			a.blocks = append(a.blocks, llm.ContentBlock{Type: llm.TypeRedactedThinking, Data: b.data})
		case llm.TypeToolUse:
			id := b.id
			if id == "" {
				id = newID("toolu_bdrk_01")
			}
			a.blocks = append(a.blocks, llm.ContentBlock{Type: llm.TypeToolUse, ID: id, Name: b.name, Input: b.input})
		}
	}
	if a.stop == "" {
		a.stop = llm.StopEndTurn
		if len(a.blocks) > 0 && a.blocks[len(a.blocks)-1].Type == llm.TypeToolUse {
			a.stop = llm.StopToolUse
		}
	}
	if a.stop == llm.StopMaxTokens && len(a.blocks) > 0 && a.blocks[len(a.blocks)-1].Type == llm.TypeToolUse {
		in := string(a.blocks[len(a.blocks)-1].Input)
		a.open, a.partial = true, cutAt(in, len(in)/2)
	}
	return a
}

// shape makes the answer fit the request as a real model would: thinking only when it is on
// (and first when budgeted thinking is on), generation stopped at a stop sequence or at
// max_tokens.
func (s *Server) shape(a *answer, req *request) {
	if !req.thinkingOn() {
		a.blocks = dropThinking(a.blocks)
	} else if req.thinking == "enabled" && (len(a.blocks) == 0 || !isThinking(a.blocks[0])) {
		const text = "Considering the request before answering."
		th := llm.ContentBlock{Type: llm.TypeThinking, Thinking: text, Signature: s.sigs.sign(text)}
		a.blocks = append([]llm.ContentBlock{th}, a.blocks...)
	}
	applyStopSequences(a, req.stopSeqs)
	s.truncate(a, req.maxTokens)
}

func isThinking(b llm.ContentBlock) bool {
	return b.Type == llm.TypeThinking || b.Type == llm.TypeRedactedThinking
}

func dropThinking(blocks []llm.ContentBlock) []llm.ContentBlock {
	var out []llm.ContentBlock
	for _, b := range blocks {
		if !isThinking(b) {
			out = append(out, b)
		}
	}
	return out
}

// applyStopSequences ends the answer at the first stop sequence found in a text block.
func applyStopSequences(a *answer, seqs []string) {
	for i, b := range a.blocks {
		if b.Type != llm.TypeText {
			continue
		}
		at, which := -1, ""
		for _, seq := range seqs {
			if j := strings.Index(b.Text, seq); seq != "" && j >= 0 && (at < 0 || j < at) {
				at, which = j, seq
			}
		}
		if at >= 0 {
			a.blocks[i].Text = b.Text[:at]
			a.blocks = a.blocks[:i+1]
			if a.blocks[i].Text == "" {
				a.blocks = a.blocks[:i]
			}
			a.stop, a.stopSeq, a.open = llm.StopSequence, &which, false
			return
		}
	}
}

// truncate cuts the answer where max_tokens runs out, mid-block if need be.
func (s *Server) truncate(a *answer, limit int) {
	if a.outputTokens() <= limit {
		return
	}
	budget := limit
	for i, b := range a.blocks {
		cost := (&answer{blocks: []llm.ContentBlock{b}}).outputTokens()
		if cost <= budget {
			budget -= cost
			continue
		}
		room := budget * bytesPerToken
		a.blocks = a.blocks[:i]
		a.stop, a.stopSeq, a.open = llm.StopMaxTokens, nil, false
		switch b.Type {
		case llm.TypeText:
			if b.Text = cutAt(b.Text, room); b.Text != "" {
				a.blocks = append(a.blocks, b)
			}
		case llm.TypeThinking:
			if b.Thinking = cutAt(b.Thinking, room); b.Thinking != "" {
				b.Signature = s.sigs.sign(b.Thinking)
				a.blocks = append(a.blocks, b)
			}
		case llm.TypeToolUse:
			a.blocks = append(a.blocks, b)
			a.open, a.partial = true, cutAt(string(b.Input), max(room-len(b.Name)-1, 0))
		}
		return
	}
}

// cutAt shortens s to at most n bytes without splitting a character.
func cutAt(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:max(n, 0)]
}

// newID makes a unique ID with Anthropic's look: a prefix and 22 base-62 characters.
func newID(prefix string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var raw [22]byte
	_, _ = rand.Read(raw[:])
	out := make([]byte, len(raw))
	for i, b := range raw {
		out[i] = alphabet[int(b)%len(alphabet)]
	}
	return prefix + string(out)
}

// signatureBook signs thinking blocks and recognises the signatures the emulator gave out.
// Computed signatures are an HMAC with a fixed key, so they stay valid across restarts (a
// resumed conversation still verifies); signatures written in a script are remembered.
type signatureBook struct {
	mu    sync.Mutex
	given map[string]string // signature → thinking text
}

var signatureKey = []byte("bedrocksim thinking signature v1")

func newSignatureBook() *signatureBook { return &signatureBook{given: map[string]string{}} }

func (b *signatureBook) sign(thinking string) string {
	mac := hmac.New(sha256.New, signatureKey)
	mac.Write([]byte(thinking))
	return "bdrksim" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (b *signatureBook) remember(thinking, sig string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.given[sig] = thinking
}

func (b *signatureBook) valid(thinking, sig string) bool {
	if hmac.Equal([]byte(sig), []byte(b.sign(thinking))) {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	text, ok := b.given[sig]
	return ok && text == thinking
}

// inputOf is the tool input a non-streaming answer shows for block i.
func (a *answer) inputOf(i int) json.RawMessage {
	if a.open && i == len(a.blocks)-1 {
		return json.RawMessage("{}")
	}
	return a.blocks[i].Input
}
