# The habits of this project, as targets. `make test` is what CI runs.
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: build test check unit e2e fuzz bench lint demo clean interop interop-mcp

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

# interop: strata and bedrocksim against programs nobody here wrote (the reference CLI, the Agent SDK,
# the AWS SDK for JavaScript, the MCP reference servers), installed from npm into a cache outside the
# repository. Each interop-* target adds itself below and skips, with a message, when npm does not answer.
interop: interop-mcp
	@echo "interop: done"

# interop-mcp: the MCP reference servers (server-everything, server-filesystem) from npm.
interop-mcp:
	GO=$(GO) ./testdata/interop/mcp.sh

# bench: every benchmark, with memory statistics.
bench:
	$(GO) test -run XXX -bench . -benchmem $(PKGS)

# demo: strata fixes a bug in a small project against the local Bedrock emulator.
demo:
	$(GO) run ./cmd/strata demo

clean:
	rm -rf bin
