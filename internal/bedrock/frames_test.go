package bedrock

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/schemas"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go/transport/http/protocol/restjson1"
)

// sdkChunks reads an event stream the way the SDK's own reader does: the chunks' bytes, and
// whether it ended in an error rather than at a clean end.
func sdkChunks(stream []byte) (chunks [][]byte, failed bool) {
	proto := restjson1.New(schemas.AmazonBedrockFrontendService)
	r := bytes.NewReader(stream)
	for {
		ev, err := proto.DeserializeEventMessage(schemas.ResponseStream, bedrockruntime.TypeRegistry, r)
		if errors.Is(err, io.EOF) {
			return chunks, false
		}
		if err != nil {
			return chunks, true
		}
		if part, ok := ev.(*types.PayloadPart); ok {
			chunks = append(chunks, append([]byte(nil), part.Bytes...))
		}
	}
}

// ownChunks is sdkChunks with the frameReader.
func ownChunks(stream []byte) (chunks [][]byte, failed bool) {
	f := newFrameReader(bytes.NewReader(stream))
	for {
		data, err := f.next()
		if errors.Is(err, io.EOF) {
			return chunks, false
		}
		if err != nil {
			return chunks, true
		}
		chunks = append(chunks, append([]byte(nil), data...))
	}
}

// lastError is the error that ended the frame reader's reading of stream.
func lastError(stream []byte) error {
	f := newFrameReader(bytes.NewReader(stream))
	for {
		if _, err := f.next(); err != nil {
			return err
		}
	}
}

// payloadFrame is a chunk frame with the payload as given.
func payloadFrame(t testing.TB, payload string) []byte {
	var hs eventstream.Headers
	hs.Set(":event-type", eventstream.StringValue("chunk"))
	hs.Set(":content-type", eventstream.StringValue("application/json"))
	hs.Set(":message-type", eventstream.StringValue("event"))
	return encodeFrame(t, hs, []byte(payload))
}

// The frame reader reads what the SDK reads: Bedrock's payload shapes (with and without the
// padding key, escaped or not), exceptions, unknown events, damaged frames.
func TestFrameReaderAgreesWithSDK(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(`{"type":"ping"}`))
	var unknown eventstream.Headers
	unknown.Set(":message-type", eventstream.StringValue("event"))
	unknown.Set(":event-type", eventstream.StringValue("somethingNew"))
	unknown.Set(":flag", eventstream.BoolValue(true))
	unknown.Set(":n", eventstream.Int64Value(7))
	good := chunkFrame(t, `{"type":"message_stop"}`)
	damaged := append([]byte(nil), good...)
	damaged[len(damaged)-6] ^= 1
	tests := map[string][]byte{
		"plain":     payloadFrame(t, `{"bytes":"`+b64+`"}`),
		"padded":    payloadFrame(t, `{"bytes":"`+b64+`","p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"}`),
		"spaced":    payloadFrame(t, `{ "bytes" : "`+b64+`" }`),
		"escaped":   payloadFrame(t, `{"bytes":"`+b64[:4]+`\/`+b64[4:]+`"}`),
		"reordered": payloadFrame(t, `{"p":"xyz","bytes":"`+b64+`"}`),
		"not json":  payloadFrame(t, `{"bytes":"`+b64),
		"bad b64":   payloadFrame(t, `{"bytes":"!!!!"}`),
		"raw nl":    payloadFrame(t, "{\"bytes\":\""+b64[:4]+"\n"+b64[4:]+"\"}"),
		"unknown":   append(encodeFrame(t, unknown, []byte(`{}`)), good...),
		"exception": append(good, exceptionFrame(t, "throttlingException", "slow down")...),
		"damaged":   append(good, damaged...),
		"cut":       append(good, good[:len(good)-3]...),
		"empty":     nil,
	}
	for name, stream := range tests {
		want, wantFail := sdkChunks(stream)
		got, gotFail := ownChunks(stream)
		if gotFail != wantFail || len(got) != len(want) {
			t.Errorf("%s: %d chunks (failed %v), the SDK %d (failed %v)", name, len(got), gotFail, len(want), wantFail)
			continue
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Errorf("%s: chunk %d is %q, the SDK's %q", name, i, got[i], want[i])
			}
		}
	}
}

// Any byte stream gives the SDK's chunks, and fails where the SDK fails, except where the
// body ends inside a frame or a frame's length is out of bounds: the SDK then fails or ends
// depending on which part of the frame is missing, the frame reader reports a cut stream or
// a bad frame. The frame reader may also be stricter: it checks a frame's CRC before its
// headers, where the SDK takes a header that runs past its section for the end of the body.
func FuzzFrameReader(f *testing.F) {
	f.Add(chunkFrame(f, `{"type":"message_stop"}`))
	f.Add(append(chunkFrame(f, `{"type":"ping"}`), exceptionFrame(f, "modelStreamErrorException", "x")...))
	f.Add(payloadFrame(f, `{"bytes":"e30=","p":"abc"}`))
	f.Fuzz(func(t *testing.T, stream []byte) {
		want, wantFail := sdkChunks(stream)
		got, gotFail := ownChunks(stream)
		ragged := errors.Is(lastError(stream), errFrameLength) || !endsOnFrame(stream)
		if ragged && len(want) > len(got) {
			want = want[:len(got)]
		}
		if len(got) != len(want) || wantFail && !gotFail && !ragged {
			t.Fatalf("%d chunks (failed %v), the SDK %d (failed %v)", len(got), gotFail, len(want), wantFail)
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("chunk %d is %q, the SDK's %q", i, got[i], want[i])
			}
		}
	})
}

// endsOnFrame reports whether stream, cut into frames by their declared lengths, ends where
// a frame ends.
func endsOnFrame(stream []byte) bool {
	pos := 0
	for pos+4 <= len(stream) {
		n := int(binary.BigEndian.Uint32(stream[pos:]))
		if n == 0 {
			return true // an error, not a cut
		}
		pos += n
	}
	return pos == len(stream)
}

// Any payload of a well-formed chunk frame gives the SDK's bytes, or fails where it fails.
func FuzzFramePayload(f *testing.F) {
	f.Add(`{"bytes":"e30="}`)
	f.Add(`{"bytes":"e30=","p":"abc"}`)
	f.Add(`{"bytes":"e3\/0="}`)
	f.Add(`{"p":"x","bytes":"e30="}`)
	f.Fuzz(func(t *testing.T, payload string) {
		stream := payloadFrame(t, payload)
		want, wantFail := sdkChunks(stream)
		got, gotFail := ownChunks(stream)
		if gotFail != wantFail || len(got) != len(want) {
			t.Fatalf("%q: %d chunks (failed %v), the SDK %d (failed %v)", payload, len(got), gotFail, len(want), wantFail)
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("%q: chunk %d is %q, the SDK's %q", payload, i, got[i], want[i])
			}
		}
	})
}
