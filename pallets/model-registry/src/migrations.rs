//! Storage migrations, one module per storage version they lead to. A runtime lists the
//! versioned ones it has not run yet in its `Executive` migrations; each runs only from the
//! storage version it expects, so listing one twice does nothing the second time.

/// To storage version 2: the confusable skeleton drops separators (`openai` and `open-ai` are
/// one name), so every skeleton index is re-keyed.
pub mod v2 {
	use crate::{Config, ModelSkeletons, OrgSkeletons, Pallet, ReservedNames};
	use alloc::vec::Vec;
	use core::marker::PhantomData;
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use zoo_primitives::name_skeleton;
	#[cfg(feature = "try-runtime")]
	use {
		codec::{Decode, Encode},
		frame_support::ensure,
		sp_runtime::TryRuntimeError,
	};

	/// Re-keys the organisation and model skeleton indices from their names, and the reserved
	/// names from their old skeletons (the names themselves were never stored). Two names that
	/// were apart under the old rule and share a skeleton under the new one both stay
	/// registered; the index keeps one of them (the first in storage order), and either one
	/// still refuses every new look-alike. Not version-checked: use [`MigrateV1ToV2`].
	pub struct UncheckedMigrateV1ToV2<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let orgs: Vec<_> = OrgSkeletons::<T>::drain().map(|(_, name)| name).collect();
			let models: Vec<_> = ModelSkeletons::<T>::drain().map(|(_, name)| name).collect();
			let reserved: Vec<_> = ReservedNames::<T>::drain().map(|(old, ())| old).collect();
			let mut merged = 0u32;
			for name in &orgs {
				let skeleton = name_skeleton(name);
				if OrgSkeletons::<T>::contains_key(&skeleton) {
					merged += 1;
				} else {
					OrgSkeletons::<T>::insert(skeleton, name);
				}
			}
			for name in &models {
				let skeleton = name_skeleton(name);
				if ModelSkeletons::<T>::contains_key(&skeleton) {
					merged += 1;
				} else {
					ModelSkeletons::<T>::insert(skeleton, name);
				}
			}
			for old in &reserved {
				ReservedNames::<T>::insert(name_skeleton(old), ());
			}
			let entries = (orgs.len() + models.len() + reserved.len()) as u64;
			log::info!(
				target: "runtime::model-registry",
				"v2: re-keyed {} organisation, {} model and {} reserved skeletons; {merged} names share a skeleton with another",
				orgs.len(),
				models.len(),
				reserved.len(),
			);
			// A drain reads and removes each entry; each entry is written again under its new key.
			T::DbWeight::get().reads_writes(2 * entries, 2 * entries)
		}

		/// Records how many organisations, models and reserved names there are.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let counts = (
				OrgSkeletons::<T>::iter_keys().count() as u32,
				ModelSkeletons::<T>::iter_keys().count() as u32,
				ReservedNames::<T>::iter_keys().count() as u32,
			);
			Ok(counts.encode())
		}

		/// Checks that every organisation and model is found under its new skeleton (itself,
		/// or a look-alike registered before the rule) and that no index grew.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let (orgs, models, reserved) =
				<(u32, u32, u32)>::decode(&mut &state[..]).map_err(|_| "the pre_upgrade state does not decode")?;
			for (skeleton, name) in OrgSkeletons::<T>::iter() {
				ensure!(name_skeleton(&name) == skeleton, "an organisation is indexed under another skeleton");
			}
			for name in crate::Orgs::<T>::iter_keys() {
				ensure!(OrgSkeletons::<T>::contains_key(name_skeleton(&name)), "an organisation lost its skeleton");
			}
			for (skeleton, name) in ModelSkeletons::<T>::iter() {
				ensure!(name_skeleton(&name) == skeleton, "a model is indexed under another skeleton");
			}
			for name in crate::Models::<T>::iter_keys() {
				ensure!(ModelSkeletons::<T>::contains_key(name_skeleton(&name)), "a model lost its skeleton");
			}
			ensure!(OrgSkeletons::<T>::iter_keys().count() as u32 <= orgs, "the organisation index grew");
			ensure!(ModelSkeletons::<T>::iter_keys().count() as u32 <= models, "the model index grew");
			ensure!(ReservedNames::<T>::iter_keys().count() as u32 <= reserved, "the reserved names grew");
			Ok(())
		}
	}

	/// [`UncheckedMigrateV1ToV2`], run only from storage version 1, which it sets to 2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, UncheckedMigrateV1ToV2<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
