# The habits of this project, as targets. `make test` is what CI runs.
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: build test check unit e2e fuzz bench lint demo clean interop interop-npm interop-sim interop-sdk interop-mcp cross release-snapshot

build:
	$(GO) build -o bin/strata ./cmd/strata
	$(GO) build -o bin/bedrocksim ./cmd/bedrocksim

# test: everything CI checks — formatting, vet, tidy go.mod, and every test with the race detector.
test: lint unit

unit:
	$(GO) test -race -count=1 $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@cp go.mod /tmp/strata-go.mod.bak; cp go.sum /tmp/strata-go.sum.bak; \
	$(GO) mod tidy; \
	if ! git diff --quiet -- go.mod go.sum; then echo "go mod tidy changes go.mod/go.sum:"; git --no-pager diff -- go.mod go.sum; \
	  cp /tmp/strata-go.mod.bak go.mod; cp /tmp/strata-go.sum.bak go.sum; exit 1; fi

# e2e: the real binary against a real bedrocksim, driven by testdata/script/*.txtar.
e2e:
	$(GO) test -race -count=1 -run 'TestScript' ./cmd/strata

# soak: 1,000 scripted turns against the in-process emulator with random faults (throttles,
# 5xx, cut streams, exception frames, stalls, expired credentials, slow tools); SOAK_SEED
# replays a run. crash: strata killed with SIGKILL at 100 random points of a session, each
# transcript read back and continued with -c. `make test` runs short versions of both.
.PHONY: soak crash
SOAK_TURNS ?= 1000
SOAK_SEED  ?= 0
CRASH_RUNS ?= 100
soak:
	$(GO) test -count=1 -timeout 15m -run '^TestSoak$$' -v ./internal/soak -soak.turns=$(SOAK_TURNS) -soak.seed=$(SOAK_SEED)

crash:
	$(GO) test -count=1 -timeout 15m -run '^TestCrash$$' -v ./internal/soak -crash.runs=$(CRASH_RUNS)

# fuzz: a short run of every fuzz target (longer with FUZZTIME=5m).
fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list 'Fuzz.*' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run XXX -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# cross: strata and bedrocksim build, and go vet passes (tests included), for every platform
# strata ships on.
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
cross:
	@for p in $(PLATFORMS); do \
	  echo "cross $$p"; \
	  GOOS=$${p%/*} GOARCH=$${p#*/} CGO_ENABLED=0 $(GO) vet $(PKGS) || exit 1; \
	  GOOS=$${p%/*} GOARCH=$${p#*/} CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/strata ./cmd/bedrocksim || exit 1; \
	done

# release-snapshot: a release built as the maintainers would, without publishing: archives for
# every platform, checksums.txt, the Homebrew cask and the npm tarballs in dist/, and the binary
# sizes in dist/sizes.md. Installs GoReleaser with `go install` when it is missing.
GORELEASER_VERSION ?= v2.17.0
release-snapshot:
	@command -v goreleaser >/dev/null || $(GO) install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" STRATA_COMMIT=$$(git rev-parse HEAD) STRATA_SHORT=$$(git rev-parse --short=12 HEAD) \
	  STRATA_DATE=$$(git log -1 --format=%cI) goreleaser release --snapshot --clean
	STRATA_BINARIES=dist packaging/npm/pack.sh "$$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)" dist/npm
	@{ echo "| platform | binary size |"; echo "|---|---|"; \
	  for b in dist/strata_*/strata*; do echo "| $$(basename $$(dirname $$b)) | $$(du -k $$b | cut -f1) KiB |"; done; } > dist/sizes.md
	@cat dist/sizes.md

# interop: strata and bedrocksim against programs nobody here wrote (the reference CLI, the Agent SDK,
# the AWS SDK for JavaScript, the MCP reference servers), installed from npm into a cache outside the
# repository. Each interop-* target adds itself below and skips, with a message, when npm does not answer.
interop: interop-mcp
	@echo "interop: done"

# interop-npm: the npm package (launcher + this platform's binary) installs offline from local
# tarballs and runs `strata --version`.
interop: interop-npm
interop-npm:
	packaging/npm/test.sh

# interop-mcp: the MCP reference servers (server-everything, server-filesystem) from npm.
interop-mcp:
	GO=$(GO) ./testdata/interop/mcp.sh

# bench: every benchmark, one package at a time (so they do not compete for the cores), then
# docs/benchmarks.md with each figure beside its yardstick (cmd/benchreport). The reference
# CLI's start-up is measured when STRATA_REFERENCE_CLI names its binary or `claude` is on PATH;
# its long answers (BenchmarkPrintLongAnswer/reference*) also with the copy `make interop-sim`
# installs in the npm cache. `make bench PKGS="./cmd/strata ./internal/llm"` refreshes those
# packages' sections and keeps the others', marked with the date of their run.
bench:
	@mkdir -p bin; : > bin/bench.txt
	@for pkg in $$($(GO) list $(PKGS)); do \
	  if $(GO) test -list 'Benchmark.*' $$pkg 2>/dev/null | grep -q '^Benchmark'; then \
	    echo "bench $$pkg"; $(GO) test -run XXX -bench . -benchmem -count 1 $$pkg | tee -a bin/bench.txt || exit 1; \
	  fi; \
	done
	$(GO) run ./cmd/benchreport -keep docs/benchmarks.md < bin/bench.txt > bin/benchmarks.md
	@mv bin/benchmarks.md docs/benchmarks.md && echo "wrote docs/benchmarks.md"

interop: interop-sim

# interop-sim: the reference Claude Code CLI 2.1.197 (default settings), the AWS SDK for
# JavaScript v3 (default HTTP/2 handler) and boto3 (when installed) against bedrocksim.
interop-sim:
	testdata/interop/run.sh

interop: interop-sdk

NPM_CACHE  ?= $${XDG_CACHE_HOME:-$$HOME/.cache}/strata-npm
SDK_VERSION := 0.3.197

# interop-sdk: the Claude Agent SDK paired with the CLI 2.1.197 drives the built strata
# against bedrocksim (interop/sdk/sdk.test.mjs, node's built-in test runner).
interop-sdk: build
	@dir="$(NPM_CACHE)/claude-agent-sdk-$(SDK_VERSION)"; \
	if [ ! -f "$$dir/node_modules/@anthropic-ai/claude-agent-sdk/sdk.mjs" ]; then \
	  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then echo "interop-sdk: skipped: node and npm are not installed"; exit 0; fi; \
	  if ! timeout 60 npm view @anthropic-ai/claude-agent-sdk@$(SDK_VERSION) version >/dev/null 2>&1; then echo "interop-sdk: skipped: npm does not answer"; exit 0; fi; \
	  mkdir -p "$$dir" && cd "$$dir" && timeout 300 npm install --no-audit --no-fund --ignore-scripts --no-save \
	    @anthropic-ai/claude-agent-sdk@$(SDK_VERSION) >/dev/null && cd $(CURDIR) || exit 1; \
	fi; \
	SDK_DIR="$$dir" STRATA_BIN=$(CURDIR)/bin/strata BEDROCKSIM_BIN=$(CURDIR)/bin/bedrocksim \
	  node --test --test-timeout 60000 interop/sdk/

# demo: strata fixes a bug in a small project against the local Bedrock emulator.
demo:
	$(GO) run ./cmd/strata demo

clean:
	rm -rf bin
