//! Unit tests: evaluators, attestations and revocations with every rejection (exact error, no
//! state change), policies, and promotions through the lineage pallet's `move_ref`, gated,
//! refused with the first unmet condition, forced past the policy, and with their evidence kept.

use crate::{
	AttestationCount, AttestationIndex, DatasetId, Direction, Error, HoldReason, Measure, Policy, PolicyOf, Reason,
	Threshold, Unmet, mock::*,
};
use frame_support::{
	BoundedVec, assert_noop, assert_ok,
	traits::{ConstU32, fungible::InspectHold},
};
use pallet_model_registry::Role;
use zoo_primitives::{EdgeKind, Metric, MetricValue, ModelName, RefName, VersionId, testing::ManifestBuilder};

const MODEL: &str = "acme/clf";
const DATASET: DatasetId = [0xd5; 32];
const OTHER_DATASET: DatasetId = [0xd6; 32];

fn name(text: &str) -> ModelName {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn ref_name(text: &str) -> RefName {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Metric `name` at `value`, in the manifest's fixed point (1e9 is 1.0).
fn metric(name: &str, value: f64) -> Metric {
	Metric { name: name.as_bytes().to_vec().try_into().unwrap(), value: MetricValue((value * 1e9) as i128) }
}

fn metrics(items: &[(&str, f64)]) -> BoundedVec<Metric, ConstU32<8>> {
	items.iter().map(|(n, v)| metric(n, *v)).collect::<Vec<_>>().try_into().unwrap()
}

fn uri() -> zoo_primitives::Bytes<{ zoo_primitives::MAX_URI_LEN }> {
	b"https://ci.example.invalid/run/1".to_vec().try_into().unwrap()
}

/// `acme/clf` owned by ALICE with versions v1 -> v2 -> v3, BOB a releaser, ref `production`
/// (protected) at v1, and EVE and FRANK trusted evaluators.
fn setup() -> [VersionId; 3] {
	assert_ok!(ModelRegistry::create_model(signed(ALICE), name(MODEL)));
	assert_ok!(ModelRegistry::set_role(signed(ALICE), name(MODEL), BOB, Some(Role::Releaser)));
	let mut versions = Vec::new();
	for i in 0..3 {
		let parents: Vec<(VersionId, EdgeKind)> =
			versions.last().map(|p| (*p, EdgeKind::Revision)).into_iter().collect();
		let manifest = ManifestBuilder::new(MODEL).parents(&parents).message(&format!("v{}", i + 1)).build();
		versions.push(manifest.id());
		assert_ok!(ModelRegistry::commit_version(signed(ALICE), manifest));
	}
	assert_ok!(Lineage::create_ref(signed(ALICE), name(MODEL), ref_name("production"), versions[0], true));
	for evaluator in [EVE, FRANK] {
		assert_ok!(Attestations::add_evaluator(signed(ALICE), name(MODEL), evaluator));
	}
	[versions[0], versions[1], versions[2]]
}

fn attest(who: AccountId, version: VersionId, dataset: DatasetId, items: &[(&str, f64)]) -> AttestationIndex {
	let index = AttestationCount::<Test>::get(version);
	assert_ok!(Attestations::attest(signed(who), version, dataset, metrics(items), [1; 32], uri()));
	index
}

fn accuracy_policy(min_evaluators: u32, bound: f64, must_beat: bool) -> PolicyOf<Test> {
	let measure = Measure {
		dataset: DATASET,
		metric: b"accuracy".to_vec().try_into().unwrap(),
		direction: Direction::HigherIsBetter,
	};
	Policy {
		min_evaluators,
		thresholds: vec![Threshold { measure: measure.clone(), bound: MetricValue((bound * 1e9) as i128) }]
			.try_into()
			.unwrap(),
		must_beat: must_beat.then_some(measure),
	}
}

fn promote(who: AccountId, to: VersionId) -> frame_support::dispatch::DispatchResult {
	Lineage::move_ref(signed(who), name(MODEL), ref_name("production"), to, false, 100).map(|_| ()).map_err(|e| e.error)
}

mod evaluators {
	use super::*;

	#[test]
	fn admins_name_evaluators_and_governance_keeps_a_global_list() {
		run(|| {
			setup();
			assert_eq!(Balances::balance_on_hold(&HoldReason::EvaluatorDeposit.into(), &ALICE), 2 * EVALUATOR_DEPOSIT);
			assert_noop!(Attestations::add_evaluator(signed(BOB), name(MODEL), GRACE), Error::<Test>::NotAdmin);
			assert_noop!(
				Attestations::add_evaluator(signed(ALICE), name("acme/none"), GRACE),
				Error::<Test>::UnknownModel
			);
			assert_noop!(Attestations::add_evaluator(signed(ALICE), name(MODEL), EVE), Error::<Test>::EvaluatorExists);
			assert_ok!(Attestations::add_evaluator(signed(ALICE), name(MODEL), GRACE));
			assert_ok!(Attestations::add_evaluator(signed(ALICE), name(MODEL), 40));
			assert_noop!(Attestations::add_evaluator(signed(ALICE), name(MODEL), 41), Error::<Test>::TooManyEvaluators);
			assert_noop!(
				Attestations::remove_evaluator(signed(ALICE), name(MODEL), 41),
				Error::<Test>::UnknownEvaluator
			);
			assert_ok!(Attestations::remove_evaluator(signed(ALICE), name(MODEL), 40));
			assert_eq!(Balances::balance_on_hold(&HoldReason::EvaluatorDeposit.into(), &ALICE), 3 * EVALUATOR_DEPOSIT);
			assert!(!Attestations::is_trusted(name(MODEL), MALLORY));
			assert_noop!(
				Attestations::set_global_evaluator(signed(ALICE), MALLORY, true),
				sp_runtime::DispatchError::BadOrigin
			);
			assert_ok!(Attestations::set_global_evaluator(RuntimeOrigin::root(), MALLORY, true));
			assert!(Attestations::is_trusted(name(MODEL), MALLORY));
			assert_noop!(
				Attestations::set_global_evaluator(RuntimeOrigin::root(), MALLORY, true),
				Error::<Test>::GlobalEvaluatorUnchanged
			);
		});
	}
}

mod attest {
	use super::*;

	#[test]
	fn trusted_evaluators_attest_existing_unyanked_versions_once_per_dataset() {
		run(|| {
			let [v1, v2, _] = setup();
			let index = attest(EVE, v1, DATASET, &[("accuracy", 0.91), ("loss", 0.2)]);
			let stored = Attestations::attestation(v1, index).unwrap();
			assert_eq!(stored.evaluator, EVE);
			assert_eq!(Balances::balance_on_hold(&HoldReason::AttestationDeposit.into(), &EVE), stored.deposit);
			assert!(stored.deposit > ATTESTATION_DEPOSIT, "a per-byte part");
			let bad = |who, version, dataset, items: BoundedVec<Metric, ConstU32<8>>| {
				Attestations::attest(signed(who), version, dataset, items, [1; 32], uri())
			};
			assert_noop!(bad(MALLORY, v1, DATASET, metrics(&[("accuracy", 0.99)])), Error::<Test>::NotTrusted);
			assert_noop!(bad(EVE, v1, DATASET, metrics(&[("accuracy", 0.92)])), Error::<Test>::DuplicateAttestation);
			assert_noop!(bad(EVE, VersionId([7; 32]), DATASET, metrics(&[("a", 1.0)])), Error::<Test>::UnknownVersion);
			assert_noop!(bad(EVE, v2, DATASET, metrics(&[])), Error::<Test>::InvalidMetrics);
			assert_noop!(bad(EVE, v2, DATASET, metrics(&[("b", 1.0), ("a", 1.0)])), Error::<Test>::InvalidMetrics);
			assert_noop!(bad(EVE, v2, DATASET, metrics(&[("a", 1.0), ("a", 2.0)])), Error::<Test>::InvalidMetrics);
			assert_noop!(bad(EVE, v2, DATASET, metrics(&[("Bad Name", 1.0)])), Error::<Test>::InvalidMetrics);
			assert_noop!(
				Attestations::attest(
					signed(EVE),
					v2,
					DATASET,
					metrics(&[("a", 1.0)]),
					[1; 32],
					b"no scheme".to_vec().try_into().unwrap()
				),
				Error::<Test>::InvalidEvidenceUri
			);
			assert_ok!(Attestations::add_evaluator(signed(ALICE), name(MODEL), POOR));
			assert_noop!(bad(POOR, v2, DATASET, metrics(&[("a", 1.0)])), Error::<Test>::InsufficientBalance);
			assert_ok!(ModelRegistry::yank_version(signed(ALICE), v2, b"broken".to_vec().try_into().unwrap()));
			assert_noop!(bad(EVE, v2, DATASET, metrics(&[("a", 1.0)])), Error::<Test>::VersionYanked);
			// Another dataset is another attestation.
			attest(EVE, v1, OTHER_DATASET, &[("accuracy", 0.5)]);
		});
	}

	#[test]
	fn at_most_max_attestations_per_version() {
		run(|| {
			let [v1, ..] = setup();
			assert_ok!(Attestations::add_evaluator(signed(ALICE), name(MODEL), GRACE));
			assert_ok!(Attestations::add_evaluator(signed(ALICE), name(MODEL), MALLORY));
			for (i, evaluator) in [EVE, FRANK, GRACE].iter().enumerate() {
				for j in 0..MAX_PER_EVALUATOR {
					attest(*evaluator, v1, [(i as u32 * MAX_PER_EVALUATOR + j) as u8; 32], &[("accuracy", 0.5)]);
				}
			}
			assert_eq!(AttestationCount::<Test>::get(v1), MAX_ATTESTATIONS);
			assert_noop!(
				Attestations::attest(signed(MALLORY), v1, DATASET, metrics(&[("a", 1.0)]), [1; 32], uri()),
				Error::<Test>::TooManyAttestations
			);
		});
	}

	#[test]
	fn one_evaluator_cannot_fill_a_versions_slots() {
		// Audit A3-09: made-up datasets, or revoking and attesting again, stop at the
		// per-evaluator bound and leave the other slots to other evaluators.
		run(|| {
			let [v1, v2, _] = setup();
			let mut indices = Vec::new();
			for i in 0..MAX_PER_EVALUATOR {
				indices.push(attest(EVE, v1, [100 + i as u8; 32], &[("accuracy", 0.5)]));
			}
			assert_noop!(
				Attestations::attest(signed(EVE), v1, [200; 32], metrics(&[("a", 1.0)]), [1; 32], uri()),
				Error::<Test>::TooManyAttestationsByEvaluator
			);
			let reason: Reason = b"made up".to_vec().try_into().unwrap();
			assert_ok!(Attestations::revoke(signed(EVE), v1, indices[0], reason));
			assert_noop!(
				Attestations::attest(signed(EVE), v1, [100; 32], metrics(&[("a", 1.0)]), [1; 32], uri()),
				Error::<Test>::TooManyAttestationsByEvaluator
			);
			attest(FRANK, v1, [100; 32], &[("accuracy", 0.7)]);
			// Another version is another bound.
			attest(EVE, v2, [200; 32], &[("accuracy", 0.5)]);
		});
	}

	#[test]
	fn revoked_attestations_stay_marked_and_may_be_replaced() {
		run(|| {
			let [v1, ..] = setup();
			let index = attest(EVE, v1, DATASET, &[("accuracy", 0.91)]);
			let reason: Reason = b"wrong test split".to_vec().try_into().unwrap();
			assert_noop!(Attestations::revoke(signed(FRANK), v1, index, reason.clone()), Error::<Test>::NotEvaluator);
			assert_noop!(Attestations::revoke(signed(EVE), v1, 9, reason.clone()), Error::<Test>::UnknownAttestation);
			assert_noop!(
				Attestations::revoke(signed(EVE), v1, index, vec![0xff].try_into().unwrap()),
				Error::<Test>::InvalidReason
			);
			assert_ok!(Attestations::revoke(signed(EVE), v1, index, reason.clone()));
			assert_noop!(Attestations::revoke(signed(EVE), v1, index, reason.clone()), Error::<Test>::AlreadyRevoked);
			let stored = Attestations::attestation(v1, index).unwrap();
			assert_eq!(stored.revoked.unwrap().reason, reason);
			let again = attest(EVE, v1, DATASET, &[("accuracy", 0.89)]);
			assert_eq!(Attestations::attestations(v1, 0, 10).len(), 2);
			assert_eq!(Attestations::attestations(v1, 1, 10)[0].0, again);
		});
	}
}

mod promotion {
	use super::*;

	#[test]
	fn policies_are_set_by_admins_on_existing_refs() {
		run(|| {
			setup();
			let policy = accuracy_policy(2, 0.9, false);
			assert_noop!(
				Attestations::set_policy(signed(BOB), name(MODEL), ref_name("production"), policy.clone()),
				Error::<Test>::NotAdmin
			);
			assert_noop!(
				Attestations::set_policy(signed(ALICE), name(MODEL), ref_name("staging"), policy.clone()),
				Error::<Test>::UnknownRef
			);
			let empty = Policy { min_evaluators: 0, thresholds: Default::default(), must_beat: None };
			assert_noop!(
				Attestations::set_policy(signed(ALICE), name(MODEL), ref_name("production"), empty),
				Error::<Test>::InvalidPolicy
			);
			let too_many = Policy { min_evaluators: MAX_EVALUATORS + 1, ..policy.clone() };
			assert_noop!(
				Attestations::set_policy(signed(ALICE), name(MODEL), ref_name("production"), too_many),
				Error::<Test>::InvalidPolicy
			);
			assert_ok!(Attestations::set_policy(signed(ALICE), name(MODEL), ref_name("production"), policy.clone()));
			assert_eq!(Attestations::policy(name(MODEL), ref_name("production")), Some(policy.clone()));
			assert_eq!(Balances::balance_on_hold(&HoldReason::PolicyDeposit.into(), &ALICE), POLICY_DEPOSIT);
			assert_ok!(Attestations::remove_policy(signed(ALICE), name(MODEL), ref_name("production")));
			assert_noop!(
				Attestations::remove_policy(signed(ALICE), name(MODEL), ref_name("production")),
				Error::<Test>::UnknownPolicy
			);
			assert_eq!(Balances::balance_on_hold(&HoldReason::PolicyDeposit.into(), &ALICE), 0);
		});
	}

	#[test]
	fn a_disputed_version_is_not_promoted_with_or_without_a_policy_until_the_verdict() {
		run(|| {
			let [_, v2, v3] = setup();
			DISPUTED.with(|disputed| disputed.borrow_mut().extend([v2, v3]));
			// No policy on the ref: the dispute alone refuses the move.
			assert_eq!(
				Attestations::check_promotion(name(MODEL), ref_name("production"), v2),
				vec![Unmet::UnderDispute]
			);
			assert_noop!(promote(BOB, v2), Error::<Test>::UnderDispute);
			// With a policy, the dispute is reported first, with what else is unmet.
			assert_ok!(Attestations::set_policy(
				signed(ALICE),
				name(MODEL),
				ref_name("production"),
				accuracy_policy(1, 0.9, false)
			));
			attest(EVE, v3, DATASET, &[("accuracy", 0.95)]);
			assert_eq!(
				Attestations::check_promotion(name(MODEL), ref_name("production"), v3),
				vec![Unmet::UnderDispute]
			);
			assert_noop!(promote(BOB, v3), Error::<Test>::UnderDispute);
			// Nor can a new ref point at it (audit A3-25): creation skips the policy, not the
			// dispute.
			assert_noop!(
				Lineage::create_ref(signed(ALICE), name(MODEL), ref_name("prod2"), v3, false),
				Error::<Test>::UnderDispute
			);
			// Once the dispute is closed, the policy alone decides.
			DISPUTED.with(|disputed| disputed.borrow_mut().clear());
			assert_ok!(Lineage::create_ref(signed(ALICE), name(MODEL), ref_name("prod2"), v3, false));
			assert_ok!(promote(BOB, v3));
			assert_eq!(Lineage::ref_target(name(MODEL), ref_name("production")).map(|r| r.target), Some(v3));
		});
	}

	#[test]
	fn a_gated_move_needs_enough_trusted_evaluators_and_thresholds_and_keeps_its_evidence() {
		run(|| {
			let [_, v2, _] = setup();
			assert_ok!(Attestations::set_policy(
				signed(ALICE),
				name(MODEL),
				ref_name("production"),
				accuracy_policy(2, 0.9, false)
			));
			// Nothing attested.
			assert_eq!(
				Attestations::check_promotion(name(MODEL), ref_name("production"), v2),
				vec![Unmet::TooFewEvaluators { have: 0, need: 2 }, Unmet::MissingMeasure { index: 0 }]
			);
			assert_noop!(promote(BOB, v2), Error::<Test>::TooFewEvaluators);
			// An untrusted evaluator does not count.
			assert_ok!(Attestations::add_evaluator(signed(ALICE), name(MODEL), MALLORY));
			attest(MALLORY, v2, DATASET, &[("accuracy", 0.99)]);
			assert_ok!(Attestations::remove_evaluator(signed(ALICE), name(MODEL), MALLORY));
			let eve = attest(EVE, v2, DATASET, &[("accuracy", 0.95)]);
			assert_eq!(
				Attestations::check_promotion(name(MODEL), ref_name("production"), v2),
				vec![Unmet::TooFewEvaluators { have: 1, need: 2 }]
			);
			// The worst trusted value decides a threshold.
			let frank = attest(FRANK, v2, DATASET, &[("accuracy", 0.85)]);
			assert_eq!(
				Attestations::check_promotion(name(MODEL), ref_name("production"), v2),
				vec![Unmet::BelowThreshold { index: 0 }]
			);
			assert_noop!(promote(BOB, v2), Error::<Test>::BelowThreshold);
			assert_ok!(Attestations::revoke(signed(FRANK), v2, frank, b"bad run".to_vec().try_into().unwrap()));
			let frank = attest(FRANK, v2, DATASET, &[("accuracy", 0.92)]);
			assert_eq!(Attestations::check_promotion(name(MODEL), ref_name("production"), v2), vec![]);
			assert_ok!(promote(BOB, v2));
			// The evidence is the move's: index 1 of the ref's history (0 is its creation).
			assert_eq!(
				Attestations::evidence(name(MODEL), ref_name("production"), 1),
				Some((v2, vec![eve, frank].try_into().unwrap()))
			);
		});
	}

	#[test]
	fn must_beat_compares_with_the_current_target_and_lower_is_better_works() {
		run(|| {
			let [v1, v2, v3] = setup();
			let loss = Measure {
				dataset: DATASET,
				metric: b"loss".to_vec().try_into().unwrap(),
				direction: Direction::LowerIsBetter,
			};
			let policy = Policy {
				min_evaluators: 1,
				thresholds: vec![Threshold { measure: loss.clone(), bound: MetricValue(300_000_000) }]
					.try_into()
					.unwrap(),
				must_beat: Some(loss),
			};
			assert_ok!(Attestations::set_policy(signed(ALICE), name(MODEL), ref_name("production"), policy));
			attest(EVE, v1, DATASET, &[("loss", 0.2)]);
			attest(EVE, v2, DATASET, &[("loss", 0.25)]);
			assert_eq!(
				Attestations::check_promotion(name(MODEL), ref_name("production"), v2),
				vec![Unmet::DoesNotBeatCurrent]
			);
			assert_noop!(promote(BOB, v2), Error::<Test>::DoesNotBeatCurrent);
			attest(EVE, v3, DATASET, &[("loss", 0.1)]);
			assert_ok!(promote(BOB, v3));
		});
	}

	#[test]
	fn admins_force_past_the_policy_visibly_and_refs_without_policy_are_not_gated() {
		run(|| {
			let [_, v2, v3] = setup();
			assert_ok!(Attestations::set_policy(
				signed(ALICE),
				name(MODEL),
				ref_name("production"),
				accuracy_policy(1, 0.9, false)
			));
			assert_noop!(promote(ALICE, v2), Error::<Test>::TooFewEvaluators);
			assert_ok!(Lineage::move_ref(signed(ALICE), name(MODEL), ref_name("production"), v2, true, 100));
			assert!(pallet_lineage::RefHistory::<Test>::get((name(MODEL), ref_name("production"), 1)).unwrap().forced);
			assert_eq!(Attestations::evidence(name(MODEL), ref_name("production"), 1), None);
			// A ref without a policy moves as before.
			assert_ok!(Lineage::create_ref(signed(ALICE), name(MODEL), ref_name("main"), v2, false));
			assert_ok!(Lineage::move_ref(signed(BOB), name(MODEL), ref_name("main"), v3, false, 100));
			assert_eq!(Attestations::check_promotion(name(MODEL), ref_name("main"), v3), vec![]);
		});
	}

	#[test]
	fn a_global_evaluator_counts_for_every_model() {
		run(|| {
			let [_, v2, _] = setup();
			assert_ok!(Attestations::set_policy(
				signed(ALICE),
				name(MODEL),
				ref_name("production"),
				accuracy_policy(1, 0.9, false)
			));
			assert_ok!(Attestations::set_global_evaluator(RuntimeOrigin::root(), GRACE, true));
			attest(GRACE, v2, DATASET, &[("accuracy", 0.93)]);
			assert_ok!(promote(BOB, v2));
		});
	}
}
