// Package bedrock is strata's Amazon Bedrock client: it implements llm.Client on top of the
// Bedrock Invoke API (InvokeModelWithResponseStream and InvokeModel), never Converse.
//
// It owns everything between an llm.Request and the wire:
//
//   - configuration from the environment and settings (LoadConfig, B1–B6, B20–B24);
//   - credentials: the AWS SDK's default chain, Bedrock API keys, skip-auth gateways, the
//     awsCredentialExport command, and refreshing through awsAuthRefresh when Bedrock or the
//     SDK reports expired credentials (B10–B15);
//   - the request body: anthropic_version, the betas the model accepts, thinking and max_tokens
//     limits the model can satisfy, and prompt-cache breakpoints (B23, B24, B30–B32);
//   - the response stream, read event by event with an idle watchdog (B33);
//   - error classification, retries with backoff, transparent restarts of broken streams, and
//     recovery from base model IDs that need an inference profile (the table of BEDROCK.md).
//
// Progress that is not part of the answer (retries, restarts, refresh output, warnings) is
// reported through llm.Notify on the request's context. Secrets (keys, session tokens, bearer
// tokens, the output of awsCredentialExport) never appear in errors, notices or Config output.
package bedrock
