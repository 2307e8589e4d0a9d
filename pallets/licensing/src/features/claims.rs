//! Contributors' claims on a version's vault.

use crate::{
	BalanceOf,
	functions::{from_u128, to_u128},
	pallet::*,
	royalty,
	types::*,
};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use sp_runtime::traits::{Saturating, Zero};
use zoo_primitives::VersionId;

impl<T: Config> Pallet<T> {
	/// What `who` could claim from `version`'s vault now (zero for non-contributors).
	pub(crate) fn claimable_now(version: &VersionId, who: &T::AccountId) -> BalanceOf<T> {
		let Some(split) = VersionSplits::<T>::get(version) else { return Zero::zero() };
		let Some(index) = split.iter().position(|(account, _)| account == who) else { return Zero::zero() };
		let shares: Vec<Bps> = split.iter().map(|(_, bps)| *bps).collect();
		let total = Vaults::<T>::get(version);
		let owed = royalty::contributor_share(to_u128::<T>(total), &shares, index);
		let due = from_u128::<T>(owed).saturating_sub(Claimed::<T>::get(version, who));
		// The first contributor's share (its own rounded share plus what rounding leaves) can
		// shrink by a few units as the vault grows, after it claimed: never pay more out of a
		// vault than it received, so the others wait for those units until it grows (audit
		// A3-12).
		let claimed_by_all =
			Claimed::<T>::iter_prefix_values(version).fold(Zero::zero(), BalanceOf::<T>::saturating_add);
		due.min(total.saturating_sub(claimed_by_all))
	}

	pub(crate) fn do_claim(who: T::AccountId, version: VersionId) -> DispatchResult {
		let split = VersionSplits::<T>::get(version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(split.iter().any(|(account, _)| *account == who), Error::<T>::NotAContributor);
		let amount = Self::claimable_now(&version, &who);
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(&Self::pot(), &who, amount, Preservation::Preserve)?;
		Claimed::<T>::mutate(version, &who, |claimed| *claimed = claimed.saturating_add(amount));
		Self::deposit_event(Event::Claimed { version, who, amount });
		Ok(())
	}
}
