# Sessions across the two tools, sourced by run.sh (which provides CLAUDE, SIM, AKID, SECRET,
# TMP, HERE, ROOT, say, fail, start_sim). strata and the reference CLI share one HOME, so each
# finds the other's transcripts in ~/.claude/projects, and both talk to one bedrocksim whose
# request log shows what each sent:
#   1. strata writes a session with a Bash call; `claude -p -r <id>` continues it; `strata -c`
#      continues the file both wrote, and then `claude -c` does.
#   2. the reference writes one; `strata -p -r <id>` continues it; after the reference writes a
#      newer one, `strata -c` picks that.
#   3. compare.mjs compares the two first transcripts (same script) key by key, and
#   4. the -p --output-format stream-json output of both tools for that script, and their json
#      output for the same resumed turn (steps 1 and 2: a resume answered by the echo model).

STRATA=${STRATA_BIN:-$TMP/strata}
[ -n "${STRATA_BIN:-}" ] || go build -o "$STRATA" ./cmd/strata
start_sim "$HERE/sessions.json" "$TMP/slog.jsonl"
SURL=$STARTED_URL
SLOG=$TMP/slog.jsonl
SHOME=$TMP/shome
mkdir -p "$SHOME"
for d in s-a s-b; do mkdir -p "$TMP/$d" && echo marker >"$TMP/$d/session-marker.txt"; done

# in DIR PROGRAM ARGS...: one tool in DIR, with the shared HOME and only a Bedrock user's settings.
in_dir() {
  local dir=$1; shift
  (cd "$TMP/$dir" && env -i PATH="/usr/bin:/bin" HOME="$SHOME" TERM=dumb \
    CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_BEDROCK_BASE_URL="$SURL" AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID="$AKID" AWS_SECRET_ACCESS_KEY="$SECRET" AWS_EC2_METADATA_DISABLED=true \
    timeout 180 "$@" </dev/null)
}
# transcript DIR ID: where both tools keep session ID of DIR.
transcript() {
  printf '%s/.claude/projects/%s/%s.jsonl' "$SHOME" "$(cd "$TMP/$1" && pwd -P | sed 's/[^a-zA-Z0-9]/-/g')" "$2"
}
# keep DIR ID NAME: copies the transcript into $TMP/cmp/NAME/<project folder>/ (the checker
# reads the project from the folder's name).
keep() {
  local src; src=$(transcript "$1" "$2")
  [ -s "$src" ] || fail "no transcript at $src"
  mkdir -p "$TMP/cmp/$3/$(basename "$(dirname "$src")")"
  cp "$src" "$TMP/cmp/$3/$(basename "$(dirname "$src")")/"
  KEPT=$TMP/cmp/$3/$(basename "$(dirname "$src")")/$(basename "$src")
}
session_of() { node -e 'const l=require("fs").readFileSync(0,"utf8").trim().split("\n").at(-1); console.log(JSON.parse(l).session_id)' <"$1"; }
scheck() { node "$HERE/checklog.mjs" "$SLOG" "$@" || fail "request log check failed: $*"; }
LIST="SESS-LIST the files here"

# 1. strata → reference → strata.
in_dir s-a "$STRATA" -p "$LIST" --allowedTools Bash --output-format stream-json --verbose >"$TMP/strata-stream.jsonl" \
  || fail "strata -p exited $?: $(tail -c 400 "$TMP/strata-stream.jsonl")"
grep -q SESS-TOOL-OK "$TMP/strata-stream.jsonl" || fail "strata's scripted session: $(tail -c 400 "$TMP/strata-stream.jsonl")"
SID=$(session_of "$TMP/strata-stream.jsonl")
keep s-a "$SID" strata
STRATA_TRANSCRIPT=$KEPT
in_dir s-a "$CLAUDE" -p -r "$SID" "SESS-NEXT from the reference" --output-format json >"$TMP/ref.json" \
  || fail "claude -p -r <strata session> exited $?: $(head -c 400 "$TMP/ref.json")"
grep -q '"is_error":false' "$TMP/ref.json" || fail "claude -r <strata session>: $(head -c 400 "$TMP/ref.json")"
scheck resumed "SESS-NEXT from the reference" "$LIST" "SESS-TOOL-OK" "session-marker.txt"
say "ok: the reference resumed strata's session $SID: its request carried the prompt, the Bash call and its result (200)"
in_dir s-a "$STRATA" -p -c "SESS-AGAIN back in strata" >/dev/null || fail "strata -c after the reference exited $?"
scheck resumed "SESS-AGAIN back in strata" "$LIST" "SESS-TOOL-OK" "SESS-NEXT from the reference"
say "ok: strata -c continued the file both tools wrote, with both tools' turns"
in_dir s-a "$CLAUDE" -p -c "SESS-C from the reference" >/dev/null || fail "claude -p -c after strata exited $?"
scheck continued "SESS-C from the reference" "$LIST" "SESS-NEXT from the reference" "SESS-AGAIN back in strata"
say "ok: the reference's -c picked the session strata continued last"

# 2. reference → strata, and -c picks the newest.
in_dir s-b "$CLAUDE" -p "$LIST" --allowedTools Bash --output-format stream-json --verbose >"$TMP/ref-stream.jsonl" \
  || fail "claude -p exited $?: $(tail -c 400 "$TMP/ref-stream.jsonl")"
grep -q SESS-TOOL-OK "$TMP/ref-stream.jsonl" || fail "the reference's scripted session: $(tail -c 400 "$TMP/ref-stream.jsonl")"
RSID=$(session_of "$TMP/ref-stream.jsonl")
keep s-b "$RSID" ref
REF_TRANSCRIPT=$KEPT
in_dir s-b "$STRATA" -p -r "$RSID" "SESS-NEXT from strata" --output-format json >"$TMP/strata.json" \
  || fail "strata -p -r <reference session> exited $?: $(head -c 400 "$TMP/strata.json")"
grep -q "SESS-NEXT from strata" "$TMP/strata.json" || fail "strata -r <reference session> printed: $(head -c 400 "$TMP/strata.json")"
scheck resumed "SESS-NEXT from strata" "$LIST" "SESS-TOOL-OK" "session-marker.txt"
say "ok: strata resumed the reference's session $RSID: its request carried the prompt, the Bash call and its result (200)"
in_dir s-b "$CLAUDE" -p "SESS-SECOND a newer session" >/dev/null || fail "claude -p (second session) exited $?"
in_dir s-b "$STRATA" -p -c "SESS-CONTINUE the latest" >/dev/null || fail "strata -c exited $?"
scheck continued "SESS-CONTINUE the latest" "SESS-SECOND a newer session" "!$LIST" "!SESS-NEXT from strata"
say "ok: strata -c picked the reference's newest session"
# The check fails where it should: that newest session never held the listing or a tool call.
! node "$HERE/checklog.mjs" "$SLOG" resumed "SESS-SECOND a newer session" "$LIST" 2>/dev/null \
  || fail "checklog resumed passed a request without the earlier conversation"

# 3. and 4. Key by key, with compare.mjs's explicit allow-list. First, the checker must catch a
# key strata drops.
MUTATED=$TMP/cmp/mutated/$(basename "$(dirname "$STRATA_TRANSCRIPT")")/$(basename "$STRATA_TRANSCRIPT")
mkdir -p "$(dirname "$MUTATED")"
node -e 'const fs=require("fs"),[f,o]=process.argv.slice(1),l=fs.readFileSync(f,"utf8").trim().split("\n").map(JSON.parse);
  delete l.at(-1).cwd; fs.writeFileSync(o,l.map((x)=>JSON.stringify(x)).join("\n")+"\n")' "$STRATA_TRANSCRIPT" "$MUTATED"
if node "$HERE/compare.mjs" transcript "$REF_TRANSCRIPT" "$MUTATED" >"$TMP/cmp/selftest.out" 2>&1 \
  || ! grep -q "strata lacks cwd" "$TMP/cmp/selftest.out"; then
  fail "compare.mjs did not catch a transcript line without cwd: $(cat "$TMP/cmp/selftest.out")"
fi
node -e 'const fs=require("fs"),[f,o]=process.argv.slice(1),r=JSON.parse(fs.readFileSync(f,"utf8"));
  delete r.session_id; fs.writeFileSync(o,JSON.stringify(r))' "$TMP/strata.json" "$TMP/cmp/mutated.json"
if node "$HERE/compare.mjs" json "$TMP/ref.json" "$TMP/cmp/mutated.json" >"$TMP/cmp/selftest.out" 2>&1 \
  || ! grep -q "strata lacks session_id" "$TMP/cmp/selftest.out"; then
  fail "compare.mjs did not catch a json result without session_id: $(cat "$TMP/cmp/selftest.out")"
fi
node "$HERE/compare.mjs" transcript "$REF_TRANSCRIPT" "$STRATA_TRANSCRIPT" || fail "strata's transcript differs from the reference's"
node "$HERE/compare.mjs" stream-json "$TMP/ref-stream.jsonl" "$TMP/strata-stream.jsonl" || fail "strata's stream-json differs from the reference's"
node "$HERE/compare.mjs" json "$TMP/ref.json" "$TMP/strata.json" || fail "strata's json result differs from the reference's"
node "$HERE/checklog.mjs" "$SLOG" all-accepted || fail "bedrocksim refused a request of the session steps"
say "ok: transcripts, json and stream-json match the reference's keys and order, but for the listed differences"
