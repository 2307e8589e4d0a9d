//! Test helpers (the `testing` feature): a small [`ManifestBuilder`] for the manifests tests
//! commit, so fixtures are built one way across the primitives', the pallets' and the client's
//! tests. Benchmarks keep their own worst-case builders.

use crate::{
	Artifact, ArtifactDigest, ArtifactKind, Bytes, DigestAlgorithm, EdgeKind, HashingSettings, License, Manifest,
	Metric, MetricValue, Parent, SealScheme, SealedFile, Tag, VersionId,
};
use alloc::vec::Vec;

/// `text` as a bounded byte string; panics if it is too long (test input).
pub fn bytes<const N: u32>(text: &str) -> Bytes<N> {
	text.as_bytes().to_vec().try_into().expect("test text fits its bound")
}

/// An artifact at `path`: 1 byte, kind `other`, a fixed sha2-256 digest, at `file:///x`.
/// Change a field with struct update syntax: `Artifact { size: 3, ..artifact("a.bin") }`.
pub fn artifact(path: &str) -> Artifact {
	Artifact {
		path: bytes(path),
		kind: ArtifactKind::Other,
		size: 1,
		digest: ArtifactDigest { algorithm: DigestAlgorithm::Sha2_256, bytes: [7; 32] },
		uri: bytes("file:///x"),
	}
}

/// A well-formed (not decryptable) owner header for sealed-file fixtures.
pub const TEST_SEAL_HEADER: &str = "age-encryption.org/v1\n-> X25519 c2hhcmU\nYm9keQ\n--- bWFj\n";

/// A sealed license on `terms` encrypting the artifacts at `indices` (plaintext of 2 bytes,
/// digest `[9; 32]`, [`TEST_SEAL_HEADER`]).
pub fn sealed(terms: u64, indices: &[u32]) -> License {
	let files = indices
		.iter()
		.map(|&artifact| SealedFile {
			artifact,
			plaintext_size: 2,
			plaintext_digest: [9; 32],
			owner_header: bytes(TEST_SEAL_HEADER),
		})
		.collect::<Vec<_>>();
	License::Sealed { terms, scheme: SealScheme::AgeV1, files: files.try_into().expect("at most MAX_ARTIFACTS") }
}

/// Builds a [`Manifest`]: a root version of `model` with no artifacts, no license, an empty
/// message and sha2-256 hashing until told otherwise. Collections are kept in the order given
/// (sort them yourself to test canonical order).
#[derive(Clone, Debug)]
pub struct ManifestBuilder {
	model: Vec<u8>,
	parents: Vec<Parent>,
	artifacts: Vec<Artifact>,
	metrics: Vec<Metric>,
	license: License,
	tags: Vec<Tag>,
	message: Vec<u8>,
	hashing: HashingSettings,
}

impl ManifestBuilder {
	/// A root version of `model`.
	pub fn new(model: &str) -> Self {
		ManifestBuilder {
			model: model.as_bytes().to_vec(),
			parents: Vec::new(),
			artifacts: Vec::new(),
			metrics: Vec::new(),
			license: License::Unspecified,
			tags: Vec::new(),
			message: Vec::new(),
			hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
		}
	}

	/// Add a parent.
	pub fn parent(mut self, id: VersionId, edge: EdgeKind) -> Self {
		self.parents.push(Parent { id, edge });
		self
	}

	/// Add parents.
	pub fn parents(mut self, parents: &[(VersionId, EdgeKind)]) -> Self {
		self.parents.extend(parents.iter().map(|(id, edge)| Parent { id: *id, edge: *edge }));
		self
	}

	/// Add the default [`artifact`] at each of `paths`.
	pub fn paths(mut self, paths: &[&str]) -> Self {
		self.artifacts.extend(paths.iter().map(|path| artifact(path)));
		self
	}

	/// Add an artifact.
	pub fn artifact(mut self, artifact: Artifact) -> Self {
		self.artifacts.push(artifact);
		self
	}

	/// Add a metric.
	pub fn metric(mut self, name: &str, value: MetricValue) -> Self {
		self.metrics.push(Metric { name: bytes(name), value });
		self
	}

	/// Add a tag.
	pub fn tag(mut self, key: &str, value: &str) -> Self {
		self.tags.push(Tag { key: bytes(key), value: bytes(value) });
		self
	}

	/// An SPDX license expression.
	pub fn spdx(mut self, expression: &str) -> Self {
		self.license = License::Spdx(bytes(expression));
		self
	}

	/// Any license.
	pub fn license(mut self, license: License) -> Self {
		self.license = license;
		self
	}

	/// The commit message.
	pub fn message(mut self, message: &str) -> Self {
		self.message = message.as_bytes().to_vec();
		self
	}

	/// The hashing settings.
	pub fn hashing(mut self, hashing: HashingSettings) -> Self {
		self.hashing = hashing;
		self
	}

	/// The manifest; panics if a collection is over its bound (test input).
	pub fn build(self) -> Manifest {
		Manifest {
			model: self.model.try_into().expect("model name fits its bound"),
			parents: self.parents.try_into().expect("parents fit their bound"),
			artifacts: self.artifacts.try_into().expect("artifacts fit their bound"),
			metrics: self.metrics.try_into().expect("metrics fit their bound"),
			license: self.license,
			tags: self.tags.try_into().expect("tags fit their bound"),
			message: self.message.try_into().expect("message fits its bound"),
			hashing: self.hashing,
		}
	}
}
