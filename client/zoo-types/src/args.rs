//! Values a commit is made of, parsed once from text into typed values: names (model,
//! organisation, ref), parents, metrics, tags, licence, message, hashing choices, URI prefixes
//! and licence kinds. The `zoo` command's value parsers call these (`FromStr`, or
//! [`version_id`]), so a verb never sees unchecked text and a bad value is refused, in one
//! line, before anything else happens; values only the command line has (shares, filters,
//! motions) are the `zoo` binary's own.
//!
//! Each type checks one value; checks across values (how many metrics, a tag given twice) are
//! `zoo_client::manifest_build::CommitOptions`'s.

use crate::{InvalidValue as Error, Result};
use std::{fmt, str::FromStr};
use zoo_primitives::{
	Bytes, DigestAlgorithm, EdgeKind, HashingSettings, License, MAX_KEY_LEN, MAX_LICENSE_LEN, MAX_MESSAGE_LEN,
	MAX_TAG_VALUE_LEN, MAX_URI_LEN, MIN_SHARD_SIZE, Metric, MetricValue, Parent, Tag, VersionId, validate_key,
	validate_model_name, validate_org_name, validate_ref_name, validate_uri,
};

fn invalid(message: String) -> Error {
	Error(message)
}

/// A version ID in CID text form (any multibase; shown canonically).
pub fn version_id(text: &str) -> Result<VersionId> {
	VersionId::from_cid_str(text).map_err(|e| invalid(format!("invalid version id {text:?}: {e}")))
}

macro_rules! checked_name {
	($(#[$doc:meta])* $name:ident, $what:literal, $validate:path) => {
		$(#[$doc])*
		#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
		pub struct $name(String);

		impl $name {
			/// The name as text.
			pub fn as_str(&self) -> &str {
				&self.0
			}
		}

		impl FromStr for $name {
			type Err = Error;
			fn from_str(text: &str) -> Result<Self> {
				$validate(text.as_bytes()).map_err(|e| invalid(format!(concat!("invalid ", $what, " {:?}: {}"), text, e)))?;
				Ok(Self(text.to_owned()))
			}
		}

		impl fmt::Display for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				f.write_str(&self.0)
			}
		}

		impl std::ops::Deref for $name {
			type Target = str;
			fn deref(&self) -> &str {
				&self.0
			}
		}

		impl serde::Serialize for $name {
			fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
				serializer.serialize_str(&self.0)
			}
		}
	};
}

checked_name!(
	/// A model name, `org/name`, that passes the chain's rules.
	ModelName,
	"model name",
	validate_model_name
);
impl ModelName {
	/// The name in the manifest's bounded form.
	pub fn to_bounded(&self) -> zoo_primitives::ModelName {
		self.0.as_bytes().to_vec().try_into().expect("a valid model name is within the length bound; qed")
	}
}

checked_name!(
	/// An organisation name that passes the chain's rules.
	OrgName,
	"organisation name",
	validate_org_name
);
checked_name!(
	/// A ref name (`main`, `release/v2`) that passes the chain's rules.
	RefName,
	"ref name",
	validate_ref_name
);

/// A parent, `CID[:KIND]`; the kind defaults to `revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentSpec(pub Parent);

impl FromStr for ParentSpec {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let (cid, kind) = value.split_once(':').unwrap_or((value, "revision"));
		let id = version_id(cid)?;
		let edge = EdgeKind::from_name(kind).ok_or_else(|| {
			let kinds: Vec<_> = EdgeKind::ALL.iter().map(|k| k.as_str()).collect();
			invalid(format!("invalid parent {value:?}: unknown edge kind {kind:?} (one of {})", kinds.join(", ")))
		})?;
		Ok(ParentSpec(Parent { id, edge }))
	}
}

/// `text` as bounded bytes; the caller has checked the length.
fn bounded<const N: u32>(text: &str) -> Bytes<N> {
	text.as_bytes().to_vec().try_into().expect("length checked by the caller; qed")
}

/// Split `key=value` at the first `=`, naming `what` in the error.
/// Split `NAME=VALUE` at the first `=`, both sides non-empty; `what` names the option in the error.
pub fn split_pair<'a>(what: &str, value: &'a str) -> Result<(&'a str, &'a str)> {
	value.split_once('=').ok_or_else(|| invalid(format!("invalid {what} {value:?}: expected key=value")))
}

/// Check a metric name or tag key (`what`: `metric` or `tag`) and bound it.
pub fn bounded_key(what: &str, key: &str) -> Result<Bytes<MAX_KEY_LEN>> {
	if key.len() > MAX_KEY_LEN as usize {
		return Err(invalid(format!("{what} name {key:?} is longer than {MAX_KEY_LEN} bytes")));
	}
	validate_key(key.as_bytes())
		.map_err(|_| invalid(format!("invalid {what} name {key:?}: use a-z, 0-9, `.`, `_`, `-`, `/`")))?;
	Ok(bounded(key))
}

/// A metric, `name=value`: a checked name and an exact decimal (no rounding, at most
/// [`METRIC_DECIMALS`](zoo_primitives::METRIC_DECIMALS) places).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricArg(Metric);

impl MetricArg {
	/// The metric.
	pub fn metric(&self) -> &Metric {
		&self.0
	}
}

impl From<MetricArg> for Metric {
	fn from(arg: MetricArg) -> Metric {
		arg.0
	}
}

impl FromStr for MetricArg {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let (name, number) = split_pair("metric", value)?;
		let name = bounded_key("metric", name)?;
		let number = MetricValue::parse(number).map_err(|e| invalid(format!("invalid metric {value:?}: {e}")))?;
		Ok(MetricArg(Metric { name, value: number }))
	}
}

/// A tag, `key=value`: a checked key and a UTF-8 value of at most
/// [`MAX_TAG_VALUE_LEN`] bytes (which may hold `=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagArg(Tag);

impl TagArg {
	/// The tag.
	pub fn tag(&self) -> &Tag {
		&self.0
	}
}

impl From<TagArg> for Tag {
	fn from(arg: TagArg) -> Tag {
		arg.0
	}
}

impl FromStr for TagArg {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let (name, text) = split_pair("tag", value)?;
		let key = bounded_key("tag", name)?;
		if text.len() > MAX_TAG_VALUE_LEN as usize {
			return Err(invalid(format!("tag {name} value is longer than {MAX_TAG_VALUE_LEN} bytes")));
		}
		Ok(TagArg(Tag { key, value: bounded(text) }))
	}
}

/// An SPDX license expression (`Apache-2.0`, `MIT OR Apache-2.0`): trimmed, not empty, at most
/// [`MAX_LICENSE_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseArg(Bytes<MAX_LICENSE_LEN>);

impl LicenseArg {
	/// The license a manifest records.
	pub fn to_license(&self) -> License {
		License::Spdx(self.0.clone())
	}
}

impl FromStr for LicenseArg {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let text = text.trim();
		if text.is_empty() {
			return Err(invalid("license is empty".into()));
		}
		if text.len() > MAX_LICENSE_LEN as usize {
			return Err(invalid(format!("license is longer than {MAX_LICENSE_LEN} bytes")));
		}
		Ok(LicenseArg(bounded(text)))
	}
}

/// A commit message: not blank, at most [`MAX_MESSAGE_LEN`] bytes, kept as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitMessage(Bytes<MAX_MESSAGE_LEN>);

impl CommitMessage {
	/// The message as text.
	pub fn as_str(&self) -> &str {
		std::str::from_utf8(&self.0).expect("built from a str; qed")
	}

	/// The message in the manifest's bounded form.
	pub fn to_bounded(&self) -> Bytes<MAX_MESSAGE_LEN> {
		self.0.clone()
	}
}

impl FromStr for CommitMessage {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		if text.trim().is_empty() {
			return Err(invalid("commit message is empty".into()));
		}
		if text.len() > MAX_MESSAGE_LEN as usize {
			return Err(invalid(format!("commit message is longer than {MAX_MESSAGE_LEN} bytes")));
		}
		Ok(CommitMessage(bounded(text)))
	}
}

/// `--hash`: a digest algorithm by name (`sha2-256` or `blake3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DigestAlgorithmArg(pub DigestAlgorithm);

impl FromStr for DigestAlgorithmArg {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let algorithm = DigestAlgorithm::from_name(text)
			.ok_or_else(|| invalid(format!("unknown hash algorithm {text:?} (sha2-256 or blake3)")))?;
		Ok(DigestAlgorithmArg(algorithm))
	}
}

impl fmt::Display for DigestAlgorithmArg {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.0.as_str())
	}
}

/// A number of bytes: `1048576`, or a whole number with `KiB`, `MiB` or `GiB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(pub u64);

impl FromStr for ByteSize {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let (number, multiplier) = [("KiB", 1u64 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30)]
			.into_iter()
			.find_map(|(suffix, m)| text.strip_suffix(suffix).map(|n| (n, m)))
			.unwrap_or((text, 1));
		number
			.parse::<u64>()
			.ok()
			.and_then(|n| n.checked_mul(multiplier))
			.map(ByteSize)
			.ok_or_else(|| invalid(format!("invalid size {text:?}: expected bytes, or a number with KiB, MiB or GiB")))
	}
}

/// `--shard-size`: a [`ByteSize`] of at least [`MIN_SHARD_SIZE`] (1MiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShardSize(u64);

impl ShardSize {
	/// The size in bytes.
	pub fn bytes(self) -> u64 {
		self.0
	}
}

impl FromStr for ShardSize {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let ByteSize(size) = text.parse()?;
		if size < MIN_SHARD_SIZE {
			return Err(invalid(format!("shard size {size} is below the minimum of {MIN_SHARD_SIZE} bytes (1MiB)")));
		}
		Ok(ShardSize(size))
	}
}

/// The hashing settings `--hash` and `--shard-size` ask for.
pub fn hashing(algorithm: DigestAlgorithmArg, shard_size: Option<ShardSize>) -> HashingSettings {
	HashingSettings { algorithm: algorithm.0, shard_size: shard_size.map(ShardSize::bytes) }
}

/// `--uri-prefix`: where artifacts live (`s3://bucket/models/x/`, `https://...`); it needs a
/// `scheme:`, and room for a path within [`MAX_URI_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriPrefix(String);

impl UriPrefix {
	/// The prefix as text.
	pub fn as_str(&self) -> &str {
		&self.0
	}
}

impl FromStr for UriPrefix {
	type Err = Error;
	fn from_str(prefix: &str) -> Result<Self> {
		validate_uri(prefix.as_bytes()).map_err(|_| {
			invalid(format!("invalid URI prefix {prefix:?}: it needs a scheme such as https:// or s3://"))
		})?;
		if prefix.len() >= MAX_URI_LEN as usize {
			return Err(invalid(format!("URI prefix is {} bytes; a URI holds at most {MAX_URI_LEN}", prefix.len())));
		}
		Ok(UriPrefix(prefix.to_owned()))
	}
}

impl fmt::Display for UriPrefix {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.0)
	}
}

/// A set of derivative edge kinds (`--derivatives`, `--paid`): `finetune,quantize`, `all`
/// (merge, finetune, quantize, distill, adapter, other) or `none`; one bit per
/// [`EdgeKind`] in encoding order, as the licensing pallet stores it. Revisions never need a
/// licence and are never in a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KindSet(pub u8);

impl KindSet {
	/// No kind.
	pub const NONE: KindSet = KindSet(0);
	/// Every derivation kind (all but revision).
	pub const ALL: KindSet = KindSet(0b111_1110);

	/// Whether `kind` is in the set.
	pub fn contains(self, kind: EdgeKind) -> bool {
		self.0 & (1 << kind as u8) != 0
	}

	/// The kinds in the set, in encoding order.
	pub fn kinds(self) -> Vec<EdgeKind> {
		EdgeKind::ALL.into_iter().filter(|kind| self.contains(*kind)).collect()
	}

	/// The names of the kinds, comma-separated (`none` for the empty set).
	pub fn names(self) -> String {
		match self.kinds().iter().map(EdgeKind::as_str).collect::<Vec<_>>().join(",") {
			names if names.is_empty() => "none".into(),
			names => names,
		}
	}
}

impl FromStr for KindSet {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		match text.trim() {
			"all" => return Ok(KindSet::ALL),
			"none" | "" => return Ok(KindSet::NONE),
			_ => {}
		}
		let mut bits = 0u8;
		for name in text.split(',').map(str::trim) {
			match EdgeKind::from_name(name) {
				Some(EdgeKind::Revision) => {
					return Err(invalid(format!("invalid kinds {text:?}: a revision never needs a licence")));
				}
				Some(kind) => bits |= 1 << kind as u8,
				None => {
					return Err(invalid(format!(
						"invalid kinds {text:?}: unknown kind {name:?} (merge, finetune, quantize, distill, adapter, \
						 other, all or none)"
					)));
				}
			}
		}
		Ok(KindSet(bits))
	}
}

impl serde::Serialize for KindSet {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
		serializer.collect_seq(self.kinds().iter().map(EdgeKind::as_str))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_and_parents_parse_once() {
		assert_eq!("acme/tiny".parse::<ModelName>().unwrap().as_str(), "acme/tiny");
		assert!("Acme".parse::<ModelName>().unwrap_err().to_string().contains("invalid model name"));
		assert!("a//b".parse::<RefName>().unwrap_err().to_string().contains("invalid ref name"));
		assert!("Bad Org".parse::<OrgName>().unwrap_err().to_string().contains("invalid organisation name"));
		assert!(version_id("bafy").unwrap_err().to_string().contains("invalid version id"));
		let id = VersionId::of_bytes(b"x");
		let parent: ParentSpec = format!("{id}:finetune").parse().unwrap();
		assert_eq!(parent.0, Parent { id, edge: EdgeKind::Finetune });
		let parent: ParentSpec = id.to_cid_string().parse().unwrap();
		assert_eq!(parent.0.edge, EdgeKind::Revision);
		assert!(format!("{id}:nope").parse::<ParentSpec>().unwrap_err().to_string().contains("unknown edge kind"));
	}

	#[test]
	fn rejects_bad_parents() {
		let id = VersionId([1; 32]).to_cid_string();
		for bad in ["nonsense", "bafy", "bafkrei:merge", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"] {
			let err = bad.parse::<ParentSpec>().unwrap_err().to_string();
			assert!(err.contains("invalid version id"), "{bad}: {err}");
		}
		assert!(format!("{id}:sideways").parse::<ParentSpec>().is_err());
	}

	fn error<T: FromStr<Err = Error> + fmt::Debug>(text: &str) -> String {
		text.parse::<T>().unwrap_err().to_string()
	}

	#[test]
	fn metrics_are_checked_names_with_exact_decimals() {
		let metric = "eval/loss=0.8731".parse::<MetricArg>().unwrap();
		assert_eq!(&metric.metric().name[..], b"eval/loss");
		assert_eq!(metric.metric().value, MetricValue(873_100_000));
		assert_eq!(Metric::from("n=-12".parse::<MetricArg>().unwrap()).value, MetricValue(-12_000_000_000));
		assert_eq!("n=0.000000001".parse::<MetricArg>().unwrap().metric().value, MetricValue(1));
		for (bad, needle) in [
			("accuracy", "invalid metric \"accuracy\": expected key=value"),
			("acc=high", "invalid metric \"acc=high\": not a decimal"),
			("acc=nan", "not a decimal"),
			("acc=1e5", "not a decimal"),
			("acc=", "not a decimal"),
			("acc=0.0000000001", "more than 9 digits"),
			("acc=1000000000000000000000000000000000", "too large"),
			("Accuracy=1", "invalid metric name \"Accuracy\""),
			("=1", "invalid metric name \"\""),
			("a b=1", "invalid metric name"),
		] {
			let err = error::<MetricArg>(bad);
			assert!(err.contains(needle), "{bad}: {err}");
		}
		let longest = format!("{}=1", "m".repeat(MAX_KEY_LEN as usize));
		assert!(longest.parse::<MetricArg>().is_ok());
		let err = error::<MetricArg>(&format!("m{longest}"));
		assert!(err.contains("is longer than 64 bytes"), "{err}");
	}

	#[test]
	fn tags_are_checked_keys_with_bounded_values() {
		let tag = "dataset=imagenet=v2".parse::<TagArg>().unwrap();
		assert_eq!((&tag.tag().key[..], &tag.tag().value[..]), (&b"dataset"[..], &b"imagenet=v2"[..]));
		assert_eq!(&Tag::from("empty=".parse::<TagArg>().unwrap()).value[..], b"");
		for (bad, needle) in [
			("novalue", "invalid tag \"novalue\": expected key=value"),
			("Bad=x", "invalid tag name \"Bad\""),
			("k x=y", "invalid tag name"),
		] {
			let err = error::<TagArg>(bad);
			assert!(err.contains(needle), "{bad}: {err}");
		}
		let value = "v".repeat(MAX_TAG_VALUE_LEN as usize);
		assert!(format!("k={value}").parse::<TagArg>().is_ok());
		assert_eq!(error::<TagArg>(&format!("k={value}v")), "tag k value is longer than 256 bytes");
		assert!(error::<TagArg>(&format!("{}=v", "k".repeat(65))).contains("tag name"));
	}

	#[test]
	fn licenses_are_trimmed_and_bounded() {
		assert_eq!(
			" MIT ".parse::<LicenseArg>().unwrap().to_license(),
			License::Spdx(b"MIT".to_vec().try_into().unwrap())
		);
		assert_eq!(error::<LicenseArg>(""), "license is empty");
		assert_eq!(error::<LicenseArg>(" \t"), "license is empty");
		assert!("x".repeat(MAX_LICENSE_LEN as usize).parse::<LicenseArg>().is_ok());
		assert_eq!(error::<LicenseArg>(&"x".repeat(65)), "license is longer than 64 bytes");
	}

	#[test]
	fn commit_messages_are_kept_as_given_and_bounded() {
		let message = "  fix: tokenizer\n\nlonger text ".parse::<CommitMessage>().unwrap();
		assert_eq!(message.as_str(), "  fix: tokenizer\n\nlonger text ");
		assert_eq!(&message.to_bounded()[..], message.as_str().as_bytes());
		assert_eq!(error::<CommitMessage>(""), "commit message is empty");
		assert_eq!(error::<CommitMessage>(" \n "), "commit message is empty");
		assert!("m".repeat(MAX_MESSAGE_LEN as usize).parse::<CommitMessage>().is_ok());
		let err = error::<CommitMessage>(&"m".repeat(MAX_MESSAGE_LEN as usize + 1));
		assert_eq!(err, "commit message is longer than 4096 bytes");
	}

	#[test]
	fn digest_algorithms_by_name() {
		assert_eq!("sha2-256".parse::<DigestAlgorithmArg>().unwrap().0, DigestAlgorithm::Sha2_256);
		assert_eq!("blake3".parse::<DigestAlgorithmArg>().unwrap().to_string(), "blake3");
		assert_eq!(DigestAlgorithmArg::default().to_string(), "sha2-256");
		for bad in ["md5", "SHA2-256", "sha256", ""] {
			assert!(error::<DigestAlgorithmArg>(bad).starts_with("unknown hash algorithm"), "{bad}");
		}
	}

	#[test]
	fn sizes_and_shard_sizes() {
		for (text, bytes) in [("0", 0), ("4096", 4096), ("512KiB", 512 << 10), ("64MiB", 64 << 20), ("1GiB", 1 << 30)] {
			assert_eq!(text.parse::<ByteSize>().unwrap(), ByteSize(bytes), "{text}");
		}
		for bad in ["", "12MB", "1.5MiB", "-1", "MiB", "64 MiB", "18446744073709551615GiB"] {
			assert!(error::<ByteSize>(bad).starts_with("invalid size"), "{bad}");
		}
		assert_eq!("1MiB".parse::<ShardSize>().unwrap().bytes(), MIN_SHARD_SIZE);
		assert_eq!("1048576".parse::<ShardSize>().unwrap().bytes(), MIN_SHARD_SIZE);
		let err = error::<ShardSize>("1048575");
		assert_eq!(err, "shard size 1048575 is below the minimum of 1048576 bytes (1MiB)");
		assert!(error::<ShardSize>("1KiB").contains("below the minimum"));
		assert!(error::<ShardSize>("lots").starts_with("invalid size"));
		let settings = hashing("blake3".parse().unwrap(), Some("64MiB".parse().unwrap()));
		assert_eq!(settings, HashingSettings { algorithm: DigestAlgorithm::Blake3, shard_size: Some(64 << 20) });
		assert_eq!(hashing(DigestAlgorithmArg::default(), None).shard_size, None);
	}

	#[test]
	fn uri_prefixes_need_a_scheme_and_room() {
		for good in ["s3://bucket/m/", "https://host/m", "ipfs://x", "file:///data"] {
			assert_eq!(good.parse::<UriPrefix>().unwrap().as_str(), good);
		}
		for bad in ["no-scheme/", "bucket/path", "://x", "1s3://x", ""] {
			assert!(error::<UriPrefix>(bad).starts_with("invalid URI prefix"), "{bad}");
		}
		let longest = format!("https://{}", "h".repeat(MAX_URI_LEN as usize - 9));
		assert!(longest.parse::<UriPrefix>().is_ok());
		assert!(error::<UriPrefix>(&format!("{longest}h")).contains("at most 512"));
	}

	#[test]
	fn kind_sets_by_name() {
		assert_eq!("all".parse::<KindSet>().unwrap(), KindSet::ALL);
		assert_eq!("none".parse::<KindSet>().unwrap(), KindSet::NONE);
		let set = "finetune, quantize".parse::<KindSet>().unwrap();
		assert_eq!(set.kinds(), vec![EdgeKind::Finetune, EdgeKind::Quantize]);
		assert_eq!(set.0, 0b1100);
		assert_eq!(set.names(), "finetune,quantize");
		assert_eq!(KindSet::NONE.names(), "none");
		assert_eq!(KindSet::ALL.kinds().len(), 6);
		assert!(error::<KindSet>("revision").contains("a revision never needs a licence"));
		assert!(error::<KindSet>("finetune,lora").contains("unknown kind \"lora\""));
		assert!(error::<KindSet>("finetune,").contains("unknown kind \"\""));
	}
}
