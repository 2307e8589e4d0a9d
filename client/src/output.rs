//! Renderings of manifests and chain records, as JSON for `--json` and as text for people.

use crate::chain::{ModelInfo, VersionRecord};
use serde_json::{Value, json};
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
	}
}

/// A manifest as JSON (digests in hex, metrics as exact decimal strings).
pub fn manifest_json(manifest: &Manifest) -> Value {
	json!({
		"id": manifest.id().to_cid_string(),
		"model": text(&manifest.model),
		"parents": manifest.parents.iter().map(|p| json!({"id": p.id.to_cid_string(), "edge": p.edge.as_str()})).collect::<Vec<_>>(),
		"artifacts": manifest.artifacts.iter().map(|a| json!({
			"path": text(&a.path),
			"kind": a.kind.as_str(),
			"size": a.size,
			"digest": hex::encode(a.digest.bytes),
			"algorithm": a.digest.algorithm.as_str(),
			"uri": text(&a.uri),
		})).collect::<Vec<_>>(),
		"metrics": manifest.metrics.iter().map(|m| (text(&m.name), Value::String(m.value.to_string()))).collect::<serde_json::Map<_, _>>(),
		"license": license_text(&manifest.license),
		"tags": manifest.tags.iter().map(|t| (text(&t.key), Value::String(text(&t.value)))).collect::<serde_json::Map<_, _>>(),
		"message": text(&manifest.message),
		"hashing": {"algorithm": manifest.hashing.algorithm.as_str(), "shard_size": manifest.hashing.shard_size},
	})
}

/// A version record as JSON: the manifest plus the on-chain record.
pub fn version_json(record: &VersionRecord) -> Value {
	json!({
		"id": record.id.to_cid_string(),
		"committer": record.committer,
		"block": record.block,
		"deposit": record.deposit.to_string(),
		"yanked": record.yanked,
		"manifest": manifest_json(&record.manifest),
	})
}

/// A model as JSON.
pub fn model_json(model: &ModelInfo) -> Value {
	json!({
		"name": model.name,
		"owner": model.owner,
		"deposit": model.deposit.to_string(),
		"version_count": model.version_count,
		"maintainers": model.maintainers.iter().map(|(who, role)| json!({"account": who, "role": role})).collect::<Vec<_>>(),
	})
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
	for artifact in manifest.artifacts.iter() {
		let _ = writeln!(
			out,
			"  {}  {:>12}  {:<13} {}  {}",
			&hex::encode(artifact.digest.bytes)[..16],
			artifact.size,
			artifact.kind.as_str(),
			safe_bytes(&artifact.path),
			safe_bytes(&artifact.uri)
		);
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::verify::tests::{manifest_of, sample_dir};
	use zoo_primitives::{DigestAlgorithm, HashingSettings};

	#[test]
	fn manifest_json_has_every_field() {
		let dir = sample_dir();
		let manifest =
			manifest_of(dir.path(), HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None });
		let value = manifest_json(&manifest);
		assert_eq!(value["id"], manifest.id().to_cid_string());
		assert_eq!(value["artifacts"][0]["path"], "a.bin");
		assert_eq!(value["artifacts"][0]["kind"], "weights");
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

		let dir = sample_dir();
		let mut manifest =
			manifest_of(dir.path(), HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None });
		manifest.message = b"v1\x1b[8m\nsecond\rline".to_vec().try_into().unwrap();
		let shown = manifest_text(manifest.id(), &manifest);
		assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
		assert!(shown.contains("    v1\\u{1b}[8m\n    second\\rline\n"), "{shown}");
	}

	#[test]
	fn sizes_sum_without_overflow() {
		let dir = sample_dir();
		let mut manifest =
			manifest_of(dir.path(), HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None });
		for artifact in manifest.artifacts.iter_mut() {
			artifact.size = u64::MAX;
		}
		assert_eq!(total_size(&manifest), 3 * u128::from(u64::MAX));
		assert!(manifest_text(manifest.id(), &manifest).contains(&format!("{} bytes", 3 * u128::from(u64::MAX))));
	}
}
