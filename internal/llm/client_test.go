package llm

import (
	"context"
	"testing"
)

func TestTurns(t *testing.T) {
	bg := context.Background()
	if TurnOf(bg) != nil {
		t.Fatal("an unmarked context has a turn")
	}
	a, b := WithTurn(bg), WithTurn(bg)
	if TurnOf(a) == nil || TurnOf(a) == TurnOf(b) {
		t.Errorf("two turns are not told apart")
	}
	if inner := WithTurn(a); TurnOf(inner) != TurnOf(a) {
		t.Errorf("a nested WithTurn started a new turn")
	}
}
