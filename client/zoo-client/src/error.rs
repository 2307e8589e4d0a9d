//! The library's error type.
//!
//! Every variant names the path, argument or value it is about, so the CLI can print it as one
//! line and the user knows what to fix.

use crate::chain::ChainError;
use std::path::PathBuf;
use zoo_artifacts::FileError;
use zoo_primitives::ManifestError;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong in the client library.
#[derive(thiserror::Error, Debug)]
pub enum Error {
	/// A file could not be read, written, scanned or hashed (see [`FileError`]).
	#[error(transparent)]
	File(#[from] FileError),
	/// A command-line value or option is malformed.
	#[error("{0}")]
	InvalidInput(String),
	/// A manifest is not canonical or well formed.
	#[error("invalid manifest: {0}")]
	Manifest(#[from] ManifestError),
	/// The directory has no `.zoo/` or it cannot be read.
	#[error("{0}")]
	Workspace(String),
	/// A key could not be found, created or parsed.
	#[error("{0}")]
	Key(String),
	/// The keystore directory or a key file is open to other users (or not the user's own).
	#[error("{}: {problem}; keys must be private to you: run `chmod {fix} {}` (and check who owns it)", path.display(), path.display())]
	KeyPermissions {
		/// The directory or key file.
		path: PathBuf,
		/// What is wrong (`mode 0644 lets others read or change it`, ...).
		problem: String,
		/// The mode to set: `700` for the directory, `600` for a key file.
		fix: &'static str,
	},
	/// Checkout refused or failed.
	#[error("{0}")]
	Checkout(String),
	/// Checkout would have to go through, or replace, something it must not touch.
	#[error("cannot check out into {}: {} {problem}; nothing was placed", target.display(), path.display())]
	CheckoutConflict {
		/// The target directory.
		target: PathBuf,
		/// The path inside it (or the target itself).
		path: PathBuf,
		/// What is wrong with it.
		problem: &'static str,
	},
	/// Talking to the chain failed.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// Moving artifacts to or from storage failed.
	#[error(transparent)]
	Storage(#[from] zoo_artifacts::storage::StorageError),
	/// Some artifacts could not be fetched from any of their sources.
	#[error("{}", fetch_failures(.0))]
	Fetch(Vec<zoo_artifacts::storage::fetch::ArtifactFailure>),
	/// A sealed artifact could not be sealed, opened or re-wrapped.
	#[error("{path}: {source}")]
	Seal {
		/// The artifact's path.
		path: String,
		/// What went wrong.
		source: zoo_artifacts::seal::SealError,
	},
	/// Sealed keys would be released on the unproven word of an RPC node (audit A3-01): the node
	/// would choose whom they are wrapped for, and receive them in the transaction.
	#[error(
		"not releasing keys on the word of {node}: over RPC its answers (the grant, the recipient key) are not \
		 proven, and a lying node would get the keys wrapped for itself; use --light, or --trust-node if you \
		 run this node yourself; nothing was sent"
	)]
	UnprovenReads {
		/// The node, as the connection names it.
		node: String,
	},
	/// A sealed version was asked for without a key for one of its artifacts.
	#[error("{path} is sealed and no key to open it was given; nothing was placed")]
	NoSealKey {
		/// The artifact's path.
		path: String,
	},
}

fn fetch_failures(failures: &[zoo_artifacts::storage::fetch::ArtifactFailure]) -> String {
	let each: Vec<String> = failures.iter().map(ToString::to_string).collect();
	format!("could not fetch {} artifact(s): {}; nothing was placed", failures.len(), each.join("; "))
}

impl From<zoo_artifacts::seal::SealFileError> for Error {
	fn from(error: zoo_artifacts::seal::SealFileError) -> Self {
		use zoo_artifacts::seal::SealFileError;
		match error {
			SealFileError::File(error) => Self::File(error),
			SealFileError::Seal { path, source } => Self::Seal { path, source },
		}
	}
}

impl From<zoo_types::InvalidValue> for Error {
	fn from(error: zoo_types::InvalidValue) -> Self {
		Self::InvalidInput(error.0)
	}
}

impl Error {
	/// Wrap an I/O error with the path it concerns.
	pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
		Self::File(FileError::io(path, source))
	}
}
