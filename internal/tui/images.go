package tui

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/llm"
)

// ClipboardImager is what a Host offers when it can read an image from the system clipboard
// (Ctrl+V). It is optional: a Host without it makes Ctrl+V say so.
type ClipboardImager interface {
	// ClipboardImage reads the clipboard's image, fitted to what the model accepts; the
	// error says why there is none (no image, no clipboard tool). Called off the UI
	// goroutine.
	ClipboardImage(ctx context.Context) (Attachment, error)
}

// pastedImage is an image waiting for the next prompt; it goes with the prompt that still
// holds its label ("[Image #1]"), as in the reference: deleting the label drops the image.
type pastedImage struct {
	label  string
	blocks []llm.ContentBlock
}

// imageMsg is an image read off the UI goroutine (the clipboard, or a pasted path).
type imageMsg struct {
	att    Attachment
	err    error
	pasted string // the pasted text the image came from; "" for the clipboard
}

// imagePathRe is a pasted path that names a picture the model can look at.
var imagePathRe = lazyre.New(`(?i)\.(png|jpe?g|gif|webp)$`)

// pastedImagePath is the file a paste names when the paste is nothing but the path of an
// image (as a terminal pastes a file dropped on it: perhaps quoted, with backslashed
// spaces, or as a file:// URL); "" otherwise.
func pastedImagePath(text string) string {
	p := strings.TrimSpace(text)
	if strings.ContainsAny(p, "\n\r") || !imagePathRe().MatchString(strings.Trim(p, `'"`)) {
		return ""
	}
	if len(p) >= 2 && (p[0] == '\'' || p[0] == '"') && p[len(p)-1] == p[0] {
		p = p[1 : len(p)-1]
	} else {
		p = strings.ReplaceAll(p, `\ `, " ")
	}
	if strings.HasPrefix(p, "file://") {
		u, err := url.Parse(p)
		if err != nil {
			return ""
		}
		p = u.Path
	}
	return p
}

// onPaste takes a pasted image path as that image; any other paste goes to the input box.
func (m *Model) onPaste(msg tea.PasteMsg) tea.Cmd {
	if path := pastedImagePath(msg.Content); path != "" && m.host != nil && !m.dialog.Open() && m.picker == nil {
		host, ctx := m.host, m.ctx
		return func() tea.Msg {
			att, err := host.AttachFile(ctx, path)
			return imageMsg{att: att, err: err, pasted: msg.Content}
		}
	}
	cmd := m.input.Update(msg)
	m.refreshCompletion()
	return cmd
}

// pasteClipboardImage is Ctrl+V: the clipboard's image, if the Host can read it.
func (m *Model) pasteClipboardImage() tea.Cmd {
	c, ok := m.host.(ClipboardImager)
	if !ok {
		m.say(m.st.Dim.Render("Pasting images needs a clipboard strata can read here."))
		return nil
	}
	ctx := m.ctx
	return func() tea.Msg {
		att, err := c.ClipboardImage(ctx)
		return imageMsg{att: att, err: err}
	}
}

// onImage puts a read image's label in the input box, or says why there is none. A pasted
// path that did not give an image is pasted as the text it was.
func (m *Model) onImage(msg imageMsg) tea.Cmd {
	if msg.err != nil {
		if msg.pasted != "" {
			return m.input.Update(tea.PasteMsg{Content: msg.pasted})
		}
		m.say(m.st.Dim.Render("No image pasted: " + msg.err.Error()))
		return nil
	}
	m.imageCount++
	label := fmt.Sprintf("[Image #%d]", m.imageCount)
	m.images = append(m.images, pastedImage{label: label, blocks: imageBlocks(msg.att.Blocks)})
	return m.input.Update(tea.PasteMsg{Content: label + " "})
}

// imageBlocks keeps the image blocks of an attachment (a pasted path's comes as Read's).
func imageBlocks(blocks []llm.ContentBlock) []llm.ContentBlock {
	var out []llm.ContentBlock
	for _, b := range blocks {
		if b.Type == llm.TypeImage {
			out = append(out, b)
		}
	}
	return out
}

// takeImages returns the blocks of the waiting images whose labels prompt holds, and
// forgets them.
func (m *Model) takeImages(prompt string) []llm.ContentBlock {
	var out []llm.ContentBlock
	kept := m.images[:0]
	for _, img := range m.images {
		if strings.Contains(prompt, img.label) {
			out = append(out, img.blocks...)
		} else {
			kept = append(kept, img)
		}
	}
	m.images = kept
	return out
}
