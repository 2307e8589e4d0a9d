//! Benchmarks for the attestations pallet (benchmarks v2). Each call at its worst: the
//! longest inputs, maintainer admins, replaced policies, and for a gated move `n` attestations
//! on each of the current and the new target by 2n distinct global evaluators (whose trust costs
//! two reads), judged against every threshold and a "must beat" measure.

use super::*;
use crate::Pallet as Attestations;
use alloc::{format, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	BoundedVec,
	traits::{EnsureOrigin, Get, fungible::Mutate},
};
use frame_system::RawOrigin;
use sp_runtime::traits::Bounded;
use zoo_primitives::*;

/// The registry, as this pallet's benchmarks make models and versions through it.
type Models<T> = <<T as Config>::BenchmarkHelper as BenchmarkHelper<<T as frame_system::Config>::AccountId>>::Models;
/// The lineage pallet, as this pallet's benchmarks make refs through it.
type Refs<T> = <<T as Config>::BenchmarkHelper as BenchmarkHelper<<T as frame_system::Config>::AccountId>>::Refs;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// Small enough that many funded accounts do not overflow the total issuance.
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1024u32.into());
	who
}

fn model() -> ModelName {
	b"bench/model".to_vec().try_into().expect("short")
}

fn ref_name() -> RefName {
	b"production".to_vec().try_into().expect("short")
}

fn filled<const N: u32>(prefix: &str, fill: u8) -> Bytes<N> {
	let mut bytes = prefix.as_bytes().to_vec();
	bytes.resize(N as usize, fill);
	bytes.try_into().expect("exactly N bytes")
}

/// `n` metrics with the longest names, sorted.
fn metrics<T: Config>(n: u32) -> BoundedVec<Metric, T::MaxMetrics> {
	(0..n)
		.map(|i| Metric { name: filled(&format!("m{i:03}"), b'x'), value: MetricValue(1_000_000_000) })
		.collect::<Vec<_>>()
		.try_into()
		.expect("at most MaxMetrics")
}

/// `bench/model` owned by a funded owner, with a funded maintainer admin, two versions (v0 ->
/// v1) and a protected ref at v0. Returns (owner, admin, v0, v1).
fn model_with_ref<T: Config>() -> (T::AccountId, T::AccountId, VersionId, VersionId) {
	let owner = funded::<T>("owner", 0);
	Models::<T>::create_model(&model(), &owner);
	let admin = funded::<T>("admin", 0);
	Models::<T>::add_admin(&model(), &admin);
	let v0 = Models::<T>::commit(&model(), &owner, 0, None);
	let v1 = Models::<T>::commit(&model(), &owner, 1, Some(v0));
	Refs::<T>::create_ref(&model(), &ref_name(), v0, &owner);
	(owner, admin, v0, v1)
}

/// The longest policy: `min_evaluators`, every threshold on metric `m000` and a must-beat.
fn policy<T: Config>(min_evaluators: u32) -> PolicyOf<T> {
	let measure = Measure { dataset: [1; 32], metric: filled("m000", b'x'), direction: Direction::HigherIsBetter };
	Policy {
		min_evaluators,
		thresholds: (0..T::MaxThresholds::get())
			.map(|_| Threshold { measure: measure.clone(), bound: MetricValue(0) })
			.collect::<Vec<_>>()
			.try_into()
			.expect("MaxThresholds"),
		must_beat: Some(measure),
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_evaluator() {
		let (_, admin, _, _) = model_with_ref::<T>();
		let evaluator: T::AccountId = account("evaluator", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model(), evaluator.clone());
		assert!(Evaluators::<T>::contains_key(model(), evaluator));
	}

	#[benchmark]
	fn remove_evaluator() -> Result<(), BenchmarkError> {
		let (owner, admin, _, _) = model_with_ref::<T>();
		let evaluator: T::AccountId = account("evaluator", 0, 0);
		Attestations::<T>::do_add_evaluator(owner, model(), evaluator.clone())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model(), evaluator.clone());
		assert!(!Evaluators::<T>::contains_key(model(), evaluator));
		Ok(())
	}

	#[benchmark]
	fn set_global_evaluator() -> Result<(), BenchmarkError> {
		let origin = T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let evaluator: T::AccountId = account("evaluator", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, evaluator.clone(), true);
		assert!(GlobalEvaluators::<T>::contains_key(evaluator));
		Ok(())
	}

	/// A global evaluator (trust costs two reads) attests `n` metrics with the longest names
	/// and URI, on a version one short of `MaxAttestations` (the per-evaluator count reads them
	/// all).
	#[benchmark]
	fn attest(n: Linear<1, { T::MaxMetrics::get() }>) -> Result<(), BenchmarkError> {
		let (_, _, _, v1) = model_with_ref::<T>();
		// The worst case of the per-evaluator count: the version holds `MaxAttestations - 1`
		// attestations of full size, read one by one, by other evaluators.
		let full = T::MaxAttestations::get() - 1;
		let per_evaluator = T::MaxAttestationsPerEvaluator::get();
		for i in 0..full {
			let other = funded::<T>("other", i / per_evaluator);
			if i % per_evaluator == 0 {
				Attestations::<T>::do_set_global_evaluator(other.clone(), true)?;
			}
			let mut dataset = [0u8; 32];
			dataset[..4].copy_from_slice(&(i + 1).to_le_bytes());
			let metrics = metrics::<T>(T::MaxMetrics::get());
			Attestations::<T>::do_attest(other, v1, dataset, metrics, [9; 32], filled("https://", b'u'))?;
		}
		let evaluator = funded::<T>("evaluator", 0);
		Attestations::<T>::do_set_global_evaluator(evaluator.clone(), true)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(evaluator), v1, [7; 32], metrics::<T>(n), [9; 32], filled("https://", b'u'));
		assert_eq!(AttestationCount::<T>::get(v1), full + 1);
		Ok(())
	}

	#[benchmark]
	fn revoke() -> Result<(), BenchmarkError> {
		let (_, _, _, v1) = model_with_ref::<T>();
		let evaluator = funded::<T>("evaluator", 0);
		Attestations::<T>::do_set_global_evaluator(evaluator.clone(), true)?;
		let index = Attestations::<T>::do_attest(
			evaluator.clone(),
			v1,
			[7; 32],
			metrics::<T>(T::MaxMetrics::get()),
			[9; 32],
			filled("https://", b'u'),
		)?;
		let reason: Reason = filled("", b'r');
		#[extrinsic_call]
		_(RawOrigin::Signed(evaluator), v1, index, reason);
		assert!(Attestations::<T>::attestation(v1, index).is_some_and(|a| a.revoked.is_some()));
		Ok(())
	}

	/// A maintainer admin replaces a policy another admin set.
	#[benchmark]
	fn set_policy() -> Result<(), BenchmarkError> {
		let (owner, admin, _, _) = model_with_ref::<T>();
		Attestations::<T>::do_set_policy(owner, model(), ref_name(), policy::<T>(1))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model(), ref_name(), policy::<T>(T::MaxEvaluators::get()));
		assert!(Policies::<T>::contains_key(model(), ref_name()));
		Ok(())
	}

	#[benchmark]
	fn remove_policy() -> Result<(), BenchmarkError> {
		let (owner, admin, _, _) = model_with_ref::<T>();
		Attestations::<T>::do_set_policy(owner, model(), ref_name(), policy::<T>(1))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model(), ref_name());
		assert!(!Policies::<T>::contains_key(model(), ref_name()));
		Ok(())
	}

	/// Judging and recording a ref move under the longest policy with `n` attestations on each
	/// of the current and the new target, each by its own global evaluator (2n in all, so the
	/// trust of every one is read: audit A3-18).
	#[benchmark]
	fn check_move(n: Linear<1, { T::MaxAttestations::get() }>) -> Result<(), BenchmarkError> {
		let (owner, _, v0, v1) = model_with_ref::<T>();
		Attestations::<T>::do_set_policy(owner, model(), ref_name(), policy::<T>(n.min(T::MaxEvaluators::get())))?;
		for i in 0..n {
			for (version, value, name) in [(v0, 1, "incumbent"), (v1, 2, "evaluator")] {
				let evaluator = funded::<T>(name, i);
				Attestations::<T>::do_set_global_evaluator(evaluator.clone(), true)?;
				let mut scores = metrics::<T>(T::MaxMetrics::get());
				scores[0].value = MetricValue(value);
				Attestations::<T>::do_attest(
					evaluator.clone(),
					version,
					[1; 32],
					scores,
					[9; 32],
					filled("https://", b'u'),
				)?;
			}
		}
		#[block]
		{
			let (evidence, _) =
				<Attestations<T> as PromotionGate<T::AccountId>>::check_move(&model(), &ref_name(), v0, v1)?;
			<Attestations<T> as PromotionGate<T::AccountId>>::on_move(&model(), &ref_name(), 1, Some(evidence));
		}
		assert!(Evidence::<T>::contains_key((model(), ref_name(), 1)));
		Ok(())
	}

	impl_benchmark_test_suite!(Attestations, crate::mock::new_test_ext(), crate::mock::Test);
}
