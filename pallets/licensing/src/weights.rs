//! Weights for `pallet_licensing`.
//!
//! Placeholder until `scripts/benchmark.sh` generates this file from the benchmarks: the `()`
//! implementation (tests only) charges a flat estimate per call.

#![allow(missing_docs)]

use frame_support::weights::Weight;

/// Weight functions needed for `pallet_licensing`.
pub trait WeightInfo {
	fn register_terms() -> Weight;
	fn set_split(n: u32) -> Weight;
	fn set_offer() -> Weight;
	fn remove_offer() -> Weight;
	fn purchase(n: u32) -> Weight;
	fn drop_grant() -> Weight;
	fn approve_derivative() -> Weight;
	fn revoke_approval() -> Weight;
	fn claim() -> Weight;
	fn open_channel() -> Weight;
	fn settle(n: u32) -> Weight;
	fn refund() -> Weight;
	fn commit_hook(p: u32) -> Weight;
}

fn flat() -> Weight {
	Weight::from_parts(100_000_000, 10_000)
}

impl WeightInfo for () {
	fn register_terms() -> Weight {
		flat()
	}
	fn set_split(_n: u32) -> Weight {
		flat()
	}
	fn set_offer() -> Weight {
		flat()
	}
	fn remove_offer() -> Weight {
		flat()
	}
	fn purchase(_n: u32) -> Weight {
		flat()
	}
	fn drop_grant() -> Weight {
		flat()
	}
	fn approve_derivative() -> Weight {
		flat()
	}
	fn revoke_approval() -> Weight {
		flat()
	}
	fn claim() -> Weight {
		flat()
	}
	fn open_channel() -> Weight {
		flat()
	}
	fn settle(_n: u32) -> Weight {
		flat()
	}
	fn refund() -> Weight {
		flat()
	}
	fn commit_hook(_p: u32) -> Weight {
		flat()
	}
}
