# Rampart: `make run` to try it, `make test` to check everything.

GO          ?= go
VERSION     ?= 0.1.0
BIN         := bin/rampart
LDFLAGS     := -s -w -X rampart/app.Version=$(VERSION)
NPM_STAMP   := frontend/node_modules/.package-lock.json
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build ui deps test test-go test-go-race test-go-more test-frontend test-e2e lint fuzz bench bench-go clean

## run: build everything and start a demo instance on http://localhost:8080 (embedded SQLite under ./data);
##      the build's output goes to bin/build.log and is shown only when the build fails (VERBOSE=1 shows it)
BUILD_LOG := bin/build.log
run:
ifeq ($(VERBOSE),1)
	@$(MAKE) --no-print-directory build
else
	@mkdir -p $(dir $(BUILD_LOG))
	@printf 'Building Rampart (output in %s)... ' '$(BUILD_LOG)'
	@if $(MAKE) --no-print-directory build >$(BUILD_LOG) 2>&1; then echo done; else \
		echo failed; tail -n 40 $(BUILD_LOG); echo "The build failed; its whole output is in $(BUILD_LOG)."; exit 1; fi
endif
	@./$(BIN) serve --demo

## build: build the web app and embed it in bin/rampart (CGO_ENABLED=0, one static binary)
build: ui
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

## ui: build the single-page app into frontend/dist/spa and print its initial JavaScript size
ui: deps
	cd frontend && npm run build && npm run size

## deps: install the frontend's npm packages when package-lock.json changed
deps: $(NPM_STAMP)
$(NPM_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

## test: every suite: Go (race detector, SQLite and, with RAMPART_TEST_POSTGRES_URL, PostgreSQL; file uploads
##       in a folder and, again, in an S3 bucket: see app/storage/s3test), Vitest, Playwright
# One suite after another. Running the Go race suite beside the browser tests was tried: on a
# two-core machine the browser tests then time out now and then, so they run on their own.
test: test-go-race test-frontend test-e2e test-go-more

# The handlers package runs every API scenario on both databases: on a busy two-core machine that
# passes go test's default 10-minute limit per package.
# The CUAD evaluation reads 347 real contracts through pure, single-threaded code: under the race
# detector it takes about 15 minutes on a busy two-core machine for no added check, so it runs
# without it.
# The tests that store, serve and sweep files run once more with uploads in a real S3-compatible
# bucket (app/storage/s3test: SeaweedFS, built by .ci/run, or RAMPART_TEST_S3_URL); the first run
# keeps them in a folder. Only these tests run twice, so the second run costs a minute or two.
S3_HANDLER_TESTS := ^(TestRequestAttachments|TestAnswerThreadBothWays|TestFindingCommentsAndEvidence|TestPortal.*|TestAssessmentPortalAndReview|TestContract.*|TestConfirmMeetingTerms|TestPlaybookChecksContracts|TestQuestionnaireImportSourceAndRoundTrip|TestTemplate.*Import|TestReassessmentPrefillsAndShowsChanges|TestAnswerIntakeProposeConfirmAndSource)$$
test-go: test-go-race test-go-more

# The handlers package is the longest by far and its tests run one after another, so it runs in
# HANDLER_SHARDS processes of its own (.ci/shard-test) beside the other packages.
# Its scenarios call the API one request at a time, so the race detector has nothing to find in
# most of them, while it makes the pure-Go SQLite driver about ten times slower: under -race the
# package kept CI's two cores busy for half an hour. So the package runs without -race, and the
# tests that start goroutines of their own (a `go func`, a WaitGroup or an errgroup in the test's
# body, listed by .ci/race-tests: concurrent writers, throttling, imports, the portal's submit race)
# run again under -race, after the others (beside them, a fifth busy process slowed the root
# package's multi-instance tests past their readiness wait on two cores). The server's own background
# workers are in app/ and run under -race there.
HANDLER_SHARDS ?= 2
RACE_HANDLER_TESTS = $(shell bash .ci/race-tests)
test-go-race:
	@(GO=$(GO) RACE=0 bash .ci/shard-test ./handlers $(HANDLER_SHARDS); plain=$$?; \
	  GO=$(GO) RUN='$(RACE_HANDLER_TESTS)' bash .ci/shard-test ./handlers 1 && test $$plain -eq 0) & handlers=$$!; \
	$(GO) test -race -count=1 -timeout 60m $$($(GO) list ./... | grep -v -e '/app/contracts/cuadeval$$' -e '/handlers$$'); rest=$$?; \
	wait $$handlers; test $$? -eq 0 && test $$rest -eq 0

test-go-more:
	RAMPART_TEST_STORAGE=s3 $(GO) test -count=1 -timeout 20m -run '$(S3_HANDLER_TESTS)' ./handlers/
	$(GO) test -count=1 ./app/contracts/cuadeval/

test-frontend: deps
	cd frontend && npm run check && npm run test:unit

# The single sign-on test signs in through a real OpenID provider (app/sso/ssotest/testidp).
test-e2e: build
	$(GO) build -o bin/testidp ./app/sso/ssotest/testidp
	$(GO) build -o bin/samlidp ./app/sso/samltest/samlidp
	cd frontend && RAMPART_BIN="$(CURDIR)/$(BIN)" RAMPART_TEST_IDP="$(CURDIR)/bin/testidp" RAMPART_TEST_SAML_IDP="$(CURDIR)/bin/samlidp" npm run test:e2e

## fuzz: run every fuzz target for FUZZTIME each (parsers, JSON binding, query parameters, cursors)
FUZZTIME ?= 30s
fuzz:
	@for target in $$(grep -rho --include='*_test.go' '^func Fuzz[A-Za-z]*' . | sed 's/func //' | sort -u); do \
		pkg=$$(grep -rl --include='*_test.go' "^func $$target(" . | head -1 | xargs dirname); \
		echo "fuzz $$target in $$pkg"; \
		$(GO) test -run='^$$' -fuzz="^$$target\$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

## lint: gofmt, go vet, staticcheck, svelte-check
lint: deps
	@test -z "$$(gofmt -l .)" || (gofmt -l . && echo "gofmt: the files above need formatting" && exit 1)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	cd frontend && npm run check

## bench: load benchmark of the real binary (see docs/benchmarks.md): seeds once, then 32 clients for
##        BENCH_DURATION against PostgreSQL (100,000 vendors, database rampart_bench on 127.0.0.1) and
##        SQLite (10,000), with the limit handler, then the scaling run (BENCH_SCALING clients, 10 s each);
##        BENCH_DB=postgres|sqlite|both, BENCH_SCALE, BENCH_PG_URL
BENCH_DB          ?= both
BENCH_DURATION    ?= 30s
BENCH_CONCURRENCY ?= 32
BENCH_SCALING     ?= 1,2,4,8,16,32
BENCH_SCALE       ?= 0
BENCH_PG_URL      ?= postgres://postgres@127.0.0.1:5432/rampart_bench?sslmode=disable
bench: build
	@set -e; for db in $(if $(filter both,$(BENCH_DB)),postgres sqlite,$(BENCH_DB)); do \
		url=""; if [ $$db = postgres ]; then url="$(BENCH_PG_URL)"; fi; \
		$(GO) run ./app/loadbench -bin $(BIN) -db $$db -database-url "$$url" -scale $(BENCH_SCALE) \
			-duration $(BENCH_DURATION) -concurrency $(BENCH_CONCURRENCY) -scaling "$(BENCH_SCALING)"; \
	done

## bench-go: Go benchmarks of the list and dashboard queries (PostgreSQL when RAMPART_TEST_POSTGRES_URL is set)
bench-go:
	$(GO) test -run '^$$' -bench . -benchtime=30x ./models/

clean:
	rm -rf bin frontend/dist/spa frontend/.svelte-kit frontend/test-results
