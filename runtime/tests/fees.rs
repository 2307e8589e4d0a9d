//! What it costs to fill the chain's blocks for a day, before and after the fee parameters of
//! issue 8 (a weight-to-fee polynomial, a length fee and a fee multiplier that follows demand),
//! and what a normal commit and a transfer pay. Prints the figures; fails if filling blocks got
//! less than 100 times dearer or a commit got dear.

use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	weights::{Weight, WeightToFee as _, constants::ExtrinsicBaseWeight},
};
use pallet_transaction_payment::Multiplier;
use sp_runtime::{
	BuildStorage, FixedPointNumber,
	traits::{Convert, One},
};
use zoo_runtime::{Balance, Runtime, RuntimeCall, SLOT_DURATION, UNIT, configs::*};

const BLOCKS_PER_DAY: u128 = 24 * 3600 * 1000 / SLOT_DURATION as u128;

/// The weight and length normal transactions may fill of one block.
fn normal_capacity() -> (Weight, u32) {
	let weights = <Runtime as frame_system::Config>::BlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let weight = normal.max_total.unwrap_or(weights.max_block);
	let length = *<Runtime as frame_system::Config>::BlockLength::get().max.get(DispatchClass::Normal);
	(weight, length)
}

/// A remark that fills a block's normal length (less room for the signature and call bytes).
fn filling_remark(length: u32) -> (Weight, u32) {
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![0; length as usize - 200] });
	(remark.get_dispatch_info().call_weight + ExtrinsicBaseWeight::get(), length)
}

fn in_zoo(planck: u128) -> f64 {
	planck as f64 / UNIT as f64
}

/// The fee before: 1 planck per picosecond of weight and per byte, multiplier fixed at 1.
fn old_fee(weight: Weight, length: u32) -> Balance {
	Balance::from(weight.ref_time()) + Balance::from(length)
}

/// The fee now, at multiplier `multiplier`.
fn new_fee(weight: Weight, length: u32, multiplier: Multiplier) -> Balance {
	let weight_fee = multiplier.saturating_mul_int(WeightToFee::weight_to_fee(&weight));
	weight_fee + Balance::from(length) * FEE_PER_BYTE
}

/// A day of blocks each filled with `weight` and `length`, the multiplier following the
/// runtime's fee update after every block.
fn new_day(weight: Weight, length: u32) -> (Balance, Multiplier) {
	let storage = frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		frame_system::Pallet::<Runtime>::register_extra_weight_unchecked(weight, DispatchClass::Normal);
		let mut multiplier = Multiplier::one();
		let mut total: Balance = 0;
		for _ in 0..BLOCKS_PER_DAY {
			total += new_fee(weight, length, multiplier);
			multiplier = SlowAdjustingFeeUpdate::<Runtime>::convert(multiplier);
		}
		(total, multiplier)
	})
}

#[test]
fn filling_blocks_for_a_day_costs_at_least_100_times_more() {
	let (max_weight, max_length) = normal_capacity();
	let by_weight = (max_weight, 200);
	let by_length = filling_remark(max_length);
	for (what, (weight, length)) in [("compute", by_weight), ("length", by_length)] {
		let old = old_fee(weight, length) * BLOCKS_PER_DAY;
		let (new, multiplier) = new_day(weight, length);
		println!(
			"a day ({BLOCKS_PER_DAY} blocks) filled by {what} ({:.0} ms, {} bytes per block): before {:.1} ZOO, now {:.1} ZOO = {:.0}x (fee multiplier after the day: {:.2})",
			weight.ref_time() as f64 / 1e9,
			length,
			in_zoo(old),
			in_zoo(new),
			new as f64 / old as f64,
			multiplier.to_float(),
		);
		assert!(new >= 100 * old, "filling blocks by {what} for a day got only {}x dearer", new / old);
	}
}

#[test]
fn a_normal_commit_and_a_transfer_stay_cheap() {
	// A one-artifact, one-parent commit: about 1 ms of weight and 400 bytes.
	let commit = (Weight::from_parts(1_000_000_000, 0) + ExtrinsicBaseWeight::get(), 400);
	let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: sp_runtime::MultiAddress::Id([1u8; 32].into()),
		value: UNIT,
	});
	let transfer = (transfer.get_dispatch_info().call_weight + ExtrinsicBaseWeight::get(), 150);
	for (what, (weight, length)) in [("commit", commit), ("transfer", transfer)] {
		let fee = new_fee(weight, length, Multiplier::one());
		println!("a {what} pays {:.4} ZOO (before: {:.6} ZOO)", in_zoo(fee), in_zoo(old_fee(weight, length)));
		// Well under a commit's deposit (1 ZOO plus 1 mZOO per manifest byte).
		assert!(fee < UNIT / 2, "a {what} costs {} ZOO", in_zoo(fee));
	}
}
