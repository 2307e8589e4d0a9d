//! The command line's own values: shares, hex hashes and signatures, datasets, promotion
//! requirements, evidence, search filters, council motions and votes, and what `curation show`
//! and `dispute show` are about. Each is parsed once by clap's value parser (`FromStr`) and
//! refused in one line; the values the library shares (names, parents, metrics, tags, licence,
//! message, hashing, URI prefixes, licence kinds) are `zoo_client::args`.

use std::str::FromStr;
pub(crate) use zoo_client::args::*;
use zoo_client::{
	amount::{Bps, Ppb},
	chain::{Direction, Measure, Threshold},
};
use zoo_primitives::{EdgeKind, MAX_TAG_VALUE_LEN, MAX_URI_LEN, MetricValue, VersionId, validate_uri};
use zoo_types::{InvalidValue as Error, Result};

fn invalid(message: String) -> Error {
	Error(message)
}

/// `--share KIND=PERCENT`: the share of a derivative's revenue owed upstream for one edge kind
/// (`finetune=10%`), in parts per billion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShareArg {
	/// The edge kind.
	pub kind: EdgeKind,
	/// The share, in parts per billion.
	pub ppb: u32,
}

impl FromStr for ShareArg {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let (name, percent) = split_pair("share", value)?;
		let kind: KindSet = name.parse()?;
		let [kind] = kind.kinds()[..] else {
			return Err(invalid(format!("invalid share {value:?}: name one kind (such as finetune=10%)")));
		};
		let share: Ppb = percent.parse()?;
		Ok(ShareArg { kind, ppb: share.0 })
	}
}

/// `ACCOUNT=PERCENT` of a contributor split (`//Bob=25%`, `5Grw...=33.33`): the account as
/// typed (an SS58 address, a stored key's name or a secret URI, resolved by the caller) and its
/// share in basis points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitShareArg {
	/// The account as typed.
	pub account: String,
	/// Its share, in basis points.
	pub bps: u16,
}

impl FromStr for SplitShareArg {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let (account, percent) = value
			.rsplit_once('=')
			.ok_or_else(|| invalid("invalid split entry: expected ACCOUNT=PERCENT (such as //Bob=25%)".into()))?;
		if account.trim().is_empty() {
			return Err(invalid("invalid split entry: no account before `=`".into()));
		}
		let share: Bps = percent.parse()?;
		if share.0 == 0 {
			return Err(invalid(format!("invalid split entry for {}: a share of 0%", account.trim())));
		}
		Ok(SplitShareArg { account: account.trim().to_owned(), bps: share.0 })
	}
}

/// A 32-byte hash as 64 hex digits (`0x` optional), such as `--legal-hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hash32(pub [u8; 32]);

impl FromStr for Hash32 {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let digits = text.trim().trim_start_matches("0x");
		let mut bytes = [0u8; 32];
		hex::decode_to_slice(digits, &mut bytes)
			.map_err(|_| invalid(format!("invalid hash {text:?}: expected 64 hex digits")))?;
		Ok(Hash32(bytes))
	}
}

/// A usage voucher's sr25519 signature as 128 hex digits (`0x` optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SignatureArg(pub [u8; 64]);

impl FromStr for SignatureArg {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let digits = text.trim().trim_start_matches("0x");
		let mut bytes = [0u8; 64];
		hex::decode_to_slice(digits, &mut bytes)
			.map_err(|_| invalid("invalid signature: expected 128 hex digits (an sr25519 signature)".into()))?;
		Ok(SignatureArg(bytes))
	}
}

/// A dataset's content ID (`--dataset`, and after `@` in `--require` and `--must-beat`): its
/// CID text, or the 32 bytes of its sha2-256 as 64 hex digits (`0x` optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DatasetArg(pub [u8; 32]);

impl FromStr for DatasetArg {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		if let Ok(Hash32(bytes)) = text.parse() {
			return Ok(DatasetArg(bytes));
		}
		VersionId::from_cid_str(text.trim())
			.map(|id| DatasetArg(id.0))
			.map_err(|_| invalid(format!("invalid dataset {text:?}: expected a content ID (CID) or 64 hex digits")))
	}
}

/// Split `SPEC@DATASET` at the last `@`.
fn at_dataset<'a>(what: &str, syntax: &str, value: &'a str) -> Result<(&'a str, DatasetArg)> {
	let (spec, dataset) =
		value.rsplit_once('@').ok_or_else(|| invalid(format!("invalid {what} {value:?}: expected {syntax}")))?;
	Ok((spec, dataset.parse()?))
}

/// `--require METRIC>=VALUE@DATASET` (higher is better) or `METRIC<=VALUE@DATASET` (lower is
/// better): a promotion threshold, judged by the worst trusted attestation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequireArg(pub Threshold);

impl FromStr for RequireArg {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let syntax = "METRIC>=VALUE@DATASET or METRIC<=VALUE@DATASET (such as accuracy>=0.9@<cid>)";
		let (spec, dataset) = at_dataset("requirement", syntax, value)?;
		let (name, bound, direction) = if let Some((name, bound)) = spec.split_once(">=") {
			(name, bound, Direction::HigherIsBetter)
		} else if let Some((name, bound)) = spec.split_once("<=") {
			(name, bound, Direction::LowerIsBetter)
		} else {
			return Err(invalid(format!("invalid requirement {value:?}: expected {syntax}")));
		};
		bounded_key("metric", name.trim())?;
		let bound =
			MetricValue::parse(bound.trim()).map_err(|e| invalid(format!("invalid requirement {value:?}: {e}")))?;
		let measure = Measure { dataset: dataset.0, metric: name.trim().to_owned(), direction };
		Ok(RequireArg(Threshold { measure, bound }))
	}
}

/// `--must-beat METRIC@DATASET` or `METRIC>@DATASET` (the new target's value must be higher
/// than the current target's) or `METRIC<@DATASET` (lower, for loss-like metrics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MustBeatArg(pub Measure);

impl FromStr for MustBeatArg {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let syntax = "METRIC@DATASET, METRIC>@DATASET (higher is better) or METRIC<@DATASET (lower is better)";
		let (spec, dataset) = at_dataset("--must-beat", syntax, value)?;
		let spec = spec.trim();
		let (name, direction) = if let Some(name) = spec.strip_suffix('<') {
			(name, Direction::LowerIsBetter)
		} else {
			(spec.strip_suffix('>').unwrap_or(spec), Direction::HigherIsBetter)
		};
		bounded_key("metric", name.trim())?;
		Ok(MustBeatArg(Measure { dataset: dataset.0, metric: name.trim().to_owned(), direction }))
	}
}

/// `--evidence`: where an attestation's evidence (a log, a report) is, a URI of at most
/// [`MAX_URI_LEN`] bytes with a scheme (`https://`, `s3://`, `ipfs://`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EvidenceUri(String);

impl EvidenceUri {
	/// The URI as text.
	pub(crate) fn as_str(&self) -> &str {
		&self.0
	}
}

impl FromStr for EvidenceUri {
	type Err = Error;
	fn from_str(uri: &str) -> Result<Self> {
		if uri.len() > MAX_URI_LEN as usize {
			return Err(invalid(format!("evidence URI is {} bytes; at most {MAX_URI_LEN}", uri.len())));
		}
		validate_uri(uri.as_bytes()).map_err(|_| {
			invalid(format!("invalid evidence URI {uri:?}: it needs a scheme such as https:// or s3://"))
		})?;
		Ok(EvidenceUri(uri.to_owned()))
	}
}

/// Longest revocation reason, in bytes (the attestations pallet's `MAX_REASON_LEN`).
pub(crate) const MAX_REASON_LEN: usize = 256;

/// `--reason` of a revocation: not blank, at most [`MAX_REASON_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReasonArg(String);

impl ReasonArg {
	/// The reason as text.
	pub(crate) fn as_str(&self) -> &str {
		&self.0
	}
}

impl FromStr for ReasonArg {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		if text.trim().is_empty() {
			return Err(invalid("reason is empty".into()));
		}
		if text.len() > MAX_REASON_LEN {
			return Err(invalid(format!("reason is longer than {MAX_REASON_LEN} bytes")));
		}
		Ok(ReasonArg(text.to_owned()))
	}
}

/// `--tag KEY=VALUE` of `zoo search`: versions carrying the tag with that value; `--tag KEY`
/// alone: with that tag, whatever its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TagFilterArg {
	/// The tag's key.
	pub key: String,
	/// The value it must have (`None`: any).
	pub value: Option<String>,
}

impl FromStr for TagFilterArg {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let (name, text) = match value.split_once('=') {
			Some((name, text)) => (name, Some(text)),
			None => (value, None),
		};
		bounded_key("tag", name)?;
		if let Some(text) = text
			&& text.len() > MAX_TAG_VALUE_LEN as usize
		{
			return Err(invalid(format!("tag {name} value is longer than {MAX_TAG_VALUE_LEN} bytes")));
		}
		Ok(TagFilterArg { key: name.to_owned(), value: text.map(str::to_owned) })
	}
}

/// `--metric NAME>=VALUE` of `zoo search`: versions whose manifest gives the metric at least
/// that value (an exact decimal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MetricMinArg {
	/// The metric's name.
	pub name: String,
	/// The lowest value accepted.
	pub min: MetricValue,
}

impl FromStr for MetricMinArg {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let (name, number) = value.split_once(">=").ok_or_else(|| {
			invalid(format!("invalid metric condition {value:?}: expected NAME>=VALUE (such as accuracy>=0.9)"))
		})?;
		bounded_key("metric", name.trim())?;
		let min = MetricValue::parse(number.trim())
			.map_err(|e| invalid(format!("invalid metric condition {value:?}: {e}")))?;
		Ok(MetricMinArg { name: name.trim().to_owned(), min })
	}
}

/// `--evidence` of a dispute: a URI with a scheme (`https://...`, `ipfs://...`) or a hash as
/// 64 hex digits (`0x` optional; kept as lower-case hex), at most [`MAX_URI_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DisputeEvidence(String);

impl DisputeEvidence {
	/// The evidence as recorded.
	pub(crate) fn as_str(&self) -> &str {
		&self.0
	}
}

impl FromStr for DisputeEvidence {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let text = text.trim();
		if let Ok(Hash32(bytes)) = text.parse() {
			return Ok(DisputeEvidence(hex::encode(bytes)));
		}
		if text.len() > MAX_URI_LEN as usize {
			return Err(invalid(format!("evidence is {} bytes; at most {MAX_URI_LEN}", text.len())));
		}
		validate_uri(text.as_bytes()).map_err(|_| {
			invalid(format!(
				"invalid evidence {text:?}: expected a URI with a scheme (https://, ipfs://) or a hash of 64 hex digits"
			))
		})?;
		Ok(DisputeEvidence(text.to_owned()))
	}
}

/// A council motion, by its number or by the `0x` hash of its call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MotionArg {
	/// Its number.
	Index(u32),
	/// The hash of its call.
	Hash([u8; 32]),
}

impl FromStr for MotionArg {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let text = text.trim();
		if let Ok(index) = text.parse::<u32>() {
			return Ok(MotionArg::Index(index));
		}
		match text.strip_prefix("0x").map(str::parse::<Hash32>) {
			Some(Ok(Hash32(hash))) => Ok(MotionArg::Hash(hash)),
			_ => Err(invalid(format!(
				"invalid motion {text:?}: expected its number (see `zoo council motions`) or the 0x hash of its call"
			))),
		}
	}
}

/// A council vote: `aye` or `nay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VoteArg(pub bool);

impl FromStr for VoteArg {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		match text.trim().to_ascii_lowercase().as_str() {
			"aye" | "yes" => Ok(VoteArg(true)),
			"nay" | "no" => Ok(VoteArg(false)),
			_ => Err(invalid(format!("invalid vote {text:?}: aye or nay"))),
		}
	}
}

/// What `zoo curation show` shows: a version (CID) or a model (`org/name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CurationSubject {
	/// A version.
	Version(VersionId),
	/// A model.
	Model(ModelName),
}

impl FromStr for CurationSubject {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		if let Ok(id) = VersionId::from_cid_str(text.trim()) {
			return Ok(CurationSubject::Version(id));
		}
		text.trim()
			.parse::<ModelName>()
			.map(CurationSubject::Model)
			.map_err(|_| invalid(format!("{text:?} is neither a version ID (CID) nor a model name (org/name)")))
	}
}

/// What `zoo dispute show` shows: a dispute by number, or the open dispute on a version (CID).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DisputeSubject {
	/// A dispute's number.
	Id(u64),
	/// A version.
	Version(VersionId),
}

impl FromStr for DisputeSubject {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		if let Ok(id) = text.trim().parse::<u64>() {
			return Ok(DisputeSubject::Id(id));
		}
		VersionId::from_cid_str(text.trim())
			.map(DisputeSubject::Version)
			.map_err(|_| invalid(format!("{text:?} is neither a dispute number nor a version ID (CID)")))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::fmt;

	fn error<T: FromStr<Err = Error> + fmt::Debug>(text: &str) -> String {
		text.parse::<T>().unwrap_err().to_string()
	}

	#[test]
	fn shares_name_one_kind_and_a_percentage() {
		assert_eq!(
			"finetune=10%".parse::<ShareArg>().unwrap(),
			ShareArg { kind: EdgeKind::Finetune, ppb: 100_000_000 }
		);
		assert_eq!("quantize=0.5".parse::<ShareArg>().unwrap().ppb, 5_000_000);
		for (bad, needle) in [
			("finetune", "expected key=value"),
			("all=10%", "name one kind"),
			("finetune,quantize=1%", "name one kind"),
			("lora=1%", "unknown kind"),
			("finetune=110%", "above 100%"),
			("finetune=ten", "not a decimal"),
		] {
			let err = error::<ShareArg>(bad);
			assert!(err.contains(needle), "{bad}: {err}");
		}
	}

	#[test]
	fn split_entries_are_an_account_and_basis_points() {
		let entry = "//Bob=33.33%".parse::<SplitShareArg>().unwrap();
		assert_eq!(entry, SplitShareArg { account: "//Bob".into(), bps: 3_333 });
		assert_eq!("a=b=100".parse::<SplitShareArg>().unwrap().account, "a=b");
		for (bad, needle) in [
			("//Bob", "expected ACCOUNT=PERCENT"),
			("=50%", "no account"),
			("//Bob=0%", "a share of 0%"),
			("//Bob=33.333%", "more than 2 decimals"),
			("//Bob=150%", "above 100%"),
		] {
			let err = error::<SplitShareArg>(bad);
			assert!(err.contains(needle), "{bad}: {err}");
		}
	}

	#[test]
	fn hashes_and_signatures_in_hex() {
		let hash = format!("0x{}", "ab".repeat(32));
		assert_eq!(hash.parse::<Hash32>().unwrap(), Hash32([0xab; 32]));
		assert_eq!("cd".repeat(32).parse::<Hash32>().unwrap(), Hash32([0xcd; 32]));
		assert!(error::<Hash32>("abcd").contains("64 hex digits"));
		assert!(error::<Hash32>(&"zz".repeat(32)).contains("64 hex digits"));
		assert_eq!("01".repeat(64).parse::<SignatureArg>().unwrap(), SignatureArg([1; 64]));
		assert!(error::<SignatureArg>("01").contains("128 hex digits"));
	}

	#[test]
	fn datasets_are_cids_or_hex() {
		let id = VersionId::of_bytes(b"dataset manifest");
		assert_eq!(id.to_cid_string().parse::<DatasetArg>().unwrap(), DatasetArg(id.0));
		assert_eq!("ab".repeat(32).parse::<DatasetArg>().unwrap(), DatasetArg([0xab; 32]));
		assert_eq!(format!("0x{}", "cd".repeat(32)).parse::<DatasetArg>().unwrap(), DatasetArg([0xcd; 32]));
		for bad in ["", "abcd", "bafy", "imagenet"] {
			assert!(error::<DatasetArg>(bad).contains("expected a content ID (CID) or 64 hex digits"), "{bad}");
		}
	}

	#[test]
	fn requirements_are_thresholds_on_datasets() {
		let dataset = "ab".repeat(32);
		let RequireArg(threshold) = format!("accuracy>=0.9@{dataset}").parse().unwrap();
		assert_eq!(threshold.measure.metric, "accuracy");
		assert_eq!(threshold.measure.direction, Direction::HigherIsBetter);
		assert_eq!(threshold.measure.dataset, [0xab; 32]);
		assert_eq!(threshold.bound, MetricValue(900_000_000));
		let RequireArg(threshold) = format!("eval/loss<=0.2@{dataset}").parse().unwrap();
		assert_eq!(
			(threshold.measure.metric.as_str(), threshold.measure.direction),
			("eval/loss", Direction::LowerIsBetter)
		);
		assert_eq!(threshold.bound, MetricValue(200_000_000));
		for (bad, needle) in [
			("accuracy>=0.9".to_owned(), "expected METRIC>=VALUE@DATASET"),
			(format!("accuracy=0.9@{dataset}"), "expected METRIC>=VALUE@DATASET"),
			(format!("accuracy>0.9@{dataset}"), "expected METRIC>=VALUE@DATASET"),
			(format!("Accuracy>=0.9@{dataset}"), "invalid metric name"),
			(format!("accuracy>=high@{dataset}"), "not a decimal"),
			("accuracy>=0.9@nope".to_owned(), "invalid dataset"),
		] {
			let err = error::<RequireArg>(&bad);
			assert!(err.contains(needle), "{bad}: {err}");
		}
	}

	#[test]
	fn must_beat_names_a_measure_and_its_direction() {
		let dataset = "ab".repeat(32);
		for (text, metric, direction) in [
			(format!("accuracy@{dataset}"), "accuracy", Direction::HigherIsBetter),
			(format!("accuracy>@{dataset}"), "accuracy", Direction::HigherIsBetter),
			(format!("eval/loss<@{dataset}"), "eval/loss", Direction::LowerIsBetter),
		] {
			let MustBeatArg(measure) = text.parse().unwrap();
			assert_eq!((measure.metric.as_str(), measure.direction, measure.dataset), (metric, direction, [0xab; 32]));
		}
		assert!(error::<MustBeatArg>("accuracy").contains("expected METRIC@DATASET"));
		assert!(error::<MustBeatArg>(&format!("acc=1@{dataset}")).contains("invalid metric name"));
		assert!(error::<MustBeatArg>(&format!("<@{dataset}")).contains("invalid metric name"));
	}

	#[test]
	fn evidence_uris_and_reasons_are_bounded() {
		assert_eq!("https://ci.example/run/7".parse::<EvidenceUri>().unwrap().as_str(), "https://ci.example/run/7");
		assert!(error::<EvidenceUri>("run/7.log").contains("needs a scheme"));
		assert!(error::<EvidenceUri>(&format!("https://{}", "h".repeat(MAX_URI_LEN as usize))).contains("at most 512"));
		assert_eq!("leaked test set".parse::<ReasonArg>().unwrap().as_str(), "leaked test set");
		assert_eq!(error::<ReasonArg>(" "), "reason is empty");
		assert!(error::<ReasonArg>(&"r".repeat(257)).contains("longer than 256 bytes"));
	}

	#[test]
	fn search_dispute_and_council_arguments_parse_once() {
		assert_eq!(
			"task=chat".parse::<TagFilterArg>().unwrap(),
			TagFilterArg { key: "task".into(), value: Some("chat".into()) }
		);
		assert_eq!("task".parse::<TagFilterArg>().unwrap(), TagFilterArg { key: "task".into(), value: None });
		assert!(error::<TagFilterArg>("Bad Key=1").contains("invalid tag name"));
		let metric = "accuracy>=0.9".parse::<MetricMinArg>().unwrap();
		assert_eq!((metric.name.as_str(), metric.min), ("accuracy", MetricValue::parse("0.9").unwrap()));
		assert!(error::<MetricMinArg>("accuracy=0.9").contains("expected NAME>=VALUE"));
		assert!(error::<MetricMinArg>("accuracy>=high").contains("invalid metric condition"));
		let hash = "AB".repeat(32);
		assert_eq!(format!("0x{hash}").parse::<DisputeEvidence>().unwrap().as_str(), "ab".repeat(32));
		assert_eq!("https://x.example/r".parse::<DisputeEvidence>().unwrap().as_str(), "https://x.example/r");
		assert!(error::<DisputeEvidence>("it is malware").contains("expected a URI with a scheme"));
		assert_eq!("7".parse::<MotionArg>().unwrap(), MotionArg::Index(7));
		assert_eq!(format!("0x{hash}").parse::<MotionArg>().unwrap(), MotionArg::Hash([0xab; 32]));
		assert!(error::<MotionArg>("seven").contains("invalid motion"));
		assert_eq!("Aye".parse::<VoteArg>().unwrap(), VoteArg(true));
		assert_eq!("nay".parse::<VoteArg>().unwrap(), VoteArg(false));
		assert!(error::<VoteArg>("maybe").contains("aye or nay"));
		assert_eq!(
			"acme/tiny".parse::<CurationSubject>().unwrap(),
			CurationSubject::Model("acme/tiny".parse().unwrap())
		);
		assert!(error::<CurationSubject>("Not A Model").contains("neither a version ID"));
		assert_eq!("3".parse::<DisputeSubject>().unwrap(), DisputeSubject::Id(3));
		assert!(error::<DisputeSubject>("acme/tiny").contains("neither a dispute number"));
	}
}
