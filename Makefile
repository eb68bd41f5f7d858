# The habits of this project, as targets. `make test` is what CI runs.
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: build test check unit e2e fuzz bench lint demo clean interop interop-sdk

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

# fuzz: a short run of every fuzz target (longer with FUZZTIME=5m).
fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list 'Fuzz.*' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run XXX -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# bench: every benchmark, with memory statistics.
bench:
	$(GO) test -run XXX -bench . -benchmem $(PKGS)

# interop: strata driven by the official clients of the reference CLI (npm packages, pinned).
# Each target skips with a message when npm does not answer; packages go to a cache outside git.
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
