package bedrocksim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/lazyre"
	"github.com/strata-agent/strata/internal/models"
)

// profileSummary is an inference profile as ListInferenceProfiles and GetInferenceProfile
// return it.
type profileSummary struct {
	Name        string         `json:"inferenceProfileName"`
	Description string         `json:"description,omitempty"`
	CreatedAt   string         `json:"createdAt"`
	UpdatedAt   string         `json:"updatedAt"`
	ARN         string         `json:"inferenceProfileArn"`
	Models      []profileModel `json:"models"`
	ID          string         `json:"inferenceProfileId"`
	Status      string         `json:"status"`
	Type        string         `json:"type"`
}

type profileModel struct {
	ModelArn string `json:"modelArn"`
}

const (
	typeSystem = "SYSTEM_DEFINED"
	typeApp    = "APPLICATION"
)

var geoNames = map[string]string{"us": "US", "eu": "EU", "apac": "APAC", "jp": "JP", "au": "AU", "us-gov": "US-GOV", "global": "Global"}

// systemProfiles are the profiles a region serves: each active model in each geography both
// the model and the region have, sorted by ID.
func (s *Server) systemProfiles(region string) []profileSummary {
	var out []profileSummary
	now := s.now()
	for _, m := range models.All() {
		if m.IsRetired(now) {
			continue
		}
		for _, geo := range servedGeos(region) {
			if m.HasGeo(geo) {
				out = append(out, s.systemProfile(m, geo, region))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) systemProfile(m models.Model, geo, region string) profileSummary {
	id := m.ProfileID(geo)
	var arns []profileModel
	var where []string
	for _, r := range geoRegions[geo] {
		arns = append(arns, profileModel{ModelArn: fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/%s", r, m.BaseID)})
		if r != "" {
			where = append(where, r)
		}
	}
	desc := fmt.Sprintf("Routes requests to Anthropic %s in %s.", m.Name, strings.Join(where, ", "))
	if geo == "global" {
		desc = fmt.Sprintf("Routes requests to Anthropic %s in commercial AWS regions.", m.Name)
	}
	created := releaseDate(m.BaseID)
	return profileSummary{
		Name: geoNames[geo] + " Anthropic " + m.Name, Description: desc,
		CreatedAt: created, UpdatedAt: created,
		ARN:    fmt.Sprintf("arn:aws:bedrock:%s:%s:inference-profile/%s", region, s.cfg.AccountID, id),
		Models: arns, ID: id, Status: "ACTIVE", Type: typeSystem,
	}
}

var datePattern = lazyre.New(`-(20\d{6})-`)

// releaseDate reads the date in a base ID (…-20250929-v1:0); dateless IDs get a fixed one.
func releaseDate(base string) string {
	if m := datePattern().FindStringSubmatch(base); m != nil {
		if t, err := time.Parse("20060102", m[1]); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return "2026-01-01T00:00:00Z"
}

// applicationProfiles are the application inference profiles of the region.
func (s *Server) applicationProfiles(region string) []profileSummary {
	var out []profileSummary
	for arn, target := range s.appProfiles() {
		a, _ := models.ParseARN(arn)
		if a.Region != region {
			continue
		}
		out = append(out, s.appProfileSummary(arn, a, target))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) appProfileSummary(arn string, a models.ARN, target string) profileSummary {
	m, _ := models.Lookup(target)
	geo, _, _ := models.SplitID(target)
	var arns []profileModel
	regions := geoRegions[geo]
	if geo == "" {
		regions = []string{a.Region}
	}
	for _, r := range regions {
		arns = append(arns, profileModel{ModelArn: fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/%s", r, m.BaseID)})
	}
	return profileSummary{Name: a.Resource, Description: "Application inference profile for " + m.Name,
		CreatedAt: "2026-01-01T00:00:00Z", UpdatedAt: "2026-01-01T00:00:00Z",
		ARN: arn, Models: arns, ID: a.Resource, Status: "ACTIVE", Type: typeApp}
}

// listProfiles answers ListInferenceProfiles: type (SYSTEM_DEFINED when absent), maxResults
// (1–1000, default Config.PageSize) and nextToken.
func (s *Server) listProfiles(w http.ResponseWriter, r *http.Request, region string) *apiError {
	q := r.URL.Query()
	typ := q.Get("type")
	if typ == "" {
		typ = typeSystem
	}
	if typ != typeSystem && typ != typeApp {
		return validationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]", typ))
	}
	size := s.cfg.PageSize
	if raw := q.Get("maxResults"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 1000 {
			return validationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000", raw))
		}
		size = n
	}
	all := s.systemProfiles(region)
	if typ == typeApp {
		all = s.applicationProfiles(region)
	}
	from, err := decodePageToken(q.Get("nextToken"), typ)
	if err != nil || from > len(all) {
		return validationError("The provided nextToken is invalid.")
	}
	to := min(from+size, len(all))
	out := struct {
		Summaries []profileSummary `json:"inferenceProfileSummaries"`
		NextToken string           `json:"nextToken,omitempty"`
	}{Summaries: all[from:to]}
	if out.Summaries == nil {
		out.Summaries = []profileSummary{}
	}
	if to < len(all) {
		out.NextToken = encodePageToken(to, typ)
	}
	writeJSON(w, out)
	return nil
}

// Page tokens are opaque to clients; inside they name the list and the offset.
func encodePageToken(offset int, typ string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + strconv.Itoa(offset)))
}

func decodePageToken(tok, typ string) (int, error) {
	if tok == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, err
	}
	t, off, ok := strings.Cut(string(raw), ":")
	n, err := strconv.Atoi(off)
	if !ok || t != typ || err != nil || n < 0 {
		return 0, fmt.Errorf("bad page token")
	}
	return n, nil
}

// getProfile answers GetInferenceProfile for a profile ID or ARN.
func (s *Server) getProfile(w http.ResponseWriter, ident, region string) *apiError {
	if target, ok := s.appProfiles()[ident]; ok {
		a, _ := models.ParseARN(ident)
		if a.Region == region {
			writeJSON(w, s.appProfileSummary(ident, a, target))
			return nil
		}
	}
	id := ident
	if a, ok := models.ParseARN(ident); ok && a.Kind == models.KindInferenceProfile && a.Region == region {
		id = a.Resource
	}
	profiles := s.systemProfiles(region)
	if i := slices.IndexFunc(profiles, func(p profileSummary) bool { return p.ID == id }); i >= 0 {
		writeJSON(w, profiles[i])
		return nil
	}
	return newError(http.StatusNotFound, "ResourceNotFoundException", "The specified inference profile was not found in this region.")
}

func writeJSON(w http.ResponseWriter, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
