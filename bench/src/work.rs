//! The work a benchmark commits: realistic manifests of about a given size, each with content
//! of its own (so every content ID is new), built the way `zoo commit` builds them.

use anyhow::{Result, anyhow};
use codec::Encode;
use rand_chacha::{
	ChaCha8Rng,
	rand_core::{RngCore, SeedableRng},
};
use zoo_primitives::{
	Artifact, ArtifactDigest, ArtifactKind, DigestAlgorithm, EdgeKind, HashingSettings, License, Manifest, Metric,
	MetricValue, Parent, Tag, VersionId,
};

fn bounded<const N: u32>(text: &str) -> Result<zoo_primitives::Bytes<N>> {
	text.as_bytes().to_vec().try_into().map_err(|_| anyhow!("{text:?} is longer than {N} bytes"))
}

fn metric(name: &str, value: String) -> Result<Metric> {
	Ok(Metric { name: bounded(name)?, value: MetricValue::parse(&value).map_err(|e| anyhow!("{value}: {e}"))? })
}

/// What an evaluator attests: an accuracy and a loss (sorted by name, as the chain requires),
/// their values drawn from `seed`.
pub(crate) fn evaluation_metrics(seed: u64) -> Result<Vec<Metric>> {
	let mut rng = ChaCha8Rng::seed_from_u64(seed);
	Ok(vec![
		metric("accuracy", format!("0.{:06}", rng.next_u64() % 1_000_000))?,
		metric("eval/loss", format!("1.{:06}", rng.next_u64() % 1_000_000))?,
	])
}

/// A version of `model` with `parent` (a revision) or none: five artifacts (sharded weights,
/// config, tokenizer, training code) with their digests, sizes and `s3://` locations, five
/// metrics, five tags, an SPDX licence, and a commit message padded so the SCALE encoding is
/// about `target_len` bytes. `seq` and `seed` make its content (and so its ID) unique.
pub(crate) fn manifest(
	model: &str,
	parent: Option<VersionId>,
	seed: u64,
	seq: u64,
	target_len: usize,
) -> Result<Manifest> {
	// Digests, sizes and metric values that differ per commit, the same for the same
	// (seed, seq) without any outside randomness source.
	let mut rng = ChaCha8Rng::seed_from_u64(seed ^ seq.wrapping_mul(0x2545_f491_4f6c_dd1d));
	let files: [(&str, ArtifactKind, u64); 5] = [
		("config.json", ArtifactKind::Config, 600 + rng.next_u64() % 1000),
		("model-00001-of-00002.safetensors", ArtifactKind::Weights, 4_000_000_000 + rng.next_u64() % 1_000_000_000),
		("model-00002-of-00002.safetensors", ArtifactKind::Weights, 1_000_000_000 + rng.next_u64() % 1_000_000_000),
		("tokenizer.json", ArtifactKind::Config, 2_000_000 + rng.next_u64() % 100_000),
		("train.py", ArtifactKind::Code, 5_000 + rng.next_u64() % 20_000),
	];
	let mut artifacts = Vec::with_capacity(files.len());
	for (path, kind, size) in files {
		let mut digest = [0u8; 32];
		rng.fill_bytes(&mut digest);
		let uri = format!("s3://zoo-bench-artifacts/{model}/{}/{path}", hex::encode(&digest[..16]));
		artifacts.push(Artifact {
			path: bounded(path)?,
			kind,
			size,
			digest: ArtifactDigest { algorithm: DigestAlgorithm::Sha2_256, bytes: digest },
			uri: bounded(&uri)?,
		});
	}
	let metrics = vec![
		metric("accuracy", format!("0.{:06}", rng.next_u64() % 1_000_000))?,
		metric("eval/loss", format!("1.{:06}", rng.next_u64() % 1_000_000))?,
		metric("f1", format!("0.{:06}", rng.next_u64() % 1_000_000))?,
		metric("perplexity", format!("{}.{:04}", 3 + rng.next_u64() % 10, rng.next_u64() % 10_000))?,
		metric("train/loss", format!("0.{:06}", rng.next_u64() % 1_000_000))?,
	];
	let tag = |key: &str, value: String| -> Result<Tag> { Ok(Tag { key: bounded(key)?, value: bounded(&value)? }) };
	let tags = vec![
		tag("dataset", "s3://zoo-bench-data/corpus-v3/manifest.json".into())?,
		tag("framework", "pytorch-2.5.1".into())?,
		tag("git-commit", format!("{:016x}{:016x}{:08x}", rng.next_u64(), rng.next_u64(), rng.next_u64() as u32))?,
		tag("run-id", format!("run-{seed:x}-{seq}"))?,
		tag("task", "text-generation".into())?,
	];
	let mut manifest = Manifest {
		model: bounded(model)?,
		parents: parent
			.map(|id| vec![Parent { id, edge: EdgeKind::Revision }])
			.unwrap_or_default()
			.try_into()
			.map_err(|_| anyhow!("too many parents"))?,
		artifacts: artifacts.try_into().map_err(|_| anyhow!("too many artifacts"))?,
		metrics: metrics.try_into().map_err(|_| anyhow!("too many metrics"))?,
		license: License::Spdx(bounded("Apache-2.0")?),
		tags: tags.try_into().map_err(|_| anyhow!("too many tags"))?,
		message: bounded(&format!("zoo-bench {seq}"))?,
		hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
	};
	// Pad the message (notes on the training run) so the encoding is `target_len` bytes: a
	// message of 64 bytes or more takes a 2-byte length prefix.
	let base = manifest.encoded_size();
	let short = manifest.message.len();
	let want = (target_len + short + 1).saturating_sub(base + 2).min(zoo_primitives::MAX_MESSAGE_LEN as usize);
	if want > short {
		const NOTES: &str = "Trained for one more epoch on the refreshed corpus with a cosine schedule; \
			evaluated on the held-out split; weights sharded in two safetensors files. ";
		let mut message = format!("zoo-bench {seq}: ");
		while message.len() < want {
			message.push_str(NOTES);
		}
		message.truncate(want);
		manifest.message = bounded(&message)?;
	}
	manifest.validate().map_err(|error| anyhow!("generated manifest is not canonical: {error:?}"))?;
	Ok(manifest)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn manifests_are_valid_distinct_and_about_the_size_asked() {
		let a = manifest("bench/m", None, 7, 0, 2048).unwrap();
		let b = manifest("bench/m", Some(a.id()), 7, 1, 2048).unwrap();
		let c = manifest("bench/m", Some(a.id()), 8, 1, 2048).unwrap();
		assert_ne!(a.id(), b.id());
		assert_ne!(b.id(), c.id());
		for m in [&a, &b, &c] {
			let len = m.encode().len();
			assert!((2000..=2100).contains(&len), "{len}");
		}
		assert_eq!(manifest("bench/m", None, 7, 0, 2048).unwrap(), a);
	}
}
