package cli

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/llm"
	"github.com/strata-agent/strata/internal/picture"
	"github.com/strata-agent/strata/internal/proc"
	"github.com/strata-agent/strata/internal/tui"
)

// clipboardTimeout bounds a clipboard tool that hangs (an X server that does not answer).
const clipboardTimeout = 5 * time.Second

// errNoClipboardImage is a clipboard holding no picture.
var errNoClipboardImage = errors.New("the clipboard holds no image")

// ClipboardImage reads the image on the system clipboard for Ctrl+V, as the reference does:
// wl-paste on Wayland, xclip on X11, osascript on macOS, each through internal/proc with the
// session's scrubbed environment. The image is fitted to what Bedrock accepts.
func (h *host) ClipboardImage(ctx context.Context) (tui.Attachment, error) {
	data, err := h.readClipboardImage(ctx)
	if err != nil {
		return tui.Attachment{}, err
	}
	img, err := picture.Fit(data)
	if err != nil {
		return tui.Attachment{}, err
	}
	summary := fmt.Sprintf("Pasted an image (%s, %d×%d)", img.MediaType, img.Width, img.Height)
	if img.Resized != "" {
		summary += ", " + img.Resized
	}
	block := llm.ContentBlock{Type: llm.TypeImage, Source: &llm.ImageSource{Type: "base64",
		MediaType: img.MediaType, Data: base64.StdEncoding.EncodeToString(img.Data)}}
	return tui.Attachment{Blocks: []llm.ContentBlock{block}, Summary: summary}, nil
}

// readClipboardImage returns the clipboard's picture as the tool gives it (PNG).
func (h *host) readClipboardImage(ctx context.Context) ([]byte, error) {
	getenv := h.a.env.Getenv
	switch {
	case runtime.GOOS == "darwin":
		out, err := h.clip(ctx, "osascript", "-e", "the clipboard as «class PNGf»")
		if err != nil {
			return nil, errNoClipboardImage // osascript fails when there is no PNG to give
		}
		return osascriptData(out)
	case getenv("WAYLAND_DISPLAY") != "":
		types, err := h.clip(ctx, "wl-paste", "--list-types")
		if err != nil {
			return nil, err
		}
		if !hasImageType(types) {
			return nil, errNoClipboardImage
		}
		return h.clip(ctx, "wl-paste", "--type", "image/png")
	case getenv("DISPLAY") != "":
		types, err := h.clip(ctx, "xclip", "-selection", "clipboard", "-t", "TARGETS", "-o")
		if err != nil {
			return nil, err
		}
		if !hasImageType(types) {
			return nil, errNoClipboardImage
		}
		return h.clip(ctx, "xclip", "-selection", "clipboard", "-t", "image/png", "-o")
	}
	return nil, errors.New("no graphical session (neither WAYLAND_DISPLAY nor DISPLAY is set); paste the image's path instead")
}

// clip runs a clipboard tool and returns its output.
func (h *host) clip(ctx context.Context, argv ...string) ([]byte, error) {
	if _, err := proc.LookPath(argv[0]); err != nil {
		return nil, fmt.Errorf("reading images from the clipboard needs %s, which is not installed", argv[0])
	}
	out := proc.NewCapture(picture.MaxInput+1, 0)
	res := proc.Run(ctx, proc.Cmd{Argv: argv, Dir: h.a.env.Cwd, Env: h.st.childEnv, Stdout: out,
		Timeout: clipboardTimeout, Tracker: &h.st.procs})
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", argv[0], err)
	}
	if out.Dropped() > 0 {
		return nil, fmt.Errorf("the clipboard's image is larger than %d MiB", picture.MaxInput>>20)
	}
	return out.Bytes(), nil
}

// hasImageType reports whether a list of clipboard types (one a line) offers a picture.
func hasImageType(types []byte) bool {
	return imageTypeRe().Match(types)
}

var imageTypeRe = lazyre.New(`(?m)^image/(png|jpeg|jpg|gif|webp|bmp)\s*$`)

// osascriptData decodes AppleScript's «data PNGf89504E…» into the bytes it stands for.
func osascriptData(out []byte) ([]byte, error) {
	s := strings.TrimSpace(string(out))
	s = strings.TrimPrefix(strings.TrimSuffix(s, "»"), "«data PNGf")
	data, err := hex.DecodeString(s)
	if err != nil || len(data) == 0 {
		return nil, errNoClipboardImage
	}
	return data, nil
}
