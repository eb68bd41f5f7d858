package redact

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// writeSplit writes in through a redacting writer in pieces ending at the given offsets.
func writeSplit(t testing.TB, r *Redactor, in string, cuts []int) string {
	t.Helper()
	var out bytes.Buffer
	w := r.Writer(&out)
	last := 0
	for _, c := range append(cuts, len(in)) {
		c = min(max(c, last), len(in))
		if _, err := w.Write([]byte(in[last:c])); err != nil {
			t.Fatal(err)
		}
		last = c
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestWriterEverySplit(t *testing.T) {
	r := New()
	r.Add(secret)
	r.Add("abcdefgh")
	r.Add("abcdefghijkl")
	in := "start " + secret + " abcdefghijk abcdefghijkl " + secret[:10] + " end" + secret
	want := r.String(in)
	for i := 0; i <= len(in); i++ {
		for _, j := range []int{i, i + 1, i + 7, i + 13} {
			if got := writeSplit(t, r, in, []int{i, j}); got != want {
				t.Fatalf("split at %d,%d:\n got %q\nwant %q", i, j, got, want)
			}
		}
	}
}

func TestWriterByteByByte(t *testing.T) {
	r := New()
	r.Add(secret)
	in := strings.Repeat("x", 5) + secret + "y"
	cuts := make([]int, len(in))
	for i := range cuts {
		cuts[i] = i
	}
	if got, want := writeSplit(t, r, in, cuts), "xxxxx[REDACTED]y"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestWriterHoldsOnlyATail(t *testing.T) {
	r := New()
	r.Add(secret)
	var out bytes.Buffer
	w := r.Writer(&out)
	in := strings.Repeat("a", 100)
	if _, err := w.Write([]byte(in)); err != nil {
		t.Fatal(err)
	}
	// No byte of in can start the secret, so nothing needs holding.
	if out.String() != in {
		t.Fatalf("held %d bytes of text that cannot start a secret", len(in)-out.Len())
	}
	out.Reset()
	in = strings.Repeat("w", 100)
	if _, err := w.Write([]byte(in)); err != nil {
		t.Fatal(err)
	}
	if held := len(in) - out.Len(); held != len(secret)-1 {
		t.Fatalf("held %d bytes, want %d", held, len(secret)-1)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if out.String() != in {
		t.Fatalf("after Flush got %q", out.String())
	}
}

func TestWriterWithoutSecretsPassesThrough(t *testing.T) {
	var out bytes.Buffer
	w := New().Writer(&out)
	if _, err := w.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if out.String() != "hello" {
		t.Fatalf("got %q before Flush", out.String())
	}
}

func TestWriterRiskySecretWaitsForFlush(t *testing.T) {
	r := New()
	r.Add("SECRETXX1")
	r.Add("D]abcdefg")
	var out bytes.Buffer
	w := r.Writer(&out)
	for _, part := range []string{"SECRETXX1", "abcdefg", " tail"} {
		if _, err := w.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
	}
	if out.Len() != 0 {
		t.Fatalf("wrote %q before Flush", out.String())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "[REDACTE[REDACTED] tail"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterReportsErrors(t *testing.T) {
	r := New()
	r.Add(secret)
	w := r.Writer(failWriter{})
	_, err := w.Write([]byte(strings.Repeat("a", 100)))
	if err == nil {
		t.Fatal("Write: no error from a failing writer")
	}
	if _, err := w.Write([]byte("w")); err != nil {
		t.Fatalf("a write that is only held back failed: %v", err)
	}
	if err := w.Flush(); err == nil {
		t.Fatal("Flush: no error from a failing writer")
	}
}

// FuzzRedact checks that no registered secret survives String or the Writer, for any text and
// any split of the writes, and that the Writer agrees with String.
func FuzzRedact(f *testing.F) {
	f.Add(secret+"\n"+keyID, "key="+secret+" id="+keyID, []byte{3, 17, 40})
	f.Add("abcdefgh\nabcdefghijkl", "abcdefghijkabcdefghijklabcdefgh", []byte{5, 5, 1})
	f.Add("SECRETXX1\nD]abcdefg", "SECRETXX1abcdefg", []byte{9})
	f.Add("aaaaaaaa\naaaaaaaaab", strings.Repeat("a", 40)+"b", []byte{1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, secrets, in string, splits []byte) {
		r := New()
		for _, s := range strings.Split(secrets, "\n") {
			r.Add(s)
		}
		var cuts []int
		at := 0
		for _, s := range splits {
			at += int(s)
			cuts = append(cuts, at)
		}
		viaString := r.String(in)
		viaWriter := writeSplit(t, r, in, cuts)
		if viaWriter != viaString {
			t.Fatalf("Writer %q != String %q", viaWriter, viaString)
		}
		if snap := r.snap.Load(); snap != nil {
			for _, s := range snap.secrets {
				if strings.Contains(viaString, s) {
					t.Fatalf("output %q holds secret %q", viaString, s)
				}
			}
		}
	})
}
