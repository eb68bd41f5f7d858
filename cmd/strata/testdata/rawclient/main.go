// Command rawclient is BenchmarkPrintLongAnswer's yardstick: the least a program must do to
// print a streamed Bedrock answer. It posts the request body (stdin) to the URL (its one
// argument) without signing it, cuts the event stream into frames by their length prefixes
// (skipping headers and checksums), decodes each chunk's base64 payload and the event JSON
// into a small struct, and writes the text deltas to stdout through a buffer.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	if err := run(os.Args[1], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rawclient:", err)
		os.Exit(1)
	}
}

func run(url string, body io.Reader, stdout io.Writer) error {
	resp, err := http.Post(url, "application/json", body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	in := bufio.NewReaderSize(resp.Body, 64<<10)
	out := bufio.NewWriterSize(stdout, 64<<10)
	var frame, raw []byte
	var part struct {
		Bytes string `json:"bytes"`
	}
	var ev struct {
		Type  string `json:"type"`
		Delta struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"delta"`
	}
	for {
		var prelude [12]byte
		if _, err := io.ReadFull(in, prelude[:]); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		total, headers := binary.BigEndian.Uint32(prelude[:4]), binary.BigEndian.Uint32(prelude[4:8])
		frame = append(frame[:0], make([]byte, total-12)...)
		if _, err := io.ReadFull(in, frame); err != nil {
			return err
		}
		part.Bytes = ""
		if err := json.Unmarshal(frame[headers:len(frame)-4], &part); err != nil {
			return err
		}
		raw = raw[:0]
		if raw, err = base64.StdEncoding.AppendDecode(raw, []byte(part.Bytes)); err != nil {
			return err
		}
		ev.Type, ev.Delta.Type, ev.Delta.Text = "", "", ""
		if err := json.Unmarshal(raw, &ev); err != nil {
			return err
		}
		if ev.Type == "content_block_delta" && ev.Delta.Type == "text_delta" {
			out.WriteString(ev.Delta.Text)
		}
	}
	out.WriteString("\n")
	return out.Flush()
}
