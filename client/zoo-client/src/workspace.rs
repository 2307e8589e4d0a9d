//! The `.zoo/` directory of a working directory: which model it tracks (`zoo init`) and a
//! snapshot of the last version committed from it, which `zoo status` compares against.
//!
//! The snapshot keeps each file's size, digest and modification time, so `status` only rehashes
//! files whose size is unchanged but whose modification time moved.

use crate::{
	Error, Result,
	hashing::hash_files,
	manifest_build::parse_model_name,
	progress::Reporter,
	scan::{ScannedFile, ZOO_DIR, scan},
	storage::{Remote, StorageError},
};
use serde::{Deserialize, Serialize};
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
};
use zoo_primitives::{DigestAlgorithm, HashingSettings, Manifest, VersionId};

/// File name of the workspace configuration inside `.zoo/`.
pub const CONFIG_FILE: &str = "config.json";

/// What `.zoo/config.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceConfig {
	/// The tracked model (`org/name`).
	pub model: String,
	/// The last version committed (or checked out) here.
	#[serde(default)]
	pub head: Option<Head>,
	/// Named storage remotes (`zoo remote add`), in the order they were added.
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	pub remotes: Vec<Remote>,
	/// Reach the chain through an embedded light client by default (`zoo light enable`).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub light: Option<LightSetting>,
}

/// A workspace's light client: its chain spec is kept in `.zoo/` ([`LIGHT_CHAIN_SPEC_FILE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LightSetting {
	/// Peer-to-peer addresses to join through instead of the spec's bootnodes.
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	pub bootnodes: Vec<String>,
}

/// File name of the light client's chain spec inside `.zoo/`.
pub const LIGHT_CHAIN_SPEC_FILE: &str = "chain-spec.json";

/// The last version committed from this directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
	/// Its content ID (CID text).
	pub cid: String,
	/// Digest algorithm name.
	pub algorithm: String,
	/// Shard size, if sharded.
	pub shard_size: Option<u64>,
	/// When the snapshot was taken (ns since the epoch); see [`RACY_MARGIN_NS`].
	#[serde(default)]
	pub recorded_at_ns: u64,
	/// Its files, sorted by path.
	pub files: Vec<SnapshotFile>,
}

/// A file whose recorded modification time is this close to (or after) the moment the snapshot
/// was taken is always rehashed: a write in the same clock tick as the hashing would leave the
/// modification time unchanged (the "racy clean" problem git also has). Two seconds covers
/// coarse filesystem clocks.
pub const RACY_MARGIN_NS: u64 = 2_000_000_000;

/// One file of the head snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotFile {
	/// Artifact path.
	pub path: String,
	/// Size in bytes.
	pub size: u64,
	/// Digest, hex.
	pub digest: String,
	/// Modification time (ns since the epoch) when it was hashed.
	pub mtime_ns: u64,
}

impl Head {
	/// The head's version ID.
	pub fn id(&self) -> Result<VersionId> {
		VersionId::from_cid_str(&self.cid)
			.map_err(|e| Error::Workspace(format!("{ZOO_DIR}/{CONFIG_FILE}: bad head CID: {e}")))
	}

	/// The hashing settings the head was committed with.
	pub fn hashing(&self) -> Result<HashingSettings> {
		let algorithm = DigestAlgorithm::from_name(&self.algorithm).ok_or_else(|| {
			Error::Workspace(format!("{ZOO_DIR}/{CONFIG_FILE}: unknown algorithm {}", self.algorithm))
		})?;
		Ok(HashingSettings { algorithm, shard_size: self.shard_size })
	}
}

/// A working directory with a `.zoo/`.
#[derive(Debug, Clone)]
pub struct Workspace {
	root: PathBuf,
	config: WorkspaceConfig,
}

/// How the directory differs from the head.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Status {
	/// Files not in the head.
	pub added: Vec<String>,
	/// Head files no longer present.
	pub removed: Vec<String>,
	/// Files whose content changed.
	pub modified: Vec<String>,
	/// Files unchanged.
	pub unchanged: usize,
}

impl Status {
	/// Whether the directory matches the head.
	pub fn is_clean(&self) -> bool {
		self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
	}
}

fn now_ns() -> u64 {
	let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
	since.as_nanos().try_into().unwrap_or(u64::MAX)
}

fn config_path(root: &Path) -> PathBuf {
	root.join(ZOO_DIR).join(CONFIG_FILE)
}

impl Workspace {
	/// Start tracking `model` in `root` (like `git init`). Re-running with the same model is a
	/// no-op; another model is refused, since the head belongs to the first.
	pub fn init(root: &Path, model: &str) -> Result<Workspace> {
		parse_model_name(model)?;
		if let Some(existing) = Self::open_optional(root)? {
			if existing.config.model == model {
				return Ok(existing);
			}
			return Err(Error::Workspace(format!(
				"{} already tracks model {}; remove {}/ to start over",
				root.display(),
				existing.config.model,
				root.join(ZOO_DIR).display()
			)));
		}
		let workspace = Workspace {
			root: root.to_path_buf(),
			config: WorkspaceConfig { model: model.to_owned(), head: None, remotes: Vec::new(), light: None },
		};
		workspace.save()?;
		Ok(workspace)
	}

	/// A workspace for `model` at `root` that replaces any existing one when next saved (used by
	/// checkout, which makes `root` a copy of a version of `model`).
	pub fn fresh(root: &Path, model: &str) -> Result<Workspace> {
		parse_model_name(model)?;
		// Remotes and the light client belong to the directory, not to the version: a checkout
		// keeps them.
		let (remotes, light) = match Self::open_optional(root).ok().flatten() {
			Some(existing) => (existing.config.remotes, existing.config.light),
			None => (Vec::new(), None),
		};
		Ok(Workspace {
			root: root.to_path_buf(),
			config: WorkspaceConfig { model: model.to_owned(), head: None, remotes, light },
		})
	}

	/// The workspace at `root`; an error if there is none.
	pub fn open(root: &Path) -> Result<Workspace> {
		Self::open_optional(root)?.ok_or_else(|| {
			Error::Workspace(format!(
				"{} is not a zoo workspace (no {ZOO_DIR}/ there); run `zoo init <org/name>` in it or pass --model",
				root.display()
			))
		})
	}

	/// The workspace at `root`, if it has one.
	pub fn open_optional(root: &Path) -> Result<Option<Workspace>> {
		let path = config_path(root);
		let text = match std::fs::read_to_string(&path) {
			Ok(text) => text,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
			Err(e) => return Err(Error::io(path, e)),
		};
		let config: WorkspaceConfig = serde_json::from_str(&text)
			.map_err(|e| Error::Workspace(format!("{}: not a valid workspace file: {e}", path.display())))?;
		parse_model_name(&config.model).map_err(|e| Error::Workspace(format!("{}: {e}", path.display())))?;
		Ok(Some(Workspace { root: root.to_path_buf(), config }))
	}

	/// The working directory.
	pub fn root(&self) -> &Path {
		&self.root
	}

	/// The tracked model.
	pub fn model(&self) -> &str {
		&self.config.model
	}

	/// The last version committed from here.
	pub fn head(&self) -> Option<&Head> {
		self.config.head.as_ref()
	}

	/// The whole configuration.
	pub fn config(&self) -> &WorkspaceConfig {
		&self.config
	}

	/// Record `manifest` (with ID `id`) as the head; `files` are the scanned files it was built
	/// from (their modification times feed the status cache).
	pub fn record_head(&mut self, id: VersionId, manifest: &Manifest, files: &[ScannedFile]) -> Result<()> {
		let mtimes: BTreeMap<&str, u128> = files.iter().map(|f| (f.path.as_str(), f.mtime_ns)).collect();
		let snapshot = manifest
			.artifacts
			.iter()
			.enumerate()
			.map(|(index, artifact)| {
				let path = String::from_utf8_lossy(&artifact.path).into_owned();
				let mtime_ns = mtimes.get(path.as_str()).copied().unwrap_or(0).try_into().unwrap_or(u64::MAX);
				// What the workspace holds: the plaintext of a sealed artifact.
				let (size, digest) = manifest.content_of(index).unwrap_or((artifact.size, artifact.digest.clone()));
				SnapshotFile { path, size, digest: hex::encode(digest.bytes), mtime_ns }
			})
			.collect();
		self.config.head = Some(Head {
			cid: id.to_cid_string(),
			algorithm: manifest.hashing.algorithm.as_str().to_owned(),
			shard_size: manifest.hashing.shard_size,
			recorded_at_ns: now_ns(),
			files: snapshot,
		});
		self.save()
	}

	/// Make `root`, just checked out from version `id`, a workspace of the version's model
	/// whose head is the version (replacing any workspace there), so `zoo status` works in it.
	pub fn record_checkout(root: &Path, id: VersionId, manifest: &Manifest) -> Result<Workspace> {
		let model = String::from_utf8_lossy(&manifest.model).into_owned();
		let files = manifest
			.artifacts
			.iter()
			.map(|artifact| {
				let path = String::from_utf8_lossy(&artifact.path).into_owned();
				let full_path = root.join(&path);
				let meta = std::fs::metadata(&full_path).map_err(|e| Error::io(&full_path, e))?;
				Ok(ScannedFile { path, size: meta.len(), mtime_ns: crate::scan::mtime_ns(&meta), full_path })
			})
			.collect::<Result<Vec<_>>>()?;
		let mut workspace = Self::fresh(root, &model)?;
		workspace.record_head(id, manifest, &files)?;
		Ok(workspace)
	}

	/// The configured remotes.
	pub fn remotes(&self) -> &[Remote] {
		&self.config.remotes
	}

	/// The remote called `name`.
	pub fn remote(&self, name: &str) -> Result<&Remote> {
		self.config
			.remotes
			.iter()
			.find(|remote| remote.name == name)
			.ok_or_else(|| StorageError::UnknownRemote(name.to_owned()).into())
	}

	/// Add `remote`; a name already taken is refused.
	pub fn add_remote(&mut self, remote: Remote) -> Result<()> {
		if self.config.remotes.iter().any(|r| r.name == remote.name) {
			return Err(
				StorageError::BadRemote { name: remote.name, reason: "a remote with this name exists".into() }.into()
			);
		}
		self.config.remotes.push(remote);
		self.save()
	}

	/// Remove the remote called `name`.
	pub fn remove_remote(&mut self, name: &str) -> Result<Remote> {
		let index = self
			.config
			.remotes
			.iter()
			.position(|r| r.name == name)
			.ok_or_else(|| StorageError::UnknownRemote(name.to_owned()))?;
		let removed = self.config.remotes.remove(index);
		self.save()?;
		Ok(removed)
	}

	/// The light client setting and the path of its chain spec, if the workspace reaches the
	/// chain through one by default.
	pub fn light(&self) -> Option<(&LightSetting, PathBuf)> {
		let setting = self.config.light.as_ref()?;
		Some((setting, self.root.join(ZOO_DIR).join(LIGHT_CHAIN_SPEC_FILE)))
	}

	/// Reach the chain through a light client by default, started from `chain_spec` (the text of a
	/// raw chain spec, checked by the caller), joining through `bootnodes` if any.
	pub fn enable_light(&mut self, chain_spec: &str, bootnodes: Vec<String>) -> Result<()> {
		self.write_in_zoo_dir(LIGHT_CHAIN_SPEC_FILE, chain_spec.as_bytes())?;
		self.config.light = Some(LightSetting { bootnodes });
		self.save()
	}

	/// Go back to the `--url` node; the kept chain spec is removed. Whether it was enabled.
	pub fn disable_light(&mut self) -> Result<bool> {
		if self.config.light.take().is_none() {
			return Ok(false);
		}
		self.save()?;
		let spec = self.root.join(ZOO_DIR).join(LIGHT_CHAIN_SPEC_FILE);
		match std::fs::remove_file(&spec) {
			Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(spec, e)),
			_ => Ok(true),
		}
	}

	/// Write the configuration atomically (temp file + rename), so a crash never leaves half a file.
	fn save(&self) -> Result<()> {
		let text = serde_json::to_string_pretty(&self.config).expect("plain data serializes; qed");
		self.write_in_zoo_dir(CONFIG_FILE, text.as_bytes())
	}

	/// Write `.zoo/<name>` atomically (temp file + rename).
	fn write_in_zoo_dir(&self, name: &str, bytes: &[u8]) -> Result<()> {
		let dir = self.root.join(ZOO_DIR);
		std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
		let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
		std::io::Write::write_all(&mut temp, bytes).map_err(|e| Error::io(temp.path(), e))?;
		let path = dir.join(name);
		temp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
		Ok(())
	}

	/// Compare the directory with the head. Without a head every file is added.
	pub fn status(&self, reporter: &dyn Reporter) -> Result<Status> {
		let files = scan(&self.root)?;
		let Some(head) = self.head() else {
			return Ok(Status { added: files.into_iter().map(|f| f.path).collect(), ..Status::default() });
		};
		let hashing = head.hashing()?;
		let trust_mtime = |mtime: u64| mtime != 0 && mtime.saturating_add(RACY_MARGIN_NS) < head.recorded_at_ns;
		let mut known: BTreeMap<&str, &SnapshotFile> = head.files.iter().map(|f| (f.path.as_str(), f)).collect();
		let mut status = Status::default();
		let mut to_hash = Vec::new();
		for file in files {
			match known.remove(file.path.as_str()) {
				None => status.added.push(file.path),
				Some(old) if old.size != file.size => status.modified.push(file.path),
				Some(old) if u128::from(old.mtime_ns) == file.mtime_ns && trust_mtime(old.mtime_ns) => {
					status.unchanged += 1
				}
				Some(old) => to_hash.push((file, old.digest.clone())),
			}
		}
		status.removed = known.into_keys().map(str::to_owned).collect();
		let scanned: Vec<ScannedFile> = to_hash.iter().map(|(f, _)| f.clone()).collect();
		let (digests, _) = hash_files(&scanned, &hashing, reporter)?;
		for ((file, old_digest), digest) in to_hash.into_iter().zip(digests) {
			if hex::encode(digest.digest.bytes) == old_digest {
				status.unchanged += 1;
			} else {
				status.modified.push(file.path);
			}
		}
		status.modified.sort();
		Ok(status)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::manifest_build::{CommitOptions, build_manifest, local_root, parse_model_name};
	use crate::progress::Silent;

	fn commit_locally(ws: &mut Workspace) -> VersionId {
		let hashing = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None };
		let files = scan(ws.root()).unwrap();
		let (digests, _) = hash_files(&files, &hashing, &Silent).unwrap();
		let options = CommitOptions::new(
			parse_model_name(ws.model()).unwrap(),
			"m".parse().unwrap(),
			hashing,
			local_root(ws.root()).unwrap(),
		);
		let manifest = build_manifest(&files, &digests, &options).unwrap();
		let id = manifest.id();
		ws.record_head(id, &manifest, &files).unwrap();
		id
	}

	#[test]
	fn init_is_idempotent_and_refuses_another_model() {
		let dir = tempfile::tempdir().unwrap();
		assert!(Workspace::open(dir.path()).is_err());
		Workspace::init(dir.path(), "acme/tiny").unwrap();
		assert_eq!(Workspace::open(dir.path()).unwrap().model(), "acme/tiny");
		Workspace::init(dir.path(), "acme/tiny").unwrap();
		assert!(Workspace::init(dir.path(), "acme/other").is_err());
		assert!(Workspace::init(dir.path(), "Bad Name").is_err());
	}

	#[test]
	fn status_reports_added_removed_modified() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::write(dir.path().join("keep"), b"same").unwrap();
		std::fs::write(dir.path().join("gone"), b"bye").unwrap();
		std::fs::write(dir.path().join("edit"), b"v1").unwrap();
		std::fs::write(dir.path().join("touch"), b"t").unwrap();
		let mut ws = Workspace::init(dir.path(), "acme/tiny").unwrap();
		assert_eq!(ws.status(&Silent).unwrap().added.len(), 4);
		let id = commit_locally(&mut ws);

		let reopened = Workspace::open(dir.path()).unwrap();
		assert_eq!(reopened.head().unwrap().id().unwrap(), id);
		assert!(reopened.status(&Silent).unwrap().is_clean());

		std::fs::remove_file(dir.path().join("gone")).unwrap();
		std::fs::write(dir.path().join("edit"), b"v2").unwrap(); // same size: found by rehash
		std::fs::write(dir.path().join("new"), b"n").unwrap();
		// Same content rewritten: the mtime moves, the rehash shows it unchanged.
		std::fs::write(dir.path().join("touch"), b"t").unwrap();
		let status = reopened.status(&Silent).unwrap();
		assert_eq!(status.added, ["new"]);
		assert_eq!(status.removed, ["gone"]);
		assert_eq!(status.modified, ["edit"]);
		assert_eq!(status.unchanged, 2);
	}
}
