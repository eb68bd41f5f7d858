package frontmatter

import "testing"

func TestPickWinnersPrefersRankThenLater(t *testing.T) {
	type def struct {
		name string
		rank int
		tag  string
	}
	key := func(d def) (string, int) { return d.name, d.rank }
	w := PickWinners(key,
		[]def{{"a", 2, "a-high"}, {"b", 1, "b-first"}},
		[]def{{"a", 1, "a-low"}, {"b", 1, "b-later"}, {"c", 0, "c"}})
	for name, want := range map[string]string{"a": "a-high", "b": "b-later", "c": "c"} {
		if d, ok := w.Lookup(name); !ok || d.tag != want {
			t.Errorf("%s: got %+v, want %s", name, d, want)
		}
	}
	got := w.Sorted(func(x, y def) bool { return x.name < y.name })
	if len(got) != 3 || got[0].name != "a" || got[2].name != "c" {
		t.Errorf("sorted %+v", got)
	}
	var none *Winners[def]
	if _, ok := none.Lookup("a"); ok || none.Sorted(nil) != nil {
		t.Error("a nil Winners holds something")
	}
}
