//! Unit tests: every rule, and every rejection with its exact error and no state change.

use crate::{mock::*, *};
use codec::Encode;
use frame_support::dispatch::DispatchResult;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use zoo_primitives::*;

fn name(text: &str) -> ModelName {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn bytes<const N: u32>(text: &str) -> Bytes<N> {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn artifact(path: &str) -> Artifact {
	Artifact {
		path: bytes(path),
		kind: ArtifactKind::Weights,
		size: 3,
		digest: ArtifactDigest { algorithm: DigestAlgorithm::Sha2_256, bytes: [9; 32] },
		uri: bytes("file:///data/model.bin"),
	}
}

fn manifest(model: &str, message: &str) -> Manifest {
	Manifest {
		model: name(model),
		parents: Default::default(),
		artifacts: vec![artifact("model.bin")].try_into().unwrap(),
		metrics: Default::default(),
		license: License::Spdx(bytes("MIT")),
		tags: Default::default(),
		message: bytes(message),
		hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
	}
}

fn child_of(parent: VersionId, model: &str, edge: EdgeKind, message: &str) -> Manifest {
	let mut child = manifest(model, message);
	child.parents = vec![Parent { id: parent, edge }].try_into().unwrap();
	child
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn create(owner: AccountId, model: &str) {
	assert_ok!(ModelRegistry::create_model(RuntimeOrigin::signed(owner), name(model)));
}

fn commit(who: AccountId, manifest: Manifest) -> VersionId {
	let id = manifest.id();
	assert_ok!(ModelRegistry::commit_version(RuntimeOrigin::signed(who), manifest));
	id
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

mod create_model {
	use super::*;

	#[test]
	fn creates_with_owner_and_deposit() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/resnet");
			let details = Models::<Test>::get(name("acme/resnet")).unwrap();
			assert_eq!(details.owner, ALICE);
			assert_eq!(details.deposit, MODEL_DEPOSIT);
			assert_eq!(details.version_count, 0);
			assert_eq!(held(HoldReason::ModelDeposit, ALICE), MODEL_DEPOSIT);
			assert_eq!(
				last_event(),
				Event::ModelCreated { model: name("acme/resnet"), owner: ALICE, deposit: MODEL_DEPOSIT }.into()
			);
			assert_eq!(ModelRegistry::role_of(&name("acme/resnet"), &ALICE), Some(Role::Admin));
		});
	}

	#[test]
	fn rejects_invalid_names() {
		new_test_ext().execute_with(|| {
			for bad in ["resnet", "Acme/resnet", "acme/res net", "acme/", "a/b/c", "acme/-x", ""] {
				assert_noop!(
					ModelRegistry::create_model(RuntimeOrigin::signed(ALICE), name(bad)),
					Error::<Test>::InvalidModelName
				);
			}
		});
	}

	#[test]
	fn rejects_existing_name() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/resnet");
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(BOB), name("acme/resnet")),
				Error::<Test>::ModelExists
			);
		});
	}

	#[test]
	fn rejects_when_deposit_cannot_be_paid() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(POOR), name("poor/model")),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn rejects_unsigned() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::none(), name("acme/resnet")),
				sp_runtime::DispatchError::BadOrigin
			);
		});
	}
}

mod roles {
	use super::*;

	fn set(caller: AccountId, who: AccountId, role: Option<Role>) -> DispatchResult {
		ModelRegistry::set_role(RuntimeOrigin::signed(caller), name("acme/m"), who, role)
	}

	#[test]
	fn owner_grants_changes_and_revokes_with_deposit() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			assert_ok!(set(ALICE, BOB, Some(Role::Committer)));
			assert_eq!(ModelRegistry::role_of(&name("acme/m"), &BOB), Some(Role::Committer));
			assert_eq!(held(HoldReason::MaintainerDeposit, ALICE), MAINTAINER_DEPOSIT);
			assert_eq!(Models::<Test>::get(name("acme/m")).unwrap().maintainer_count, 1);

			assert_ok!(set(ALICE, BOB, Some(Role::Admin)));
			assert_eq!(ModelRegistry::role_of(&name("acme/m"), &BOB), Some(Role::Admin));
			assert_eq!(held(HoldReason::MaintainerDeposit, ALICE), MAINTAINER_DEPOSIT);

			// An admin grants a role; its own deposit is held.
			assert_ok!(set(BOB, CHARLIE, Some(Role::Committer)));
			assert_eq!(held(HoldReason::MaintainerDeposit, BOB), MAINTAINER_DEPOSIT);
			// Revoking releases the deposit to whoever paid it, not to the revoker.
			assert_ok!(set(ALICE, CHARLIE, None));
			assert_eq!(held(HoldReason::MaintainerDeposit, BOB), 0);
			assert_eq!(ModelRegistry::role_of(&name("acme/m"), &CHARLIE), None);
			assert_eq!(
				last_event(),
				Event::RoleSet { model: name("acme/m"), who: CHARLIE, role: None, by: ALICE }.into()
			);
			assert_eq!(ModelRegistry::maintainers(name("acme/m")), vec![(BOB, Role::Admin)]);
		});
	}

	#[test]
	fn only_admins_manage_roles() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			assert_noop!(set(BOB, CHARLIE, Some(Role::Committer)), Error::<Test>::NotAdmin);
			assert_ok!(set(ALICE, BOB, Some(Role::Committer)));
			assert_noop!(set(BOB, CHARLIE, Some(Role::Committer)), Error::<Test>::NotAdmin);
			assert_noop!(set(BOB, BOB, Some(Role::Admin)), Error::<Test>::NotAdmin);
		});
	}

	#[test]
	fn rejections() {
		new_test_ext().execute_with(|| {
			assert_noop!(set(ALICE, BOB, Some(Role::Committer)), Error::<Test>::UnknownModel);
			create(ALICE, "acme/m");
			assert_noop!(set(ALICE, ALICE, Some(Role::Committer)), Error::<Test>::OwnerRoleFixed);
			assert_noop!(set(ALICE, BOB, None), Error::<Test>::NotMaintainer);
			for who in 10..10 + MAX_MAINTAINERS as u64 {
				assert_ok!(set(ALICE, who, Some(Role::Committer)));
			}
			assert_noop!(set(ALICE, BOB, Some(Role::Committer)), Error::<Test>::TooManyMaintainers);
		});
	}

	#[test]
	fn admin_that_cannot_pay_cannot_add() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			assert_ok!(set(ALICE, POOR, Some(Role::Admin)));
			assert_noop!(set(POOR, BOB, Some(Role::Committer)), Error::<Test>::InsufficientBalance);
		});
	}
}

mod ownership {
	use super::*;

	fn offer(caller: AccountId, to: Option<AccountId>) -> DispatchResult {
		ModelRegistry::offer_ownership(RuntimeOrigin::signed(caller), name("acme/m"), to)
	}

	fn accept(caller: AccountId) -> DispatchResult {
		ModelRegistry::accept_ownership(RuntimeOrigin::signed(caller), name("acme/m"))
	}

	#[test]
	fn moves_in_two_steps_with_the_deposit() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			assert_ok!(offer(ALICE, Some(BOB)));
			assert_eq!(Models::<Test>::get(name("acme/m")).unwrap().owner, ALICE);
			assert_noop!(accept(CHARLIE), Error::<Test>::NoOwnershipOffer);
			assert_ok!(accept(BOB));
			let details = Models::<Test>::get(name("acme/m")).unwrap();
			assert_eq!((details.owner, details.pending_owner), (BOB, None));
			assert_eq!(held(HoldReason::ModelDeposit, ALICE), 0);
			assert_eq!(held(HoldReason::ModelDeposit, BOB), MODEL_DEPOSIT);
			assert_eq!(
				last_event(),
				Event::OwnershipTransferred { model: name("acme/m"), from: ALICE, to: BOB }.into()
			);
			// The previous owner is no longer an admin.
			assert_eq!(ModelRegistry::role_of(&name("acme/m"), &ALICE), None);
			assert_noop!(offer(ALICE, Some(CHARLIE)), Error::<Test>::NotOwner);
		});
	}

	#[test]
	fn rejections() {
		new_test_ext().execute_with(|| {
			assert_noop!(offer(ALICE, Some(BOB)), Error::<Test>::UnknownModel);
			assert_noop!(accept(BOB), Error::<Test>::UnknownModel);
			create(ALICE, "acme/m");
			assert_noop!(offer(BOB, Some(BOB)), Error::<Test>::NotOwner);
			assert_noop!(offer(ALICE, Some(ALICE)), Error::<Test>::AlreadyOwner);
			assert_noop!(accept(BOB), Error::<Test>::NoOwnershipOffer);
			// A withdrawn offer cannot be accepted.
			assert_ok!(offer(ALICE, Some(BOB)));
			assert_ok!(offer(ALICE, None));
			assert_noop!(accept(BOB), Error::<Test>::NoOwnershipOffer);
			// A new owner that cannot pay the deposit cannot accept.
			assert_ok!(offer(ALICE, Some(POOR)));
			assert_noop!(accept(POOR), Error::<Test>::InsufficientBalance);
		});
	}
}

mod commit_version {
	use super::*;

	#[test]
	fn stores_record_manifest_and_deposit() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			let manifest = manifest("acme/m", "first");
			let size = manifest.encode().len() as u64;
			let id = commit(ALICE, manifest.clone());
			assert_eq!(id, VersionId::of_bytes(&manifest.encode()));

			let record = Versions::<Test>::get(id).unwrap();
			assert_eq!(record.committer, ALICE);
			assert_eq!(record.index, 0);
			assert_eq!(record.block, 1);
			assert_eq!(record.deposit, VERSION_BASE + VERSION_PER_BYTE * size);
			assert_eq!(record.yanked, None);
			assert_eq!(Manifests::<Test>::get(id), Some(manifest.clone()));
			assert_eq!(held(HoldReason::VersionDeposit, ALICE), record.deposit);
			let details = Models::<Test>::get(name("acme/m")).unwrap();
			assert_eq!((details.version_count, details.latest), (1, Some(id)));
			assert_eq!(
				last_event(),
				Event::VersionCommitted {
					model: name("acme/m"),
					id,
					committer: ALICE,
					index: 0,
					deposit: record.deposit
				}
				.into()
			);
			assert_eq!(ModelRegistry::version(id), Some((record, manifest)));
		});
	}

	#[test]
	fn committers_commit_children_and_merges_across_models() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/base");
			create(BOB, "bob/tuned");
			assert_ok!(ModelRegistry::set_role(
				RuntimeOrigin::signed(BOB),
				name("bob/tuned"),
				CHARLIE,
				Some(Role::Committer)
			));
			let base = commit(ALICE, manifest("acme/base", "base"));
			// A derivation: a version of bob/tuned fine-tuned from acme/base.
			let tuned = commit(CHARLIE, child_of(base, "bob/tuned", EdgeKind::Finetune, "tune"));
			let next = commit(BOB, child_of(tuned, "bob/tuned", EdgeKind::Revision, "next"));
			let mut merge = manifest("bob/tuned", "merge");
			merge.parents =
				vec![Parent { id: next, edge: EdgeKind::Merge }, Parent { id: tuned, edge: EdgeKind::Merge }]
					.try_into()
					.unwrap();
			let merged = commit(BOB, merge);
			assert_eq!(Versions::<Test>::get(tuned).unwrap().committer, CHARLIE);
			assert_eq!(ModelRegistry::versions(name("bob/tuned"), 0, 10), vec![merged, next, tuned]);
			assert_eq!(ModelRegistry::versions(name("bob/tuned"), 1, 1), vec![next]);
			assert_eq!(ModelRegistry::versions(name("bob/tuned"), 3, 10), vec![]);
			assert_eq!(ModelRegistry::versions(name("no/model"), 0, 10), vec![]);
		});
	}

	#[test]
	fn rejects_unknown_model_and_unauthorized_committer() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				ModelRegistry::commit_version(RuntimeOrigin::signed(ALICE), manifest("acme/m", "x")),
				Error::<Test>::UnknownModel
			);
			create(ALICE, "acme/m");
			assert_noop!(
				ModelRegistry::commit_version(RuntimeOrigin::signed(BOB), manifest("acme/m", "x")),
				Error::<Test>::NotCommitter
			);
		});
	}

	#[test]
	fn rejects_unknown_parent_and_duplicate() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			let orphan = child_of(VersionId([7; 32]), "acme/m", EdgeKind::Revision, "x");
			assert_noop!(
				ModelRegistry::commit_version(RuntimeOrigin::signed(ALICE), orphan),
				Error::<Test>::UnknownParent
			);
			commit(ALICE, manifest("acme/m", "x"));
			assert_noop!(
				ModelRegistry::commit_version(RuntimeOrigin::signed(ALICE), manifest("acme/m", "x")),
				Error::<Test>::VersionExists
			);
		});
	}

	#[test]
	fn rejects_oversized_manifest() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			let mut big = manifest("acme/m", &"x".repeat(MAX_MESSAGE_LEN as usize));
			let long = |i: usize| {
				let mut a = artifact(&format!("{i:04}/{}", "p".repeat(200)));
				a.uri = bytes(&format!("https://{}", "u".repeat(480)));
				a
			};
			big.artifacts = (0..100).map(long).collect::<Vec<_>>().try_into().unwrap();
			assert!(big.encode().len() > MAX_MANIFEST_LEN as usize);
			assert_noop!(
				ModelRegistry::commit_version(RuntimeOrigin::signed(ALICE), big),
				Error::<Test>::ManifestTooLarge
			);
		});
	}

	#[test]
	fn rejects_when_deposit_cannot_be_paid() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			assert_ok!(ModelRegistry::set_role(
				RuntimeOrigin::signed(ALICE),
				name("acme/m"),
				POOR,
				Some(Role::Committer)
			));
			assert_noop!(
				ModelRegistry::commit_version(RuntimeOrigin::signed(POOR), manifest("acme/m", "x")),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn rejects_each_malformed_manifest_with_its_error() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			let parent = commit(ALICE, manifest("acme/m", "parent"));
			let cases: Vec<(Box<dyn Fn(&mut Manifest)>, Error<Test>)> = vec![
				(
					Box::new(move |m| {
						let p = Parent { id: parent, edge: EdgeKind::Merge };
						m.parents = vec![p.clone(), p].try_into().unwrap();
					}),
					Error::<Test>::DuplicateParent,
				),
				(Box::new(|m| m.artifacts[0].path = bytes("../etc")), Error::<Test>::InvalidArtifactPath),
				(
					Box::new(|m| m.artifacts = vec![artifact("b"), artifact("a")].try_into().unwrap()),
					Error::<Test>::ArtifactsNotSorted,
				),
				(Box::new(|m| m.artifacts[0].uri = bytes("no-scheme")), Error::<Test>::InvalidArtifactUri),
				(
					Box::new(|m| m.artifacts[0].digest.algorithm = DigestAlgorithm::Blake3),
					Error::<Test>::DigestAlgorithmMismatch,
				),
				(Box::new(|m| m.hashing.shard_size = Some(1)), Error::<Test>::ShardTooSmall),
				(
					Box::new(|m| {
						m.metrics = vec![Metric { name: bytes("Bad Name"), value: MetricValue(1) }].try_into().unwrap()
					}),
					Error::<Test>::InvalidKey,
				),
				(
					Box::new(|m| {
						m.metrics = vec![
							Metric { name: bytes("b"), value: MetricValue(1) },
							Metric { name: bytes("a"), value: MetricValue(1) },
						]
						.try_into()
						.unwrap()
					}),
					Error::<Test>::MetricsNotSorted,
				),
				(
					Box::new(|m| {
						m.tags =
							vec![Tag { key: bytes("k"), value: bytes("1") }, Tag { key: bytes("k"), value: bytes("2") }]
								.try_into()
								.unwrap()
					}),
					Error::<Test>::TagsNotSorted,
				),
				(Box::new(|m| m.message = vec![0xff].try_into().unwrap()), Error::<Test>::InvalidText),
			];
			for (mutate, error) in cases {
				let mut bad = manifest("acme/m", "bad");
				mutate(&mut bad);
				assert_noop!(ModelRegistry::commit_version(RuntimeOrigin::signed(ALICE), bad), error);
			}
		});
	}
}

mod yank_version {
	use super::*;

	fn reason(text: &[u8]) -> YankReason {
		text.to_vec().try_into().unwrap()
	}

	#[test]
	fn marks_but_keeps_the_version() {
		new_test_ext().execute_with(|| {
			create(ALICE, "acme/m");
			assert_ok!(ModelRegistry::set_role(
				RuntimeOrigin::signed(ALICE),
				name("acme/m"),
				BOB,
				Some(Role::Committer)
			));
			let by_bob = commit(BOB, manifest("acme/m", "bob's"));
			let by_alice = commit(ALICE, manifest("acme/m", "alice's"));
			// The committer yanks its own version; an admin yanks anyone's.
			assert_ok!(ModelRegistry::yank_version(RuntimeOrigin::signed(BOB), by_bob, reason(b"bad data")));
			assert_ok!(ModelRegistry::yank_version(RuntimeOrigin::signed(ALICE), by_alice, reason(b"oops")));
			let record = Versions::<Test>::get(by_bob).unwrap();
			let yank = record.yanked.unwrap();
			assert_eq!((yank.by, yank.at, yank.reason.to_vec()), (BOB, 1, b"bad data".to_vec()));
			assert_eq!(Manifests::<Test>::get(by_bob), Some(manifest("acme/m", "bob's")));
			assert_eq!(last_event(), Event::VersionYanked { model: name("acme/m"), id: by_alice, by: ALICE }.into());
		});
	}

	#[test]
	fn rejections() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				ModelRegistry::yank_version(RuntimeOrigin::signed(ALICE), VersionId([1; 32]), reason(b"x")),
				Error::<Test>::UnknownVersion
			);
			create(ALICE, "acme/m");
			let id = commit(ALICE, manifest("acme/m", "v"));
			assert_noop!(
				ModelRegistry::yank_version(RuntimeOrigin::signed(BOB), id, reason(b"x")),
				Error::<Test>::NotAllowedToYank
			);
			assert_noop!(
				ModelRegistry::yank_version(RuntimeOrigin::signed(ALICE), id, reason(&[0xff, 0xfe])),
				Error::<Test>::InvalidReason
			);
			assert_ok!(ModelRegistry::yank_version(RuntimeOrigin::signed(ALICE), id, reason(b"x")));
			assert_noop!(
				ModelRegistry::yank_version(RuntimeOrigin::signed(ALICE), id, reason(b"again")),
				Error::<Test>::AlreadyYanked
			);
		});
	}
}
