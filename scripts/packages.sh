# The package sets that `make build` and `make test` share (sourced, not run).
#
# The pallets and the fuzzer are tested with the `runtime-benchmarks` and `try-runtime` features,
# in a feature resolution of their own. Everything else is built once, tests included, in the
# resolution the workspace tests use: dev-dependencies switch features on in shared crates
# (`nom`'s defaults for the S3 test server, `zoo-primitives/testing`), and a `make build` that
# left them off had the test phase compile about a hundred crates again, zoo-node and sc-service
# among them, and overwrite the node binary the end-to-end tests run.
pallets=(pallet-model-registry pallet-lineage pallet-licensing pallet-attestations pallet-curation pallet-validator-set)
workspace_tests=(--workspace --exclude zoo-fuzz)
for pallet in "${pallets[@]}"; do
	workspace_tests+=(--exclude "$pallet")
done
