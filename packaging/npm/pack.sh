#!/usr/bin/env bash
# pack.sh VERSION OUTDIR [GOOS/GOARCH ...]: builds strata for each target (all six by default)
# and writes npm tarballs to OUTDIR: @strata-agent/strata (the launcher, with every platform
# package as an optional dependency) and one @strata-agent/strata-<platform>-<arch> per target
# (the binary, restricted by "os" and "cpu" so npm installs only the one that fits).
# With STRATA_BINARIES=DIR it packs GoReleaser's binaries (DIR/strata_<goos>_<goarch>*/)
# instead of building.
set -euo pipefail
version=${1:?usage: pack.sh VERSION OUTDIR [GOOS/GOARCH ...]}
out=$(mkdir -p "${2:?usage: pack.sh VERSION OUTDIR}" && cd "$2" && pwd)
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo "")
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ldflags="-s -w -X github.com/strata-agent/strata/internal/cli.releaseVersion=$version"
ldflags+=" -X github.com/strata-agent/strata/internal/cli.releaseCommit=$commit"
ldflags+=" -X github.com/strata-agent/strata/internal/cli.releaseDate=$date"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

node_os() { case $1 in windows) echo win32 ;; *) echo "$1" ;; esac; }
node_cpu() { case $1 in amd64) echo x64 ;; *) echo "$1" ;; esac; }

optional=""
for t in "${targets[@]}"; do
  goos=${t%/*} goarch=${t#*/}
  os=$(node_os "$goos") cpu=$(node_cpu "$goarch")
  name="@strata-agent/strata-$os-$cpu"
  exe=strata; [ "$goos" = windows ] && exe=strata.exe
  dir="$work/$os-$cpu"
  mkdir -p "$dir/bin"
  if [ -n "${STRATA_BINARIES:-}" ]; then
    built=$(ls "$STRATA_BINARIES"/strata_"$goos"_"$goarch"*/"$exe")
    cp "$built" "$dir/bin/$exe"
  else
    (cd "$root" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -ldflags "$ldflags" -o "$dir/bin/$exe" ./cmd/strata)
  fi
  cat >"$dir/package.json" <<JSON
{
  "name": "$name",
  "version": "$version",
  "description": "The strata binary for $os-$cpu; install @strata-agent/strata instead.",
  "os": ["$os"],
  "cpu": ["$cpu"],
  "files": ["bin/$exe"]
}
JSON
  (cd "$out" && npm pack --silent "$dir" >/dev/null)
  optional+="${optional:+,}\"$name\": \"$version\""
done

launcher="$work/launcher"
cp -r "$here/strata" "$launcher"
node -e '
  const fs = require("fs"), f = process.argv[1];
  const p = JSON.parse(fs.readFileSync(f, "utf8"));
  p.version = process.argv[2];
  p.optionalDependencies = JSON.parse("{" + process.argv[3] + "}");
  fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");
' "$launcher/package.json" "$version" "$optional"
(cd "$out" && npm pack --silent "$launcher" >/dev/null)
ls "$out"
