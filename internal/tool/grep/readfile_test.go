package grep

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestReadFile: files smaller than, equal to and larger than the buffer (which then grows)
// read whole, and the buffer comes back for reuse even when the file cannot be opened.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	var buf []byte
	for _, size := range []int{0, 1, minRead - 1, minRead, 3*minRead + 7} {
		want := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, want, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := readFile(path, buf)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("size %d: read %d bytes, err %v", size, len(got), err)
		}
		buf = got[:0]
	}
	got, err := readFile(filepath.Join(dir, "missing"), buf)
	if err == nil || cap(got) != cap(buf) {
		t.Errorf("missing file: err %v, buffer cap %d, want %d", err, cap(got), cap(buf))
	}
}

// TestPutWorkerDropsHugeBuffers: a worker goes back to the pool with its buffer unless that
// buffer grew past maxPooledRead for one huge file.
func TestPutWorkerDropsHugeBuffers(t *testing.T) {
	var pool sync.Pool
	small, huge := &worker{data: make([]byte, 0, minRead)}, &worker{data: make([]byte, 0, maxPooledRead+1)}
	putWorker(&pool, small)
	putWorker(&pool, huge)
	if cap(small.data) != minRead || huge.data != nil {
		t.Fatalf("kept %d and %d bytes; want %d and none", cap(small.data), cap(huge.data), minRead)
	}
}
