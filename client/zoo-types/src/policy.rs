//! Promotion-policy values: which way a metric improves, what is measured, and thresholds.
//! The chain's attestation and promotion calls take them; the CLI parses them.

use serde::Serialize;
use std::fmt;
use zoo_primitives::MetricValue;

/// A dataset's content ID: the 32 bytes of its manifest's CID (sha2-256).
pub type DatasetId = [u8; 32];

fn hex32<S: serde::Serializer>(bytes: &[u8; 32], serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&hex::encode(bytes))
}

fn metric_value<S: serde::Serializer>(value: &MetricValue, serializer: S) -> Result<S::Ok, S::Error> {
	serializer.serialize_str(&value.to_string())
}

/// Which way a metric improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
	/// Higher is better (accuracy): thresholds are `>=`.
	HigherIsBetter,
	/// Lower is better (loss, latency): thresholds are `<=`.
	LowerIsBetter,
}

impl Direction {
	/// `>=` or `<=`: how a threshold on this direction compares.
	pub fn at_least(self) -> &'static str {
		match self {
			Self::HigherIsBetter => ">=",
			Self::LowerIsBetter => "<=",
		}
	}

	/// `>` or `<`: what beating another value means.
	pub fn beats(self) -> &'static str {
		match self {
			Self::HigherIsBetter => ">",
			Self::LowerIsBetter => "<",
		}
	}

	/// Whether `value` meets `bound`.
	pub fn meets(self, value: MetricValue, bound: MetricValue) -> bool {
		match self {
			Self::HigherIsBetter => value >= bound,
			Self::LowerIsBetter => value <= bound,
		}
	}

	/// The worse of two values.
	pub fn worse(self, a: MetricValue, b: MetricValue) -> MetricValue {
		match self {
			Self::HigherIsBetter => a.min(b),
			Self::LowerIsBetter => a.max(b),
		}
	}
}

/// A metric on a dataset, and which way it improves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measure {
	/// The dataset (64 hex digits in JSON).
	#[serde(serialize_with = "hex32")]
	pub dataset: DatasetId,
	/// The metric's name.
	pub metric: String,
	/// Which way it improves.
	pub direction: Direction,
}

impl fmt::Display for Measure {
	/// `accuracy on <dataset>`.
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{} on dataset {}", self.metric, hex::encode(self.dataset))
	}
}

/// A threshold: the measure at least (higher is better) or at most (lower is better) `bound`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Threshold {
	/// What is measured (`dataset`, `metric`, `direction` in JSON).
	#[serde(flatten)]
	pub measure: Measure,
	/// The bound, an exact decimal.
	#[serde(serialize_with = "metric_value")]
	pub bound: MetricValue,
}

impl fmt::Display for Threshold {
	/// `accuracy >= 0.9 on dataset <hex>`.
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"{} {} {} on dataset {}",
			self.measure.metric,
			self.measure.direction.at_least(),
			self.bound,
			hex::encode(self.measure.dataset)
		)
	}
}
