//! Building a canonical [`Manifest`] from scanned and hashed files plus the commit options, and
//! parsing those options (`--parent`, `--metric`, `--tag`, `--license`, ...).
//!
//! Every option is parsed and checked before any file is hashed, so bad input costs nothing.

use crate::{Error, Result, args, hashing::FileDigest, scan::ScannedFile};
use std::path::Path;
use zoo_primitives::{
	Artifact, ArtifactKind, DigestAlgorithm, HashingSettings, License, MAX_ARTIFACTS, MAX_KEY_LEN, MAX_LICENSE_LEN,
	MAX_MESSAGE_LEN, MAX_METRICS, MAX_PARENTS, MAX_TAG_VALUE_LEN, MAX_TAGS, MAX_URI_LEN, MIN_SHARD_SIZE, Manifest,
	Metric, MetricValue, ModelName, Parent, Tag, VersionId, validate_key, validate_uri,
};

/// Where artifact URIs point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriBase {
	/// `file://` URIs of the files' absolute paths under this (absolute) root.
	LocalRoot(std::path::PathBuf),
	/// A prefix (`s3://bucket/models/x/`, `https://...`) joined with each relative path.
	Prefix(String),
}

/// Everything in a manifest except the artifacts, already parsed and checked.
#[derive(Debug, Clone)]
pub struct CommitOptions {
	/// The model (`org/name`).
	pub model: ModelName,
	/// Parents, in the order given (the first is the main line).
	pub parents: Vec<Parent>,
	/// Metrics sorted by name.
	pub metrics: Vec<Metric>,
	/// License.
	pub license: License,
	/// Tags sorted by key.
	pub tags: Vec<Tag>,
	/// Commit message.
	pub message: String,
	/// Hashing settings.
	pub hashing: HashingSettings,
	/// Artifact URIs.
	pub uri_base: UriBase,
}

fn invalid(message: impl Into<String>) -> Error {
	Error::InvalidInput(message.into())
}

/// Check a model name and convert it to its bounded form.
pub fn parse_model_name(text: &str) -> Result<ModelName> {
	Ok(text.parse::<args::ModelName>()?.to_bounded())
}

/// Parse a version ID in CID text form.
pub fn parse_cid(text: &str) -> Result<VersionId> {
	args::version_id(text)
}

/// Parse `--parent CID[:KIND]` values; the kind defaults to `revision`. Duplicates are errors.
pub fn parse_parents(values: &[String]) -> Result<Vec<Parent>> {
	let parents = values.iter().map(|value| Ok(value.parse::<args::ParentSpec>()?.0)).collect::<Result<Vec<_>>>()?;
	check_parents(&parents)?;
	Ok(parents)
}

/// Check the parents given: at most [`MAX_PARENTS`], none twice.
pub fn check_parents(parents: &[Parent]) -> Result<()> {
	if parents.len() > MAX_PARENTS as usize {
		return Err(invalid(format!("at most {MAX_PARENTS} parents")));
	}
	for (i, parent) in parents.iter().enumerate() {
		if parents[..i].iter().any(|p| p.id == parent.id) {
			return Err(invalid(format!("parent {} is given twice", parent.id)));
		}
	}
	Ok(())
}

/// Check a ref name (`main`, `release/v2`).
pub fn parse_ref_name(text: &str) -> Result<String> {
	Ok(text.parse::<args::RefName>()?.to_string())
}

/// Split `k=v`, naming `what` in errors.
fn split_pair<'a>(what: &str, value: &'a str) -> Result<(&'a str, &'a str)> {
	value.split_once('=').ok_or_else(|| invalid(format!("invalid {what} {value:?}: expected key=value")))
}

fn check_key(what: &str, key: &str) -> Result<()> {
	if key.len() > MAX_KEY_LEN as usize {
		return Err(invalid(format!("{what} name {key:?} is longer than {MAX_KEY_LEN} bytes")));
	}
	validate_key(key.as_bytes())
		.map_err(|_| invalid(format!("invalid {what} name {key:?}: use a-z, 0-9, `.`, `_`, `-`, `/`")))
}

/// Parse `--metric name=value` values (exact decimals), sorted by name. Duplicates are errors.
pub fn parse_metrics(values: &[String]) -> Result<Vec<Metric>> {
	if values.len() > MAX_METRICS as usize {
		return Err(invalid(format!("at most {MAX_METRICS} metrics")));
	}
	let mut metrics = Vec::with_capacity(values.len());
	for value in values {
		let (name, number) = split_pair("metric", value)?;
		check_key("metric", name)?;
		let parsed = MetricValue::parse(number).map_err(|e| invalid(format!("invalid metric {value:?}: {e}")))?;
		metrics.push(Metric { name: name.as_bytes().to_vec().try_into().expect("checked length; qed"), value: parsed });
	}
	metrics.sort_by(|a, b| a.name[..].cmp(&b.name[..]));
	if let Some(pair) = metrics.windows(2).find(|pair| pair[0].name == pair[1].name) {
		return Err(invalid(format!("metric {} is given twice", String::from_utf8_lossy(&pair[0].name))));
	}
	Ok(metrics)
}

/// Parse `--tag key=value` values, sorted by key. Duplicates are errors.
pub fn parse_tags(values: &[String]) -> Result<Vec<Tag>> {
	if values.len() > MAX_TAGS as usize {
		return Err(invalid(format!("at most {MAX_TAGS} tags")));
	}
	let mut tags = Vec::with_capacity(values.len());
	for value in values {
		let (key, text) = split_pair("tag", value)?;
		check_key("tag", key)?;
		let text: zoo_primitives::Bytes<MAX_TAG_VALUE_LEN> = text
			.as_bytes()
			.to_vec()
			.try_into()
			.map_err(|_| invalid(format!("tag {key} value is longer than {MAX_TAG_VALUE_LEN} bytes")))?;
		tags.push(Tag { key: key.as_bytes().to_vec().try_into().expect("checked length; qed"), value: text });
	}
	tags.sort_by(|a, b| a.key[..].cmp(&b.key[..]));
	if let Some(pair) = tags.windows(2).find(|pair| pair[0].key == pair[1].key) {
		return Err(invalid(format!("tag {} is given twice", String::from_utf8_lossy(&pair[0].key))));
	}
	Ok(tags)
}

/// Parse `--license`: an SPDX expression, or none.
pub fn parse_license(value: Option<&str>) -> Result<License> {
	let Some(text) = value else { return Ok(License::Unspecified) };
	let text = text.trim();
	if text.is_empty() {
		return Err(invalid("license is empty"));
	}
	let bytes = text
		.as_bytes()
		.to_vec()
		.try_into()
		.map_err(|_| invalid(format!("license is longer than {MAX_LICENSE_LEN} bytes")))?;
	Ok(License::Spdx(bytes))
}

/// Check a commit message.
pub fn parse_message(text: &str) -> Result<String> {
	if text.trim().is_empty() {
		return Err(invalid("commit message is empty"));
	}
	if text.len() > MAX_MESSAGE_LEN as usize {
		return Err(invalid(format!("commit message is longer than {MAX_MESSAGE_LEN} bytes")));
	}
	Ok(text.to_owned())
}

/// Parse `--hash` and `--shard-size` into hashing settings.
pub fn parse_hashing(algorithm: &str, shard_size: Option<&str>) -> Result<HashingSettings> {
	let algorithm = DigestAlgorithm::from_name(algorithm)
		.ok_or_else(|| invalid(format!("unknown hash algorithm {algorithm:?} (sha2-256 or blake3)")))?;
	let shard_size = shard_size.map(parse_size).transpose()?;
	if let Some(size) = shard_size
		&& size < MIN_SHARD_SIZE
	{
		return Err(invalid(format!("shard size {size} is below the minimum of {MIN_SHARD_SIZE} bytes (1MiB)")));
	}
	Ok(HashingSettings { algorithm, shard_size })
}

/// Parse a byte size: `1048576`, `64MiB`, `1GiB`, `512KiB`.
pub fn parse_size(text: &str) -> Result<u64> {
	let (number, multiplier) = [("KiB", 1u64 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30)]
		.into_iter()
		.find_map(|(suffix, m)| text.strip_suffix(suffix).map(|n| (n, m)))
		.unwrap_or((text, 1));
	number
		.parse::<u64>()
		.ok()
		.and_then(|n| n.checked_mul(multiplier))
		.ok_or_else(|| invalid(format!("invalid size {text:?}: expected bytes, or a number with KiB, MiB or GiB")))
}

/// Check a `--uri-prefix`: it needs a `scheme:`.
pub fn parse_uri_prefix(prefix: &str) -> Result<UriBase> {
	validate_uri(prefix.as_bytes())
		.map_err(|_| invalid(format!("invalid URI prefix {prefix:?}: it needs a scheme such as https:// or s3://")))?;
	Ok(UriBase::Prefix(prefix.to_owned()))
}

/// Guess what a file is for from its name.
pub fn guess_kind(path: &str) -> ArtifactKind {
	let name = path.rsplit('/').next().unwrap_or(path);
	let lower = name.to_ascii_lowercase();
	let extension = lower.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
	// Names first: `environment.yml` is an environment, not a config.
	if lower == "requirements.txt"
		|| lower.starts_with("requirements") && extension == "txt"
		|| matches!(lower.as_str(), "environment.yml" | "environment.yaml" | "dockerfile" | "containerfile")
	{
		return ArtifactKind::Environment;
	}
	if lower == "config.json" || lower.ends_with("_config.json") {
		return ArtifactKind::Config;
	}
	match extension {
		"safetensors" | "bin" | "pt" | "pth" | "ckpt" | "gguf" | "onnx" => ArtifactKind::Weights,
		"yaml" | "yml" | "toml" => ArtifactKind::Config,
		"py" => ArtifactKind::Code,
		_ => ArtifactKind::Other,
	}
}

/// Percent-encode everything but unreserved characters and `/`, so any path is a valid URI path.
fn encode_path(path: &str) -> String {
	let mut out = String::with_capacity(path.len());
	for byte in path.bytes() {
		if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
			out.push(byte as char);
		} else {
			out.push_str(&format!("%{byte:02X}"));
		}
	}
	out
}

/// The URI of the artifact at `path` (relative) under `base`.
pub fn artifact_uri(base: &UriBase, path: &str) -> Result<String> {
	let uri = match base {
		UriBase::LocalRoot(root) => {
			let full = root.join(path);
			url::Url::from_file_path(&full)
				.map_err(|_| {
					invalid(format!("{}: cannot form a file:// URI (the root must be absolute)", full.display()))
				})?
				.to_string()
		}
		UriBase::Prefix(prefix) => {
			let separator = if prefix.ends_with('/') { "" } else { "/" };
			format!("{prefix}{separator}{}", encode_path(path))
		}
	};
	if uri.len() > MAX_URI_LEN as usize {
		return Err(invalid(format!("{path}: URI {uri} is longer than {MAX_URI_LEN} bytes")));
	}
	Ok(uri)
}

/// The local URI base for a directory: its canonical absolute path.
pub fn local_root(dir: &Path) -> Result<UriBase> {
	Ok(UriBase::LocalRoot(std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?))
}

/// Check an artifact count before hashing anything.
pub fn check_artifact_count(count: usize) -> Result<()> {
	if count > MAX_ARTIFACTS as usize {
		return Err(invalid(format!("{count} files; a version holds at most {MAX_ARTIFACTS}")));
	}
	Ok(())
}

/// Build the canonical manifest for `files` (sorted by path, as [`crate::scan::scan`] returns
/// them) with their `digests` (same order), and validate it.
pub fn build_manifest(files: &[ScannedFile], digests: &[FileDigest], options: &CommitOptions) -> Result<Manifest> {
	assert_eq!(files.len(), digests.len(), "one digest per file");
	check_artifact_count(files.len())?;
	let mut artifacts = Vec::with_capacity(files.len());
	for (file, digest) in files.iter().zip(digests) {
		let uri = artifact_uri(&options.uri_base, &file.path)?;
		artifacts.push(Artifact {
			path: file
				.path
				.as_bytes()
				.to_vec()
				.try_into()
				.map_err(|_| invalid(format!("{}: path too long", file.path)))?,
			kind: guess_kind(&file.path),
			size: digest.size,
			digest: digest.digest.clone(),
			uri: uri.into_bytes().try_into().expect("checked length; qed"),
		});
	}
	artifacts.sort_by(|a, b| a.path[..].cmp(&b.path[..]));
	let manifest = Manifest {
		model: options.model.clone(),
		parents: options.parents.clone().try_into().map_err(|_| invalid(format!("at most {MAX_PARENTS} parents")))?,
		artifacts: artifacts.try_into().expect("checked count; qed"),
		metrics: options.metrics.clone().try_into().map_err(|_| invalid(format!("at most {MAX_METRICS} metrics")))?,
		license: options.license.clone(),
		tags: options.tags.clone().try_into().map_err(|_| invalid(format!("at most {MAX_TAGS} tags")))?,
		message: options.message.as_bytes().to_vec().try_into().map_err(|_| invalid("commit message too long"))?,
		hashing: options.hashing.clone(),
	};
	manifest.validate()?;
	Ok(manifest)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::hashing::hash_files;
	use zoo_primitives::EdgeKind;

	/// A well-formed version ID in text form.
	fn cid() -> String {
		VersionId([1; 32]).to_cid_string()
	}

	fn strings(values: &[&str]) -> Vec<String> {
		values.iter().map(|s| s.to_string()).collect()
	}

	#[test]
	fn parses_parents_with_default_and_explicit_kinds() {
		let parents = parse_parents(&strings(&[&cid(), &format!("{}:finetune", VersionId([7; 32]))])).unwrap();
		assert_eq!(parents[0].edge, EdgeKind::Revision);
		assert_eq!(parents[0].id.to_cid_string(), cid());
		assert_eq!(parents[1].edge, EdgeKind::Finetune);
	}

	#[test]
	fn ref_names_follow_the_chain_rules() {
		assert_eq!(parse_ref_name("release/v2").unwrap(), "release/v2");
		for bad in ["", "Main", "a//b", "../x", "a b"] {
			assert!(parse_ref_name(bad).unwrap_err().to_string().contains("invalid ref name"), "{bad}");
		}
	}

	#[test]
	fn rejects_bad_parents() {
		for bad in [
			"nonsense",
			"bafy",
			format!("{}:sideways", cid()).as_str(),
			"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
		] {
			let err = parse_parents(&strings(&[bad])).unwrap_err();
			assert!(matches!(err, Error::InvalidInput(_)), "{bad}: {err}");
		}
		let err = parse_parents(&strings(&[&cid(), &format!("{}:merge", cid())])).unwrap_err();
		assert!(err.to_string().contains("twice"), "{err}");
	}

	#[test]
	fn parses_and_sorts_metrics_and_tags() {
		let metrics = parse_metrics(&strings(&["loss=0.25", "accuracy=0.8731"])).unwrap();
		assert_eq!(&metrics[0].name[..], b"accuracy");
		assert_eq!(metrics[0].value, MetricValue(873_100_000));
		let tags = parse_tags(&strings(&["stage=prod", "dataset=imagenet=v2"])).unwrap();
		assert_eq!(&tags[0].key[..], b"dataset");
		assert_eq!(&tags[0].value[..], b"imagenet=v2");
	}

	#[test]
	fn rejects_bad_metrics_and_tags() {
		for bad in ["accuracy", "Accuracy=1", "acc=1e5", "acc=0.0000000001", "=1", "acc=nan"] {
			assert!(parse_metrics(&strings(&[bad])).is_err(), "{bad}");
		}
		assert!(parse_metrics(&strings(&["a=1", "a=2"])).unwrap_err().to_string().contains("twice"));
		for bad in ["novalue", "Bad=x", "k x=y", format!("k={}", "v".repeat(300)).as_str()] {
			assert!(parse_tags(&strings(&[bad])).is_err(), "{bad}");
		}
		assert!(parse_tags(&strings(&["k=1", "k=2"])).is_err());
	}

	#[test]
	fn parses_other_options() {
		assert_eq!(parse_license(None).unwrap(), License::Unspecified);
		assert!(parse_license(Some(" ")).is_err());
		assert!(parse_license(Some(&"x".repeat(65))).is_err());
		assert!(parse_message("").is_err());
		assert!(parse_model_name("Acme/x").is_err());
		assert_eq!(parse_size("64MiB").unwrap(), 64 << 20);
		assert!(parse_size("12MB").is_err());
		assert!(parse_hashing("md5", None).is_err());
		assert!(parse_hashing("sha2-256", Some("4096")).is_err());
		assert_eq!(parse_hashing("blake3", Some("1MiB")).unwrap().shard_size, Some(1 << 20));
		assert!(parse_uri_prefix("bucket/path").is_err());
	}

	#[test]
	fn guesses_kinds() {
		for (path, kind) in [
			("model.safetensors", ArtifactKind::Weights),
			("ckpt/pytorch_model.BIN", ArtifactKind::Weights),
			("m.gguf", ArtifactKind::Weights),
			("config.json", ArtifactKind::Config),
			("generation_config.json", ArtifactKind::Config),
			("train.yaml", ArtifactKind::Config),
			("src/model.py", ArtifactKind::Code),
			("requirements.txt", ArtifactKind::Environment),
			("environment.yml", ArtifactKind::Environment),
			("Dockerfile", ArtifactKind::Environment),
			("README.md", ArtifactKind::Other),
			("tokenizer.json", ArtifactKind::Other),
		] {
			assert_eq!(guess_kind(path), kind, "{path}");
		}
	}

	#[test]
	fn uris_from_root_or_prefix() {
		let base = UriBase::LocalRoot("/data/my model".into());
		assert_eq!(artifact_uri(&base, "a b/c.bin").unwrap(), "file:///data/my%20model/a%20b/c.bin");
		let prefix = parse_uri_prefix("s3://bucket/m").unwrap();
		assert_eq!(artifact_uri(&prefix, "dir/x?.bin").unwrap(), "s3://bucket/m/dir/x%3F.bin");
		let prefix = parse_uri_prefix("https://host/m/").unwrap();
		assert_eq!(artifact_uri(&prefix, "w.bin").unwrap(), "https://host/m/w.bin");
		let long = UriBase::Prefix(format!("https://{}/", "h".repeat(600)));
		assert!(artifact_uri(&long, "w").is_err());
	}

	fn options(dir: &Path) -> CommitOptions {
		CommitOptions {
			model: parse_model_name("acme/tiny").unwrap(),
			parents: parse_parents(&strings(&[&cid()])).unwrap(),
			metrics: parse_metrics(&strings(&["loss=0.5", "acc=0.9"])).unwrap(),
			license: parse_license(Some("Apache-2.0")).unwrap(),
			tags: parse_tags(&strings(&["b=2", "a=1"])).unwrap(),
			message: "first".into(),
			hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
			uri_base: local_root(dir).unwrap(),
		}
	}

	#[test]
	fn builds_canonical_manifest_with_stable_cid() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::create_dir_all(dir.path().join("sub")).unwrap();
		std::fs::write(dir.path().join("z.safetensors"), b"weights").unwrap();
		std::fs::write(dir.path().join("config.json"), b"{}").unwrap();
		std::fs::write(dir.path().join("sub/train.py"), b"print()").unwrap();
		let build = || {
			let files = crate::scan::scan(dir.path()).unwrap();
			let (digests, _) = hash_files(&files, &options(dir.path()).hashing, false).unwrap();
			build_manifest(&files, &digests, &options(dir.path())).unwrap()
		};
		let manifest = build();
		manifest.validate().unwrap();
		let paths: Vec<_> = manifest.artifacts.iter().map(|a| String::from_utf8(a.path.to_vec()).unwrap()).collect();
		assert_eq!(paths, ["config.json", "sub/train.py", "z.safetensors"]);
		assert_eq!(manifest.artifacts[2].kind, ArtifactKind::Weights);
		assert_eq!(manifest.artifacts[1].kind, ArtifactKind::Code);
		assert_eq!(manifest.artifacts[0].size, 2);
		let uri = String::from_utf8(manifest.artifacts[0].uri.to_vec()).unwrap();
		assert!(uri.starts_with("file:///") && uri.ends_with("/config.json"), "{uri}");
		// Same directory, same options: same ID; any change of content changes it.
		let id = manifest.id();
		assert_eq!(build().id(), id);
		assert_eq!(VersionId::from_cid_str(&id.to_cid_string()).unwrap(), id);
		std::fs::write(dir.path().join("config.json"), b"{ }").unwrap();
		assert_ne!(build().id(), id);
	}

	#[test]
	fn too_many_files_is_an_error_before_hashing() {
		assert!(check_artifact_count(MAX_ARTIFACTS as usize).is_ok());
		assert!(check_artifact_count(MAX_ARTIFACTS as usize + 1).is_err());
	}
}
