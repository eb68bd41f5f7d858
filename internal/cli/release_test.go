package cli

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/strata-agent/strata/internal/doctor"
)

func TestLatestReleaseReadsTheRegistry(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			_, _ = w.Write([]byte(`{"name":"@strata-agent/strata","version":"1.4.2"}`))
		case "/empty":
			_, _ = w.Write([]byte(`{}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	if v, err := latestReleaseFrom(context.Background(), srv.Client(), srv.URL+"/ok"); v != "1.4.2" || err != nil {
		t.Errorf("got %q, %v", v, err)
	}
	if _, err := latestReleaseFrom(context.Background(), srv.Client(), srv.URL+"/missing"); !errors.Is(err, doctor.ErrNoRelease) {
		t.Errorf("nothing published: %v", err)
	}
	for path, want := range map[string]string{"/empty": "names no version"} {
		if _, err := latestReleaseFrom(context.Background(), srv.Client(), srv.URL+path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", path, err, want)
		}
	}
}
