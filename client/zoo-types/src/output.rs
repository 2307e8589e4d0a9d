//! Renderings of manifests and chain records for `--json` (the [`json`] serializers the
//! records derive with) and as text for people, made safe for a terminal.

use std::{borrow::Cow, fmt::Write as _};
use zoo_primitives::{License, Manifest, VersionId};

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `c` may not reach a terminal as is: a control character (C0, DEL, C1), or a
/// Unicode bidirectional control, which can reorder what is shown around it.
fn is_unsafe_for_terminal(c: char) -> bool {
	c.is_control()
		|| matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal, whoever wrote it: every control character is shown escaped (`\u{1b}`,
/// `\r`), so text from the chain (messages, paths, tags, reasons) can neither send escape
/// sequences to the terminal nor overwrite or hide what is printed beside it (such as a
/// `[yanked]` marker). `\n` is kept only with `keep_newlines`, for multi-line output whose
/// lines were already made safe one by one. `--json` needs none of this: JSON escapes them.
pub fn terminal_safe(text: &str, keep_newlines: bool) -> Cow<'_, str> {
	let escape = |c: char| is_unsafe_for_terminal(c) && !(keep_newlines && c == '\n');
	if !text.chars().any(escape) {
		return Cow::Borrowed(text);
	}
	let mut out = String::with_capacity(text.len() + 8);
	for c in text.chars() {
		if !escape(c) {
			out.push(c);
		} else if c.is_control() {
			out.extend(c.escape_default());
		} else {
			out.extend(c.escape_unicode());
		}
	}
	Cow::Owned(out)
}

/// One line of text for a terminal: [`terminal_safe`] with newlines escaped too.
pub fn safe_line(text: &str) -> Cow<'_, str> {
	terminal_safe(text, false)
}

/// Chain bytes as one safe line (see [`safe_line`]).
pub fn safe_bytes(bytes: &[u8]) -> String {
	safe_line(&String::from_utf8_lossy(bytes)).into_owned()
}

/// The sum of artifact sizes: a `u128`, which no manifest (at most 512 sizes of at most
/// `u64::MAX`) can overflow.
pub fn total_size(manifest: &Manifest) -> u128 {
	manifest.artifacts.iter().map(|a| u128::from(a.size)).sum()
}

/// The license as shown to people and in JSON.
pub fn license_text(license: &License) -> String {
	match license {
		License::Unspecified => "unspecified".into(),
		License::Spdx(expression) => text(expression),
		License::Terms(id) => format!("terms:{id}"),
		License::Sealed { terms, files, .. } => format!("terms:{terms} (sealed: {} encrypted files)", files.len()),
	}
}

/// Serializers for the chain's types in `--json` (used with `#[serde(serialize_with)]` on the
/// library's records): version IDs as canonical CID text, manifests with digests in hex and
/// metrics as exact decimal strings, amounts as decimal strings (a `u128` does not fit every
/// JSON reader's numbers).
pub mod json {
	use super::{license_text, text};
	use serde::{Serialize, Serializer};
	use std::collections::BTreeMap;
	use zoo_primitives::{Manifest, Parent, VersionId};

	/// A version ID as its canonical CID text.
	pub fn cid<S: Serializer>(id: &VersionId, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&id.to_cid_string())
	}

	/// An optional version ID as its canonical CID text, or `null`.
	pub fn cid_option<S: Serializer>(id: &Option<VersionId>, serializer: S) -> Result<S::Ok, S::Error> {
		id.map(|id| id.to_cid_string()).serialize(serializer)
	}

	/// An amount as a decimal string.
	pub fn amount<S: Serializer>(amount: &u128, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&amount.to_string())
	}

	/// An optional amount as a decimal string, or `null`.
	pub fn amount_option<S: Serializer>(amount: &Option<u128>, serializer: S) -> Result<S::Ok, S::Error> {
		amount.map(|amount| amount.to_string()).serialize(serializer)
	}

	/// A parent edge: `{"id": CID, "edge": KIND}`.
	#[derive(Serialize)]
	struct ParentJson {
		id: String,
		edge: &'static str,
	}

	impl From<&Parent> for ParentJson {
		fn from(parent: &Parent) -> Self {
			ParentJson { id: parent.id.to_cid_string(), edge: parent.edge.as_str() }
		}
	}

	/// Parent edges (see [`ParentJson`]).
	pub fn parents<S: Serializer>(parents: &[Parent], serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_seq(parents.iter().map(ParentJson::from))
	}

	#[derive(Serialize)]
	struct ArtifactJson {
		path: String,
		kind: &'static str,
		size: u64,
		digest: String,
		algorithm: &'static str,
		uri: String,
		/// Its IPFS UnixFS CID (`unixfs-v1-2025`) where the manifest gives it, else null.
		unixfs_cid: Option<String>,
		/// Present only for a sealed artifact (size, digest and URI then describe the stored
		/// ciphertext): what it decrypts to.
		#[serde(skip_serializing_if = "Option::is_none")]
		sealed: Option<SealedJson>,
	}

	#[derive(Serialize)]
	struct SealedJson {
		scheme: &'static str,
		plaintext_size: u64,
		plaintext_digest: String,
	}

	#[derive(Serialize)]
	struct HashingJson {
		algorithm: &'static str,
		shard_size: Option<u64>,
	}

	#[derive(Serialize)]
	struct ManifestJson {
		id: String,
		model: String,
		parents: Vec<ParentJson>,
		artifacts: Vec<ArtifactJson>,
		metrics: BTreeMap<String, String>,
		license: String,
		tags: BTreeMap<String, String>,
		message: String,
		hashing: HashingJson,
	}

	/// A manifest, with its ID.
	pub fn manifest<S: Serializer>(manifest: &Manifest, serializer: S) -> Result<S::Ok, S::Error> {
		ManifestJson {
			id: manifest.id().to_cid_string(),
			model: text(&manifest.model),
			parents: manifest.parents.iter().map(ParentJson::from).collect(),
			artifacts: manifest
				.artifacts
				.iter()
				.enumerate()
				.map(|(index, a)| ArtifactJson {
					path: text(&a.path),
					kind: a.kind.as_str(),
					size: a.size,
					digest: hex::encode(a.digest.bytes),
					algorithm: a.digest.algorithm.as_str(),
					uri: text(&a.uri),
					unixfs_cid: crate::location::artifact_cid(a, &manifest.hashing).map(|cid| cid.to_string()),
					sealed: manifest.sealed_file(index).map(|file| SealedJson {
						scheme: "age-v1",
						plaintext_size: file.plaintext_size,
						plaintext_digest: hex::encode(file.plaintext_digest),
					}),
				})
				.collect(),
			metrics: manifest.metrics.iter().map(|m| (text(&m.name), m.value.to_string())).collect(),
			license: license_text(&manifest.license),
			tags: manifest.tags.iter().map(|t| (text(&t.key), text(&t.value))).collect(),
			message: text(&manifest.message),
			hashing: HashingJson {
				algorithm: manifest.hashing.algorithm.as_str(),
				shard_size: manifest.hashing.shard_size,
			},
		}
		.serialize(serializer)
	}

	/// A manifest on its own, as a JSON value (what `zoo commit --dry-run` prints). Answer types
	/// holding a manifest use [`manifest`] with `#[serde(serialize_with)]` instead; both give
	/// the same JSON.
	pub fn manifest_value(value: &Manifest) -> serde_json::Value {
		manifest(value, serde_json::value::Serializer).expect("plain data serializes; qed")
	}
}

/// A manifest for people, one fact per line. Text from the chain is made terminal-safe.
pub fn manifest_text(id: VersionId, manifest: &Manifest) -> String {
	let mut out = String::new();
	let _ = writeln!(out, "version  {id}");
	let _ = writeln!(out, "model    {}", safe_bytes(&manifest.model));
	for parent in manifest.parents.iter() {
		let _ = writeln!(out, "parent   {} ({})", parent.id, parent.edge.as_str());
	}
	let _ = writeln!(out, "license  {}", safe_line(&license_text(&manifest.license)));
	let shards = manifest.hashing.shard_size.map(|s| format!(", {s}-byte shards")).unwrap_or_default();
	let _ = writeln!(out, "hashing  {}{shards}", manifest.hashing.algorithm.as_str());
	for metric in manifest.metrics.iter() {
		let _ = writeln!(out, "metric   {} = {}", safe_bytes(&metric.name), metric.value);
	}
	for tag in manifest.tags.iter() {
		let _ = writeln!(out, "tag      {} = {}", safe_bytes(&tag.key), safe_bytes(&tag.value));
	}
	let _ = writeln!(out);
	for line in text(&manifest.message).lines() {
		let _ = writeln!(out, "    {}", safe_line(line));
	}
	let _ = writeln!(out);
	let _ = writeln!(out, "{} artifacts, {} bytes:", manifest.artifacts.len(), total_size(manifest));
	for (index, artifact) in manifest.artifacts.iter().enumerate() {
		let _ = writeln!(
			out,
			"  {}  {:>12}  {:<13} {}  {}",
			&hex::encode(artifact.digest.bytes)[..16],
			artifact.size,
			artifact.kind.as_str(),
			safe_bytes(&artifact.path),
			safe_bytes(&artifact.uri)
		);
		if let Some(cid) = crate::location::artifact_cid(artifact, &manifest.hashing) {
			let _ = writeln!(out, "  {:>16}  ipfs {cid}", "");
		}
		if let Some(file) = manifest.sealed_file(index) {
			let plaintext = &hex::encode(file.plaintext_digest)[..16];
			let _ = writeln!(out, "  {:>16}  sealed (age); plaintext {plaintext}  {} bytes", "", file.plaintext_size);
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use zoo_primitives::testing::ManifestBuilder;

	/// A manifest of three artifacts (`a.bin`, `b.bin`, `sub/c.py`) of 17 bytes in all.
	fn sample_manifest() -> Manifest {
		let mut manifest =
			ManifestBuilder::new("acme/tiny").paths(&["a.bin", "b.bin", "sub/c.py"]).message("test").build();
		for (artifact, size) in manifest.artifacts.iter_mut().zip([5, 5, 7]) {
			artifact.size = size;
		}
		manifest
	}

	#[test]
	fn manifest_json_has_every_field() {
		let manifest = sample_manifest();
		let value = json::manifest_value(&manifest);
		assert_eq!(value["id"], manifest.id().to_cid_string());
		assert_eq!(value["artifacts"][0]["path"], "a.bin");
		assert_eq!(value["artifacts"][0]["kind"], "other");
		assert_eq!(value["hashing"]["algorithm"], "sha2-256");
		let shown = manifest_text(manifest.id(), &manifest);
		assert!(shown.contains("3 artifacts, 17 bytes"), "{shown}");
	}

	#[test]
	fn control_characters_never_reach_the_terminal() {
		assert_eq!(safe_line("v1\x1b[8m hidden"), "v1\\u{1b}[8m hidden");
		assert_eq!(safe_line("a\rb\nc\u{9b}d\u{7f}"), "a\\rb\\nc\\u{9b}d\\u{7f}");
		assert_eq!(terminal_safe("two\nlines\x1b", true), "two\nlines\\u{1b}");
		assert_eq!(safe_line("right\u{202e}to left"), "right\\u{202e}to left");
		assert!(matches!(safe_line("plain text, ünïcödé"), Cow::Borrowed(_)));

		let mut manifest = sample_manifest();
		manifest.message = b"v1\x1b[8m\nsecond\rline".to_vec().try_into().unwrap();
		let shown = manifest_text(manifest.id(), &manifest);
		assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
		assert!(shown.contains("    v1\\u{1b}[8m\n    second\\rline\n"), "{shown}");
	}

	#[test]
	fn sizes_sum_without_overflow() {
		let mut manifest = sample_manifest();
		for artifact in manifest.artifacts.iter_mut() {
			artifact.size = u64::MAX;
		}
		assert_eq!(total_size(&manifest), 3 * u128::from(u64::MAX));
		assert!(manifest_text(manifest.id(), &manifest).contains(&format!("{} bytes", 3 * u128::from(u64::MAX))));
	}
}
