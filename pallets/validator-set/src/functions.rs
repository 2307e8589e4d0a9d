//! The calls' logic.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{Get, ValidatorRegistration},
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_validator(who: T::AccountId) -> DispatchResult {
		let mut validators = Validators::<T>::get();
		ensure!(!validators.contains(&who), Error::<T>::AlreadyValidator);
		ensure!(T::Session::is_registered(&who), Error::<T>::NoSessionKeys);
		validators.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
		Validators::<T>::put(validators);
		PlanPending::<T>::put(true);
		Self::deposit_event(Event::ValidatorAdded { who });
		Ok(())
	}

	pub(crate) fn do_remove_validator(who: T::AccountId) -> DispatchResult {
		let mut validators = Validators::<T>::get();
		let position = validators.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
		ensure!(validators.len() as u32 > T::MinValidators::get(), Error::<T>::TooFewValidators);
		validators.remove(position);
		Validators::<T>::put(validators);
		PlanPending::<T>::put(true);
		Self::deposit_event(Event::ValidatorRemoved { who });
		Ok(())
	}
}
