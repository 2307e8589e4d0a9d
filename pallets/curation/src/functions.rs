//! The pallet's logic: what the calls do, the touch (activation, rewards, lazy slashes), fee
//! credits and escrow, verdicts and the ranking. The hooks other pallets call are in
//! `impl_curation_hook.rs` and `impl_dispute_gate.rs`.

use crate::{BalanceOf, PositionOf, TargetOf, pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Balanced, BalancedHold, Credit, Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, imbalance::Imbalance},
	},
};
use sp_runtime::{
	FixedPointNumber, FixedU128, Perbill, Rounding,
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{AccountIdConversion, One, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero},
};
use zoo_pallet_support::Deposits;
use zoo_primitives::{VersionId, VersionInspect, VersionYank};

/// 1 in [`FixedU128`]'s inner representation.
const ONE: u128 = <FixedU128 as FixedPointNumber>::DIV;

fn wide<T: Config>(amount: BalanceOf<T>) -> u128 {
	amount.unique_saturated_into()
}

fn narrow<T: Config>(amount: u128) -> BalanceOf<T> {
	BalanceOf::<T>::unique_saturated_from(amount)
}

/// `a * b / c`, rounded down (`u128::MAX` if it does not fit; `c` is never zero here).
fn mul_div(a: u128, b: u128, c: u128) -> u128 {
	if c == 0 {
		return 0;
	}
	multiply_by_rational_with_rounding(a, b, c, Rounding::Down).unwrap_or(u128::MAX)
}

/// The balance `points` are worth at `factor`, rounded down.
pub(crate) fn value_of<T: Config>(points: BalanceOf<T>, factor: FixedU128) -> BalanceOf<T> {
	narrow::<T>(mul_div(wide::<T>(points), factor.into_inner(), ONE))
}

/// The points `amount` buys at `factor` (not zero), rounded down.
fn points_for<T: Config>(amount: BalanceOf<T>, factor: FixedU128) -> BalanceOf<T> {
	narrow::<T>(mul_div(wide::<T>(amount), ONE, factor.into_inner()))
}

/// The reward `points` earned while the accumulator grew from `from` to `to`, rounded down.
fn reward<T: Config>(points: BalanceOf<T>, from: FixedU128, to: FixedU128) -> BalanceOf<T> {
	let growth = to.into_inner().saturating_sub(from.into_inner());
	narrow::<T>(mul_div(wide::<T>(points), growth, ONE))
}

/// All the points of a position: active, pending and unbonding.
pub(crate) fn position_points<T: Config>(position: &PositionOf<T>) -> BalanceOf<T> {
	position
		.unbonding
		.iter()
		.fold(position.active.saturating_add(position.pending), |sum, chunk| sum.saturating_add(chunk.points))
}

/// A target's bonded stake: its active and pending points at its factor.
pub(crate) fn bonded_stake<T: Config>(target: &TargetOf<T>) -> BalanceOf<T> {
	value_of::<T>(target.active_points.saturating_add(target.pending_points), target.factor)
}

impl<T: Config> Pallet<T> {
	/// The account that holds credited fees not yet claimed, and escrows.
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

	/// The era of the current block.
	pub fn current_era() -> EraIndex {
		let now = frame_system::Pallet::<T>::block_number();
		(now / T::EraLength::get()).unique_saturated_into()
	}

	pub(crate) fn new_target() -> TargetOf<T> {
		let era = Self::current_era();
		Target {
			active_points: Zero::zero(),
			pending_points: Zero::zero(),
			pending_era: era,
			unbonding_points: Zero::zero(),
			factor: FixedU128::one(),
			acc: FixedU128::zero(),
			fees_lifetime: Zero::zero(),
			fees_ema: Zero::zero(),
			ema_era: era,
			curators: 0,
			dispute: None,
			escrow: Zero::zero(),
			slash_route: None,
			streaming: Zero::zero(),
			streaming_era: era,
		}
	}

	fn new_position(target: &TargetOf<T>) -> PositionOf<T> {
		Position {
			active: Zero::zero(),
			pending: Zero::zero(),
			pending_era: Self::current_era(),
			acc_paid: target.acc,
			owed: Zero::zero(),
			unbonding: Default::default(),
			held: Zero::zero(),
		}
	}

	/// `fees_ema` decayed from its era to `era`.
	pub(crate) fn decayed_ema(target: &TargetOf<T>, era: EraIndex) -> BalanceOf<T> {
		let eras = era.saturating_sub(target.ema_era);
		if eras == 0 {
			return target.fees_ema;
		}
		T::FeeDecay::get().saturating_pow(eras as usize).mul_floor(target.fees_ema)
	}

	/// Whether the credits streaming on `target` are shared at a touch in `era`: they are of
	/// an earlier era and some points are active to share them.
	pub(crate) fn stream_due(target: &TargetOf<T>, era: EraIndex) -> bool {
		!target.streaming.is_zero() && target.streaming_era < era && !target.active_points.is_zero()
	}

	/// Share the stream into the accumulator if it is due in `era`; returns whether it was.
	fn share_stream(target: &mut TargetOf<T>, era: EraIndex) -> bool {
		let due = Self::stream_due(target, era);
		if due {
			let amount = core::mem::take(&mut target.streaming);
			Self::distribute(target, amount);
		}
		due
	}

	/// Share the credits of an earlier era over the points active now, then activate the
	/// target's pending points if they were added in an era before `era`, recording the
	/// accumulator they activate at. In that order: points that join now were not active
	/// through the era the credits were paid in. A stream nobody is active to share waits
	/// for points that stay active through the era from now.
	pub(crate) fn roll(version: &VersionId, target: &mut TargetOf<T>, era: EraIndex) {
		if !Self::share_stream(target, era) && !target.streaming.is_zero() && target.streaming_era < era {
			target.streaming_era = era;
		}
		if !target.pending_points.is_zero() && target.pending_era < era {
			ActivationAcc::<T>::insert(version, target.pending_era, (target.acc, target.pending_points));
			target.active_points = target.active_points.saturating_add(target.pending_points);
			target.pending_points = Zero::zero();
		}
		if target.pending_points.is_zero() {
			target.pending_era = era;
		}
	}

	/// Touch `who`'s position: activate the target's past pending points, settle the
	/// position's rewards, activate its own pending points, and realize any slash.
	pub(crate) fn touch(
		version: &VersionId,
		target: &mut TargetOf<T>,
		who: &T::AccountId,
		position: &mut PositionOf<T>,
	) {
		let era = Self::current_era();
		Self::roll(version, target, era);
		position.owed = position.owed.saturating_add(reward::<T>(position.active, position.acc_paid, target.acc));
		position.acc_paid = target.acc;
		if !position.pending.is_zero() && position.pending_era < era {
			let (at, left) =
				ActivationAcc::<T>::get(version, position.pending_era).unwrap_or((target.acc, Zero::zero()));
			position.owed = position.owed.saturating_add(reward::<T>(position.pending, at, target.acc));
			let left = left.saturating_sub(position.pending);
			if left.is_zero() {
				ActivationAcc::<T>::remove(version, position.pending_era);
			} else {
				ActivationAcc::<T>::insert(version, position.pending_era, (at, left));
			}
			let points = core::mem::take(&mut position.pending);
			position.active = position.active.saturating_add(points);
			Self::deposit_event(Event::Activated { version: *version, who: who.clone(), points });
		}
		let effective = value_of::<T>(position_points::<T>(position), target.factor);
		if position.held > effective {
			let amount = position.held.saturating_sub(effective);
			Self::realize_slash(version, who, amount, target.slash_route.as_ref());
			position.held = effective;
		}
	}

	/// Slash `amount` from `who`'s stake hold: the route's share to its reporter, the rest
	/// burned.
	fn realize_slash(
		version: &VersionId,
		who: &T::AccountId,
		amount: BalanceOf<T>,
		route: Option<&SlashRoute<T::AccountId>>,
	) {
		let (credit, _) =
			<T::Currency as BalancedHold<T::AccountId>>::slash(&HoldReason::CurationStake.into(), who, amount);
		let slashed = credit.peek();
		let mut to_reporter = Zero::zero();
		if let Some(route) = route {
			let cut = route.reporter_share.mul_floor(slashed);
			let (pay, burn): (Credit<T::AccountId, T::Currency>, _) = credit.split(cut);
			if <T::Currency as Balanced<T::AccountId>>::resolve(&route.reporter, pay).is_ok() {
				to_reporter = cut;
			}
			drop(burn);
		} else {
			drop(credit);
		}
		Self::deposit_event(Event::Slashed { version: *version, who: who.clone(), amount: slashed, to_reporter });
	}

	/// Store `position`, or remove it (and count one curator fewer) when nothing is left in it.
	fn put_position(version: &VersionId, target: &mut TargetOf<T>, who: &T::AccountId, position: PositionOf<T>) {
		if position_points::<T>(&position).is_zero() && position.owed.is_zero() && position.held.is_zero() {
			Positions::<T>::remove(version, who);
			target.curators = target.curators.saturating_sub(1);
		} else {
			Positions::<T>::insert(version, who, position);
		}
	}

	/// Move `version` in [`TopByStake`] to `stake` (out of it when not `listed` or zero).
	pub(crate) fn update_top(version: &VersionId, stake: BalanceOf<T>, listed: bool) {
		TopByStake::<T>::mutate(|top| {
			if let Some(index) = top.iter().position(|(v, _)| v == version) {
				top.remove(index);
			}
			if !listed || stake.is_zero() {
				return;
			}
			let index = top.binary_search_by(|(v, s)| stake.cmp(s).then(v.cmp(version))).unwrap_or_else(|index| index);
			let _ = top.force_insert_keep_left(index, (*version, stake));
		});
	}

	/// What [`ModelTotals`] sums of a target.
	pub(crate) fn figures(target: &TargetOf<T>) -> (BalanceOf<T>, u32, BalanceOf<T>) {
		(bonded_stake::<T>(target), target.curators, target.fees_lifetime)
	}

	/// Move `version`'s model's totals from `before` to what `target` has now.
	fn sync_model(version: &VersionId, before: (BalanceOf<T>, u32, BalanceOf<T>), target: &TargetOf<T>) {
		let after = Self::figures(target);
		if before == after {
			return;
		}
		let Some(model) = T::Versions::version_model(version) else { return };
		ModelTotals::<T>::mutate_exists(model, |slot| {
			let mut figures = slot.take().unwrap_or_default();
			figures.stake = figures.stake.saturating_sub(before.0).saturating_add(after.0);
			figures.curators = figures.curators.saturating_sub(before.1).saturating_add(after.1);
			figures.fees_lifetime = figures.fees_lifetime.saturating_sub(before.2).saturating_add(after.2);
			if figures != ModelFigures::default() {
				*slot = Some(figures);
			}
		});
	}

	/// Add `amount` to the accumulator, over the active points (which are not zero).
	fn distribute(target: &mut TargetOf<T>, amount: BalanceOf<T>) {
		let growth = mul_div(wide::<T>(amount), ONE, wide::<T>(target.active_points));
		target.acc = FixedU128::from_inner(target.acc.into_inner().saturating_add(growth));
	}

	pub(crate) fn do_stake(who: T::AccountId, version: VersionId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(amount >= T::MinStake::get(), Error::<T>::StakeTooLow);
		ensure!(T::Versions::exists(&version), Error::<T>::UnknownVersion);
		ensure!(!T::Versions::is_yanked(&version), Error::<T>::VersionYanked);
		let mut target = Targets::<T>::get(version).unwrap_or_else(Self::new_target);
		let before = Self::figures(&target);
		ensure!(target.dispute.is_none(), Error::<T>::DisputeOpen);
		let min_factor = u128::from(T::MinFactor::get().deconstruct()).saturating_mul(ONE / 1_000_000_000);
		ensure!(target.factor.into_inner() >= min_factor, Error::<T>::FactorTooLow);
		let points = points_for::<T>(amount, target.factor);
		let (mut position, new) = match Positions::<T>::get(version, &who) {
			Some(position) => (position, false),
			None => (Self::new_position(&target), true),
		};
		Self::touch(&version, &mut target, &who, &mut position);
		// After the touch the position holds exactly its points' worth; hold what the new points
		// add to it (the sum of two roundings down could fall a unit short), at most `amount`.
		let worth = value_of::<T>(position_points::<T>(&position).saturating_add(points), target.factor);
		let value = worth.saturating_sub(position.held);
		T::Currency::hold_deposit(&HoldReason::CurationStake.into(), &who, value, Error::<T>::InsufficientBalance)?;
		let era = Self::current_era();
		target.pending_points = target.pending_points.saturating_add(points);
		target.pending_era = era;
		position.pending = position.pending.saturating_add(points);
		position.pending_era = era;
		position.held = position.held.saturating_add(value);
		if new {
			target.curators = target.curators.saturating_add(1);
		}
		Positions::<T>::insert(version, &who, position);
		Self::update_top(&version, bonded_stake::<T>(&target), true);
		Self::sync_model(&version, before, &target);
		Targets::<T>::insert(version, target);
		Self::deposit_event(Event::Staked { version, who, amount: value, points });
		Ok(())
	}

	pub(crate) fn do_unbond(who: T::AccountId, version: VersionId, amount: BalanceOf<T>) -> DispatchResult {
		let mut position = Positions::<T>::get(version, &who).ok_or(Error::<T>::NoPosition)?;
		let mut target = Targets::<T>::get(version).ok_or(Error::<T>::NoPosition)?;
		let before = Self::figures(&target);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::touch(&version, &mut target, &who, &mut position);
		let bonded = position.active.saturating_add(position.pending);
		let points = if target.factor.is_zero() { bonded } else { points_for::<T>(amount, target.factor).min(bonded) };
		ensure!(!points.is_zero(), Error::<T>::ZeroAmount);
		let rest = bonded.saturating_sub(points);
		ensure!(
			rest.is_zero() || value_of::<T>(rest, target.factor) >= T::MinStake::get(),
			Error::<T>::RemainderTooLow
		);
		let unlock_at = frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		match position.unbonding.last_mut() {
			Some(last) if last.unlock_at == unlock_at => last.points = last.points.saturating_add(points),
			_ => position.unbonding.try_push(Chunk { points, unlock_at }).map_err(|_| Error::<T>::TooManyChunks)?,
		}
		let from_pending = points.min(position.pending);
		let from_active = points.saturating_sub(from_pending);
		position.pending.saturating_reduce(from_pending);
		target.pending_points.saturating_reduce(from_pending);
		position.active.saturating_reduce(from_active);
		target.active_points.saturating_reduce(from_active);
		target.unbonding_points.saturating_accrue(points);
		Positions::<T>::insert(version, &who, position);
		let listed = !T::Versions::is_yanked(&version);
		Self::update_top(&version, bonded_stake::<T>(&target), listed);
		let amount = value_of::<T>(points, target.factor);
		Self::sync_model(&version, before, &target);
		Targets::<T>::insert(version, target);
		Self::deposit_event(Event::Unbonding { version, who, amount, points, unlock_at });
		Ok(())
	}

	/// Returns how many chunks were withdrawn.
	pub(crate) fn do_withdraw(who: T::AccountId, version: VersionId) -> Result<u32, DispatchError> {
		let mut position = Positions::<T>::get(version, &who).ok_or(Error::<T>::NoPosition)?;
		let mut target = Targets::<T>::get(version).ok_or(Error::<T>::NoPosition)?;
		let before = Self::figures(&target);
		ensure!(target.dispute.is_none(), Error::<T>::DisputeOpen);
		Self::touch(&version, &mut target, &who, &mut position);
		let now = frame_system::Pallet::<T>::block_number();
		let chunks = position.unbonding.iter().filter(|chunk| chunk.unlock_at <= now).count() as u32;
		ensure!(chunks > 0, Error::<T>::NothingToWithdraw);
		let mut points = BalanceOf::<T>::zero();
		position.unbonding.retain(|chunk| {
			if chunk.unlock_at <= now {
				points.saturating_accrue(chunk.points);
				false
			} else {
				true
			}
		});
		target.unbonding_points.saturating_reduce(points);
		let held = value_of::<T>(position_points::<T>(&position), target.factor);
		let amount = position.held.saturating_sub(held);
		T::Currency::release(&HoldReason::CurationStake.into(), &who, amount, Precision::Exact)?;
		position.held = held;
		Self::put_position(&version, &mut target, &who, position);
		Self::sync_model(&version, before, &target);
		Targets::<T>::insert(version, target);
		Self::deposit_event(Event::Withdrawn { version, who, amount });
		Ok(chunks)
	}

	pub(crate) fn do_claim(who: T::AccountId, version: VersionId) -> DispatchResult {
		let mut position = Positions::<T>::get(version, &who).ok_or(Error::<T>::NoPosition)?;
		let mut target = Targets::<T>::get(version).ok_or(Error::<T>::NoPosition)?;
		let before = Self::figures(&target);
		Self::touch(&version, &mut target, &who, &mut position);
		let amount = core::mem::take(&mut position.owed);
		if !amount.is_zero() {
			T::Currency::transfer(&Self::pot(), &who, amount, Preservation::Preserve)
				.map_err(|_| Error::<T>::PotInsufficient)?;
			Self::deposit_event(Event::Claimed { version, who: who.clone(), amount });
		}
		Self::put_position(&version, &mut target, &who, position);
		Self::sync_model(&version, before, &target);
		Targets::<T>::insert(version, target);
		Ok(())
	}

	pub(crate) fn do_activate(who: T::AccountId, version: VersionId) -> DispatchResult {
		let mut position = Positions::<T>::get(version, &who).ok_or(Error::<T>::NoPosition)?;
		let mut target = Targets::<T>::get(version).ok_or(Error::<T>::NoPosition)?;
		let before = Self::figures(&target);
		Self::touch(&version, &mut target, &who, &mut position);
		Self::put_position(&version, &mut target, &who, position);
		Self::sync_model(&version, before, &target);
		Targets::<T>::insert(version, target);
		Ok(())
	}

	pub(crate) fn do_open_dispute(
		who: T::AccountId,
		version: VersionId,
		reason: DisputeReason,
		evidence: Evidence,
	) -> DispatchResult {
		ensure!(T::Versions::exists(&version), Error::<T>::UnknownVersion);
		let mut target = Targets::<T>::get(version).unwrap_or_else(Self::new_target);
		// A yank must not end the slashing risk (audit A3-02): a version its owner yanked stays
		// disputable while stake, bonded or unbonding, is still held on it.
		ensure!(!T::Versions::is_yanked(&version) || Self::holds_stake(&target), Error::<T>::VersionYanked);
		ensure!(target.dispute.is_none(), Error::<T>::DisputeOpen);
		let bond = T::DisputeBond::get();
		T::Currency::hold_deposit(&HoldReason::DisputeBond.into(), &who, bond, Error::<T>::InsufficientBalance)?;
		let id = NextDisputeId::<T>::get();
		NextDisputeId::<T>::put(id.saturating_add(1));
		let opened_at = frame_system::Pallet::<T>::block_number();
		let expires_at = opened_at.saturating_add(T::DisputeTimeout::get());
		Disputes::<T>::insert(
			id,
			Dispute { version, reporter: who.clone(), reason, evidence, bond, opened_at, expires_at },
		);
		target.dispute = Some(id);
		Targets::<T>::insert(version, target);
		Self::deposit_event(Event::DisputeOpened { id, version, reporter: who, reason });
		Ok(())
	}

	/// Pay `amount` of escrow from the pot to `to`, or burn it; returns where it went.
	fn pay_escrow(amount: BalanceOf<T>, to: Option<T::AccountId>) -> Option<T::AccountId> {
		if amount.is_zero() {
			return to;
		}
		let pot = Self::pot();
		if let Some(to) = to {
			if T::Currency::transfer(&pot, &to, amount, Preservation::Preserve).is_ok() {
				return Some(to);
			}
		}
		let _ = T::Currency::burn_from(&pot, amount, Preservation::Preserve, Precision::BestEffort, Fortitude::Polite);
		None
	}

	/// Whether any stake, bonded or unbonding, is still held on the target.
	fn holds_stake(target: &TargetOf<T>) -> bool {
		!(target.active_points.is_zero() && target.pending_points.is_zero() && target.unbonding_points.is_zero())
	}

	pub(crate) fn do_resolve_dispute(
		id: DisputeId,
		upheld: bool,
		slash: Perbill,
		reporter_share: Perbill,
		redirect_to: Option<T::AccountId>,
	) -> DispatchResult {
		let dispute = Disputes::<T>::take(id).ok_or(Error::<T>::UnknownDispute)?;
		let version = dispute.version;
		let mut target = Targets::<T>::get(version).ok_or(Error::<T>::UnknownDispute)?;
		let before = Self::figures(&target);
		Self::roll(&version, &mut target, Self::current_era());
		target.dispute = None;
		let bond_reason = HoldReason::DisputeBond.into();
		if upheld {
			let keep = Perbill::one().saturating_sub(slash);
			target.factor = FixedU128::from_inner(keep.mul_floor(target.factor.into_inner()));
			if !slash.is_zero() {
				target.slash_route = Some(SlashRoute { reporter: dispute.reporter.clone(), reporter_share });
			}
			T::Currency::release(&bond_reason, &dispute.reporter, dispute.bond, Precision::BestEffort)?;
			let escrow = core::mem::take(&mut target.escrow);
			let escrow_to = Self::pay_escrow(escrow, redirect_to);
			T::Versions::yank(&version, dispute.reason.yank_reason());
			Self::update_top(&version, Zero::zero(), false);
			Self::sync_model(&version, before, &target);
			Targets::<T>::insert(version, target);
			Self::deposit_event(Event::DisputeUpheld { id, version, slash, reporter_share, escrow, escrow_to });
		} else {
			let (bond_burned, escrow) = Self::dismiss(&dispute, target, before);
			Self::deposit_event(Event::DisputeRejected { id, version, bond_burned, escrow });
		}
		Ok(())
	}

	pub(crate) fn do_close_lapsed_dispute(id: DisputeId) -> DispatchResult {
		let dispute = Disputes::<T>::get(id).ok_or(Error::<T>::UnknownDispute)?;
		ensure!(frame_system::Pallet::<T>::block_number() >= dispute.expires_at, Error::<T>::DisputeNotLapsed);
		let version = dispute.version;
		let mut target = Targets::<T>::get(version).ok_or(Error::<T>::UnknownDispute)?;
		Disputes::<T>::remove(id);
		let before = Self::figures(&target);
		Self::roll(&version, &mut target, Self::current_era());
		target.dispute = None;
		let (bond_burned, escrow) = Self::dismiss(&dispute, target, before);
		Self::deposit_event(Event::DisputeLapsed { id, version, bond_burned, escrow });
		Ok(())
	}

	/// End `dispute` against the reporter (a rejection or a lapse): burn the bond and release
	/// the escrow into the rewards (kept for the next credit when no points are active), then
	/// store `target`, already rolled and cleared of the dispute. Returns the bond burned and
	/// the escrow released.
	fn dismiss(
		dispute: &crate::DisputeOf<T>,
		mut target: TargetOf<T>,
		before: (BalanceOf<T>, u32, BalanceOf<T>),
	) -> (BalanceOf<T>, BalanceOf<T>) {
		let (burned, _) = <T::Currency as BalancedHold<T::AccountId>>::slash(
			&HoldReason::DisputeBond.into(),
			&dispute.reporter,
			dispute.bond,
		);
		let bond_burned = burned.peek();
		drop(burned);
		let mut escrow = Zero::zero();
		if !target.active_points.is_zero() {
			escrow = core::mem::take(&mut target.escrow);
			Self::distribute(&mut target, escrow);
		}
		Self::sync_model(&dispute.version, before, &target);
		Targets::<T>::insert(dispute.version, target);
		(bond_burned, escrow)
	}

	/// Credit `fee` from `payer` to `version`'s curators; returns what was not taken.
	pub(crate) fn do_credit(version: VersionId, payer: &T::AccountId, fee: BalanceOf<T>) -> BalanceOf<T> {
		if fee.is_zero() {
			return fee;
		}
		let Some(mut target) = Targets::<T>::get(version) else { return fee };
		let before = Self::figures(&target);
		let era = Self::current_era();
		Self::roll(&version, &mut target, era);
		if target.active_points.is_zero()
			|| T::Currency::transfer(payer, &Self::pot(), fee, Preservation::Preserve).is_err()
		{
			Targets::<T>::insert(version, target);
			return fee;
		}
		target.fees_ema = Self::decayed_ema(&target, era).saturating_add(fee);
		target.ema_era = era;
		target.fees_lifetime.saturating_accrue(fee);
		let escrowed = target.dispute.is_some();
		if escrowed {
			target.escrow.saturating_accrue(fee);
		} else {
			// Shared at the first touch of a later era, over the points still active then
			// (the roll above shared any earlier stream that had points to go to).
			let amount = fee.saturating_add(core::mem::take(&mut target.escrow));
			target.streaming.saturating_accrue(amount);
			target.streaming_era = era;
		}
		Self::sync_model(&version, before, &target);
		Targets::<T>::insert(version, target);
		Self::deposit_event(Event::Credited { version, fee, escrowed });
		Zero::zero()
	}

	/// What `who` could claim from `version` now, a touch included.
	pub(crate) fn claimable_now(version: &VersionId, who: &T::AccountId) -> BalanceOf<T> {
		let (Some(position), Some(mut target)) = (Positions::<T>::get(version, who), Targets::<T>::get(version)) else {
			return Zero::zero();
		};
		// The stream the next touch would share counts as shared (the view writes nothing).
		let era = Self::current_era();
		Self::share_stream(&mut target, era);
		let mut owed = position.owed.saturating_add(reward::<T>(position.active, position.acc_paid, target.acc));
		if !position.pending.is_zero() && position.pending_era < era {
			let at = ActivationAcc::<T>::get(version, position.pending_era).map_or(target.acc, |(at, _)| at);
			owed.saturating_accrue(reward::<T>(position.pending, at, target.acc));
		}
		owed
	}

	/// The fees credited to `version` that the next touch would not share yet: this era's
	/// (a past era's stream counts as shared: it is in the curators' claimable).
	pub(crate) fn streaming_now(version: &VersionId) -> BalanceOf<T> {
		match Targets::<T>::get(version) {
			Some(target) if !Self::stream_due(&target, Self::current_era()) => target.streaming,
			_ => Zero::zero(),
		}
	}

	/// A version's figures, as of now.
	pub(crate) fn aggregates(version: &VersionId) -> Option<Aggregates<BalanceOf<T>>> {
		let mut target = Targets::<T>::get(version)?;
		let era = Self::current_era();
		// Pending points of a past era are active whether or not anything touched the target
		// since: show them so (the view writes nothing).
		if target.pending_era < era {
			target.active_points.saturating_accrue(core::mem::take(&mut target.pending_points));
		}
		Some(Aggregates {
			active_stake: value_of::<T>(target.active_points, target.factor),
			pending_stake: value_of::<T>(target.pending_points, target.factor),
			unbonding_stake: value_of::<T>(target.unbonding_points, target.factor),
			curators: target.curators,
			fees_lifetime: target.fees_lifetime,
			fees_ema: Self::decayed_ema(&target, era),
			factor: target.factor.into_inner(),
			escrow: target.escrow,
			dispute: target.dispute,
		})
	}

	/// The rank score of a bonded stake and a fee average (see the crate doc).
	pub fn score(stake: BalanceOf<T>, fees_ema: BalanceOf<T>) -> u128 {
		let stake = wide::<T>(stake).isqrt();
		let fees = u128::from(wide::<T>(fees_ema).saturating_add(1).ilog2());
		T::ScoreStakeWeight::get().saturating_mul(stake).saturating_add(T::ScoreFeeWeight::get().saturating_mul(fees))
	}

	/// Whether `version`'s manifest passes `filter`.
	fn passes(version: &VersionId, filter: &RankFilter) -> bool {
		if filter.license.is_none() && filter.tags.is_empty() && filter.metrics.is_empty() {
			return true;
		}
		let Some(manifest) = T::Versions::manifest(version) else { return false };
		if let Some(class) = filter.license {
			if LicenseClass::of(&manifest.license) != class {
				return false;
			}
		}
		let tags = filter.tags.iter().all(|wanted| {
			manifest
				.tags
				.iter()
				.any(|tag| tag.key == wanted.key && wanted.value.as_ref().is_none_or(|value| &tag.value == value))
		});
		let metrics = filter.metrics.iter().all(|wanted| {
			manifest.metrics.iter().any(|metric| metric.name == wanted.name && metric.value >= wanted.min)
		});
		tags && metrics
	}

	pub(crate) fn ranked(filter: &RankFilter, limit: u32) -> Vec<Ranked<BalanceOf<T>>> {
		let era = Self::current_era();
		let mut rows: Vec<Ranked<BalanceOf<T>>> = TopByStake::<T>::get()
			.into_iter()
			.filter_map(|(version, stake)| {
				let target = Targets::<T>::get(version)?;
				if target.dispute.is_some() || T::Versions::is_yanked(&version) || !Self::passes(&version, filter) {
					return None;
				}
				let fees_ema = Self::decayed_ema(&target, era);
				Some(Ranked {
					version,
					score: Self::score(stake, fees_ema),
					stake,
					fees_ema,
					curators: target.curators,
				})
			})
			.collect();
		rows.sort_by(|a, b| b.score.cmp(&a.score).then(a.version.cmp(&b.version)));
		rows.truncate(limit as usize);
		rows
	}
}
