//! The gate the lineage pallet asks when a ref moves ([`PromotionGate`]).

use crate::*;
use frame_support::{ensure, pallet_prelude::*, weights::Weight};
use zoo_primitives::{DisputeGate, ModelName, PromotionGate, RefName, VersionId};

/// The lineage pallet checks every unforced ref move against the ref's policy through this
/// trait.
impl<T: Config> PromotionGate<T::AccountId> for Pallet<T> {
	/// `None`: the ref has no policy.
	type Evidence = Option<(VersionId, EvidenceFor<T>)>;
	type Error = DispatchError;
	type Weight = Weight;

	fn check_move(
		model: &ModelName,
		name: &RefName,
		from: VersionId,
		to: VersionId,
	) -> Result<(Self::Evidence, Weight), DispatchError> {
		ensure!(!T::Disputes::has_open_dispute(&to), Error::<T>::UnderDispute);
		let Some(record) = Policies::<T>::get(model, name) else { return Ok((None, Self::gate_weight(0))) };
		let (unmet, evidence) = Self::judge(model, &record.policy, Some(from), to);
		let read = AttestationCount::<T>::get(from).max(AttestationCount::<T>::get(to));
		match unmet.first() {
			Some(first) => Err(Self::unmet_error(first).into()),
			None => Ok((Some((to, evidence)), Self::gate_weight(read))),
		}
	}

	fn on_move(model: &ModelName, name: &RefName, index: u32, evidence: Option<Self::Evidence>) {
		if let Some(Some((version, evidence))) = evidence {
			Evidence::<T>::insert((model, name, index), (version, evidence.clone()));
			Self::deposit_event(Event::Promoted { model: model.clone(), name: name.clone(), index, version, evidence });
		}
	}

	fn move_weight() -> Weight {
		Self::gate_weight(T::MaxAttestations::get())
	}

	/// A new ref may not point at a disputed version (audit A3-25), as no unforced move may.
	fn check_create(_: &ModelName, _: &RefName, to: VersionId) -> Result<(), DispatchError> {
		ensure!(!T::Disputes::has_open_dispute(&to), Error::<T>::UnderDispute);
		Ok(())
	}

	/// The dispute read.
	fn create_weight() -> Weight {
		T::DbWeight::get().reads(1)
	}
}
