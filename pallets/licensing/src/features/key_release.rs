//! Recipient keys and key releases for sealed versions.

use crate::{BalanceOf, KeyReleaseOf, pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::Saturating;
use zoo_pallet_support::Deposits;
use zoo_primitives::{License, VersionId, is_small_order_x25519, validate_seal_header};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_recipient(who: T::AccountId, key: RecipientKey) -> DispatchResult {
		ensure!(!is_small_order_x25519(&key), Error::<T>::WeakRecipientKey);
		let deposit = match Recipients::<T>::get(&who) {
			Some(record) => record.deposit,
			None => {
				let deposit = T::RecipientDeposit::get();
				T::Currency::hold_deposit(
					&HoldReason::RecipientDeposit.into(),
					&who,
					deposit,
					Error::<T>::InsufficientBalance,
				)?;
				deposit
			}
		};
		Recipients::<T>::insert(&who, Recipient { key, deposit });
		Self::deposit_event(Event::RecipientSet { who, key });
		Ok(())
	}

	pub(crate) fn do_clear_recipient(who: T::AccountId) -> DispatchResult {
		let record = Recipients::<T>::take(&who).ok_or(Error::<T>::NoRecipient)?;
		T::Currency::release_deposit(&HoldReason::RecipientDeposit.into(), &who, record.deposit)?;
		Self::deposit_event(Event::RecipientCleared { who });
		Ok(())
	}

	/// The deposit a key release with `headers` holds: `KeyReleaseDepositBase` plus
	/// `KeyReleaseDepositPerByte` per header byte.
	pub(crate) fn key_release_deposit(headers: &KeyHeaders) -> BalanceOf<T> {
		let bytes = headers.iter().fold(0u32, |sum, key| sum.saturating_add(key.header.len() as u32));
		T::KeyReleaseDepositBase::get().saturating_add(T::KeyReleaseDepositPerByte::get().saturating_mul(bytes.into()))
	}

	pub(crate) fn do_release_key(
		who: T::AccountId,
		version: VersionId,
		grantee: T::AccountId,
		wrapped_for: RecipientKey,
		headers: KeyHeaders,
	) -> DispatchResult {
		let license = Self::license_of(&version)?;
		Self::ensure_admin(&license.model, &who)?;
		ensure!(matches!(license.license, License::Sealed { .. }), Error::<T>::NotSealed);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(Self::may_use_under(&license, version, &grantee, now), Error::<T>::NoGrant);
		let recipient = Recipients::<T>::get(&grantee).ok_or(Error::<T>::NoRecipient)?.key;
		// The releaser wrapped the headers for the key it read; a record naming another key
		// would point the grantee at an identity that opens nothing (audit A3-01).
		ensure!(recipient == wrapped_for, Error::<T>::RecipientChanged);
		ensure!(!ReleasedKeys::<T>::contains_key(version, &grantee), Error::<T>::KeyAlreadyReleased);
		let files = license.license.sealed_files();
		ensure!(
			headers.len() == files.len() && headers.iter().zip(files).all(|(key, file)| key.artifact == file.artifact),
			Error::<T>::HeadersDoNotMatch
		);
		for key in headers.iter() {
			validate_seal_header(&key.header).map_err(|_| Error::<T>::InvalidKeyHeader)?;
		}
		let deposit = Self::key_release_deposit(&headers);
		T::Currency::hold_deposit(
			&HoldReason::KeyReleaseDeposit.into(),
			&who,
			deposit,
			Error::<T>::InsufficientBalance,
		)?;
		let release: KeyReleaseOf<T> = KeyRelease { by: who.clone(), recipient, released_at: now, headers, deposit };
		ReleasedKeys::<T>::insert(version, &grantee, release);
		Self::deposit_event(Event::KeyReleased { version, grantee, by: who, recipient });
		Ok(())
	}
}
