//! The version graph the registry hands every commit to ([`VersionGraph`]).

use crate::*;
use alloc::vec::Vec;
use frame_support::{ensure, traits::Get};
use zoo_primitives::{EdgeError, ModelName, Parent, VersionGraph, VersionId, check_edges};

/// The registry hands every commit to the lineage pallet through this trait.
impl<T: Config> VersionGraph for Pallet<T> {
	fn check_parents(model: &ModelName, parents: &[Parent]) -> Result<(), EdgeError> {
		// Read no node for a parent list that is too long anyway.
		ensure!(parents.len() <= T::MaxParents::get() as usize, EdgeError::TooManyParents);
		let nodes: Vec<Option<Node>> = parents.iter().map(|parent| Nodes::<T>::get(parent.id)).collect();
		let models = nodes.iter().map(|node| node.as_ref().map(|node| &node.model[..]));
		check_edges(model, parents.iter().zip(models), T::MaxParents::get())
	}

	fn insert_version(id: VersionId, model: &ModelName, parents: &[Parent]) {
		Self::do_insert_version(id, model, parents)
	}
}
