//! When sessions end (`pallet-session`'s `ShouldEndSession` and `EstimateNextSessionRotation`):
//! soon when a change waits, rarely otherwise (see the crate doc).

use crate::*;
use frame_support::{
	pallet_prelude::Weight,
	traits::{EstimateNextSessionRotation, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_session::ShouldEndSession;
use sp_runtime::{Permill, traits::Saturating};

impl<T: Config> Pallet<T> {
	/// Whether a change is planned or queued.
	fn change_waiting() -> bool {
		PlanPending::<T>::get() || QueuedPlan::<T>::get().is_some()
	}

	/// The block the current session ends at, as things stand.
	fn session_end() -> BlockNumberFor<T> {
		let length = if Self::change_waiting() { T::MinSessionLength::get() } else { T::MaxSessionLength::get() };
		SessionStart::<T>::get().saturating_add(length)
	}
}

impl<T: Config> ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		now >= Self::session_end()
	}
}

impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		T::MaxSessionLength::get()
	}

	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		let start = SessionStart::<T>::get();
		let length = Self::session_end().saturating_sub(start);
		let progress = Permill::from_rational(now.saturating_sub(start), length);
		(Some(progress), T::DbWeight::get().reads(3))
	}

	fn estimate_next_session_rotation(now: BlockNumberFor<T>) -> (Option<BlockNumberFor<T>>, Weight) {
		(Some(Self::session_end().max(now)), T::DbWeight::get().reads(3))
	}
}
