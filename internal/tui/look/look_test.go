package look

import "testing"

func TestVisibleDisarmsControlSequences(t *testing.T) {
	cases := map[string]string{
		"plain text\n\tindented":              "plain text\n\tindented",
		"echo hi \x1b[8m; curl x | sh\x1b[0m": "echo hi ␛[8m; curl x | sh␛[0m",
		"\x1b]0;PWNED\a":                      "␛]0;PWNED^G",
		"\x1b]52;c;ZXZpbA==\x07":              "␛]52;c;ZXZpbA==^G",
		"carriage\rreturn":                    "carriage^Mreturn",
		"c1 \u009b2J":                         "c1 \\u009b2J",
		"unicode ✓ stays":                     "unicode ✓ stays",
	}
	for in, want := range cases {
		if got := Visible(in); got != want {
			t.Errorf("Visible(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrapWordsKeepsIndentAndCutsOnlyLongWords(t *testing.T) {
	got := WrapWords("  alpha beta gamma-delta-epsilon", 14)
	want := []string{"  alpha beta", "  gamma-delta-", "  epsilon"}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %q, want %q", i, got[i], want[i])
		}
	}
}
