//! # zoo-chain-api
//!
//! The Zoo chain's API as subxt generates it from the runtime metadata in `metadata/zoo.scale`
//! (checked in; `make metadata` regenerates it, and a runtime test fails when it is stale):
//! calls (`runtime::tx()`), storage, events, view functions and every type the runtime uses.
//!
//! It is a crate of its own so that the generated code (tens of thousands of lines) is expanded
//! and type-checked once, not on every edit of the crates above it (subxt's own advice), and so
//! that tools needing only the chain's API (`zoo-bench`) link nothing else. Hand-written code
//! belongs in `zoo-chain`, the typed client built on this.
//!
//! The manifest, version ID and the other shared values are substituted with the
//! `zoo-primitives` types the runtime itself uses, so the client encodes exactly the bytes the
//! runtime hashes.
#![allow(missing_docs)]

/// Code generated from the runtime metadata.
#[subxt::subxt(
	runtime_metadata_path = "metadata/zoo.scale",
	substitute_type(
		path = "zoo_primitives::manifest::Manifest",
		with = "::subxt::utils::Static<::zoo_primitives::Manifest>"
	),
	substitute_type(
		path = "zoo_primitives::id::VersionId",
		with = "::subxt::utils::Static<::zoo_primitives::VersionId>"
	),
	substitute_type(
		path = "zoo_primitives::manifest::Parent",
		with = "::subxt::utils::Static<::zoo_primitives::Parent>"
	),
	substitute_type(
		path = "zoo_primitives::manifest::EdgeKind",
		with = "::subxt::utils::Static<::zoo_primitives::EdgeKind>"
	),
	substitute_type(path = "zoo_primitives::role::Role", with = "::subxt::utils::Static<::zoo_primitives::Role>"),
	substitute_type(
		path = "zoo_primitives::role::OrgRole",
		with = "::subxt::utils::Static<::zoo_primitives::OrgRole>"
	),
	substitute_type(
		path = "zoo_primitives::manifest::License",
		with = "::subxt::utils::Static<::zoo_primitives::License>"
	),
	substitute_type(
		path = "zoo_primitives::manifest::Metric",
		with = "::subxt::utils::Static<::zoo_primitives::Metric>"
	),
	substitute_type(
		path = "zoo_primitives::metric::MetricValue",
		with = "::subxt::utils::Static<::zoo_primitives::MetricValue>"
	)
)]
pub mod runtime {}

/// The runtime metadata the code above was generated from (`metadata/zoo.scale`, SCALE-encoded
/// `RuntimeMetadataPrefixed`): what `zoo-chain` compares a node's runtime with before it signs
/// anything, and where it reads the runtime version this client was built for (the `System`
/// pallet's `Version` constant).
pub const METADATA: &[u8] = include_bytes!("../metadata/zoo.scale");
