//! Benchmarks for the lineage pallet (benchmarks v2).

use super::*;
use crate::Pallet as Lineage;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{Get, fungible::Mutate};
use frame_system::RawOrigin;
use sp_runtime::traits::Bounded;
use zoo_primitives::*;

/// The registry, as this pallet's benchmarks make models through it.
type Models<T> = <<T as Config>::BenchmarkHelper as BenchmarkHelper<<T as frame_system::Config>::AccountId>>::Models;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn model_name() -> ModelName {
	b"bench/model".to_vec().try_into().expect("fits")
}

/// The longest valid ref name.
fn ref_name() -> RefName {
	vec![b'r'; MAX_REF_NAME_LEN as usize].try_into().expect("exact bound")
}

fn version(seed: u32) -> VersionId {
	VersionId::of_bytes(&seed.to_le_bytes())
}

/// A model owned by a funded account and a chain of `length` versions in it; returns a funded
/// maintainer with `Admin` (the worst-case caller: its role costs a read the owner's does not)
/// and the chain, root first.
fn model_with_chain<T: Config>(length: u32) -> (T::AccountId, alloc::vec::Vec<VersionId>) {
	let owner = funded::<T>("owner", 0);
	Models::<T>::create_model(&model_name(), &owner);
	let admin = funded::<T>("admin", 0);
	Models::<T>::add_admin(&model_name(), &admin);
	let mut chain = alloc::vec::Vec::new();
	for seed in 0..length {
		let id = version(seed);
		let parents: alloc::vec::Vec<Parent> =
			chain.last().map(|parent| Parent { id: *parent, edge: EdgeKind::Revision }).into_iter().collect();
		Lineage::<T>::do_insert_version(id, &model_name(), &parents);
		chain.push(id);
	}
	(admin, chain)
}

/// Refs for other pallets' benchmarks: their `Config::BenchmarkHelper`s name the lineage pallet
/// as their `RefsForBenchmarks`.
impl<T: Config> RefsForBenchmarks<T::AccountId> for Pallet<T> {
	fn create_ref(model: &ModelName, name: &RefName, target: VersionId, who: &T::AccountId) {
		Self::do_create_ref(who.clone(), model.clone(), name.clone(), target, true).expect("a valid ref by an admin");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_ref() {
		let (admin, chain) = model_with_chain::<T>(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model_name(), ref_name(), chain[0], true);
		assert_eq!(Refs::<T>::get(model_name(), ref_name()).map(|details| details.target), Some(chain[0]));
	}

	/// A protected ref moved from the root to the tip of a chain of `n` versions: the
	/// forward-only check reads all `n`.
	#[benchmark]
	fn move_ref(n: Linear<2, { T::MaxWalk::get() }>) -> Result<(), BenchmarkError> {
		let (admin, chain) = model_with_chain::<T>(n);
		let (root, tip) = (chain[0], chain[chain.len() - 1]);
		Lineage::<T>::do_create_ref(admin.clone(), model_name(), ref_name(), root, true)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model_name(), ref_name(), tip, false, n);
		assert_eq!(Refs::<T>::get(model_name(), ref_name()).map(|details| details.target), Some(tip));
		Ok(())
	}

	#[benchmark]
	fn set_ref_protection() -> Result<(), BenchmarkError> {
		let (admin, chain) = model_with_chain::<T>(1);
		Lineage::<T>::do_create_ref(admin.clone(), model_name(), ref_name(), chain[0], false)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model_name(), ref_name(), true);
		assert_eq!(Refs::<T>::get(model_name(), ref_name()).map(|details| details.protected), Some(true));
		Ok(())
	}

	impl_benchmark_test_suite!(Lineage, crate::mock::new_test_ext(), crate::mock::Test);
}
