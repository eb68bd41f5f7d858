#!/usr/bin/env bash
# Interop job: real clients from npm (and boto3 when present) against bedrocksim, with their
# default settings. `make interop-sim` runs it. It installs pinned packages into a cache folder
# outside the repository, skips (exit 0, with a message) when npm does not answer, and fails
# when any client fails or bedrocksim refuses any request it should accept.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/testdata/interop

CLAUDE_VERSION=2.1.197
JS_SDK_VERSION=3.1178.0
CACHE=${STRATA_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/strata-npm}/interop-sim-$CLAUDE_VERSION-$JS_SDK_VERSION

skip() { echo "interop-sim: SKIP: $*"; exit 0; }
fail() { echo "interop-sim: FAIL: $*" >&2; exit 1; }
say() { echo "interop-sim: [${SECONDS}s] $*"; }

command -v npm >/dev/null && command -v node >/dev/null || skip "npm and node are not installed"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || skip "the reference CLI's native package is pinned for linux-x64"
timeout 30 npm view "@anthropic-ai/claude-code@$CLAUDE_VERSION" version >/dev/null 2>&1 \
  || skip "the npm registry does not answer (npm view @anthropic-ai/claude-code@$CLAUDE_VERSION failed)"

CLAUDE=$CACHE/node_modules/@anthropic-ai/claude-code-linux-x64/claude
if [ ! -x "$CLAUDE" ] || [ ! -d "$CACHE/node_modules/@aws-sdk/client-bedrock-runtime" ]; then
  say "installing @anthropic-ai/claude-code@$CLAUDE_VERSION and @aws-sdk/client-bedrock-runtime@$JS_SDK_VERSION into $CACHE"
  mkdir -p "$CACHE"
  # --ignore-scripts: the native binary is run straight from its own package.
  npm install --prefix "$CACHE" --no-audit --no-fund --no-save --ignore-scripts --loglevel=error \
    "@anthropic-ai/claude-code@$CLAUDE_VERSION" "@anthropic-ai/claude-code-linux-x64@$CLAUDE_VERSION" \
    "@aws-sdk/client-bedrock-runtime@$JS_SDK_VERSION" >/dev/null || fail "npm install failed"
fi
"$CLAUDE" --version | grep -q "$CLAUDE_VERSION" || fail "$CLAUDE is not version $CLAUDE_VERSION"

TMP=$(mktemp -d)
SIM_PIDS=()
cleanup() { for p in "${SIM_PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

# BEDROCKSIM_BIN runs another build (an older one, to see this job fail where it refused).
SIM=${BEDROCKSIM_BIN:-$TMP/bedrocksim}
[ -n "${BEDROCKSIM_BIN:-}" ] || go build -o "$SIM" ./cmd/bedrocksim
AKID=AKIDINTEROP0000000001
SECRET=interopSecretKeyNotReal0000000000000000
# start_sim SCRIPT LOG: a bedrocksim on 127.0.0.1 answering from SCRIPT; its URL in STARTED_URL.
start_sim() {
  local out; out=$(mktemp -d "$TMP/sim.XXXX")
  "$SIM" --key "$AKID:$SECRET" --script "$1" --log "$2" --url-out "$out/url" >"$out/sim.out" 2>"$out/sim.err" &
  SIM_PIDS+=($!)
  for _ in $(seq 100); do [ -s "$out/url" ] && break; sleep 0.1; done
  [ -s "$out/url" ] || fail "bedrocksim did not start: $(cat "$out/sim.err")"
  STARTED_URL=$(cat "$out/url")
}
start_sim "$HERE/tool-roundtrip.json" "$TMP/log.jsonl"
URL=$STARTED_URL
LOG=$TMP/log.jsonl
say "bedrocksim at $URL"

mkdir -p "$TMP/work" && echo marker >"$TMP/work/interop-marker.txt"
# The reference with default settings: only what a Bedrock user sets, a fresh HOME, fake keys.
claude() {
  mkdir -p "$TMP/home"
  (cd "$TMP/work" && env -i PATH="/usr/bin:/bin" HOME="$TMP/home" TERM=dumb \
    CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL="$URL" AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID="$AKID" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_EC2_METADATA_DISABLED=true \
    timeout 180 "$CLAUDE" "$@" </dev/null)
}
check() { node "$HERE/checklog.mjs" "$LOG" "$@" || fail "request log check failed: $*"; }

run_prompt() { # name, expected model fragment, claude args...
  local name=$1 model=$2; shift 2
  local out
  out=$(claude -p "INTEROP-HELLO $name" "$@") || fail "claude -p ($name) exited $?: $out"
  grep -q "INTEROP-HELLO $name" <<<"$out" || fail "claude -p ($name) printed: ${out:0:300}"
  check conversation "$model" "INTEROP-HELLO $name"
  say "ok: claude -p ($name) answered through $model"
}
run_prompt default claude-sonnet-4-5
run_prompt opus claude-opus-4-6 --model opus
run_prompt haiku claude-haiku-4-5 --model haiku

out=$(claude -p "INTEROP-LIST the files in this folder") || fail "tool round trip exited $?: $out"
grep -q "INTEROP-TOOL-OK" <<<"$out" || fail "tool round trip printed: ${out:0:300}"
check tool-result "interop-marker.txt"
say "ok: scripted Bash round trip; the tool result reached the next request"

claude -p "INTEROP-HELLO stream-json" --output-format stream-json --verbose >"$TMP/stream.jsonl" \
  || fail "stream-json run exited $?"
node "$HERE/checklog.mjs" "$TMP/stream.jsonl" stream-json "INTEROP-HELLO stream-json" || fail "stream-json output: $(tail -c 400 "$TMP/stream.jsonl")"
say "ok: --output-format stream-json ends with a successful result"

check all-accepted
say "ok: bedrocksim accepted every request of the reference CLI ($(wc -l <"$LOG") requests)"

STRATA_REFERENCE_CLI=$CLAUDE go test -count=1 -run TestReferenceRewindsOurCheckpoints ./internal/checkpoint/ >"$TMP/rewind.out" 2>&1 \
  || fail "the reference CLI does not rewind strata's file checkpoints: $(cat "$TMP/rewind.out")"
say "ok: the reference CLI's --rewind-files restored files from strata's checkpoints"

: >"$LOG.before-sdk" && cp "$LOG" "$LOG.before-sdk"
cp "$HERE/jssdk.mjs" "$CACHE/jssdk.mjs" # ES modules resolve packages from their own folder
env -i PATH="/usr/bin:/bin" HOME="$TMP/home" BEDROCKSIM_URL="$URL" AWS_ACCESS_KEY_ID="$AKID" \
  AWS_SECRET_ACCESS_KEY="$SECRET" AWS_EC2_METADATA_DISABLED=true \
  timeout 120 node --no-warnings "$CACHE/jssdk.mjs" || fail "the AWS SDK for JavaScript v3 failed"
check http2-after "$(wc -l <"$LOG.before-sdk")"
say "ok: AWS SDK for JavaScript v3 (default handler) streamed and counted tokens over HTTP/2"

if command -v python3 >/dev/null && python3 -c "import boto3" 2>/dev/null; then
  env -i PATH="$PATH" HOME="$TMP/home" BEDROCKSIM_URL="$URL" AWS_ACCESS_KEY_ID="$AKID" \
    AWS_SECRET_ACCESS_KEY="$SECRET" AWS_EC2_METADATA_DISABLED=true \
    timeout 120 python3 "$HERE/boto3_client.py" || fail "boto3 failed"
  say "ok: boto3 streamed, counted tokens and listed foundation models"
else
  say "boto3: SKIP: python3 with boto3 is not installed"
fi
# Sessions moving between strata and the reference, both ways, and field-by-field comparisons.
. "$HERE/sessions.sh"
say "PASS"
