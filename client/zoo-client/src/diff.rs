//! Comparing two manifests (`zoo diff <cid> <cid>`).
//!
//! [`diff`] lists what differs field by field (artifacts by path, metrics by name, tags by key,
//! parents by ID); the result serializes to JSON for `--json` and displays as a short git-like
//! summary, one change per line:
//!
//! ```text
//! license: MIT → Apache-2.0
//! tag stage: dev → prod
//! metric accuracy: 0.91 → 0.93 (+0.02)
//! + weights/model.safetensors (1.2 GiB)
//! - old.bin
//! ~ config.json: sha2-256 ab12ab12ab12..→cd34cd34cd34.., 1.1 KiB → 1.3 KiB
//! ```

use crate::output::{license_text, safe_line};
use serde::Serialize;
use std::{
	collections::BTreeMap,
	fmt::{self, Display},
};
use zoo_primitives::{Artifact, HashingSettings, METRIC_DECIMALS, Manifest, Metric, MetricValue, Tag};

/// Hex digits of a digest shown in the text summary.
pub const SHORT_DIGEST_LEN: usize = 12;

/// A value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
	/// In the old manifest.
	pub old: T,
	/// In the new manifest.
	pub new: T,
}

impl<T: PartialEq> Change<T> {
	/// `Some` when the values differ.
	fn of(old: T, new: T) -> Option<Self> {
		(old != new).then_some(Self { old, new })
	}
}

/// A parent present on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParentEntry {
	/// The parent's CID.
	pub id: String,
	/// Edge kind (`revision`, `merge`, ...).
	pub edge: String,
}

/// A parent on both sides whose edge kind differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdgeChange {
	/// The parent's CID.
	pub id: String,
	/// Edge kinds before and after.
	pub edge: Change<String>,
}

/// How the parents differ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParentsDiff {
	/// Parents only in the new manifest.
	pub added: Vec<ParentEntry>,
	/// Parents only in the old manifest.
	pub removed: Vec<ParentEntry>,
	/// Parents on both sides with another edge kind.
	pub changed: Vec<EdgeChange>,
	/// Whether the parents on both sides are listed in another order (the first is the main line).
	pub reordered: bool,
}

/// An artifact present on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArtifactEntry {
	/// Path.
	pub path: String,
	/// Kind (`weights`, `config`, ...).
	pub kind: String,
	/// Size in bytes.
	pub size: u64,
	/// Digest algorithm.
	pub algorithm: String,
	/// Digest (hex).
	pub digest: String,
	/// Storage URI.
	pub uri: String,
}

/// A digest: algorithm and hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestText {
	/// Digest algorithm.
	pub algorithm: String,
	/// Digest (hex).
	pub hex: String,
}

/// An artifact path on both sides with something else that differs; `None` fields are equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArtifactChange {
	/// Path.
	pub path: String,
	/// Size in bytes.
	pub size: Option<Change<u64>>,
	/// Digest.
	pub digest: Option<Change<DigestText>>,
	/// Kind.
	pub kind: Option<Change<String>>,
	/// Storage URI.
	pub uri: Option<Change<String>>,
}

/// How the artifacts differ, each list sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArtifactsDiff {
	/// Paths only in the new manifest.
	pub added: Vec<ArtifactEntry>,
	/// Paths only in the old manifest.
	pub removed: Vec<ArtifactEntry>,
	/// Paths on both sides that differ.
	pub changed: Vec<ArtifactChange>,
}

/// A metric present on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricEntry {
	/// Metric name.
	pub name: String,
	/// Exact decimal value.
	pub value: String,
}

/// A metric on both sides with another value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricChange {
	/// Metric name.
	pub name: String,
	/// Old value (exact decimal).
	pub old: String,
	/// New value (exact decimal).
	pub new: String,
	/// New minus old (exact decimal with a sign: `+0.02`, `-1.5`).
	pub delta: String,
}

/// How the metrics differ, each list sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MetricsDiff {
	/// Metrics only in the new manifest.
	pub added: Vec<MetricEntry>,
	/// Metrics only in the old manifest.
	pub removed: Vec<MetricEntry>,
	/// Metrics on both sides with another value.
	pub changed: Vec<MetricChange>,
}

/// A tag present on one side only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagEntry {
	/// Tag key.
	pub key: String,
	/// Tag value.
	pub value: String,
}

/// A tag on both sides with another value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagChange {
	/// Tag key.
	pub key: String,
	/// Old value.
	pub old: String,
	/// New value.
	pub new: String,
}

/// How the tags differ, each list sorted by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TagsDiff {
	/// Tags only in the new manifest.
	pub added: Vec<TagEntry>,
	/// Tags only in the old manifest.
	pub removed: Vec<TagEntry>,
	/// Tags on both sides with another value.
	pub changed: Vec<TagChange>,
}

/// Everything that differs between two manifests; `None` and empty fields are equal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ManifestDiff {
	/// Model name.
	pub model: Option<Change<String>>,
	/// Parents.
	pub parents: ParentsDiff,
	/// Artifacts.
	pub artifacts: ArtifactsDiff,
	/// Metrics.
	pub metrics: MetricsDiff,
	/// License, as [`license_text`] shows it.
	pub license: Option<Change<String>>,
	/// Tags.
	pub tags: TagsDiff,
	/// Commit message.
	pub message: Option<Change<String>>,
	/// Hashing settings (`sha2-256`, `blake3, 1048576-byte shards`).
	pub hashing: Option<Change<String>>,
}

impl ManifestDiff {
	/// Whether the manifests are the same.
	pub fn is_empty(&self) -> bool {
		self == &Self::default()
	}
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

fn hashing_text(hashing: &HashingSettings) -> String {
	match hashing.shard_size {
		None => hashing.algorithm.as_str().into(),
		Some(size) => format!("{}, {size}-byte shards", hashing.algorithm.as_str()),
	}
}

fn artifact_entry(artifact: &Artifact) -> ArtifactEntry {
	ArtifactEntry {
		path: text(&artifact.path),
		kind: artifact.kind.as_str().into(),
		size: artifact.size,
		algorithm: artifact.digest.algorithm.as_str().into(),
		digest: hex::encode(artifact.digest.bytes),
		uri: text(&artifact.uri),
	}
}

fn digest_text(artifact: &Artifact) -> DigestText {
	DigestText { algorithm: artifact.digest.algorithm.as_str().into(), hex: hex::encode(artifact.digest.bytes) }
}

/// Entries keyed by name: the ones only in `new`, only in `old`, and on both sides.
fn split_by_key<'a, T>(old: &'a [T], new: &'a [T], key: impl Fn(&T) -> String) -> Split<'a, T> {
	let mut old: BTreeMap<String, &T> = old.iter().map(|item| (key(item), item)).collect();
	let mut split = Split { added: Vec::new(), removed: Vec::new(), both: Vec::new() };
	for item in new {
		let name = key(item);
		match old.remove(&name) {
			Some(before) => split.both.push((name, before, item)),
			None => split.added.push((name, item)),
		}
	}
	split.removed = old.into_iter().collect();
	split.added.sort_by(|a, b| a.0.cmp(&b.0));
	split.both.sort_by(|a, b| a.0.cmp(&b.0));
	split
}

struct Split<'a, T> {
	added: Vec<(String, &'a T)>,
	removed: Vec<(String, &'a T)>,
	both: Vec<(String, &'a T, &'a T)>,
}

/// A signed exact decimal of `magnitude / 10^9`: `+0.02`, `-1.5`, `0`.
fn signed_decimal(negative: bool, magnitude: u128) -> String {
	let scale = 10u128.pow(METRIC_DECIMALS);
	let sign = match (magnitude, negative) {
		(0, _) => "",
		(_, true) => "-",
		(_, false) => "+",
	};
	let whole = magnitude / scale;
	let mut fraction = magnitude % scale;
	if fraction == 0 {
		return format!("{sign}{whole}");
	}
	let mut places = METRIC_DECIMALS as usize;
	while fraction.is_multiple_of(10) {
		fraction /= 10;
		places -= 1;
	}
	format!("{sign}{whole}.{fraction:0places$}")
}

/// `new - old`, exactly (the difference of two `i128` can overflow `i128` but not a `u128`
/// magnitude), with its sign.
pub fn metric_delta(old: MetricValue, new: MetricValue) -> String {
	let negative = new.0 < old.0;
	let (high, low) = if negative { (old.0, new.0) } else { (new.0, old.0) };
	// high >= low, so high - low is in 0..2^128 and the wrapping subtraction is exact.
	signed_decimal(negative, (high as u128).wrapping_sub(low as u128))
}

/// A size for people: `512 B`, `1.2 GiB` (binary units, one decimal).
pub fn human_size(bytes: u64) -> String {
	const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
	if bytes < 1024 {
		return format!("{bytes} B");
	}
	let bytes = u128::from(bytes);
	let mut unit = 0;
	let mut scale: u128 = 1024;
	while unit + 1 < UNITS.len() && bytes >= scale * 1024 {
		scale *= 1024;
		unit += 1;
	}
	let mut tenths = (bytes * 10 + scale / 2) / scale;
	// 1023.95 KiB and up round to 1024.0 KiB: show 1.0 MiB instead.
	if tenths >= 10240 && unit + 1 < UNITS.len() {
		scale *= 1024;
		unit += 1;
		tenths = (bytes * 10 + scale / 2) / scale;
	}
	format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

/// What differs from `old` to `new`.
pub fn diff(old: &Manifest, new: &Manifest) -> ManifestDiff {
	let mut out = ManifestDiff {
		model: Change::of(text(&old.model), text(&new.model)),
		license: Change::of(license_text(&old.license), license_text(&new.license)),
		message: Change::of(text(&old.message), text(&new.message)),
		hashing: Change::of(hashing_text(&old.hashing), hashing_text(&new.hashing)),
		..Default::default()
	};

	let parents = split_by_key(&old.parents, &new.parents, |p| p.id.to_string());
	out.parents.added =
		parents.added.iter().map(|(id, p)| ParentEntry { id: id.clone(), edge: p.edge.as_str().into() }).collect();
	out.parents.removed =
		parents.removed.iter().map(|(id, p)| ParentEntry { id: id.clone(), edge: p.edge.as_str().into() }).collect();
	out.parents.changed = parents
		.both
		.iter()
		.filter_map(|(id, before, after)| {
			let edge = Change::of(before.edge.as_str().to_string(), after.edge.as_str().to_string())?;
			Some(EdgeChange { id: id.clone(), edge })
		})
		.collect();
	let common_old: Vec<_> =
		old.parents.iter().filter(|p| new.parents.iter().any(|q| q.id == p.id)).map(|p| p.id).collect();
	let common_new: Vec<_> =
		new.parents.iter().filter(|p| old.parents.iter().any(|q| q.id == p.id)).map(|p| p.id).collect();
	out.parents.reordered = common_old != common_new;

	let artifacts = split_by_key(&old.artifacts, &new.artifacts, |a| text(&a.path));
	out.artifacts.added = artifacts.added.iter().map(|(_, a)| artifact_entry(a)).collect();
	out.artifacts.removed = artifacts.removed.iter().map(|(_, a)| artifact_entry(a)).collect();
	out.artifacts.changed = artifacts
		.both
		.iter()
		.filter_map(|(path, before, after)| {
			let change = ArtifactChange {
				path: path.clone(),
				size: Change::of(before.size, after.size),
				digest: Change::of(digest_text(before), digest_text(after)),
				kind: Change::of(before.kind.as_str().to_string(), after.kind.as_str().to_string()),
				uri: Change::of(text(&before.uri), text(&after.uri)),
			};
			let changed =
				change.size.is_some() || change.digest.is_some() || change.kind.is_some() || change.uri.is_some();
			changed.then_some(change)
		})
		.collect();

	let metrics = split_by_key(&old.metrics, &new.metrics, |m| text(&m.name));
	let entry = |(name, m): &(String, &Metric)| MetricEntry { name: name.clone(), value: m.value.to_string() };
	out.metrics.added = metrics.added.iter().map(entry).collect();
	out.metrics.removed = metrics.removed.iter().map(entry).collect();
	out.metrics.changed = metrics
		.both
		.iter()
		.filter(|(_, before, after)| before.value != after.value)
		.map(|(name, before, after)| MetricChange {
			name: name.clone(),
			old: before.value.to_string(),
			new: after.value.to_string(),
			delta: metric_delta(before.value, after.value),
		})
		.collect();

	let tags = split_by_key(&old.tags, &new.tags, |t| text(&t.key));
	let entry = |(key, t): &(String, &Tag)| TagEntry { key: key.clone(), value: text(&t.value) };
	out.tags.added = tags.added.iter().map(entry).collect();
	out.tags.removed = tags.removed.iter().map(entry).collect();
	out.tags.changed = tags
		.both
		.iter()
		.filter(|(_, before, after)| before.value != after.value)
		.map(|(key, before, after)| TagChange { key: key.clone(), old: text(&before.value), new: text(&after.value) })
		.collect();
	out
}

fn short(hex: &str) -> &str {
	hex.get(..SHORT_DIGEST_LEN).unwrap_or(hex)
}

/// `1.1 KiB → 1.3 KiB`, or exact bytes when both round to the same text.
fn size_change(size: &Change<u64>) -> String {
	let (old, new) = (human_size(size.old), human_size(size.new));
	if old == new { format!("{} B → {} B", size.old, size.new) } else { format!("{old} → {new}") }
}

impl Display for ManifestDiff {
	/// One change per line, each ending in a newline; nothing for identical manifests. Text
	/// from the chain is made terminal-safe.
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		if let Some(model) = &self.model {
			writeln!(f, "model: {} → {}", safe_line(&model.old), safe_line(&model.new))?;
		}
		for parent in &self.parents.removed {
			writeln!(f, "- parent {} ({})", parent.id, parent.edge)?;
		}
		for parent in &self.parents.added {
			writeln!(f, "+ parent {} ({})", parent.id, parent.edge)?;
		}
		for parent in &self.parents.changed {
			writeln!(f, "parent {}: {} → {}", parent.id, parent.edge.old, parent.edge.new)?;
		}
		if self.parents.reordered {
			writeln!(f, "parents reordered")?;
		}
		if let Some(license) = &self.license {
			writeln!(f, "license: {} → {}", safe_line(&license.old), safe_line(&license.new))?;
		}
		if let Some(hashing) = &self.hashing {
			writeln!(f, "hashing: {} → {}", hashing.old, hashing.new)?;
		}
		for tag in &self.tags.removed {
			writeln!(f, "- tag {}: {}", safe_line(&tag.key), safe_line(&tag.value))?;
		}
		for tag in &self.tags.added {
			writeln!(f, "+ tag {}: {}", safe_line(&tag.key), safe_line(&tag.value))?;
		}
		for tag in &self.tags.changed {
			writeln!(f, "tag {}: {} → {}", safe_line(&tag.key), safe_line(&tag.old), safe_line(&tag.new))?;
		}
		for metric in &self.metrics.removed {
			writeln!(f, "- metric {}: {}", safe_line(&metric.name), metric.value)?;
		}
		for metric in &self.metrics.added {
			writeln!(f, "+ metric {}: {}", safe_line(&metric.name), metric.value)?;
		}
		for metric in &self.metrics.changed {
			writeln!(f, "metric {}: {} → {} ({})", safe_line(&metric.name), metric.old, metric.new, metric.delta)?;
		}
		for artifact in &self.artifacts.removed {
			writeln!(f, "- {}", safe_line(&artifact.path))?;
		}
		for artifact in &self.artifacts.added {
			writeln!(f, "+ {} ({})", safe_line(&artifact.path), human_size(artifact.size))?;
		}
		for artifact in &self.artifacts.changed {
			let mut parts = Vec::new();
			if let Some(digest) = &artifact.digest {
				let new_algorithm = if digest.new.algorithm == digest.old.algorithm {
					String::new()
				} else {
					format!("{} ", digest.new.algorithm)
				};
				parts.push(format!(
					"{} {}..→{new_algorithm}{}..",
					digest.old.algorithm,
					short(&digest.old.hex),
					short(&digest.new.hex)
				));
			}
			if let Some(size) = &artifact.size {
				parts.push(size_change(size));
			}
			if let Some(kind) = &artifact.kind {
				parts.push(format!("kind {} → {}", kind.old, kind.new));
			}
			if let Some(uri) = &artifact.uri {
				parts.push(format!("uri {} → {}", safe_line(&uri.old), safe_line(&uri.new)));
			}
			writeln!(f, "~ {}: {}", safe_line(&artifact.path), parts.join(", "))?;
		}
		if let Some(message) = &self.message {
			writeln!(f, "message:")?;
			for line in message.old.lines() {
				writeln!(f, "  - {}", safe_line(line))?;
			}
			for line in message.new.lines() {
				writeln!(f, "  + {}", safe_line(line))?;
			}
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use zoo_primitives::{
		ArtifactDigest, ArtifactKind, DigestAlgorithm, EdgeKind, License, Parent, VersionId, testing::ManifestBuilder,
	};

	fn artifact(path: &str, size: u64, fill: u8) -> Artifact {
		Artifact {
			path: path.as_bytes().to_vec().try_into().unwrap(),
			kind: ArtifactKind::Weights,
			size,
			digest: ArtifactDigest { algorithm: DigestAlgorithm::Sha2_256, bytes: [fill; 32] },
			uri: format!("s3://bucket/{path}").into_bytes().try_into().unwrap(),
		}
	}

	fn metric(name: &str, value: &str) -> Metric {
		Metric { name: name.as_bytes().to_vec().try_into().unwrap(), value: MetricValue::parse(value).unwrap() }
	}

	fn tag(key: &str, value: &str) -> Tag {
		Tag { key: key.as_bytes().to_vec().try_into().unwrap(), value: value.as_bytes().to_vec().try_into().unwrap() }
	}

	fn parent(n: u8, edge: EdgeKind) -> Parent {
		Parent { id: VersionId([n; 32]), edge }
	}

	fn base() -> Manifest {
		ManifestBuilder::new("acme/tiny")
			.parent(VersionId([1; 32]), EdgeKind::Revision)
			.artifact(artifact("config.json", 1130, 0xab))
			.artifact(artifact("model.bin", 5000, 0x01))
			.metric("accuracy", MetricValue::parse("0.91").unwrap())
			.metric("loss", MetricValue::parse("0.3").unwrap())
			.spdx("MIT")
			.tag("stage", "dev")
			.message("first")
			.build()
	}

	/// The diff from `base()` to `base()` changed by `edit`, with its text.
	fn diff_after(edit: impl FnOnce(&mut Manifest)) -> (ManifestDiff, String) {
		let old = base();
		let mut new = base();
		edit(&mut new);
		let changes = diff(&old, &new);
		let shown = changes.to_string();
		(changes, shown)
	}

	#[test]
	fn identical_manifests_have_an_empty_diff() {
		let (changes, shown) = diff_after(|_| {});
		assert!(changes.is_empty());
		assert_eq!(changes, ManifestDiff::default());
		assert_eq!(shown, "");
	}

	#[test]
	fn artifacts_added_removed_and_changed() {
		let (changes, shown) = diff_after(|m| {
			let mut config = artifact("config.json", 1331, 0xcd);
			config.kind = ArtifactKind::Config;
			m.artifacts =
				vec![config, artifact("weights/model.safetensors", 1_288_490_189, 0x02), artifact("zz.bin", 7, 0x01)]
					.try_into()
					.unwrap();
			m.artifacts[2].uri = b"file:///tmp/zz.bin".to_vec().try_into().unwrap();
		});
		assert!(!changes.is_empty());
		let added: Vec<_> = changes.artifacts.added.iter().map(|a| a.path.as_str()).collect();
		assert_eq!(added, ["weights/model.safetensors", "zz.bin"]);
		assert_eq!(changes.artifacts.removed.len(), 1);
		assert_eq!(changes.artifacts.removed[0].path, "model.bin");
		assert_eq!(changes.artifacts.removed[0].digest, "01".repeat(32));
		let [config] = &changes.artifacts.changed[..] else { panic!("{changes:?}") };
		assert_eq!(config.path, "config.json");
		assert_eq!(config.size, Some(Change { old: 1130, new: 1331 }));
		assert_eq!(config.digest.as_ref().unwrap().old.hex, "ab".repeat(32));
		assert_eq!(config.digest.as_ref().unwrap().new.hex, "cd".repeat(32));
		assert_eq!(config.kind, Some(Change { old: "weights".into(), new: "config".into() }));
		assert_eq!(config.uri, None);
		assert_eq!(
			shown,
			"- model.bin\n\
			 + weights/model.safetensors (1.2 GiB)\n\
			 + zz.bin (7 B)\n\
			 ~ config.json: sha2-256 abababababab..→cdcdcdcdcdcd.., 1.1 KiB → 1.3 KiB, kind weights → config\n"
		);
	}

	#[test]
	fn artifact_uri_size_and_algorithm_changes() {
		let (changes, shown) = diff_after(|m| {
			m.artifacts[1].uri = b"ipfs://bafy".to_vec().try_into().unwrap();
			m.artifacts[0].size = 1131;
			m.artifacts[0].digest.algorithm = DigestAlgorithm::Blake3;
		});
		assert_eq!(changes.artifacts.changed.len(), 2);
		assert!(changes.artifacts.added.is_empty() && changes.artifacts.removed.is_empty());
		assert_eq!(
			shown,
			"~ config.json: sha2-256 abababababab..→blake3 abababababab.., 1130 B → 1131 B\n\
			 ~ model.bin: uri s3://bucket/model.bin → ipfs://bafy\n"
		);
	}

	#[test]
	fn metrics_added_removed_and_changed() {
		let (changes, shown) = diff_after(|m| {
			m.metrics =
				vec![metric("accuracy", "0.93"), metric("f1", "0.8"), metric("loss", "0.3")].try_into().unwrap();
		});
		assert_eq!(changes.metrics.added, [MetricEntry { name: "f1".into(), value: "0.8".into() }]);
		assert!(changes.metrics.removed.is_empty());
		assert_eq!(
			changes.metrics.changed,
			[MetricChange { name: "accuracy".into(), old: "0.91".into(), new: "0.93".into(), delta: "+0.02".into() }]
		);
		assert_eq!(shown, "+ metric f1: 0.8\nmetric accuracy: 0.91 → 0.93 (+0.02)\n");

		let (changes, shown) = diff_after(|m| {
			m.metrics = vec![metric("accuracy", "-1.5")].try_into().unwrap();
		});
		assert_eq!(changes.metrics.removed, [MetricEntry { name: "loss".into(), value: "0.3".into() }]);
		assert_eq!(changes.metrics.changed[0].delta, "-2.41");
		assert_eq!(shown, "- metric loss: 0.3\nmetric accuracy: 0.91 → -1.5 (-2.41)\n");
	}

	#[test]
	fn metric_deltas_are_exact() {
		let value = |raw: i128| MetricValue(raw);
		assert_eq!(metric_delta(value(910_000_000), value(930_000_000)), "+0.02");
		assert_eq!(metric_delta(value(1), value(0)), "-0.000000001");
		assert_eq!(metric_delta(value(5), value(5)), "0");
		assert_eq!(metric_delta(value(0), value(12_000_000_000)), "+12");
		// Would overflow i128.
		assert_eq!(metric_delta(value(i128::MIN), value(i128::MAX)), "+340282366920938463463374607431.768211455");
		assert_eq!(metric_delta(value(i128::MAX), value(i128::MIN)), "-340282366920938463463374607431.768211455");
		// The same digits as MetricValue's own Display.
		for raw in [0i128, 1, -1, 10, 123_456_789_000, -987_654_321_012, 1_000_000_000] {
			let shown = MetricValue(raw).to_string();
			let signed = if raw > 0 { format!("+{shown}") } else { shown };
			assert_eq!(metric_delta(value(0), value(raw)), signed);
		}
	}

	#[test]
	fn human_sizes() {
		for (bytes, shown) in [
			(0, "0 B"),
			(1023, "1023 B"),
			(1024, "1.0 KiB"),
			(1130, "1.1 KiB"),
			(1536, "1.5 KiB"),
			(1_048_575, "1.0 MiB"),
			(1_288_490_189, "1.2 GiB"),
			(5 << 40, "5.0 TiB"),
			(u64::MAX, "16.0 EiB"),
		] {
			assert_eq!(human_size(bytes), shown, "{bytes}");
		}
	}

	#[test]
	fn license_change() {
		let (changes, shown) = diff_after(|m| m.license = License::Spdx(b"Apache-2.0".to_vec().try_into().unwrap()));
		assert_eq!(changes.license, Some(Change { old: "MIT".into(), new: "Apache-2.0".into() }));
		assert_eq!(shown, "license: MIT → Apache-2.0\n");
		let (_, shown) = diff_after(|m| m.license = License::Terms(7));
		assert_eq!(shown, "license: MIT → terms:7\n");
	}

	#[test]
	fn tags_added_removed_and_changed() {
		let (changes, shown) =
			diff_after(|m| m.tags = vec![tag("stage", "prod"), tag("team", "vision")].try_into().unwrap());
		assert_eq!(changes.tags.added, [TagEntry { key: "team".into(), value: "vision".into() }]);
		assert_eq!(changes.tags.changed, [TagChange { key: "stage".into(), old: "dev".into(), new: "prod".into() }]);
		assert_eq!(shown, "+ tag team: vision\ntag stage: dev → prod\n");
		let (changes, shown) = diff_after(|m| m.tags = Default::default());
		assert_eq!(changes.tags.removed, [TagEntry { key: "stage".into(), value: "dev".into() }]);
		assert_eq!(shown, "- tag stage: dev\n");
	}

	#[test]
	fn message_model_and_hashing_changes() {
		let (changes, shown) = diff_after(|m| {
			m.message = b"second\n\nwith details".to_vec().try_into().unwrap();
			m.model = b"acme/small".to_vec().try_into().unwrap();
			m.hashing = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: Some(1 << 20) };
		});
		assert_eq!(changes.message, Some(Change { old: "first".into(), new: "second\n\nwith details".into() }));
		assert_eq!(changes.model, Some(Change { old: "acme/tiny".into(), new: "acme/small".into() }));
		assert_eq!(
			shown,
			"model: acme/tiny → acme/small\n\
			 hashing: sha2-256 → sha2-256, 1048576-byte shards\n\
			 message:\n  - first\n  + second\n  + \n  + with details\n"
		);
	}

	#[test]
	fn parent_changes() {
		let one = VersionId([1; 32]).to_string();
		let two = VersionId([2; 32]).to_string();
		let (changes, shown) = diff_after(|m| {
			m.parents = vec![parent(1, EdgeKind::Finetune), parent(2, EdgeKind::Merge)].try_into().unwrap();
		});
		assert_eq!(changes.parents.added, [ParentEntry { id: two.clone(), edge: "merge".into() }]);
		assert!(changes.parents.removed.is_empty());
		assert_eq!(
			changes.parents.changed,
			[EdgeChange { id: one.clone(), edge: Change { old: "revision".into(), new: "finetune".into() } }]
		);
		assert!(!changes.parents.reordered);
		assert_eq!(shown, format!("+ parent {two} (merge)\nparent {one}: revision → finetune\n"));

		let (changes, shown) = diff_after(|m| m.parents = Default::default());
		assert_eq!(changes.parents.removed, [ParentEntry { id: one.clone(), edge: "revision".into() }]);
		assert_eq!(shown, format!("- parent {one} (revision)\n"));

		let mut swapped = base();
		swapped.parents = vec![parent(2, EdgeKind::Merge), parent(1, EdgeKind::Revision)].try_into().unwrap();
		let mut before = base();
		before.parents = vec![parent(1, EdgeKind::Revision), parent(2, EdgeKind::Merge)].try_into().unwrap();
		let changes = diff(&before, &swapped);
		assert!(changes.parents.reordered && !changes.is_empty());
		assert!(changes.parents.added.is_empty() && changes.parents.removed.is_empty());
		assert_eq!(changes.to_string(), "parents reordered\n");
	}

	#[test]
	fn serializes_to_json() {
		let (changes, _) = diff_after(|m| m.metrics = vec![metric("accuracy", "0.93")].try_into().unwrap());
		let value = serde_json::to_value(&changes).unwrap();
		assert_eq!(value["metrics"]["changed"][0]["delta"], "+0.02");
		assert_eq!(value["metrics"]["removed"][0]["name"], "loss");
		assert_eq!(value["license"], serde_json::Value::Null);
		assert_eq!(value["artifacts"]["added"], serde_json::json!([]));
	}
}
