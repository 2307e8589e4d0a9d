//! The attestations pallet's types: attestations, promotion policies, and the conditions a
//! promotion can fail.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::BoundedVec;
use scale_info::TypeInfo;
#[cfg(doc)]
use zoo_primitives::Metric;
use zoo_primitives::{Bytes, MAX_KEY_LEN, MAX_URI_LEN, MetricValue};

/// A dataset's content ID: the sha2-256 digest of its manifest (the 32 bytes of its CID).
pub type DatasetId = [u8; 32];

/// An attestation's number among its version's attestations.
pub type AttestationIndex = u32;

/// Longest revocation reason, in bytes.
pub const MAX_REASON_LEN: u32 = 256;

/// A revocation reason.
pub type Reason = Bytes<MAX_REASON_LEN>;

/// A metric name, as in manifests.
pub type MetricName = Bytes<MAX_KEY_LEN>;

macro_rules! scale_type {
	($(#[$meta:meta])* $vis:vis $kind:ident $name:ident $($body:tt)*) => {
		$(#[$meta])*
		#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
		$vis $kind $name $($body)*
	};
}

scale_type! {
	/// A revocation: when, and why.
	pub struct Revocation<BlockNumber> {
		/// The block it was revoked in.
		pub at: BlockNumber,
		/// Why.
		pub reason: Reason,
	}
}

scale_type! {
	/// An evaluator's statement that a version scored `metrics` on a dataset, with evidence.
	/// Never deleted; a revoked one stays, marked.
	pub struct Attestation<AccountId, Balance, BlockNumber, Metrics> {
		/// Who attests.
		pub evaluator: AccountId,
		/// The dataset evaluated on.
		pub dataset: DatasetId,
		/// The scores (a bounded list of [`Metric`]), sorted by name, no name twice.
		pub metrics: Metrics,
		/// sha2-256 of the evidence (a log, a report).
		pub evidence_hash: [u8; 32],
		/// Where the evidence is.
		pub evidence_uri: Bytes<MAX_URI_LEN>,
		/// The block it was made in.
		pub block: BlockNumber,
		/// The deposit held from the evaluator.
		pub deposit: Balance,
		/// Set when the evaluator revoked it.
		pub revoked: Option<Revocation<BlockNumber>>,
	}
}

scale_type! {
	/// Which way a metric improves.
	#[derive(Copy)]
	pub enum Direction {
		/// Higher is better (accuracy).
		HigherIsBetter,
		/// Lower is better (loss, latency).
		LowerIsBetter,
	}
}

impl Direction {
	/// Whether `value` meets `bound` (`>=` or `<=`).
	pub fn meets(self, value: MetricValue, bound: MetricValue) -> bool {
		match self {
			Self::HigherIsBetter => value >= bound,
			Self::LowerIsBetter => value <= bound,
		}
	}

	/// Whether `value` is strictly better than `other`.
	pub fn beats(self, value: MetricValue, other: MetricValue) -> bool {
		match self {
			Self::HigherIsBetter => value > other,
			Self::LowerIsBetter => value < other,
		}
	}

	/// The worse of two values.
	pub fn worse(self, a: MetricValue, b: MetricValue) -> MetricValue {
		if self.beats(a, b) { b } else { a }
	}
}

scale_type! {
	/// A metric on a dataset, and which way it improves.
	pub struct Measure {
		/// The dataset.
		pub dataset: DatasetId,
		/// The metric's name.
		pub metric: MetricName,
		/// Which way it improves.
		pub direction: Direction,
	}
}

scale_type! {
	/// A metric threshold: the measure must be at least (or at most) `bound`.
	pub struct Threshold {
		/// What is measured.
		pub measure: Measure,
		/// The bound (`>=` when higher is better, `<=` when lower is).
		pub bound: MetricValue,
	}
}

scale_type! {
	/// What a ref's new target must have to be promoted without force.
	pub struct Policy<Thresholds> {
		/// Attestations from at least this many distinct trusted evaluators.
		pub min_evaluators: u32,
		/// Every threshold (a bounded list of [`Threshold`]) met, each by the trusted
		/// attestations' worst value for its measure.
		pub thresholds: Thresholds,
		/// The new target strictly beats the current one on this measure (when the current one
		/// has a trusted score for it).
		pub must_beat: Option<Measure>,
	}
}

scale_type! {
	/// A ref's policy and who paid its deposit.
	pub struct PolicyRecord<AccountId, Balance, Policy> {
		/// The policy ([`Policy`]).
		pub policy: Policy,
		/// The admin who set it.
		pub depositor: AccountId,
		/// Its deposit.
		pub deposit: Balance,
	}
}

scale_type! {
	/// Why a promotion is refused: one condition each, mapped to one error of the pallet.
	/// [`crate::Pallet::check_promotion`] returns every unmet condition.
	pub enum Unmet {
		/// Fewer distinct trusted evaluators attested the version than the policy asks.
		TooFewEvaluators {
			/// Distinct trusted evaluators that attested the version.
			have: u32,
			/// Distinct trusted evaluators the policy asks for.
			need: u32,
		},
		/// No trusted attestation of the version gives threshold `index`'s measure.
		MissingMeasure {
			/// The threshold's index in the policy.
			index: u32,
		},
		/// Threshold `index` is not met (by the worst trusted value).
		BelowThreshold {
			/// The threshold's index in the policy.
			index: u32,
		},
		/// The version does not beat the current target on the policy's measure (or has no
		/// trusted score for it while the current target has one).
		DoesNotBeatCurrent,
		/// A dispute against the version is open (a curation dispute): nothing promotes it,
		/// with or without a policy, until its verdict.
		UnderDispute,
	}
}

/// The attestation indices a promotion rested on.
pub type EvidenceOf<MaxAttestations> = BoundedVec<AttestationIndex, MaxAttestations>;
