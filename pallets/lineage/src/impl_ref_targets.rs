//! Where refs point, as other pallets read it ([`RefTargets`]).

use crate::*;
use zoo_primitives::{ModelName, RefName, RefTargets, VersionId};

/// Other pallets (the attestations pallet's policies) read where refs point through this trait.
impl<T: Config> RefTargets for Pallet<T> {
	fn ref_target(model: &ModelName, name: &RefName) -> Option<VersionId> {
		Refs::<T>::get(model, name).map(|details| details.target)
	}
}
