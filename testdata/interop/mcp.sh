#!/bin/sh
# interop-mcp: strata against the MCP reference servers published on npm, pinned, installed into
# a cache outside the repository. A scripted model (bedrocksim) calls mcp__everything__echo and
# mcp__fs__read_text_file under allow rules, once with inline --mcp-config JSON and once with a
# project .mcp.json; the servers' answers must reach the next model request (the emulator's
# request log), and `strata mcp list` must show both connected. Skips when npm does not answer.
set -eu

EVERYTHING=@modelcontextprotocol/server-everything@2026.8.31
FILESYSTEM=@modelcontextprotocol/server-filesystem@2026.8.31
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/strata-npm/mcp"
GO="${GO:-go}"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "interop-mcp: skipped: npm or node is not installed"; exit 0
fi
if ! timeout 30 npm view "$EVERYTHING" version >/dev/null 2>&1; then
  echo "interop-mcp: skipped: the npm registry does not answer"; exit 0
fi
mkdir -p "$CACHE"
if [ ! -x "$CACHE/node_modules/.bin/mcp-server-everything" ] || [ ! -x "$CACHE/node_modules/.bin/mcp-server-filesystem" ] ||
   ! grep -q '"version": "2026.8.31"' "$CACHE/node_modules/@modelcontextprotocol/server-everything/package.json"; then
  (cd "$CACHE" && npm install --no-audit --no-fund --silent "$EVERYTHING" "$FILESYSTEM")
fi

WORK=$(mktemp -d)
SIM_PID=
cleanup() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
"$GO" build -o "$WORK/bin/strata" ./cmd/strata
"$GO" build -o "$WORK/bin/bedrocksim" ./cmd/bedrocksim

PROJECT="$WORK/project"
mkdir -p "$PROJECT" "$WORK/home/.claude"
echo "interop marker 4711" > "$PROJECT/notes.txt"
cat > "$WORK/model.json" <<EOF
{"turns": [
  {"when": {"user_text_contains": "use the servers"}, "repeat": true,
   "content": [{"type": "tool_use", "name": "mcp__everything__echo", "input": {"message": "ping-interop"}},
               {"type": "tool_use", "name": "mcp__fs__read_text_file", "input": {"path": "$PROJECT/notes.txt"}}]},
  {"when": {"tool_result_contains": "interop marker 4711"}, "repeat": true, "content": "Both servers answered."}
]}
EOF

KEY=AKIASTRATAINTEROP001 SECRET=strata-interop-secret-0123456789
"$WORK/bin/bedrocksim" --key "$KEY:$SECRET" --script "$WORK/model.json" --log "$WORK/sim.log" --url-out "$WORK/url" >/dev/null &
SIM_PID=$!
for _ in $(seq 100); do [ -s "$WORK/url" ] && break; sleep 0.1; done

export HOME="$WORK/home" CLAUDE_CONFIG_DIR="$WORK/home/.claude" XDG_STATE_HOME="$WORK/state" XDG_CACHE_HOME="$WORK/cache"
export CLAUDE_CODE_USE_BEDROCK=1 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID="$KEY" AWS_SECRET_ACCESS_KEY="$SECRET"
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export ANTHROPIC_BEDROCK_BASE_URL="$(cat "$WORK/url")"
BIN="$CACHE/node_modules/.bin"
SERVERS="{\"mcpServers\": {\"everything\": {\"command\": \"$BIN/mcp-server-everything\", \"args\": [\"stdio\"]},
  \"fs\": {\"command\": \"$BIN/mcp-server-filesystem\", \"args\": [\"$PROJECT\"]}}}"
ALLOW="mcp__everything__echo mcp__fs__read_text_file"

fail() { echo "interop-mcp: FAIL: $*"; echo "--- sim log:"; tail -c 3000 "$WORK/sim.log" 2>/dev/null; exit 1; }

check_run() { # $1: what, $2: strata's output
  echo "$2" | grep -q "Both servers answered" || fail "$1: no final answer: $2"
  grep -q 'Echo: ping-interop' "$WORK/sim.log" || fail "$1: the echo result did not reach the model"
  grep -q 'interop marker 4711' "$WORK/sim.log" || fail "$1: the file's text did not reach the model"
  echo "interop-mcp: ok: $1"
}

cd "$PROJECT"
out=$("$WORK/bin/strata" -p --allowedTools "$ALLOW" --mcp-config "$SERVERS" "use the servers" 2>&1) || fail "inline --mcp-config: $out"
check_run "inline --mcp-config" "$out"

: > "$WORK/sim.log"
echo "$SERVERS" > .mcp.json
echo '{"enabledMcpjsonServers": ["everything", "fs"]}' > "$WORK/home/.claude/settings.json"
out=$("$WORK/bin/strata" -p --allowedTools "$ALLOW" "use the servers" 2>&1) || fail "project .mcp.json: $out"
check_run "project .mcp.json" "$out"

list=$("$WORK/bin/strata" mcp list 2>&1) || fail "strata mcp list: $list"
echo "$list"
echo "$list" | grep -q '^everything: .* - ✓ Connected' || fail "mcp list: everything is not connected"
echo "$list" | grep -q '^fs: .* - ✓ Connected' || fail "mcp list: fs is not connected"
echo "interop-mcp: ok"
