package bedrocksim

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// HTTP/2 clients sign the ":authority" pseudo-header instead of "host": the AWS SDK for
// JavaScript v3 does so by default (SignedHeaders=:authority;…), and Bedrock accepts it.
// aws-sdk-go-v2's signer always signs "host" and cannot express that canonical request, so
// for this one case the emulator builds the SigV4 canonical request itself (AWS's "Create a
// canonical request for Signature Version 4"); every other request goes through the SDK's
// signer in signatureMatches.
const authorityHeader = ":authority"

// signatureMatchesAuthority verifies a signature whose signed headers include ":authority".
func signatureMatchesAuthority(r *http.Request, path string, body []byte, a sigV4Auth, cred Credential, signedAt time.Time) bool {
	signed := strings.Split(a.signedHeaders, ";")
	var canon strings.Builder
	for _, name := range signed {
		value := strings.Join(r.Header.Values(name), ",")
		switch name {
		case authorityHeader, "host":
			value = r.Host
		case "content-length":
			value = itoa(len(body))
		}
		canon.WriteString(name + ":" + strings.Join(strings.Fields(value), " ") + "\n")
	}
	sum := sha256.Sum256(body)
	request := strings.Join([]string{r.Method, awsEscape(path, true), canonicalQuery(r.URL.RawQuery),
		canon.String(), a.signedHeaders, hex.EncodeToString(sum[:])}, "\n")
	reqSum := sha256.Sum256([]byte(request))
	day := signedAt.UTC().Format("20060102")
	scope := day + "/" + a.region + "/" + a.service + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + signedAt.UTC().Format("20060102T150405Z") + "\n" + scope + "\n" + hex.EncodeToString(reqSum[:])
	key := []byte("AWS4" + cred.SecretAccessKey)
	for _, part := range []string{day, a.region, a.service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	return subtle.ConstantTimeCompare([]byte(want), []byte(a.signature)) == 1
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// canonicalQuery sorts the query by name and value and escapes both the SigV4 way.
func canonicalQuery(raw string) string {
	q, _ := url.ParseQuery(raw)
	var pairs []string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, awsEscape(k, false)+"="+awsEscape(v, false))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// awsEscape percent-encodes every byte but the unreserved ones (and "/" when keepSlash), as
// SigV4 requires; applied to a path that is already escaped it gives the double encoding
// services other than S3 sign.
func awsEscape(s string, keepSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		unreserved := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')
		if unreserved {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
	}
	return b.String()
}
