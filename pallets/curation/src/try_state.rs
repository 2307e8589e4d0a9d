//! The curation invariants, checked by `try_state` (and after every unit test).

use crate::{
	functions::{bonded_stake, position_points, value_of},
	types::*,
	*,
};
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::{
		Get,
		fungible::{Inspect, InspectHold},
	},
};
use sp_runtime::{
	TryRuntimeError,
	traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// Check every invariant of targets, positions, holds, disputes, the ranking and the pot.
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut owed = BalanceOf::<T>::zero();
		let mut models: BTreeMap<zoo_primitives::ModelName, ModelFigures<BalanceOf<T>>> = BTreeMap::new();
		for (version, target) in Targets::<T>::iter() {
			let (stake, curators, fees) = Self::figures(&target);
			if let Some(model) = <T::Versions as zoo_primitives::VersionInspect>::version_model(&version) {
				let figures = models.entry(model).or_default();
				figures.stake.saturating_accrue(stake);
				figures.curators.saturating_accrue(curators);
				figures.fees_lifetime.saturating_accrue(fees);
			}
			let mut active = BalanceOf::<T>::zero();
			let mut pending = BalanceOf::<T>::zero();
			let mut unbonding = BalanceOf::<T>::zero();
			let mut curators = 0u32;
			let mut activated: BTreeMap<EraIndex, BalanceOf<T>> = BTreeMap::new();
			for (who, position) in Positions::<T>::iter_prefix(version) {
				curators += 1;
				active.saturating_accrue(position.active);
				if !position.pending.is_zero() {
					if position.pending_era == target.pending_era && !target.pending_points.is_zero() {
						pending.saturating_accrue(position.pending);
					} else {
						activated
							.entry(position.pending_era)
							.or_insert_with(Zero::zero)
							.saturating_accrue(position.pending);
					}
				}
				for chunk in position.unbonding.iter() {
					unbonding.saturating_accrue(chunk.points);
				}
				ensure!(
					position.held >= value_of::<T>(position_points::<T>(&position), target.factor),
					"a position holds less than its points are worth"
				);
				held.entry(who.clone()).or_insert_with(Zero::zero).saturating_accrue(position.held);
				owed.saturating_accrue(Self::claimable_now(&version, &who));
			}
			ensure!(curators == target.curators, "a target's curator count differs from its positions");
			// Pending points of past eras count as active in the target before their positions
			// settle them.
			let unsettled = activated.values().fold(BalanceOf::<T>::zero(), |sum, points| sum.saturating_add(*points));
			ensure!(
				active.saturating_add(unsettled) == target.active_points,
				"active points differ from the positions'"
			);
			ensure!(pending == target.pending_points, "pending points differ from the positions'");
			ensure!(unbonding == target.unbonding_points, "unbonding points differ from the positions'");
			let recorded: BTreeMap<EraIndex, BalanceOf<T>> =
				ActivationAcc::<T>::iter_prefix(version).map(|(era, (_, left))| (era, left)).collect();
			ensure!(recorded == activated, "activated pending points differ from what positions have left to settle");
			if let Some(id) = target.dispute {
				let dispute = Disputes::<T>::get(id).ok_or("a target names a dispute that is not open")?;
				ensure!(dispute.version == version, "a target names another version's dispute");
			}
			owed.saturating_accrue(target.escrow);
			// A stream the next touch would share is in the positions' claimable already.
			if !Self::stream_due(&target, Self::current_era()) {
				owed.saturating_accrue(target.streaming);
			}
			ensure!(target.streaming_era <= Self::current_era(), "a stream of a future era");
		}
		models.retain(|_, figures| *figures != ModelFigures::default());
		let stored: BTreeMap<_, _> = ModelTotals::<T>::iter().collect();
		ensure!(stored == models, "model totals differ from the sums over their versions");
		ensure!(
			ActivationAcc::<T>::iter_keys().all(|(version, _)| Targets::<T>::contains_key(version)),
			"an activation record without a target"
		);
		for (version, _) in Positions::<T>::iter_keys() {
			ensure!(Targets::<T>::contains_key(version), "a position without a target");
		}
		for (who, amount) in held {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::CurationStake.into(), &who);
			ensure!(on_hold == amount, "stake held differs from what positions record");
		}

		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, dispute) in Disputes::<T>::iter() {
			let target = Targets::<T>::get(dispute.version).ok_or("a dispute without a target")?;
			ensure!(target.dispute == Some(id), "an open dispute is not its target's");
			ensure!(dispute.bond == T::DisputeBond::get(), "a dispute's bond is not DisputeBond");
			ensure!(dispute.expires_at >= dispute.opened_at, "a dispute expires before it opened");
			bonds.entry(dispute.reporter.clone()).or_insert_with(Zero::zero).saturating_accrue(dispute.bond);
		}
		for (who, amount) in bonds {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &who);
			ensure!(on_hold == amount, "bonds held differ from the open disputes'");
		}

		let top = TopByStake::<T>::get();
		ensure!(top.len() as u32 <= T::TopN::get(), "TopByStake is longer than TopN");
		ensure!(
			top.windows(2).all(|pair| pair[0].1 > pair[1].1 || (pair[0].1 == pair[1].1 && pair[0].0 < pair[1].0)),
			"TopByStake is not sorted"
		);
		for (version, stake) in top.iter() {
			let target = Targets::<T>::get(version).ok_or("a ranked version without a target")?;
			ensure!(*stake == bonded_stake::<T>(&target), "a ranked stake differs from the version's bonded stake");
			ensure!(!stake.is_zero(), "a ranked version with no stake");
		}

		// Solvency: the pot holds its existential deposit plus every reward owed or settleable
		// and every escrow and stream.
		let pot = T::Currency::balance(&Self::pot());
		ensure!(
			pot >= owed.saturating_add(T::Currency::minimum_balance()),
			"the pot holds less than the rewards and escrows it owes"
		);
		Ok(())
	}
}
