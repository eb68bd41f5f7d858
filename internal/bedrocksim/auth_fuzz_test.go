package bedrocksim

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzAuthenticate: whatever Authorization, X-Amz-Date, host and body a request carries, the
// emulator answers it without panicking; only the configured API key gets in (a signature
// cannot be guessed); every refusal is a 400 or 403 with a code; and no refusal quotes the
// secret key or the token.
func FuzzAuthenticate(f *testing.F) {
	const akid, secret, bearer = "AKIDFUZZAUTH00000001", "fuzz-auth-secret-key", "fuzz-auth-bearer-token"
	for _, s := range [][3]string{
		{"AWS4-HMAC-SHA256 Credential=" + akid + "/20261124/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd", "20261124T102000Z", "{}"},
		{"AWS4-HMAC-SHA256 Credential=" + akid + "/20261124/eu-west-1/s3/aws4_request, SignedHeaders=, Signature=", "", ""},
		{"AWS4-HMAC-SHA256 Credential=a/b/c", "x", ""},
		{"Bearer " + bearer, "", ""}, {"Bearer nope", "", ""}, {"Basic xyz", "", ""}, {"", "", ""},
		{"AWS4-HMAC-SHA256 Credential=" + akid + "/20261124/us-east-1/bedrock/aws4_request,SignedHeaders=:authority;host,Signature=00", "20261124T102000Z", "body"},
	} {
		f.Add(s[0], s[1], "bedrock-runtime.us-east-1.amazonaws.com", []byte(s[2]))
	}
	srv, err := Start(Config{Keys: []Credential{{AccessKeyID: akid, SecretAccessKey: secret}}, BearerTokens: []string{bearer}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	f.Fuzz(func(t *testing.T, authz, date, host string, body []byte) {
		r := httptest.NewRequest("POST", "/model/m/invoke", bytes.NewReader(body))
		r.Header.Set("Authorization", authz)
		r.Header.Set("X-Amz-Date", date)
		r.Host = host
		_, apiErr := srv.authenticate(r, "/model/m/invoke", body)
		if apiErr == nil {
			if strings.TrimSpace(r.Header.Get("Authorization")) != "Bearer "+bearer {
				t.Fatalf("authenticated %q", authz)
			}
			return
		}
		if (apiErr.status != 400 && apiErr.status != 403) || apiErr.code == "" {
			t.Fatalf("refused with %d %q", apiErr.status, apiErr.code)
		}
		for _, s := range []string{secret, bearer} {
			if strings.Contains(apiErr.message, s) {
				t.Fatalf("the refusal quotes a secret: %s", apiErr.message)
			}
		}
	})
}
