package fsutil

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DecodeInput decodes a tool call's JSON input into v, refusing fields v does not declare
// and anything after the object. The error is written for the model: it names the tool and
// the offending field so the next call can be corrected.
func DecodeInput(toolName string, raw json.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid %s input: %s", toolName, strings.TrimPrefix(err.Error(), "json: "))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("invalid %s input: unexpected data after the JSON object", toolName)
	}
	return nil
}
