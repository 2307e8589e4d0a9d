//! The one change the other pallets may make to committed versions ([`VersionYank`]).

use crate::*;
use frame_support::traits::Get;
use zoo_primitives::{VersionId, VersionYank};

/// The curation pallet yanks a version through this trait when a dispute against it is upheld.
/// The yank is recorded as made by `Config::GovernanceYanker` (the curation pallet's account),
/// the council having checked its own origin; the reason is cut to [`MAX_YANK_REASON_LEN`]
/// bytes.
impl<T: Config> VersionYank for Pallet<T> {
	fn yank(id: &VersionId, reason: &[u8]) {
		let limit = reason.len().min(MAX_YANK_REASON_LEN as usize);
		let reason = reason[..limit].to_vec().try_into().expect("cut to the bound; qed");
		// Nothing to do for a version that is gone or yanked already, as the trait allows.
		let _ = Self::yank_by_governance(*id, T::GovernanceYanker::get(), reason);
	}
}
