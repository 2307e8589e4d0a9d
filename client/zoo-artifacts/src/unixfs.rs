//! IPFS-compatible content IDs: the UnixFS CIDv1 of a file under the IPIP-499 `unixfs-v1-2025`
//! profile (1 MiB chunks, raw leaves, balanced layout with 1,024 links per node, sha2-256), the
//! CID `ipfs add` gives with that profile and any IPFS gateway serves the file under.
//!
//! A file of at most one chunk is a single raw block, so its CID is `bafkrei...` over its
//! sha2-256; bigger files have a dag-pb root over their leaves. The DAG is built by
//! `rust-unixfs` (checked byte for byte against the reference JavaScript importer, see the golden
//! tests); blocks are dropped as they are made, so memory stays at one chunk plus the links of
//! the open tree levels.

use cid::{Cid, Version};
use rust_unixfs::file::adder::{BalancedCollector, Chunker, FileAdder};

/// The profile's name, as IPIP-499 spells it.
pub const PROFILE: &str = "unixfs-v1-2025";
/// Leaf size of the profile.
pub const CHUNK_SIZE: usize = zoo_types::location::UNIXFS_CHUNK_SIZE;
/// Links per interior node of the profile.
pub const MAX_LINKS: usize = 1024;

/// Incremental UnixFS CID of a byte stream.
pub struct UnixFsHasher {
	adder: FileAdder,
	/// The CID of the last block made: after `finish`, the root.
	last: Option<Cid>,
}

impl Default for UnixFsHasher {
	fn default() -> Self {
		Self::with_layout(CHUNK_SIZE, MAX_LINKS)
	}
}

impl UnixFsHasher {
	/// The `unixfs-v1-2025` profile.
	pub fn new() -> Self {
		Self::default()
	}

	/// Another chunk size and width (tests build deep trees from small inputs this way).
	pub fn with_layout(chunk_size: usize, max_links: usize) -> Self {
		let adder = FileAdder::builder()
			.with_chunker(Chunker::Size(chunk_size))
			.with_collector(BalancedCollector::with_branching_factor(max_links))
			.with_cid_version(Version::V1)
			.with_raw_leaves(true)
			.build();
		Self { adder, last: None }
	}

	/// Feed bytes.
	pub fn update(&mut self, mut data: &[u8]) {
		while !data.is_empty() {
			let (blocks, consumed) = self.adder.push(data);
			if let Some((cid, _)) = blocks.last() {
				self.last = Some(cid);
			}
			data = &data[consumed..];
		}
	}

	/// The root CID.
	pub fn finish(self) -> Cid {
		let last = self.adder.finish().last().map(|(cid, _)| cid);
		// An empty file still makes its (empty) leaf in `finish`, so a root always exists.
		last.or(self.last).expect("finish always yields the root block; qed")
	}
}

/// The UnixFS CID of `data` (the profile's layout).
pub fn cid_of(data: &[u8]) -> Cid {
	let mut hasher = UnixFsHasher::new();
	hasher.update(data);
	hasher.finish()
}

pub use zoo_types::location::{artifact_cid, single_block_cid};

#[cfg(test)]
mod tests {
	use super::*;
	use sha2::{Digest, Sha256};

	/// The golden vectors' content: byte i is (i * 31 + 7) mod 251.
	pub(crate) fn pattern(size: usize) -> Vec<u8> {
		(0..size).map(|i| ((i * 31 + 7) % 251) as u8).collect()
	}

	/// CIDs from the reference importer (`ipfs-unixfs-importer` 17.1.1, `unixfs-v1-2025`),
	/// also reproduced by rust-unixfs (see ../shared/notes/storage.md §3.3).
	const GOLDEN: &[(usize, &str)] = &[
		(0, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
		(1, "bafkreigkgwdvr5wspzwpiutssn4xpj2i7wedshnwphhnu7ohx4pqaxxipe"),
		(251, "bafkreiaktduebezdctkbmqubkvqtvo2lado3qsjbaqd7ivvt4tw55omtlq"),
		(1_048_575, "bafkreiauirw5jfdr3utdyr4krpksb7zmja4lvf5rlnfvhkxmme2w6j5qha"),
		(1_048_576, "bafkreia4lg4goabhhbaug6a2rkf76lz3is6yqggq6u5rhmdeyi3vugx6ha"),
		(1_048_577, "bafybeiaqfhzf4fft5arkdimw7quirxuglvotfah44yawdjg6zujvn6lidu"),
		(2_097_152, "bafybeicb6q7sucuq73kmsnn5wtmpwgrx3g22lobboaj4euq7adegd5rbem"),
		(3_158_073, "bafybeiakgdmyxe43o5z7c6xs6c7pf6ya6clzyqg5rmfhmo4mccli64ev4u"),
	];

	#[test]
	fn matches_the_reference_importer() {
		for (size, expected) in GOLDEN {
			let data = pattern(*size);
			assert_eq!(cid_of(&data).to_string(), *expected, "size {size}");
			// Fed in uneven pieces, the same.
			let mut hasher = UnixFsHasher::new();
			for piece in data.chunks(333_333) {
				hasher.update(piece);
			}
			assert_eq!(hasher.finish().to_string(), *expected, "size {size}, in pieces");
		}
		assert_eq!(cid_of(b"hello world").to_string(), "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
	}

	#[test]
	fn deep_trees_match_the_reference_importer() {
		// Chunk 256 B and 4 links per node: the importer's CIDs for depth up to 5.
		for (size, expected) in [
			(1025, "bafybeibvebwwhtry22k2izikkmtvzhcl47nmbt4f3bu66ow2hwy754t2we"),
			(100_000, "bafybeidgxpufau5ef4a2kg43prfryboxgnxv4yj2wkx2ql4dyolqn4js4u"),
		] {
			let mut hasher = UnixFsHasher::with_layout(256, 4);
			hasher.update(&pattern(size));
			assert_eq!(hasher.finish().to_string(), expected, "size {size}");
		}
	}

	#[test]
	fn small_files_are_one_raw_block_over_their_sha256() {
		for size in [0, 1, 4096, CHUNK_SIZE] {
			let data = pattern(size);
			let digest: [u8; 32] = Sha256::digest(&data).into();
			assert_eq!(single_block_cid(size as u64, &digest), Some(cid_of(&data)), "size {size}");
		}
		assert_eq!(single_block_cid(CHUNK_SIZE as u64 + 1, &[0; 32]), None);
	}
}
