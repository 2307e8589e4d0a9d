//! The licence rules the registry calls on every commit ([`LicensePolicy`]).

use crate::{
	BalanceOf, RoyaltyTableOf, WeightInfo,
	features::derivative_rules::{CommitPlan, refusal_error},
	pallet::*,
	types::*,
};
use codec::{Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, weights::Weight};
use zoo_primitives::{LicensePolicy, Manifest, VersionId};

impl<T: Config> LicensePolicy<T::AccountId> for Pallet<T> {
	type Plan = CommitPlan<T>;
	type Error = DispatchError;
	type Weight = Weight;

	fn check_commit(
		id: VersionId,
		manifest: &Manifest,
		committer: &T::AccountId,
	) -> Result<(CommitPlan<T>, u32), DispatchError> {
		let evaluation = Self::evaluate(manifest, committer);
		if let Some(refusal) = evaluation.refusals.first() {
			return Err(refusal_error::<T>(*refusal).into());
		}
		let table: RoyaltyTableOf<T> = Self::build_table(id, manifest)
			.map_err(refusal_error::<T>)?
			.try_into()
			.map_err(|_| Error::<T>::UpstreamShareTooHigh)?;
		let split = Self::split_for(&manifest.model);
		let license = VersionLicense {
			model: manifest.model.clone(),
			license: manifest.license.clone(),
			obligations: evaluation.obligations,
		};
		// Keys are a version ID (32 bytes) and, for claims, an account; a vault and a claim
		// hold one balance each.
		let key = VersionId::max_encoded_len();
		let balance = BalanceOf::<T>::max_encoded_len();
		let account = T::AccountId::max_encoded_len();
		let bytes = key
			+ license.encoded_size()
			+ key + table.encoded_size()
			+ key + split.encoded_size()
			+ key + balance
			+ split.len() * (key + account + balance);
		Ok((CommitPlan { license, table, split, grants_used: evaluation.grants_used }, bytes as u32))
	}

	fn on_commit(id: VersionId, _: &Manifest, committer: &T::AccountId, plan: CommitPlan<T>) {
		for parent in plan.grants_used {
			Grants::<T>::mutate((parent, committer, GrantKind::Derivative), |grant| {
				if let Some(grant) = grant {
					grant.credits = grant.credits.saturating_sub(1);
				}
			});
			Self::deposit_event(Event::DerivativeGrantUsed { parent, child: id, holder: committer.clone() });
		}
		let upstream = plan.table.iter().filter(|entry| entry.version != id).map(|entry| entry.share).sum();
		let entries = plan.table.len() as u32;
		Licenses::<T>::insert(id, plan.license);
		Royalties::<T>::insert(id, plan.table);
		VersionSplits::<T>::insert(id, plan.split);
		Self::deposit_event(Event::RoyaltiesRecorded { version: id, entries, upstream });
	}

	fn commit_weight(parents: u32) -> Weight {
		// The benchmark's parents are licensed and not yanked; a yanked or unlicensed
		// cross-model parent also asks whether the committer administers its model (the model
		// and a maintainer entry, twice at most): charged here (audit A3-18).
		T::WeightInfo::commit_hook(parents).saturating_add(T::DbWeight::get().reads(4 * u64::from(parents)))
	}
}
