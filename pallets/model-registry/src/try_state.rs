//! The registry's invariants, checked by `try_state` (and after every unit test).

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{
	TryRuntimeError,
	traits::{Saturating, Zero},
};
use zoo_primitives::{OrgName, name_skeleton, org_of};

impl<T: Config> Pallet<T> {
	/// Check every invariant of the registry's storage.
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		// (reason, account) -> (reason, deposits recorded beside the items).
		let mut held: BTreeMap<(u8, T::AccountId), (HoldReason, BalanceOf<T>)> = BTreeMap::new();
		let mut hold = |reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>| {
			let entry = held.entry((reason as u8, who.clone())).or_insert((reason, Zero::zero()));
			entry.1 = entry.1.saturating_add(amount);
		};

		let mut models_per_org: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
		for (name, details) in Models::<T>::iter() {
			let org = org_of(&name).to_vec();
			ensure!(Orgs::<T>::contains_key(&OrgName::truncate_from(org.clone())), "a model's organisation is missing");
			*models_per_org.entry(org).or_default() += 1;
			// Its own entry, or a look-alike's registered before the skeleton rule last changed.
			ensure!(ModelSkeletons::<T>::contains_key(name_skeleton(&name)), "a model's skeleton is not taken");
			ensure!(details.pending_owner.as_ref() != Some(&details.owner), "a model is offered to its owner");
			ensure!(!Maintainers::<T>::contains_key(&name, &details.owner), "a model's owner is also a maintainer");
			let maintainers = Maintainers::<T>::iter_prefix(&name).count() as u32;
			ensure!(maintainers == details.maintainer_count, "maintainer_count differs from the maintainers");
			let versions = ModelVersions::<T>::iter_prefix(&name).count() as u32;
			ensure!(versions == details.version_count, "version_count differs from the versions");
			for index in 0..details.version_count {
				let id = ModelVersions::<T>::get(&name, index).ok_or("a model's version index has a gap")?;
				let record = Versions::<T>::get(id).ok_or("a model lists a version that is missing")?;
				ensure!(record.model == name && record.index == index, "a version record disagrees with its index");
			}
			let latest = details.version_count.checked_sub(1).and_then(|index| ModelVersions::<T>::get(&name, index));
			ensure!(details.latest == latest, "a model's latest version is not its last");
			hold(HoldReason::ModelDeposit, &details.owner, details.deposit);
		}
		for (model, _, entry) in Maintainers::<T>::iter() {
			ensure!(Models::<T>::contains_key(&model), "a maintainer of a missing model");
			hold(HoldReason::MaintainerDeposit, &entry.depositor, entry.deposit);
		}
		for (skeleton, name) in ModelSkeletons::<T>::iter() {
			ensure!(Models::<T>::contains_key(&name), "a skeleton names a missing model");
			ensure!(name_skeleton(&name) == skeleton, "a model is stored under another skeleton");
		}

		for (name, details) in Orgs::<T>::iter() {
			ensure!(OrgSkeletons::<T>::contains_key(name_skeleton(&name)), "an organisation's skeleton is not taken");
			ensure!(!OrgMembers::<T>::contains_key(&name, &details.owner), "an organisation's owner is also a member");
			let members = OrgMembers::<T>::iter_prefix(&name).count() as u32;
			ensure!(members == details.member_count, "member_count differs from the members");
			let models = models_per_org.get(&name[..]).copied().unwrap_or_default();
			ensure!(models == details.model_count, "model_count differs from the organisation's models");
			hold(HoldReason::OrgDeposit, &details.owner, details.deposit);
		}
		for (org, _, entry) in OrgMembers::<T>::iter() {
			ensure!(Orgs::<T>::contains_key(&org), "a member of a missing organisation");
			hold(HoldReason::OrgMemberDeposit, &entry.depositor, entry.deposit);
		}
		for (skeleton, name) in OrgSkeletons::<T>::iter() {
			ensure!(Orgs::<T>::contains_key(&name), "a skeleton names a missing organisation");
			ensure!(name_skeleton(&name) == skeleton, "an organisation is stored under another skeleton");
		}

		for (id, record) in Versions::<T>::iter() {
			let manifest = Manifests::<T>::get(id).ok_or("a version has no manifest")?;
			ensure!(manifest.id() == id, "a manifest is not stored under its content ID");
			ensure!(manifest.model == record.model, "a version record and its manifest name other models");
			ensure!(ModelVersions::<T>::get(&record.model, record.index) == Some(id), "a version is not indexed");
			hold(HoldReason::VersionDeposit, &record.committer, record.deposit);
		}
		ensure!(Manifests::<T>::iter_keys().count() == Versions::<T>::iter_keys().count(), "a manifest has no version");

		for ((_, who), (reason, amount)) in held {
			ensure!(
				T::Currency::balance_on_hold(&reason.into(), &who) == amount,
				"recorded deposits differ from holds"
			);
		}
		Ok(())
	}
}
