//! The pallets benchmarked in this runtime (used by `frame-omni-bencher`).

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_model_registry, ModelRegistry]
	[pallet_lineage, Lineage]
	[pallet_licensing, Licensing]
	[pallet_attestations, Attestations]
	[pallet_curation, Curation]
	[pallet_validator_set, ValidatorSet]
);
