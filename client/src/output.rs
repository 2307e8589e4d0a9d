//! Renderings of manifests and chain records, as JSON for `--json` and as text for people.

use crate::chain::{ModelInfo, VersionRecord};
use serde_json::{Value, json};
use std::fmt::Write as _;
use zoo_primitives::{License, Manifest, VersionId};

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
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

/// A manifest for people, one fact per line.
pub fn manifest_text(id: VersionId, manifest: &Manifest) -> String {
	let mut out = String::new();
	let _ = writeln!(out, "version  {id}");
	let _ = writeln!(out, "model    {}", text(&manifest.model));
	for parent in manifest.parents.iter() {
		let _ = writeln!(out, "parent   {} ({})", parent.id, parent.edge.as_str());
	}
	let _ = writeln!(out, "license  {}", license_text(&manifest.license));
	let shards = manifest.hashing.shard_size.map(|s| format!(", {s}-byte shards")).unwrap_or_default();
	let _ = writeln!(out, "hashing  {}{shards}", manifest.hashing.algorithm.as_str());
	for metric in manifest.metrics.iter() {
		let _ = writeln!(out, "metric   {} = {}", text(&metric.name), metric.value);
	}
	for tag in manifest.tags.iter() {
		let _ = writeln!(out, "tag      {} = {}", text(&tag.key), text(&tag.value));
	}
	let _ = writeln!(out);
	for line in text(&manifest.message).lines() {
		let _ = writeln!(out, "    {line}");
	}
	let _ = writeln!(out);
	let total: u64 = manifest.artifacts.iter().map(|a| a.size).sum();
	let _ = writeln!(out, "{} artifacts, {total} bytes:", manifest.artifacts.len());
	for artifact in manifest.artifacts.iter() {
		let _ = writeln!(
			out,
			"  {}  {:>12}  {:<13} {}  {}",
			&hex::encode(artifact.digest.bytes)[..16],
			artifact.size,
			artifact.kind.as_str(),
			text(&artifact.path),
			text(&artifact.uri)
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
}
