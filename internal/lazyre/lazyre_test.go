package lazyre

import (
	"sync"
	"testing"
)

func TestNewCompilesOnceOnFirstUse(t *testing.T) {
	re := New(`^a+$`)
	var wg sync.WaitGroup
	got := make(chan any, 8)
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); got <- re() }()
	}
	wg.Wait()
	close(got)
	first := re()
	for r := range got {
		if r != first {
			t.Fatal("a pattern was compiled more than once")
		}
	}
	if !first.MatchString("aaa") || first.MatchString("ab") {
		t.Fatal("the compiled pattern does not match as its expression says")
	}
}

func TestNewPanicsOnFirstUseOfABadExpression(t *testing.T) {
	re := New(`(`) // no panic yet: nothing is compiled at construction
	defer func() {
		if recover() == nil {
			t.Fatal("an invalid expression did not panic when first used")
		}
	}()
	re()
}
