package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Every ✗ says what to do, also for failures strata has no specific advice for.
func TestEveryFailureHasAFix(t *testing.T) {
	var c Check
	c.set(StatusFail, "something odd", "")
	if c.Fix == "" {
		t.Fatal("a ✗ without a fix")
	}
	msg, fix := explain(fmt.Errorf("probing: %w", context.DeadlineExceeded))
	if !strings.Contains(msg, "did not answer in time") || !strings.Contains(fix, "ANTHROPIC_BEDROCK_BASE_URL") {
		t.Fatalf("deadline: %q / %q", msg, fix)
	}
	if _, fix := explain(errors.New("weird")); fix == "" {
		t.Fatal("an unknown error has no fix")
	}
}
