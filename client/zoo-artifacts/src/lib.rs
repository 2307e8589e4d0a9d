//! # zoo-artifacts
//!
//! The artifact plumbing: everything that touches artifact bytes, and nothing that touches the
//! chain. It knows manifests' digests and locations (from `zoo-primitives` and `zoo-types`),
//! never the node, the workspace or the command line.
//!
//! Modules, from the bottom up:
//! - [`fs`]: open a file only if it is a regular file;
//! - [`scan`]: list the files of a directory, refusing anything that is not a regular file;
//! - [`unixfs`]: IPFS UnixFS CIDs of files (the `unixfs-v1-2025` profile);
//! - [`hashing`]: digest files (streaming, parallel, optionally sharded, with the UnixFS CID);
//! - [`progress`]: progress as [`progress::Reporter`] traits a front end implements;
//! - [`seal`]: encrypt artifacts with age for their owner, re-wrap keys for licensees;
//! - [`storage`]: remotes, object stores (S3, HTTP, files, IPFS), pushes, and fetches verified
//!   while they stream and resumed after an interruption;
//! - [`error`]: [`FileError`], the file-system failures of scanning, opening and hashing.

pub mod error;
pub mod fs;
pub mod hashing;
pub mod progress;
pub mod scan;
pub mod seal;
pub mod storage;
pub mod unixfs;

pub use error::{FileError, Result};
pub use progress::{Reporter, Silent};
