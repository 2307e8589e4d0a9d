//! # zoo-client
//!
//! The library behind the `zoo` command: everything the client does on the local machine
//! (scanning and hashing a directory, building the canonical [`Manifest`], tracking a working
//! directory, verifying and checking out versions, keeping signing keys) plus [`chain`], the
//! connection to a Zoo node.
//!
//! Each module does one thing:
//! - [`args`]: command-line values (names, version IDs, parents, metrics, tags, licence,
//!   message, hashing, URI prefix, licence terms' kinds and shares) parsed once into types;
//! - [`amount`]: ZOO amounts and percentages, exact, parsed and shown;
//! - [`scan`]: list the files of a directory, refusing anything that is not a regular file;
//! - [`hashing`]: digest files (streaming, parallel, optionally sharded);
//! - [`manifest_build`]: turn scanned and hashed files plus commit options into a manifest;
//! - [`workspace`]: the `.zoo/` directory (`zoo init`, `zoo status`);
//! - [`verify`]: compare a directory with a manifest;
//! - [`checkout`]: fetch a version's artifacts into a directory, verified before they land;
//! - [`diff`]: compare two manifests;
//! - [`graph`]: draw a version DAG like `git log --graph`;
//! - [`keys`]: the local keystore;
//! - [`output`]: JSON renderings for `--json`, and text made safe for a terminal;
//! - [`chain`]: reads and transactions against a node, checking what it says where it can,
//!   split by pallet ([`chain::registry`], [`chain::lineage`], [`chain::licensing`],
//!   [`chain::attestations`], [`chain::curation`], [`chain::council`]), and [`chain::watch`], the
//!   finalized event stream.
//!
//! [`Manifest`]: zoo_primitives::Manifest

pub mod amount;
pub mod args;
pub mod chain;
pub mod checkout;
pub mod diff;
pub mod error;
pub mod graph;
pub mod hashing;
pub mod key_release;
pub mod keys;
pub mod manifest_build;
pub mod output;
pub mod scan;
pub mod seal;
pub mod storage;
pub mod unixfs;
pub mod verify;
pub mod workspace;

pub use error::{Error, Result};
