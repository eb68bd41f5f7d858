package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/strata-agent/strata/internal/doctor"
)

// npmLatest is where the newest published strata is named: the npm package is the one
// channel every platform shares (Homebrew and `go install` follow the same tags).
const npmLatest = "https://registry.npmjs.org/@strata-agent/strata/latest"

// latestRelease asks the npm registry for the newest release. It runs only for
// `strata doctor --check-update`.
func latestRelease(ctx context.Context) (string, error) {
	return latestReleaseFrom(ctx, http.DefaultClient, npmLatest)
}

func latestReleaseFrom(ctx context.Context, c *http.Client, url string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return "", doctor.ErrNoRelease
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the npm registry answered %s", resp.Status)
	}
	var doc struct {
		Version string `json:"version"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil || doc.Version == "" {
		return "", fmt.Errorf("the npm registry's answer names no version")
	}
	return doc.Version, nil
}
