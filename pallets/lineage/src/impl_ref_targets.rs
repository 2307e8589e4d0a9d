//! Where refs point, as other pallets read it ([`RefTargets`]).

use crate::*;
use zoo_primitives::{ModelName, RefName, RefTargets, VersionId};

/// Other pallets (the attestations pallet's policies) read where refs point through this trait.
impl<T: Config> RefTargets<T::AccountId> for Pallet<T> {
	fn ref_target(model: &ModelName, name: &RefName) -> Option<VersionId> {
		Refs::<T>::get(model, name).map(|details| details.target)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create_ref_for_benchmarks(model: &ModelName, name: &RefName, target: VersionId, who: &T::AccountId) {
		Self::do_create_ref(who.clone(), model.clone(), name.clone(), target, true).expect("a valid ref by an admin");
	}
}
