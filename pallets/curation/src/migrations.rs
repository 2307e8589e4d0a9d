//! Storage migrations, one module per storage version they lead to. A runtime lists the
//! versioned ones it has not run yet in its `Executive` migrations; each runs only from the
//! storage version it expects, so listing one twice does nothing the second time.

/// To storage version 1: a dispute records when it lapses (audit A3-04).
pub mod v1 {
	use crate::{BalanceOf, Config, Dispute, DisputeId, DisputeReason, Disputes, Evidence, Pallet};
	use codec::{Decode, Encode};
	use core::marker::PhantomData;
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_runtime::Saturating;
	#[cfg(feature = "try-runtime")]
	use {alloc::vec::Vec, frame_support::ensure, sp_runtime::TryRuntimeError};

	/// The layout of storage version 0.
	#[allow(missing_docs, reason = "storage_alias generates an undocumented prefix type")]
	pub mod v0 {
		use super::*;

		/// A dispute before version 1: no `expires_at`.
		#[derive(Encode, Decode)]
		pub struct Dispute<AccountId, Balance, BlockNumber> {
			/// The disputed version.
			pub version: zoo_primitives::VersionId,
			/// Who opened the dispute and holds the bond.
			pub reporter: AccountId,
			/// Why.
			pub reason: DisputeReason,
			/// A hash or URI of the evidence.
			pub evidence: Evidence,
			/// The bond held from the reporter.
			pub bond: Balance,
			/// The block the dispute was opened in.
			pub opened_at: BlockNumber,
		}

		/// A dispute of version 0 as stored.
		pub type DisputeOf<T> = Dispute<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

		/// `Curation::Disputes` in version 0.
		#[frame_support::storage_alias]
		pub type Disputes<T: Config> = StorageMap<Pallet<T>, frame_support::Twox64Concat, DisputeId, DisputeOf<T>>;
	}

	/// Gives every open dispute `expires_at = opened_at + DisputeTimeout`: a dispute opened
	/// more than `DisputeTimeout` blocks before the upgrade can be closed as lapsed at once.
	/// Not version-checked: use [`MigrateV0ToV1`].
	pub struct UncheckedMigrateV0ToV1<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let timeout = T::DisputeTimeout::get();
			let mut migrated = 0u64;
			Disputes::<T>::translate::<v0::DisputeOf<T>, _>(|_, old| {
				migrated.saturating_inc();
				Some(Dispute {
					version: old.version,
					reporter: old.reporter,
					reason: old.reason,
					evidence: old.evidence,
					bond: old.bond,
					opened_at: old.opened_at,
					expires_at: old.opened_at.saturating_add(timeout),
				})
			});
			log::info!(target: "runtime::curation", "v1: {migrated} open disputes given an expiry");
			T::DbWeight::get().reads_writes(migrated, migrated)
		}

		/// Records each open dispute's ID and opening block, and checks every one decodes as
		/// version 0.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let keys = Disputes::<T>::iter_keys().count();
			let open: Vec<(DisputeId, BlockNumberFor<T>)> =
				v0::Disputes::<T>::iter().map(|(id, dispute)| (id, dispute.opened_at)).collect();
			ensure!(open.len() == keys, "a dispute does not decode in the version 0 layout");
			log::info!(target: "runtime::curation", "v1 pre_upgrade: {} open disputes", open.len());
			Ok(open.encode())
		}

		/// Checks that the same disputes are open, each with `expires_at = opened_at +
		/// DisputeTimeout`.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let open = Vec::<(DisputeId, BlockNumberFor<T>)>::decode(&mut &state[..])
				.map_err(|_| "the pre_upgrade state does not decode")?;
			ensure!(Disputes::<T>::iter_keys().count() == open.len(), "the open disputes changed");
			let timeout = T::DisputeTimeout::get();
			for (id, opened_at) in &open {
				let dispute = Disputes::<T>::get(id).ok_or("an open dispute is lost or does not decode")?;
				ensure!(dispute.opened_at == *opened_at, "a dispute's opening block changed");
				ensure!(dispute.expires_at == opened_at.saturating_add(timeout), "a dispute's expiry is wrong");
			}
			log::info!(target: "runtime::curation", "v1 post_upgrade: {} disputes expire DisputeTimeout after opening", open.len());
			Ok(())
		}
	}

	/// [`UncheckedMigrateV0ToV1`], run only from storage version 0, which it sets to 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, UncheckedMigrateV0ToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
