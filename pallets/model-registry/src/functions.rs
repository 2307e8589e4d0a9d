//! The logic behind the calls. Each `do_*` checks everything before it writes anything, so a
//! rejected call changes no state.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use sp_runtime::{traits::Saturating, ArithmeticError};
use zoo_primitives::{
	validate_model_name, EdgeError, Manifest, ManifestError, ModelAccess, ModelName, VersionGraph, VersionId,
};

impl<T: Config> Pallet<T> {
	/// The role of `who` on `model`: the owner is an admin.
	pub fn role_of(model: &ModelName, who: &T::AccountId) -> Option<Role> {
		let details = Models::<T>::get(model)?;
		if &details.owner == who {
			return Some(Role::Admin);
		}
		Maintainers::<T>::get(model, who).map(|entry| entry.role)
	}

	/// Version IDs of `model`, newest first, skipping `start`, at most `limit` (capped).
	pub fn versions_page(model: &ModelName, start: u32, limit: u32) -> Vec<VersionId> {
		let Some(details) = Models::<T>::get(model) else { return Vec::new() };
		let newest_first = (0..details.version_count.saturating_sub(start)).rev();
		newest_first
			.take(limit.min(MAX_PAGE) as usize)
			.filter_map(|index| ModelVersions::<T>::get(model, index))
			.collect()
	}

	/// The deposit a manifest of `encoded_len` bytes requires.
	pub fn version_deposit(encoded_len: usize) -> BalanceOf<T> {
		let per_byte = T::VersionDepositPerByte::get();
		let bytes: BalanceOf<T> = (encoded_len as u32).into();
		T::VersionDepositBase::get().saturating_add(per_byte.saturating_mul(bytes))
	}

	fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount).map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::release(&reason.into(), who, amount, Precision::BestEffort).map(|_| ())
	}

	pub fn do_create_model(owner: T::AccountId, name: ModelName) -> DispatchResult {
		validate_model_name(&name).map_err(|_| Error::<T>::InvalidModelName)?;
		ensure!(!Models::<T>::contains_key(&name), Error::<T>::ModelExists);
		let deposit = T::ModelDeposit::get();
		Self::hold(HoldReason::ModelDeposit, &owner, deposit)?;
		Models::<T>::insert(
			&name,
			ModelDetails {
				owner: owner.clone(),
				pending_owner: None,
				deposit,
				created: frame_system::Pallet::<T>::block_number(),
				version_count: 0,
				maintainer_count: 0,
				latest: None,
			},
		);
		Self::deposit_event(Event::ModelCreated { model: name, owner, deposit });
		Ok(())
	}

	pub fn do_set_role(
		caller: T::AccountId,
		model: ModelName,
		who: T::AccountId,
		role: Option<Role>,
	) -> DispatchResult {
		let mut details = Models::<T>::get(&model).ok_or(Error::<T>::UnknownModel)?;
		let caller_is_admin = details.owner == caller
			|| Maintainers::<T>::get(&model, &caller).is_some_and(|entry| entry.role.is_admin());
		ensure!(caller_is_admin, Error::<T>::NotAdmin);
		ensure!(details.owner != who, Error::<T>::OwnerRoleFixed);

		match (Maintainers::<T>::get(&model, &who), role) {
			(Some(mut entry), Some(role)) => {
				entry.role = role;
				Maintainers::<T>::insert(&model, &who, entry);
			}
			(Some(entry), None) => {
				Self::release(HoldReason::MaintainerDeposit, &entry.depositor, entry.deposit)?;
				Maintainers::<T>::remove(&model, &who);
				details.maintainer_count = details.maintainer_count.saturating_sub(1);
				Models::<T>::insert(&model, details);
			}
			(None, Some(role)) => {
				ensure!(details.maintainer_count < T::MaxMaintainers::get(), Error::<T>::TooManyMaintainers);
				let deposit = T::MaintainerDeposit::get();
				Self::hold(HoldReason::MaintainerDeposit, &caller, deposit)?;
				Maintainers::<T>::insert(&model, &who, Maintainer { role, depositor: caller.clone(), deposit });
				details.maintainer_count = details.maintainer_count.saturating_add(1);
				Models::<T>::insert(&model, details);
			}
			(None, None) => return Err(Error::<T>::NotMaintainer.into()),
		}
		Self::deposit_event(Event::RoleSet { model, who, role, by: caller });
		Ok(())
	}

	pub fn do_offer_ownership(caller: T::AccountId, model: ModelName, to: Option<T::AccountId>) -> DispatchResult {
		let mut details = Models::<T>::get(&model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(details.owner == caller, Error::<T>::NotOwner);
		ensure!(to.as_ref() != Some(&caller), Error::<T>::AlreadyOwner);
		details.pending_owner = to.clone();
		Models::<T>::insert(&model, details);
		Self::deposit_event(Event::OwnershipOffered { model, to });
		Ok(())
	}

	pub fn do_accept_ownership(caller: T::AccountId, model: ModelName) -> DispatchResult {
		let mut details = Models::<T>::get(&model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(details.pending_owner.as_ref() == Some(&caller), Error::<T>::NoOwnershipOffer);
		let deposit = T::ModelDeposit::get();
		Self::hold(HoldReason::ModelDeposit, &caller, deposit)?;
		Self::release(HoldReason::ModelDeposit, &details.owner, details.deposit)?;
		let previous = core::mem::replace(&mut details.owner, caller.clone());
		details.pending_owner = None;
		details.deposit = deposit;
		Models::<T>::insert(&model, details);
		Self::deposit_event(Event::OwnershipTransferred { model, from: previous, to: caller });
		Ok(())
	}

	/// Check and store a version; returns its ID.
	pub fn do_commit_version(committer: T::AccountId, manifest: Manifest) -> Result<VersionId, DispatchError> {
		let encoded = manifest.encode();
		ensure!(encoded.len() <= T::MaxManifestLen::get() as usize, Error::<T>::ManifestTooLarge);
		let mut details = Models::<T>::get(&manifest.model).ok_or(Error::<T>::UnknownModel)?;
		let can_commit = details.owner == committer
			|| Maintainers::<T>::get(&manifest.model, &committer).is_some_and(|entry| entry.role.can_commit());
		ensure!(can_commit, Error::<T>::NotCommitter);
		manifest.validate().map_err(Self::manifest_error)?;
		for parent in manifest.parents.iter() {
			ensure!(Versions::<T>::contains_key(parent.id), Error::<T>::UnknownParent);
		}
		T::Lineage::check_parents(&manifest.model, &manifest.parents).map_err(Self::edge_error)?;
		let id = VersionId::of_bytes(&encoded);
		ensure!(!Versions::<T>::contains_key(id), Error::<T>::VersionExists);

		let index = details.version_count;
		details.version_count = index.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		details.latest = Some(id);
		let deposit = Self::version_deposit(encoded.len());
		Self::hold(HoldReason::VersionDeposit, &committer, deposit)?;

		let model = manifest.model.clone();
		Versions::<T>::insert(
			id,
			VersionRecord {
				model: model.clone(),
				index,
				committer: committer.clone(),
				block: frame_system::Pallet::<T>::block_number(),
				deposit,
				yanked: None,
			},
		);
		T::Lineage::insert_version(id, &model, &manifest.parents);
		Manifests::<T>::insert(id, manifest);
		ModelVersions::<T>::insert(&model, index, id);
		Models::<T>::insert(&model, details);
		Self::deposit_event(Event::VersionCommitted { model, id, committer, index, deposit });
		Ok(id)
	}

	pub fn do_yank_version(caller: T::AccountId, id: VersionId, reason: YankReason) -> DispatchResult {
		let mut record = Versions::<T>::get(id).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(record.yanked.is_none(), Error::<T>::AlreadyYanked);
		let is_admin = Self::role_of(&record.model, &caller).is_some_and(|role| role.is_admin());
		ensure!(is_admin || record.committer == caller, Error::<T>::NotAllowedToYank);
		ensure!(core::str::from_utf8(&reason).is_ok(), Error::<T>::InvalidReason);
		record.yanked = Some(Yank { by: caller.clone(), at: frame_system::Pallet::<T>::block_number(), reason });
		let model = record.model.clone();
		Versions::<T>::insert(id, record);
		Self::deposit_event(Event::VersionYanked { model, id, by: caller });
		Ok(())
	}

	fn edge_error(error: EdgeError) -> DispatchError {
		match error {
			EdgeError::UnknownParent => Error::<T>::UnknownParent,
			EdgeError::TooManyParents => Error::<T>::TooManyParents,
			EdgeError::MergeNeedsTwoParents => Error::<T>::MergeNeedsTwoParents,
			EdgeError::RevisionAcrossModels => Error::<T>::RevisionAcrossModels,
		}
		.into()
	}

	fn manifest_error(error: ManifestError) -> DispatchError {
		match error {
			// The model name was already checked by looking the model up.
			ManifestError::InvalidModelName => Error::<T>::UnknownModel,
			ManifestError::DuplicateParent => Error::<T>::DuplicateParent,
			ManifestError::InvalidPath => Error::<T>::InvalidArtifactPath,
			ManifestError::ArtifactsNotSorted => Error::<T>::ArtifactsNotSorted,
			ManifestError::InvalidUri => Error::<T>::InvalidArtifactUri,
			ManifestError::DigestAlgorithmMismatch => Error::<T>::DigestAlgorithmMismatch,
			ManifestError::ShardTooSmall => Error::<T>::ShardTooSmall,
			ManifestError::InvalidKey => Error::<T>::InvalidKey,
			ManifestError::MetricsNotSorted => Error::<T>::MetricsNotSorted,
			ManifestError::TagsNotSorted => Error::<T>::TagsNotSorted,
			ManifestError::InvalidText => Error::<T>::InvalidText,
		}
		.into()
	}
}

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

	#[cfg(feature = "runtime-benchmarks")]
	fn create_model_for_benchmarks(model: &ModelName, owner: &T::AccountId) {
		let _ = Self::do_create_model(owner.clone(), model.clone());
	}
}
