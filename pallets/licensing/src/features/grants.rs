//! Purchases and the grants they make, dropping a grant, and derivative approvals.

use crate::{BalanceOf, GrantOf, pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		OnUnbalanced,
		fungible::{Balanced, Mutate},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use sp_runtime::traits::{Saturating, Zero};
use zoo_pallet_support::Deposits;
use zoo_primitives::VersionId;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_purchase(
		who: T::AccountId,
		version: VersionId,
		offer_id: OfferId,
		expected: GrantKind,
		max_price: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let license = Self::license_of(&version)?;
		let offer = Offers::<T>::get(version).get(&offer_id).cloned().ok_or(Error::<T>::UnknownOffer)?;
		let kind = match offer.kind {
			OfferKind::Use => GrantKind::Use,
			OfferKind::Derivative => GrantKind::Derivative,
			OfferKind::Usage => return Err(Error::<T>::UsageOfferNotPurchasable.into()),
		};
		ensure!(kind == expected, Error::<T>::OfferKindMismatch);
		ensure!(offer.price <= max_price, Error::<T>::PriceAboveMaximum);
		let terms = Self::offer_terms(&license)?;

		let price = offer.price;
		let protocol_fee = T::ProtocolFee::get().mul_floor(price);
		let rest = price.saturating_sub(protocol_fee);
		if !protocol_fee.is_zero() {
			let fee = <T::Currency as Balanced<T::AccountId>>::withdraw(
				&who,
				protocol_fee,
				Precision::Exact,
				Preservation::Preserve,
				Fortitude::Polite,
			)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
			T::OnProtocolFee::on_unbalanced(fee);
		}
		T::Currency::transfer(&who, &Self::pot(), rest, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let entries = Self::route_payment(version, rest);

		let now = frame_system::Pallet::<T>::block_number();
		let key = (version, who.clone(), kind);
		let grant = match Grants::<T>::get(&key) {
			Some(mut grant) => {
				grant.expires_at = match (grant.expires_at, terms.grant_duration) {
					(Some(end), Some(duration)) => Some(end.max(now).saturating_add(duration)),
					_ => None,
				};
				grant
			}
			None => {
				let deposit = T::GrantDeposit::get();
				T::Currency::hold_deposit(
					&HoldReason::GrantDeposit.into(),
					&who,
					deposit,
					Error::<T>::InsufficientBalance,
				)?;
				Grant { expires_at: terms.grant_duration.map(|blocks| now.saturating_add(blocks)), credits: 0, deposit }
			}
		};
		let grant = GrantOf::<T> {
			credits: if kind == GrantKind::Derivative { grant.credits.saturating_add(1) } else { 0 },
			..grant
		};
		let expires_at = grant.expires_at;
		Grants::<T>::insert(&key, grant);
		Self::deposit_event(Event::Purchased {
			version,
			offer: offer_id,
			buyer: who,
			kind,
			price,
			protocol_fee,
			expires_at,
		});
		Ok(entries)
	}

	pub(crate) fn do_drop_grant(who: T::AccountId, version: VersionId, kind: GrantKind) -> DispatchResult {
		let grant = Grants::<T>::take((version, who.clone(), kind)).ok_or(Error::<T>::UnknownGrant)?;
		T::Currency::release_deposit(&HoldReason::GrantDeposit.into(), &who, grant.deposit)?;
		Self::deposit_event(Event::GrantDropped { version, holder: who, kind });
		Ok(())
	}

	pub(crate) fn do_approve_derivative(
		who: T::AccountId,
		parent: VersionId,
		committer: T::AccountId,
	) -> DispatchResult {
		let license = Self::license_of(&parent)?;
		Self::ensure_admin(&license.model, &who)?;
		ensure!(!Approvals::<T>::contains_key(parent, &committer), Error::<T>::ApprovalExists);
		let deposit = T::ApprovalDeposit::get();
		T::Currency::hold_deposit(&HoldReason::ApprovalDeposit.into(), &who, deposit, Error::<T>::InsufficientBalance)?;
		Approvals::<T>::insert(parent, &committer, (who, deposit));
		Self::deposit_event(Event::DerivativeApproved { parent, committer });
		Ok(())
	}

	pub(crate) fn do_revoke_approval(who: T::AccountId, parent: VersionId, committer: T::AccountId) -> DispatchResult {
		let license = Self::license_of(&parent)?;
		Self::ensure_admin(&license.model, &who)?;
		let (depositor, deposit) = Approvals::<T>::take(parent, &committer).ok_or(Error::<T>::UnknownApproval)?;
		T::Currency::release_deposit(&HoldReason::ApprovalDeposit.into(), &depositor, deposit)?;
		Self::deposit_event(Event::ApprovalRevoked { parent, committer });
		Ok(())
	}
}
