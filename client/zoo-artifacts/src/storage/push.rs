//! Uploading artifacts to a remote, content-addressed: each file is stored under its digest
//! ([`super::remote::object_key`]) on S3 and file remotes, and under its UnixFS CID on IPFS, so
//! a file two versions share is stored once and any remote can serve any version.
//!
//! What the remote already has (same key and size; on IPFS, the root block) is skipped. Big
//! files go up in parallel parts. Every upload hashes what it reads: a file that changed since
//! it was hashed is removed from the remote again and reported, so a remote never holds bytes
//! under a digest they do not have.

use super::{Remote, RemoteKind, StorageError, ipfs, remote::object_key, transport::Stores};
use crate::hashing::StreamHasher;
use cid::Cid;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart, path::Path as ObjectPath};
use serde::Serialize;
use std::{io::Read, path::PathBuf, sync::Arc};
use zoo_primitives::{ArtifactDigest, HashingSettings};

/// Files up to this size go up in one request.
pub const SINGLE_PUT_LIMIT: u64 = 8 << 20;
/// S3 allows at most 10,000 parts; keep a margin.
const MAX_PARTS: u64 = 9_000;
/// Parts uploaded at once per file.
const PART_CONCURRENCY: usize = 4;

/// One file to push.
#[derive(Debug, Clone)]
pub struct PushItem {
	/// Its path in the version.
	pub path: String,
	/// The local file.
	pub local: PathBuf,
	/// Size the manifest records.
	pub size: u64,
	/// Digest the manifest records.
	pub digest: ArtifactDigest,
	/// How the digest is computed.
	pub hashing: HashingSettings,
	/// Its UnixFS CID, if known (needed to skip what an IPFS remote has).
	pub cid: Option<Cid>,
}

/// What pushing one file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushReport {
	/// Its path in the version.
	pub path: String,
	/// Its URI on the remote.
	pub uri: String,
	/// False when the remote already had it.
	pub uploaded: bool,
	/// Its size.
	pub bytes: u64,
}

/// The part size for a file of `size` bytes: at least 8 MiB, a whole number of MiB, and few
/// enough parts for S3's limit.
pub fn part_size(size: u64) -> usize {
	let mib = 1u64 << 20;
	let needed = size.div_ceil(MAX_PARTS).div_ceil(mib) * mib;
	needed.max(8 * mib) as usize
}

/// Push one file to `remote`.
pub async fn push_artifact(
	stores: &Stores,
	remote: &Remote,
	item: &PushItem,
	bar: &crate::progress::FileProgress,
) -> Result<PushReport, StorageError> {
	let (store, key) = match remote.kind()? {
		RemoteKind::S3 { bucket, prefix } => {
			let uri = format!("s3://{bucket}/{prefix}");
			(stores.s3(Some(remote), &bucket, &uri)?, format!("{prefix}{}", object_key(&item.digest)))
		}
		RemoteKind::File(dir) => (stores.local(&dir)?, object_key(&item.digest)),
		RemoteKind::Ipfs { api, .. } => return ipfs::add(stores, &api, item, bar).await,
		RemoteKind::Http(_) => {
			return Err(StorageError::ReadOnly { name: remote.name.clone(), url: remote.url.clone() });
		}
	};
	let uri = remote.object_uri(&item.digest, item.cid.as_ref())?.expect("S3 and file remotes always have a URI; qed");
	let path = ObjectPath::parse(&key).map_err(|e| StorageError::bad_uri(&uri, e.to_string()))?;
	match store.head(&path).await {
		Ok(meta) if meta.size == item.size => {
			bar.inc(item.size);
			return Ok(PushReport { path: item.path.clone(), uri, uploaded: false, bytes: item.size });
		}
		Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
		Err(e) => return Err(StorageError::transfer(&uri, e)),
	}
	let digest = upload(store.clone(), &path, item, &uri, bar).await?;
	if digest != item.digest {
		let _ = store.delete(&path).await;
		return Err(changed(item));
	}
	Ok(PushReport { path: item.path.clone(), uri, uploaded: true, bytes: item.size })
}

pub(crate) fn changed(item: &PushItem) -> StorageError {
	StorageError::transfer(
		&item.local.display().to_string(),
		"changed since it was hashed; nothing was left on the remote (commit again)",
	)
}

/// Stream the file up (one request or parts), hashing what was read; returns that digest.
async fn upload(
	store: Arc<dyn ObjectStore>,
	path: &ObjectPath,
	item: &PushItem,
	uri: &str,
	bar: &crate::progress::FileProgress,
) -> Result<ArtifactDigest, StorageError> {
	let mut file = crate::fs::open_regular(&item.local).map_err(|e| StorageError::transfer(uri, e))?;
	let mut hasher = StreamHasher::new(&item.hashing);
	let io = |e| StorageError::io(&item.local, e);
	if item.size <= SINGLE_PUT_LIMIT {
		let mut bytes = Vec::with_capacity(item.size as usize);
		file.by_ref().take(item.size + 1).read_to_end(&mut bytes).map_err(io)?;
		hasher.update(&bytes);
		store.put(path, PutPayload::from(bytes)).await.map_err(|e| StorageError::transfer(uri, e))?;
		bar.inc(item.size);
		return Ok(hasher.finish().digest);
	}
	let upload = store.put_multipart(path).await.map_err(|e| StorageError::transfer(uri, e))?;
	let mut writer = WriteMultipart::new_with_chunk_size(upload, part_size(item.size));
	let mut buffer = vec![0u8; 1 << 20];
	let result: Result<(), StorageError> = async {
		loop {
			let n = file.read(&mut buffer).map_err(io)?;
			if n == 0 {
				break;
			}
			hasher.update(&buffer[..n]);
			writer.wait_for_capacity(PART_CONCURRENCY).await.map_err(|e| StorageError::transfer(uri, e))?;
			writer.write(&buffer[..n]);
			bar.inc(n as u64);
		}
		Ok(())
	}
	.await;
	match result {
		Ok(()) => {
			writer.finish().await.map_err(|e| StorageError::transfer(uri, e))?;
			Ok(hasher.finish().digest)
		}
		Err(e) => {
			let _ = writer.abort().await;
			Err(e)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn part_sizes_respect_the_part_limit() {
		assert_eq!(part_size(0), 8 << 20);
		assert_eq!(part_size(1 << 30), 8 << 20);
		let huge = 200u64 << 30;
		assert!(huge.div_ceil(part_size(huge) as u64) <= 10_000);
		assert_eq!(part_size(huge) % (1 << 20), 0);
	}
}
