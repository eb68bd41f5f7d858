package bedrocksim_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/bedrocksim"
)

func TestStartRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  bedrocksim.Config
		want string
	}{
		{"non-loopback address", bedrocksim.Config{Addr: "0.0.0.0:0"}, `listen address "0.0.0.0:0" is not a loopback address`},
		{"bad region", bedrocksim.Config{Regions: []string{"useast1"}}, `"useast1" is not an AWS region name`},
		{"key without secret", bedrocksim.Config{Keys: []bedrocksim.Credential{{AccessKeyID: "AKID"}}}, "key 1 needs both"},
		{"duplicate key", bedrocksim.Config{Keys: []bedrocksim.Credential{testKey(), testKey()}}, "AKID****0001 is configured twice"},
		{"app profile of an unknown model", bedrocksim.Config{AppProfiles: map[string]string{appARN: "anthropic.claude-nope"}}, "not in the catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := bedrocksim.Start(tt.cfg)
			if err == nil {
				srv.Close()
				t.Fatal("started")
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), testSecret) {
				t.Errorf("error %q, want %q", err, tt.want)
			}
		})
	}
}

func TestCertificate(t *testing.T) {
	plain := start(t, bedrocksim.Config{})
	if plain.CertPEM() != nil || plain.WriteCert(filepath.Join(t.TempDir(), "x.pem")) == nil || !strings.HasPrefix(plain.URL(), "http://127.0.0.1:") {
		t.Error("a plain HTTP server has a certificate")
	}
	srv := start(t, bedrocksim.Config{TLS: true})
	if !strings.HasPrefix(srv.URL(), "https://127.0.0.1:") {
		t.Errorf("URL %s", srv.URL())
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := srv.WriteCert(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.VerifyHostname("127.0.0.1"); err != nil {
		t.Error(err)
	}
	if err := cert.VerifyHostname("localhost"); err != nil {
		t.Error(err)
	}
}

func TestDenyOperations(t *testing.T) {
	srv := start(t, bedrocksim.Config{DenyOperations: []string{bedrocksim.OpInvoke}})
	errs := callAll(srv, clientOpts{})
	wantAPIError(t, errs[bedrocksim.OpInvoke], "AccessDeniedException", 403,
		"User: arn:aws:iam::123456789012:user/bedrocksim is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1:123456789012:inference-profile/"+sonnet45+" because no identity-based policy allows the bedrock:InvokeModel action")
	for _, op := range []string{bedrocksim.OpInvokeStream, bedrocksim.OpListProfiles, bedrocksim.OpGetProfile} {
		if errs[op] != nil {
			t.Errorf("%s: %v", op, errs[op])
		}
	}
}

func TestUnknownRoute(t *testing.T) {
	srv := start(t, bedrocksim.Config{})
	status, code, _ := send(t, signedRequestTo(t, srv, "/model/"+sonnet45+"/converse", "bedrock", "us-east-1", body(nil)))
	if status != 404 || code != "UnknownOperationException" {
		t.Errorf("got %d %s", status, code)
	}
	// An ARN whose "/" was not escaped splits the path and matches no route.
	status, code, _ = send(t, signedRequestTo(t, srv, "/model/arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc/invoke", "bedrock", "us-east-1", body(nil)))
	if status != 404 || code != "UnknownOperationException" {
		t.Errorf("unescaped ARN: got %d %s", status, code)
	}
}
