//! Whether a version is under an open dispute, for the attestations pallet's gated promotions
//! ([`DisputeGate`]).

use crate::*;
use zoo_primitives::{DisputeGate, VersionId};

/// A version with an open dispute cannot be promoted.
impl<T: Config> DisputeGate for Pallet<T> {
	fn has_open_dispute(version: &VersionId) -> bool {
		Targets::<T>::get(version).is_some_and(|target| target.dispute.is_some())
	}
}
