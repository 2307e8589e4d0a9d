//! Checking out a version: fetch every artifact into a directory, verified before it lands.
//!
//! Every artifact is streamed into a staging directory inside `<target>/.zoo/` (same
//! filesystem, so the final move is a rename; and `.zoo/` is never an artifact, so leftovers of a
//! killed checkout are never mistaken for content). Its size and digest are checked while it
//! streams. Only when *every* artifact has verified are they renamed into place; on any failure
//! the staging directory is removed and the target is as it was.

use crate::{
	Error, Result,
	hashing::{Progress, hash_reader},
	scan::ZOO_DIR,
};
use rayon::prelude::*;
use std::{
	fs::File,
	io::{Read, Write},
	path::{Path, PathBuf},
};
use zoo_primitives::{Artifact, Manifest, validate_path};

/// What a checkout wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CheckoutReport {
	/// Files placed.
	pub files: usize,
	/// Bytes fetched and verified.
	pub bytes: u64,
}

/// One artifact to fetch.
struct Planned<'a> {
	artifact: &'a Artifact,
	path: String,
	source: PathBuf,
}

/// Where an artifact's content comes from; only `file://` URIs are supported so far.
pub fn source_path(path: &str, uri: &str) -> Result<PathBuf> {
	let parsed = url::Url::parse(uri).map_err(|e| Error::Checkout(format!("{path}: invalid URI {uri:?}: {e}")))?;
	if parsed.scheme() != "file" {
		return Err(Error::Checkout(format!(
			"{path}: cannot fetch {uri}: unsupported URI scheme {}:// (this client fetches file:// URIs only)",
			parsed.scheme()
		)));
	}
	if parsed.host_str().is_some_and(|host| !host.is_empty() && host != "localhost") {
		return Err(Error::Checkout(format!("{path}: cannot fetch {uri}: file:// URI names another host")));
	}
	parsed.to_file_path().map_err(|_| Error::Checkout(format!("{path}: {uri} is not a local file path")))
}

fn plan(manifest: &Manifest) -> Result<Vec<Planned<'_>>> {
	manifest
		.artifacts
		.iter()
		.map(|artifact| {
			// Never trust a path from the chain to stay inside the target.
			validate_path(&artifact.path).map_err(|e| {
				Error::Checkout(format!("artifact path {:?}: {e}", String::from_utf8_lossy(&artifact.path)))
			})?;
			let path = String::from_utf8_lossy(&artifact.path).into_owned();
			if path == ZOO_DIR || path.starts_with(&format!("{ZOO_DIR}/")) {
				return Err(Error::Checkout(format!(
					"artifact path {path:?} is inside the client's {ZOO_DIR}/ directory"
				)));
			}
			let uri = String::from_utf8_lossy(&artifact.uri).into_owned();
			let source = source_path(&path, &uri)?;
			Ok(Planned { artifact, path, source })
		})
		.collect()
}

/// Whether `dir` has any entry.
fn is_non_empty(dir: &Path) -> Result<bool> {
	let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
	Ok(entries.next().is_some())
}

/// Check out `manifest` into `target`. A non-empty `target` is refused unless `force`.
pub fn checkout(manifest: &Manifest, target: &Path, force: bool, show_progress: bool) -> Result<CheckoutReport> {
	let planned = plan(manifest)?;
	let created = match std::fs::metadata(target) {
		Ok(meta) if !meta.is_dir() => {
			return Err(Error::Checkout(format!("{}: exists and is not a directory", target.display())));
		}
		Ok(_) => {
			if !force && is_non_empty(target)? {
				return Err(Error::Checkout(format!(
					"{} is not empty; pass --force to check out into it",
					target.display()
				)));
			}
			false
		}
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
			std::fs::create_dir_all(target).map_err(|e| Error::io(target, e))?;
			true
		}
		Err(e) => return Err(Error::io(target, e)),
	};
	let result = fetch_and_place(&planned, manifest, target, show_progress);
	if result.is_err() && created {
		// Leave no trace of a failed checkout into a directory we made.
		let _ = std::fs::remove_dir_all(target);
	}
	result
}

fn fetch_and_place(
	planned: &[Planned],
	manifest: &Manifest,
	target: &Path,
	show_progress: bool,
) -> Result<CheckoutReport> {
	let zoo_dir = target.join(ZOO_DIR);
	let zoo_existed = zoo_dir.exists();
	std::fs::create_dir_all(&zoo_dir).map_err(|e| Error::io(&zoo_dir, e))?;
	let staging =
		tempfile::Builder::new().prefix("checkout-").tempdir_in(&zoo_dir).map_err(|e| Error::io(&zoo_dir, e))?;
	let total = planned.iter().map(|p| p.artifact.size).sum();
	let progress = Progress::bytes(total, show_progress, "fetching");
	let fetched = planned
		.par_iter()
		.enumerate()
		.map(|(index, item)| {
			let staged = staging.path().join(index.to_string());
			fetch_verified(item, manifest, &staged, &progress)?;
			Ok(staged)
		})
		.collect::<Result<Vec<_>>>();
	progress.finish();
	let fetched = match fetched {
		Ok(fetched) => fetched,
		Err(e) => {
			drop(staging);
			if !zoo_existed {
				let _ = std::fs::remove_dir(&zoo_dir);
			}
			return Err(e);
		}
	};
	// Everything verified: move into place.
	for (item, staged) in planned.iter().zip(&fetched) {
		let destination = target.join(&item.path);
		if let Some(parent) = destination.parent() {
			std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
		}
		std::fs::rename(staged, &destination).map_err(|e| Error::io(&destination, e))?;
	}
	Ok(CheckoutReport { files: planned.len(), bytes: total })
}

/// Copies everything it reads from `source` into `copy`, so one pass both hashes and stages.
struct CopyingReader<'a, R> {
	source: R,
	copy: &'a mut File,
	/// The write error, kept apart so it is reported against the staged file, not the source.
	copy_error: Option<std::io::Error>,
}

impl<R: Read> Read for CopyingReader<'_, R> {
	fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
		let n = self.source.read(buffer)?;
		if let Err(e) = self.copy.write_all(&buffer[..n]) {
			let kind = e.kind();
			self.copy_error = Some(e);
			return Err(std::io::Error::new(kind, "writing the staged copy failed"));
		}
		Ok(n)
	}
}

/// Stream one artifact into `staged`, checking its size and digest. On mismatch the staged file
/// is deleted.
fn fetch_verified(item: &Planned, manifest: &Manifest, staged: &Path, progress: &Progress) -> Result<()> {
	let expected = item.artifact;
	let source = File::open(&item.source).map_err(|e| Error::io(&item.source, e))?;
	let mut out = File::create(staged).map_err(|e| Error::io(staged, e))?;
	// Read at most one byte more than expected: enough to notice a longer file, bounded either way.
	let mut reader =
		CopyingReader { source: source.take(expected.size.saturating_add(1)), copy: &mut out, copy_error: None };
	let actual = match hash_reader(&mut reader, &manifest.hashing, progress) {
		Ok(actual) => actual,
		Err(e) => {
			return Err(match reader.copy_error.take() {
				Some(write_error) => Error::io(staged, write_error),
				None => Error::io(&item.source, e),
			});
		}
	};
	let problem = if actual.size != expected.size {
		Some(format!("size {} but the manifest says {}", actual.size, expected.size))
	} else if actual.digest != expected.digest {
		Some(format!(
			"{} digest {} but the manifest says {}",
			manifest.hashing.algorithm.as_str(),
			hex::encode(actual.digest.bytes),
			hex::encode(expected.digest.bytes)
		))
	} else {
		None
	};
	if let Some(detail) = problem {
		drop(out);
		let _ = std::fs::remove_file(staged);
		return Err(Error::Corrupt { path: item.path.clone(), detail });
	}
	// Durable before it is renamed into place.
	out.sync_all().map_err(|e| Error::io(staged, e))?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::verify::{
		tests::{manifest_of, sample_dir},
		verify_dir,
	};
	use zoo_primitives::{DigestAlgorithm, HashingSettings};

	const SHA: HashingSettings = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None };

	fn entries(dir: &Path) -> Vec<String> {
		let mut names: Vec<_> = walkdir::WalkDir::new(dir)
			.min_depth(1)
			.into_iter()
			.map(|e| e.unwrap().path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
			.collect();
		names.sort();
		names
	}

	#[test]
	fn checks_out_identical_bytes() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let out = tempfile::tempdir().unwrap();
		let target = out.path().join("new/dir");
		let report = checkout(&manifest, &target, false, false).unwrap();
		assert_eq!(report, CheckoutReport { files: 3, bytes: 17 });
		assert_eq!(std::fs::read(target.join("sub/c.py")).unwrap(), b"charlie");
		assert!(verify_dir(&manifest, &target, false).unwrap().is_ok());
		// The staging directory is gone.
		assert_eq!(entries(&target.join(ZOO_DIR)), Vec::<String>::new());
	}

	#[test]
	fn refuses_a_non_empty_target_without_force() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let target = tempfile::tempdir().unwrap();
		std::fs::write(target.path().join("mine.txt"), b"keep me").unwrap();
		let err = checkout(&manifest, target.path(), false, false).unwrap_err();
		assert!(err.to_string().contains("not empty"), "{err}");
		assert_eq!(entries(target.path()), ["mine.txt"]);
		checkout(&manifest, target.path(), true, false).unwrap();
		assert_eq!(std::fs::read(target.path().join("mine.txt")).unwrap(), b"keep me");
		assert_eq!(std::fs::read(target.path().join("a.bin")).unwrap(), b"alpha");
	}

	#[test]
	fn corrupted_source_leaves_nothing_in_place() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		// Same size, one byte flipped: only the digest can catch it.
		std::fs::write(source.path().join("sub/c.py"), b"charliE").unwrap();
		let out = tempfile::tempdir().unwrap();
		let target = out.path().join("fresh");
		let err = checkout(&manifest, &target, false, false).unwrap_err();
		assert!(matches!(&err, Error::Corrupt { path, .. } if path == "sub/c.py"), "{err}");
		assert!(!target.exists(), "a target we created is removed again");

		// Into an existing (empty) directory: it stays empty.
		let existing = tempfile::tempdir().unwrap();
		assert!(checkout(&manifest, existing.path(), false, false).is_err());
		assert_eq!(entries(existing.path()), Vec::<String>::new());

		// A longer or shorter source is caught by its size.
		std::fs::write(source.path().join("sub/c.py"), b"charlie and more").unwrap();
		let err = checkout(&manifest, existing.path(), false, false).unwrap_err();
		assert!(err.to_string().contains("size"), "{err}");
		std::fs::remove_file(source.path().join("a.bin")).unwrap();
		assert!(matches!(checkout(&manifest, existing.path(), false, false), Err(Error::Io { .. })));
		assert_eq!(entries(existing.path()), Vec::<String>::new());
	}

	#[test]
	fn unsupported_schemes_fail_before_anything_is_written() {
		let source = sample_dir();
		let mut manifest = manifest_of(source.path(), SHA);
		manifest.artifacts[1].uri = b"s3://bucket/b.bin".to_vec().try_into().unwrap();
		let out = tempfile::tempdir().unwrap();
		let err = checkout(&manifest, &out.path().join("t"), false, false).unwrap_err();
		assert!(err.to_string().contains("unsupported URI scheme s3://"), "{err}");
		assert!(!out.path().join("t").exists());
	}

	#[test]
	fn file_uris_map_to_paths() {
		assert_eq!(source_path("x", "file:///data/a%20b.bin").unwrap(), PathBuf::from("/data/a b.bin"));
		assert!(source_path("x", "file://elsewhere/data").is_err());
		assert!(source_path("x", "https://h/x").is_err());
	}
}
