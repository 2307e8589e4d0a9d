//! # zoo-types
//!
//! The client's vocabulary: values that every layer above shares and that need nothing but
//! parsing and display (no chain connection, no file system, no network). The chain client
//! (`zoo-chain`), the artifact plumbing and the porcelain (`zoo-client`) all speak these types,
//! so none of them has to reach into another for a value.
//!
//! Modules:
//! - [`args`]: names (model, organisation, ref), parents, metrics, tags, licence, message,
//!   hashing choices, URI prefixes, licence kinds and shares, each parsed once from text and
//!   checked against the chain's rules (clap's value parsers call these);
//! - [`amount`]: ZOO amounts and percentages, exact, parsed and shown;
//! - [`policy`]: promotion-policy values (direction, measure, threshold);
//! - [`location`]: what an artifact URI names, loopback hosts, an artifact's UnixFS CID;
//! - [`recipient`]: the `age1...` text of a sealing recipient;
//! - [`output`]: `--json` serializers for chain values, and text made safe for a terminal;
//! - [`error`]: [`InvalidValue`] and [`BadUri`].

pub mod amount;
pub mod args;
pub mod error;
pub mod location;
pub mod output;
pub mod policy;
pub mod recipient;

pub use error::{BadUri, InvalidValue, Result};
pub use recipient::SealRecipient;
