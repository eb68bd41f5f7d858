#!/usr/bin/env node
// Runs the strata binary that npm installed for this machine. The binary comes in a
// per-platform package (an optional dependency whose "os" and "cpu" fields match only here),
// so an install downloads one binary, not six.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const pkg = `@strata-agent/strata-${process.platform}-${process.arch}`;
const exe = process.platform === "win32" ? "strata.exe" : "strata";
let bin;
try {
  bin = require.resolve(path.posix.join(pkg, "bin", exe));
} catch {
  console.error(
    `strata: no binary for ${process.platform}-${process.arch} (package ${pkg} is not installed).\n` +
      "Reinstall without --omit=optional, or install with `go install github.com/strata-agent/strata/cmd/strata@latest`."
  );
  process.exit(1);
}
const r = spawnSync(bin, process.argv.slice(2), { stdio: "inherit" });
if (r.error) {
  console.error(`strata: cannot run ${bin}: ${r.error.message}`);
  process.exit(1);
}
if (r.signal) {
  process.kill(process.pid, r.signal);
}
process.exit(r.status ?? 1);
