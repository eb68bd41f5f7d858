package grep

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/strata-agent/strata/internal/proc"
)

// rgArgs builds ripgrep's command line. The flags make rg select files exactly like the
// shared walker (hidden files in, .git out, no global gitignore, no config file, raw bytes)
// and report everything as JSON, which is then shaped by the same renderer as the Go back
// end. The pattern comes after "--" so one starting with "-" is not taken for a flag.
func rgArgs(q *query) (args []string, dir string) {
	args = []string{"--no-config", "--json", "--line-number", "--hidden", "--no-ignore-global",
		"--encoding", "none"}
	if q.ignoreCase {
		args = append(args, "--ignore-case")
	}
	if q.multiline {
		args = append(args, "--multiline", "--multiline-dotall")
	}
	if q.wantText() {
		args = append(args, "--before-context", strconv.Itoa(q.before), "--after-context", strconv.Itoa(q.after))
	}
	if q.rootIsFile {
		return append(args, "--", q.pattern, q.root), filepath.Dir(q.root)
	}
	for _, g := range q.globs {
		args = append(args, "--glob", g)
	}
	args = append(args, "--glob", "!.git")
	if q.fileType != "" {
		args = append(args, "--type", q.fileType)
	}
	// Searching "." from inside the root makes --glob patterns relative to the root.
	return append(args, "--", q.pattern, "."), q.root
}

// rgMessage is one line of `rg --json`.
type rgMessage struct {
	Type string `json:"type"`
	Data struct {
		Path         rgData `json:"path"`
		Lines        rgData `json:"lines"`
		LineNumber   int    `json:"line_number"`
		BinaryOffset *int64 `json:"binary_offset"`
	} `json:"data"`
}

// rgData is text rg could print as UTF-8, or else base64 bytes.
type rgData struct {
	Text  *string `json:"text"`
	Bytes string  `json:"bytes"`
}

func (d rgData) String() string {
	if d.Text != nil {
		return *d.Text
	}
	b, _ := base64.StdEncoding.DecodeString(d.Bytes)
	return string(b)
}

// searchRg runs ripgrep. errRgUnusable means rg could not be started at all, so the caller
// may fall back to the Go back end.
func searchRg(ctx context.Context, rgPath string, environ []string, q *query) (*collector, error) {
	args, dir := rgArgs(q)
	stderr := proc.NewCapture(4096, 0) // rg's error message, not a flood of per-file warnings
	stdout, w := io.Pipe()
	p, err := proc.Start(ctx, proc.Cmd{Argv: append([]string{rgPath}, args...), Dir: dir, Env: environ,
		Stdout: w, Stderr: stderr})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %v", errRgUnusable, err)
	}
	res := make(chan proc.Result, 1)
	go func() {
		r := p.Wait()
		w.Close() // the parser sees EOF once rg and its output are done
		res <- r
	}()
	c, sawSummary, parseErr := parseRgOutput(stdout, dir, q)
	if parseErr != nil {
		_, _ = io.Copy(io.Discard, stdout)
	}
	waitErr := (<-res).Err()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if parseErr != nil {
		return nil, fmt.Errorf("reading ripgrep's output: %w", parseErr)
	}
	if !sawSummary {
		// rg stopped before searching: a bad pattern, glob or type. Its message says which.
		msg := strings.TrimSpace(stderr.String())
		if msg == "" && waitErr != nil {
			msg = waitErr.Error()
		}
		return nil, &inputError{fmt.Errorf("ripgrep refused the search: %s", msg)}
	}
	return c, nil
}

var errRgUnusable = errors.New("ripgrep could not be started")

// parseRgOutput reads `rg --json`. rg walks on its own, so what the model may not see is
// dropped here, by the collector, before anything of it is kept.
func parseRgOutput(r io.Reader, dir string, q *query) (c *collector, sawSummary bool, err error) {
	c = newCollector(q.visible)
	keepText := q.wantText()
	br := bufio.NewReaderSize(r, 1<<16)
	for {
		line, readErr := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var m rgMessage
			if err := json.Unmarshal(line, &m); err != nil {
				return nil, false, err
			}
			switch m.Type {
			case "match", "context":
				path := absolute(dir, m.Data.Path.String())
				for i, text := range splitLines(m.Data.Lines.String()) {
					c.add(path, m.Data.LineNumber+i, text, m.Type == "match", keepText)
				}
			case "end":
				if m.Data.BinaryOffset != nil {
					c.drop(absolute(dir, m.Data.Path.String())) // binary, as the Go back end decides
				}
			case "summary":
				sawSummary = true
			}
		}
		if readErr == io.EOF {
			return c, sawSummary, nil
		}
		if readErr != nil {
			return nil, false, readErr
		}
	}
}

// splitLines splits the text of one rg record into its lines (a multiline match spans
// several), without terminators.
func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

func absolute(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}
