//! What the other pallets may read about committed versions ([`VersionInspect`]).

use crate::*;
use zoo_primitives::{Manifest, ModelName, VersionId, VersionInspect};

/// The registry answers the other pallets' questions about versions: the lineage, licensing
/// and attestations pallets through [`zoo_primitives::ModelAccess`], the curation pallet
/// directly.
impl<T: Config> VersionInspect for Pallet<T> {
	fn exists(id: &VersionId) -> bool {
		Versions::<T>::contains_key(id)
	}

	fn is_yanked(id: &VersionId) -> bool {
		Versions::<T>::get(id).is_some_and(|record| record.yanked.is_some())
	}

	fn version_model(id: &VersionId) -> Option<ModelName> {
		Versions::<T>::get(id).map(|record| record.model)
	}

	fn manifest(id: &VersionId) -> Option<Manifest> {
		Manifests::<T>::get(id)
	}
}
