//! Golden vectors: fixed manifests, their exact SCALE bytes and their CIDs.
//!
//! `vectors/manifests.json` is the contract with other implementations: any tool that
//! SCALE-encodes the described manifest must produce `scale_hex`, and sha2-256 of those bytes,
//! wrapped as a CIDv1 (raw) in base32, must give `cid`. `vectors/check_cids.py` recomputes every
//! CID from the bytes with nothing but Python's standard library.

use codec::{Decode, Encode};
use zoo_primitives::*;

fn bytes<const N: u32>(text: &str) -> Bytes<N> {
	text.as_bytes().to_vec().try_into().expect("fits the bound")
}

fn id(byte: u8) -> VersionId {
	VersionId([byte; 32])
}

fn manifest(name: &str) -> Manifest {
	let root = Manifest {
		model: bytes("acme/tiny"),
		parents: Default::default(),
		artifacts: Default::default(),
		metrics: Default::default(),
		license: License::Unspecified,
		tags: Default::default(),
		message: bytes(""),
		hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
	};
	match name {
		"empty-root" => root,
		"full" => Manifest {
			model: bytes("acme/resnet-50"),
			parents: vec![Parent { id: id(0x11), edge: EdgeKind::Finetune }].try_into().unwrap(),
			artifacts: vec![
				Artifact {
					path: bytes("config.json"),
					kind: ArtifactKind::Config,
					size: 2,
					// sha2-256 of "{}".
					digest: ArtifactDigest {
						algorithm: DigestAlgorithm::Sha2_256,
						bytes: hex_32("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"),
					},
					uri: bytes("file:///models/resnet/config.json"),
				},
				Artifact {
					path: bytes("weights/model.safetensors"),
					kind: ArtifactKind::Weights,
					size: 0,
					// sha2-256 of the empty string.
					digest: ArtifactDigest {
						algorithm: DigestAlgorithm::Sha2_256,
						bytes: hex_32("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
					},
					uri: bytes("s3://bucket/resnet/model.safetensors"),
				},
			]
			.try_into()
			.unwrap(),
			metrics: vec![
				Metric { name: bytes("accuracy"), value: MetricValue::parse("0.8731").unwrap() },
				Metric { name: bytes("eval/loss"), value: MetricValue::parse("-1.5").unwrap() },
			]
			.try_into()
			.unwrap(),
			license: License::Spdx(bytes("Apache-2.0")),
			tags: vec![Tag { key: bytes("dataset"), value: bytes("imagenet-1k") }].try_into().unwrap(),
			message: bytes("Fine-tune on ImageNet"),
			hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
		},
		"merge-blake3-sharded" => Manifest {
			parents: vec![
				Parent { id: id(0x22), edge: EdgeKind::Merge },
				Parent { id: id(0x33), edge: EdgeKind::Merge },
			]
			.try_into()
			.unwrap(),
			license: License::Terms(7),
			message: bytes("merge"),
			hashing: HashingSettings { algorithm: DigestAlgorithm::Blake3, shard_size: Some(1 << 26) },
			..root
		},
		other => panic!("no vector named {other}"),
	}
}

fn hex_32(text: &str) -> [u8; 32] {
	hex::decode(text).unwrap().try_into().unwrap()
}

#[test]
fn golden_vectors_match() {
	let file = include_str!("../vectors/manifests.json");
	let vectors: serde_json::Value = serde_json::from_str(file).unwrap();
	let vectors = vectors["vectors"].as_array().unwrap();
	assert_eq!(vectors.len(), 3);
	for vector in vectors {
		let name = vector["name"].as_str().unwrap();
		let manifest = manifest(name);
		assert_eq!(manifest.validate(), Ok(()), "{name} is canonical");
		let encoded = manifest.encode();
		assert_eq!(hex::encode(&encoded), vector["scale_hex"].as_str().unwrap(), "{name} bytes");
		assert_eq!(Manifest::decode(&mut &encoded[..]).unwrap(), manifest, "{name} decodes");
		let cid = manifest.id().to_cid_string();
		assert_eq!(cid, vector["cid"].as_str().unwrap(), "{name} cid");
		assert_eq!(cid.parse::<VersionId>().unwrap(), manifest.id(), "{name} cid parses");
	}
}

#[test]
fn print_vectors() {
	// Prints the current values, for a deliberate format change (`--nocapture`).
	for name in ["empty-root", "full", "merge-blake3-sharded"] {
		let manifest = manifest(name);
		println!("{name} {} {}", hex::encode(manifest.encode()), manifest.id());
	}
}
