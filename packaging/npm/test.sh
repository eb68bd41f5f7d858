#!/usr/bin/env bash
# test.sh: packs strata for this machine, installs the tarballs with npm into a temporary
# prefix (offline: nothing is fetched or published) and checks that `strata --version` runs
# through the launcher and names the packed version.
set -euo pipefail
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "interop-npm: skipped, npm and node are not installed"; exit 0
fi
here=$(cd "$(dirname "$0")" && pwd)
goos=$(go env GOOS) goarch=$(go env GOARCH)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=0.0.0-test.$(date +%s)
"$here/pack.sh" "$version" "$tmp/tgz" "$goos/$goarch" >/dev/null
npm install -g --prefix "$tmp/prefix" --offline --no-audit --no-fund --loglevel=error "$tmp"/tgz/*.tgz >/dev/null
bin="$tmp/prefix/bin/strata"
[ "$goos" = windows ] && bin="$tmp/prefix/strata.cmd"
got=$("$bin" --version)
case "$got" in
  "$version (strata) commit "*) echo "interop-npm: ok: $got" ;;
  *) echo "interop-npm: FAIL: npm-installed strata --version printed: $got"; exit 1 ;;
esac
