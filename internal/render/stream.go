package render

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/strata-agent/strata/internal/llm"
)

// Batched output (Options.Batch): the lines of a streaming answer's deltas collect in a
// buffer that is written when it fills, flushDelay after the first line waiting in it, and at
// once before any other line (a block's end, a message, the result), so a reader sees every
// delta within flushDelay and everything else as soon as it happens, without a write per token.
const (
	flushDelay = 20 * time.Millisecond
	batchSize  = 64 << 10
)

// batch is the Printer's output buffer, guarded by the Printer's lock.
type batch struct {
	buf   *bufio.Writer
	timer *time.Timer // flushes the buffer flushDelay after its first waiting line
	armed bool
}

// flusher is a writer that holds bytes back until told (a redacting writer).
type flusher interface{ Flush() error }

// writeLocked writes s; lines that may wait (deltas) stay in the batch, others flush it.
func (p *Printer) writeLocked(s string, wait bool) {
	if p.err != nil {
		return
	}
	if p.batch == nil {
		if _, err := io.WriteString(p.out, s); err != nil {
			p.err = err
		}
		return
	}
	if _, err := p.batch.buf.WriteString(s); err != nil {
		p.err = err
		return
	}
	if !wait {
		p.flushLocked()
		return
	}
	if !p.batch.armed {
		p.batch.armed = true
		if p.batch.timer == nil {
			p.batch.timer = time.AfterFunc(flushDelay, p.timedFlush)
		} else {
			p.batch.timer.Reset(flushDelay)
		}
	}
}

func (p *Printer) timedFlush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.batch.armed {
		p.flushLocked()
	}
}

// flushLocked writes what the batch holds, and what the writer below holds back.
func (p *Printer) flushLocked() {
	if p.batch == nil {
		return
	}
	if p.batch.armed {
		p.batch.armed = false
		p.batch.timer.Stop()
	}
	if p.err != nil {
		return
	}
	if err := p.batch.buf.Flush(); err != nil {
		p.err = err
		return
	}
	if f, ok := p.out.(flusher); ok {
		if err := f.Flush(); err != nil {
			p.err = err
		}
	}
}

// streamEvent writes a stream_event line. A content delta, nearly every line of an answer,
// is written without the general encoder and may wait in the batch; the rest take the
// general path and flush it.
func (p *Printer) streamEvent(ev *llm.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := p.newUUID()
	if line, ok := deltaLine(p.scratch[:0], ev, p.opts.SessionID, id); ok {
		p.scratch = line
		p.writeLocked(string(line), true)
		return
	}
	line, err := encodeLine(message{Type: "stream_event", Event: ev, SessionID: p.opts.SessionID, UUID: id})
	if err != nil {
		p.failLocked(err)
		return
	}
	p.writeLocked(line, false)
}

// newUUID draws a random UUID from a buffered source: one read of the system's randomness
// per 64 lines rather than one per line. Called under the lock.
func (p *Printer) newUUID() string {
	if p.random == nil {
		p.random = bufio.NewReaderSize(rand.Reader, 16*64)
	}
	id, err := uuid.NewRandomFromReader(p.random)
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}

// deltaLine appends the stream_event line of a content delta, exactly as the general encoder
// writes it (TestDeltaLineMatchesEncoder), or reports false for any other event.
func deltaLine(b []byte, ev *llm.Event, sessionID, id string) ([]byte, bool) {
	if ev.Type != llm.EventContentBlockDelta || ev.Delta == nil || len(ev.Raw) > 0 {
		return b, false
	}
	d := ev.Delta
	var key, value string
	switch d.Type {
	case llm.DeltaText:
		key, value = "text", d.Text
	case llm.DeltaThinking:
		key, value = "thinking", d.Thinking
	case llm.DeltaInputJSON:
		key, value = "partial_json", d.PartialJSON
	default:
		return b, false
	}
	quoted, err := json.Marshal(value) // the encoder's own escaping, as Delta.MarshalJSON has it
	if err != nil {
		return b, false
	}
	b = append(b, `{"type":"stream_event","event":{"type":"content_block_delta","index":`...)
	b = strconv.AppendInt(b, int64(ev.Index), 10)
	b = append(b, `,"delta":{"type":"`...)
	b = append(b, d.Type...)
	b = append(b, `","`...)
	b = append(b, key...)
	b = append(b, `":`...)
	b = append(b, quoted...)
	b = append(b, `}},"parent_tool_use_id":null,"session_id":`...)
	b = appendJSONString(b, sessionID)
	b = append(b, `,"uuid":"`...)
	b = append(b, id...)
	b = append(b, "\"}\n"...)
	return b, true
}

// appendJSONString appends s as the line encoder writes it (HTML characters unescaped).
func appendJSONString(b []byte, s string) []byte {
	line, err := encodeLine(s)
	if err != nil {
		return b
	}
	return append(b, line[:len(line)-1]...)
}
