//! Comparing a directory with a manifest.
//!
//! Missing, extra and mismatched files are reported separately; a file whose size already
//! differs is reported without reading it.

use crate::{
	Result,
	hashing::hash_files,
	progress::Reporter,
	scan::{ScannedFile, scan},
};
use serde::Serialize;
use std::{collections::BTreeMap, path::Path};
use zoo_primitives::{ArtifactDigest, Manifest};

/// A file present on both sides whose content differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
	/// Artifact path.
	pub path: String,
	/// Size in the manifest.
	pub expected_size: u64,
	/// Size on disk.
	pub actual_size: u64,
	/// Digest in the manifest (hex).
	pub expected_digest: String,
	/// Digest on disk (hex); `None` when the sizes differ and the file was not hashed.
	pub actual_digest: Option<String>,
}

/// The result of comparing a directory with a manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
	/// In the manifest, not in the directory.
	pub missing: Vec<String>,
	/// In the directory, not in the manifest.
	pub extra: Vec<String>,
	/// On both sides with different content.
	pub mismatched: Vec<Mismatch>,
	/// Files that match.
	pub matched: usize,
	/// Bytes read and hashed.
	pub bytes_hashed: u64,
}

impl VerifyReport {
	/// Whether the directory matches the manifest exactly.
	pub fn is_ok(&self) -> bool {
		self.missing.is_empty() && self.extra.is_empty() && self.mismatched.is_empty()
	}
}

/// Compare `dir` (its `.zoo/` aside) with `manifest`, hashing as the manifest says. A manifest
/// that breaks the manifest rules is refused (its hashing settings could not be trusted to
/// terminate: a shard size of 0).
pub fn verify_dir(manifest: &Manifest, dir: &Path, reporter: &dyn Reporter) -> Result<VerifyReport> {
	manifest.validate()?;
	let files = scan(dir)?;
	// A sealed artifact is checked out decrypted: the directory holds its plaintext.
	let mut expected: BTreeMap<String, (u64, ArtifactDigest)> = manifest
		.artifacts
		.iter()
		.enumerate()
		.filter_map(|(index, a)| Some((String::from_utf8_lossy(&a.path).into_owned(), manifest.content_of(index)?)))
		.collect();
	let mut report = VerifyReport::default();
	let mut to_hash: Vec<(ScannedFile, (u64, ArtifactDigest))> = Vec::new();
	for file in files {
		match expected.remove(&file.path) {
			None => report.extra.push(file.path),
			Some((size, digest)) if size != file.size => report.mismatched.push(Mismatch {
				path: file.path,
				expected_size: size,
				actual_size: file.size,
				expected_digest: hex::encode(digest.bytes),
				actual_digest: None,
			}),
			Some(content) => to_hash.push((file, content)),
		}
	}
	report.missing = expected.into_keys().collect();
	let scanned: Vec<ScannedFile> = to_hash.iter().map(|(f, _)| f.clone()).collect();
	let (digests, stats) = hash_files(&scanned, &manifest.hashing, reporter)?;
	report.bytes_hashed = stats.bytes;
	for ((file, (size, digest)), actual) in to_hash.into_iter().zip(digests) {
		if actual.digest == digest && actual.size == size {
			report.matched += 1;
		} else {
			report.mismatched.push(Mismatch {
				path: file.path,
				expected_size: size,
				actual_size: actual.size,
				expected_digest: hex::encode(digest.bytes),
				actual_digest: Some(hex::encode(actual.digest.bytes)),
			});
		}
	}
	report.mismatched.sort_by(|a, b| a.path.cmp(&b.path));
	Ok(report)
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use crate::manifest_build::{CommitOptions, build_manifest, local_root, parse_model_name};
	use crate::progress::Silent;
	use zoo_primitives::{DigestAlgorithm, HashingSettings};

	/// The manifest of `dir` as `zoo commit` would build it.
	pub(crate) fn manifest_of(dir: &Path, hashing: HashingSettings) -> Manifest {
		let files = scan(dir).unwrap();
		let (digests, _) = hash_files(&files, &hashing, &Silent).unwrap();
		let options = CommitOptions::new(
			parse_model_name("acme/tiny").unwrap(),
			"test".parse().unwrap(),
			hashing,
			local_root(dir).unwrap(),
		);
		build_manifest(&files, &digests, &options).unwrap()
	}

	pub(crate) fn sample_dir() -> tempfile::TempDir {
		let dir = tempfile::tempdir().unwrap();
		std::fs::create_dir_all(dir.path().join("sub")).unwrap();
		std::fs::write(dir.path().join("a.bin"), b"alpha").unwrap();
		std::fs::write(dir.path().join("b.bin"), b"bravo").unwrap();
		std::fs::write(dir.path().join("sub/c.py"), b"charlie").unwrap();
		dir
	}

	const SHA: HashingSettings = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None };

	#[test]
	fn identical_directory_verifies() {
		let dir = sample_dir();
		let manifest = manifest_of(dir.path(), SHA);
		// The client's own files are not compared.
		std::fs::create_dir_all(dir.path().join(".zoo")).unwrap();
		std::fs::write(dir.path().join(".zoo/config.json"), b"{}").unwrap();
		let report = verify_dir(&manifest, dir.path(), &Silent).unwrap();
		assert!(report.is_ok(), "{report:?}");
		assert_eq!(report.matched, 3);
		assert_eq!(report.bytes_hashed, 17);
	}

	#[test]
	fn reports_each_kind_of_difference_separately() {
		let dir = sample_dir();
		let manifest =
			manifest_of(dir.path(), HashingSettings { algorithm: DigestAlgorithm::Blake3, shard_size: None });
		// Flip one byte (same size), truncate another, delete one, add one.
		std::fs::write(dir.path().join("a.bin"), b"alphA").unwrap();
		std::fs::write(dir.path().join("b.bin"), b"brav").unwrap();
		std::fs::remove_file(dir.path().join("sub/c.py")).unwrap();
		std::fs::write(dir.path().join("sub/d.py"), b"delta").unwrap();
		let report = verify_dir(&manifest, dir.path(), &Silent).unwrap();
		assert!(!report.is_ok());
		assert_eq!(report.missing, ["sub/c.py"]);
		assert_eq!(report.extra, ["sub/d.py"]);
		let mismatched: Vec<_> = report.mismatched.iter().map(|m| m.path.as_str()).collect();
		assert_eq!(mismatched, ["a.bin", "b.bin"]);
		assert!(report.mismatched[0].actual_digest.is_some());
		assert_eq!((report.mismatched[1].expected_size, report.mismatched[1].actual_size), (5, 4));
		assert_eq!(report.matched, 0);
	}

	#[test]
	fn a_symlink_in_the_directory_is_an_error() {
		let dir = sample_dir();
		let manifest = manifest_of(dir.path(), SHA);
		std::os::unix::fs::symlink("a.bin", dir.path().join("link")).unwrap();
		assert!(verify_dir(&manifest, dir.path(), &Silent).is_err());
	}
}
