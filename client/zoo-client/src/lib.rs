//! # zoo-client
//!
//! The library behind the `zoo` command: everything the client does on the local machine
//! (scanning and hashing a directory, building the canonical [`Manifest`], tracking a working
//! directory, moving artifacts to and from storage, sealing them, verifying and checking out
//! versions, keeping signing keys). It sits on the lower crates and re-exports them at the
//! paths they always had:
//! - [`chain`]: `zoo-chain`, the connection to a node, one module per pallet;
//! - [`fs`], [`scan`], [`unixfs`], [`hashing`], [`seal`], [`storage`], [`progress`]:
//!   `zoo-artifacts`, the artifact plumbing (files, digests, UnixFS CIDs, sealing, object stores,
//!   progress reporter traits);
//! - [`args`], [`amount`], [`output`]: `zoo-types`, the shared values.
//!
//! Its own modules:
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
pub mod graph;
pub mod key_release;
pub mod keys;
pub mod manifest_build;
pub mod verify;
pub mod workspace;

pub use error::{Error, Result};
/// The artifact plumbing, at the paths it had before it moved to `zoo-artifacts`.
pub use zoo_artifacts::{fs, hashing, progress, scan, seal, storage, unixfs};
/// The chain client, at the path it had before it moved to `zoo-chain`.
pub use zoo_chain as chain;
/// The shared values, at the paths they had before they moved to `zoo-types`.
pub use zoo_types::{amount, args, output};
