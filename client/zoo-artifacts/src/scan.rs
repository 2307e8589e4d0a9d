//! Listing the files of a directory for a commit, a verify or a status.
//!
//! Only regular files become artifacts. Anything else that could change what a reader gets
//! (symlinks, sockets, fifos, devices) is refused with an error naming it: silently skipping it
//! would commit a version that does not describe the directory.

use crate::{FileError as Error, Result};
use std::{
	fs::Metadata,
	path::{Path, PathBuf},
	time::UNIX_EPOCH,
};
use zoo_primitives::{MAX_PATH_LEN, validate_path};

/// The client's own directory inside a working directory; never an artifact.
pub const ZOO_DIR: &str = ".zoo";

/// A regular file found by [`scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedFile {
	/// Relative, `/`-separated UTF-8 path (the artifact path).
	pub path: String,
	/// Absolute or root-joined filesystem path.
	pub full_path: PathBuf,
	/// Size in bytes when listed.
	pub size: u64,
	/// Modification time in nanoseconds since the Unix epoch when listed (0 if unknown).
	pub mtime_ns: u128,
}

/// List every regular file under `root`, sorted by artifact path.
///
/// `root/.zoo/` is skipped. A symlink, socket, fifo or device anywhere is an error, as is a
/// name that cannot be an artifact path.
pub fn scan(root: &Path) -> Result<Vec<ScannedFile>> {
	let meta = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
	if !meta.is_dir() {
		return Err(Error::NotADirectory { path: root.to_path_buf() });
	}
	let mut files = Vec::new();
	let walker = walkdir::WalkDir::new(root)
		.follow_links(false)
		.min_depth(1)
		.into_iter()
		.filter_entry(|entry| !(entry.depth() == 1 && entry.file_name() == ZOO_DIR));
	for entry in walker {
		let entry = entry.map_err(|e| {
			let path = e.path().unwrap_or(root).to_path_buf();
			Error::io(path, e.into())
		})?;
		let file_type = entry.file_type();
		if file_type.is_dir() {
			continue;
		}
		if !file_type.is_file() {
			return Err(Error::SpecialFile { path: entry.path().to_path_buf(), kind: kind_name(&file_type) });
		}
		let relative = entry.path().strip_prefix(root).expect("walkdir yields paths under root; qed");
		let path =
			artifact_path(relative).map_err(|reason| Error::BadPath { path: entry.path().to_path_buf(), reason })?;
		let meta = entry.metadata().map_err(|e| Error::io(entry.path(), e.into()))?;
		files.push(ScannedFile {
			path,
			full_path: entry.path().to_path_buf(),
			size: meta.len(),
			mtime_ns: mtime_ns(&meta),
		});
	}
	// Byte order of the UTF-8 paths is the manifest's canonical order.
	files.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
	Ok(files)
}

/// Modification time of `meta` in nanoseconds since the epoch, 0 if unavailable.
pub fn mtime_ns(meta: &Metadata) -> u128 {
	meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos())
}

/// Turn a relative filesystem path into an artifact path, or say why it cannot be one.
pub fn artifact_path(relative: &Path) -> std::result::Result<String, String> {
	let mut parts = Vec::new();
	for component in relative.components() {
		let std::path::Component::Normal(part) = component else {
			return Err("not a plain relative path".into());
		};
		let part = part.to_str().ok_or_else(|| "name is not valid UTF-8".to_string())?;
		if part.contains('\\') {
			// A backslash would mean a different path on Windows.
			return Err("name contains a backslash".into());
		}
		parts.push(part);
	}
	let path = parts.join("/");
	if path.len() > MAX_PATH_LEN as usize {
		return Err(format!("longer than {MAX_PATH_LEN} bytes"));
	}
	validate_path(path.as_bytes()).map_err(|e| e.to_string())?;
	Ok(path)
}

fn kind_name(file_type: &std::fs::FileType) -> &'static str {
	use std::os::unix::fs::FileTypeExt;
	if file_type.is_symlink() {
		"symlink"
	} else if file_type.is_fifo() {
		"fifo"
	} else if file_type.is_socket() {
		"socket"
	} else if file_type.is_block_device() {
		"block device"
	} else if file_type.is_char_device() {
		"character device"
	} else {
		"special file"
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::fs;

	fn write(root: &Path, rel: &str, content: &[u8]) {
		let path = root.join(rel);
		fs::create_dir_all(path.parent().unwrap()).unwrap();
		fs::write(path, content).unwrap();
	}

	#[test]
	fn lists_regular_files_sorted_and_skips_zoo_dir() {
		let dir = tempfile::tempdir().unwrap();
		write(dir.path(), "b.txt", b"b");
		write(dir.path(), "a/z.bin", b"zz");
		write(dir.path(), "a/b/c.json", b"{}");
		write(dir.path(), ".zoo/config.json", b"{}");
		fs::create_dir_all(dir.path().join("empty")).unwrap();
		let files = scan(dir.path()).unwrap();
		let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
		assert_eq!(paths, ["a/b/c.json", "a/z.bin", "b.txt"]);
		assert_eq!(files[1].size, 2);
		// A `.zoo/` (or `.git/`) further down is not ours, and no artifact may be in one.
		write(dir.path(), "sub/.zoo/kept", b"not ours");
		assert!(matches!(scan(dir.path()), Err(Error::BadPath { .. })));
	}

	#[test]
	fn refuses_symlinks_naming_the_path() {
		let dir = tempfile::tempdir().unwrap();
		write(dir.path(), "real.bin", b"x");
		std::os::unix::fs::symlink(dir.path().join("real.bin"), dir.path().join("link.bin")).unwrap();
		let err = scan(dir.path()).unwrap_err();
		assert!(matches!(err, Error::SpecialFile { kind: "symlink", .. }), "{err}");
		assert!(err.to_string().contains("link.bin"), "{err}");
	}

	#[test]
	fn refuses_symlinked_directories() {
		let dir = tempfile::tempdir().unwrap();
		let other = tempfile::tempdir().unwrap();
		write(other.path(), "inside.bin", b"x");
		std::os::unix::fs::symlink(other.path(), dir.path().join("linked")).unwrap();
		assert!(matches!(scan(dir.path()), Err(Error::SpecialFile { kind: "symlink", .. })));
	}

	#[test]
	fn refuses_fifos_and_sockets() {
		let dir = tempfile::tempdir().unwrap();
		let fifo = dir.path().join("pipe");
		let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
		assert!(status.success());
		let err = scan(dir.path()).unwrap_err();
		assert!(matches!(err, Error::SpecialFile { kind: "fifo", .. }), "{err}");
		assert!(err.to_string().contains("pipe"));
		fs::remove_file(&fifo).unwrap();

		let _listener = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).unwrap();
		assert!(matches!(scan(dir.path()), Err(Error::SpecialFile { kind: "socket", .. })));
	}

	#[test]
	fn refuses_names_that_cannot_be_artifact_paths() {
		let dir = tempfile::tempdir().unwrap();
		write(dir.path(), "back\\slash", b"x");
		assert!(matches!(scan(dir.path()), Err(Error::BadPath { .. })));
	}

	#[test]
	fn artifact_paths_are_slash_separated_and_bounded() {
		assert_eq!(artifact_path(Path::new("a/b/c")).unwrap(), "a/b/c");
		assert!(artifact_path(Path::new("../a")).is_err());
		assert!(artifact_path(Path::new(&"x".repeat(300))).is_err());
	}

	#[test]
	fn root_must_be_a_directory() {
		let dir = tempfile::tempdir().unwrap();
		write(dir.path(), "f", b"x");
		assert!(matches!(scan(&dir.path().join("f")), Err(Error::NotADirectory { .. })));
		assert!(matches!(scan(&dir.path().join("missing")), Err(Error::Io { .. })));
	}
}
