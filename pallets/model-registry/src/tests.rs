//! Unit tests: every rule, and every rejection with its exact error and no state change.

use crate::{mock::*, *};
use codec::Encode;
use frame_support::dispatch::DispatchResult;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use zoo_primitives::{testing::*, *};

fn name(text: &str) -> ModelName {
	text.as_bytes().to_vec().try_into().unwrap()
}

/// The artifact these tests commit: a 3-byte weights file.
fn artifact(path: &str) -> Artifact {
	Artifact {
		kind: ArtifactKind::Weights,
		size: 3,
		digest: ArtifactDigest { algorithm: DigestAlgorithm::Sha2_256, bytes: [9; 32] },
		uri: bytes("file:///data/model.bin"),
		..testing::artifact(path)
	}
}

/// A version of `model` with one artifact, an MIT license and `message`.
fn version(model: &str, message: &str) -> ManifestBuilder {
	ManifestBuilder::new(model).artifact(artifact("model.bin")).spdx("MIT").message(message)
}

fn manifest(model: &str, message: &str) -> Manifest {
	version(model, message).build()
}

fn child_of(parent: VersionId, model: &str, edge: EdgeKind, message: &str) -> Manifest {
	version(model, message).parent(parent, edge).build()
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
		run(|| {
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
		run(|| {
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
		run(|| {
			create(ALICE, "acme/resnet");
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(BOB), name("acme/resnet")),
				Error::<Test>::ModelExists
			);
		});
	}

	#[test]
	fn rejects_when_deposit_cannot_be_paid() {
		run(|| {
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(POOR), name("poor/model")),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	/// Only a balance too low becomes `InsufficientBalance`: any other reason a deposit cannot
	/// be held is passed through as it is, here an account nothing keeps alive (no provider).
	#[test]
	fn other_hold_failures_pass_through() {
		run(|| {
			frame_system::Account::<Test>::mutate(ALICE, |account| account.providers = 0);
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(ALICE), name("acme/resnet")),
				sp_runtime::TokenError::CannotCreateHold
			);
		});
	}

	#[test]
	fn rejects_unsigned() {
		run(|| {
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
		run(|| {
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
		run(|| {
			create(ALICE, "acme/m");
			assert_noop!(set(BOB, CHARLIE, Some(Role::Committer)), Error::<Test>::NotAdmin);
			assert_ok!(set(ALICE, BOB, Some(Role::Committer)));
			assert_noop!(set(BOB, CHARLIE, Some(Role::Committer)), Error::<Test>::NotAdmin);
			assert_noop!(set(BOB, BOB, Some(Role::Admin)), Error::<Test>::NotAdmin);
		});
	}

	#[test]
	fn rejections() {
		run(|| {
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
		run(|| {
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
		run(|| {
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
	fn a_maintainer_that_becomes_owner_loses_its_stale_role() {
		run(|| {
			create(ALICE, "acme/m");
			assert_ok!(ModelRegistry::set_role(RuntimeOrigin::signed(ALICE), name("acme/m"), BOB, Some(Role::Admin)));
			assert_ok!(offer(ALICE, Some(BOB)));
			assert_ok!(accept(BOB));
			// The entry and its deposit go: the owner is an admin by ownership.
			assert!(!Maintainers::<Test>::contains_key(name("acme/m"), BOB));
			assert_eq!(held(HoldReason::MaintainerDeposit, ALICE), 0);
			assert_eq!(Models::<Test>::get(name("acme/m")).unwrap().maintainer_count, 0);
			System::assert_has_event(Event::MaintainerDropped { model: name("acme/m"), who: BOB }.into());
			// After the next transfer the former owner holds no role.
			assert_ok!(offer(BOB, Some(CHARLIE)));
			assert_ok!(accept(CHARLIE));
			assert_eq!(ModelRegistry::role_of(&name("acme/m"), &BOB), None);
		});
	}

	#[test]
	fn rejections() {
		run(|| {
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
		run(|| {
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
		run(|| {
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
		run(|| {
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
		run(|| {
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
		run(|| {
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
		run(|| {
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
		run(|| {
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
				(Box::new(|m| m.artifacts[0].path = bytes("a\u{1b}[8m")), Error::<Test>::InvalidArtifactPath),
				(Box::new(|m| m.artifacts[0].path = bytes(".git/config")), Error::<Test>::ReservedArtifactPath),
				(Box::new(|m| m.artifacts[0].path = bytes("sub/.ZOO/x")), Error::<Test>::ReservedArtifactPath),
				(
					Box::new(|m| m.artifacts = vec![artifact("A.bin"), artifact("a.bin")].try_into().unwrap()),
					Error::<Test>::ArtifactPathCollision,
				),
				(
					Box::new(|m| m.artifacts = vec![artifact("a"), artifact("a/b")].try_into().unwrap()),
					Error::<Test>::ArtifactPathCollision,
				),
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
				(
					Box::new(|m| {
						m.license = License::Sealed { terms: 0, scheme: SealScheme::AgeV1, files: Default::default() }
					}),
					Error::<Test>::NothingSealed,
				),
				(Box::new(|m| m.license = sealed(0, &[0, 0])), Error::<Test>::SealedFilesNotSorted),
				(Box::new(|m| m.license = sealed(0, &[99])), Error::<Test>::UnknownSealedArtifact),
				(
					Box::new(|m| {
						let mut license = sealed(0, &[0]);
						if let License::Sealed { files, .. } = &mut license {
							files[0].owner_header = bytes("age-encryption.org/v1\n-> X25519 c2hhcmU\n");
						}
						m.license = license;
					}),
					Error::<Test>::InvalidSealHeader,
				),
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
		run(|| {
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
		run(|| {
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

	#[test]
	fn governance_yanks_without_a_role_and_is_recorded_as_the_yanker() {
		run(|| {
			assert_noop!(
				ModelRegistry::yank_by_governance(VersionId([1; 32]), CHARLIE, reason(b"x")),
				Error::<Test>::UnknownVersion
			);
			create(ALICE, "acme/m");
			let id = commit(ALICE, manifest("acme/m", "v"));
			assert_noop!(
				ModelRegistry::yank_by_governance(id, CHARLIE, reason(&[0xff, 0xfe])),
				Error::<Test>::InvalidReason
			);
			// CHARLIE holds no role on the model: governance has checked its own origin.
			assert_ok!(ModelRegistry::yank_by_governance(id, CHARLIE, reason(b"malware")));
			let yank = Versions::<Test>::get(id).unwrap().yanked.unwrap();
			assert_eq!((yank.by, yank.reason.to_vec()), (CHARLIE, b"malware".to_vec()));
			assert_eq!(last_event(), Event::VersionYanked { model: name("acme/m"), id, by: CHARLIE }.into());
			assert_noop!(
				ModelRegistry::yank_by_governance(id, CHARLIE, reason(b"again")),
				Error::<Test>::AlreadyYanked
			);
		});
	}

	#[test]
	fn a_revoked_committer_cannot_yank() {
		run(|| {
			create(ALICE, "acme/m");
			let grant = |role| ModelRegistry::set_role(RuntimeOrigin::signed(ALICE), name("acme/m"), BOB, role);
			assert_ok!(grant(Some(Role::Committer)));
			let id = commit(BOB, manifest("acme/m", "bob's"));
			assert_ok!(grant(None));
			assert_noop!(
				ModelRegistry::yank_version(RuntimeOrigin::signed(BOB), id, reason(b"revenge")),
				Error::<Test>::NotAllowedToYank
			);
			// A role that no longer commits does not do either.
			assert_ok!(grant(Some(Role::Releaser)));
			assert_noop!(
				ModelRegistry::yank_version(RuntimeOrigin::signed(BOB), id, reason(b"revenge")),
				Error::<Test>::NotAllowedToYank
			);
			assert_ok!(grant(Some(Role::Writer)));
			assert_ok!(ModelRegistry::yank_version(RuntimeOrigin::signed(BOB), id, reason(b"broken")));
		});
	}

	#[test]
	fn only_admins_of_its_model_build_on_a_yanked_version() {
		run(|| {
			create(ALICE, "acme/m");
			create(BOB, "bob/tuned");
			let base = commit(ALICE, manifest("acme/m", "base"));
			assert_ok!(ModelRegistry::yank_version(RuntimeOrigin::signed(ALICE), base, reason(b"leaks data")));
			// BOB is no admin of acme/m: neither a fine-tune nor a revision may start from it.
			assert_noop!(
				ModelRegistry::commit_version(
					RuntimeOrigin::signed(BOB),
					child_of(base, "bob/tuned", EdgeKind::Finetune, "tune")
				),
				Error::<Test>::YankedParent
			);
			assert_ok!(ModelRegistry::set_role(RuntimeOrigin::signed(ALICE), name("acme/m"), BOB, Some(Role::Writer)));
			assert_noop!(
				ModelRegistry::commit_version(
					RuntimeOrigin::signed(BOB),
					child_of(base, "acme/m", EdgeKind::Revision, "fix")
				),
				Error::<Test>::YankedParent
			);
			// An admin of acme/m may (to fix what was yanked, or to derive from it knowingly).
			commit(ALICE, child_of(base, "acme/m", EdgeKind::Revision, "fix"));
			assert_ok!(ModelRegistry::set_role(RuntimeOrigin::signed(ALICE), name("acme/m"), BOB, Some(Role::Admin)));
			commit(BOB, child_of(base, "bob/tuned", EdgeKind::Finetune, "tune"));
		});
	}

	/// Another pallet's governance yank (an upheld curation dispute, through `VersionYank`)
	/// needs no role, is recorded as made by `GovernanceYanker`, keeps at most
	/// `MAX_YANK_REASON_LEN` bytes of the reason, and does nothing to a version that is gone or
	/// yanked already.
	#[test]
	fn governance_yanks_through_version_yank() {
		run(|| {
			create(ALICE, "acme/m");
			let id = commit(ALICE, manifest("acme/m", "v"));
			assert!(!<ModelRegistry as VersionInspect>::is_yanked(&id));
			<ModelRegistry as VersionYank>::yank(&id, &[b'x'; 300]);
			let yank = Versions::<Test>::get(id).unwrap().yanked.unwrap();
			assert_eq!(yank.by, GOVERNANCE);
			assert_eq!(yank.reason.len(), MAX_YANK_REASON_LEN as usize);
			assert!(<ModelRegistry as VersionInspect>::is_yanked(&id));
			assert_eq!(
				last_event(),
				RuntimeEvent::ModelRegistry(Event::VersionYanked { model: name("acme/m"), id, by: GOVERNANCE })
			);
			<ModelRegistry as VersionYank>::yank(&id, b"again");
			assert_eq!(Versions::<Test>::get(id).unwrap().yanked.unwrap().reason, yank.reason);
			let unknown = VersionId::of_bytes(b"no such manifest");
			<ModelRegistry as VersionYank>::yank(&unknown, b"gone");
			assert!(!<ModelRegistry as VersionInspect>::exists(&unknown));
		});
	}
}

mod orgs {
	use super::*;

	pub(super) fn org(text: &str) -> OrgName {
		text.as_bytes().to_vec().try_into().unwrap()
	}

	pub(super) fn create_org(who: AccountId, text: &str) -> DispatchResult {
		ModelRegistry::create_org(RuntimeOrigin::signed(who), org(text))
	}

	fn set(caller: AccountId, who: AccountId, role: Option<OrgRole>) -> DispatchResult {
		ModelRegistry::set_org_role(RuntimeOrigin::signed(caller), org("acme"), who, role)
	}

	#[test]
	fn create_org_holds_a_deposit_and_owns_the_namespace() {
		run(|| {
			assert_ok!(create_org(ALICE, "acme"));
			let details = Orgs::<Test>::get(org("acme")).unwrap();
			assert_eq!((details.owner, details.deposit, details.model_count), (ALICE, ORG_DEPOSIT, 0));
			assert_eq!(held(HoldReason::OrgDeposit, ALICE), ORG_DEPOSIT);
			assert_eq!(last_event(), Event::OrgCreated { org: org("acme"), owner: ALICE, deposit: ORG_DEPOSIT }.into());
			// Only members create models under it.
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(BOB), name("acme/x")),
				Error::<Test>::NotOrgMember
			);
			create(ALICE, "acme/x");
			assert_eq!(Orgs::<Test>::get(org("acme")).unwrap().model_count, 1);
		});
	}

	#[test]
	fn the_first_model_claims_a_free_namespace() {
		run(|| {
			create(ALICE, "acme/resnet");
			assert_eq!(Orgs::<Test>::get(org("acme")).unwrap().owner, ALICE);
			assert_eq!(held(HoldReason::OrgDeposit, ALICE), ORG_DEPOSIT);
			System::assert_has_event(Event::OrgCreated { org: org("acme"), owner: ALICE, deposit: ORG_DEPOSIT }.into());
			// Another account cannot take a model name in it.
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(BOB), name("acme/resnet-2")),
				Error::<Test>::NotOrgMember
			);
		});
	}

	#[test]
	fn members_and_admins_create_models_and_admins_manage_members() {
		run(|| {
			assert_ok!(create_org(ALICE, "acme"));
			assert_ok!(set(ALICE, BOB, Some(OrgRole::Member)));
			assert_eq!(held(HoldReason::OrgMemberDeposit, ALICE), MAINTAINER_DEPOSIT);
			create(BOB, "acme/bobs-model");
			assert_eq!(Models::<Test>::get(name("acme/bobs-model")).unwrap().owner, BOB);
			// A member is no admin.
			assert_noop!(set(BOB, CHARLIE, Some(OrgRole::Member)), Error::<Test>::NotOrgAdmin);
			assert_ok!(set(ALICE, BOB, Some(OrgRole::Admin)));
			assert_ok!(set(BOB, CHARLIE, Some(OrgRole::Member)));
			assert_eq!(held(HoldReason::OrgMemberDeposit, BOB), MAINTAINER_DEPOSIT);
			assert_eq!(ModelRegistry::org_role(org("acme"), CHARLIE), Some(OrgRole::Member));
			// Revoking releases the deposit to whoever paid it; the member can no longer create.
			assert_ok!(set(ALICE, CHARLIE, None));
			assert_eq!(held(HoldReason::OrgMemberDeposit, BOB), 0);
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(CHARLIE), name("acme/c")),
				Error::<Test>::NotOrgMember
			);
			assert_eq!(
				last_event(),
				Event::OrgRoleSet { org: org("acme"), who: CHARLIE, role: None, by: ALICE }.into()
			);
		});
	}

	#[test]
	fn member_rejections() {
		run(|| {
			assert_noop!(set(ALICE, BOB, Some(OrgRole::Member)), Error::<Test>::UnknownOrg);
			assert_ok!(create_org(ALICE, "acme"));
			assert_noop!(set(ALICE, ALICE, Some(OrgRole::Member)), Error::<Test>::OwnerRoleFixed);
			assert_noop!(set(ALICE, BOB, None), Error::<Test>::NoOrgRole);
			for who in 10..10 + MAX_ORG_MEMBERS as u64 {
				assert_ok!(set(ALICE, who, Some(OrgRole::Member)));
			}
			assert_noop!(set(ALICE, BOB, Some(OrgRole::Member)), Error::<Test>::TooManyOrgMembers);
			assert_noop!(set(BOB, CHARLIE, Some(OrgRole::Member)), Error::<Test>::NotOrgAdmin);
		});
	}

	#[test]
	fn org_rejections() {
		run(|| {
			for bad in ["", "Acme", "acme-", "ac--me", "a/b"] {
				assert_noop!(create_org(ALICE, bad), Error::<Test>::InvalidOrgName);
			}
			assert_ok!(create_org(ALICE, "acme"));
			assert_noop!(create_org(BOB, "acme"), Error::<Test>::OrgExists);
			assert_noop!(create_org(POOR, "poor"), Error::<Test>::InsufficientBalance);
			assert_noop!(
				ModelRegistry::create_org(RuntimeOrigin::none(), org("x")),
				sp_runtime::DispatchError::BadOrigin
			);
		});
	}

	/// The audit's demonstration: after `meta-llama` and `meta-llama/llama-3`, look-alikes and
	/// names under the org by other accounts are refused.
	#[test]
	fn look_alike_names_are_refused() {
		run(|| {
			create(ALICE, "meta-llama/llama-3");
			// Dropped separators too, as npm refuses names that differ only in punctuation.
			for look_alike in ["meta_llama", "metallama", "rneta-llama", "meta-11ama", "meta-iiama", "rneta_11ama"] {
				assert_noop!(create_org(CHARLIE, look_alike), Error::<Test>::NameTooSimilar);
				let model = format!("{look_alike}/llama-3");
				assert_noop!(
					ModelRegistry::create_model(RuntimeOrigin::signed(CHARLIE), name(&model)),
					Error::<Test>::NameTooSimilar
				);
			}
			// Trailing and doubled separators are not valid names at all.
			for bad in ["meta-llama-/x", "meta--llama/x", "meta-llama/llama-3-"] {
				assert_noop!(
					ModelRegistry::create_model(RuntimeOrigin::signed(CHARLIE), name(bad)),
					Error::<Test>::InvalidModelName
				);
			}
			// Inside the org, even its owner cannot create a look-alike of a model.
			for look_alike in ["meta-llama/llama_3", "meta-llama/llama3", "meta-llama/iiama-3", "meta-llama/LLAMA-3"] {
				let error = if look_alike.contains('L') {
					Error::<Test>::InvalidModelName
				} else {
					Error::<Test>::NameTooSimilar
				};
				assert_noop!(ModelRegistry::create_model(RuntimeOrigin::signed(ALICE), name(look_alike)), error);
			}
			// Another account cannot publish under the org at all.
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(CHARLIE), name("meta-llama/llama-3-instruct")),
				Error::<Test>::NotOrgMember
			);
			// A different name is fine.
			create(ALICE, "meta-llama/llama-3-instruct");
			assert!(matches!(ModelRegistry::name_available(name("meta_llama")), Err(Error::<Test>::NameTooSimilar)));
			assert!(matches!(
				ModelRegistry::name_available(name("meta-llama/llama_3")),
				Err(Error::<Test>::NameTooSimilar)
			));
			assert!(matches!(ModelRegistry::name_available(name("other/llama_3")), Ok(())));
		});
	}

	#[test]
	fn governance_reserves_names_and_grants_them() {
		run(|| {
			// `zoo` is reserved at genesis in the mock, and so is everything that looks like it.
			for reserved in ["zoo", "z00", "zoo_"] {
				let expected =
					if reserved.ends_with('_') { Error::<Test>::InvalidOrgName } else { Error::<Test>::NameReserved };
				assert_noop!(create_org(ALICE, reserved), expected);
			}
			assert_noop!(
				ModelRegistry::create_model(RuntimeOrigin::signed(ALICE), name("zoo/official")),
				Error::<Test>::NameReserved
			);
			let reserve =
				|text: &str, reserved| ModelRegistry::set_reserved_name(RuntimeOrigin::root(), org(text), reserved);
			assert_noop!(
				ModelRegistry::set_reserved_name(RuntimeOrigin::signed(ALICE), org("openai"), true),
				sp_runtime::DispatchError::BadOrigin
			);
			assert_ok!(reserve("openai", true));
			assert_eq!(last_event(), Event::NameReserved { name: org("openai"), reserved: true }.into());
			assert_noop!(reserve("0penai", true), Error::<Test>::ReservationUnchanged);
			assert_noop!(reserve("open-ai", true), Error::<Test>::ReservationUnchanged);
			assert_noop!(create_org(BOB, "0penai"), Error::<Test>::NameReserved);
			assert_noop!(create_org(BOB, "open-ai"), Error::<Test>::NameReserved);
			// Governance creates it for its rightful owner, without a deposit.
			assert_noop!(
				ModelRegistry::force_create_org(RuntimeOrigin::signed(ALICE), org("openai"), BOB),
				sp_runtime::DispatchError::BadOrigin
			);
			assert_ok!(ModelRegistry::force_create_org(RuntimeOrigin::root(), org("openai"), BOB));
			assert_eq!(Orgs::<Test>::get(org("openai")).unwrap().deposit, 0);
			create(BOB, "openai/gpt-x");
			assert_noop!(
				ModelRegistry::force_create_org(RuntimeOrigin::root(), org("0penai"), CHARLIE),
				Error::<Test>::NameTooSimilar
			);
			assert_ok!(reserve("openai", false));
			assert_noop!(reserve("openai", false), Error::<Test>::ReservationUnchanged);
		});
	}
}

mod genesis_orgs {
	use super::*;
	use sp_runtime::BuildStorage;

	fn org(text: &str) -> OrgName {
		text.as_bytes().to_vec().try_into().unwrap()
	}

	/// A chain whose genesis grants `acme` to Alice and `globex` to Bob.
	fn consortium_genesis() -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		crate::GenesisConfig::<Test> {
			reserved_names: vec![RESERVED.as_bytes().to_vec()],
			orgs: vec![(b"acme".to_vec(), ALICE), (b"globex".to_vec(), BOB)],
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: vec![(CHARLIE, 100_000)], ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	#[test]
	fn genesis_orgs_belong_to_their_members_without_a_deposit() {
		consortium_genesis().execute_with(|| {
			let acme = Orgs::<Test>::get(org("acme")).expect("acme exists");
			assert_eq!((acme.owner, acme.deposit), (ALICE, 0));
			assert_eq!(Orgs::<Test>::get(org("globex")).map(|details| details.owner), Some(BOB));
			ModelRegistry::do_try_state().expect("invariants hold");
		});
	}

	#[test]
	fn genesis_org_names_and_their_lookalikes_are_taken_and_reserved() {
		consortium_genesis().execute_with(|| {
			for (name, error) in [("acme", Error::<Test>::OrgExists), ("g1obex", Error::<Test>::NameTooSimilar)] {
				assert_noop!(ModelRegistry::create_org(RuntimeOrigin::signed(CHARLIE), org(name)), error);
			}
			assert!(ReservedNames::<Test>::contains_key(name_skeleton(b"acme")));
			assert!(ReservedNames::<Test>::contains_key(name_skeleton(b"globex")));
		});
	}
}

mod migrations {
	use super::orgs::{create_org, org};
	use super::*;
	use crate::migrations::v2::{MigrateV1ToV2, UncheckedMigrateV1ToV2};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion, UncheckedOnRuntimeUpgrade};

	fn skeleton(text: &str) -> NameSkeleton {
		text.as_bytes().to_vec().try_into().unwrap()
	}

	/// Storage version 1: organisations and models indexed under the old skeletons, which made
	/// separators equal (`open-ai`) instead of dropping them.
	fn version_1_state() {
		create(ALICE, "open-ai/gpt");
		// Made apart, as the old rule would have let them be.
		OrgSkeletons::<Test>::remove(name_skeleton(b"open-ai"));
		ModelSkeletons::<Test>::remove(name_skeleton(b"open-ai/gpt"));
		create(BOB, "openai/gpt");
		for (key, name) in [("open-ai", "open-ai"), ("openai", "openai")] {
			OrgSkeletons::<Test>::remove(name_skeleton(name.as_bytes()));
			OrgSkeletons::<Test>::insert(skeleton(key), org(name));
		}
		for (key, model) in [("open-ai/gpt", "open-ai/gpt"), ("openai/gpt", "openai/gpt")] {
			ModelSkeletons::<Test>::remove(name_skeleton(model.as_bytes()));
			ModelSkeletons::<Test>::insert(skeleton(key), name(model));
		}
		ReservedNames::<Test>::insert(skeleton("deep-mind"), ());
		StorageVersion::new(1).put::<Pallet<Test>>();
	}

	#[test]
	fn v2_rekeys_every_skeleton_and_keeps_one_of_two_names_that_now_look_alike() {
		run(|| {
			version_1_state();
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
			let kept = OrgSkeletons::<Test>::get(name_skeleton(b"openai")).expect("one of the two is indexed");
			assert!(kept == org("openai") || kept == org("open-ai"), "{kept:?}");
			assert_eq!(OrgSkeletons::<Test>::iter().count(), 1);
			assert_eq!(ModelSkeletons::<Test>::iter().count(), 1);
			assert!(ModelSkeletons::<Test>::contains_key(name_skeleton(b"openai/gpt")));
			assert!(ReservedNames::<Test>::contains_key(name_skeleton(b"deepmind")));
			assert!(!ReservedNames::<Test>::contains_key(skeleton("deep-mind")));
			assert!(
				ReservedNames::<Test>::contains_key(name_skeleton(RESERVED.as_bytes())),
				"genesis reservations stay"
			);
			// Both organisations stay, and nobody can add a third look-alike.
			assert!(Orgs::<Test>::contains_key(org("openai")) && Orgs::<Test>::contains_key(org("open-ai")));
			assert_noop!(create_org(CHARLIE, "open_ai"), Error::<Test>::NameTooSimilar);
			assert_noop!(create_org(CHARLIE, "deepmind"), Error::<Test>::NameReserved);
		});
	}

	#[test]
	fn v2_runs_only_from_version_1() {
		run(|| {
			version_1_state();
			StorageVersion::new(2).put::<Pallet<Test>>();
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert!(OrgSkeletons::<Test>::contains_key(skeleton("open-ai")), "nothing was re-keyed");
			// Back to what version 2 expects, for the invariants the test ends with.
			UncheckedMigrateV1ToV2::<Test>::on_runtime_upgrade();
		});
	}
}
