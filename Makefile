# Zoo: one command to run a development chain, one to run every test.
#
#   make dev    install what is missing, build, and run a development chain
#   make test   install what is missing, build, and run every test
#
# Builds share one target directory outside the clone, so fresh clones reuse earlier builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/zoo/target
CARGO ?= cargo
NODE := $(CARGO_TARGET_DIR)/release/zoo-node
ZOO := $(CARGO_TARGET_DIR)/release/zoo

.PHONY: setup build dev dev-aura test bench-hash metadata

setup:
	./scripts/setup.sh

build: setup
	./scripts/build.sh

## A development chain that seals a block (and finalizes it) as soon as a transaction arrives.
dev: build
	$(NODE) --dev --instant-seal --tmp

## A development chain with real Aura slots (6 s) and GRANDPA finality. Its network key is
## fixed (peer ID 12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp), so the spec
## `zoo-node build-spec --chain dev --raw --node-key $(DEV_NODE_KEY)` writes lists it as the
## bootnode light clients (`zoo --light`) join through.
DEV_NODE_KEY := 0000000000000000000000000000000000000000000000000000000000000001
dev-aura: build
	$(NODE) --dev --tmp --node-key $(DEV_NODE_KEY)

test: build
	./scripts/test.sh

## Hashing throughput of `zoo commit` against `openssl dgst -sha256` on a 1 GiB file.
bench-hash: build
	./scripts/bench-hash.sh 1024

## Graph queries at depth (ancestors of a 10,000-deep chain, merge base of two 4,995-deep
## branches), timed from the client against a dev node; prints ratios to a one-node query.
bench-lineage: build
	$(CARGO) test --release --locked -p zoo --test it -- --ignored --nocapture lineage::graph_queries_at_depth

## Artifact storage on this machine: push/pull of 1 GiB against the S3 and HTTP test servers
## versus cp, hashing with and without UnixFS CIDs versus openssl, peak memory pulling 2 GiB.
.PHONY: bench-storage
bench-storage: build
	$(CARGO) test --release --locked -p zoo --test it -- --ignored --nocapture storage::storage_throughput

## Load: commits, ref moves and transfers at the fastest rate the node accepts, on one node in
## one run: finalized rates, their ratio, block fullness, latencies. `make bench-load` runs the
## instant-seal dev node (a few minutes); SETUP=aura the 6 s Aura dev node, SETUP=network the
## 4-validator zombienet network.
SETUP ?= instant
.PHONY: bench-load bench-growth bench-light
bench-load: build
	./scripts/bench-load.sh $(SETUP)

## Storage growth: database bytes per committed version after 10,000 commits, against its deposit.
bench-growth: build
	./scripts/bench-load.sh growth

## The light client (zoo --light) against zoo over RPC, on a fresh dev chain and one of
## BLOCKS (default 10,000) blocks: time to the first verified answer, verify time, memory.
BLOCKS ?= 10000
bench-light: build
	./scripts/bench-light.py --blocks $(BLOCKS)

## Regenerate client/zoo-chain-api/metadata/zoo.scale after a runtime change.
metadata: setup
	bash -c 'source scripts/packages.sh && ZOO_WRITE_METADATA=1 $(CARGO) test --release --locked "$${workspace_tests[@]}" --test metadata'

## Multi-validator networks under zombienet (native provider): zndsl tests and the fault test.
## Only the network tests (zombienet; also part of `make test`).
.PHONY: test-network
test-network: build
	./zombienet/run-tests.sh

## Governance live on the 4-validator network under commit load: a motion admits a fifth
## validator, another removes one (make test does the admission only), then a consortium of
## four starts from its members file. About 10 minutes.
.PHONY: test-governance
test-governance: build
	ZOO_NETWORK_TESTS="governance-full consortium" ./zombienet/run-tests.sh

## A runtime upgrade by motion on the 4-validator network under commit load (make test runs it
## too): the network starts from the previous release's runtime (built once, about 4 minutes, by
## scripts/build-release-runtime.sh), `zoo` refuses the calls that changed, a two-thirds motion
## authorizes this build's runtime, `zoo council apply-upgrade` applies it, every node switches
## without a restart and the storage migration it carries is checked. About 4 minutes.
## UPGRADE_FROM=REV starts from another commit's runtime (default: the script's PREVIOUS_RELEASE).
.PHONY: test-upgrade
test-upgrade: build
	from="$$(./scripts/build-release-runtime.sh $(UPGRADE_FROM))" && \
		ZOO_NETWORK_TESTS=upgrade ZOO_UPGRADE_FROM="$$from" ./zombienet/run-tests.sh

## The validator fault series on the 4-validator network under commit load: KILLS SIGKILLs of
## random validators (default 20; about 20 minutes), two down at once, a kill during catch-up and
## truncated database files; prints the fault table. `make test-faults KILLS=3` is a quick check
## (about 7 minutes); SEED=N reproduces a schedule.
KILLS ?= 20
.PHONY: test-faults
test-faults: build
	ZOO_NETWORK_TESTS=faults ZOO_FAULT_KILLS=$(KILLS) $(if $(SEED),ZOO_FAULT_SEED=$(SEED)) ./zombienet/run-tests.sh

## The runtime fuzzer: random call sequences over every pallet, invariants after every block.
## `make fuzz DURATION=3600` runs for an hour; `make fuzz SEED=1234` reproduces one seed.
## Built with try-runtime and without the wasm runtime, apart from the node's build.
DURATION ?= 60
.PHONY: fuzz
fuzz: setup
	SKIP_WASM_BUILD=1 $(CARGO) build --release --locked -p zoo-fuzz --features try-runtime
	$(CARGO_TARGET_DIR)/release/zoo-fuzz $(if $(SEED),--seed $(SEED) -v,--duration $(DURATION)s)

## This runtime's upgrade checked against a snapshot of a live development chain: every migration
## with its pre/post_upgrade checks, the whole state decoded, every pallet's try_state
## (scripts/try-runtime.sh; SNAPSHOT=FILE checks a saved snapshot instead, see its --save).
.PHONY: try-runtime
try-runtime: build
	SKIP_WASM_BUILD=1 $(CARGO) build --release --locked -p zoo-fuzz --features try-runtime --bin zoo-try-runtime
	$(if $(SNAPSHOT),ZOO_TRY_RUNTIME_SNAPSHOT=$(SNAPSHOT),ZOO_TRY_RUNTIME_FROM="$$(./scripts/build-release-runtime.sh)") \
		./scripts/try-runtime.sh

## Coverage-guided fuzzing with AFL++ (afl.rs): the same generator reads its choices from AFL's
## inputs and runs them on a runtime instrumented for coverage. `make fuzz-afl DURATION=3600`
## fuzzes for an hour, prints the campaign's figures and replays any crash with
## `zoo-fuzz --input FILE`; FUZZ_BLOCKS and FUZZ_CALLS bound a sequence (30 blocks of 24 calls),
## AFL_JOBS runs more afl-fuzz instances on one corpus (one per core).
## The campaign in AFL_OUT is resumed by the next run. The instrumented build has its own target
## directory; the first one takes as long as a cold build.
AFL_TARGET_DIR ?= $(HOME)/.cache/zoo/target-afl
AFL_OUT ?= $(HOME)/.cache/zoo/afl
FUZZ_BLOCKS ?= 30
FUZZ_CALLS ?= 24
AFL_JOBS ?= 1
.PHONY: fuzz-afl
fuzz-afl:
	./scripts/setup.sh afl
	SKIP_WASM_BUILD=1 CARGO_TARGET_DIR=$(AFL_TARGET_DIR) $(CARGO) afl build --release --locked -p zoo-fuzz --features try-runtime,afl --bin zoo-fuzz-afl
	SKIP_WASM_BUILD=1 $(CARGO) build --release --locked -p zoo-fuzz --features try-runtime
	./scripts/fuzz-afl.sh $(AFL_TARGET_DIR)/release/zoo-fuzz-afl $(AFL_OUT) $(DURATION) $(FUZZ_BLOCKS) $(FUZZ_CALLS) $(AFL_JOBS)
