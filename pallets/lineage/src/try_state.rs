//! The version graph's invariants, checked by `try_state` (and after every unit test).

use crate::*;
use alloc::collections::BTreeMap;
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{
	TryRuntimeError,
	traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// Check every invariant of the graph and the refs.
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		for (id, node) in Nodes::<T>::iter() {
			let mut generation = 0u32;
			let mut parent_in_model = false;
			for parent in node.parents.iter() {
				let parent_node = Nodes::<T>::get(parent.id).ok_or("a parent is not in the graph")?;
				generation = generation.max(parent_node.generation.saturating_add(1));
				parent_in_model |= parent_node.model == node.model;
			}
			ensure!(node.generation == generation, "a generation is not one more than its highest parent's");
			ensure!(Roots::<T>::contains_key(&node.model, id) == !parent_in_model, "roots disagree with the parents");

			let children = Children::<T>::iter_prefix(id).count() as u32;
			ensure!(children == node.child_count, "child_count differs from the children index");
			let mut child_in_model = false;
			for index in 0..node.child_count {
				let child = Children::<T>::get(id, index).ok_or("the children index has a gap")?;
				let child_node = Nodes::<T>::get(child.id).ok_or("a child is not in the graph")?;
				let listed = child_node.parents.iter().any(|parent| parent.id == id && parent.edge == child.edge);
				ensure!(listed, "a child does not list its parent");
				child_in_model |= child_node.model == node.model;
			}
			ensure!(Heads::<T>::contains_key(&node.model, id) == !child_in_model, "heads disagree with the children");
		}
		for (model, id, ()) in Heads::<T>::iter() {
			ensure!(
				Nodes::<T>::get(id).is_some_and(|node| node.model == model),
				"a head is not a version of its model"
			);
		}
		for (model, id, ()) in Roots::<T>::iter() {
			ensure!(
				Nodes::<T>::get(id).is_some_and(|node| node.model == model),
				"a root is not a version of its model"
			);
		}
		for (base, derived, _) in Derivations::<T>::iter() {
			ensure!(DerivedFrom::<T>::contains_key(&derived, &base), "a derivation is not mirrored");
		}
		for (derived, base, ()) in DerivedFrom::<T>::iter() {
			ensure!(Derivations::<T>::contains_key(&base, &derived), "a derived-from link is not mirrored");
		}

		// (reason, account) -> (reason, deposits recorded beside the refs).
		let mut held: BTreeMap<(u8, T::AccountId), (HoldReason, BalanceOf<T>)> = BTreeMap::new();
		let mut hold = |reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>| {
			let entry = held.entry((reason as u8, who.clone())).or_insert((reason, Zero::zero()));
			entry.1 = entry.1.saturating_add(amount);
		};
		for (model, name, details) in Refs::<T>::iter() {
			let history = RefHistory::<T>::iter_prefix((&model, &name)).count() as u32;
			ensure!(history == details.moves, "a ref's moves differ from its history");
			let last = details.moves.checked_sub(1).and_then(|index| RefHistory::<T>::get((&model, &name, index)));
			ensure!(last.is_some_and(|entry| entry.to == details.target), "a ref's history does not end at its target");
			let target = Nodes::<T>::get(details.target).ok_or("a ref points outside the graph")?;
			ensure!(target.model == model, "a ref points at a version of another model");
			hold(HoldReason::RefDeposit, &details.creator, details.deposit);
			for (_, entry) in RefHistory::<T>::iter_prefix((&model, &name)) {
				hold(HoldReason::RefMoveDeposit, &entry.by, entry.deposit);
			}
		}
		for ((_, who), (reason, amount)) in held {
			ensure!(
				T::Currency::balance_on_hold(&reason.into(), &who) == amount,
				"recorded deposits differ from holds"
			);
		}
		Ok(())
	}
}
