//! Licence terms: checking and registering them, and the hash they are deduplicated by.

use crate::{TermsOf, pallet::*, types::*};
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::{
	ArithmeticError,
	traits::{BlakeTwo256, Hash, Zero},
};
use zoo_pallet_support::Deposits;
use zoo_primitives::EdgeKind;

impl<T: Config> Pallet<T> {
	/// The key terms are deduplicated by.
	pub fn terms_hash(terms: &TermsOf<T>) -> [u8; 32] {
		BlakeTwo256::hash(&terms.encode()).0
	}

	pub(crate) fn validate_terms(terms: &TermsOf<T>) -> DispatchResult {
		let allowed = terms.derivatives_allowed;
		ensure!(
			allowed.is_subset_of(EdgeKindSet::ALL_DERIVATIONS)
				&& terms.derivatives_paid.is_subset_of(EdgeKindSet::ALL_DERIVATIONS),
			Error::<T>::InvalidKindSet
		);
		ensure!(terms.derivatives_paid.is_subset_of(allowed), Error::<T>::PaidKindNotAllowed);
		ensure!(!terms.share_alike || !allowed.is_empty(), Error::<T>::ShareAlikeWithoutDerivatives);
		let derivative_rules = terms.approval_required || terms.attribution_required || terms.name_prefix.is_some();
		ensure!(!derivative_rules || !allowed.is_empty(), Error::<T>::DerivativeRuleWithoutDerivatives);
		for kind in EdgeKind::ALL {
			let share = terms.upstream_share_for(kind);
			ensure!(share == 0 || allowed.contains(kind), Error::<T>::ShareForForbiddenKind);
			ensure!(share <= T::MaxUpstreamShare::get(), Error::<T>::ShareTooHigh);
		}
		ensure!(terms.grant_duration.is_none_or(|blocks| !blocks.is_zero()), Error::<T>::ZeroGrantDuration);
		if let Some(prefix) = &terms.name_prefix {
			let valid = !prefix.is_empty()
				&& prefix.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(b));
			ensure!(valid, Error::<T>::InvalidNamePrefix);
		}
		zoo_primitives::validate_uri(&terms.legal_uri).map_err(|_| Error::<T>::InvalidLegalUri)?;
		Ok(())
	}

	pub(crate) fn do_register_terms(who: T::AccountId, terms: TermsOf<T>) -> Result<TermsId, DispatchError> {
		Self::validate_terms(&terms)?;
		let hash = Self::terms_hash(&terms);
		ensure!(!TermsByHash::<T>::contains_key(hash), Error::<T>::TermsExist);
		let deposit = T::TermsDeposit::get();
		T::Currency::hold_deposit(&HoldReason::TermsDeposit.into(), &who, deposit, Error::<T>::InsufficientBalance)?;
		let id = NextTermsId::<T>::get();
		NextTermsId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		TermsByHash::<T>::insert(hash, id);
		TermsById::<T>::insert(id, TermsRecord { terms, registrant: who.clone(), deposit });
		Self::deposit_event(Event::TermsRegistered { id, registrant: who });
		Ok(id)
	}
}
