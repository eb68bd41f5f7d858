package webfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

const (
	maxBody      = 5 << 20 // bytes read from a response
	maxRedirects = 10
	maxURLLength = 2000
)

// normalizeURL checks that raw is an http or https URL and upgrades http to https, except
// for loopback hosts, which have no certificate to offer.
func normalizeURL(raw string) (*url.URL, error) {
	if len(raw) > maxURLLength {
		return nil, fmt.Errorf("url is longer than %d characters", maxURLLength)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("url %q does not parse: %v", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("url %q must start with http:// or https://", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("url %q has no host", raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		u.Scheme = "https"
	}
	u.Fragment = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameSite reports whether a redirect from a to b may be followed without asking: same
// scheme, host (ignoring a "www." prefix) and port.
func sameSite(a, b *url.URL) bool {
	trim := func(h string) string { return strings.TrimPrefix(strings.ToLower(h), "www.") }
	return a.Scheme == b.Scheme && trim(a.Hostname()) == trim(b.Hostname()) && a.Port() == b.Port()
}

// page is a fetched document turned into text.
type page struct {
	url       string // after same-site redirects
	text      string
	truncated bool // the body was longer than maxBody
}

// redirectError reports a redirect to another site, which is not followed.
type redirectError struct {
	from, to string
	status   int
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("%s redirects (HTTP %d) to a different host: %s", e.from, e.status, e.to)
}

// fetchError is a failure the model should see (HTTP status, unsupported content).
type fetchError struct{ msg string }

func (e *fetchError) Error() string { return e.msg }

// fetch downloads u and converts it to text.
func fetch(ctx context.Context, client *http.Client, u *url.URL) (*page, error) {
	c := *client
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if !sameSite(via[0].URL, req.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &fetchError{fmt.Sprintf("cannot request %s: %v", u, err)}
	}
	req.Header.Set("Accept", "text/html, text/plain, application/xhtml+xml, application/json;q=0.9, */*;q=0.5")
	req.Header.Set("User-Agent", "strata-webfetch/1 (+coding agent)")
	resp, err := c.Do(req)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, &fetchError{fmt.Sprintf("fetching %s failed: the server did not answer in time", u)}
		}
		return nil, &fetchError{fmt.Sprintf("fetching %s failed: %v", u, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc, err := resp.Location(); err == nil {
			return nil, &redirectError{from: resp.Request.URL.String(), to: loc.String(), status: resp.StatusCode}
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &fetchError{fmt.Sprintf("fetching %s failed: HTTP %s", resp.Request.URL, resp.Status)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, &fetchError{fmt.Sprintf("reading %s failed: %v", resp.Request.URL, err)}
	}
	p := &page{url: resp.Request.URL.String(), truncated: len(body) > maxBody}
	if p.truncated {
		body = body[:maxBody]
	}
	p.text, err = toText(body, resp.Header.Get("Content-Type"), resp.Request.URL)
	if err != nil {
		return nil, &fetchError{fmt.Sprintf("%s: %v", resp.Request.URL, err)}
	}
	return p, nil
}

// toText decodes body by its content type: HTML is converted, other text is kept as it is,
// anything else is refused.
func toText(body []byte, contentType string, base *url.URL) (string, error) {
	if contentType == "" {
		contentType = http.DetectContentType(body)
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	var text string
	switch cs := strings.ToLower(params["charset"]); cs {
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "us-ascii", "ascii":
		text = decodeLatin1(body) // windows-1252 differs only in 0x80–0x9F
	default:
		text = string(body)
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
	}
	switch {
	case mediaType == "text/html" || mediaType == "application/xhtml+xml":
		return htmlToText(text, base), nil
	case isTextual(mediaType):
		if strings.ContainsRune(text, 0) {
			return "", errors.New("the content contains binary data")
		}
		return text, nil
	}
	return "", fmt.Errorf("content of type %s is not text and cannot be read by WebFetch", mediaType)
}

func isTextual(mediaType string) bool {
	switch {
	case strings.HasPrefix(mediaType, "text/"),
		strings.HasSuffix(mediaType, "+json"), strings.HasSuffix(mediaType, "+xml"):
		return true
	}
	switch mediaType {
	case "application/json", "application/xml", "application/javascript", "application/x-javascript",
		"application/ecmascript", "application/x-yaml", "application/yaml", "application/toml",
		"application/x-sh", "application/rss+xml", "application/atom+xml":
		return true
	}
	return false
}
