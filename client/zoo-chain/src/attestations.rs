//! The attestations pallet: trusted evaluators, attestations of a version's metrics on a
//! dataset with evidence, promotion policies on refs, and the evidence each promotion rested
//! on; reads through its view functions, the rest as transactions.
//!
//! The records here are the client's own (derive `Serialize`: version IDs as CID text,
//! accounts as SS58, datasets and evidence hashes as 64 hex digits, metric values as exact
//! decimal strings as in a manifest's JSON, amounts as decimal strings), converted from the
//! generated types.

use super::{Chain, ChainError, Submitted, bounded, runtime, ss58};
use runtime::runtime_types::{bounded_collections::bounded_vec::BoundedVec, pallet_attestations::types as chain_types};
use serde::Serialize;
use subxt::utils::{AccountId32, Static};
use subxt_signer::sr25519::Keypair;
use zoo_primitives::{Metric, MetricValue, VersionId};
use zoo_types::output::json;

/// An attestation's number among its version's attestations.
pub type AttestationIndex = u32;

/// Attestations asked for per read (the pallet's `MAX_PAGE`).
const PAGE: u32 = 256;

fn hex32<S: serde::Serializer>(bytes: &[u8; 32], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&hex::encode(bytes))
}

/// Metrics as a manifest's JSON shows them: name to exact decimal text.
fn metrics_map<S: serde::Serializer>(metrics: &[Metric], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.collect_map(metrics.iter().map(|m| (text(&m.name), m.value.to_string())))
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

pub use zoo_types::policy::{DatasetId, Direction, Measure, Threshold};

fn direction_to_chain(direction: Direction) -> chain_types::Direction {
	match direction {
		Direction::HigherIsBetter => chain_types::Direction::HigherIsBetter,
		Direction::LowerIsBetter => chain_types::Direction::LowerIsBetter,
	}
}

fn direction_from_chain(direction: chain_types::Direction) -> Direction {
	match direction {
		chain_types::Direction::HigherIsBetter => Direction::HigherIsBetter,
		chain_types::Direction::LowerIsBetter => Direction::LowerIsBetter,
	}
}

fn measure_to_chain(measure: &Measure) -> chain_types::Measure {
	chain_types::Measure {
		dataset: measure.dataset,
		metric: bounded(measure.metric.as_bytes()),
		direction: direction_to_chain(measure.direction),
	}
}

fn measure_from_chain(measure: chain_types::Measure) -> Measure {
	Measure {
		dataset: measure.dataset,
		metric: text(&measure.metric.0),
		direction: direction_from_chain(measure.direction),
	}
}

/// A ref's promotion policy: what a new target must have to be promoted without force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
	/// Attestations from at least this many distinct trusted evaluators.
	pub min_evaluators: u32,
	/// Every threshold met, by the worst value the trusted attestations give.
	pub thresholds: Vec<Threshold>,
	/// The new target strictly beats the current one on this measure (when the current one
	/// has a trusted score for it).
	pub must_beat: Option<Measure>,
}

impl Policy {
	fn to_chain(&self) -> chain_types::Policy<BoundedVec<chain_types::Threshold>> {
		chain_types::Policy {
			min_evaluators: self.min_evaluators,
			thresholds: BoundedVec(
				self.thresholds
					.iter()
					.map(|t| chain_types::Threshold { measure: measure_to_chain(&t.measure), bound: Static(t.bound) })
					.collect(),
			),
			must_beat: self.must_beat.as_ref().map(measure_to_chain),
		}
	}

	fn from_chain(policy: chain_types::Policy<BoundedVec<chain_types::Threshold>>) -> Self {
		Policy {
			min_evaluators: policy.min_evaluators,
			thresholds: policy
				.thresholds
				.0
				.into_iter()
				.map(|t| Threshold { measure: measure_from_chain(t.measure), bound: t.bound.0 })
				.collect(),
			must_beat: policy.must_beat.map(measure_from_chain),
		}
	}
}

/// A revocation: when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevocationInfo {
	/// The block it was revoked in.
	pub revoked_in: u32,
	/// Why.
	pub reason: String,
}

/// An attestation as stored: version V scored these metrics on dataset D, with evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttestationInfo {
	/// The version attested.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// Its number among the version's attestations.
	pub index: AttestationIndex,
	/// Who attests (SS58).
	pub evaluator: String,
	/// The dataset evaluated on (64 hex digits).
	#[serde(serialize_with = "hex32")]
	pub dataset: DatasetId,
	/// The scores: name to exact decimal text, as in a manifest's JSON.
	#[serde(serialize_with = "metrics_map")]
	pub metrics: Vec<Metric>,
	/// sha2-256 of the evidence (64 hex digits).
	#[serde(serialize_with = "hex32")]
	pub evidence_hash: [u8; 32],
	/// Where the evidence is.
	pub evidence_uri: String,
	/// The block it was made in.
	pub attested_in: u32,
	/// The deposit held from the evaluator (planck).
	#[serde(serialize_with = "json::amount")]
	pub deposit: u128,
	/// Set when the evaluator revoked it.
	pub revoked: Option<RevocationInfo>,
}

impl AttestationInfo {
	/// The value this attestation gives for `measure` (its dataset and metric), if any.
	pub fn value_for(&self, measure: &Measure) -> Option<MetricValue> {
		if self.dataset != measure.dataset {
			return None;
		}
		self.metrics.iter().find(|m| m.name[..] == *measure.metric.as_bytes()).map(|m| m.value)
	}
}

type ChainAttestation = chain_types::Attestation<AccountId32, u128, u32, BoundedVec<Static<Metric>>>;

fn attestation(version: VersionId, index: AttestationIndex, a: ChainAttestation) -> AttestationInfo {
	AttestationInfo {
		version,
		index,
		evaluator: ss58(&a.evaluator),
		dataset: a.dataset,
		metrics: a.metrics.0.into_iter().map(|m| m.0).collect(),
		evidence_hash: a.evidence_hash,
		evidence_uri: text(&a.evidence_uri.0),
		attested_in: a.block,
		deposit: a.deposit,
		revoked: a.revoked.map(|r| RevocationInfo { revoked_in: r.at, reason: text(&r.reason.0) }),
	}
}

/// A condition of a policy a version does not meet (what `check_promotion` answers). In JSON:
/// `{"condition": "TooFewEvaluators", "have": 1, "need": 2}`, `{"condition": "MissingMeasure",
/// "threshold": 0}`, `{"condition": "BelowThreshold", "threshold": 0}`,
/// `{"condition": "DoesNotBeatCurrent"}`, `{"condition": "UnderDispute"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "condition")]
pub enum Unmet {
	/// Fewer distinct trusted evaluators attested the version than the policy asks.
	TooFewEvaluators {
		/// How many did.
		have: u32,
		/// How many the policy asks.
		need: u32,
	},
	/// No trusted attestation of the version gives threshold `threshold`'s measure.
	MissingMeasure {
		/// The threshold's index in the policy.
		threshold: u32,
	},
	/// Threshold `threshold` is not met (by the worst trusted value).
	BelowThreshold {
		/// The threshold's index in the policy.
		threshold: u32,
	},
	/// The version does not beat the current target on the policy's `must_beat` measure.
	DoesNotBeatCurrent,
	/// A curation dispute against the version is open: no unforced move promotes it, with a
	/// policy or without, until the council's verdict.
	UnderDispute,
}

impl Unmet {
	/// The pallet's name for the condition (also its error's name, `Attestations::<name>`).
	pub fn name(&self) -> &'static str {
		match self {
			Self::TooFewEvaluators { .. } => "TooFewEvaluators",
			Self::MissingMeasure { .. } => "MissingMeasure",
			Self::BelowThreshold { .. } => "BelowThreshold",
			Self::DoesNotBeatCurrent => "DoesNotBeatCurrent",
			Self::UnderDispute => "UnderDispute",
		}
	}

	fn from_chain(unmet: chain_types::Unmet) -> Self {
		match unmet {
			chain_types::Unmet::TooFewEvaluators { have, need } => Self::TooFewEvaluators { have, need },
			chain_types::Unmet::MissingMeasure { index } => Self::MissingMeasure { threshold: index },
			chain_types::Unmet::BelowThreshold { index } => Self::BelowThreshold { threshold: index },
			chain_types::Unmet::DoesNotBeatCurrent => Self::DoesNotBeatCurrent,
			chain_types::Unmet::UnderDispute => Self::UnderDispute,
		}
	}
}

/// What a move rested on: the new target and the indices of its attestations that counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
	/// The version the ref moved to.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// Indices of its attestations the move rested on.
	pub attestations: Vec<AttestationIndex>,
}

/// A new attestation: what the `Attested` event says.
#[derive(Debug, Clone, Serialize)]
pub struct Attested {
	/// The version attested.
	#[serde(serialize_with = "json::cid")]
	pub version: VersionId,
	/// The attestation's index.
	pub index: AttestationIndex,
	/// Who attested (SS58).
	pub evaluator: String,
	/// Where the transaction landed.
	pub block: Submitted,
}

/// An unforced ref move: where it landed, its index in the ref's history, and (when the ref
/// has a policy) the evidence it rested on.
#[derive(Debug, Clone, Serialize)]
pub struct Promotion {
	/// The move's index in the ref's history.
	pub index: Option<u32>,
	/// The evidence (`None`: the ref has no policy, so nothing was checked).
	pub evidence: Option<Vec<AttestationIndex>>,
	/// Where the transaction landed.
	pub block: Submitted,
}

fn missing_event(what: &str) -> ChainError {
	ChainError::Incompatible(format!("the transaction succeeded but emitted no {what} event"))
}

fn event_error(error: impl std::fmt::Display) -> ChainError {
	ChainError::Rpc(format!("undecodable event: {error}"))
}

impl Chain {
	// --- Evaluators ----------------------------------------------------------------------------

	/// Trust `evaluator`'s attestations of `model`'s versions (admins; deposit held).
	pub async fn add_evaluator(
		&self,
		signer: &Keypair,
		model: &str,
		evaluator: AccountId32,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().attestations().add_evaluator(bounded(model.as_bytes()), evaluator);
		self.submit(signer, &call).await
	}

	/// Stop trusting `evaluator` for `model` (admins); its attestations stay and stop counting.
	pub async fn remove_evaluator(
		&self,
		signer: &Keypair,
		model: &str,
		evaluator: AccountId32,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().attestations().remove_evaluator(bounded(model.as_bytes()), evaluator);
		self.submit(signer, &call).await
	}

	/// Trust `evaluator` for every model, or stop (`trusted: false`): governance, sent through
	/// `Sudo::sudo` by the sudo key.
	pub async fn set_global_evaluator(
		&self,
		sudo: &Keypair,
		evaluator: AccountId32,
		trusted: bool,
	) -> Result<Submitted, ChainError> {
		use runtime::runtime_types::{pallet_attestations::pallet::Call, zoo_runtime::RuntimeCall};
		let call = RuntimeCall::Attestations(Call::set_global_evaluator { evaluator, trusted });
		self.submit(sudo, &runtime::transactions().sudo().sudo(call)).await
	}

	/// Whether `evaluator` is trusted for `model` (by its admins or globally).
	pub async fn is_trusted(&self, model: &str, evaluator: &AccountId32) -> Result<bool, ChainError> {
		self.view(runtime::view_functions().attestations().is_trusted(bounded(model.as_bytes()), *evaluator)).await
	}

	// --- Attestations --------------------------------------------------------------------------

	/// Attest that `version` scored `metrics` (sorted by name, unique) on `dataset`, with
	/// evidence (its sha2-256 and where it is). The signer must be trusted for the version's
	/// model; one attestation per version, evaluator and dataset until revoked.
	pub async fn attest(
		&self,
		signer: &Keypair,
		version: VersionId,
		dataset: DatasetId,
		metrics: &[Metric],
		evidence_hash: [u8; 32],
		evidence_uri: &str,
	) -> Result<Attested, ChainError> {
		let call = runtime::transactions().attestations().attest(
			Static(version),
			dataset,
			BoundedVec(metrics.iter().cloned().map(Static).collect()),
			evidence_hash,
			bounded(evidence_uri.as_bytes()),
		);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let event = events
			.find_first::<runtime::attestations::events::Attested>()
			.ok_or_else(|| missing_event("Attested"))?
			.map_err(event_error)?;
		Ok(Attested { version, index: event.index, evaluator: ss58(&event.evaluator), block })
	}

	/// Revoke one's own attestation with a reason; it stays, marked, and stops counting.
	pub async fn revoke_attestation(
		&self,
		signer: &Keypair,
		version: VersionId,
		index: AttestationIndex,
		reason: &str,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().attestations().revoke(Static(version), index, bounded(reason.as_bytes()));
		self.submit(signer, &call).await
	}

	/// Up to `limit` attestations of `version` by index, skipping `start` (a page is at most
	/// 256).
	pub async fn attestations_page(
		&self,
		version: VersionId,
		start: u32,
		limit: u32,
	) -> Result<Vec<AttestationInfo>, ChainError> {
		let call = runtime::view_functions().attestations().attestations(Static(version), start, limit);
		Ok(self.view(call).await?.into_iter().map(|(index, a)| attestation(version, index, a)).collect())
	}

	/// Every attestation of `version`, by index (revoked ones included, marked).
	pub async fn attestations(&self, version: VersionId) -> Result<Vec<AttestationInfo>, ChainError> {
		let mut all = Vec::new();
		loop {
			let page = self.attestations_page(version, all.len() as u32, PAGE).await?;
			let full = page.len() >= PAGE as usize;
			all.extend(page);
			if !full || all.len() >= 64 * PAGE as usize {
				return Ok(all);
			}
		}
	}

	/// One attestation.
	pub async fn attestation(
		&self,
		version: VersionId,
		index: AttestationIndex,
	) -> Result<Option<AttestationInfo>, ChainError> {
		let call = runtime::view_functions().attestations().attestation(Static(version), index);
		Ok(self.view(call).await?.map(|a| attestation(version, index, a)))
	}

	// --- Policies ------------------------------------------------------------------------------

	/// Set (or replace) the promotion policy of ref `name` of `model` (admins; deposit held).
	pub async fn set_policy(
		&self,
		signer: &Keypair,
		model: &str,
		name: &str,
		policy: &Policy,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().attestations().set_policy(
			bounded(model.as_bytes()),
			bounded(name.as_bytes()),
			policy.to_chain(),
		);
		self.submit(signer, &call).await
	}

	/// Remove the promotion policy of ref `name` of `model` (admins).
	pub async fn remove_policy(&self, signer: &Keypair, model: &str, name: &str) -> Result<Submitted, ChainError> {
		let call =
			runtime::transactions().attestations().remove_policy(bounded(model.as_bytes()), bounded(name.as_bytes()));
		self.submit(signer, &call).await
	}

	/// The promotion policy of ref `name` of `model`, if any.
	pub async fn policy(&self, model: &str, name: &str) -> Result<Option<Policy>, ChainError> {
		let call = runtime::view_functions().attestations().policy(bounded(model.as_bytes()), bounded(name.as_bytes()));
		Ok(self.view(call).await?.map(Policy::from_chain))
	}

	/// Every condition of the policy of ref `name` of `model` that `version` does not meet now
	/// (empty: an unforced move to it would pass, also when the ref has no policy).
	pub async fn check_promotion(&self, model: &str, name: &str, version: VersionId) -> Result<Vec<Unmet>, ChainError> {
		let call = runtime::view_functions().attestations().check_promotion(
			bounded(model.as_bytes()),
			bounded(name.as_bytes()),
			Static(version),
		);
		Ok(self.view(call).await?.into_iter().map(Unmet::from_chain).collect())
	}

	/// What move `index` of ref `name` of `model` rested on (`None`: the move was not checked
	/// against a policy, or was forced).
	pub async fn evidence(&self, model: &str, name: &str, index: u32) -> Result<Option<Evidence>, ChainError> {
		let call = runtime::view_functions().attestations().evidence(
			bounded(model.as_bytes()),
			bounded(name.as_bytes()),
			index,
		);
		Ok(self.view(call).await?.map(|(version, evidence)| Evidence { version: version.0, attestations: evidence.0 }))
	}

	/// Move ref `name` of `model` to `to` without force, so the chain checks its policy; the
	/// move's index and evidence are read from the `Attestations::Promoted` event (none when
	/// the ref has no policy).
	pub async fn promote(
		&self,
		signer: &Keypair,
		model: &str,
		name: &str,
		to: VersionId,
		walk_limit: u32,
	) -> Result<Promotion, ChainError> {
		let call = runtime::transactions().lineage().move_ref(
			bounded(model.as_bytes()),
			bounded(name.as_bytes()),
			Static(to),
			false,
			walk_limit,
		);
		let (block, events) = self.submit_with_events(signer, &call).await?;
		let promoted =
			events.find_first::<runtime::attestations::events::Promoted>().transpose().map_err(event_error)?;
		Ok(match promoted {
			Some(event) => Promotion { index: Some(event.index), evidence: Some(event.evidence.0), block },
			None => Promotion { index: None, evidence: None, block },
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn measure(direction: Direction) -> Measure {
		Measure { dataset: [0xab; 32], metric: "accuracy".into(), direction }
	}

	#[test]
	fn policies_round_trip_through_the_chain_types() {
		let policy = Policy {
			min_evaluators: 2,
			thresholds: vec![
				Threshold { measure: measure(Direction::HigherIsBetter), bound: MetricValue::parse("0.9").unwrap() },
				Threshold { measure: measure(Direction::LowerIsBetter), bound: MetricValue::parse("-1.5").unwrap() },
			],
			must_beat: Some(measure(Direction::HigherIsBetter)),
		};
		assert_eq!(Policy::from_chain(policy.to_chain()), policy);
		let value = serde_json::to_value(&policy).unwrap();
		assert_eq!(
			value["thresholds"][0],
			serde_json::json!({"dataset": "ab".repeat(32), "metric": "accuracy", "direction": "higher_is_better",
				"bound": "0.9"})
		);
		assert_eq!(value["thresholds"][1]["bound"], "-1.5");
		assert_eq!(value["must_beat"]["direction"], "higher_is_better");
		assert_eq!(policy.thresholds[0].to_string(), format!("accuracy >= 0.9 on dataset {}", "ab".repeat(32)));
	}

	#[test]
	fn unmet_conditions_are_tagged() {
		let value = serde_json::to_value(Unmet::TooFewEvaluators { have: 1, need: 2 }).unwrap();
		assert_eq!(value, serde_json::json!({"condition": "TooFewEvaluators", "have": 1, "need": 2}));
		let value = serde_json::to_value(Unmet::DoesNotBeatCurrent).unwrap();
		assert_eq!(value, serde_json::json!({"condition": "DoesNotBeatCurrent"}));
		assert_eq!(
			Unmet::from_chain(chain_types::Unmet::BelowThreshold { index: 3 }),
			Unmet::BelowThreshold { threshold: 3 }
		);
	}

	#[test]
	fn directions_judge_the_worst_value() {
		let [a, b] = [MetricValue(1), MetricValue(2)];
		assert_eq!(Direction::HigherIsBetter.worse(a, b), a);
		assert_eq!(Direction::LowerIsBetter.worse(a, b), b);
		assert!(Direction::HigherIsBetter.meets(b, a) && !Direction::HigherIsBetter.meets(a, b));
		assert!(Direction::LowerIsBetter.meets(a, b));
	}
}
