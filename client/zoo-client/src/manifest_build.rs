//! Building a canonical [`Manifest`] from scanned and hashed files plus the [`CommitOptions`].
//!
//! Each option value is parsed and checked on its own by [`crate::args`] (clap's value
//! parsers); [`CommitOptions`] checks them as a whole (how many, none twice) and sorts them, all
//! before any file is hashed, so bad input costs nothing.

use crate::{
	Error, Result,
	args::{self, CommitMessage, LicenseArg, MetricArg, TagArg, UriPrefix},
	hashing::FileDigest,
	scan::ScannedFile,
};
use std::path::Path;
use zoo_primitives::{
	Artifact, ArtifactKind, HashingSettings, License, MAX_ARTIFACTS, MAX_METRICS, MAX_PARENTS, MAX_TAGS, MAX_URI_LEN,
	Manifest, Metric, ModelName, Parent, Tag,
};

/// Where artifact URIs point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriBase {
	/// `file://` URIs of the files' absolute paths under this (absolute) root.
	LocalRoot(std::path::PathBuf),
	/// A prefix (`s3://bucket/models/x/`, `https://...`) joined with each relative path.
	Prefix(UriPrefix),
	/// Each path's URI on the remote it was pushed to (`zoo commit --push`).
	Pushed(std::collections::BTreeMap<String, String>),
}

/// Everything in a manifest except the artifacts, checked as a whole: bounded, sorted, nothing
/// given twice. Start from [`CommitOptions::new`] (a root version with no metrics, tags or
/// license) and add the rest with the `with_*` methods, each of which checks what it is given.
#[derive(Debug, Clone)]
pub struct CommitOptions {
	/// The manifest without artifacts: its bounded collections hold the checked options.
	manifest: Manifest,
	/// Artifact URIs.
	uri_base: UriBase,
}

fn invalid(message: impl Into<String>) -> Error {
	Error::InvalidInput(message.into())
}

/// Sort `items` by `key` and bound them; an error names the limit or the first key given twice.
fn sorted_unique<T, B>(what: &str, max: u32, mut items: Vec<T>, key: impl Fn(&T) -> &[u8]) -> Result<B>
where
	B: TryFrom<Vec<T>>,
{
	if items.len() > max as usize {
		return Err(invalid(format!("at most {max} {what}s")));
	}
	items.sort_by(|a, b| key(a).cmp(key(b)));
	if let Some(pair) = items.windows(2).find(|pair| key(&pair[0]) == key(&pair[1])) {
		return Err(invalid(format!("{what} {} is given twice", String::from_utf8_lossy(key(&pair[0])))));
	}
	Ok(items.try_into().unwrap_or_else(|_| panic!("at most {max} {what}s, checked; qed")))
}

impl CommitOptions {
	/// A root version of `model` with `message`, hashed with `hashing`, its artifacts at
	/// `uri_base`; no metrics, tags or license.
	pub fn new(model: ModelName, message: CommitMessage, hashing: HashingSettings, uri_base: UriBase) -> Self {
		let manifest = Manifest {
			model,
			parents: Default::default(),
			artifacts: Default::default(),
			metrics: Default::default(),
			license: License::Unspecified,
			tags: Default::default(),
			message: message.to_bounded(),
			hashing,
		};
		CommitOptions { manifest, uri_base }
	}

	/// The parents, in the order given (the first is the main line): at most [`MAX_PARENTS`],
	/// none twice.
	pub fn with_parents(mut self, parents: impl IntoIterator<Item = Parent>) -> Result<Self> {
		let parents: Vec<Parent> = parents.into_iter().collect();
		if parents.len() > MAX_PARENTS as usize {
			return Err(invalid(format!("at most {MAX_PARENTS} parents")));
		}
		if let Some(twice) = parents.iter().enumerate().find_map(|(i, p)| parents[..i].iter().find(|q| q.id == p.id)) {
			return Err(invalid(format!("parent {} is given twice", twice.id)));
		}
		self.manifest.parents = parents.try_into().expect("at most MAX_PARENTS, checked; qed");
		Ok(self)
	}

	/// The metrics, sorted by name: at most [`MAX_METRICS`], no name twice.
	pub fn with_metrics(mut self, metrics: impl IntoIterator<Item = MetricArg>) -> Result<Self> {
		let metrics: Vec<Metric> = metrics.into_iter().map(Metric::from).collect();
		self.manifest.metrics = sorted_unique("metric", MAX_METRICS, metrics, |m| &m.name[..])?;
		Ok(self)
	}

	/// The tags, sorted by key: at most [`MAX_TAGS`], no key twice.
	pub fn with_tags(mut self, tags: impl IntoIterator<Item = TagArg>) -> Result<Self> {
		let tags: Vec<Tag> = tags.into_iter().map(Tag::from).collect();
		self.manifest.tags = sorted_unique("tag", MAX_TAGS, tags, |t| &t.key[..])?;
		Ok(self)
	}

	/// The license: an SPDX expression, or none stated.
	pub fn with_license(mut self, license: Option<LicenseArg>) -> Self {
		self.manifest.license = license.map_or(License::Unspecified, |license| license.to_license());
		self
	}

	/// The license: registered licence terms (`License::Terms(id)`), which the licensing
	/// pallet enforces.
	pub fn with_terms(mut self, terms: u64) -> Self {
		self.manifest.license = License::Terms(terms);
		self
	}

	/// The model.
	pub fn model(&self) -> &ModelName {
		&self.manifest.model
	}

	/// The parents, in the order given.
	pub fn parents(&self) -> &[Parent] {
		&self.manifest.parents
	}

	/// The metrics, sorted by name.
	pub fn metrics(&self) -> &[Metric] {
		&self.manifest.metrics
	}

	/// The tags, sorted by key.
	pub fn tags(&self) -> &[Tag] {
		&self.manifest.tags
	}

	/// The license.
	pub fn license(&self) -> &License {
		&self.manifest.license
	}

	/// The commit message.
	pub fn message(&self) -> &str {
		std::str::from_utf8(&self.manifest.message).expect("a CommitMessage is a str; qed")
	}

	/// The hashing settings.
	pub fn hashing(&self) -> &HashingSettings {
		&self.manifest.hashing
	}

	/// The same options with artifact URIs from `uri_base`.
	pub fn with_uri_base(self, uri_base: UriBase) -> Self {
		Self { uri_base, ..self }
	}

	/// Where artifact URIs point.
	pub fn uri_base(&self) -> &UriBase {
		&self.uri_base
	}
}

/// Check a model name and convert it to its bounded form.
pub fn parse_model_name(text: &str) -> Result<ModelName> {
	Ok(text.parse::<args::ModelName>()?.to_bounded())
}

/// Parse a digest algorithm name and an optional shard size, for callers that hold text rather
/// than clap's typed values (the `hash_throughput` example): the grammar and checks of
/// [`args::DigestAlgorithmArg`] and [`args::ShardSize`].
pub fn parse_hashing(algorithm: &str, shard_size: Option<&str>) -> Result<HashingSettings> {
	Ok(args::hashing(algorithm.parse()?, shard_size.map(str::parse).transpose()?))
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
			let prefix = prefix.as_str();
			let separator = if prefix.ends_with('/') { "" } else { "/" };
			format!("{prefix}{separator}{}", encode_path(path))
		}
		UriBase::Pushed(uris) => {
			uris.get(path).cloned().ok_or_else(|| invalid(format!("{path}: was not pushed, so it has no URI")))?
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
		let uri = artifact_uri(options.uri_base(), &file.path)?;
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
	let manifest =
		Manifest { artifacts: artifacts.try_into().expect("checked count; qed"), ..options.manifest.clone() };
	manifest.validate()?;
	Ok(manifest)
}

/// The manifest `files` would make before they are hashed: their paths, kinds and listed
/// sizes, with zero digests. Enough to ask the chain's licence rules (which read the parents,
/// licence, model name, tags and artifact paths) before hashing large files; its ID is not the
/// real one.
pub fn provisional_manifest(files: &[ScannedFile], options: &CommitOptions) -> Result<Manifest> {
	let digests: Vec<FileDigest> = files
		.iter()
		.map(|file| FileDigest {
			size: file.size,
			digest: zoo_primitives::ArtifactDigest { algorithm: options.hashing().algorithm, bytes: [0; 32] },
			unixfs: None,
		})
		.collect();
	build_manifest(files, &digests, options)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::hashing::hash_files;
	use zoo_primitives::{DigestAlgorithm, EdgeKind, MetricValue, VersionId};

	fn parent(fill: u8, edge: EdgeKind) -> Parent {
		Parent { id: VersionId([fill; 32]), edge }
	}

	fn parsed<T: std::str::FromStr<Err = zoo_types::InvalidValue>>(values: &[&str]) -> Vec<T> {
		values.iter().map(|value| value.parse().unwrap()).collect()
	}

	fn root(dir: &Path) -> CommitOptions {
		let hashing = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None };
		CommitOptions::new(
			parse_model_name("acme/tiny").unwrap(),
			"first".parse().unwrap(),
			hashing,
			local_root(dir).unwrap(),
		)
	}

	#[test]
	fn a_root_has_no_parents_metrics_tags_or_license() {
		let options = root(Path::new("/"));
		assert_eq!(&options.model()[..], b"acme/tiny");
		assert!(options.parents().is_empty() && options.metrics().is_empty() && options.tags().is_empty());
		assert_eq!(options.license(), &License::Unspecified);
		assert_eq!(options.message(), "first");
		assert_eq!(options.uri_base(), &UriBase::LocalRoot("/".into()));
	}

	#[test]
	fn parents_keep_their_order_and_are_not_given_twice() {
		let given = [parent(2, EdgeKind::Merge), parent(1, EdgeKind::Merge)];
		let options = root(Path::new("/")).with_parents(given.clone()).unwrap();
		assert_eq!(options.parents(), given);
		let twice = root(Path::new("/")).with_parents([parent(1, EdgeKind::Revision), parent(1, EdgeKind::Merge)]);
		let err = twice.unwrap_err().to_string();
		assert!(err.contains("is given twice") && err.contains(&VersionId([1; 32]).to_cid_string()), "{err}");
		let most: Vec<Parent> = (0..MAX_PARENTS as u8).map(|i| parent(i, EdgeKind::Merge)).collect();
		assert!(root(Path::new("/")).with_parents(most.clone()).is_ok());
		let too_many = most.into_iter().chain([parent(200, EdgeKind::Merge)]);
		assert_eq!(root(Path::new("/")).with_parents(too_many).unwrap_err().to_string(), "at most 16 parents");
	}

	#[test]
	fn metrics_and_tags_are_sorted_and_not_given_twice() {
		let options = root(Path::new("/"))
			.with_metrics(parsed(&["loss=0.25", "accuracy=0.8731"]))
			.unwrap()
			.with_tags(parsed(&["stage=prod", "dataset=imagenet=v2"]))
			.unwrap();
		let names: Vec<&[u8]> = options.metrics().iter().map(|m| &m.name[..]).collect();
		assert_eq!(names, [&b"accuracy"[..], b"loss"]);
		assert_eq!(options.metrics()[0].value, MetricValue(873_100_000));
		assert_eq!(&options.tags()[0].key[..], b"dataset");
		assert_eq!(&options.tags()[0].value[..], b"imagenet=v2");

		let err = root(Path::new("/")).with_metrics(parsed(&["b=1", "a=1", "b=2"])).unwrap_err();
		assert_eq!(err.to_string(), "metric b is given twice");
		let err = root(Path::new("/")).with_tags(parsed(&["k=1", "k=1"])).unwrap_err();
		assert_eq!(err.to_string(), "tag k is given twice");
	}

	#[test]
	fn metric_and_tag_counts_are_bounded() {
		let metrics: Vec<String> = (0..=MAX_METRICS).map(|i| format!("m{i}=1")).collect();
		let metrics: Vec<&str> = metrics.iter().map(String::as_str).collect();
		let (most, over) = (&metrics[..MAX_METRICS as usize], &metrics[..]);
		assert_eq!(root(Path::new("/")).with_metrics(parsed(most)).unwrap().metrics().len(), MAX_METRICS as usize);
		let err = root(Path::new("/")).with_metrics(parsed(over)).unwrap_err();
		assert_eq!(err.to_string(), "at most 64 metrics");
		let tags: Vec<String> = (0..=MAX_TAGS).map(|i| format!("t{i}=x")).collect();
		let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
		assert!(root(Path::new("/")).with_tags(parsed(&tags[..MAX_TAGS as usize])).is_ok());
		assert_eq!(root(Path::new("/")).with_tags(parsed(&tags)).unwrap_err().to_string(), "at most 32 tags");
	}

	#[test]
	fn license_is_spdx_or_unspecified() {
		let options = root(Path::new("/")).with_license(Some(" MIT OR Apache-2.0 ".parse().unwrap()));
		assert_eq!(options.license(), &License::Spdx(b"MIT OR Apache-2.0".to_vec().try_into().unwrap()));
		assert_eq!(options.with_license(None).license(), &License::Unspecified);
	}

	#[test]
	fn hashing_from_text_for_the_example() {
		assert_eq!(parse_hashing("blake3", Some("1MiB")).unwrap().shard_size, Some(1 << 20));
		assert_eq!(parse_hashing("sha2-256", None).unwrap().algorithm, DigestAlgorithm::Sha2_256);
		assert!(parse_hashing("md5", None).unwrap_err().to_string().contains("unknown hash algorithm"));
		assert!(parse_hashing("sha2-256", Some("4096")).unwrap_err().to_string().contains("below the minimum"));
		assert!(parse_model_name("Acme/x").is_err());
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
		let prefix = UriBase::Prefix("s3://bucket/m".parse().unwrap());
		assert_eq!(artifact_uri(&prefix, "dir/x?.bin").unwrap(), "s3://bucket/m/dir/x%3F.bin");
		let prefix = UriBase::Prefix("https://host/m/".parse().unwrap());
		assert_eq!(artifact_uri(&prefix, "w.bin").unwrap(), "https://host/m/w.bin");
		let long = UriBase::Prefix(format!("https://{}/", "h".repeat(490)).parse().unwrap());
		assert!(artifact_uri(&long, "w").is_ok());
		let err = artifact_uri(&long, &"w".repeat(20)).unwrap_err().to_string();
		assert!(err.contains("is longer than 512 bytes"), "{err}");
	}

	fn options(dir: &Path) -> CommitOptions {
		root(dir)
			.with_parents([parent(1, EdgeKind::Revision)])
			.unwrap()
			.with_metrics(parsed(&["loss=0.5", "acc=0.9"]))
			.unwrap()
			.with_tags(parsed(&["b=2", "a=1"]))
			.unwrap()
			.with_license(Some("Apache-2.0".parse().unwrap()))
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
			let (digests, _) = hash_files(&files, options(dir.path()).hashing(), &zoo_artifacts::Silent).unwrap();
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
		// The options, as checked and sorted.
		assert_eq!((&manifest.metrics[0].name[..], &manifest.tags[0].key[..]), (&b"acc"[..], &b"a"[..]));
		assert_eq!(
			(&manifest.parents[..], &manifest.message[..]),
			(&[parent(1, EdgeKind::Revision)][..], &b"first"[..])
		);
		// Same directory, same options: same ID; any change of content changes it.
		let id = manifest.id();
		assert_eq!(build().id(), id);
		assert_eq!(VersionId::from_cid_str(&id.to_cid_string()).unwrap(), id);
		std::fs::write(dir.path().join("config.json"), b"{ }").unwrap();
		assert_ne!(build().id(), id);
	}

	#[test]
	fn a_provisional_manifest_is_the_real_one_but_for_digests() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::write(dir.path().join("NOTICE"), b"by acme").unwrap();
		std::fs::write(dir.path().join("w.bin"), b"weights").unwrap();
		let options = root(dir.path()).with_terms(7);
		assert_eq!(options.license(), &License::Terms(7));
		let files = crate::scan::scan(dir.path()).unwrap();
		let provisional = provisional_manifest(&files, &options).unwrap();
		let (digests, _) = hash_files(&files, options.hashing(), &zoo_artifacts::Silent).unwrap();
		let real = build_manifest(&files, &digests, &options).unwrap();
		assert_eq!(provisional.artifacts.len(), 2);
		for (early, late) in provisional.artifacts.iter().zip(real.artifacts.iter()) {
			assert_eq!(
				(&early.path, early.size, early.kind, &early.uri),
				(&late.path, late.size, late.kind, &late.uri)
			);
			assert_eq!(early.digest.bytes, [0; 32]);
		}
		assert_eq!((&provisional.license, &provisional.parents), (&real.license, &real.parents));
		assert_ne!(provisional.id(), real.id());
	}

	#[test]
	fn too_many_files_is_an_error_before_hashing() {
		assert!(check_artifact_count(MAX_ARTIFACTS as usize).is_ok());
		assert!(check_artifact_count(MAX_ARTIFACTS as usize + 1).is_err());
	}
}
