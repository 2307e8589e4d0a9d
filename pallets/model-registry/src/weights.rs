//! Weights for `pallet_model_registry`.
//!
//! NOT YET GENERATED: these are conservative estimates written by hand, in the shape
//! `frame-omni-bencher` generates, from the storage each call reads and writes (see
//! `benchmarking.rs`). Regenerate with the command in the crate README.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_model_registry`.
pub trait WeightInfo {
	fn create_model() -> Weight;
	fn set_role() -> Weight;
	fn offer_ownership() -> Weight;
	fn accept_ownership() -> Weight;
	/// `a`: artifacts in the manifest, `p`: parents.
	fn commit_version(a: u32, p: u32, ) -> Weight;
	fn yank_version() -> Weight;
}

/// Weights for `pallet_model_registry` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `ModelRegistry::Models` (r:1 w:1), `Balances::Holds` (r:1 w:1)
	fn create_model() -> Weight {
		Weight::from_parts(60_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1), `ModelRegistry::Maintainers` (r:2 w:1),
	/// `Balances::Holds` (r:1 w:1)
	fn set_role() -> Weight {
		Weight::from_parts(70_000_000, 3_700)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	fn offer_ownership() -> Weight {
		Weight::from_parts(30_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1), `Balances::Holds` (r:2 w:2)
	fn accept_ownership() -> Weight {
		Weight::from_parts(90_000_000, 6_200)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1), `ModelRegistry::Maintainers` (r:1 w:0),
	/// `ModelRegistry::Versions` (r:1+p w:1), `ModelRegistry::Manifests` (w:1),
	/// `ModelRegistry::ModelVersions` (w:1), `Balances::Holds` (r:1 w:1)
	/// The range of component `a` is `[0, 512]`, of `p` is `[0, 16]`.
	fn commit_version(a: u32, p: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 8_000)
			// Hashing and validating ~850 encoded bytes per worst-case artifact.
			.saturating_add(Weight::from_parts(9_000_000, 900).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(8_000_000, 2_600).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `ModelRegistry::Versions` (r:1 w:1), `ModelRegistry::Models` (r:1 w:0),
	/// `ModelRegistry::Maintainers` (r:1 w:0)
	fn yank_version() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn create_model() -> Weight {
		Weight::from_parts(60_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn set_role() -> Weight {
		Weight::from_parts(70_000_000, 3_700)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn offer_ownership() -> Weight {
		Weight::from_parts(30_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn accept_ownership() -> Weight {
		Weight::from_parts(90_000_000, 6_200)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn commit_version(a: u32, p: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 8_000)
			.saturating_add(Weight::from_parts(9_000_000, 900).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(8_000_000, 2_600).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn yank_version() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
