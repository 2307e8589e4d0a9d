//! Where the licensing pallet hands the curation share of each payment ([`CurationHook`]).

use crate::*;
use frame_support::weights::Weight;
use zoo_primitives::{CurationHook, VersionId};

/// The licensing pallet credits the curators of a version it sold through this trait.
impl<T: Config> CurationHook<T::AccountId, BalanceOf<T>> for Pallet<T> {
	type Weight = Weight;

	fn credit(version: &VersionId, payer: &T::AccountId, fee: BalanceOf<T>) -> BalanceOf<T> {
		Self::do_credit(*version, payer, fee)
	}

	fn credit_weight() -> Weight {
		T::WeightInfo::credit()
	}
}
