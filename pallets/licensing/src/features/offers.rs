//! Contributor splits, priced offers, and routing a payment to a version's curators and vaults.

use crate::{
	BalanceOf, OfferOf, SplitOf,
	functions::{from_u128, to_u128},
	pallet::*,
	royalty,
	types::*,
};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::{Saturating, Zero};
use zoo_pallet_support::Deposits;
use zoo_primitives::{CurationHook, ModelName, VersionId};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_split(who: T::AccountId, model: ModelName, split: SplitOf<T>) -> DispatchResult {
		Self::ensure_admin(&model, &who)?;
		ensure!(!split.is_empty(), Error::<T>::InvalidSplit);
		for (i, (account, bps)) in split.iter().enumerate() {
			ensure!(*bps > 0, Error::<T>::InvalidSplit);
			ensure!(!split[..i].iter().any(|(other, _)| other == account), Error::<T>::InvalidSplit);
		}
		let total: u32 = split.iter().map(|(_, bps)| u32::from(*bps)).sum();
		ensure!(total == u32::from(FULL_BPS), Error::<T>::SplitNotWhole);
		let deposit = T::SplitDeposit::get().saturating_mul((split.len() as u32).into());
		if let Some(old) = ModelSplits::<T>::get(&model) {
			T::Currency::release_deposit(&HoldReason::SplitDeposit.into(), &old.depositor, old.deposit)?;
		}
		T::Currency::hold_deposit(&HoldReason::SplitDeposit.into(), &who, deposit, Error::<T>::InsufficientBalance)?;
		ModelSplits::<T>::insert(&model, SplitRecord { split, depositor: who.clone(), deposit });
		Self::deposit_event(Event::SplitSet { model, by: who });
		Ok(())
	}

	pub(crate) fn do_set_offer(
		who: T::AccountId,
		version: VersionId,
		offer_id: OfferId,
		kind: OfferKind,
		price: BalanceOf<T>,
	) -> DispatchResult {
		let license = Self::license_of(&version)?;
		Self::ensure_admin(&license.model, &who)?;
		let terms = Self::offer_terms(&license)?;
		match kind {
			OfferKind::Use | OfferKind::Usage => ensure!(terms.commercial_use, Error::<T>::CommercialUseNotAllowed),
			OfferKind::Derivative => ensure!(!terms.derivatives_paid.is_empty(), Error::<T>::NoPaidDerivatives),
		}
		let minimum = match kind {
			OfferKind::Usage => 1u32.into(),
			OfferKind::Use | OfferKind::Derivative => T::MinPrice::get(),
		};
		ensure!(price >= minimum && !price.is_zero(), Error::<T>::PriceTooLow);
		let mut offers = Offers::<T>::get(version);
		match offers.get_mut(&offer_id) {
			Some(offer) => {
				offer.kind = kind;
				offer.price = price;
			}
			None => {
				ensure!((offers.len() as u32) < T::MaxOffers::get(), Error::<T>::TooManyOffers);
				let deposit = T::OfferDeposit::get();
				T::Currency::hold_deposit(
					&HoldReason::OfferDeposit.into(),
					&who,
					deposit,
					Error::<T>::InsufficientBalance,
				)?;
				offers
					.try_insert(offer_id, Offer { kind, price, depositor: who, deposit })
					.map_err(|_| Error::<T>::TooManyOffers)?;
			}
		}
		Offers::<T>::insert(version, offers);
		Self::deposit_event(Event::OfferSet { version, offer: offer_id, kind, price });
		Ok(())
	}

	pub(crate) fn do_remove_offer(who: T::AccountId, version: VersionId, offer_id: OfferId) -> DispatchResult {
		let license = Self::license_of(&version)?;
		Self::ensure_admin(&license.model, &who)?;
		let mut offers = Offers::<T>::get(version);
		let offer: OfferOf<T> = offers.remove(&offer_id).ok_or(Error::<T>::UnknownOffer)?;
		T::Currency::release_deposit(&HoldReason::OfferDeposit.into(), &offer.depositor, offer.deposit)?;
		if offers.is_empty() {
			Offers::<T>::remove(version);
		} else {
			Offers::<T>::insert(version, offers);
		}
		Self::deposit_event(Event::OfferRemoved { version, offer: offer_id });
		Ok(())
	}

	/// Routes `amount`, paid into the pot for `version`: offers its curation share to the
	/// version's curators (taken from the pot) and credits what they do not take to the vaults.
	/// Returns the royalty entries credited.
	pub(crate) fn route_payment(version: VersionId, amount: BalanceOf<T>) -> u32 {
		let share = T::CurationShare::get().mul_floor(amount);
		let not_taken = T::Curation::credit(&version, &Self::pot(), share);
		let taken = share.saturating_sub(not_taken);
		Self::credit_vaults(version, amount.saturating_sub(taken))
	}

	/// Credit `amount` to the vaults of `version`'s royalty table; returns the table's length.
	fn credit_vaults(version: VersionId, amount: BalanceOf<T>) -> u32 {
		let table = Royalties::<T>::get(version).unwrap_or_default();
		for (credited, share) in royalty::split_by_table(to_u128::<T>(amount), &table, version) {
			Vaults::<T>::mutate(credited, |total| *total = total.saturating_add(from_u128::<T>(share)));
		}
		table.len() as u32
	}
}
