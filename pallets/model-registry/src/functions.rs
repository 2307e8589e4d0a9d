//! The logic behind the calls. Each `do_*` checks everything before it writes anything, so a
//! rejected call changes no state.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::{
	ArithmeticError,
	traits::{Saturating, Zero},
};
use zoo_pallet_support::Deposits;
use zoo_primitives::{
	EdgeError, LicensePolicy, Manifest, ManifestError, ModelName, OrgName, VersionGraph, VersionId, name_skeleton,
	org_of, validate_model_name, validate_org_name,
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

	/// The role of `who` in organisation `org`: the owner is an admin.
	pub fn org_role_of(org: &OrgName, who: &T::AccountId) -> Option<OrgRole> {
		let details = Orgs::<T>::get(org)?;
		if &details.owner == who {
			return Some(OrgRole::Admin);
		}
		OrgMembers::<T>::get(org, who).map(|entry| entry.role)
	}

	/// Whether organisation `org` could be created now (by anyone, or by governance with
	/// `forced`, which ignores the reserved names).
	fn check_org_available(org: &OrgName, forced: bool) -> Result<(), Error<T>> {
		validate_org_name(org).map_err(|_| Error::<T>::InvalidOrgName)?;
		ensure!(!Orgs::<T>::contains_key(org), Error::<T>::OrgExists);
		let skeleton = name_skeleton(org);
		ensure!(!OrgSkeletons::<T>::contains_key(&skeleton), Error::<T>::NameTooSimilar);
		ensure!(forced || !ReservedNames::<T>::contains_key(&skeleton), Error::<T>::NameReserved);
		Ok(())
	}

	/// Whether `name` could be created now: an organisation name (no `/`) or a model name
	/// (whose organisation need not exist yet). Membership is not checked.
	pub fn check_name_available(name: &[u8]) -> Result<(), Error<T>> {
		if !name.contains(&b'/') {
			let org: OrgName = name.to_vec().try_into().map_err(|_| Error::<T>::InvalidOrgName)?;
			return Self::check_org_available(&org, false);
		}
		let model: ModelName = name.to_vec().try_into().map_err(|_| Error::<T>::InvalidModelName)?;
		let org = Self::check_model_available(&model)?;
		if !Orgs::<T>::contains_key(&org) {
			Self::check_org_available(&org, false)?;
		}
		Ok(())
	}

	/// Whether model `name` could be created (its organisation aside); returns the
	/// organisation's name.
	fn check_model_available(name: &ModelName) -> Result<OrgName, Error<T>> {
		validate_model_name(name).map_err(|_| Error::<T>::InvalidModelName)?;
		ensure!(!Models::<T>::contains_key(name), Error::<T>::ModelExists);
		ensure!(!ModelSkeletons::<T>::contains_key(name_skeleton(name)), Error::<T>::NameTooSimilar);
		// A valid model name's organisation part is a valid organisation name (or too long).
		org_of(name).to_vec().try_into().map_err(|_| Error::<T>::InvalidOrgName)
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

	pub(crate) fn do_create_org(owner: T::AccountId, name: OrgName, forced: bool) -> DispatchResult {
		Self::check_org_available(&name, forced)?;
		// Governance grants a name without a deposit: the owner need not even have an account.
		let deposit = if forced { Zero::zero() } else { T::OrgDeposit::get() };
		if !deposit.is_zero() {
			T::Currency::hold_deposit(
				&HoldReason::OrgDeposit.into(),
				&owner,
				deposit,
				Error::<T>::InsufficientBalance,
			)?;
		}
		Self::insert_org(owner, name, deposit);
		Ok(())
	}

	fn insert_org(owner: T::AccountId, name: OrgName, deposit: BalanceOf<T>) {
		OrgSkeletons::<T>::insert(name_skeleton(&name), &name);
		let created = frame_system::Pallet::<T>::block_number();
		Orgs::<T>::insert(
			&name,
			OrgDetails { owner: owner.clone(), deposit, created, member_count: 0, model_count: 0 },
		);
		Self::deposit_event(Event::OrgCreated { org: name, owner, deposit });
	}

	pub(crate) fn do_create_model(owner: T::AccountId, name: ModelName) -> DispatchResult {
		let org = Self::check_model_available(&name)?;
		let mut org_details = match Orgs::<T>::get(&org) {
			Some(details) => {
				ensure!(Self::org_role_of(&org, &owner).is_some(), Error::<T>::NotOrgMember);
				details
			}
			None => {
				// Nobody holds the namespace: the first model claims it for its creator.
				Self::do_create_org(owner.clone(), org.clone(), false)?;
				Orgs::<T>::get(&org).ok_or(Error::<T>::UnknownOrg)?
			}
		};
		let deposit = T::ModelDeposit::get();
		T::Currency::hold_deposit(&HoldReason::ModelDeposit.into(), &owner, deposit, Error::<T>::InsufficientBalance)?;
		org_details.model_count = org_details.model_count.saturating_add(1);
		Orgs::<T>::insert(&org, org_details);
		ModelSkeletons::<T>::insert(name_skeleton(&name), &name);
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

	pub(crate) fn do_set_org_role(
		caller: T::AccountId,
		org: OrgName,
		who: T::AccountId,
		role: Option<OrgRole>,
	) -> DispatchResult {
		let mut details = Orgs::<T>::get(&org).ok_or(Error::<T>::UnknownOrg)?;
		ensure!(Self::org_role_of(&org, &caller).is_some_and(|role| role.is_admin()), Error::<T>::NotOrgAdmin);
		ensure!(details.owner != who, Error::<T>::OwnerRoleFixed);

		match (OrgMembers::<T>::get(&org, &who), role) {
			(Some(mut entry), Some(role)) => {
				entry.role = role;
				OrgMembers::<T>::insert(&org, &who, entry);
			}
			(Some(entry), None) => {
				T::Currency::release_deposit(&HoldReason::OrgMemberDeposit.into(), &entry.depositor, entry.deposit)?;
				OrgMembers::<T>::remove(&org, &who);
				details.member_count = details.member_count.saturating_sub(1);
				Orgs::<T>::insert(&org, details);
			}
			(None, Some(role)) => {
				ensure!(details.member_count < T::MaxOrgMembers::get(), Error::<T>::TooManyOrgMembers);
				let deposit = T::MaintainerDeposit::get();
				T::Currency::hold_deposit(
					&HoldReason::OrgMemberDeposit.into(),
					&caller,
					deposit,
					Error::<T>::InsufficientBalance,
				)?;
				OrgMembers::<T>::insert(&org, &who, OrgMember { role, depositor: caller.clone(), deposit });
				details.member_count = details.member_count.saturating_add(1);
				Orgs::<T>::insert(&org, details);
			}
			(None, None) => return Err(Error::<T>::NoOrgRole.into()),
		}
		Self::deposit_event(Event::OrgRoleSet { org, who, role, by: caller });
		Ok(())
	}

	pub(crate) fn do_set_reserved_name(name: OrgName, reserved: bool) -> DispatchResult {
		validate_org_name(&name).map_err(|_| Error::<T>::InvalidOrgName)?;
		let skeleton = name_skeleton(&name);
		ensure!(ReservedNames::<T>::contains_key(&skeleton) != reserved, Error::<T>::ReservationUnchanged);
		if reserved {
			ReservedNames::<T>::insert(skeleton, ());
		} else {
			ReservedNames::<T>::remove(skeleton);
		}
		Self::deposit_event(Event::NameReserved { name, reserved });
		Ok(())
	}

	pub(crate) fn do_set_role(
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
				T::Currency::release_deposit(&HoldReason::MaintainerDeposit.into(), &entry.depositor, entry.deposit)?;
				Maintainers::<T>::remove(&model, &who);
				details.maintainer_count = details.maintainer_count.saturating_sub(1);
				Models::<T>::insert(&model, details);
			}
			(None, Some(role)) => {
				ensure!(details.maintainer_count < T::MaxMaintainers::get(), Error::<T>::TooManyMaintainers);
				let deposit = T::MaintainerDeposit::get();
				T::Currency::hold_deposit(
					&HoldReason::MaintainerDeposit.into(),
					&caller,
					deposit,
					Error::<T>::InsufficientBalance,
				)?;
				Maintainers::<T>::insert(&model, &who, Maintainer { role, depositor: caller.clone(), deposit });
				details.maintainer_count = details.maintainer_count.saturating_add(1);
				Models::<T>::insert(&model, details);
			}
			(None, None) => return Err(Error::<T>::NotMaintainer.into()),
		}
		Self::deposit_event(Event::RoleSet { model, who, role, by: caller });
		Ok(())
	}

	pub(crate) fn do_offer_ownership(
		caller: T::AccountId,
		model: ModelName,
		to: Option<T::AccountId>,
	) -> DispatchResult {
		let mut details = Models::<T>::get(&model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(details.owner == caller, Error::<T>::NotOwner);
		ensure!(to.as_ref() != Some(&caller), Error::<T>::AlreadyOwner);
		details.pending_owner = to.clone();
		Models::<T>::insert(&model, details);
		Self::deposit_event(Event::OwnershipOffered { model, to });
		Ok(())
	}

	pub(crate) fn do_accept_ownership(caller: T::AccountId, model: ModelName) -> DispatchResult {
		let mut details = Models::<T>::get(&model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(details.pending_owner.as_ref() == Some(&caller), Error::<T>::NoOwnershipOffer);
		let deposit = T::ModelDeposit::get();
		T::Currency::hold_deposit(&HoldReason::ModelDeposit.into(), &caller, deposit, Error::<T>::InsufficientBalance)?;
		T::Currency::release_deposit(&HoldReason::ModelDeposit.into(), &details.owner, details.deposit)?;
		// The owner is an admin by ownership: a maintainer entry it held would outlive the
		// ownership and keep its role after the next transfer.
		if let Some(entry) = Maintainers::<T>::take(&model, &caller) {
			T::Currency::release_deposit(&HoldReason::MaintainerDeposit.into(), &entry.depositor, entry.deposit)?;
			details.maintainer_count = details.maintainer_count.saturating_sub(1);
			Self::deposit_event(Event::MaintainerDropped { model: model.clone(), who: caller.clone() });
		}
		let previous = core::mem::replace(&mut details.owner, caller.clone());
		details.pending_owner = None;
		details.deposit = deposit;
		Models::<T>::insert(&model, details);
		Self::deposit_event(Event::OwnershipTransferred { model, from: previous, to: caller });
		Ok(())
	}

	/// Check and store a version; returns its ID.
	pub(crate) fn do_commit_version(committer: T::AccountId, manifest: Manifest) -> Result<VersionId, DispatchError> {
		let encoded = manifest.encode();
		ensure!(encoded.len() <= T::MaxManifestLen::get() as usize, Error::<T>::ManifestTooLarge);
		let mut details = Models::<T>::get(&manifest.model).ok_or(Error::<T>::UnknownModel)?;
		let can_commit = details.owner == committer
			|| Maintainers::<T>::get(&manifest.model, &committer).is_some_and(|entry| entry.role.can_commit());
		ensure!(can_commit, Error::<T>::NotCommitter);
		manifest.validate().map_err(Self::manifest_error)?;
		for parent in manifest.parents.iter() {
			let record = Versions::<T>::get(parent.id).ok_or(Error::<T>::UnknownParent)?;
			if record.yanked.is_some() {
				let admin = Self::role_of(&record.model, &committer).is_some_and(|role| role.is_admin());
				ensure!(admin, Error::<T>::YankedParent);
			}
		}
		T::Lineage::check_parents(&manifest.model, &manifest.parents).map_err(Self::edge_error)?;
		let id = VersionId::of_bytes(&encoded);
		ensure!(!Versions::<T>::contains_key(id), Error::<T>::VersionExists);
		let (licensing, licensing_bytes) = T::Licensing::check_commit(id, &manifest, &committer)?;

		let index = details.version_count;
		details.version_count = index.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		details.latest = Some(id);
		let deposit = Self::version_deposit(encoded.len().saturating_add(licensing_bytes as usize));
		T::Currency::hold_deposit(
			&HoldReason::VersionDeposit.into(),
			&committer,
			deposit,
			Error::<T>::InsufficientBalance,
		)?;

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
		T::Licensing::on_commit(id, &manifest, &committer, licensing);
		Manifests::<T>::insert(id, manifest);
		ModelVersions::<T>::insert(&model, index, id);
		Models::<T>::insert(&model, details);
		Self::deposit_event(Event::VersionCommitted { model, id, committer, index, deposit });
		Ok(id)
	}

	pub(crate) fn do_yank_version(caller: T::AccountId, id: VersionId, reason: YankReason) -> DispatchResult {
		let record = Versions::<T>::get(id).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(record.yanked.is_none(), Error::<T>::AlreadyYanked);
		let role = Self::role_of(&record.model, &caller);
		let is_admin = role.is_some_and(|role| role.is_admin());
		// A revoked committer (a fired maintainer, a leaked CI key) may no longer yank.
		let is_committing_committer = record.committer == caller && role.is_some_and(|role| role.can_commit());
		ensure!(is_admin || is_committing_committer, Error::<T>::NotAllowedToYank);
		ensure!(core::str::from_utf8(&reason).is_ok(), Error::<T>::InvalidReason);
		Self::record_yank(id, record, caller, reason);
		Ok(())
	}

	/// Yanks version `id` for `reason` on behalf of `by`, with no role check: for
	/// [`zoo_primitives::VersionYank`] (an upheld curation dispute, whose origin the council has
	/// checked). `by` is recorded as the yanker.
	///
	/// Errors: [`Error::UnknownVersion`], [`Error::AlreadyYanked`], [`Error::InvalidReason`].
	pub(crate) fn yank_by_governance(id: VersionId, by: T::AccountId, reason: YankReason) -> DispatchResult {
		let record = Versions::<T>::get(id).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(record.yanked.is_none(), Error::<T>::AlreadyYanked);
		ensure!(core::str::from_utf8(&reason).is_ok(), Error::<T>::InvalidReason);
		Self::record_yank(id, record, by, reason);
		Ok(())
	}

	fn record_yank(id: VersionId, mut record: VersionRecordOf<T>, by: T::AccountId, reason: YankReason) {
		record.yanked = Some(Yank { by: by.clone(), at: frame_system::Pallet::<T>::block_number(), reason });
		let model = record.model.clone();
		Versions::<T>::insert(id, record);
		Self::deposit_event(Event::VersionYanked { model, id, by });
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
			ManifestError::ReservedPath => Error::<T>::ReservedArtifactPath,
			ManifestError::PathCollision => Error::<T>::ArtifactPathCollision,
			ManifestError::ArtifactsNotSorted => Error::<T>::ArtifactsNotSorted,
			ManifestError::InvalidUri => Error::<T>::InvalidArtifactUri,
			ManifestError::DigestAlgorithmMismatch => Error::<T>::DigestAlgorithmMismatch,
			ManifestError::ShardTooSmall => Error::<T>::ShardTooSmall,
			ManifestError::InvalidKey => Error::<T>::InvalidKey,
			ManifestError::MetricsNotSorted => Error::<T>::MetricsNotSorted,
			ManifestError::TagsNotSorted => Error::<T>::TagsNotSorted,
			ManifestError::InvalidText => Error::<T>::InvalidText,
			ManifestError::NothingSealed => Error::<T>::NothingSealed,
			ManifestError::SealedFilesNotSorted => Error::<T>::SealedFilesNotSorted,
			ManifestError::UnknownSealedArtifact => Error::<T>::UnknownSealedArtifact,
			ManifestError::InvalidSealHeader => Error::<T>::InvalidSealHeader,
		}
		.into()
	}
}
