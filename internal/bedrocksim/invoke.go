package bedrocksim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/strata-agent/strata/internal/llm"
)

// invoke answers InvokeModel and InvokeModelWithResponseStream.
func (s *Server) invoke(w http.ResponseWriter, r *http.Request, op string, id identity, modelID string, body []byte) *apiError {
	start := time.Now()
	res, err := s.resolveModel(modelID, id.region, s.now())
	if err != nil {
		return err
	}
	req, err := s.validate(op, body, res)
	if err != nil {
		return err
	}
	a, f, err := s.decide(req)
	if err != nil {
		return err
	}
	s.shape(a, req)
	if f != nil {
		if err := s.immediateFault(f, id); err != nil {
			return err
		}
	}
	usage := s.usage(req, a)
	msgID := newID("msg_bdrk_01")
	if f != nil && f.kind == faultContentType {
		s.sendMessage(w, r, a, req, msgID, usage, f.contentType, start)
		return nil
	}
	if op == OpInvoke {
		return s.deliverMessage(w, r, a, req, msgID, usage, f, start)
	}
	s.deliverStream(w, r, a, req, msgID, usage, f, start)
	return nil
}

// decide asks the script (or the echo model) what this request gets.
func (s *Server) decide(req *request) (*answer, *fault, *apiError) {
	s.mu.Lock()
	st := s.script
	var step step
	if st != nil {
		step = st.next(req)
	}
	exhausted := st != nil && step.exhausted
	used, total, echo := 0, 0, st == nil
	if st != nil {
		used, total = st.usedCount(), len(st.sc.turns)
		echo = exhausted && st.sc.onExhausted == exhaustedEcho
	}
	s.mu.Unlock()
	switch {
	case echo:
		return s.echoAnswer(req), nil, nil
	case exhausted:
		return nil, nil, validationError(fmt.Sprintf(
			"bedrocksim: the script has no unused turn that matches this request (%d of %d turns used; last user text %q)",
			used, total, clip(req.lastUserText(), 80)))
	}
	return s.scriptedAnswer(step.turn), step.fault, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return cutAt(s, n) + "…"
}

// immediateFault answers the faults that replace the whole response with an error.
func (s *Server) immediateFault(f *fault, id identity) *apiError {
	switch f.kind {
	case faultThrottle:
		return throttled(f.message)
	case faultServerError:
		return serverError(f.status, f.message)
	case faultError:
		return newError(f.status, f.code, f.message)
	case faultValidation:
		return validationError(f.message)
	case faultExpire:
		s.expire(id)
		return authError(http.StatusForbidden, "ExpiredTokenException", msgTokenExpired)
	}
	return nil
}

// expire makes the credentials of id answer ExpiredTokenException from now on.
func (s *Server) expire(id identity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch id.auth {
	case AuthSigV4:
		if ks, ok := s.keys[id.akid]; ok {
			ks.expired = true
		}
	case AuthBearer:
		s.expiredBearer[id.secret] = true
	}
}

// usage accounts the prompt (cache reads and writes) and the answer, then applies the
// script's overrides.
func (s *Server) usage(req *request, a *answer) llm.Usage {
	read, write := s.cache.account(req.res.model.BaseID, req.units, req.res.model.CacheMinTokens, s.now())
	u := llm.Usage{InputTokens: req.tokens - read - write, OutputTokens: a.outputTokens(),
		CacheCreationInputTokens: write, CacheReadInputTokens: read}
	return a.usage.apply(u)
}

// response is the full message of a non-streaming answer.
func (a *answer) response(msgID, model string, usage llm.Usage) llm.Response {
	blocks := make([]llm.ContentBlock, len(a.blocks))
	for i, b := range a.blocks {
		if b.Type == llm.TypeToolUse {
			b.Input = a.inputOf(i)
		}
		blocks[i] = b
	}
	return llm.Response{ID: msgID, Type: "message", Role: llm.RoleAssistant, Model: model,
		Content: blocks, StopReason: a.stop, StopSequence: a.stopSeq, Usage: usage}
}

// deliverMessage answers InvokeModel; stream faults become what they are without a stream.
func (s *Server) deliverMessage(w http.ResponseWriter, r *http.Request, a *answer, req *request, msgID string, usage llm.Usage, f *fault, start time.Time) *apiError {
	if f != nil {
		switch f.kind {
		case faultCut:
			cut(w, f)
		case faultException:
			e := streamExceptions[f.exception]
			msg := f.message
			if msg == "" {
				msg = e.text
			}
			return newError(e.status, e.code, msg)
		case faultStall:
			if !sleep(r.Context(), f.stall) || !f.resume {
				cut(w, f)
			}
		}
	}
	generation := s.cfg.Latency.FirstByte + time.Duration(usage.OutputTokens)*s.cfg.Latency.PerToken
	if !sleep(r.Context(), generation) {
		abort()
	}
	s.sendMessage(w, r, a, req, msgID, usage, "application/json", start)
	return nil
}

func (s *Server) sendMessage(w http.ResponseWriter, _ *http.Request, a *answer, req *request, msgID string, usage llm.Usage, contentType string, start time.Time) {
	body, _ := json.Marshal(a.response(msgID, req.res.requested, usage))
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Amzn-Bedrock-Input-Token-Count", strconv.Itoa(usage.InputTokens))
	h.Set("X-Amzn-Bedrock-Output-Token-Count", strconv.Itoa(usage.OutputTokens))
	h.Set("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", strconv.Itoa(usage.CacheReadInputTokens))
	h.Set("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", strconv.Itoa(usage.CacheCreationInputTokens))
	h.Set("X-Amzn-Bedrock-Invocation-Latency", strconv.FormatInt(time.Since(start).Milliseconds(), 10))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// deliverStream answers InvokeModelWithResponseStream, with a stream fault if one is due:
// cut, exception or stall after fault.afterEvents frames (a stall at 0 comes before the
// first byte).
func (s *Server) deliverStream(w http.ResponseWriter, r *http.Request, a *answer, req *request, msgID string, usage llm.Usage, f *fault, start time.Time) {
	ctx := r.Context()
	evs := a.events(msgID, req.res.requested, usage)
	if f != nil && f.kind == faultStall && f.afterEvents == 0 {
		if !sleep(ctx, f.stall) || !f.resume {
			cut(w, f)
		}
		f = nil
	}
	if !sleep(ctx, s.cfg.Latency.FirstByte) {
		abort()
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.amazon.eventstream")
	h.Set("X-Amzn-Bedrock-Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	firstByte := time.Since(start)
	fw := newFrameWriter(w)
	for i, e := range evs {
		if f != nil && i == f.afterEvents {
			if done := s.streamFault(w, fw, r, f); done {
				return
			}
			f = nil
		}
		if !sleep(ctx, time.Duration(e.tokens)*s.cfg.Latency.PerToken) {
			abort()
		}
		if e.ev.Type == llm.EventMessageStop {
			e.ev.Metrics = &llm.InvocationMetrics{InputTokenCount: usage.InputTokens, OutputTokenCount: usage.OutputTokens,
				InvocationLatency: int(time.Since(start).Milliseconds()), FirstByteLatency: int(firstByte.Milliseconds())}
			if rec, ok := w.(*recorder); ok && f == nil {
				rec.finish() // nothing can change the record now; the client may be done before this handler
			}
		}
		if fw.chunk(e.ev) != nil {
			return
		}
	}
	if f != nil {
		s.streamFault(w, fw, r, f)
	}
}

// streamFault applies a mid-stream fault; it reports whether the stream is over.
func (s *Server) streamFault(w http.ResponseWriter, fw *frameWriter, r *http.Request, f *fault) bool {
	switch f.kind {
	case faultCut:
		cut(w, f)
	case faultException:
		msg := f.message
		if msg == "" {
			msg = streamExceptions[f.exception].text
		}
		_ = fw.exception(f.exception, msg)
		return true
	case faultStall:
		if !sleep(r.Context(), f.stall) || !f.resume {
			cut(w, f)
		}
	}
	return false
}
