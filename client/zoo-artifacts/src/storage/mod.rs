//! Moving artifacts between the places people keep them and a working directory, trusting no
//! byte that has not been checked against the manifest.
//!
//! - [`location`]: what an artifact URI names (`file://`, `s3://`, `http(s)://`, `ipfs://`).
//! - [`remote`]: a workspace's named remotes (`zoo remote add`) and their content-addressed
//!   layout: an artifact is stored under its digest (`<prefix>/sha2-256/1c/59b8...`), so identical
//!   files are stored once and any remote can serve any version that has the file.
//! - [`transport`]: object stores for locations (S3, HTTP and files through `object_store`).
//! - [`fetch`]: one artifact streamed into a partial file while it is hashed, resumed after an
//!   interruption (a range request pinned to the object's ETag, the hash state checkpointed),
//!   tried against mirrors when a source fails, and handed over only once it verified.
//! - [`push`]: uploads (multipart for big files, skipping what a remote already has).
//! - [`ipfs`]: a kubo-compatible RPC endpoint to add to, a gateway to read from.

pub mod fetch;
pub mod ipfs;
pub mod push;
pub mod remote;
pub mod transport;

pub use fetch::FetchReport;
pub use remote::{Remote, RemoteKind, RemoteSettings};
pub use zoo_types::location::{self, Location, is_loopback_host};

/// Why a storage operation failed.
#[derive(thiserror::Error, Debug)]
pub enum StorageError {
	/// An artifact URI or remote URL is not one the client can use.
	#[error("{uri}: {reason}")]
	BadUri {
		/// The URI as given.
		uri: String,
		/// What is wrong with it.
		reason: String,
	},
	/// A remote name is not usable.
	#[error("remote {name:?}: {reason}")]
	BadRemote {
		/// The name.
		name: String,
		/// What is wrong.
		reason: String,
	},
	/// No remote has this name.
	#[error("no remote named {0:?} (see `zoo remote list`)")]
	UnknownRemote(String),
	/// S3 needs credentials the environment and the AWS files do not give.
	#[error(
		"{uri}: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile of ~/.aws/credentials (remote --profile, or AWS_PROFILE), or AWS_SKIP_SIGNATURE=true for a public bucket"
	)]
	NoCredentials {
		/// The location that needed them.
		uri: String,
	},
	/// A named AWS profile is not in the shared credentials file.
	#[error("AWS profile {profile:?}: {reason}")]
	Profile {
		/// The profile.
		profile: String,
		/// What is wrong.
		reason: String,
	},
	/// An `ipfs://` URI was met but no gateway is configured.
	#[error(
		"{uri}: no IPFS gateway: add an IPFS remote (`zoo remote add NAME ipfs+http://HOST:PORT`) or set ZOO_IPFS_GATEWAY"
	)]
	NoGateway {
		/// The URI.
		uri: String,
	},
	/// The remote cannot be written to.
	#[error("remote {name} ({url}) is read-only: push to an s3://, file:// or IPFS remote")]
	ReadOnly {
		/// The remote's name.
		name: String,
		/// Its URL.
		url: String,
	},
	/// Talking to the storage failed.
	#[error("{uri}: {detail}")]
	Transfer {
		/// What was being read or written.
		uri: String,
		/// What went wrong.
		detail: String,
	},
	/// A local file could not be read or written.
	#[error("{}: {source}", path.display())]
	Io {
		/// The file.
		path: std::path::PathBuf,
		/// The error.
		source: std::io::Error,
	},
}

impl From<zoo_types::BadUri> for StorageError {
	fn from(error: zoo_types::BadUri) -> Self {
		Self::BadUri { uri: error.uri, reason: error.reason }
	}
}

impl StorageError {
	pub(crate) fn bad_uri(uri: &str, reason: impl Into<String>) -> Self {
		Self::BadUri { uri: uri.to_owned(), reason: reason.into() }
	}

	pub(crate) fn transfer(uri: &str, detail: impl std::fmt::Display) -> Self {
		Self::Transfer { uri: uri.to_owned(), detail: detail.to_string() }
	}

	pub(crate) fn io(path: impl Into<std::path::PathBuf>, source: std::io::Error) -> Self {
		Self::Io { path: path.into(), source }
	}
}

/// A file as a stream of chunks of up to 1 MiB, read as the stream is polled (so memory stays
/// at one chunk in flight per reader).
pub(crate) fn file_chunks(file: std::fs::File) -> impl futures::Stream<Item = std::io::Result<bytes::Bytes>> + Send {
	futures::stream::unfold(Some(file), |file| async move {
		let mut file = file?;
		let mut buffer = vec![0u8; 1 << 20];
		match std::io::Read::read(&mut file, &mut buffer) {
			Ok(0) => None,
			Ok(n) => {
				buffer.truncate(n);
				Some((Ok(bytes::Bytes::from(buffer)), Some(file)))
			}
			Err(e) => Some((Err(e), None)),
		}
	})
}

/// Install the process-wide TLS provider (ring) that the HTTP and S3 clients use. Idempotent.
pub fn install_tls_provider() {
	// Fails only when a provider is already installed, which is what we want anyway.
	let _ = rustls::crypto::ring::default_provider().install_default();
}
