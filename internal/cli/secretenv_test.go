package cli

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitSecretsTakesWhatChildrenNeverGet(t *testing.T) {
	environ := []string{"PATH=/bin", "AWS_ACCESS_KEY_ID=AKIA1", "AWS_SECRET_ACCESS_KEY=s=with=equals",
		"AWS_SESSION_TOKEN=tok", "AWS_BEARER_TOKEN_BEDROCK=bear", "AWS_CONTAINER_AUTHORIZATION_TOKEN=ctok",
		"AWS_REGION=us-east-1", "AWS_PROFILE=dev", "AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/token", "GITHUB_TOKEN=gh"}
	secrets, rest := splitSecrets(environ)
	wantSecrets := []string{"AWS_ACCESS_KEY_ID=AKIA1", "AWS_SECRET_ACCESS_KEY=s=with=equals", "AWS_SESSION_TOKEN=tok",
		"AWS_BEARER_TOKEN_BEDROCK=bear", "AWS_CONTAINER_AUTHORIZATION_TOKEN=ctok"}
	wantRest := []string{"PATH=/bin", "AWS_REGION=us-east-1", "AWS_PROFILE=dev", "AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/token", "GITHUB_TOKEN=gh"}
	if !slices.Equal(secrets, wantSecrets) || !slices.Equal(rest, wantRest) {
		t.Fatalf("secrets %q\nrest %q", secrets, rest)
	}
	got, err := decodeSecrets(encodeSecrets(secrets))
	if err != nil || !slices.Equal(got, secrets) {
		t.Fatalf("round trip: %q, %v", got, err)
	}
	if got, err := decodeSecrets(nil); err != nil || got != nil {
		t.Fatalf("empty payload: %q, %v", got, err)
	}
}

// TestDecodeSecretsSetsNothingElse: the pipe can carry AWS secrets only.
func TestDecodeSecretsSetsNothingElse(t *testing.T) {
	for _, payload := range []string{"LD_PRELOAD=/tmp/x.so", "AWS_SECRET_ACCESS_KEY=s\x00PATH=/tmp", "AWS_SECRET_ACCESS_KEY", "AWS_REGION=x"} {
		if got, err := decodeSecrets([]byte(payload)); err == nil {
			t.Errorf("%q decoded to %q", payload, got)
		}
	}
}

func TestOnlyHelpAndVersionStartNoChildren(t *testing.T) {
	cases := map[string]bool{
		"": true, "-p hi": true, "doctor": true, "-p -- -v": true, "-c": true,
		"--version": false, "-v": false, "-p hi --help": false, "help": false, "doctor -h": false,
	}
	for args, want := range cases {
		if got := startsChildren(strings.Fields(args)); got != want {
			t.Errorf("startsChildren(%q) = %v, want %v", args, got, want)
		}
	}
}
