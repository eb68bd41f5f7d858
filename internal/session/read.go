package session

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// parsed is what reading a transcript found.
type parsed struct {
	entries []Entry
	// keep is how many bytes of the file hold whole entries; anything after it is a line cut
	// by a crash, to be truncated before appending.
	keep int64
	// newline is set when the last kept entry lacks its line end (the crash came just before
	// it); it is added before appending.
	newline bool
}

// readTranscript parses a transcript. A line of valid JSON that is not an entry strata can
// read is skipped. A damaged last line is dropped: that is what a crash in
// the middle of a write leaves. A damaged line anywhere else means the file was changed by
// something else, and is reported as path:line.
func readTranscript(path string) (parsed, error) {
	f, err := os.Open(path)
	if err != nil {
		return parsed{}, fmt.Errorf("session: open transcript: %w", err)
	}
	defer f.Close()
	return parseTranscript(f, path)
}

// parseTranscript is readTranscript on any reader; path names it in errors.
func parseTranscript(in io.Reader, path string) (parsed, error) {
	var (
		p       parsed
		r       = bufio.NewReaderSize(in, 64<<10)
		offset  int64
		lineNo  int
		badLine int // a line that did not parse; fatal unless it turns out to be the last
		badErr  error
	)
	for {
		line, readErr := r.ReadBytes('\n')
		if readErr != nil && !errors.Is(readErr, io.EOF) {
			return parsed{}, fmt.Errorf("session: read %s: %w", path, readErr)
		}
		if len(line) > 0 {
			lineNo++
			if len(bytes.TrimSpace(line)) > 0 {
				if badLine > 0 {
					return parsed{}, fmt.Errorf("session: %s:%d: damaged entry (%v); the transcript was changed outside strata — fix or remove that line", path, badLine, badErr)
				}
				var e Entry
				err := json.Unmarshal(line, &e)
				switch {
				case err != nil && !json.Valid(line):
					badLine, badErr = lineNo, err
				case err != nil:
					// Whole JSON of a shape strata does not know (a kind of line a newer
					// reference writes): not damage, and nothing to send.
					p.keep, p.newline = offset+int64(len(line)), line[len(line)-1] != '\n'
				default:
					p.entries = append(p.entries, e)
					p.keep, p.newline = offset+int64(len(line)), line[len(line)-1] != '\n'
				}
			} else if badLine == 0 && line[len(line)-1] == '\n' {
				p.keep = offset + int64(len(line)) // a blank line; one without its end is cut
			}
			offset += int64(len(line))
		}
		if readErr != nil {
			return p, nil
		}
	}
}
