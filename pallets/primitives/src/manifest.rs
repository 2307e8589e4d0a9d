//! The version manifest.

use crate::{MetricValue, ModelName, VersionId, validate_model_name};
use alloc::{
	collections::BTreeSet,
	string::{String, ToString},
	vec::Vec,
};
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Most parents a version may have.
pub const MAX_PARENTS: u32 = 16;
/// Most artifacts in one version.
pub const MAX_ARTIFACTS: u32 = 512;
/// Longest artifact path in bytes.
pub const MAX_PATH_LEN: u32 = 255;
/// Longest storage URI in bytes.
pub const MAX_URI_LEN: u32 = 512;
/// Most metrics in one version.
pub const MAX_METRICS: u32 = 64;
/// Longest metric name or tag key in bytes.
pub const MAX_KEY_LEN: u32 = 64;
/// Most tags in one version.
pub const MAX_TAGS: u32 = 32;
/// Longest tag value in bytes.
pub const MAX_TAG_VALUE_LEN: u32 = 256;
/// Longest SPDX license expression in bytes.
pub const MAX_LICENSE_LEN: u32 = 64;
/// Longest commit message in bytes.
pub const MAX_MESSAGE_LEN: u32 = 4096;
/// Longest owner header of a sealed artifact in bytes (an age header with one X25519 stanza
/// is about 170 bytes).
pub const MAX_SEAL_HEADER_LEN: u32 = 256;
/// The first line of an age v1 header.
pub const AGE_HEADER_PREFIX: &str = "age-encryption.org/v1\n";

/// Bounded bytes of at most `N` bytes.
pub type Bytes<const N: u32> = BoundedVec<u8, ConstU32<N>>;

macro_rules! scale_type {
	($(#[$meta:meta])* $vis:vis $kind:ident $name:ident $($body:tt)*) => {
		$(#[$meta])*
		#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
		$vis $kind $name $($body)*
	};
}

scale_type! {
	/// How a version relates to one of its parents.
	#[derive(Copy, PartialOrd, Ord, Hash)]
	pub enum EdgeKind {
		/// The next revision of the same model.
		Revision,
		/// One of several parents merged into this version.
		Merge,
		/// Fine-tuned from the parent.
		Finetune,
		/// A quantized form of the parent.
		Quantize,
		/// Distilled from the parent.
		Distill,
		/// An adapter (e.g. LoRA) on top of the parent.
		Adapter,
		/// Any other derivation.
		Other,
	}
}

impl EdgeKind {
	/// Every edge kind, in encoding order.
	pub const ALL: [EdgeKind; 7] =
		[Self::Revision, Self::Merge, Self::Finetune, Self::Quantize, Self::Distill, Self::Adapter, Self::Other];

	/// Lower-case name, as the client prints and parses it.
	pub fn as_str(&self) -> &'static str {
		match self {
			Self::Revision => "revision",
			Self::Merge => "merge",
			Self::Finetune => "finetune",
			Self::Quantize => "quantize",
			Self::Distill => "distill",
			Self::Adapter => "adapter",
			Self::Other => "other",
		}
	}

	/// Parse a lower-case name.
	pub fn from_name(name: &str) -> Option<Self> {
		Self::ALL.into_iter().find(|kind| kind.as_str() == name)
	}
}

scale_type! {
	/// A parent of a version and the kind of edge to it.
	pub struct Parent {
		/// The parent version.
		pub id: VersionId,
		/// How this version relates to it.
		pub edge: EdgeKind,
	}
}

scale_type! {
	/// What an artifact is for.
	#[derive(Copy)]
	pub enum ArtifactKind {
		/// Model weights (safetensors, GGUF, checkpoints, ...).
		Weights,
		/// Architecture definition.
		Architecture,
		/// Configuration (hyper-parameters, tokenizer config, ...).
		Config,
		/// Source code.
		Code,
		/// A manifest of the training or evaluation data.
		DataManifest,
		/// Environment description (lock files, container recipes).
		Environment,
		/// Anything else.
		Other,
	}
}

impl ArtifactKind {
	/// Every artifact kind, in encoding order.
	pub const ALL: [ArtifactKind; 7] = [
		Self::Weights,
		Self::Architecture,
		Self::Config,
		Self::Code,
		Self::DataManifest,
		Self::Environment,
		Self::Other,
	];

	/// Lower-case name, as the client prints and parses it.
	pub fn as_str(&self) -> &'static str {
		match self {
			Self::Weights => "weights",
			Self::Architecture => "architecture",
			Self::Config => "config",
			Self::Code => "code",
			Self::DataManifest => "data-manifest",
			Self::Environment => "environment",
			Self::Other => "other",
		}
	}

	/// Parse a lower-case name.
	pub fn from_name(name: &str) -> Option<Self> {
		Self::ALL.into_iter().find(|kind| kind.as_str() == name)
	}
}

scale_type! {
	/// A digest algorithm for artifacts; both produce 32 bytes.
	#[derive(Copy, Default)]
	pub enum DigestAlgorithm {
		/// sha2-256 (the default: `sha256sum`, IPFS and Hugging Face LFS use it).
		#[default]
		Sha2_256,
		/// BLAKE3 (faster, parallel within a file).
		Blake3,
	}
}

impl DigestAlgorithm {
	/// Name as the client prints and parses it.
	pub fn as_str(&self) -> &'static str {
		match self {
			Self::Sha2_256 => "sha2-256",
			Self::Blake3 => "blake3",
		}
	}

	/// Parse a name.
	pub fn from_name(name: &str) -> Option<Self> {
		[Self::Sha2_256, Self::Blake3].into_iter().find(|a| a.as_str() == name)
	}
}

scale_type! {
	/// An artifact digest.
	pub struct ArtifactDigest {
		/// The algorithm that produced `bytes`.
		pub algorithm: DigestAlgorithm,
		/// The digest.
		pub bytes: [u8; 32],
	}
}

scale_type! {
	/// One file of a version.
	pub struct Artifact {
		/// Relative path inside the version (`/`-separated; see [`validate_path`]).
		pub path: Bytes<MAX_PATH_LEN>,
		/// What the file is for.
		pub kind: ArtifactKind,
		/// Size in bytes.
		pub size: u64,
		/// Digest of the content.
		pub digest: ArtifactDigest,
		/// Where the content can be fetched (`file://`, `https://`, `s3://`, `ipfs://`, ...).
		pub uri: Bytes<MAX_URI_LEN>,
	}
}

scale_type! {
	/// A named metric (`accuracy`, `eval/loss`, ...).
	pub struct Metric {
		/// Metric name.
		pub name: Bytes<MAX_KEY_LEN>,
		/// Fixed-point value.
		pub value: MetricValue,
	}
}

scale_type! {
	/// A key/value tag.
	pub struct Tag {
		/// Tag key.
		pub key: Bytes<MAX_KEY_LEN>,
		/// Tag value (UTF-8).
		pub value: Bytes<MAX_TAG_VALUE_LEN>,
	}
}

scale_type! {
	/// How a sealed artifact's content is encrypted.
	#[derive(Copy)]
	pub enum SealScheme {
		/// age v1 (C2SP `age.md`) with an X25519 recipient. The stored object is the age
		/// *payload* (nonce and ChaCha20-Poly1305 chunks); a key holder's header (see
		/// [`SealedFile::owner_header`]) in front of it makes a file that `age -d` opens.
		AgeV1,
	}
}

scale_type! {
	/// One encrypted artifact of a sealed version. The artifact's own `size`, `digest` and
	/// `uri` describe the stored (encrypted) object, so anyone can verify what a server
	/// returns; these fields describe the plaintext a key holder gets after decrypting.
	pub struct SealedFile {
		/// Index of the artifact in [`Manifest::artifacts`].
		pub artifact: u32,
		/// Size of the plaintext in bytes.
		pub plaintext_size: u64,
		/// Digest of the plaintext under the manifest's [`HashingSettings`].
		pub plaintext_digest: [u8; 32],
		/// The age header that wraps this file's key for the committer's own recipient, so
		/// the committer (or an agent holding its identity) can release the key later.
		pub owner_header: Bytes<MAX_SEAL_HEADER_LEN>,
	}
}

scale_type! {
	/// The license a version is released under.
	pub enum License {
		/// No license stated.
		Unspecified,
		/// An SPDX license expression (`Apache-2.0`, `MIT OR Apache-2.0`, ...).
		Spdx(Bytes<MAX_LICENSE_LEN>),
		/// On-chain license terms, by their ID in the licensing pallet.
		Terms(u64),
		/// On-chain license terms, with some artifacts encrypted so that only accounts the
		/// owner released their keys to (holders of a grant) can read them.
		Sealed {
			/// The terms, by their ID in the licensing pallet.
			terms: u64,
			/// How the files are encrypted.
			scheme: SealScheme,
			/// The encrypted artifacts, sorted by artifact index.
			files: BoundedVec<SealedFile, ConstU32<MAX_ARTIFACTS>>,
		},
	}
}

impl License {
	/// The on-chain terms this license names, sealed or not.
	pub fn terms(&self) -> Option<u64> {
		match self {
			Self::Terms(id) | Self::Sealed { terms: id, .. } => Some(*id),
			Self::Spdx(_) | Self::Unspecified => None,
		}
	}

	/// The encrypted artifacts (empty unless sealed).
	pub fn sealed_files(&self) -> &[SealedFile] {
		match self {
			Self::Sealed { files, .. } => files,
			_ => &[],
		}
	}
}

scale_type! {
	/// How artifact digests were computed, so anyone can recompute them.
	pub struct HashingSettings {
		/// Algorithm for every artifact digest in this manifest.
		pub algorithm: DigestAlgorithm,
		/// `None`: the digest is over the whole file. `Some(n)`: the file is cut into shards of
		/// `n` bytes (the last may be shorter), each shard is hashed, and the digest is the hash
		/// of the concatenated shard digests.
		pub shard_size: Option<u64>,
	}
}

/// Smallest shard size allowed by [`HashingSettings::shard_size`].
pub const MIN_SHARD_SIZE: u64 = 1 << 20;

scale_type! {
	/// What a model version is. Its SCALE bytes define its [`VersionId`].
	pub struct Manifest {
		/// The model this version belongs to.
		pub model: ModelName,
		/// Parent versions with edge kinds; empty for a root. The first parent is the main line.
		pub parents: BoundedVec<Parent, ConstU32<MAX_PARENTS>>,
		/// The files, sorted by path.
		pub artifacts: BoundedVec<Artifact, ConstU32<MAX_ARTIFACTS>>,
		/// Metrics, sorted by name.
		pub metrics: BoundedVec<Metric, ConstU32<MAX_METRICS>>,
		/// License.
		pub license: License,
		/// Tags, sorted by key.
		pub tags: BoundedVec<Tag, ConstU32<MAX_TAGS>>,
		/// Commit message (UTF-8).
		pub message: Bytes<MAX_MESSAGE_LEN>,
		/// How the artifact digests were computed.
		pub hashing: HashingSettings,
	}
}

/// Why a manifest is not canonical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestError {
	/// The model name is not `org/name`.
	InvalidModelName,
	/// The same parent appears twice.
	DuplicateParent,
	/// An artifact path is empty, absolute or not UTF-8 (or not in Unicode NFC); has an empty,
	/// `.` or `..` part or a part ending in `.` or a space; or holds a control character, a
	/// bidirectional override, `\` or `:`. See [`validate_path`].
	InvalidPath,
	/// An artifact path has a part that common tools treat as their own control files
	/// (`.git`, `.zoo`, ...: [`RESERVED_PATH_PARTS`]).
	ReservedPath,
	/// Two artifact paths name the same file on a case-insensitive file system, or one path is
	/// a file and a directory of another (`a` and `a/b`).
	PathCollision,
	/// Artifacts are not sorted by path, or two share a path.
	ArtifactsNotSorted,
	/// An artifact URI has no `scheme:` prefix or is not UTF-8.
	InvalidUri,
	/// An artifact digest uses another algorithm than the hashing settings.
	DigestAlgorithmMismatch,
	/// The shard size is below [`MIN_SHARD_SIZE`].
	ShardTooSmall,
	/// A metric name or tag key is empty or uses characters other than `a-z0-9._-/`.
	InvalidKey,
	/// Metrics are not sorted by name, or two share a name.
	MetricsNotSorted,
	/// Tags are not sorted by key, or two share a key.
	TagsNotSorted,
	/// The message, a tag value or the license is not UTF-8, or the license is empty.
	InvalidText,
	/// A sealed license lists no files.
	NothingSealed,
	/// Sealed files are not sorted by artifact index, or two name the same artifact.
	SealedFilesNotSorted,
	/// A sealed file names an artifact index the manifest does not have.
	UnknownSealedArtifact,
	/// A sealed file's owner header is not an age v1 header (`age-encryption.org/v1` first,
	/// a `--- ` MAC line last).
	InvalidSealHeader,
}

impl core::fmt::Display for ManifestError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(match self {
			Self::InvalidModelName => "model name is not `org/name`",
			Self::DuplicateParent => "the same parent is listed twice",
			Self::InvalidPath => {
				"an artifact path is empty, absolute, not UTF-8 NFC, has a `.`, `..` or empty part, a part ending in `.` or space, or a control character, `\\` or `:`"
			}
			Self::ReservedPath => "an artifact path has a part reserved for tools' control files (`.git`, `.zoo`, ...)",
			Self::PathCollision => {
				"two artifact paths differ only in case, or one path is both a file and a directory"
			}
			Self::ArtifactsNotSorted => "artifacts are not sorted by path or share a path",
			Self::InvalidUri => "an artifact URI has no `scheme:` or is not UTF-8",
			Self::DigestAlgorithmMismatch => "an artifact digest does not use the manifest's hashing algorithm",
			Self::ShardTooSmall => "shard size is below 1 MiB",
			Self::InvalidKey => "a metric name or tag key is empty or not `a-z0-9._-/`",
			Self::MetricsNotSorted => "metrics are not sorted by name or share a name",
			Self::TagsNotSorted => "tags are not sorted by key or share a key",
			Self::InvalidText => "message, tag value or license is not UTF-8, or the license is empty",
			Self::NothingSealed => "a sealed license lists no encrypted files",
			Self::SealedFilesNotSorted => "sealed files are not sorted by artifact index or name one artifact twice",
			Self::UnknownSealedArtifact => "a sealed file names an artifact the manifest does not have",
			Self::InvalidSealHeader => "a sealed file's owner header is not an age v1 header",
		})
	}
}

#[cfg(feature = "std")]
impl std::error::Error for ManifestError {}

fn strictly_sorted<T>(items: &[T], key: impl for<'a> Fn(&'a T) -> &'a [u8]) -> bool {
	items.windows(2).all(|pair| key(&pair[0]) < key(&pair[1]))
}

/// Path parts that tools treat as their own control files, refused in artifact paths at any
/// depth: version-control metadata (`.git`, `.hg`, `.svn`, `.bzr`, `.jj`, `_darcs`), the
/// workspace state of Zoo and DVC (`.zoo`, `.dvc`), and files that editors or shells act on when
/// a directory is opened or entered (`.envrc`, `.vscode`, `.idea`). A checkout that wrote
/// `.git/config` would let a published model run commands through git. Compared ignoring ASCII
/// case and trailing dots and spaces (what Windows and macOS file systems ignore); NTFS short
/// names of `.git` (`git~1`, ...) are refused too.
pub const RESERVED_PATH_PARTS: [&str; 11] =
	[".git", ".hg", ".svn", ".bzr", ".jj", "_darcs", ".zoo", ".dvc", ".envrc", ".vscode", ".idea"];

/// Whether `c` may not appear in an artifact path: C0 and C1 control characters, DEL, and the
/// bidirectional overrides and isolates that make text display in another order than it is
/// stored.
fn is_forbidden_path_char(c: char) -> bool {
	c.is_control() || matches!(c, '\\' | ':' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether a path part names a tool's control file ([`RESERVED_PATH_PARTS`]).
fn is_reserved_part(part: &str) -> bool {
	let trimmed = part.trim_end_matches(['.', ' ']);
	let is = |name: &str| trimmed.eq_ignore_ascii_case(name);
	RESERVED_PATH_PARTS.iter().any(|name| is(name))
		|| trimmed.get(..4).is_some_and(|prefix| prefix.eq_ignore_ascii_case("git~"))
}

/// Check one artifact path on its own: relative, `/`-separated, UTF-8 in Unicode NFC (so one
/// name has one spelling), no empty, `.` or `..` parts, no part ending in `.` or a space, no
/// control characters, bidirectional overrides, `\` or `:`, and no part reserved for tools'
/// control files ([`RESERVED_PATH_PARTS`]). [`Manifest::validate`] also refuses paths that
/// collide with each other.
pub fn validate_path(path: &[u8]) -> Result<(), ManifestError> {
	let text = core::str::from_utf8(path).map_err(|_| ManifestError::InvalidPath)?;
	if text.is_empty() || text.chars().any(is_forbidden_path_char) || !unicode_normalization::is_nfc(text) {
		return Err(ManifestError::InvalidPath);
	}
	for part in text.split('/') {
		if part.is_empty() || part == "." || part == ".." || part.ends_with(['.', ' ']) {
			return Err(ManifestError::InvalidPath);
		}
		if is_reserved_part(part) {
			return Err(ManifestError::ReservedPath);
		}
	}
	Ok(())
}

/// A path as a case-insensitive file system compares it (Unicode lower case).
fn folded(path: &[u8]) -> String {
	core::str::from_utf8(path).unwrap_or_default().chars().flat_map(char::to_lowercase).collect()
}

/// Check that no two paths name one file on a case-insensitive file system and no path is
/// both a file and a directory (`a` and `a/b`), so a checkout can place every file. Paths
/// must already pass [`validate_path`].
pub fn validate_path_set<'a>(paths: impl Iterator<Item = &'a [u8]>) -> Result<(), ManifestError> {
	let mut files = BTreeSet::new();
	let mut directories = BTreeSet::new();
	for path in paths {
		let path = folded(path);
		for (end, _) in path.match_indices('/') {
			directories.insert(path[..end].to_string());
		}
		if !files.insert(path) {
			return Err(ManifestError::PathCollision);
		}
	}
	if files.iter().any(|file| directories.contains(file)) {
		return Err(ManifestError::PathCollision);
	}
	Ok(())
}

/// Check a URI: UTF-8 and a `scheme:` prefix (RFC 3986 scheme characters).
pub fn validate_uri(uri: &[u8]) -> Result<(), ManifestError> {
	let text = core::str::from_utf8(uri).map_err(|_| ManifestError::InvalidUri)?;
	let Some((scheme, _)) = text.split_once(':') else { return Err(ManifestError::InvalidUri) };
	let mut chars = scheme.bytes();
	let starts_alpha = chars.next().is_some_and(|b| b.is_ascii_alphabetic());
	if !starts_alpha || !chars.all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) {
		return Err(ManifestError::InvalidUri);
	}
	Ok(())
}

/// Check an age v1 header as it is stored for a sealed file: UTF-8, the version line first,
/// and the `--- <MAC>` line last (ending in a newline).
pub fn validate_seal_header(header: &[u8]) -> Result<(), ManifestError> {
	let text = core::str::from_utf8(header).map_err(|_| ManifestError::InvalidSealHeader)?;
	let Some(body) = text.strip_prefix(AGE_HEADER_PREFIX) else {
		return Err(ManifestError::InvalidSealHeader);
	};
	let Some(lines) = body.strip_suffix('\n') else { return Err(ManifestError::InvalidSealHeader) };
	let last = lines.rsplit('\n').next().unwrap_or_default();
	if !last.starts_with("--- ") || last.len() <= 4 {
		return Err(ManifestError::InvalidSealHeader);
	}
	Ok(())
}

/// Check a metric name or tag key: non-empty, `a-z0-9._-/`.
pub fn validate_key(key: &[u8]) -> Result<(), ManifestError> {
	let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(b);
	if key.is_empty() || !key.iter().all(allowed) {
		return Err(ManifestError::InvalidKey);
	}
	Ok(())
}

impl Manifest {
	/// The content ID of this manifest.
	pub fn id(&self) -> VersionId {
		VersionId::of_bytes(&self.encode())
	}

	/// Check that the manifest is canonical and its fields well formed.
	pub fn validate(&self) -> Result<(), ManifestError> {
		validate_model_name(&self.model).map_err(|_| ManifestError::InvalidModelName)?;

		let mut parent_ids: Vec<VersionId> = self.parents.iter().map(|p| p.id).collect();
		parent_ids.sort();
		if parent_ids.windows(2).any(|pair| pair[0] == pair[1]) {
			return Err(ManifestError::DuplicateParent);
		}

		if self.hashing.shard_size.is_some_and(|size| size < MIN_SHARD_SIZE) {
			return Err(ManifestError::ShardTooSmall);
		}
		for artifact in self.artifacts.iter() {
			validate_path(&artifact.path)?;
			validate_uri(&artifact.uri)?;
			if artifact.digest.algorithm != self.hashing.algorithm {
				return Err(ManifestError::DigestAlgorithmMismatch);
			}
		}
		if !strictly_sorted(&self.artifacts, |a| &a.path[..]) {
			return Err(ManifestError::ArtifactsNotSorted);
		}
		validate_path_set(self.artifacts.iter().map(|artifact| &artifact.path[..]))?;

		for metric in self.metrics.iter() {
			validate_key(&metric.name)?;
		}
		if !strictly_sorted(&self.metrics, |m| &m.name[..]) {
			return Err(ManifestError::MetricsNotSorted);
		}

		for tag in self.tags.iter() {
			validate_key(&tag.key)?;
			core::str::from_utf8(&tag.value).map_err(|_| ManifestError::InvalidText)?;
		}
		if !strictly_sorted(&self.tags, |t| &t.key[..]) {
			return Err(ManifestError::TagsNotSorted);
		}

		core::str::from_utf8(&self.message).map_err(|_| ManifestError::InvalidText)?;
		match &self.license {
			License::Spdx(expression) => {
				let text = core::str::from_utf8(expression).map_err(|_| ManifestError::InvalidText)?;
				if text.trim().is_empty() {
					return Err(ManifestError::InvalidText);
				}
			}
			License::Sealed { files, .. } => self.validate_sealed(files)?,
			License::Terms(_) | License::Unspecified => {}
		}
		Ok(())
	}

	fn validate_sealed(&self, files: &[SealedFile]) -> Result<(), ManifestError> {
		if files.is_empty() {
			return Err(ManifestError::NothingSealed);
		}
		if files.windows(2).any(|pair| pair[0].artifact >= pair[1].artifact) {
			return Err(ManifestError::SealedFilesNotSorted);
		}
		for file in files {
			if file.artifact as usize >= self.artifacts.len() {
				return Err(ManifestError::UnknownSealedArtifact);
			}
			validate_seal_header(&file.owner_header)?;
		}
		Ok(())
	}

	/// The sealed-file record of the artifact at `index`, if that artifact is encrypted.
	pub fn sealed_file(&self, index: usize) -> Option<&SealedFile> {
		let files = self.license.sealed_files();
		files.binary_search_by_key(&index, |file| file.artifact as usize).ok().map(|at| &files[at])
	}

	/// What the artifact at `index` holds once fetched and, if sealed, decrypted: its size and
	/// digest (the plaintext's for a sealed artifact, the stored object's otherwise). This is
	/// what a checked-out file must match.
	pub fn content_of(&self, index: usize) -> Option<(u64, ArtifactDigest)> {
		let artifact = self.artifacts.get(index)?;
		Some(match self.sealed_file(index) {
			Some(file) => (
				file.plaintext_size,
				ArtifactDigest { algorithm: artifact.digest.algorithm, bytes: file.plaintext_digest },
			),
			None => (artifact.size, artifact.digest.clone()),
		})
	}
}
