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

/// To storage version 2: credits stream through the era they are paid in (audit A3-03).
pub mod v2 {
	use crate::{BalanceOf, Config, DisputeId, EraIndex, Pallet, SlashRoute, Target, Targets};
	use codec::{Decode, Encode};
	use core::marker::PhantomData;
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use sp_runtime::{FixedU128, Saturating, traits::Zero};
	#[cfg(feature = "try-runtime")]
	use {alloc::vec::Vec, frame_support::ensure, sp_runtime::TryRuntimeError, zoo_primitives::VersionId};

	/// The layout of storage version 1.
	#[allow(missing_docs, reason = "storage_alias generates an undocumented prefix type")]
	pub mod v1 {
		use super::*;

		/// A target before version 2: credits were shared at once, with nothing streaming.
		#[derive(Encode, Decode)]
		pub struct Target<AccountId, Balance> {
			/// Points that earn rewards.
			pub active_points: Balance,
			/// Points added in era `pending_era`.
			pub pending_points: Balance,
			/// The era of `pending_points`.
			pub pending_era: EraIndex,
			/// Points in unbonding chunks.
			pub unbonding_points: Balance,
			/// Balance per point.
			pub factor: FixedU128,
			/// Reward per active point.
			pub acc: FixedU128,
			/// Fees credited over the target's life.
			pub fees_lifetime: Balance,
			/// The decaying fee average.
			pub fees_ema: Balance,
			/// The era of `fees_ema`.
			pub ema_era: EraIndex,
			/// Accounts with a position.
			pub curators: u32,
			/// The open dispute, if any.
			pub dispute: Option<DisputeId>,
			/// Credits held back.
			pub escrow: Balance,
			/// Where realized slashes go.
			pub slash_route: Option<SlashRoute<AccountId>>,
		}

		/// A target of version 1 as stored.
		pub type TargetOf<T> = Target<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

		/// `Curation::Targets` in version 1.
		#[frame_support::storage_alias]
		pub type Targets<T: Config> =
			StorageMap<Pallet<T>, frame_support::Identity, zoo_primitives::VersionId, TargetOf<T>>;
	}

	/// Gives every target an empty stream of the current era: what version 1 credited was
	/// shared at once, so nothing is left to stream. Not version-checked: use
	/// [`MigrateV1ToV2`].
	pub struct UncheckedMigrateV1ToV2<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let era = Pallet::<T>::current_era();
			let mut migrated = 0u64;
			Targets::<T>::translate::<v1::TargetOf<T>, _>(|_, old| {
				migrated.saturating_inc();
				Some(Target {
					active_points: old.active_points,
					pending_points: old.pending_points,
					pending_era: old.pending_era,
					unbonding_points: old.unbonding_points,
					factor: old.factor,
					acc: old.acc,
					fees_lifetime: old.fees_lifetime,
					fees_ema: old.fees_ema,
					ema_era: old.ema_era,
					curators: old.curators,
					dispute: old.dispute,
					escrow: old.escrow,
					slash_route: old.slash_route,
					streaming: Zero::zero(),
					streaming_era: era,
				})
			});
			log::info!(target: "runtime::curation", "v2: {migrated} targets given an empty stream");
			T::DbWeight::get().reads_writes(migrated, migrated)
		}

		/// Records each target's version, points, accumulator and escrow, and checks every one
		/// decodes as version 1.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let keys = Targets::<T>::iter_keys().count();
			let targets: Vec<(VersionId, BalanceOf<T>, BalanceOf<T>, u128, BalanceOf<T>)> = v1::Targets::<T>::iter()
				.map(|(version, old)| {
					(version, old.active_points, old.pending_points, old.acc.into_inner(), old.escrow)
				})
				.collect();
			ensure!(targets.len() == keys, "a target does not decode in the version 1 layout");
			log::info!(target: "runtime::curation", "v2 pre_upgrade: {} targets", targets.len());
			Ok(targets.encode())
		}

		/// Checks that the same targets exist with the same points, accumulator and escrow,
		/// and nothing streaming.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let targets = Vec::<(VersionId, BalanceOf<T>, BalanceOf<T>, u128, BalanceOf<T>)>::decode(&mut &state[..])
				.map_err(|_| "the pre_upgrade state does not decode")?;
			ensure!(Targets::<T>::iter_keys().count() == targets.len(), "the targets changed");
			for (version, active, pending, acc, escrow) in &targets {
				let target = Targets::<T>::get(version).ok_or("a target is lost or does not decode")?;
				ensure!(
					(target.active_points, target.pending_points, target.acc.into_inner(), target.escrow)
						== (*active, *pending, *acc, *escrow),
					"a target's points, accumulator or escrow changed"
				);
				ensure!(target.streaming.is_zero(), "a migrated target streams something");
			}
			log::info!(target: "runtime::curation", "v2 post_upgrade: {} targets, nothing streaming", targets.len());
			Ok(())
		}
	}

	/// [`UncheckedMigrateV1ToV2`], run only from storage version 1, which it sets to 2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, UncheckedMigrateV1ToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
