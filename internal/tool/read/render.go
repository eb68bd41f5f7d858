package read

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/strata-agent/strata/internal/picture"
	"github.com/strata-agent/strata/internal/tool"
	"github.com/strata-agent/strata/internal/tool/fsutil"
)

// render is the text of a text-file result: the numbered lines, then a bracketed note when
// the model has not seen the whole file, saying how to read on.
func render(w window, offset int) string {
	if w.first == 0 {
		return fmt.Sprintf("[The file has %d lines, so offset %d is past its end; use an offset from 1 to %d.]", w.total, offset, max(w.total, 1))
	}
	text := w.text
	if w.moreAfter {
		text = append(text, '\n')
		if w.total >= 0 {
			text = fmt.Appendf(text, "[Showing lines %d-%d of %d", w.first, w.last, w.total)
		} else {
			text = fmt.Appendf(text, "[Showing lines %d-%d; the file continues", w.first, w.last)
		}
		if w.outputCut {
			text = fmt.Appendf(text, " (stopped early: the result reached %s)", fsutil.HumanSize(maxOutputBytes))
		}
		text = fmt.Appendf(text, ". Call Read with offset=%d to see more.]\n", w.last+1)
	}
	return string(text)
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// readImage returns a picture as an image block for the model to look at, scaled down or
// re-encoded when it is larger than Bedrock accepts (picture.Fit); one that cannot be
// decoded is refused, since Bedrock would refuse the whole request.
func readImage(env *tool.Env, path string, f *os.File, fi fs.FileInfo, head []byte, mediaType string) (tool.Result, error) {
	if fi.Size() > picture.MaxInput {
		return tool.Errorf("%s is a %s image of %s, over the %s strata reads as an image; make a smaller copy first (for example with ImageMagick via Bash) and Read that", path, mediaType, fsutil.HumanSize(fi.Size()), fsutil.HumanSize(picture.MaxInput)), nil
	}
	rest, err := io.ReadAll(io.LimitReader(f, picture.MaxInput+1-int64(len(head))))
	if err != nil {
		return tool.Errorf("reading the image %s failed: %v", path, err), nil
	}
	img, err := picture.Fit(append(head, rest...))
	if err != nil {
		return tool.Errorf("%s: %v", path, err), nil
	}
	env.RecordRead(fsutil.Key(path), fsutil.StampOf(fi))
	what := fmt.Sprintf("%s, %d×%d, %s", img.MediaType, img.Width, img.Height, fsutil.HumanSize(int64(len(img.Data))))
	if img.Resized != "" {
		what += ", " + img.Resized + " to fit Bedrock's limits"
	}
	return tool.Result{
		Text:   fmt.Sprintf("[Image %s: %s, attached below.]", path, what),
		Images: []tool.Image{{MediaType: img.MediaType, Data: img.Data}},
	}, nil
}
