//! Usage channels: opening one, settling signed vouchers, refunding what is left.

use crate::{
	BalanceOf, ChannelOf,
	functions::{from_u128, to_u128},
	pallet::*,
	types::*,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		OnUnbalanced,
		fungible::{BalancedHold, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	ArithmeticError,
	traits::{Saturating, Verify, Zero},
};
use zoo_pallet_support::Deposits;
use zoo_primitives::VersionId;

impl<T: Config> Pallet<T> {
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_open_channel(
		who: T::AccountId,
		version: VersionId,
		offer_id: OfferId,
		provider: T::AccountId,
		deposit: BalanceOf<T>,
		expires_at: BlockNumberFor<T>,
		max_unit_price: BalanceOf<T>,
	) -> DispatchResult {
		Self::license_of(&version)?;
		let offer = Offers::<T>::get(version).get(&offer_id).cloned().ok_or(Error::<T>::UnknownOffer)?;
		ensure!(offer.kind == OfferKind::Usage, Error::<T>::NotAUsageOffer);
		ensure!(offer.price <= max_unit_price, Error::<T>::UnitPriceAboveMaximum);
		ensure!(!deposit.is_zero(), Error::<T>::ZeroDeposit);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			expires_at > now && expires_at <= now.saturating_add(T::MaxChannelDuration::get()),
			Error::<T>::InvalidExpiry
		);
		let record_deposit = T::ChannelDeposit::get();
		T::Currency::hold_deposit(
			&HoldReason::UsageChannel.into(),
			&who,
			deposit.saturating_add(record_deposit),
			Error::<T>::InsufficientBalance,
		)?;
		let id = NextChannelId::<T>::get();
		NextChannelId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		Channels::<T>::insert(
			id,
			Channel {
				payer: who.clone(),
				provider: provider.clone(),
				version,
				unit_price: offer.price,
				deposit,
				settled_units: 0,
				nonce: 0,
				expires_at,
				record_deposit,
			},
		);
		Self::deposit_event(Event::ChannelOpened { id, payer: who, provider, version, deposit, expires_at });
		Ok(())
	}

	/// The bytes a payer signs for a voucher of channel `channel`.
	pub fn voucher_payload(channel: ChannelId, nonce: u64, cumulative_units: u64) -> Vec<u8> {
		VoucherPayload {
			domain: *VOUCHER_DOMAIN,
			genesis: frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero()),
			channel,
			nonce,
			cumulative_units,
		}
		.encode()
	}

	pub(crate) fn do_settle(
		who: T::AccountId,
		id: ChannelId,
		cumulative_units: u64,
		nonce: u64,
		signature: T::OffchainSignature,
	) -> Result<u32, DispatchError> {
		let mut channel: ChannelOf<T> = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		ensure!(channel.provider == who, Error::<T>::NotProvider);
		ensure!(frame_system::Pallet::<T>::block_number() < channel.expires_at, Error::<T>::ChannelExpired);
		ensure!(nonce > channel.nonce, Error::<T>::StaleVoucher);
		ensure!(cumulative_units > channel.settled_units, Error::<T>::NothingToSettle);
		let units = cumulative_units - channel.settled_units;
		let amount = to_u128::<T>(channel.unit_price)
			.checked_mul(u128::from(units))
			.filter(|amount| *amount <= to_u128::<T>(channel.deposit))
			.ok_or(Error::<T>::VoucherOverDeposit)?;
		let amount = from_u128::<T>(amount);
		let payload = Self::voucher_payload(id, nonce, cumulative_units);
		ensure!(signature.verify(&payload[..], &channel.payer), Error::<T>::BadVoucherSignature);

		let reason = HoldReason::UsageChannel.into();
		let protocol_fee = T::ProtocolFee::get().mul_floor(amount);
		let rest = amount.saturating_sub(protocol_fee);
		if !protocol_fee.is_zero() {
			let (fee, missing) =
				<T::Currency as BalancedHold<T::AccountId>>::slash(&reason, &channel.payer, protocol_fee);
			debug_assert!(missing.is_zero(), "the channel's deposit is held; qed");
			T::OnProtocolFee::on_unbalanced(fee);
		}
		T::Currency::transfer_on_hold(
			&reason,
			&channel.payer,
			&Self::pot(),
			rest,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		let entries = Self::route_payment(channel.version, rest);
		channel.deposit = channel.deposit.saturating_sub(amount);
		channel.settled_units = cumulative_units;
		channel.nonce = nonce;
		Channels::<T>::insert(id, channel);
		Self::deposit_event(Event::ChannelSettled { id, units, amount, protocol_fee });
		Ok(entries)
	}

	pub(crate) fn do_refund(who: T::AccountId, id: ChannelId) -> DispatchResult {
		let channel = Channels::<T>::get(id).ok_or(Error::<T>::UnknownChannel)?;
		ensure!(channel.payer == who, Error::<T>::NotPayer);
		ensure!(frame_system::Pallet::<T>::block_number() >= channel.expires_at, Error::<T>::ChannelNotExpired);
		T::Currency::release_deposit(
			&HoldReason::UsageChannel.into(),
			&who,
			channel.deposit.saturating_add(channel.record_deposit),
		)?;
		Channels::<T>::remove(id);
		Self::deposit_event(Event::ChannelRefunded { id, refunded: channel.deposit });
		Ok(())
	}
}
