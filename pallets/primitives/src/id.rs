//! Content IDs of manifests.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sha2::{Digest as _, Sha256};

/// Multicodec code of the `raw` codec.
pub const RAW_CODEC: u8 = 0x55;
/// Multicodec code of the sha2-256 multihash.
pub const SHA2_256_CODE: u8 = 0x12;
/// Length of a sha2-256 digest.
pub const DIGEST_LEN: u8 = 32;
/// The bytes a CIDv1 (raw, sha2-256) puts before the digest: version, codec, hash code, length.
pub const CID_PREFIX: [u8; 4] = [0x01, RAW_CODEC, SHA2_256_CODE, DIGEST_LEN];

/// The content ID of a version: sha2-256 of the manifest's SCALE encoding.
///
/// On chain the ID is kept as the bare 32-byte digest; the CID prefix is fixed, so
/// [`VersionId::to_cid_bytes`] and the text form are pure functions of it.
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct VersionId(pub [u8; 32]);

impl VersionId {
	/// The ID of a manifest given its SCALE bytes.
	pub fn of_bytes(manifest_bytes: &[u8]) -> Self {
		Self(Sha256::digest(manifest_bytes).into())
	}

	/// The binary CIDv1: prefix followed by the digest.
	pub fn to_cid_bytes(&self) -> [u8; 36] {
		let mut out = [0u8; 36];
		out[..4].copy_from_slice(&CID_PREFIX);
		out[4..].copy_from_slice(&self.0);
		out
	}

	/// Parse a binary CID; only CIDv1 with the raw codec and a sha2-256 multihash is a version ID.
	pub fn from_cid_bytes(bytes: &[u8]) -> Result<Self, CidError> {
		if bytes.len() != 36 {
			return Err(CidError::WrongLength);
		}
		if bytes[0] != CID_PREFIX[0] {
			return Err(CidError::NotCidV1);
		}
		if bytes[1] != RAW_CODEC {
			return Err(CidError::NotRawCodec);
		}
		if bytes[2] != SHA2_256_CODE || bytes[3] != DIGEST_LEN {
			return Err(CidError::NotSha2_256);
		}
		let mut digest = [0u8; 32];
		digest.copy_from_slice(&bytes[4..]);
		Ok(Self(digest))
	}
}

/// Why a CID is not a Zoo version ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CidError {
	/// The text is not a multibase-encoded CID.
	Malformed,
	/// The CID is version 0 (or unknown); Zoo uses CIDv1.
	NotCidV1,
	/// The CID's codec is not `raw` (0x55).
	NotRawCodec,
	/// The CID's multihash is not sha2-256.
	NotSha2_256,
	/// The binary CID does not have the 36 bytes of a CIDv1 raw sha2-256.
	WrongLength,
}

impl core::fmt::Display for CidError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(match self {
			Self::Malformed => "not a valid CID",
			Self::NotCidV1 => "not a CIDv1 (Zoo version IDs are CIDv1)",
			Self::NotRawCodec => "CID codec is not raw (0x55)",
			Self::NotSha2_256 => "CID multihash is not sha2-256",
			Self::WrongLength => "CID is not 36 bytes (CIDv1, raw, sha2-256)",
		})
	}
}

#[cfg(feature = "std")]
mod text {
	use super::*;
	use cid::{Cid, multibase::Base};

	impl std::error::Error for CidError {}

	impl VersionId {
		/// The CID in base32 (`bafkrei...`), the form IPFS prints for CIDv1.
		pub fn to_cid_string(&self) -> String {
			let cid = Cid::try_from(&self.to_cid_bytes()[..]).expect("the fixed prefix is a valid CIDv1; qed");
			cid.to_string_of_base(Base::Base32Lower).expect("base32 is valid for CIDv1; qed")
		}

		/// Parse the text form of a CID (any multibase); it must be CIDv1, raw, sha2-256.
		pub fn from_cid_str(text: &str) -> Result<Self, CidError> {
			let cid = Cid::try_from(text.trim()).map_err(|_| CidError::Malformed)?;
			if cid.version() != cid::Version::V1 {
				return Err(CidError::NotCidV1);
			}
			if cid.codec() != u64::from(RAW_CODEC) {
				return Err(CidError::NotRawCodec);
			}
			if cid.hash().code() != u64::from(SHA2_256_CODE) || cid.hash().size() != DIGEST_LEN {
				return Err(CidError::NotSha2_256);
			}
			Self::from_cid_bytes(&cid.to_bytes())
		}
	}

	impl std::fmt::Display for VersionId {
		fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
			f.write_str(&self.to_cid_string())
		}
	}

	impl std::str::FromStr for VersionId {
		type Err = CidError;
		fn from_str(text: &str) -> Result<Self, Self::Err> {
			Self::from_cid_str(text)
		}
	}
}

impl core::fmt::Debug for VersionId {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		#[cfg(feature = "std")]
		return write!(f, "VersionId({})", self.to_cid_string());
		#[cfg(not(feature = "std"))]
		{
			f.write_str("VersionId(0x")?;
			for byte in self.0 {
				write!(f, "{byte:02x}")?;
			}
			f.write_str(")")
		}
	}
}
