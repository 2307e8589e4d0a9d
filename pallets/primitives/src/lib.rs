//! # Zoo primitives
//!
//! The types that the Zoo runtime and the `zoo` client share, so that both compute a version's
//! content ID with the same code:
//!
//! - [`Manifest`]: what a model version *is*: the model it belongs to, its parents (typed edges),
//!   its artifacts (path, kind, size, digest, storage URI), metrics, license, tags, message and
//!   the hashing settings needed to recompute the digests. Every collection is bounded.
//! - [`VersionId`]: the content ID of a manifest. It is the sha2-256 digest of the manifest's
//!   SCALE bytes; its text form is a CIDv1 with the `raw` codec (0x55) and a sha2-256
//!   multihash, printed in base32 (`bafkrei...`), so an IPFS node holding the manifest bytes as a
//!   raw block serves them under the same CID.
//! - [`ModelName`] and [`OrgName`] rules and their confusable skeleton, [`RefName`] rules and
//!   [`MetricValue`] fixed-point numbers.
//! - [`Role`] and [`OrgRole`]: who may do what on a model and in an organisation.
//! - [`is_small_order_x25519`]: the sealing recipient keys nothing can be wrapped to.
//! - [`VersionGraph`], [`ModelAccess`], [`VersionInspect`] and the other traits the pallets
//!   couple through.
//! - `testing` (the `testing` feature): a `ManifestBuilder` for tests.
//!
//! A manifest is *canonical* when [`Manifest::validate`] accepts it: artifacts sorted by path,
//! metrics by name and tags by key, with no duplicates. The runtime only stores canonical
//! manifests, so one directory state has exactly one ID.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod id;
mod manifest;
mod metric;
mod name;
mod recipient;
mod role;
mod traits;

#[cfg(feature = "testing")]
pub mod testing;

pub use id::*;
pub use manifest::*;
pub use metric::*;
pub use name::*;
pub use recipient::*;
pub use role::*;
pub use traits::*;
