package bedrocksim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/strata-agent/strata/internal/models"
)

// foundationModel is a model as ListFoundationModels (modelSummaries) and GetFoundationModel
// (modelDetails) return it.
type foundationModel struct {
	ModelArn                   string         `json:"modelArn"`
	ModelID                    string         `json:"modelId"`
	ModelName                  string         `json:"modelName"`
	ProviderName               string         `json:"providerName"`
	InputModalities            []string       `json:"inputModalities"`
	OutputModalities           []string       `json:"outputModalities"`
	ResponseStreamingSupported bool           `json:"responseStreamingSupported"`
	CustomizationsSupported    []string       `json:"customizationsSupported"`
	InferenceTypesSupported    []string       `json:"inferenceTypesSupported"`
	ModelLifecycle             modelLifecycle `json:"modelLifecycle"`
}

type modelLifecycle struct {
	Status string `json:"status"` // ACTIVE or LEGACY
}

// foundationModels are the active catalog models the region offers, on demand or through
// one of its inference profiles.
func (s *Server) foundationModels(region string) []foundationModel {
	var out []foundationModel
	now := s.now()
	served := servedGeos(region)
	for _, m := range models.All() {
		if m.IsRetired(now) || !offeredIn(m, served) {
			continue
		}
		types := []string{"ON_DEMAND"}
		if m.NeedsProfile {
			types = []string{"INFERENCE_PROFILE"}
		}
		status := "ACTIVE"
		if !m.Retired.IsZero() {
			status = "LEGACY" // an end-of-life date is announced
		}
		out = append(out, foundationModel{
			ModelArn: fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/%s", region, m.BaseID),
			ModelID:  m.BaseID, ModelName: m.Name, ProviderName: "Anthropic",
			InputModalities: []string{"TEXT", "IMAGE"}, OutputModalities: []string{"TEXT"},
			ResponseStreamingSupported: true, CustomizationsSupported: []string{},
			InferenceTypesSupported: types, ModelLifecycle: modelLifecycle{Status: status},
		})
	}
	return out
}

func offeredIn(m models.Model, served []string) bool {
	for _, g := range served {
		if m.HasGeo(g) {
			return true
		}
	}
	return false
}

// foundationFilters are ListFoundationModels' query parameters with their allowed values
// (the API's enums; a value outside them is a ValidationException).
var foundationFilters = map[string][]string{
	"byCustomizationType": {"FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"},
	"byOutputModality":    {"TEXT", "IMAGE", "EMBEDDING"},
	"byInferenceType":     {"ON_DEMAND", "PROVISIONED"},
}

// listFoundationModels answers ListFoundationModels with its filters: byProvider (any name,
// case-insensitive), byCustomizationType, byOutputModality and byInferenceType.
func (s *Server) listFoundationModels(w http.ResponseWriter, r *http.Request, region string) *apiError {
	q := r.URL.Query()
	for _, key := range sortedKeys(foundationFilters) {
		v := q.Get(key)
		if v != "" && !slices.Contains(foundationFilters[key], v) {
			return validationError(fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
				v, key, strings.Join(foundationFilters[key], ", ")))
		}
	}
	all := s.foundationModels(region)
	keep := all[:0]
	for _, fm := range all {
		if p := q.Get("byProvider"); p != "" && !strings.EqualFold(p, fm.ProviderName) {
			continue
		}
		if q.Get("byCustomizationType") != "" { // no Claude model is customizable here
			continue
		}
		if o := q.Get("byOutputModality"); o != "" && !slices.Contains(fm.OutputModalities, o) {
			continue
		}
		if t := q.Get("byInferenceType"); t != "" && !slices.Contains(fm.InferenceTypesSupported, t) {
			continue
		}
		keep = append(keep, fm)
	}
	if keep == nil {
		keep = []foundationModel{}
	}
	writeJSON(w, struct {
		Summaries []foundationModel `json:"modelSummaries"`
	}{keep})
	return nil
}

// getFoundationModel answers GetFoundationModel for a base ID or a foundation-model ARN of
// the region.
func (s *Server) getFoundationModel(w http.ResponseWriter, ident, region string) *apiError {
	id := ident
	if a, ok := models.ParseARN(ident); ok && a.Kind == models.KindFoundationModel && a.Region == region {
		id = a.Resource
	}
	for _, fm := range s.foundationModels(region) {
		if fm.ModelID == id {
			writeJSON(w, struct {
				Details foundationModel `json:"modelDetails"`
			}{fm})
			return nil
		}
	}
	return newError(http.StatusNotFound, "ResourceNotFoundException", "The specified model was not found in this region.") // ours
}
