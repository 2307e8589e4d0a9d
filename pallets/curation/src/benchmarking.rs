//! Benchmarks for the curation pallet (benchmarks v2). Each call at its worst: the caller's
//! position has pending points of a past era to activate and rewards to settle, [`TopByStake`]
//! is full with the version at its head (the update scans and shifts the whole list), and
//! `stake`, `unbond`, `claim` and `resolve_dispute` run with `c` curators on the version, from 1
//! to 10,000: a component the weights must not depend on (the calls read and write the same
//! items whatever `c` is), which the generated weights show as a zero slope.

use super::*;
use crate::Pallet as Curation;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, fungible::Mutate};
use frame_system::RawOrigin;
use sp_runtime::{
	Perbill,
	traits::{Bounded, Saturating, Zero},
};
use zoo_primitives::{CurationHook, ModelName, ModelsForBenchmarks, VersionId, VersionInspect};

/// The registry, as this pallet's benchmarks make versions through it.
type Models<T> = <<T as Config>::BenchmarkHelper as BenchmarkHelper<<T as frame_system::Config>::AccountId>>::Models;

/// A version of `bench/curated` made unique by `seed`, committed by a funded owner.
fn version<T: Config>(seed: u32) -> VersionId {
	let owner = funded::<T>("curated", 0);
	let model: ModelName = b"bench/curated".to_vec().try_into().expect("a short name");
	Models::<T>::create_model(&model, &owner);
	Models::<T>::commit(&model, &owner, seed, None)
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

fn stake_amount<T: Config>() -> BalanceOf<T> {
	T::MinStake::get().saturating_mul(10u32.into())
}

/// Go to the first block of era `era`.
fn go_to_era<T: Config>(era: u32) {
	let block = T::EraLength::get().saturating_mul(era.into());
	frame_system::Pallet::<T>::set_block_number(block);
}

/// A version with `c` curators, the first of them `caller`, all staked in era 1; `TopByStake`
/// full, the version at its head. Returns the version.
fn curated<T: Config>(caller: &T::AccountId, c: u32) -> Result<VersionId, BenchmarkError> {
	go_to_era::<T>(1);
	let version = version::<T>(0);
	Curation::<T>::do_stake(caller.clone(), version, stake_amount::<T>())?;
	for i in 1..c {
		let curator = funded::<T>("curator", i);
		Curation::<T>::do_stake(curator, version, stake_amount::<T>())?;
	}
	fill_top::<T>(version);
	Ok(version)
}

/// Fill [`TopByStake`] with other versions below `version`, so an update scans and shifts it
/// all.
fn fill_top<T: Config>(version: VersionId) {
	let stake = functions::bonded_stake::<T>(&Targets::<T>::get(version).expect("staked"));
	let n = T::TopN::get();
	let mut top = alloc::vec![(version, stake)];
	for i in 1..n {
		let other = VersionId::of_bytes(&i.to_le_bytes());
		top.push((other, BalanceOf::<T>::from(n - i)));
	}
	TopByStake::<T>::put(frame_support::BoundedVec::truncate_from(top));
}

/// Credit a fee to `version` from a funded payer.
fn credit_fee<T: Config>(version: VersionId) {
	let payer = funded::<T>("payer", 0);
	let _ = <Curation<T> as CurationHook<T::AccountId, BalanceOf<T>>>::credit(&version, &payer, stake_amount::<T>());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The caller adds to a position with pending points of a past era (activated and settled
	/// first), on a version with `c` curators and the rewards of a past era to share.
	#[benchmark]
	fn stake(c: Linear<1, 10_000>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("curator", 0);
		let version = curated::<T>(&caller, c)?;
		go_to_era::<T>(2);
		credit_fee::<T>(version);
		go_to_era::<T>(3);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), version, stake_amount::<T>());
		let position = Positions::<T>::get(version, &caller).expect("staked");
		assert_eq!(position.pending, stake_amount::<T>());
		assert_eq!(TopByStake::<T>::get()[0].0, version);
		Ok(())
	}

	/// The caller unbonds half of a position with pending points of a past era, on a version
	/// with `c` curators and the rewards of a past era to share.
	#[benchmark]
	fn unbond(c: Linear<1, 10_000>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("curator", 0);
		let version = curated::<T>(&caller, c)?;
		go_to_era::<T>(2);
		credit_fee::<T>(version);
		go_to_era::<T>(3);
		let half = stake_amount::<T>() / 2u32.into();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), version, half);
		assert_eq!(Positions::<T>::get(version, &caller).expect("staked").unbonding.len(), 1);
		Ok(())
	}

	/// The caller withdraws `n` unlocked chunks (at most `MaxUnbondingChunks`), after a slash it
	/// realizes first.
	#[benchmark]
	fn withdraw(n: Linear<1, { T::MaxUnbondingChunks::get() }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("curator", 0);
		let version = curated::<T>(&caller, 1)?;
		Curation::<T>::do_stake(caller.clone(), version, stake_amount::<T>().saturating_mul(n.into()))?;
		let start = frame_system::Pallet::<T>::block_number();
		for i in 0..n {
			frame_system::Pallet::<T>::set_block_number(start.saturating_add(i.into()));
			Curation::<T>::do_unbond(caller.clone(), version, stake_amount::<T>())?;
		}
		let reporter = funded::<T>("reporter", 0);
		Curation::<T>::do_open_dispute(reporter, version, DisputeReason::Other, Default::default())?;
		Curation::<T>::do_resolve_dispute(0, true, Perbill::from_percent(10), Perbill::from_percent(50), None)?;
		let unlocked = start.saturating_add(n.into()).saturating_add(T::UnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(unlocked);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), version);
		assert!(Positions::<T>::get(version, &caller).expect("bonded").unbonding.is_empty());
		Ok(())
	}

	/// The caller claims rewards from a version with `c` curators, its pending points of a past
	/// era activated and settled first and the rewards of a past era shared.
	#[benchmark]
	fn claim(c: Linear<1, 10_000>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("curator", 0);
		let version = curated::<T>(&caller, c)?;
		go_to_era::<T>(2);
		credit_fee::<T>(version);
		go_to_era::<T>(3);
		credit_fee::<T>(version);
		go_to_era::<T>(4);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), version);
		assert!(Positions::<T>::get(version, &caller).expect("staked").owed == 0u32.into());
		Ok(())
	}

	/// Someone touches a position with pending points of a past era and a slash to realize.
	#[benchmark]
	fn activate() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("curator", 0);
		let version = curated::<T>(&owner, 2)?;
		let reporter = funded::<T>("reporter", 0);
		Curation::<T>::do_open_dispute(reporter, version, DisputeReason::Other, Default::default())?;
		Curation::<T>::do_resolve_dispute(0, true, Perbill::from_percent(10), Perbill::from_percent(50), None)?;
		go_to_era::<T>(2);
		let caller = funded::<T>("keeper", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), version, owner.clone());
		assert!(Positions::<T>::get(version, &owner).expect("staked").pending == 0u32.into());
		Ok(())
	}

	#[benchmark]
	fn open_dispute() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("curator", 0);
		let version = curated::<T>(&owner, 1)?;
		let reporter = funded::<T>("reporter", 0);
		let evidence: Evidence = alloc::vec![b'e'; zoo_primitives::MAX_URI_LEN as usize].try_into().expect("bound");
		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), version, DisputeReason::Malware, evidence);
		assert!(Targets::<T>::get(version).expect("target").dispute.is_some());
		Ok(())
	}

	/// An upheld verdict on a version with `c` curators, a full `TopByStake` with the version
	/// at its head, pending points to activate, and an escrow redirected to an account.
	#[benchmark]
	fn resolve_dispute(c: Linear<1, 10_000>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("curator", 0);
		let version = curated::<T>(&caller, c)?;
		go_to_era::<T>(2);
		credit_fee::<T>(version);
		let reporter = funded::<T>("reporter", 0);
		Curation::<T>::do_open_dispute(reporter, version, DisputeReason::Malware, Default::default())?;
		credit_fee::<T>(version);
		let origin = T::VerdictOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let treasury = funded::<T>("treasury", 0);
		go_to_era::<T>(3);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0, true, Perbill::from_percent(50), Perbill::from_percent(10), Some(treasury));
		assert!(T::Versions::is_yanked(&version));
		Ok(())
	}

	/// A lapsed dispute closed on a version with `c` curators, pending points to activate and
	/// an escrow to release into the rewards.
	#[benchmark]
	fn close_lapsed_dispute(c: Linear<1, 10_000>) -> Result<(), BenchmarkError> {
		let curator = funded::<T>("curator", 0);
		let version = curated::<T>(&curator, c)?;
		go_to_era::<T>(2);
		credit_fee::<T>(version);
		let reporter = funded::<T>("reporter", 0);
		Curation::<T>::do_open_dispute(reporter, version, DisputeReason::Malware, Default::default())?;
		credit_fee::<T>(version);
		let expires_at = Disputes::<T>::get(0).expect("opened").expires_at;
		frame_system::Pallet::<T>::set_block_number(expires_at.max(T::EraLength::get().saturating_mul(3u32.into())));
		let caller = funded::<T>("keeper", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 0);
		assert!(Targets::<T>::get(version).expect("target").dispute.is_none());
		Ok(())
	}

	/// The licensing hook: a fee credited to a version with the stream of a past era to share
	/// and pending points of a past era to activate.
	#[benchmark]
	fn credit() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("curator", 0);
		let version = curated::<T>(&caller, 1)?;
		let payer = funded::<T>("payer", 0);
		go_to_era::<T>(2);
		credit_fee::<T>(version);
		Curation::<T>::do_stake(funded::<T>("curator", 1), version, stake_amount::<T>())?;
		go_to_era::<T>(3);
		let fee = stake_amount::<T>();
		#[block]
		{
			let returned = <Curation<T> as CurationHook<T::AccountId, BalanceOf<T>>>::credit(&version, &payer, fee);
			assert!(returned == 0u32.into());
		}
		let target = Targets::<T>::get(version).expect("target");
		assert!(target.streaming == fee && target.pending_points.is_zero());
		Ok(())
	}

	impl_benchmark_test_suite!(Curation, crate::mock::new_test_ext(), crate::mock::Test);
}
