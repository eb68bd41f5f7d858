package llm

// ReportedUsage is a usage as the reference CLI records it for Bedrock (in transcripts and in
// the print-mode result): the token counts, then the API's other usage fields, which Bedrock
// does not report, at the values the reference writes for them. The Agent SDK types these
// fields as never null in a result.
type ReportedUsage struct {
	Usage
	ServerToolUse ServerToolUsage `json:"server_tool_use"`
	ServiceTier   string          `json:"service_tier"`
	CacheCreation CacheCreation   `json:"cache_creation"`
	InferenceGeo  string          `json:"inference_geo"`
	Iterations    []struct{}      `json:"iterations"`
	Speed         string          `json:"speed"`
}

// ServerToolUsage counts server-side tool calls; strata offers none on Bedrock.
type ServerToolUsage struct {
	WebSearchRequests int `json:"web_search_requests"`
	WebFetchRequests  int `json:"web_fetch_requests"`
}

// CacheCreation splits cache writes by lifetime; Bedrock reports only their sum.
type CacheCreation struct {
	Ephemeral1h int `json:"ephemeral_1h_input_tokens"`
	Ephemeral5m int `json:"ephemeral_5m_input_tokens"`
}

// Reported is u with the fields Bedrock leaves out, as the reference fills them in.
func (u Usage) Reported() ReportedUsage {
	return ReportedUsage{Usage: u, ServiceTier: "standard", Iterations: []struct{}{}, Speed: "standard"}
}
