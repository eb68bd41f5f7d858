package bedrocksim

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/models"
)

// resolved is the model behind a requested model ID.
type resolved struct {
	requested  string // as in the path, unescaped
	model      models.Model
	geo        string // profile prefix; "" for a base ID or an application profile
	appProfile bool
}

// servedGeos are the inference-profile prefixes a region serves: its own geography (with the
// country profiles of Tokyo/Osaka and Sydney/Melbourne) and global, except in GovCloud.
func servedGeos(region string) []string {
	geo := models.GeoPrefix(region)
	out := []string{geo}
	switch region {
	case "ap-northeast-1", "ap-northeast-3":
		out = append(out, "jp")
	case "ap-southeast-2", "ap-southeast-4":
		out = append(out, "au")
	}
	if geo != "global" && geo != "us-gov" {
		out = append(out, "global")
	}
	return out
}

// geoRegions are the regions a geography's profiles route to, as listed in the models of
// GetInferenceProfile. A global profile names no region.
var geoRegions = map[string][]string{
	"us":     {"us-east-1", "us-east-2", "us-west-2"},
	"eu":     {"eu-central-1", "eu-north-1", "eu-west-1", "eu-west-3"},
	"apac":   {"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2"},
	"jp":     {"ap-northeast-1", "ap-northeast-3"},
	"au":     {"ap-southeast-2", "ap-southeast-4"},
	"us-gov": {"us-gov-east-1", "us-gov-west-1"},
	"global": {""},
}

// catalogModel finds a base ID exactly (models.Lookup is more lenient than Bedrock).
func catalogModel(base string) (models.Model, bool) {
	for _, m := range models.All() {
		if m.BaseID == base {
			return m, true
		}
	}
	return models.Model{}, false
}

// resolveModel applies Bedrock's model-ID rules for a request in region: unknown, retired or
// out-of-region IDs are invalid (400), base IDs of profile-only models get the on-demand
// error, unknown ARNs are not found (404), and models the account lacks are denied (403).
func (s *Server) resolveModel(id, region string, now time.Time) (resolved, *apiError) {
	res, err := s.lookupModelID(id, region)
	if err != nil {
		return res, err
	}
	if res.model.IsRetired(now) {
		return res, validationError(msgInvalidModelID)
	}
	if !res.appProfile {
		served := servedGeos(region)
		if res.geo == "" && !slices.ContainsFunc(res.model.Geos, func(g string) bool { return slices.Contains(served, g) }) {
			return res, validationError(msgInvalidModelID)
		}
		if res.geo != "" && (!slices.Contains(served, res.geo) || !res.model.HasGeo(res.geo)) {
			return res, validationError(msgInvalidModelID)
		}
		if res.geo == "" && res.model.NeedsProfile {
			return res, validationError(fmt.Sprintf(msgOnDemandFmt, id))
		}
	}
	if s.denied(res) {
		return res, accessDenied(msgNoModelAccess)
	}
	return res, nil
}

// lookupModelID reads the ID's form: ARN, profile ID or base ID.
func (s *Server) lookupModelID(id, region string) (resolved, *apiError) {
	res := resolved{requested: id}
	if _, has1M := models.Strip1M(id); has1M || id == "" || strings.TrimSpace(id) != id {
		return res, validationError(msgInvalidModelID)
	}
	name := id
	if strings.HasPrefix(id, "arn:") {
		a, ok := models.ParseARN(id)
		if !ok {
			return res, validationError(msgInvalidModelID)
		}
		switch a.Kind {
		case models.KindApplicationInferenceProfile:
			target, ok := s.appProfile(id)
			if !ok {
				return res, newError(404, "ResourceNotFoundException", msgNotFound)
			}
			m, _ := models.Lookup(target)
			res.model, res.appProfile = m, true
			return res, nil
		case models.KindInferenceProfile, models.KindFoundationModel:
			if a.Region != region {
				return res, validationError(msgInvalidModelID)
			}
			if (a.Kind == models.KindFoundationModel) != (a.Account == "") {
				return res, validationError(msgInvalidModelID)
			}
			name = a.Resource
		default:
			return res, newError(404, "ResourceNotFoundException", msgNotFound)
		}
	}
	geo, base := "", name
	if prefix, rest, ok := strings.Cut(name, "."); ok && models.IsGeo(prefix) {
		geo, base = prefix, rest
	}
	m, ok := catalogModel(base)
	if !ok {
		return res, validationError(msgInvalidModelID)
	}
	res.model, res.geo = m, geo
	return res, nil
}

// denied reports whether the account was not granted the model: Config.Denied may name the
// requested ID, the base ID or the profile ID.
func (s *Server) denied(res resolved) bool {
	for _, d := range s.cfg.Denied {
		if d == res.requested || d == res.model.BaseID || (res.geo != "" && d == res.model.ProfileID(res.geo)) {
			return true
		}
	}
	return false
}

// appProfile finds an application inference profile in the configuration or the script.
func (s *Server) appProfile(arn string) (string, bool) {
	m, ok := s.appProfiles()[arn]
	return m, ok
}

// appProfiles returns every application inference profile, the script's over the
// configuration's.
func (s *Server) appProfiles() map[string]string {
	out := map[string]string{}
	for k, v := range s.cfg.AppProfiles {
		out[k] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.script != nil {
		for k, v := range s.script.sc.appProfiles {
			out[k] = v
		}
	}
	return out
}
