package bedrocksim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/strata-agent/strata/internal/models"
)

// countTokens answers CountTokens (POST /model/{modelId}/count-tokens). The body is
// {"input": {"invokeModel": {"body": "<base64 of an InvokeModel body>"}}}; the inner body is
// validated exactly as InvokeModel would validate it, and the answer is {"inputTokens": N},
// the same count InvokeModel reports (before caching). modelId is a foundation model — a base
// ID or its ARN — as the API documents; inference-profile IDs are resolved by the client
// first (the reference CLI does so with GetInferenceProfile).
func (s *Server) countTokens(w http.ResponseWriter, modelID, region string, body []byte) *apiError {
	res, err := s.countTokensModel(modelID, region)
	if err != nil {
		return err
	}
	inner, err := countTokensBody(body)
	if err != nil {
		return err
	}
	req, err := s.validate(OpCountTokens, inner, res)
	if err != nil {
		return err
	}
	writeJSON(w, struct {
		InputTokens int `json:"inputTokens"`
	}{req.tokens})
	return nil
}

// countTokensModel accepts a base ID or a foundation-model ARN of the region, of a model the
// region offers in any way (on demand or through a profile).
func (s *Server) countTokensModel(id, region string) (resolved, *apiError) {
	base := id
	if a, ok := models.ParseARN(id); ok {
		if a.Kind != models.KindFoundationModel || a.Region != region {
			return resolved{}, validationError(msgInvalidModelID)
		}
		base = a.Resource
	}
	m, ok := catalogModel(base)
	if !ok || m.IsRetired(s.now()) || !offeredIn(m, servedGeos(region)) {
		return resolved{}, validationError(msgInvalidModelID)
	}
	res := resolved{requested: id, model: m}
	if s.denied(res) {
		return res, accessDenied(msgNoModelAccess)
	}
	return res, nil
}

// countTokensBody unwraps the InvokeModel body from CountTokens' input union.
func countTokensBody(body []byte) ([]byte, *apiError) {
	var in struct {
		Input map[string]json.RawMessage `json:"input"`
	}
	if json.Unmarshal(body, &in) != nil || in.Input == nil {
		return nil, validationError("1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null")
	}
	if len(in.Input) != 1 {
		keys := sortedKeys(in.Input)
		return nil, validationError(fmt.Sprintf("input must set exactly one of invokeModel, converse; found: %s", strings.Join(keys, ", "))) // ours
	}
	raw, ok := in.Input["invokeModel"]
	if !ok {
		// Converse is not served by the emulator at all, so neither is its token count.
		return nil, validationError("bedrocksim: CountTokens with a converse input is not supported; use invokeModel")
	}
	var im struct {
		Body *string `json:"body"`
	}
	if json.Unmarshal(raw, &im) != nil || im.Body == nil {
		return nil, validationError("1 validation error detected: Value null at 'input.invokeModel.body' failed to satisfy constraint: Member must not be null")
	}
	inner, err := base64.StdEncoding.DecodeString(*im.Body)
	if err != nil {
		return nil, newError(http.StatusBadRequest, "SerializationException", "Unable to decode base64 blob for input.invokeModel.body") // ours
	}
	return inner, nil
}
