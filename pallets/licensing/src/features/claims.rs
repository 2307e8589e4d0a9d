//! Contributors' claims on a version's vault.

use crate::{
	functions::{from_u128, to_u128},
	pallet::*,
	royalty,
	types::*,
	BalanceOf,
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
		let owed = royalty::contributor_share(to_u128::<T>(Vaults::<T>::get(version)), &shares, index);
		from_u128::<T>(owed).saturating_sub(Claimed::<T>::get(version, who))
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
