package bedrock

import (
	"context"
	"testing"
)

func TestSmokeStaticKeys(t *testing.T) {
	e := newTestEnv(t)
	e.keys("AKIDSMOKE0000000", "smoke-secret-key-000", "")
	f := newFake(t, false)
	c := fakeClient(t, e, f, SettingsView{}, nil)
	text, err := ask(t, context.Background(), c, "hi")
	if err != nil {
		t.Fatal(err)
	}
	if text != "ok" {
		t.Fatalf("text %q", text)
	}
	r := f.recorded()[0]
	t.Logf("%s %s %s\n%s", r.Method, r.EscapedPath, r.Header.Get("Authorization"), r.Body)
}
