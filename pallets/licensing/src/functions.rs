//! The pallet's logic: what the calls do, the derivative rules, routing payments, key
//! releases, and the licence policy the registry calls at commit.

use crate::{
	pallet::*,
	royalty::{self, Bounds, ParentShare},
	spdx, BalanceOf, ChannelOf, GrantOf, KeyReleaseOf, OfferOf, RoyaltyTableOf, SplitOf, SplitRecordOf, TermsOf,
	WeightInfo,
};
use alloc::{vec, vec::Vec};
use codec::{Encode, MaxEncodedLen};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Balanced, BalancedHold, Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		OnUnbalanced,
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{
		AccountIdConversion, BlakeTwo256, Hash, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Verify, Zero,
	},
	ArithmeticError,
};
use zoo_primitives::{
	validate_seal_header, CurationHook, EdgeKind, License, LicensePolicy, Manifest, ModelAccess, ModelName, VersionId,
};

use crate::types::*;

/// A parent's licence as the derivative rules read it.
struct UpstreamRules {
	commercial: bool,
	allowed: EdgeKindSet,
	paid: EdgeKindSet,
	approval: bool,
	share_alike: bool,
	attribution: bool,
	restrictions: RestrictionSet,
	name_prefix: Option<zoo_primitives::Bytes<MAX_NAME_PREFIX_LEN>>,
	upstream_share: [Ppb; 7],
}

/// What the registry's commit needs from this pallet, worked out by `check_commit`.
pub struct CommitPlan<T: Config> {
	license: VersionLicense,
	table: RoyaltyTableOf<T>,
	split: SplitOf<T>,
	grants_used: Vec<VersionId>,
}

/// Everything the derivative rules found about a manifest.
struct Evaluation {
	refusals: Vec<Refusal>,
	obligations: Obligations,
	grants_used: Vec<VersionId>,
}

fn push_once(refusals: &mut Vec<Refusal>, refusal: Refusal) {
	if !refusals.contains(&refusal) {
		refusals.push(refusal);
	}
}

/// Add `more` to `into`; `false` when they cannot both hold (two different share-alike
/// licences, or two name prefixes neither of which starts the other).
fn merge_obligations(into: &mut Obligations, more: &Obligations) -> bool {
	into.non_commercial |= more.non_commercial;
	into.restrictions = RestrictionSet(into.restrictions.0 | more.restrictions.0);
	into.attribution |= more.attribution;
	let mut compatible = true;
	match (&into.share_alike, &more.share_alike) {
		(Some(a), Some(b)) if a != b => compatible = false,
		(None, Some(b)) => into.share_alike = Some(b.clone()),
		_ => {}
	}
	match (&into.name_prefix, &more.name_prefix) {
		(Some(a), Some(b)) if b.starts_with(a) => into.name_prefix = Some(b.clone()),
		(Some(a), Some(b)) if !a.starts_with(b) => compatible = false,
		(None, Some(b)) => into.name_prefix = Some(b.clone()),
		_ => {}
	}
	compatible
}

/// The part of a model name after `org/`.
fn name_part(model: &ModelName) -> &[u8] {
	match model.iter().position(|b| *b == b'/') {
		Some(slash) => &model[slash + 1..],
		None => &model[..],
	}
}

/// Whether a manifest carries attribution: a top-level `NOTICE` (or `NOTICE.*`) artifact, or
/// an `attribution` tag.
fn has_attribution(manifest: &Manifest) -> bool {
	manifest.artifacts.iter().any(|a| &a.path[..] == b"NOTICE" || a.path.starts_with(b"NOTICE."))
		|| manifest.tags.iter().any(|tag| &tag.key[..] == b"attribution")
}

/// A licence as the derivative rules compare licences: a sealed licence is its terms (sealing
/// changes who can read the files, not the licence), anything else itself.
fn unsealed(license: &License) -> License {
	match license {
		License::Sealed { terms, .. } => License::Terms(*terms),
		other => other.clone(),
	}
}

fn refusal_error<T: Config>(refusal: Refusal) -> Error<T> {
	match refusal {
		Refusal::UnknownTerms => Error::<T>::ManifestTermsUnknown,
		Refusal::UnknownParentLicense => Error::<T>::UnknownParentLicense,
		Refusal::UpstreamYanked => Error::<T>::UpstreamYanked,
		Refusal::UpstreamUnlicensed => Error::<T>::UpstreamUnlicensed,
		Refusal::DerivativeKindNotAllowed => Error::<T>::DerivativeKindNotAllowed,
		Refusal::DerivativeGrantRequired => Error::<T>::DerivativeGrantRequired,
		Refusal::ShareAlikeRequired => Error::<T>::ShareAlikeRequired,
		Refusal::UseRestrictionsDropped => Error::<T>::UseRestrictionsDropped,
		Refusal::NamePrefixRequired => Error::<T>::NamePrefixRequired,
		Refusal::AttributionRequired => Error::<T>::AttributionRequired,
		Refusal::NonCommercialUpstream => Error::<T>::NonCommercialUpstream,
		Refusal::ApprovalRequired => Error::<T>::ApprovalRequired,
		Refusal::IncompatibleParents => Error::<T>::IncompatibleParents,
		Refusal::UpstreamShareTooHigh => Error::<T>::UpstreamShareTooHigh,
	}
}

fn to_u128<T: Config>(amount: BalanceOf<T>) -> u128 {
	amount.unique_saturated_into()
}

fn from_u128<T: Config>(amount: u128) -> BalanceOf<T> {
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

	/// The key terms are deduplicated by.
	pub fn terms_hash(terms: &TermsOf<T>) -> [u8; 32] {
		BlakeTwo256::hash(&terms.encode()).0
	}

	fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount).map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		let released = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
		debug_assert!(released.is_ok(), "deposits recorded are held; qed");
	}

	fn ensure_admin(model: &ModelName, who: &T::AccountId) -> DispatchResult {
		ensure!(T::Models::model_exists(model), Error::<T>::UnknownModel);
		ensure!(T::Models::is_admin(model, who), Error::<T>::NotAdmin);
		Ok(())
	}

	fn license_of(version: &VersionId) -> Result<VersionLicense, DispatchError> {
		Licenses::<T>::get(version).ok_or_else(|| Error::<T>::UnknownVersion.into())
	}

	/// The terms a version is licensed under (sealed or not), for offers.
	fn offer_terms(license: &VersionLicense) -> Result<TermsOf<T>, DispatchError> {
		let Some(id) = license.license.terms() else { return Err(Error::<T>::OffersNeedTerms.into()) };
		Ok(TermsById::<T>::get(id).ok_or(Error::<T>::UnknownTerms)?.terms)
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
		Self::hold(HoldReason::TermsDeposit, &who, deposit)?;
		let id = NextTermsId::<T>::get();
		NextTermsId::<T>::put(id.checked_add(1).ok_or(ArithmeticError::Overflow)?);
		TermsByHash::<T>::insert(hash, id);
		TermsById::<T>::insert(id, TermsRecord { terms, registrant: who.clone(), deposit });
		Self::deposit_event(Event::TermsRegistered { id, registrant: who });
		Ok(id)
	}

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
			Self::release(HoldReason::SplitDeposit, &old.depositor, old.deposit);
		}
		Self::hold(HoldReason::SplitDeposit, &who, deposit)?;
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
				Self::hold(HoldReason::OfferDeposit, &who, deposit)?;
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
		Self::release(HoldReason::OfferDeposit, &offer.depositor, offer.deposit);
		if offers.is_empty() {
			Offers::<T>::remove(version);
		} else {
			Offers::<T>::insert(version, offers);
		}
		Self::deposit_event(Event::OfferRemoved { version, offer: offer_id });
		Ok(())
	}

	/// Credit `amount` to the vaults of `version`'s royalty table; returns the table's length.
	/// Routes `amount`, paid into the pot for `version`: offers its curation share to the
	/// version's curators (taken from the pot) and credits what they do not take to the vaults.
	/// Returns the royalty entries credited.
	fn route_payment(version: VersionId, amount: BalanceOf<T>) -> u32 {
		let share = T::CurationShare::get().mul_floor(amount);
		let not_taken = T::Curation::credit(&version, &Self::pot(), share);
		let taken = share.saturating_sub(not_taken);
		Self::credit_vaults(version, amount.saturating_sub(taken))
	}

	fn credit_vaults(version: VersionId, amount: BalanceOf<T>) -> u32 {
		let table = Royalties::<T>::get(version).unwrap_or_default();
		for (credited, share) in royalty::split_by_table(to_u128::<T>(amount), &table, version) {
			Vaults::<T>::mutate(credited, |total| *total = total.saturating_add(from_u128::<T>(share)));
		}
		table.len() as u32
	}

	pub(crate) fn do_purchase(
		who: T::AccountId,
		version: VersionId,
		offer_id: OfferId,
		max_price: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let license = Self::license_of(&version)?;
		let offer = Offers::<T>::get(version).get(&offer_id).cloned().ok_or(Error::<T>::UnknownOffer)?;
		let kind = match offer.kind {
			OfferKind::Use => GrantKind::Use,
			OfferKind::Derivative => GrantKind::Derivative,
			OfferKind::Usage => return Err(Error::<T>::UsageOfferNotPurchasable.into()),
		};
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
				Self::hold(HoldReason::GrantDeposit, &who, deposit)?;
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
		Self::release(HoldReason::GrantDeposit, &who, grant.deposit);
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
		Self::hold(HoldReason::ApprovalDeposit, &who, deposit)?;
		Approvals::<T>::insert(parent, &committer, (who, deposit));
		Self::deposit_event(Event::DerivativeApproved { parent, committer });
		Ok(())
	}

	pub(crate) fn do_revoke_approval(who: T::AccountId, parent: VersionId, committer: T::AccountId) -> DispatchResult {
		let license = Self::license_of(&parent)?;
		Self::ensure_admin(&license.model, &who)?;
		let (depositor, deposit) = Approvals::<T>::take(parent, &committer).ok_or(Error::<T>::UnknownApproval)?;
		Self::release(HoldReason::ApprovalDeposit, &depositor, deposit);
		Self::deposit_event(Event::ApprovalRevoked { parent, committer });
		Ok(())
	}

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
		Self::hold(HoldReason::UsageChannel, &who, deposit.saturating_add(record_deposit))?;
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
		Self::release(HoldReason::UsageChannel, &who, channel.deposit.saturating_add(channel.record_deposit));
		Channels::<T>::remove(id);
		Self::deposit_event(Event::ChannelRefunded { id, refunded: channel.deposit });
		Ok(())
	}

	pub(crate) fn do_set_recipient(who: T::AccountId, key: RecipientKey) -> DispatchResult {
		let deposit = match Recipients::<T>::get(&who) {
			Some(record) => record.deposit,
			None => {
				let deposit = T::RecipientDeposit::get();
				Self::hold(HoldReason::RecipientDeposit, &who, deposit)?;
				deposit
			}
		};
		Recipients::<T>::insert(&who, Recipient { key, deposit });
		Self::deposit_event(Event::RecipientSet { who, key });
		Ok(())
	}

	pub(crate) fn do_clear_recipient(who: T::AccountId) -> DispatchResult {
		let record = Recipients::<T>::take(&who).ok_or(Error::<T>::NoRecipient)?;
		Self::release(HoldReason::RecipientDeposit, &who, record.deposit);
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
		headers: KeyHeaders,
	) -> DispatchResult {
		let license = Self::license_of(&version)?;
		Self::ensure_admin(&license.model, &who)?;
		ensure!(matches!(license.license, License::Sealed { .. }), Error::<T>::NotSealed);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(Self::may_use_under(&license, version, &grantee, now), Error::<T>::NoGrant);
		let recipient = Recipients::<T>::get(&grantee).ok_or(Error::<T>::NoRecipient)?.key;
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
		Self::hold(HoldReason::KeyReleaseDeposit, &who, deposit)?;
		let release: KeyReleaseOf<T> = KeyRelease { by: who.clone(), recipient, released_at: now, headers, deposit };
		ReleasedKeys::<T>::insert(version, &grantee, release);
		Self::deposit_event(Event::KeyReleased { version, grantee, by: who, recipient });
		Ok(())
	}

	pub(crate) fn do_may_use(version: VersionId, who: &T::AccountId, at: BlockNumberFor<T>) -> bool {
		Licenses::<T>::get(version).is_some_and(|license| Self::may_use_under(&license, version, who, at))
	}

	/// Whether `who` may use `version`, licensed as `license`, commercially at block `at`.
	fn may_use_under(license: &VersionLicense, version: VersionId, who: &T::AccountId, at: BlockNumberFor<T>) -> bool {
		if T::Models::is_admin(&license.model, who) {
			return true;
		}
		match &license.license {
			License::Terms(id) | License::Sealed { terms: id, .. } => {
				TermsById::<T>::get(id).is_some_and(|record| record.terms.commercial_use)
					&& Grants::<T>::get((version, who, GrantKind::Use)).is_some_and(|grant| grant.holds_at(&at))
			}
			License::Spdx(expression) => {
				let class = spdx::classify(expression);
				class.known && class.commercial
			}
			License::Unspecified => false,
		}
	}

	/// A licence's rules for derivatives, or `None` when it has none this pallet understands.
	fn upstream_rules(license: &License) -> Option<UpstreamRules> {
		match license {
			License::Terms(id) | License::Sealed { terms: id, .. } => TermsById::<T>::get(id).map(|record| {
				let terms = record.terms;
				UpstreamRules {
					commercial: terms.commercial_use,
					allowed: terms.derivatives_allowed,
					paid: terms.derivatives_paid,
					approval: terms.approval_required,
					share_alike: terms.share_alike,
					attribution: terms.attribution_required,
					restrictions: terms.restrictions,
					name_prefix: terms.name_prefix,
					upstream_share: terms.upstream_share,
				}
			}),
			License::Spdx(expression) => {
				let class = spdx::classify(expression);
				class.known.then_some(UpstreamRules {
					commercial: class.commercial,
					allowed: if class.derivatives { EdgeKindSet::ALL_DERIVATIONS } else { EdgeKindSet::NONE },
					paid: EdgeKindSet::NONE,
					approval: false,
					share_alike: class.share_alike,
					attribution: false,
					restrictions: RestrictionSet::default(),
					name_prefix: None,
					upstream_share: [0; 7],
				})
			}
			License::Unspecified => None,
		}
	}

	/// Whether a manifest's own licence allows commercial use (an unknown one is taken to).
	fn licenses_commercial_use(license: &License) -> bool {
		match license {
			License::Terms(id) | License::Sealed { terms: id, .. } => {
				TermsById::<T>::get(id).is_none_or(|record| record.terms.commercial_use)
			}
			License::Spdx(expression) => {
				let class = spdx::classify(expression);
				!class.known || class.commercial
			}
			License::Unspecified => true,
		}
	}

	/// The derivative rules applied to `manifest` committed by `who`: every refusal, what the
	/// version will owe, and the derivative grants the commit uses.
	fn evaluate(manifest: &Manifest, who: &T::AccountId) -> Evaluation {
		let mut refusals = Vec::new();
		let mut obligations = Obligations::default();
		let mut grants_used = Vec::new();
		let now = frame_system::Pallet::<T>::block_number();
		let own_terms = manifest.license.terms().and_then(|id| {
			let terms = TermsById::<T>::get(id).map(|record| record.terms);
			if terms.is_none() {
				push_once(&mut refusals, Refusal::UnknownTerms);
			}
			terms
		});
		// (licence, commercial, share-alike) of each parent of another model.
		let mut upstream: Vec<(License, bool, bool)> = Vec::new();
		for parent in manifest.parents.iter() {
			let Some(record) = Licenses::<T>::get(parent.id) else {
				push_once(&mut refusals, Refusal::UnknownParentLicense);
				continue;
			};
			let mut inherited = record.obligations.clone();
			if record.model != manifest.model {
				// As in the registry: a yanked version is built on only by its own model's admins.
				if T::Models::is_yanked(&parent.id) && !T::Models::is_admin(&record.model, who) {
					push_once(&mut refusals, Refusal::UpstreamYanked);
				}
				match Self::upstream_rules(&record.license) {
					None => {
						if !T::Models::is_admin(&record.model, who) {
							push_once(&mut refusals, Refusal::UpstreamUnlicensed);
						}
					}
					Some(rules) => {
						if !rules.allowed.contains(parent.edge) {
							push_once(&mut refusals, Refusal::DerivativeKindNotAllowed);
						} else if rules.paid.contains(parent.edge) {
							let grant = Grants::<T>::get((parent.id, who, GrantKind::Derivative));
							if grant.is_some_and(|grant| grant.credits > 0 && grant.holds_at(&now)) {
								grants_used.push(parent.id);
							} else {
								push_once(&mut refusals, Refusal::DerivativeGrantRequired);
							}
						}
						if rules.approval && !Approvals::<T>::contains_key(parent.id, who) {
							push_once(&mut refusals, Refusal::ApprovalRequired);
						}
						let own = Obligations {
							non_commercial: !rules.commercial,
							share_alike: rules.share_alike.then(|| unsealed(&record.license)),
							restrictions: rules.restrictions,
							attribution: rules.attribution,
							name_prefix: rules.name_prefix,
						};
						if !merge_obligations(&mut inherited, &own) {
							push_once(&mut refusals, Refusal::IncompatibleParents);
						}
						upstream.push((unsealed(&record.license), rules.commercial, rules.share_alike));
					}
				}
			}
			if !merge_obligations(&mut obligations, &inherited) {
				push_once(&mut refusals, Refusal::IncompatibleParents);
			}
		}
		if let Some((_, commercial, _)) = upstream.first() {
			let disagree = upstream.iter().any(|(_, other, _)| other != commercial);
			let share_alike_conflict = upstream.iter().any(|(_, _, share_alike)| *share_alike)
				&& upstream.iter().any(|(license, _, _)| *license != upstream[0].0);
			if disagree || share_alike_conflict {
				push_once(&mut refusals, Refusal::IncompatibleParents);
			}
		}
		if obligations.non_commercial && Self::licenses_commercial_use(&manifest.license) {
			push_once(&mut refusals, Refusal::NonCommercialUpstream);
		}
		if obligations.share_alike.as_ref().is_some_and(|license| *license != unsealed(&manifest.license)) {
			push_once(&mut refusals, Refusal::ShareAlikeRequired);
		}
		let own_restrictions = own_terms.as_ref().map(|terms| terms.restrictions).unwrap_or_default();
		if !obligations.restrictions.is_subset_of(own_restrictions) {
			push_once(&mut refusals, Refusal::UseRestrictionsDropped);
		}
		if obligations.name_prefix.as_ref().is_some_and(|prefix| !name_part(&manifest.model).starts_with(prefix)) {
			push_once(&mut refusals, Refusal::NamePrefixRequired);
		}
		if obligations.attribution && !has_attribution(manifest) {
			push_once(&mut refusals, Refusal::AttributionRequired);
		}
		Evaluation { refusals, obligations, grants_used }
	}

	/// The royalty table of `manifest` (content ID `id`), built from its parents' tables.
	fn build_table(id: VersionId, manifest: &Manifest) -> Result<Vec<RoyaltyEntry>, Refusal> {
		let mut parents: Vec<(VersionId, bool, Ppb, RoyaltyTableOf<T>)> = Vec::with_capacity(manifest.parents.len());
		for parent in manifest.parents.iter() {
			let record = Licenses::<T>::get(parent.id).ok_or(Refusal::UnknownParentLicense)?;
			let same_model = record.model == manifest.model;
			let share = match Self::upstream_rules(&record.license) {
				Some(rules) if !same_model && rules.allowed.contains(parent.edge) => {
					rules.upstream_share[parent.edge as usize]
				}
				_ => 0,
			};
			let table = Royalties::<T>::get(parent.id).unwrap_or_default();
			parents.push((parent.id, same_model, share, table));
		}
		let shares: Vec<ParentShare<'_>> = parents
			.iter()
			.map(|(id, same_model, share, table)| ParentShare {
				id: *id,
				same_model: *same_model,
				upstream_share: *share,
				table,
			})
			.collect();
		let bounds = Bounds {
			max_entries: T::MaxRoyaltyEntries::get(),
			max_hops: T::MaxHops::get(),
			max_upstream: T::MaxUpstreamShare::get(),
		};
		royalty::build_table(id, &shares, bounds).map_err(|_| Refusal::UpstreamShareTooHigh)
	}

	pub(crate) fn preview_table(manifest: &Manifest) -> Result<Vec<RoyaltyEntry>, Refusal> {
		Self::build_table(manifest.id(), manifest)
	}

	pub(crate) fn all_refusals(manifest: &Manifest, who: &T::AccountId) -> Vec<Refusal> {
		let mut refusals = Self::evaluate(manifest, who).refusals;
		if let Err(refusal) = Self::build_table(manifest.id(), manifest) {
			push_once(&mut refusals, refusal);
		}
		refusals
	}

	/// The split a version of `model` snapshots: the model's, or its owner's alone.
	fn split_for(model: &ModelName) -> SplitOf<T> {
		match ModelSplits::<T>::get(model) {
			Some(SplitRecordOf::<T> { split, .. }) => split,
			None => T::Models::model_owner(model)
				.map(|owner| vec![(owner, FULL_BPS)])
				.unwrap_or_default()
				.try_into()
				.expect("MaxContributors is at least 1 (integrity test); qed"),
		}
	}
}

impl<T: Config> LicensePolicy<T::AccountId> for Pallet<T> {
	type Plan = CommitPlan<T>;
	type Error = DispatchError;
	type Weight = Weight;

	fn check_commit(
		id: VersionId,
		manifest: &Manifest,
		committer: &T::AccountId,
	) -> Result<(CommitPlan<T>, u32), DispatchError> {
		let evaluation = Self::evaluate(manifest, committer);
		if let Some(refusal) = evaluation.refusals.first() {
			return Err(refusal_error::<T>(*refusal).into());
		}
		let table: RoyaltyTableOf<T> = Self::build_table(id, manifest)
			.map_err(refusal_error::<T>)?
			.try_into()
			.map_err(|_| Error::<T>::UpstreamShareTooHigh)?;
		let split = Self::split_for(&manifest.model);
		let license = VersionLicense {
			model: manifest.model.clone(),
			license: manifest.license.clone(),
			obligations: evaluation.obligations,
		};
		// Keys are a version ID (32 bytes) and, for claims, an account; a vault and a claim
		// hold one balance each.
		let key = VersionId::max_encoded_len();
		let balance = BalanceOf::<T>::max_encoded_len();
		let account = T::AccountId::max_encoded_len();
		let bytes = key
			+ license.encoded_size()
			+ key + table.encoded_size()
			+ key + split.encoded_size()
			+ key + balance
			+ split.len() * (key + account + balance);
		Ok((CommitPlan { license, table, split, grants_used: evaluation.grants_used }, bytes as u32))
	}

	fn on_commit(id: VersionId, _: &Manifest, committer: &T::AccountId, plan: CommitPlan<T>) {
		for parent in plan.grants_used {
			Grants::<T>::mutate((parent, committer, GrantKind::Derivative), |grant| {
				if let Some(grant) = grant {
					grant.credits = grant.credits.saturating_sub(1);
				}
			});
			Self::deposit_event(Event::DerivativeGrantUsed { parent, child: id, holder: committer.clone() });
		}
		let upstream = plan.table.iter().filter(|entry| entry.version != id).map(|entry| entry.share).sum();
		let entries = plan.table.len() as u32;
		Licenses::<T>::insert(id, plan.license);
		Royalties::<T>::insert(id, plan.table);
		VersionSplits::<T>::insert(id, plan.split);
		Self::deposit_event(Event::RoyaltiesRecorded { version: id, entries, upstream });
	}

	fn commit_weight(parents: u32) -> Weight {
		T::WeightInfo::commit_hook(parents)
	}
}
