//! What the other pallets may ask the registry about models, versions and roles
//! ([`ModelAccess`]).

use crate::*;
use zoo_primitives::{ModelAccess, ModelName, VersionId};

/// The registry answers the other pallets' questions about models, versions and roles.
impl<T: Config> ModelAccess<T::AccountId> for Pallet<T> {
	fn model_exists(model: &ModelName) -> bool {
		Models::<T>::contains_key(model)
	}

	fn can_move_refs(model: &ModelName, who: &T::AccountId) -> bool {
		Self::role_of(model, who).is_some_and(|role| role.can_move_refs())
	}

	fn is_admin(model: &ModelName, who: &T::AccountId) -> bool {
		Self::role_of(model, who).is_some_and(|role| role.is_admin())
	}

	fn is_yanked(id: &VersionId) -> bool {
		Versions::<T>::get(id).is_some_and(|record| record.yanked.is_some())
	}

	fn model_owner(model: &ModelName) -> Option<T::AccountId> {
		Models::<T>::get(model).map(|details| details.owner)
	}

	fn version_model(id: &VersionId) -> Option<ModelName> {
		Versions::<T>::get(id).map(|record| record.model)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create_model_for_benchmarks(model: &ModelName, owner: &T::AccountId) {
		let _ = Self::do_create_model(owner.clone(), model.clone());
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn commit_for_benchmarks(
		model: &ModelName,
		owner: &T::AccountId,
		seed: u32,
		parent: Option<VersionId>,
	) -> VersionId {
		let mut manifest = crate::benchmarking::small_manifest(seed);
		manifest.model = model.clone();
		if let Some(id) = parent {
			let revision = zoo_primitives::Parent { id, edge: zoo_primitives::EdgeKind::Revision };
			manifest.parents.try_push(revision).expect("one parent fits");
		}
		Self::do_commit_version(owner.clone(), manifest).expect("a valid commit by the owner")
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn add_admin_for_benchmarks(model: &ModelName, who: &T::AccountId) {
		if let Some(details) = Models::<T>::get(model) {
			let _ = Self::do_set_role(details.owner, model.clone(), who.clone(), Some(Role::Admin));
		}
	}
}
