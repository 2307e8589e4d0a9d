//! Benchmarks for the validator set pallet (benchmarks v2): each call on a planned set one
//! short of its bound, the worst case for the membership scan.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};

/// Fills the planned set with registered validators up to `len` members.
fn planned_set_of<T: Config>(len: u32) -> Vec<T::AccountId> {
	let mut validators = Validators::<T>::get();
	let mut index = 0;
	while (validators.len() as u32) < len {
		let who: T::AccountId = account("validator", index, 0);
		index += 1;
		if validators.contains(&who) {
			continue;
		}
		T::BenchmarkHelper::register_keys(&who);
		validators.try_push(who).expect("len <= MaxValidators");
	}
	Validators::<T>::put(validators.clone());
	validators.into_inner()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		let origin = T::ManagerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		planned_set_of::<T>(T::MaxValidators::get() - 1);
		let who: T::AccountId = account("candidate", 0, 0);
		T::BenchmarkHelper::register_keys(&who);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(Validators::<T>::get().contains(&who));
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let origin = T::ManagerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let validators = planned_set_of::<T>(T::MaxValidators::get());
		let who = validators.last().expect("MaxValidators >= 1").clone();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(!Validators::<T>::get().contains(&who));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
