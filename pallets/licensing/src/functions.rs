//! Helpers the features share: the pot, deposits, admin checks, a version's licence and
//! balance conversions. What each call does is in [`crate::features`], one file per concern.

use crate::{BalanceOf, TermsOf, pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use sp_runtime::traits::{AccountIdConversion, UniqueSaturatedFrom, UniqueSaturatedInto};
use zoo_primitives::{ModelAccess, ModelName, VersionId};

pub(crate) fn to_u128<T: Config>(amount: BalanceOf<T>) -> u128 {
	amount.unique_saturated_into()
}

pub(crate) fn from_u128<T: Config>(amount: u128) -> BalanceOf<T> {
	BalanceOf::<T>::unique_saturated_from(amount)
}

impl<T: Config> Pallet<T> {
	/// The pot account: holds everything credited to vaults and not yet claimed.
	pub fn pot() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Give the pot its existential deposit, so paying out never reaps it.
	pub(crate) fn endow_pot() {
		let pot = Self::pot();
		let minimum = T::Currency::minimum_balance();
		if T::Currency::balance(&pot) < minimum {
			let _ = T::Currency::mint_into(&pot, minimum);
		}
	}

	pub(crate) fn ensure_admin(model: &ModelName, who: &T::AccountId) -> DispatchResult {
		ensure!(T::Models::model_exists(model), Error::<T>::UnknownModel);
		ensure!(T::Models::is_admin(model, who), Error::<T>::NotAdmin);
		Ok(())
	}

	pub(crate) fn license_of(version: &VersionId) -> Result<VersionLicense, DispatchError> {
		Licenses::<T>::get(version).ok_or_else(|| Error::<T>::UnknownVersion.into())
	}

	/// The terms a version is licensed under (sealed or not), for offers.
	pub(crate) fn offer_terms(license: &VersionLicense) -> Result<TermsOf<T>, DispatchError> {
		let Some(id) = license.license.terms() else { return Err(Error::<T>::OffersNeedTerms.into()) };
		Ok(TermsById::<T>::get(id).ok_or(Error::<T>::UnknownTerms)?.terms)
	}
}
