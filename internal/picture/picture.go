// Package picture makes an image fit what Bedrock accepts from Claude's users: at most
// MaxSide pixels on a side and MaxBytes bytes (whose base64 stays within the 5 MiB an image
// block may hold). A larger one is scaled down and, if still too large, re-encoded as JPEG,
// as the reference does; one that cannot be decoded or would take too much memory to decode
// is refused with a message that says why.
package picture

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // decoders for image.Decode
	"image/jpeg"
	"image/png"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // decoder for image.Decode
)

const (
	// MaxSide is the longest side sent, in pixels: the reference's limit for every model.
	MaxSide = 2000
	// MaxBytes is the largest image sent: 5 MiB of base64.
	MaxBytes = 5 << 20 * 3 / 4
	// MaxInput is the largest file decoded at all.
	MaxInput = 50 << 20
	// maxPixels bounds the memory a decode may take (a small file can claim a huge canvas).
	maxPixels = 50_000_000
)

// Image is a picture ready for an image block.
type Image struct {
	MediaType     string // image/png, image/jpeg, image/gif or image/webp
	Data          []byte
	Width, Height int    // as sent
	Resized       string // "" when sent as it was, else what was done ("scaled from 4000×3000")
}

// Sniff names the format of data by its first bytes, "" when it is none the model takes.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// limits are what an image must fit in.
type limits struct{ side, bytes int }

// Fit returns data as an image the model accepts, scaled down and re-encoded only when it is
// too large.
func Fit(data []byte) (Image, error) { return fit(data, limits{MaxSide, MaxBytes}) }

func fit(data []byte, lim limits) (Image, error) {
	mt := Sniff(data)
	if mt == "" {
		return Image{}, errors.New("not a PNG, JPEG, GIF or WebP image")
	}
	if len(data) > MaxInput {
		return Image{}, fmt.Errorf("the image is %s, more than the %s strata will decode; make a smaller copy first",
			size(len(data)), size(MaxInput))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Image{}, fmt.Errorf("the %s image cannot be read: %w", mt, err)
	}
	if cfg.Width <= lim.side && cfg.Height <= lim.side && len(data) <= lim.bytes {
		return Image{MediaType: mt, Data: data, Width: cfg.Width, Height: cfg.Height}, nil
	}
	if cfg.Width*cfg.Height > maxPixels || cfg.Width <= 0 || cfg.Height <= 0 {
		return Image{}, fmt.Errorf("the image is %d×%d pixels, too large to scale down here; make a smaller copy first",
			cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Image{}, fmt.Errorf("the %s image cannot be decoded: %w", mt, err)
	}
	return shrink(img, mt, cfg.Width, cfg.Height, lim)
}

// shrink scales img to fit the side limit and encodes it within the bytes limit: as PNG when
// it was a lossless format and that fits, else as JPEG of falling quality, then smaller still.
func shrink(img image.Image, mt string, w, h int, lim limits) (Image, error) {
	scale := min(1, float64(lim.side)/float64(max(w, h)))
	for range 6 {
		nw, nh := max(1, int(float64(w)*scale)), max(1, int(float64(h)*scale))
		small := image.NewRGBA(image.Rect(0, 0, nw, nh))
		xdraw.BiLinear.Scale(small, small.Bounds(), img, img.Bounds(), draw.Src, nil)
		did := fmt.Sprintf("scaled from %d×%d to %d×%d", w, h, nw, nh)
		if nw == w && nh == h {
			did = "re-encoded"
		}
		if mt != "image/jpeg" {
			var buf bytes.Buffer
			if png.Encode(&buf, small) == nil && buf.Len() <= lim.bytes {
				return Image{MediaType: "image/png", Data: buf.Bytes(), Width: nw, Height: nh, Resized: did}, nil
			}
		}
		flat := onWhite(small) // JPEG has no transparency
		for _, q := range []int{85, 70, 55} {
			var buf bytes.Buffer
			if jpeg.Encode(&buf, flat, &jpeg.Options{Quality: q}) == nil && buf.Len() <= lim.bytes {
				return Image{MediaType: "image/jpeg", Data: buf.Bytes(), Width: nw, Height: nh, Resized: did + " as JPEG"}, nil
			}
		}
		scale *= 0.7
	}
	return Image{}, fmt.Errorf("the image does not compress below the %s limit; make a smaller copy first", size(lim.bytes))
}

// onWhite draws img over white, so that transparent parts do not turn black in a JPEG.
func onWhite(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Over)
	return out
}

func size(n int) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
