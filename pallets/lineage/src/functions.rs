//! The logic behind the calls and behind the version graph the registry calls on each commit
//! (`impl_version_graph.rs`). Each `do_*` checks everything before it writes anything, so a
//! rejected call changes no state.

use crate::*;
use alloc::{collections::BTreeSet, vec::Vec};
use frame_support::{
	dispatch::{DispatchErrorWithPostInfo, DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	pallet_prelude::*,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;
use zoo_pallet_support::Deposits;
use zoo_primitives::{
	ModelAccess, ModelName, Parent, PromotionGate, RefName, VersionId, VersionInspect, validate_ref_name,
};

impl<T: Config> Pallet<T> {
	/// The checks a ref's new target must pass: a version of `model`, not yanked unless `who`
	/// is an admin of `model`.
	fn ensure_target(model: &ModelName, target: &VersionId, who: &T::AccountId) -> DispatchResult {
		let node = Nodes::<T>::get(target).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(&node.model == model, Error::<T>::WrongModel);
		ensure!(!T::Models::is_yanked(target) || T::Models::is_admin(model, who), Error::<T>::TargetYanked);
		Ok(())
	}

	pub(crate) fn do_create_ref(
		who: T::AccountId,
		model: ModelName,
		name: RefName,
		target: VersionId,
		protected: bool,
	) -> DispatchResult {
		validate_ref_name(&name).map_err(|_| Error::<T>::InvalidRefName)?;
		ensure!(T::Models::model_exists(&model), Error::<T>::UnknownModel);
		ensure!(T::Models::can_move_refs(&model, &who), Error::<T>::NotAllowed);
		// Only an admin could unprotect the ref again: only an admin may protect it.
		ensure!(!protected || T::Models::is_admin(&model, &who), Error::<T>::NotAdmin);
		ensure!(!Refs::<T>::contains_key(&model, &name), Error::<T>::RefExists);
		Self::ensure_target(&model, &target, &who)?;
		T::Promotion::check_create(&model, &name, target)?;
		let deposit = T::RefDeposit::get();
		T::Currency::hold_deposit(&HoldReason::RefDeposit.into(), &who, deposit, Error::<T>::InsufficientBalance)?;

		let block = frame_system::Pallet::<T>::block_number();
		let created = RefMove { by: who.clone(), from: None, to: target, block, forced: false, deposit: Zero::zero() };
		RefHistory::<T>::insert((&model, &name, 0), created);
		Refs::<T>::insert(&model, &name, RefDetails { target, protected, moves: 1, creator: who.clone(), deposit });
		Self::deposit_event(Event::RefCreated { model, name, target, protected, by: who });
		Ok(())
	}

	/// Move a ref; the post-dispatch weight (on success and failure) counts only the versions
	/// the forward-only check read.
	pub(crate) fn do_move_ref(
		who: T::AccountId,
		model: ModelName,
		name: RefName,
		to: VersionId,
		force: bool,
		walk_limit: u32,
	) -> DispatchResultWithPostInfo {
		let charged = |read: u32| {
			PostDispatchInfo::from(Some(T::WeightInfo::move_ref(read).saturating_add(T::Promotion::move_weight())))
		};
		let failed = |read: u32, error: DispatchError| DispatchErrorWithPostInfo { post_info: charged(read), error };
		let without_walk = |error: Error<T>| failed(0, error.into());
		ensure!(walk_limit <= T::MaxWalk::get(), without_walk(Error::<T>::WalkLimitTooHigh));
		let mut details = Refs::<T>::get(&model, &name).ok_or(without_walk(Error::<T>::UnknownRef))?;
		if force {
			ensure!(T::Models::is_admin(&model, &who), without_walk(Error::<T>::NotAdmin));
		} else {
			ensure!(T::Models::can_move_refs(&model, &who), without_walk(Error::<T>::NotAllowed));
		}
		ensure!(details.target != to, without_walk(Error::<T>::RefUnchanged));
		Self::ensure_target(&model, &to, &who).map_err(|error| failed(0, error))?;
		let read = if details.protected && !force {
			match Self::walk_is_ancestor(details.target, to, walk_limit) {
				Ok((true, read)) => read,
				Ok((false, read)) => return Err(failed(read, Error::<T>::NotFastForward.into())),
				Err(QueryError::LimitReached) => return Err(failed(walk_limit, Error::<T>::WalkLimitReached.into())),
				Err(QueryError::UnknownVersion) => return Err(without_walk(Error::<T>::UnknownVersion)),
			}
		} else {
			0
		};
		let (evidence, gate_weight) = match force {
			true => (None, Weight::zero()),
			false => {
				let (evidence, weight) =
					T::Promotion::check_move(&model, &name, details.target, to).map_err(|error| failed(read, error))?;
				(Some(evidence), weight)
			}
		};
		let index = details.moves;
		details.moves = index.checked_add(1).ok_or(failed(read, Error::<T>::HistoryFull.into()))?;
		let deposit = T::RefMoveDeposit::get();
		T::Currency::hold_deposit(&HoldReason::RefMoveDeposit.into(), &who, deposit, Error::<T>::InsufficientBalance)
			.map_err(|error| failed(read, error))?;

		let from = core::mem::replace(&mut details.target, to);
		let block = frame_system::Pallet::<T>::block_number();
		RefHistory::<T>::insert(
			(&model, &name, index),
			RefMove { by: who.clone(), from: Some(from), to, block, forced: force, deposit },
		);
		Refs::<T>::insert(&model, &name, details);
		T::Promotion::on_move(&model, &name, index, evidence);
		Self::deposit_event(Event::RefMoved { model, name, from, to, forced: force, by: who });
		// The policy check is charged for what it read.
		Ok(PostDispatchInfo::from(Some(T::WeightInfo::move_ref(read).saturating_add(gate_weight))))
	}

	pub(crate) fn do_set_ref_protection(
		who: T::AccountId,
		model: ModelName,
		name: RefName,
		protected: bool,
	) -> DispatchResult {
		let mut details = Refs::<T>::get(&model, &name).ok_or(Error::<T>::UnknownRef)?;
		ensure!(T::Models::is_admin(&model, &who), Error::<T>::NotAdmin);
		ensure!(details.protected != protected, Error::<T>::ProtectionUnchanged);
		details.protected = protected;
		Refs::<T>::insert(&model, &name, details);
		Self::deposit_event(Event::RefProtectionSet { model, name, protected, by: who });
		Ok(())
	}

	/// Children of `id` in commit order, skipping `start`, at most `limit` (capped).
	pub fn children_page(id: VersionId, start: u32, limit: u32) -> Vec<Child> {
		let Some(node) = Nodes::<T>::get(id) else { return Vec::new() };
		(start..node.child_count)
			.take(limit.min(MAX_PAGE) as usize)
			.filter_map(|index| Children::<T>::get(id, index))
			.collect()
	}

	/// The models deriving from `model`, breadth first, reading at most `limit` derivation
	/// links (a link to a model already listed counts too). A model reached again through
	/// another path is listed once, at its smallest depth.
	pub fn derivation_tree(model: ModelName, limit: u32) -> Vec<Derivation> {
		let mut tree = Vec::new();
		let mut seen = BTreeSet::from([model.clone()]);
		let mut level = alloc::vec![model];
		let mut depth = 0u32;
		let mut reads = 0u32;
		while !level.is_empty() {
			depth = depth.saturating_add(1);
			let mut next_level = Vec::new();
			for base in level {
				for (derived, link) in Derivations::<T>::iter_prefix(&base) {
					if reads >= limit {
						return tree;
					}
					reads = reads.saturating_add(1);
					if seen.insert(derived.clone()) {
						next_level.push(derived.clone());
						tree.push(Derivation { base: base.clone(), derived, depth, link });
					}
				}
			}
			level = next_level;
		}
		tree
	}

	/// Entries of a ref's history, newest first, skipping `start`, at most `limit` (capped).
	pub fn ref_history_page(model: ModelName, name: RefName, start: u32, limit: u32) -> Vec<RefMoveOf<T>> {
		let Some(details) = Refs::<T>::get(&model, &name) else { return Vec::new() };
		(0..details.moves.saturating_sub(start))
			.rev()
			.take(limit.min(MAX_PAGE) as usize)
			.filter_map(|index| RefHistory::<T>::get((&model, &name, index)))
			.collect()
	}

	/// Where a ref pointed after `block`: a binary search over its history, whose entries are
	/// in block order.
	pub fn ref_target_at(model: ModelName, name: RefName, block: BlockNumberFor<T>) -> Option<VersionId> {
		let details = Refs::<T>::get(&model, &name)?;
		let entry = |index: u32| RefHistory::<T>::get((&model, &name, index));
		// Find the first entry made after `block`; the one before it is the answer.
		let (mut low, mut high) = (0u32, details.moves);
		while low < high {
			let middle = low + (high - low) / 2;
			if entry(middle)?.block <= block {
				low = middle + 1;
			} else {
				high = middle;
			}
		}
		let index = low.checked_sub(1)?;
		entry(index).map(|found| found.to)
	}

	/// Record version `id` of `model`: its node, its parents' children and head status, its
	/// model's roots and heads, and derivation links.
	pub(crate) fn do_insert_version(id: VersionId, model: &ModelName, parents: &[Parent]) {
		let mut generation = 0u32;
		let mut parent_in_model = false;
		for parent in parents {
			let Some(mut parent_node) = Nodes::<T>::get(parent.id) else { continue };
			generation = generation.max(parent_node.generation.saturating_add(1));
			Children::<T>::insert(parent.id, parent_node.child_count, Child { id, edge: parent.edge });
			parent_node.child_count = parent_node.child_count.saturating_add(1);
			if &parent_node.model == model {
				parent_in_model = true;
				Heads::<T>::remove(model, parent.id);
			} else {
				Self::link_derivation(&parent_node.model, model, id);
			}
			Nodes::<T>::insert(parent.id, parent_node);
		}
		// Parents come from a manifest, bounded by the same MAX_PARENTS: the conversion holds.
		let parents: Parents = parents.to_vec().try_into().unwrap_or_default();
		Nodes::<T>::insert(id, Node { model: model.clone(), generation, parents, child_count: 0 });
		Heads::<T>::insert(model, id, ());
		if !parent_in_model {
			Roots::<T>::insert(model, id, ());
		}
	}

	fn link_derivation(base: &ModelName, derived: &ModelName, version: VersionId) {
		Derivations::<T>::mutate(base, derived, |link| match link {
			Some(link) => link.edges = link.edges.saturating_add(1),
			None => {
				*link = Some(DerivationLink { first: version, edges: 1 });
				DerivedFrom::<T>::insert(derived, base, ());
				Self::deposit_event(Event::DerivationAdded { base: base.clone(), derived: derived.clone(), version });
			}
		});
	}
}
