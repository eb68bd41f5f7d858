package bedrock

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/aws/smithy-go/transport/http/protocol/restjson1"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/schemas"
)

// Event-stream framing (application/vnd.amazon.eventstream): a 12-byte prelude (total
// length, headers length, CRC32 of the first 8 bytes), the headers, the payload and a CRC32
// of everything before it. The limits are the AWS decoder's.
const (
	preludeLen    = 12
	maxHeadersLen = 128 * 1024
	maxPayloadLen = 16 * 1024 * 1024
	frameReadSize = 64 * 1024 // the body is read in chunks this size, not a frame at a time
)

// frameReader reads a Bedrock answer's event stream straight from the HTTP body. A chunk —
// nearly every frame — costs no allocation: the frame lands in a reused buffer, only the
// two headers that matter are looked at, and the payload's base64 is decoded into another
// reused buffer. Every other frame (an exception, an error, a kind this code does not know)
// is handed whole to the SDK's own protocol, so those errors are exactly the SDK's.
//
// The SDK's event-stream reader, which this replaces on the hot path, reads a frame through
// a CRC tee a few bytes at a time, allocates every header name and value, decodes the payload
// with a generic JSON parser, and passes each event through two goroutines and unbuffered
// channels before the caller sees it: about 60 allocations and three hand-offs per token.
//
// Why not the SDK's eventstream.Decoder on this buffer: it was tried, and it costs 40
// allocations per frame (a CRC tee, limit readers, every header's name and value) and about
// four times the time (BenchmarkDecodeStream: 7.1 ms against 1.8 ms per 2,000 events), which
// alone would put a 100k-token answer well past its target beside a raw client. So the
// framing is read here, and FuzzFrameReader and TestFrameReaderAgreesWithSDK hold it to the
// SDK's reader, chunk for chunk and failure for failure.
type frameReader struct {
	r       *bufio.Reader
	prelude [preludeLen]byte
	frame   []byte // the current frame, reused
	payload []byte // the current chunk's decoded bytes, reused
}

func newFrameReader(r io.Reader) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, frameReadSize)}
}

// next returns the JSON of the next chunk (valid until the following call). It returns
// io.EOF where the body ends, an SDK error for an exception or error frame, and
// a "decode event" error for a frame that is damaged or not a chunk.
func (f *frameReader) next() ([]byte, error) {
	for {
		frame, err := f.read()
		if err != nil {
			return nil, err
		}
		headers := frame[preludeLen : preludeLen+binary.BigEndian.Uint32(frame[4:8])]
		isChunk, err := chunkHeaders(headers)
		if err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
		if !isChunk {
			if err := sdkFrame(frame); err != nil {
				return nil, err
			}
			continue // an event this SDK version does not know either
		}
		return f.chunk(frame[preludeLen+len(headers) : len(frame)-4])
	}
}

// read reads one whole frame and checks both CRCs.
func (f *frameReader) read() ([]byte, error) {
	prelude := f.prelude[:]
	if _, err := io.ReadFull(f.r, prelude[:8]); err != nil {
		return nil, cutShort(err)
	}
	total := binary.BigEndian.Uint32(prelude[0:4])
	headersLen := binary.BigEndian.Uint32(prelude[4:8])
	if total == 0 { // checked before the prelude's CRC, as the SDK's decoder does
		return nil, errFrameLength
	}
	if _, err := io.ReadFull(f.r, prelude[8:]); err != nil {
		return nil, cutShort(err)
	}
	if crc32.ChecksumIEEE(prelude[:8]) != binary.BigEndian.Uint32(prelude[8:12]) {
		return nil, errors.New("decode event: prelude checksum mismatch")
	}
	// The SDK's decoder reads any length; this one holds a frame in memory, so it stops at
	// the sizes the event-stream format allows.
	if headersLen > maxHeadersLen || total < preludeLen+4+headersLen || total-preludeLen-4-headersLen > maxPayloadLen {
		return nil, errFrameLength
	}
	if cap(f.frame) < int(total) {
		f.frame = make([]byte, total, max(int(total), 2*cap(f.frame)))
	}
	frame := f.frame[:total]
	copy(frame, prelude)
	if _, err := io.ReadFull(f.r, frame[preludeLen:]); err != nil {
		return nil, cutShort(err)
	}
	if crc32.ChecksumIEEE(frame[:total-4]) != binary.BigEndian.Uint32(frame[total-4:]) {
		return nil, errors.New("decode event: message checksum mismatch")
	}
	return frame, nil
}

// errFrameLength is a prelude whose lengths do not make a frame.
var errFrameLength = errors.New("decode event: a frame's length is out of bounds")

// cutShort is a read error of the body. A body that ends, between frames or inside one, is
// io.EOF as for the SDK's reader (the stream reports it as cut before message_stop).
func cutShort(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return io.EOF
	}
	return fmt.Errorf("decode event: %w", err)
}

// chunkHeaders reports whether the headers (name length, name, value type, value) say
// :message-type event and :event-type chunk; it looks at no other header.
func chunkHeaders(h []byte) (bool, error) {
	event, chunk := false, false
	for len(h) > 0 {
		n := int(h[0])
		if len(h) < 1+n+1 {
			return false, errors.New("header cut short")
		}
		name, typ := h[1:1+n], h[1+n]
		h = h[2+n:]
		var size int
		switch typ {
		case 0, 1: // true, false
		case 2:
			size = 1
		case 3:
			size = 2
		case 4:
			size = 4
		case 5, 8: // int64, timestamp
			size = 8
		case 9: // uuid
			size = 16
		case 6, 7: // bytes, string: a 2-byte length first
			if len(h) < 2 {
				return false, errors.New("header cut short")
			}
			size = 2 + int(binary.BigEndian.Uint16(h))
		default:
			return false, fmt.Errorf("header value type %d", typ)
		}
		if len(h) < size {
			return false, errors.New("header cut short")
		}
		switch string(name) { // a repeated header counts as its last value, as in the SDK
		case ":message-type":
			event = typ == 7 && string(h[2:size]) == "event"
		case ":event-type":
			chunk = typ == 7 && string(h[2:size]) == "chunk"
		}
		h = h[size:]
	}
	return event && chunk, nil
}

// chunk decodes a chunk's payload, {"bytes":"<base64 of the event JSON>"} — Bedrock may add
// a "p" key of padding — into the reused payload buffer. Any other shape goes through
// encoding/json.
func (f *frameReader) chunk(payload []byte) ([]byte, error) {
	b64, ok := bytesField(payload)
	if !ok {
		var part struct {
			Bytes []byte `json:"bytes"`
		}
		if err := json.Unmarshal(payload, &part); err != nil {
			return nil, fmt.Errorf("decode event: chunk payload: %w", err)
		}
		return part.Bytes, nil
	}
	n := base64.StdEncoding.DecodedLen(len(b64))
	if cap(f.payload) < n {
		f.payload = make([]byte, n, max(n, 2*cap(f.payload)))
	}
	n, err := base64.StdEncoding.Decode(f.payload[:n], b64)
	if err != nil {
		return nil, fmt.Errorf("decode event: chunk payload: %w", err)
	}
	return f.payload[:n], nil
}

// bytesField returns the base64 text of a payload shaped {"bytes":"…"} or
// {"bytes":"…","p":"…"} with nothing escaped, the two shapes Bedrock sends.
func bytesField(p []byte) ([]byte, bool) {
	const open = `{"bytes":"`
	if !bytes.HasPrefix(p, []byte(open)) {
		return nil, false
	}
	p = p[len(open):]
	end := bytes.IndexByte(p, '"')
	if end < 0 || bytes.IndexByte(p[:end], '\\') >= 0 || hasControl(p[:end]) { // base64 would skip a raw newline
		return nil, false
	}
	b64, rest := p[:end], p[end+1:]
	switch {
	case len(rest) == 1 && rest[0] == '}':
		return b64, true
	case len(rest) >= len(`,"p":""}`) && bytes.HasPrefix(rest, []byte(`,"p":"`)) && bytes.HasSuffix(rest, []byte(`"}`)):
		pad := rest[len(`,"p":"`) : len(rest)-2]
		return b64, bytes.IndexAny(pad, `"\`) < 0 && !hasControl(pad)
	}
	return nil, false
}

// hasControl reports a byte JSON does not allow raw in a string.
func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// sdkFrame lets the SDK's protocol read a frame that is not a chunk: it returns the SDK's
// error for an exception or error frame, nil for an event it does not know.
func sdkFrame(frame []byte) error {
	proto := restjson1.New(schemas.AmazonBedrockFrontendService)
	_, err := proto.DeserializeEventMessage(schemas.ResponseStream, bedrockruntime.TypeRegistry, bytes.NewReader(frame))
	return err
}
