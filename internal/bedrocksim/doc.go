// Package bedrocksim is a local emulator of Amazon Bedrock for Claude models, strict enough
// that a client passing against it is likely to pass against the real service.
//
// It serves the runtime routes (InvokeModel, InvokeModelWithResponseStream, CountTokens) and
// the control-plane routes (ListInferenceProfiles, GetInferenceProfile, ListFoundationModels,
// GetFoundationModel) on one loopback listener, over HTTP or TLS, HTTP/1.1 or HTTP/2. It
// authenticates like Bedrock (SigV4 recomputed with the AWS SDK's signer, session tokens that
// expire, Bedrock API keys), validates bodies like Bedrock, resolves
// model IDs against the catalog of package models per region, answers from a script or from
// a deterministic echo model with real event-stream frames, injects faults (throttling, 5xx,
// cut streams, exception frames, stalls, expired credentials, gateway rewrites), accounts
// prompt caching, and records every request with its secrets masked.
//
// Tests start it in-process with Start; the bedrocksim command wraps the same Server.
// docs/bedrocksim.md is the reference for the flags, the script format and what is validated.
package bedrocksim
