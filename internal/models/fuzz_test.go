package models

import "testing"

func FuzzLookup(f *testing.F) {
	for _, s := range []string{
		"us.anthropic.claude-sonnet-4-5-20250929-v1:0",
		"anthropic.claude-opus-4-6-v1[1m]",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-opus-5",
		"arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc",
		"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
		"arn:::::/", "us.", ".", "[1m]", "arn:aws:bedrock:r:a:k/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if a, ok := ParseARN(id); ok {
			back, ok2 := ParseARN(a.String())
			if !ok2 || back != a {
				t.Fatalf("ParseARN(%q) = %+v does not round-trip (%+v, %v)", id, a, back, ok2)
			}
		}
		m, ok := Lookup(id)
		_, priced := PriceFor(id)
		if ok != priced {
			t.Fatalf("Lookup(%q) = %v but PriceFor = %v", id, ok, priced)
		}
		if !ok {
			return
		}
		for _, g := range append([]string{""}, m.Geos...) {
			if back, ok := Lookup(m.ProfileID(g)); !ok || back.BaseID != m.BaseID {
				t.Fatalf("Lookup(%q) does not find %s again", m.ProfileID(g), m.BaseID)
			}
		}
	})
}

// BenchmarkLookup measures the price of rebuilding the table on every call (the package keeps
// no state); Cost runs once per response, Lookup a few times per turn.
func BenchmarkLookup(b *testing.B) {
	for b.Loop() {
		if _, ok := Lookup("arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-fable-5-1"); !ok {
			b.Fatal("not found")
		}
	}
}
