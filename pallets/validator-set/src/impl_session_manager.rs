//! This pallet as `pallet-session`'s [`SessionManager`]: it hands over the planned set when it
//! changed, and nothing otherwise, so an unchanged set costs GRANDPA no authority-set change.

use crate::*;
use alloc::vec::Vec;
use pallet_session::SessionManager;
use sp_staking::SessionIndex;

impl<T: Config> SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !PlanPending::<T>::take() {
			return None;
		}
		QueuedPlan::<T>::put(new_index);
		let validators = Validators::<T>::get().into_inner();
		log::info!(
			target: "runtime::validator-set",
			"session {new_index} will have {} validators",
			validators.len()
		);
		Self::deposit_event(Event::NewSetPlanned { session: new_index, validators: validators.len() as u32 });
		Some(validators)
	}

	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		// The genesis set is the session keys' (see the crate doc).
		None
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(start_index: SessionIndex) {
		SessionStart::<T>::put(frame_system::Pallet::<T>::block_number());
		if QueuedPlan::<T>::get() == Some(start_index) {
			QueuedPlan::<T>::kill();
		}
	}
}
