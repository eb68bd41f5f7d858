package picture

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
)

func encoded(t *testing.T, format string, w, h int, noisy bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			p := img.Pix[y*img.Stride+x*4:]
			p[0], p[1], p[2], p[3] = uint8(x), uint8(y), 128, 255
			if noisy {
				n := r.Uint32()
				p[0], p[1], p[2] = uint8(n), uint8(n>>8), uint8(n>>16)
			}
		}
	}
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSmallImagesPassUnchanged: an image within the limits is sent byte for byte.
func TestSmallImagesPassUnchanged(t *testing.T) {
	for _, f := range []string{"png", "jpeg", "gif"} {
		data := encoded(t, f, 64, 48, false)
		img, err := Fit(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !bytes.Equal(img.Data, data) || img.MediaType != "image/"+f || img.Resized != "" || img.Width != 64 || img.Height != 48 {
			t.Errorf("%s: changed: %s %dx%d %q", f, img.MediaType, img.Width, img.Height, img.Resized)
		}
	}
}

// TestLargeImagesAreScaledWithinTheLimits: a picture wider than MaxSide comes back at most
// MaxSide wide with its aspect ratio, as PNG when it was one.
func TestLargeImagesAreScaledWithinTheLimits(t *testing.T) {
	img, err := Fit(encoded(t, "png", 2100, 42, false))
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != 2000 || img.Height != 40 || !strings.Contains(img.Resized, "2100×42 to 2000×40") {
		t.Errorf("got %dx%d %q", img.Width, img.Height, img.Resized)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(img.Data)); err != nil || cfg.Width != 2000 || img.MediaType != "image/png" {
		t.Errorf("the data is not the 2000-wide PNG: %v %+v %s", err, cfg, img.MediaType)
	}
}

// TestHeavyImagesAreReencoded: a PNG within the side limit but over the bytes limit is
// re-encoded — as PNG when that fits (its weight was metadata), else as JPEG, scaled down
// further when even that is too heavy.
func TestHeavyImagesAreReencoded(t *testing.T) {
	fat := withChunk(t, encoded(t, "png", 64, 64, false), "tEXt", bytes.Repeat([]byte("x"), 200_000))
	img, err := fit(fat, limits{side: 2000, bytes: 100_000})
	if err != nil || img.MediaType != "image/png" || len(img.Data) > 100_000 || img.Width != 64 || img.Resized != "re-encoded" {
		t.Errorf("metadata-heavy PNG: %v, %s of %d bytes %dx%d %q", err, img.MediaType, len(img.Data), img.Width, img.Height, img.Resized)
	}
	noisy := encoded(t, "png", 200, 200, true) // ≈ 120 kB of incompressible pixels
	img, err = fit(noisy, limits{side: 2000, bytes: 60_000})
	if err != nil || img.MediaType != "image/jpeg" || len(img.Data) > 60_000 || Sniff(img.Data) != "image/jpeg" {
		t.Errorf("noisy PNG: %v, %s of %d bytes", err, img.MediaType, len(img.Data))
	}
	img, err = fit(noisy, limits{side: 2000, bytes: 8_000})
	if err != nil || len(img.Data) > 8_000 || img.Width >= 200 || !strings.Contains(img.Resized, "as JPEG") {
		t.Errorf("noisy PNG, tight limit: %v, %d bytes %dx%d %q", err, len(img.Data), img.Width, img.Height, img.Resized)
	}
	if _, err := fit(noisy, limits{side: 2000, bytes: 100}); err == nil || !strings.Contains(err.Error(), "does not compress below") {
		t.Errorf("an impossible limit: err = %v", err)
	}
}

// withChunk inserts a PNG chunk after the header chunk.
func withChunk(t *testing.T, data []byte, typ string, body []byte) []byte {
	t.Helper()
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	chunk = append(append(chunk, typ...), body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	return append(append(append([]byte(nil), data[:33]...), chunk...), data[33:]...)
}

// TestBadImagesAreRefusedClearly: what is not an image, a damaged one, and one claiming a
// canvas too big to decode are refused with a reason.
func TestBadImagesAreRefusedClearly(t *testing.T) {
	bomb := encoded(t, "png", 8, 8, false)
	// A small file whose header claims 20000×20000 pixels (the IHDR chunk, its CRC updated).
	copy(bomb[16:24], []byte{0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	for name, tt := range map[string]struct {
		data []byte
		want string
	}{
		"text":      {[]byte("hello"), "not a PNG, JPEG, GIF or WebP"},
		"truncated": {encoded(t, "png", 64, 64, false)[:20], "cannot be read"},
		"huge":      {bomb, "too large to scale down"},
	} {
		if _, err := Fit(tt.data); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tt.want)
		}
	}
}
