//! Runtime upgrades: the code a motion authorizes, the authorization (`System::
//! AuthorizedUpgrade`), and supplying the code once authorized (`System::
//! apply_authorized_upgrade`, which anyone may call, free when the code is the authorized one).
//!
//! The council authorizes an upgrade with one two-thirds motion
//! ([`Chain::propose_upgrade`](crate::Chain::propose_upgrade)); the code itself never goes
//! through a motion, only its hash: blake2-256 of the blob as the chain stores it (`:code`),
//! which for a runtime built by Substrate is the zstd-compressed
//! `<runtime>.compact.compressed.wasm`.

use super::{Chain, ChainError, Submitted, rpc, runtime};
use serde::Serialize;
use std::fmt;
use subxt::{config::Hasher, utils::H256};
use subxt_signer::sr25519::Keypair;

/// The first bytes of a WebAssembly module.
const WASM_MAGIC: [u8; 4] = *b"\0asm";
/// The first bytes of a zstd-compressed blob as Substrate compresses runtimes
/// (`sp_maybe_compressed_blob::ZSTD_PREFIX`).
const ZSTD_PREFIX: [u8; 8] = [82, 188, 83, 118, 70, 219, 142, 5];

/// blake2-256 of `bytes`: the hash the runtime gives code and calls.
pub fn blake2_256(bytes: &[u8]) -> [u8; 32] {
	subxt::config::substrate::BlakeTwo256.hash(bytes).0
}

/// A runtime code hash (blake2-256 of the code as the chain stores it); `0x` hex in text and
/// JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeHash(pub [u8; 32]);

impl fmt::Display for CodeHash {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "0x{}", hex::encode(self.0))
	}
}

impl Serialize for CodeHash {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(self)
	}
}

/// Runtime code: a WebAssembly module, or one compressed as Substrate compresses runtimes.
/// Anything else is refused when it is read ([`RuntimeCode::new`]), before a motion or a
/// transaction carries its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct RuntimeCode {
	bytes: Vec<u8>,
}

impl fmt::Debug for RuntimeCode {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "RuntimeCode({} bytes, {})", self.bytes.len(), self.hash())
	}
}

impl RuntimeCode {
	/// `bytes` as runtime code, if they start as a WebAssembly module (`\0asm`) or as a
	/// zstd-compressed runtime (Substrate's 8-byte prefix); else why not.
	pub fn new(bytes: Vec<u8>) -> Result<RuntimeCode, &'static str> {
		if bytes.starts_with(&WASM_MAGIC) || bytes.starts_with(&ZSTD_PREFIX) {
			Ok(RuntimeCode { bytes })
		} else {
			Err("neither a WebAssembly module (\\0asm) nor a compressed runtime (a .compact.compressed.wasm)")
		}
	}

	/// Whether it is compressed (what a chain normally stores).
	pub fn compressed(&self) -> bool {
		self.bytes.starts_with(&ZSTD_PREFIX)
	}

	/// Its size in bytes.
	pub fn len(&self) -> usize {
		self.bytes.len()
	}

	/// Whether it is empty (never: it has at least its magic bytes).
	pub fn is_empty(&self) -> bool {
		self.bytes.is_empty()
	}

	/// Its hash: what `System::authorize_upgrade` takes and `System::AuthorizedUpgrade` keeps.
	pub fn hash(&self) -> CodeHash {
		CodeHash(blake2_256(&self.bytes))
	}

	/// The code.
	pub fn bytes(&self) -> &[u8] {
		&self.bytes
	}
}

/// An authorized upgrade (`System::AuthorizedUpgrade`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpgradeAuthorization {
	/// The hash of the code that may be applied.
	pub code_hash: CodeHash,
	/// Whether the code's spec name must stay and its spec version rise (always, for an
	/// upgrade authorized with `authorize_upgrade`).
	pub check_version: bool,
}

/// An upgrade applied: what `zoo council apply-upgrade` answers.
#[derive(Debug, Clone, Serialize)]
pub struct UpgradeApplied {
	/// The code's hash.
	pub code_hash: CodeHash,
	/// Where the transaction landed (the new runtime runs from the next block).
	pub block: Submitted,
}

impl Chain {
	/// The upgrade authorized now, if any.
	pub async fn authorized_upgrade(&self) -> Result<Option<UpgradeAuthorization>, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let value = self
			.within(async {
				at.storage().try_fetch(runtime::storage().system().authorized_upgrade(), ()).await.map_err(rpc)
			})
			.await?;
		let Some(value) = value else { return Ok(None) };
		let authorization = value.decode().map_err(rpc)?;
		Ok(Some(UpgradeAuthorization {
			code_hash: CodeHash(authorization.code_hash.0),
			check_version: authorization.check_version,
		}))
	}

	/// The most bytes a block holds for an operational transaction (`System::BlockLength`), the
	/// class `apply_authorized_upgrade` is dispatched in.
	pub async fn max_operational_length(&self) -> Result<u32, ChainError> {
		let at = self.within(self.reads_at()).await?;
		let length = at
			.constants()
			.entry(runtime::constants().system().block_length())
			.map_err(|error| ChainError::Incompatible(error.to_string()))?;
		Ok(length.max.operational)
	}

	/// Supply `code` for the authorized upgrade (`System::apply_authorized_upgrade`; anyone may,
	/// and it is free when the code is the authorized one). The chain checks the code's runtime
	/// version: one that does not raise the spec version is refused (and the authorization is
	/// spent), which is [`ChainError::Rejected`] with the reason here, although the chain
	/// counts the transaction as successful.
	pub async fn apply_authorized_upgrade(
		&self,
		signer: &Keypair,
		code: &RuntimeCode,
	) -> Result<UpgradeApplied, ChainError> {
		let tx = runtime::transactions().system().apply_authorized_upgrade(code.bytes().to_vec());
		let (block, events) = self.submit_with_events(signer, &tx).await?;
		if let Some(rejected) = events.find_first::<runtime::system::events::RejectedInvalidAuthorizedUpgrade>() {
			let rejected = rejected.map_err(|error| rpc(format!("undecodable event: {error}")))?;
			let (name, docs) = self.dispatch_error_name(&rejected.error).await;
			return Err(ChainError::Rejected { name, docs });
		}
		if events.find_first::<runtime::system::events::CodeUpdated>().is_none() {
			return Err(ChainError::Incompatible(
				"the upgrade transaction succeeded but the chain reported no new code".to_owned(),
			));
		}
		Ok(UpgradeApplied { code_hash: code.hash(), block })
	}
}

/// The hash of an encoded call (blake2-256, as `Whitelist::whitelist_call` takes it).
pub(crate) fn call_hash(encoded_call: &[u8]) -> H256 {
	H256(blake2_256(encoded_call))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn runtime_code_is_wasm_or_compressed_wasm() {
		assert!(RuntimeCode::new(b"\0asm\x01\0\0\0".to_vec()).is_ok_and(|code| !code.compressed()));
		let compressed = [ZSTD_PREFIX.as_slice(), b"anything"].concat();
		assert!(RuntimeCode::new(compressed).is_ok_and(|code| code.compressed()));
		assert!(RuntimeCode::new(b"#!/bin/sh\n".to_vec()).is_err());
		assert!(RuntimeCode::new(Vec::new()).is_err());
		assert!(RuntimeCode::new(ZSTD_PREFIX[..7].to_vec()).is_err());
	}

	#[test]
	fn code_hashes_are_blake2_256() {
		// blake2b-256 of the empty input and of "abc" (RFC 7693's test input).
		assert_eq!(hex::encode(blake2_256(b"")), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
		assert_eq!(hex::encode(blake2_256(b"abc")), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
		let code = RuntimeCode::new(b"\0asm".to_vec()).unwrap();
		assert_eq!(code.hash().to_string(), format!("0x{}", hex::encode(blake2_256(b"\0asm"))));
		assert_eq!(serde_json::to_value(code.hash()).unwrap(), code.hash().to_string());
	}
}
