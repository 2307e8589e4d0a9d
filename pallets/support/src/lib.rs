//! # Zoo pallet support
//!
//! What Zoo's pallets share that needs FRAME. It cannot live in `zoo-primitives`, which the
//! client uses without FRAME (as Acala keeps `module-support` apart from its primitives and KILT
//! its `support` crate).
//!
//! - [`Deposits`]: hold and release a deposit through fungible holds, the one way every pallet
//!   takes and gives back the deposits that pay for its state.
#![cfg_attr(not(feature = "std"), no_std)]

use frame_support::{
	pallet_prelude::{DispatchError, DispatchResult},
	sp_runtime::TokenError,
	traits::{fungible::MutateHold, tokens::Precision},
};

/// Deposits held through fungible holds, for any currency that can hold funds
/// (`T::Currency::hold_deposit(..., Error::<T>::InsufficientBalance)` in a pallet).
pub trait Deposits<AccountId>: MutateHold<AccountId> {
	/// Hold `amount` from `who` for `reason`. A balance too low to pay it
	/// (`TokenError::FundsUnavailable`) is reported as `insufficient`, the pallet's own error
	/// (its `InsufficientBalance`); every other failure (the account cannot take another hold,
	/// an overflow, ...) is passed through unchanged.
	fn hold_deposit(
		reason: &Self::Reason,
		who: &AccountId,
		amount: Self::Balance,
		insufficient: impl Into<DispatchError>,
	) -> DispatchResult {
		Self::hold(reason, who, amount).map_err(|error| match error {
			DispatchError::Token(TokenError::FundsUnavailable) => insufficient.into(),
			other => other,
		})
	}

	/// Release the deposit of `amount` held from `who` for `reason` (all that is held for it,
	/// if that is less). A failure is passed through unchanged.
	fn release_deposit(reason: &Self::Reason, who: &AccountId, amount: Self::Balance) -> DispatchResult {
		Self::release(reason, who, amount, Precision::BestEffort).map(|_| ())
	}
}

impl<AccountId, Currency: MutateHold<AccountId>> Deposits<AccountId> for Currency {}
