package cli

import (
	"bytes"
	"errors"
	"testing"
)

func TestClipboardFormats(t *testing.T) {
	if !hasImageType([]byte("TARGETS\ntext/plain\nimage/png\n")) || hasImageType([]byte("TARGETS\ntext/plain\nUTF8_STRING\n")) ||
		hasImageType([]byte("text/x-image/png-ish\n")) {
		t.Error("hasImageType misreads a list of clipboard types")
	}
	data, err := osascriptData([]byte("«data PNGf89504E470D0A1A0A»\n"))
	if err != nil || !bytes.Equal(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("osascriptData = %q, %v", data, err)
	}
	if _, err := osascriptData([]byte("«data TIFF4D4D»")); !errors.Is(err, errNoClipboardImage) {
		t.Errorf("a TIFF answer: %v", err)
	}
}
