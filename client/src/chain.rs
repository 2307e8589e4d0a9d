//! Reads and transactions against a Zoo node.
//!
//! Placeholder: every call returns [`ChainError::Unavailable`] until the subxt implementation
//! (generated from the runtime metadata) replaces the bodies. The rest of the client is written
//! against exactly this API.

use subxt_signer::sr25519::Keypair;
use zoo_primitives::{Manifest, VersionId};

/// A connection to a node.
pub struct Chain {
	/// The node's URL, kept for messages.
	#[allow(dead_code)]
	url: String,
}

/// A model as stored on chain.
#[derive(Debug, Clone)]
pub struct ModelInfo {
	/// `org/name`.
	pub name: String,
	/// Owner account (SS58).
	pub owner: String,
	/// Deposit held from the owner.
	pub deposit: u128,
	/// Number of versions committed.
	pub version_count: u32,
	/// Maintainers: account (SS58) and role name.
	pub maintainers: Vec<(String, String)>,
}

/// A committed version: its manifest and the record beside it.
#[derive(Debug, Clone)]
pub struct VersionRecord {
	/// The content ID.
	pub id: VersionId,
	/// The manifest.
	pub manifest: Manifest,
	/// Who submitted it (SS58).
	pub committer: String,
	/// Block it was committed in.
	pub block: u32,
	/// Deposit held for it.
	pub deposit: u128,
	/// The yank reason, if the version was yanked.
	pub yanked: Option<String>,
}

/// A finalized transaction.
#[derive(Debug, Clone)]
pub struct Submitted {
	/// Number of the block that included it.
	pub block_number: u32,
	/// Hash of that block (`0x...`).
	pub block_hash: String,
}

/// Why a chain call failed.
#[derive(thiserror::Error, Debug)]
pub enum ChainError {
	/// This build has no chain connection yet.
	#[error("chain access is not available in this build of zoo")]
	Unavailable,
	/// The node could not be reached.
	#[error("cannot reach node at {url}: {reason}")]
	Connect {
		/// The node URL.
		url: String,
		/// Why.
		reason: String,
	},
	/// The chain rejected the transaction.
	#[error("transaction rejected: {name}: {docs}")]
	Rejected {
		/// The pallet error's name.
		name: String,
		/// Its documentation.
		docs: String,
	},
	/// Any other RPC failure.
	#[error("rpc error: {0}")]
	Rpc(String),
}

impl Chain {
	/// Connect to the node at `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Chain, ChainError> {
		let _ = Chain { url: url.to_owned() };
		Err(ChainError::Unavailable)
	}

	/// A model by name; `None` if it does not exist.
	pub async fn model(&self, _name: &str) -> Result<Option<ModelInfo>, ChainError> {
		Err(ChainError::Unavailable)
	}

	/// A version by ID; `None` if it does not exist.
	pub async fn version(&self, _id: VersionId) -> Result<Option<VersionRecord>, ChainError> {
		Err(ChainError::Unavailable)
	}

	/// IDs of a model's versions, newest first, skipping `start` and returning at most `limit`.
	pub async fn versions(&self, _model: &str, _start: u32, _limit: u32) -> Result<Vec<VersionId>, ChainError> {
		Err(ChainError::Unavailable)
	}

	/// Create a model owned by `signer`; returns once the block is finalized.
	pub async fn create_model(&self, _signer: &Keypair, _name: &str) -> Result<Submitted, ChainError> {
		Err(ChainError::Unavailable)
	}

	/// Commit a version; returns once the block is finalized.
	pub async fn commit(&self, _signer: &Keypair, _manifest: &Manifest) -> Result<Submitted, ChainError> {
		Err(ChainError::Unavailable)
	}
}
