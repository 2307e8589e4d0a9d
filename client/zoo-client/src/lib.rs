//! # zoo-client
//!
//! The library behind the `zoo` command: everything the client does on the local machine
//! (scanning and hashing a directory, building the canonical [`Manifest`], tracking a working
//! directory, moving artifacts to and from storage, sealing them, verifying and checking out
//! versions, keeping signing keys). It sits on the lower crates and re-exports them at the
//! paths they always had: [`chain`] (`zoo-chain`, the connection to a node, one module per
//! pallet), and [`args`], [`amount`] and [`output`] (`zoo-types`, the shared values).
//!
//! Modules, from the bottom up:
//! - [`fs`]: open a file only if it is a regular file;
//! - [`scan`]: list the files of a directory, refusing anything that is not a regular file;
//! - [`unixfs`]: IPFS UnixFS CIDs of files (the `unixfs-v1-2025` profile);
//! - [`hashing`]: digest files (streaming, parallel, optionally sharded, with the UnixFS CID);
//! - [`seal`]: encrypt artifacts with age for their owner, re-wrap keys for licensees;
//! - [`storage`]: remotes, object stores (S3, HTTP, files, IPFS), pushes, and fetches verified
//!   while they stream and resumed after an interruption;
//! - [`manifest_build`]: turn scanned and hashed files plus commit options into a manifest;
//! - [`workspace`]: the `.zoo/` directory (`zoo init`, `zoo status`, remotes);
//! - [`verify`]: compare a directory with a manifest;
//! - [`checkout`]: fetch a version's artifacts into a directory, verified before they land;
//! - [`diff`]: compare two manifests;
//! - [`graph`]: draw a version DAG like `git log --graph`;
//! - [`keys`]: the local keystore;
//! - [`key_release`]: re-wrap a sealed version's keys for a licensee;
//! - [`error`]: the library's [`Error`].
//!
//! Where to start: `zoo commit` is `scan` → `hashing` → `manifest_build` → `chain`
//! (`Chain::commit`); `zoo checkout` is [`checkout::checkout`]; `zoo push` is
//! [`storage::push`].
//!
//! [`Manifest`]: zoo_primitives::Manifest

pub mod checkout;
pub mod diff;
pub mod error;
pub mod fs;
pub mod graph;
pub mod hashing;
pub mod key_release;
pub mod keys;
pub mod manifest_build;
pub mod scan;
pub mod seal;
pub mod storage;
pub mod unixfs;
pub mod verify;
pub mod workspace;

pub use error::{Error, Result};
/// The chain client, at the path it had before it moved to `zoo-chain`.
pub use zoo_chain as chain;
/// The shared values, at the paths they had before they moved to `zoo-types`.
pub use zoo_types::{amount, args, output};
