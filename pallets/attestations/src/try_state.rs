//! The attestations invariants, checked by `try_state` (and after every unit test).

use crate::{BalanceOf, pallet::*};
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::{Get, fungible::InspectHold},
};
use sp_runtime::{
	TryRuntimeError,
	traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// Check every invariant of attestations, evaluators, evidence and deposits.
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut recorded: BTreeMap<(T::AccountId, u8), BalanceOf<T>> = BTreeMap::new();
		let mut add = |who: &T::AccountId, reason: HoldReason, amount: BalanceOf<T>| {
			let slot = recorded.entry((who.clone(), reason as u8)).or_insert_with(Zero::zero);
			*slot = slot.saturating_add(amount);
		};
		for (version, count) in AttestationCount::<T>::iter() {
			ensure!(count <= T::MaxAttestations::get(), "more attestations than MaxAttestations");
			ensure!(
				Attestations::<T>::iter_prefix(version).count() as u32 == count,
				"an attestation count differs from the attestations"
			);
		}
		let mut by_evaluator: BTreeMap<(zoo_primitives::VersionId, T::AccountId), u32> = BTreeMap::new();
		for (version, index, attestation) in Attestations::<T>::iter() {
			ensure!(index < AttestationCount::<T>::get(version), "an attestation beyond its version's count");
			let made = by_evaluator.entry((version, attestation.evaluator.clone())).or_default();
			*made += 1;
			ensure!(
				*made <= T::MaxAttestationsPerEvaluator::get(),
				"an evaluator made more attestations of a version than MaxAttestationsPerEvaluator"
			);
			let active = Active::<T>::get((version, &attestation.evaluator, attestation.dataset));
			match attestation.revoked {
				None => ensure!(active == Some(index), "an unrevoked attestation is not indexed"),
				Some(_) => ensure!(active != Some(index), "a revoked attestation is still indexed"),
			}
			add(&attestation.evaluator, HoldReason::AttestationDeposit, attestation.deposit);
		}
		for ((version, evaluator, dataset), index) in Active::<T>::iter() {
			let attestation = Attestations::<T>::get(version, index).ok_or("an index names no attestation")?;
			ensure!(
				attestation.evaluator == evaluator && attestation.dataset == dataset && attestation.revoked.is_none(),
				"an index names another attestation"
			);
		}
		let mut counts: BTreeMap<zoo_primitives::ModelName, u32> = BTreeMap::new();
		for (model, _, (depositor, deposit)) in Evaluators::<T>::iter() {
			*counts.entry(model).or_default() += 1;
			add(&depositor, HoldReason::EvaluatorDeposit, deposit);
		}
		for (model, count) in EvaluatorCount::<T>::iter() {
			ensure!(counts.get(&model).copied().unwrap_or(0) == count, "an evaluator count differs");
			ensure!(count <= T::MaxEvaluators::get(), "more evaluators than MaxEvaluators");
		}
		ensure!(
			counts.iter().all(|(model, count)| EvaluatorCount::<T>::get(model) == *count),
			"a model's evaluators are not counted"
		);
		for (_, _, record) in Policies::<T>::iter() {
			add(&record.depositor, HoldReason::PolicyDeposit, record.deposit);
		}
		for (_, (version, evidence)) in Evidence::<T>::iter() {
			ensure!(evidence.windows(2).all(|pair| pair[0] < pair[1]), "evidence is not sorted");
			ensure!(
				evidence.iter().all(|index| Attestations::<T>::contains_key(version, index)),
				"evidence names an attestation that does not exist"
			);
		}
		for ((who, reason), amount) in recorded {
			let reason = match reason {
				0 => HoldReason::AttestationDeposit,
				1 => HoldReason::EvaluatorDeposit,
				_ => HoldReason::PolicyDeposit,
			};
			ensure!(
				T::Currency::balance_on_hold(&reason.into(), &who) == amount,
				"deposits recorded differ from holds"
			);
		}
		Ok(())
	}
}
