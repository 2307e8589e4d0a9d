//! Unit tests: every edge rule and ref rule, every rejection with its exact error and no state
//! change, and a property test of the graph walks against a reference implementation.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, dispatch::DispatchResult, traits::fungible::InspectHold};
use pallet_model_registry::{Error as RegistryError, Role};
use std::collections::{BTreeMap, BTreeSet};
use zoo_primitives::{testing::ManifestBuilder, *};

const BASE: &str = "acme/base";
const TUNED: &str = "acme/tuned";

fn name(text: &str) -> ModelName {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn ref_name(text: &str) -> RefName {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn manifest(model: &str, message: &str, parents: &[(VersionId, EdgeKind)]) -> Manifest {
	ManifestBuilder::new(model).parents(parents).message(message).build()
}

fn create(model: &str) {
	assert_ok!(ModelRegistry::create_model(RuntimeOrigin::signed(ALICE), name(model)));
}

fn commit(model: &str, message: &str, parents: &[(VersionId, EdgeKind)]) -> VersionId {
	let manifest = manifest(model, message, parents);
	let id = manifest.id();
	assert_ok!(ModelRegistry::commit_version(RuntimeOrigin::signed(ALICE), manifest));
	id
}

fn grant(model: &str, who: AccountId, role: Role) {
	assert_ok!(ModelRegistry::set_role(RuntimeOrigin::signed(ALICE), name(model), who, Some(role)));
}

/// The error alone (`assert_noop!` compares errors; the refund is checked separately).
fn without_post_info(result: frame_support::dispatch::DispatchResultWithPostInfo) -> DispatchResult {
	result.map(|_| ()).map_err(|error| error.error)
}

fn node(id: VersionId) -> Node {
	Nodes::<Test>::get(id).expect("recorded")
}

fn set<T: Ord + Clone>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
	items.into_iter().collect()
}

fn heads(model: &str) -> BTreeSet<VersionId> {
	set(Lineage::heads(name(model), MAX_PAGE))
}

fn roots(model: &str) -> BTreeSet<VersionId> {
	set(Lineage::roots(name(model), MAX_PAGE))
}

fn ids(walk: &Walk) -> Vec<VersionId> {
	walk.nodes.iter().map(|node| node.id).collect()
}

/// A base model with `v0 <- v1 <- v2` on one line and `v0 <- x1` beside it.
fn fork() -> [VersionId; 4] {
	create(BASE);
	let v0 = commit(BASE, "v0", &[]);
	let v1 = commit(BASE, "v1", &[(v0, EdgeKind::Revision)]);
	let v2 = commit(BASE, "v2", &[(v1, EdgeKind::Revision)]);
	let x1 = commit(BASE, "x1", &[(v0, EdgeKind::Revision)]);
	[v0, v1, v2, x1]
}

fn ids_of(walk: &Walk) -> Vec<VersionId> {
	ids(walk)
}

mod commits {
	use super::*;

	#[test]
	fn commits_record_generations_children_roots_and_heads() {
		run(|| {
			let [v0, v1, v2, x1] = fork();
			assert_eq!(node(v0).generation, 0);
			assert_eq!(node(v2).generation, 2);
			assert_eq!(node(x1).generation, 1);
			assert_eq!(node(v0).child_count, 2);
			assert_eq!(
				Lineage::children(v0, 0, 10),
				vec![Child { id: v1, edge: EdgeKind::Revision }, Child { id: x1, edge: EdgeKind::Revision }]
			);
			assert_eq!(Lineage::children(v0, 1, 10), vec![Child { id: x1, edge: EdgeKind::Revision }]);
			assert_eq!(Lineage::parents(v1), vec![Parent { id: v0, edge: EdgeKind::Revision }]);
			assert_eq!(roots(BASE), set([v0]));
			assert_eq!(heads(BASE), set([v2, x1]));

			let merge = commit(BASE, "merge", &[(v2, EdgeKind::Merge), (x1, EdgeKind::Merge)]);
			assert_eq!(node(merge).generation, 3);
			assert_eq!(heads(BASE), set([merge]));
			assert_eq!(Lineage::nodes(vec![merge, VersionId([7; 32])]), vec![Some(node(merge)), None]);
		});
	}

	#[test]
	fn derivations_across_models_are_roots_of_the_derived_model() {
		run(|| {
			let [_, _, v2, _] = fork();
			create(TUNED);
			let tuned = commit(TUNED, "ft", &[(v2, EdgeKind::Finetune)]);
			System::assert_has_event(
				Event::DerivationAdded { base: name(BASE), derived: name(TUNED), version: tuned }.into(),
			);
			// A derived version is a root of its own model and leaves the base's heads alone.
			assert_eq!(roots(TUNED), set([tuned]));
			assert!(heads(BASE).contains(&v2));
			assert_eq!(node(tuned).generation, 3);
			let again = commit(TUNED, "q", &[(v2, EdgeKind::Quantize)]);
			assert_eq!(
				Derivations::<Test>::get(name(BASE), name(TUNED)),
				Some(DerivationLink { first: tuned, edges: 2 })
			);
			assert_eq!(roots(TUNED), set([tuned, again]));
			assert_eq!(Lineage::derived_from(name(TUNED)), vec![name(BASE)]);

			// The tree goes through intermediate models: base <- tuned <- (small, adapter).
			create("acme/small");
			create("acme/lora");
			let small = commit("acme/small", "distilled", &[(tuned, EdgeKind::Distill)]);
			commit("acme/lora", "adapter", &[(small, EdgeKind::Adapter)]);
			let tree: Vec<(String, String, u32)> = Lineage::derivations(name(BASE), 10)
				.into_iter()
				.map(|d| {
					(
						String::from_utf8(d.base.to_vec()).unwrap(),
						String::from_utf8(d.derived.to_vec()).unwrap(),
						d.depth,
					)
				})
				.collect();
			assert_eq!(
				tree,
				vec![
					(BASE.into(), TUNED.into(), 1),
					(TUNED.into(), "acme/small".into(), 2),
					("acme/small".into(), "acme/lora".into(), 3)
				]
			);
			assert_eq!(Lineage::derivations(name(BASE), 2).len(), 2);
			assert!(Lineage::derivations(name("acme/lora"), 10).is_empty());
		});
	}

	#[test]
	fn edge_rules_reject_with_precise_errors_and_change_nothing() {
		run(|| {
			let [v0, v1, v2, x1] = fork();
			create(TUNED);
			let origin = || RuntimeOrigin::signed(ALICE);
			let cases: Vec<(Manifest, RegistryError<Test>)> = vec![
				(manifest(BASE, "one merge", &[(v1, EdgeKind::Merge)]), RegistryError::MergeNeedsTwoParents),
				(manifest(TUNED, "revision across", &[(v1, EdgeKind::Revision)]), RegistryError::RevisionAcrossModels),
				(
					manifest(TUNED, "merge with a revision across", &[(v1, EdgeKind::Merge), (v2, EdgeKind::Revision)]),
					RegistryError::RevisionAcrossModels,
				),
				(manifest(BASE, "unknown", &[(VersionId([1; 32]), EdgeKind::Revision)]), RegistryError::UnknownParent),
			];
			for (manifest, error) in cases {
				assert_noop!(ModelRegistry::commit_version(origin(), manifest), error);
			}
			// MAX_PARENTS + 1 parents: the graph's bound, below the manifest's.
			let extra = commit(BASE, "extra", &[]);
			let five: Vec<_> = [v0, v1, v2, x1, extra].into_iter().map(|id| (id, EdgeKind::Merge)).collect();
			assert_eq!(five.len() as u32, mock::MAX_PARENTS + 1);
			assert_noop!(
				ModelRegistry::commit_version(origin(), manifest(BASE, "five", &five)),
				RegistryError::<Test>::TooManyParents
			);
			// Merges across models and derivations within one model are fine.
			commit(TUNED, "merge across", &[(v2, EdgeKind::Merge), (x1, EdgeKind::Merge)]);
			commit(BASE, "quantized", &[(v2, EdgeKind::Quantize)]);
		});
	}
}

mod walks {
	use super::*;

	#[test]
	fn ancestors_and_descendants_come_nearest_first_within_the_limit() {
		run(|| {
			let [v0, v1, v2, x1] = fork();
			let merge = commit(BASE, "merge", &[(v2, EdgeKind::Merge), (x1, EdgeKind::Merge)]);
			let all = Lineage::ancestors(merge, 100).unwrap();
			assert!(all.complete);
			assert_eq!(ids(&all)[..2], [v2, v1]);
			assert_eq!(set(ids(&all)), set([v0, v1, v2, x1]));
			assert_eq!(*ids(&all).last().unwrap(), v0);
			assert_eq!(all.nodes[0].parents.to_vec(), vec![Parent { id: v1, edge: EdgeKind::Revision }]);

			// The limit counts what the walk reads: merge, v2 and x1, then v1 is one too many.
			let cut = Lineage::ancestors(merge, 3).unwrap();
			assert_eq!((ids(&cut), cut.complete), (vec![v2], false));
			let none = Lineage::ancestors(v0, 5).unwrap();
			assert_eq!((none.nodes.len(), none.complete), (0, true));

			let down = Lineage::descendants(v0, 100).unwrap();
			assert!(down.complete);
			assert_eq!(*ids(&down).last().unwrap(), merge);
			assert_eq!(set(ids(&down)), set([v1, v2, x1, merge]));
			// v0, its two child links and children, then v1's child link is one too many.
			let cut = Lineage::descendants(v0, 5).unwrap();
			assert_eq!((cut.nodes.len(), cut.complete), (1, false));
			assert_eq!(Lineage::descendants(v0, 0).unwrap(), Walk { nodes: vec![], complete: false });

			assert_eq!(Lineage::ancestors(VersionId([3; 32]), 5), Err(QueryError::UnknownVersion));
			assert_eq!(Lineage::descendants(VersionId([3; 32]), 5), Err(QueryError::UnknownVersion));
		});
	}

	#[test]
	fn is_ancestor_and_merge_base_answer_within_the_limit() {
		run(|| {
			let [v0, v1, v2, x1] = fork();
			assert_eq!(Lineage::is_ancestor(v0, v2, 10), Ok(true));
			assert_eq!(Lineage::is_ancestor(v2, v2, 10), Ok(true));
			assert_eq!(Lineage::is_ancestor(v2, v0, 10), Ok(false));
			assert_eq!(Lineage::is_ancestor(x1, v2, 10), Ok(false));
			// Reading v0, v2 and v1 is needed: two reads are not enough.
			assert_eq!(Lineage::is_ancestor(v0, v2, 2), Err(QueryError::LimitReached));
			assert_eq!(Lineage::is_ancestor(v0, VersionId([3; 32]), 10), Err(QueryError::UnknownVersion));

			assert_eq!(Lineage::merge_base(v2, x1, 10), Ok(vec![v0]));
			assert_eq!(Lineage::merge_base(v1, v2, 10), Ok(vec![v1]));
			assert_eq!(Lineage::merge_base(v2, v2, 10), Ok(vec![v2]));
			assert_eq!(Lineage::merge_base(v2, x1, 3), Err(QueryError::LimitReached));
			let other = commit(BASE, "unrelated root", &[]);
			assert_eq!(Lineage::merge_base(v2, other, 10), Ok(vec![]));

			// Criss-cross: two merges of v2 and x1 have both as best common ancestors.
			let m1 = commit(BASE, "m1", &[(v2, EdgeKind::Merge), (x1, EdgeKind::Merge)]);
			let m2 = commit(BASE, "m2", &[(x1, EdgeKind::Merge), (v2, EdgeKind::Merge)]);
			assert_eq!(set(Lineage::merge_base(m1, m2, 20).unwrap()), set([v2, x1]));
		});
	}

	/// F-17: a walk down from a version with many children, or a derivation tree with many links,
	/// reads no more than its limit: the storage proof of a small walk stays small.
	#[test]
	fn walks_read_no_more_than_their_limit() {
		use codec::Encode;
		let mut ext = new_test_ext();
		let (few, many) = ext.execute_with(|| {
			create(BASE);
			create(TUNED);
			let few = commit(BASE, "few", &[]);
			commit(TUNED, "only child", &[(few, EdgeKind::Finetune)]);
			let many = commit(BASE, "many", &[]);
			for index in 0..300 {
				let model = format!("acme/derived-{index}");
				create(&model);
				commit(&model, "child", &[(many, EdgeKind::Finetune)]);
			}
			(few, many)
		});
		ext.commit_all().unwrap();
		let mut proof_size = |read: &dyn Fn()| {
			let ((), proof) = ext.execute_and_prove(read);
			proof.encoded_size()
		};
		// `few` has one child: 3 reads (it, the link, the child) are the whole walk.
		let small_few = proof_size(&|| assert!(Lineage::descendants(few, 3).unwrap().complete));
		let small_many = proof_size(&|| assert!(!Lineage::descendants(many, 3).unwrap().complete));
		let whole_many = proof_size(&|| assert!(Lineage::descendants(many, 1000).unwrap().complete));
		assert!(small_many < 2 * small_few, "3 reads of a popular version: {small_many} vs {small_few} bytes of proof");
		assert!(small_many * 20 < whole_many, "{small_many} vs {whole_many}");
		let tree_small = proof_size(&|| assert_eq!(Lineage::derivations(name(BASE), 3).len(), 3));
		let tree_whole = proof_size(&|| assert_eq!(Lineage::derivations(name(BASE), 1000).len(), 301));
		assert!(tree_small * 20 < tree_whole, "{tree_small} vs {tree_whole}");
	}

	/// The reference implementation: a DAG in memory, walked naively.
	struct Reference {
		parents: Vec<Vec<usize>>,
		model: Vec<usize>,
	}

	impl Reference {
		/// Ancestors of `x`, `x` included.
		fn ancestors(&self, x: usize) -> BTreeSet<usize> {
			let mut found = BTreeSet::from([x]);
			let mut stack = vec![x];
			while let Some(next) = stack.pop() {
				for parent in &self.parents[next] {
					if found.insert(*parent) {
						stack.push(*parent);
					}
				}
			}
			found
		}

		fn generation(&self, x: usize) -> u32 {
			self.parents[x].iter().map(|parent| self.generation(*parent) + 1).max().unwrap_or(0)
		}

		fn merge_bases(&self, a: usize, b: usize) -> BTreeSet<usize> {
			let common: BTreeSet<usize> = self.ancestors(a).intersection(&self.ancestors(b)).copied().collect();
			common
				.iter()
				.copied()
				.filter(|candidate| {
					!common.iter().any(|other| other != candidate && self.ancestors(*other).contains(candidate))
				})
				.collect()
		}
	}

	proptest::proptest! {
		#![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

		/// Random DAGs over two models, committed through the registry; every walk agrees with the
		/// reference implementation.
		#[test]
		fn walks_agree_with_a_reference_implementation(
			shape in proptest::collection::vec(
				(0usize..2, proptest::collection::vec(0usize..1000, 0..4)),
				1..40,
			),
			pairs in proptest::collection::vec((0usize..1000, 0usize..1000), 12),
		) {
			run(|| {
				let models = [BASE, TUNED];
				create(BASE);
				create(TUNED);
				let mut reference = Reference { parents: Vec::new(), model: Vec::new() };
				let mut ids: Vec<VersionId> = Vec::new();
				for (index, (model, picks)) in shape.iter().enumerate() {
					let parents: Vec<usize> =
						if index == 0 { Vec::new() } else { set(picks.iter().map(|pick| pick % index)).into_iter().collect() };
					let edges: Vec<(VersionId, EdgeKind)> = parents
						.iter()
						.map(|parent| {
							let edge = match (parents.len(), reference.model[*parent] == *model) {
								(1, true) => EdgeKind::Revision,
								(1, false) => EdgeKind::Finetune,
								_ => EdgeKind::Merge,
							};
							(ids[*parent], edge)
						})
						.collect();
					ids.push(commit(models[*model], &index.to_string(), &edges));
					reference.parents.push(parents);
					reference.model.push(*model);
				}
				let count = ids.len();
				let index_of: BTreeMap<VersionId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
				let indices = |found: &[VersionId]| -> BTreeSet<usize> { found.iter().map(|id| index_of[id]).collect() };

				for x in 0..count {
					assert_eq!(node(ids[x]).generation, reference.generation(x));
					let mut expected = reference.ancestors(x);
					expected.remove(&x);
					let walk = Lineage::ancestors(ids[x], MAX_QUERY_LIMIT).unwrap();
					assert!(walk.complete);
					assert_eq!(indices(&ids_of(&walk)), expected);
					assert!(walk.nodes.windows(2).all(|pair| pair[0].generation >= pair[1].generation));
					// A limit on what the walk reads cuts it to its nearest versions.
					let cut = Lineage::ancestors(ids[x], 3).unwrap();
					let found = indices(&ids_of(&cut));
					assert!(found.len() <= 2 && found.is_subset(&expected));
					assert_eq!(cut.complete, found == expected);
					let lowest = cut.nodes.iter().map(|node| node.generation).min().unwrap_or(u32::MAX);
					assert!(expected.difference(&found).all(|y| reference.generation(*y) <= lowest), "nearest first");

					let below: BTreeSet<usize> =
						(0..count).filter(|y| *y != x && reference.ancestors(*y).contains(&x)).collect();
					let down = Lineage::descendants(ids[x], MAX_QUERY_LIMIT).unwrap();
					assert_eq!(indices(&ids_of(&down)), below);
					assert!(down.nodes.windows(2).all(|pair| pair[0].generation <= pair[1].generation));
				}
				for (a, b) in &pairs {
					let (a, b) = (a % count, b % count);
					let is_ancestor = reference.ancestors(b).contains(&a);
					assert_eq!(Lineage::is_ancestor(ids[a], ids[b], MAX_QUERY_LIMIT), Ok(is_ancestor), "{a} {b}");
					let bases = Lineage::merge_base(ids[a], ids[b], MAX_QUERY_LIMIT).unwrap();
					assert_eq!(bases.len(), indices(&bases).len(), "no duplicates");
					assert_eq!(indices(&bases), reference.merge_bases(a, b), "merge base of {a} and {b}");
				}
				for (model, text) in models.iter().enumerate() {
					let in_model = |x: &usize| reference.model[*x] == model;
					let expected_heads: BTreeSet<usize> = (0..count)
						.filter(in_model)
						.filter(|x| !(0..count).any(|y| in_model(&y) && reference.parents[y].contains(x)))
						.collect();
					let expected_roots: BTreeSet<usize> = (0..count)
						.filter(in_model)
						.filter(|x| !reference.parents[*x].iter().any(in_model))
						.collect();
					assert_eq!(indices(&Lineage::heads(name(text), MAX_PAGE)), expected_heads);
					assert_eq!(indices(&Lineage::roots(name(text), MAX_PAGE)), expected_roots);
				}
			});
		}
	}
}

mod create_ref {
	use super::*;

	#[test]
	fn refs_are_created_with_a_deposit_and_a_first_history_entry() {
		run(|| {
			let [v0, ..] = fork();
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(ALICE), name(BASE), ref_name("main"), v0, true));
			System::assert_last_event(
				Event::RefCreated { model: name(BASE), name: ref_name("main"), target: v0, protected: true, by: ALICE }
					.into(),
			);
			let details = Lineage::ref_target(name(BASE), ref_name("main")).unwrap();
			assert_eq!((details.target, details.protected, details.moves, details.deposit), (v0, true, 1, REF_DEPOSIT));
			assert_eq!(Balances::balance_on_hold(&HoldReason::RefDeposit.into(), &ALICE), REF_DEPOSIT);
			assert_eq!(
				Lineage::ref_history(name(BASE), ref_name("main"), 0, 10),
				vec![RefMove { by: ALICE, from: None, to: v0, block: 1, forced: false, deposit: 0 }]
			);
			assert_eq!(Lineage::refs(name(BASE)).len(), 1);
		});
	}

	#[test]
	fn create_ref_rejections_change_nothing() {
		run(|| {
			let [v0, ..] = fork();
			create(TUNED);
			let tuned = commit(TUNED, "t", &[]);
			let yanked = commit(BASE, "bad", &[]);
			assert_ok!(ModelRegistry::yank_version(
				RuntimeOrigin::signed(ALICE),
				yanked,
				b"broken".to_vec().try_into().unwrap()
			));
			grant(BASE, POOR, Role::Releaser);
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(ALICE), name(BASE), ref_name("main"), v0, false));
			let create_ref = |who, model: &str, ref_text: &str, target| {
				Lineage::create_ref(RuntimeOrigin::signed(who), name(model), ref_name(ref_text), target, false)
			};
			assert_noop!(create_ref(ALICE, BASE, "Main", v0), Error::<Test>::InvalidRefName);
			assert_noop!(create_ref(ALICE, BASE, "a//b", v0), Error::<Test>::InvalidRefName);
			assert_noop!(create_ref(ALICE, "acme/none", "main", v0), Error::<Test>::UnknownModel);
			assert_noop!(create_ref(CHARLIE, BASE, "dev", v0), Error::<Test>::NotAllowed);
			assert_noop!(create_ref(ALICE, BASE, "main", v0), Error::<Test>::RefExists);
			assert_noop!(create_ref(ALICE, BASE, "dev", VersionId([5; 32])), Error::<Test>::UnknownVersion);
			assert_noop!(create_ref(ALICE, BASE, "dev", tuned), Error::<Test>::WrongModel);
			grant(BASE, BOB, Role::Writer);
			assert_noop!(create_ref(BOB, BASE, "dev", yanked), Error::<Test>::TargetYanked);
			assert_noop!(
				Lineage::create_ref(RuntimeOrigin::signed(BOB), name(BASE), ref_name("prod"), v0, true),
				Error::<Test>::NotAdmin
			);
			assert_noop!(create_ref(POOR, BASE, "dev", v0), Error::<Test>::InsufficientBalance);
		});
	}
}

mod move_ref {
	use super::*;

	#[test]
	fn roles_split_committing_from_moving_refs() {
		run(|| {
			let [v0, v1, ..] = fork();
			grant(BASE, BOB, Role::Releaser);
			grant(BASE, CHARLIE, Role::Committer);
			let move_production = |who, to, force| {
				without_post_info(Lineage::move_ref(
					RuntimeOrigin::signed(who),
					name(BASE),
					ref_name("production"),
					to,
					force,
					10,
				))
			};
			// Only an admin could unprotect it again, so only an admin creates a protected ref.
			assert_noop!(
				Lineage::create_ref(RuntimeOrigin::signed(BOB), name(BASE), ref_name("production"), v0, true),
				Error::<Test>::NotAdmin
			);
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(ALICE), name(BASE), ref_name("production"), v0, true));
			assert_ok!(move_production(BOB, v1, false));
			assert_noop!(
				ModelRegistry::commit_version(RuntimeOrigin::signed(BOB), manifest(BASE, "by releaser", &[])),
				RegistryError::<Test>::NotCommitter
			);
			assert_ok!(ModelRegistry::commit_version(
				RuntimeOrigin::signed(CHARLIE),
				manifest(BASE, "by committer", &[])
			));
			assert_noop!(move_production(CHARLIE, v0, false), Error::<Test>::NotAllowed);
			grant(BASE, CHARLIE, Role::Writer);
			assert_ok!(ModelRegistry::commit_version(RuntimeOrigin::signed(CHARLIE), manifest(BASE, "by writer", &[])));
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(CHARLIE), name(BASE), ref_name("dev"), v0, false));
			// Neither a releaser nor a writer may force a move or change protection.
			assert_noop!(move_production(BOB, v0, true), Error::<Test>::NotAdmin);
			assert_noop!(move_production(CHARLIE, v0, true), Error::<Test>::NotAdmin);
			assert_noop!(
				Lineage::set_ref_protection(RuntimeOrigin::signed(CHARLIE), name(BASE), ref_name("production"), false),
				Error::<Test>::NotAdmin
			);
		});
	}

	#[test]
	fn protected_refs_move_only_forward_unless_an_admin_forces_them() {
		run(|| {
			let [v0, v1, v2, x1] = fork();
			grant(BASE, BOB, Role::Writer);
			let main = || ref_name("main");
			let move_ref = |who, to, force, limit| {
				without_post_info(Lineage::move_ref(RuntimeOrigin::signed(who), name(BASE), main(), to, force, limit))
			};
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(ALICE), name(BASE), main(), v0, true));
			assert_ok!(move_ref(BOB, v2, false, 10));
			System::assert_last_event(
				Event::RefMoved { model: name(BASE), name: main(), from: v0, to: v2, forced: false, by: BOB }.into(),
			);
			assert_eq!(Balances::balance_on_hold(&HoldReason::RefMoveDeposit.into(), &BOB), REF_MOVE_DEPOSIT);

			assert_noop!(move_ref(BOB, v1, false, 10), Error::<Test>::NotFastForward);
			assert_noop!(move_ref(BOB, x1, false, 10), Error::<Test>::NotFastForward);
			assert_noop!(move_ref(BOB, v2, false, 10), Error::<Test>::RefUnchanged);
			assert_noop!(move_ref(BOB, v0, true, 0), Error::<Test>::NotAdmin);
			let merge = commit(BASE, "merge", &[(v2, EdgeKind::Merge), (x1, EdgeKind::Merge)]);
			assert_noop!(move_ref(BOB, merge, false, 1), Error::<Test>::WalkLimitReached);
			assert_noop!(move_ref(BOB, merge, false, MAX_WALK + 1), Error::<Test>::WalkLimitTooHigh);

			// An admin forces main back to x1: recorded as forced.
			assert_ok!(move_ref(ALICE, x1, true, 0));
			let history = Lineage::ref_history(name(BASE), main(), 0, 10);
			assert_eq!(history.len(), 3);
			assert_eq!((history[0].from, history[0].to, history[0].forced, history[0].by), (Some(v2), x1, true, ALICE));
			assert_eq!((history[1].from, history[1].to, history[1].forced), (Some(v0), v2, false));
			assert_eq!(Lineage::ref_history(name(BASE), main(), 1, 1), vec![history[1].clone()]);

			// Unprotected, the ref goes anywhere within the model.
			assert_ok!(Lineage::set_ref_protection(RuntimeOrigin::signed(ALICE), name(BASE), main(), false));
			assert_ok!(move_ref(BOB, v0, false, 0));
		});
	}

	#[test]
	fn move_ref_rejections_change_nothing() {
		run(|| {
			let [v0, v1, ..] = fork();
			create(TUNED);
			let tuned = commit(TUNED, "t", &[]);
			let yanked = commit(BASE, "bad", &[(v1, EdgeKind::Revision)]);
			assert_ok!(ModelRegistry::yank_version(
				RuntimeOrigin::signed(ALICE),
				yanked,
				b"broken".to_vec().try_into().unwrap()
			));
			grant(BASE, POOR, Role::Releaser);
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(ALICE), name(BASE), ref_name("main"), v0, false));
			let move_ref = |who, ref_text: &str, to| {
				without_post_info(Lineage::move_ref(
					RuntimeOrigin::signed(who),
					name(BASE),
					ref_name(ref_text),
					to,
					false,
					10,
				))
			};
			assert_noop!(move_ref(ALICE, "nope", v1), Error::<Test>::UnknownRef);
			assert_noop!(move_ref(CHARLIE, "main", v1), Error::<Test>::NotAllowed);
			assert_noop!(move_ref(ALICE, "main", VersionId([5; 32])), Error::<Test>::UnknownVersion);
			assert_noop!(move_ref(ALICE, "main", tuned), Error::<Test>::WrongModel);
			grant(BASE, BOB, Role::Writer);
			assert_noop!(move_ref(BOB, "main", yanked), Error::<Test>::TargetYanked);
			assert_noop!(move_ref(POOR, "main", v1), Error::<Test>::InsufficientBalance);
		});
	}

	#[test]
	fn move_ref_is_charged_for_the_versions_its_walk_read() {
		run(|| {
			create(BASE);
			let mut chain = vec![commit(BASE, "0", &[])];
			for i in 1..20 {
				let parent = *chain.last().unwrap();
				chain.push(commit(BASE, &i.to_string(), &[(parent, EdgeKind::Revision)]));
			}
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(ALICE), name(BASE), ref_name("main"), chain[0], true));
			let post =
				Lineage::move_ref(RuntimeOrigin::signed(ALICE), name(BASE), ref_name("main"), chain[19], false, 1000)
					.unwrap();
			// Both ends and the 18 versions between them.
			assert_eq!(post.actual_weight, Some(<() as WeightInfo>::move_ref(20)));
			assert!(post.actual_weight.unwrap().all_lt(<() as WeightInfo>::move_ref(1000)));
			// A failed walk is charged what it read, not the whole limit.
			let error =
				Lineage::move_ref(RuntimeOrigin::signed(ALICE), name(BASE), ref_name("main"), chain[3], false, 1000)
					.unwrap_err();
			assert_eq!(error.error, Error::<Test>::NotFastForward.into());
			assert_eq!(error.post_info.actual_weight, Some(<() as WeightInfo>::move_ref(2)));
		});
	}

	#[test]
	fn ref_at_answers_for_any_block() {
		run(|| {
			let [v0, v1, v2, _] = fork();
			let main = || ref_name("main");
			System::set_block_number(10);
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(ALICE), name(BASE), main(), v0, false));
			System::set_block_number(20);
			assert_ok!(Lineage::move_ref(RuntimeOrigin::signed(ALICE), name(BASE), main(), v1, false, 0));
			assert_ok!(Lineage::move_ref(RuntimeOrigin::signed(ALICE), name(BASE), main(), v2, false, 0));
			System::set_block_number(30);
			assert_ok!(Lineage::move_ref(RuntimeOrigin::signed(ALICE), name(BASE), main(), v0, false, 0));
			let at = |block| Lineage::ref_at(name(BASE), main(), block);
			assert_eq!(at(9), None);
			assert_eq!(at(10), Some(v0));
			assert_eq!(at(19), Some(v0));
			// Two moves in block 20: the ref pointed at the second after it.
			assert_eq!(at(20), Some(v2));
			assert_eq!(at(29), Some(v2));
			assert_eq!(at(30), Some(v0));
			assert_eq!(at(1_000), Some(v0));
			assert_eq!(Lineage::ref_at(name(BASE), ref_name("other"), 30), None);
		});
	}

	#[test]
	fn only_admins_point_refs_at_yanked_versions() {
		run(|| {
			let [v0, v1, ..] = fork();
			grant(BASE, BOB, Role::Writer);
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(BOB), name(BASE), ref_name("main"), v0, false));
			assert_ok!(ModelRegistry::yank_version(
				RuntimeOrigin::signed(ALICE),
				v1,
				b"bad".to_vec().try_into().unwrap()
			));
			let move_main = |who| {
				without_post_info(Lineage::move_ref(
					RuntimeOrigin::signed(who),
					name(BASE),
					ref_name("main"),
					v1,
					false,
					10,
				))
			};
			assert_noop!(move_main(BOB), Error::<Test>::TargetYanked);
			assert_ok!(move_main(ALICE));
		});
	}
}

mod set_ref_protection {
	use super::*;

	#[test]
	fn set_ref_protection_rejections_change_nothing() {
		run(|| {
			let [v0, ..] = fork();
			assert_ok!(Lineage::create_ref(RuntimeOrigin::signed(ALICE), name(BASE), ref_name("main"), v0, true));
			let protect = |who, ref_text: &str, protected| {
				Lineage::set_ref_protection(RuntimeOrigin::signed(who), name(BASE), ref_name(ref_text), protected)
			};
			assert_noop!(protect(ALICE, "nope", false), Error::<Test>::UnknownRef);
			assert_noop!(protect(CHARLIE, "main", false), Error::<Test>::NotAdmin);
			assert_noop!(protect(ALICE, "main", true), Error::<Test>::ProtectionUnchanged);
			assert_ok!(protect(ALICE, "main", false));
			System::assert_last_event(
				Event::RefProtectionSet { model: name(BASE), name: ref_name("main"), protected: false, by: ALICE }
					.into(),
			);
		});
	}
}
