//! Weights for `pallet_curation`: PLACEHOLDERS, written by hand in the generated format.
//!
//! The pallet is not in the runtime yet, so frame-omni-bencher cannot measure it. These values
//! are conservative guesses (about twice the licensing pallet's comparable calls), with the
//! reads and writes each call makes at its worst counted from the code (the registry's version
//! record, the target, the position, an activation record, the curator's, reporter's, pot's or
//! payer's accounts and holds, `TopByStake`, the model's totals); once the pallet joins the
//! runtime, regenerate this file with `scripts/benchmark.sh` (see the README).
//!
//! `c` (curators on the target) is a benchmark component that the weights must not depend on:
//! `stake`, `unbond`, `claim` and `resolve_dispute` touch the same items with 1 curator or
//! 10,000, so its slope is zero. `withdraw` is linear in the chunks it withdraws (`n`, at most
//! `MaxUnbondingChunks`).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_curation`.
pub trait WeightInfo {
	fn stake(c: u32, ) -> Weight;
	fn unbond(c: u32, ) -> Weight;
	fn withdraw(n: u32, ) -> Weight;
	fn claim(c: u32, ) -> Weight;
	fn activate() -> Weight;
	fn open_dispute() -> Weight;
	fn resolve_dispute(c: u32, ) -> Weight;
	fn credit() -> Weight;
}

/// Weights for `pallet_curation` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn stake(_c: u32, ) -> Weight {
		// The range of component `c` is `[1, 10000]`; the weight does not depend on it.
		Weight::from_parts(95_000_000, 16000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn unbond(_c: u32, ) -> Weight {
		// The range of component `c` is `[1, 10000]`; the weight does not depend on it.
		Weight::from_parts(90_000_000, 16000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn withdraw(n: u32, ) -> Weight {
		Weight::from_parts(85_000_000, 8000)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn claim(_c: u32, ) -> Weight {
		// The range of component `c` is `[1, 10000]`; the weight does not depend on it.
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn activate() -> Weight {
		Weight::from_parts(60_000_000, 8000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn open_dispute() -> Weight {
		Weight::from_parts(70_000_000, 6000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn resolve_dispute(_c: u32, ) -> Weight {
		// The range of component `c` is `[1, 10000]`; the weight does not depend on it.
		Weight::from_parts(110_000_000, 16000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	fn credit() -> Weight {
		Weight::from_parts(60_000_000, 6000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn stake(_c: u32, ) -> Weight {
		// The range of component `c` is `[1, 10000]`; the weight does not depend on it.
		Weight::from_parts(95_000_000, 16000)
			.saturating_add(ParityDbWeight::get().reads(9_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn unbond(_c: u32, ) -> Weight {
		// The range of component `c` is `[1, 10000]`; the weight does not depend on it.
		Weight::from_parts(90_000_000, 16000)
			.saturating_add(ParityDbWeight::get().reads(9_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn withdraw(n: u32, ) -> Weight {
		Weight::from_parts(85_000_000, 8000)
			.saturating_add(Weight::from_parts(2_000_000, 0).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(7_u64))
	}
	fn claim(_c: u32, ) -> Weight {
		// The range of component `c` is `[1, 10000]`; the weight does not depend on it.
		Weight::from_parts(80_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(9_u64))
			.saturating_add(ParityDbWeight::get().writes(7_u64))
	}
	fn activate() -> Weight {
		Weight::from_parts(60_000_000, 8000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn open_dispute() -> Weight {
		Weight::from_parts(70_000_000, 6000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(6_u64))
	}
	fn resolve_dispute(_c: u32, ) -> Weight {
		// The range of component `c` is `[1, 10000]`; the weight does not depend on it.
		Weight::from_parts(110_000_000, 16000)
			.saturating_add(ParityDbWeight::get().reads(9_u64))
			.saturating_add(ParityDbWeight::get().writes(9_u64))
	}
	fn credit() -> Weight {
		Weight::from_parts(60_000_000, 6000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
}
