//! The pallet's logic: what the calls do and judging a promotion. The gate the lineage pallet
//! asks when a ref moves is in `impl_promotion_gate.rs`.

use crate::{AttestationOf, BalanceOf, EvidenceFor, PolicyOf, WeightInfo, pallet::*, types::*};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*, weights::Weight};
use sp_runtime::traits::Saturating;
use zoo_pallet_support::Deposits;
use zoo_primitives::{
	DisputeGate, Metric, MetricValue, ModelAccess, ModelName, RefName, RefTargets, VersionId, VersionInspect,
	validate_key,
};

impl<T: Config> Pallet<T> {
	fn ensure_admin(model: &ModelName, who: &T::AccountId) -> DispatchResult {
		ensure!(T::Models::model_exists(model), Error::<T>::UnknownModel);
		ensure!(T::Models::is_admin(model, who), Error::<T>::NotAdmin);
		Ok(())
	}

	/// Whether `who` is trusted for `model`: named by its admins, or globally.
	pub(crate) fn trusted(model: &ModelName, who: &T::AccountId) -> bool {
		Evaluators::<T>::contains_key(model, who) || GlobalEvaluators::<T>::contains_key(who)
	}

	pub(crate) fn do_add_evaluator(who: T::AccountId, model: ModelName, evaluator: T::AccountId) -> DispatchResult {
		Self::ensure_admin(&model, &who)?;
		ensure!(!Evaluators::<T>::contains_key(&model, &evaluator), Error::<T>::EvaluatorExists);
		let count = EvaluatorCount::<T>::get(&model);
		ensure!(count < T::MaxEvaluators::get(), Error::<T>::TooManyEvaluators);
		let deposit = T::EvaluatorDeposit::get();
		T::Currency::hold_deposit(
			&HoldReason::EvaluatorDeposit.into(),
			&who,
			deposit,
			Error::<T>::InsufficientBalance,
		)?;
		Evaluators::<T>::insert(&model, &evaluator, (who, deposit));
		EvaluatorCount::<T>::insert(&model, count + 1);
		Self::deposit_event(Event::EvaluatorAdded { model, evaluator });
		Ok(())
	}

	pub(crate) fn do_remove_evaluator(who: T::AccountId, model: ModelName, evaluator: T::AccountId) -> DispatchResult {
		Self::ensure_admin(&model, &who)?;
		let (depositor, deposit) = Evaluators::<T>::take(&model, &evaluator).ok_or(Error::<T>::UnknownEvaluator)?;
		T::Currency::release_deposit(&HoldReason::EvaluatorDeposit.into(), &depositor, deposit)?;
		EvaluatorCount::<T>::mutate(&model, |count| *count = count.saturating_sub(1));
		Self::deposit_event(Event::EvaluatorRemoved { model, evaluator });
		Ok(())
	}

	pub(crate) fn do_set_global_evaluator(evaluator: T::AccountId, trusted: bool) -> DispatchResult {
		ensure!(GlobalEvaluators::<T>::contains_key(&evaluator) != trusted, Error::<T>::GlobalEvaluatorUnchanged);
		if trusted {
			GlobalEvaluators::<T>::insert(&evaluator, ());
		} else {
			GlobalEvaluators::<T>::remove(&evaluator);
		}
		Self::deposit_event(Event::GlobalEvaluatorSet { evaluator, trusted });
		Ok(())
	}

	/// Metrics as manifests hold them: sorted by name, unique, valid names.
	fn valid_metrics(metrics: &[Metric]) -> bool {
		!metrics.is_empty()
			&& metrics.iter().all(|metric| validate_key(&metric.name).is_ok())
			&& metrics.windows(2).all(|pair| pair[0].name < pair[1].name)
	}

	/// The deposit an attestation of `encoded_len` bytes holds.
	pub fn attestation_deposit(encoded_len: usize) -> BalanceOf<T> {
		let bytes: BalanceOf<T> = (encoded_len as u32).into();
		T::AttestationDeposit::get().saturating_add(T::AttestationDepositPerByte::get().saturating_mul(bytes))
	}

	pub(crate) fn do_attest(
		who: T::AccountId,
		version: VersionId,
		dataset: DatasetId,
		metrics: BoundedVec<Metric, T::MaxMetrics>,
		evidence_hash: [u8; 32],
		evidence_uri: zoo_primitives::Bytes<{ zoo_primitives::MAX_URI_LEN }>,
	) -> Result<AttestationIndex, DispatchError> {
		let model = T::Models::version_model(&version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(!T::Models::is_yanked(&version), Error::<T>::VersionYanked);
		ensure!(Self::trusted(&model, &who), Error::<T>::NotTrusted);
		ensure!(!Active::<T>::contains_key((version, &who, dataset)), Error::<T>::DuplicateAttestation);
		ensure!(Self::valid_metrics(&metrics), Error::<T>::InvalidMetrics);
		zoo_primitives::validate_uri(&evidence_uri).map_err(|_| Error::<T>::InvalidEvidenceUri)?;
		let index = AttestationCount::<T>::get(version);
		ensure!(index < T::MaxAttestations::get(), Error::<T>::TooManyAttestations);
		let by_caller =
			Attestations::<T>::iter_prefix_values(version).filter(|attestation| attestation.evaluator == who).count();
		ensure!((by_caller as u32) < T::MaxAttestationsPerEvaluator::get(), Error::<T>::TooManyAttestationsByEvaluator);

		let mut attestation = Attestation {
			evaluator: who.clone(),
			dataset,
			metrics,
			evidence_hash,
			evidence_uri,
			block: frame_system::Pallet::<T>::block_number(),
			deposit: Default::default(),
			revoked: None,
		};
		let deposit = Self::attestation_deposit(attestation.encoded_size());
		T::Currency::hold_deposit(
			&HoldReason::AttestationDeposit.into(),
			&who,
			deposit,
			Error::<T>::InsufficientBalance,
		)?;
		attestation.deposit = deposit;
		Attestations::<T>::insert(version, index, attestation);
		AttestationCount::<T>::insert(version, index + 1);
		Active::<T>::insert((version, &who, dataset), index);
		Self::deposit_event(Event::Attested { version, index, evaluator: who, dataset });
		Ok(index)
	}

	pub(crate) fn do_revoke(
		who: T::AccountId,
		version: VersionId,
		index: AttestationIndex,
		reason: Reason,
	) -> DispatchResult {
		let mut attestation: AttestationOf<T> =
			Attestations::<T>::get(version, index).ok_or(Error::<T>::UnknownAttestation)?;
		ensure!(attestation.evaluator == who, Error::<T>::NotEvaluator);
		ensure!(attestation.revoked.is_none(), Error::<T>::AlreadyRevoked);
		ensure!(core::str::from_utf8(&reason).is_ok(), Error::<T>::InvalidReason);
		attestation.revoked = Some(Revocation { at: frame_system::Pallet::<T>::block_number(), reason });
		Active::<T>::remove((version, &who, attestation.dataset));
		Attestations::<T>::insert(version, index, attestation);
		Self::deposit_event(Event::Revoked { version, index, evaluator: who });
		Ok(())
	}

	fn valid_policy(policy: &PolicyOf<T>) -> bool {
		let asks_something = policy.min_evaluators > 0 || !policy.thresholds.is_empty() || policy.must_beat.is_some();
		let names_valid = policy
			.thresholds
			.iter()
			.map(|t| &t.measure)
			.chain(policy.must_beat.iter())
			.all(|m| validate_key(&m.metric).is_ok());
		asks_something && names_valid && policy.min_evaluators <= T::MaxEvaluators::get()
	}

	pub(crate) fn do_set_policy(
		who: T::AccountId,
		model: ModelName,
		name: RefName,
		policy: PolicyOf<T>,
	) -> DispatchResult {
		Self::ensure_admin(&model, &who)?;
		ensure!(T::Refs::ref_target(&model, &name).is_some(), Error::<T>::UnknownRef);
		ensure!(Self::valid_policy(&policy), Error::<T>::InvalidPolicy);
		if let Some(old) = Policies::<T>::get(&model, &name) {
			T::Currency::release_deposit(&HoldReason::PolicyDeposit.into(), &old.depositor, old.deposit)?;
		}
		let deposit = T::PolicyDeposit::get();
		T::Currency::hold_deposit(&HoldReason::PolicyDeposit.into(), &who, deposit, Error::<T>::InsufficientBalance)?;
		Policies::<T>::insert(&model, &name, PolicyRecord { policy, depositor: who, deposit });
		Self::deposit_event(Event::PolicySet { model, name });
		Ok(())
	}

	pub(crate) fn do_remove_policy(who: T::AccountId, model: ModelName, name: RefName) -> DispatchResult {
		Self::ensure_admin(&model, &who)?;
		let record = Policies::<T>::take(&model, &name).ok_or(Error::<T>::UnknownPolicy)?;
		T::Currency::release_deposit(&HoldReason::PolicyDeposit.into(), &record.depositor, record.deposit)?;
		Self::deposit_event(Event::PolicyRemoved { model, name });
		Ok(())
	}

	/// The unrevoked attestations of `version` by evaluators trusted for `model`, with their
	/// indices (trust read once per evaluator).
	fn trusted_attestations(model: &ModelName, version: VersionId) -> Vec<(AttestationIndex, AttestationOf<T>)> {
		let mut trust: BTreeMap<T::AccountId, bool> = BTreeMap::new();
		(0..AttestationCount::<T>::get(version))
			.filter_map(|index| Attestations::<T>::get(version, index).map(|a| (index, a)))
			.filter(|(_, a)| a.revoked.is_none())
			.filter(|(_, a)| *trust.entry(a.evaluator.clone()).or_insert_with(|| Self::trusted(model, &a.evaluator)))
			.collect()
	}

	/// The worst value `attestations` give for `measure`.
	fn score(attestations: &[(AttestationIndex, AttestationOf<T>)], measure: &Measure) -> Option<MetricValue> {
		attestations
			.iter()
			.filter(|(_, a)| a.dataset == measure.dataset)
			.filter_map(|(_, a)| a.metrics.iter().find(|m| m.name == measure.metric).map(|m| m.value))
			.reduce(|a, b| measure.direction.worse(a, b))
	}

	/// Every condition of the policy of ref `name` of `model` that `to` does not meet, and the
	/// evidence it would rest on (the indices of the trusted attestations of `to`).
	pub(crate) fn unmet(model: &ModelName, name: &RefName, to: VersionId) -> (Vec<Unmet>, EvidenceFor<T>) {
		let disputed = T::Disputes::has_open_dispute(&to).then_some(Unmet::UnderDispute);
		let Some(record) = Policies::<T>::get(model, name) else {
			return (disputed.into_iter().collect(), Default::default());
		};
		let (unmet, evidence) = Self::judge(model, &record.policy, T::Refs::ref_target(model, name), to);
		(disputed.into_iter().chain(unmet).collect(), evidence)
	}

	pub(crate) fn judge(
		model: &ModelName,
		policy: &PolicyOf<T>,
		from: Option<VersionId>,
		to: VersionId,
	) -> (Vec<Unmet>, EvidenceFor<T>) {
		let mut unmet = Vec::new();
		let attestations = Self::trusted_attestations(model, to);
		let mut evaluators: Vec<&T::AccountId> = attestations.iter().map(|(_, a)| &a.evaluator).collect();
		evaluators.sort();
		evaluators.dedup();
		let have = evaluators.len() as u32;
		if have < policy.min_evaluators {
			unmet.push(Unmet::TooFewEvaluators { have, need: policy.min_evaluators });
		}
		for (index, threshold) in policy.thresholds.iter().enumerate() {
			let index = index as u32;
			match Self::score(&attestations, &threshold.measure) {
				None => unmet.push(Unmet::MissingMeasure { index }),
				Some(value) if !threshold.measure.direction.meets(value, threshold.bound) => {
					unmet.push(Unmet::BelowThreshold { index })
				}
				Some(_) => {}
			}
		}
		if let (Some(measure), Some(from)) = (&policy.must_beat, from) {
			let current = Self::score(&Self::trusted_attestations(model, from), measure);
			let new = Self::score(&attestations, measure);
			let beats = match (new, current) {
				(_, None) => true,
				(None, Some(_)) => false,
				(Some(new), Some(current)) => measure.direction.beats(new, current),
			};
			if !beats {
				unmet.push(Unmet::DoesNotBeatCurrent);
			}
		}
		let evidence = attestations.iter().map(|(index, _)| *index).collect::<Vec<_>>();
		(unmet, evidence.try_into().expect("at most MaxAttestations attestations; qed"))
	}

	/// A gated move's weight: the policy check over `read` attestations and the dispute read.
	pub(crate) fn gate_weight(read: u32) -> Weight {
		T::WeightInfo::check_move(read).saturating_add(T::DbWeight::get().reads(1))
	}

	pub(crate) fn unmet_error(unmet: &Unmet) -> Error<T> {
		match unmet {
			Unmet::TooFewEvaluators { .. } => Error::<T>::TooFewEvaluators,
			Unmet::MissingMeasure { .. } => Error::<T>::MissingMeasure,
			Unmet::BelowThreshold { .. } => Error::<T>::BelowThreshold,
			Unmet::DoesNotBeatCurrent => Error::<T>::DoesNotBeatCurrent,
			Unmet::UnderDispute => Error::<T>::UnderDispute,
		}
	}
}
