package dialog

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/strata-agent/strata/internal/permission"
)

func title(toolName string) string {
	switch toolName {
	case "Bash":
		return "Run a command?"
	case "Edit", "MultiEdit":
		return "Edit a file?"
	case "Write":
		return "Write a file?"
	case "WebFetch":
		return "Fetch a web page?"
	}
	return "Use " + toolName + "?"
}

// detail is a second line for calls whose summary leaves out what matters.
func detail(req permission.Request) string {
	var in struct {
		Description string `json:"description"`
		Prompt      string `json:"prompt"`
	}
	_ = json.Unmarshal(req.Call.Input, &in) // a bad input shows no detail; the tool reports it
	switch {
	case in.Description != "":
		return in.Description
	case req.Call.Tool == "WebFetch" && in.Prompt != "":
		return in.Prompt
	}
	return ""
}

// previewLines bounds the change shown before an edit or write is allowed.
const previewLines = 16

// changePreview shows what an Edit, MultiEdit or Write call would change, as - and + lines
// (the exact diff comes after it runs).
func changePreview(call permission.Call) string {
	type edit struct {
		Old string `json:"old_string"`
		New string `json:"new_string"`
	}
	var in struct {
		edit
		Content string `json:"content"`
		Edits   []edit `json:"edits"`
	}
	if json.Unmarshal(call.Input, &in) != nil {
		return ""
	}
	var out []string
	add := func(prefix, text string) {
		if text == "" {
			return
		}
		for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			out = append(out, prefix+l)
		}
	}
	switch call.Tool {
	case "Edit":
		add("-", in.Old)
		add("+", in.New)
	case "MultiEdit":
		for _, e := range in.Edits {
			add("-", e.Old)
			add("+", e.New)
		}
	case "Write":
		add("+", in.Content)
	}
	if len(out) > previewLines {
		out = append(out[:previewLines], fmt.Sprintf("… %d more lines", len(out)-previewLines))
	}
	return strings.Join(out, "\n")
}
