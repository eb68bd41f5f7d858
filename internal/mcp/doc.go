// Package mcp connects strata to Model Context Protocol servers (AGENT.md A13) with the
// official Go SDK: it reads their configuration where the reference CLI keeps it (a project's
// .mcp.json, the user and local scopes of ~/.claude.json, --mcp-config files or inline JSON),
// expands ${VAR} and ${VAR:-default}, applies project-server approval and the managed
// allow and deny lists, starts every server in the background, and offers each server's
// tools to the agent as mcp__<server>__<tool>.
//
// Stdio servers are started by internal/proc (the go-sdk's CommandTransport is never used):
// their environment is strata's scrubbed child environment plus the server's own env, their
// stderr goes to a log file, and closing a server ends its whole process group. HTTP
// (streamable) and SSE servers get their configured headers, and headersHelper's output.
//
// A server is anything that yields a go-sdk Transport (Dialer): the Manager does not care
// whether that is a child process, a URL or an in-process pipe, which is how servers hosted
// by an embedding program (the Agent SDK's in-process servers) plug in.
//
// Nothing here waits for a server before the first prompt: Start returns at once, each
// server's state (connecting, connected, failed with a reason, pending approval) is reported
// by Statuses, and the tool list the agent sees grows as servers connect. A server that dies
// is marked failed and its tools answer with an error.
package mcp
