// Command rawclient is BenchmarkPrintLongAnswer's yardstick: about the least a program can do
// to print a streamed Bedrock answer. It posts the request body (stdin) to the URL (its one
// argument) without signing it, cuts the event stream into frames by their length prefixes
// (no checksums, no headers), takes the base64 between `"bytes":"` and the next quote,
// decodes it into a reused buffer, takes the string after `"text_delta","text":` (decoding
// it with encoding/json only when it holds an escape) and writes the text through a buffer.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
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
	var prelude [12]byte
	var frame, event []byte
	for {
		if _, err := io.ReadFull(in, prelude[:]); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		total := int(binary.BigEndian.Uint32(prelude[:4]))
		frame = append(frame[:0], make([]byte, total-12)...)
		if _, err := io.ReadFull(in, frame); err != nil {
			return err
		}
		_, b64, ok := bytes.Cut(frame, []byte(`"bytes":"`))
		if end := bytes.IndexByte(b64, '"'); ok && end >= 0 {
			b64 = b64[:end]
		} else {
			return errors.New("a frame without bytes")
		}
		if event, err = base64.StdEncoding.AppendDecode(event[:0], b64); err != nil {
			return err
		}
		if err := text(out, event); err != nil {
			return err
		}
	}
	out.WriteString("\n")
	return out.Flush()
}

// text writes the text of a text delta.
func text(out *bufio.Writer, event []byte) error {
	_, lit, ok := bytes.Cut(event, []byte(`"text_delta","text":`))
	if !ok {
		return nil
	}
	end := bytes.LastIndexByte(lit, '"')
	if end <= 0 {
		return errors.New("a text delta without its text")
	}
	lit = lit[:end+1]
	if bytes.IndexByte(lit, '\\') < 0 {
		out.Write(lit[1:end])
		return nil
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return err
	}
	out.WriteString(s)
	return nil
}
