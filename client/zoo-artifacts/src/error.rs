//! The file-system errors of this layer (scanning, opening, hashing). Storage and sealing have
//! their own ([`crate::storage::StorageError`], [`crate::seal::SealError`]); `zoo-client`'s
//! error wraps all of them. Every variant names the path it is about.

use std::path::PathBuf;

/// Result with [`FileError`].
pub type Result<T, E = FileError> = std::result::Result<T, E>;

/// Why a file or directory could not be scanned, opened or hashed.
#[derive(thiserror::Error, Debug)]
pub enum FileError {
	/// Reading or writing a file failed.
	#[error("{}: {source}", path.display())]
	Io {
		/// The file or directory.
		path: PathBuf,
		/// The underlying error.
		source: std::io::Error,
	},
	/// A directory entry is not a regular file or directory (symlink, socket, fifo, device).
	#[error("{}: is a {kind}; zoo only commits regular files (remove it or move it out of the directory)", path.display())]
	SpecialFile {
		/// The offending entry.
		path: PathBuf,
		/// What it is (`symlink`, `fifo`, ...).
		kind: &'static str,
	},
	/// A file name cannot be an artifact path (not UTF-8, `\`, too long, ...).
	#[error("{}: cannot be an artifact path: {reason}", path.display())]
	BadPath {
		/// The offending path.
		path: PathBuf,
		/// Why.
		reason: String,
	},
	/// A file changed between being listed and being hashed.
	#[error("{}: changed while it was being hashed; try again", path.display())]
	ChangedWhileHashing {
		/// The file.
		path: PathBuf,
	},
	/// A local source is not a regular file (a device, fifo, directory, ...).
	#[error("{}: not a regular file; refusing to read it", file.display())]
	SourceNotRegular {
		/// The file.
		file: PathBuf,
	},
	/// What should be a directory is not one.
	#[error("{}: not a directory", path.display())]
	NotADirectory {
		/// The path.
		path: PathBuf,
	},
}

impl FileError {
	/// Wrap an I/O error with the path it concerns.
	pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
		Self::Io { path: path.into(), source }
	}
}
