//! IPFS through a kubo-compatible RPC endpoint (`/api/v0/add`, `/api/v0/block/stat`); reads go
//! through a gateway like any HTTP source (see [`super::transport`]).
//!
//! `add` asks for the `unixfs-v1-2025` layout explicitly (CIDv1, raw leaves, 1 MiB chunks) and
//! checks the CID the node answers against the one computed from the bytes sent: a node that
//! uses another layout, or lies, is caught before its CID reaches a manifest.

use super::{
	StorageError,
	push::{PushItem, PushReport, changed},
	transport::Stores,
};
use crate::{
	hashing::StreamHasher,
	unixfs::{CHUNK_SIZE, MAX_LINKS, UnixFsHasher},
};
use futures::StreamExt;
use serde::Deserialize;
use std::sync::{Arc, Mutex};
use url::Url;

/// kubo's answer to `add`.
#[derive(Deserialize)]
struct Added {
	#[serde(rename = "Hash")]
	hash: String,
}

fn client(stores: &Stores) -> Result<reqwest::Client, StorageError> {
	super::install_tls_provider();
	let timeout = stores.settings().timeout;
	reqwest::Client::builder()
		.connect_timeout(timeout)
		.read_timeout(timeout)
		.build()
		.map_err(|e| StorageError::transfer("ipfs", e))
}

/// Whether the node at `api` has the block `cid`.
async fn has_block(client: &reqwest::Client, api: &Url, cid: &cid::Cid) -> Result<bool, StorageError> {
	let url = api.join(&format!("api/v0/block/stat?arg={cid}")).map_err(|e| StorageError::transfer(api.as_str(), e))?;
	let answer = client.post(url.clone()).send().await.map_err(|e| StorageError::transfer(url.as_str(), e))?;
	Ok(answer.status().is_success())
}

/// Add one file to the node at `api`; its URI is `ipfs://<cid>`.
pub async fn add(
	stores: &Stores,
	api: &Url,
	item: &PushItem,
	bar: &crate::progress::FileProgress,
) -> Result<PushReport, StorageError> {
	let client = client(stores)?;
	if let Some(cid) = &item.cid
		&& has_block(&client, api, cid).await?
	{
		bar.inc(item.size);
		return Ok(PushReport {
			path: item.path.clone(),
			uri: format!("ipfs://{cid}"),
			uploaded: false,
			bytes: item.size,
		});
	}
	let file = crate::fs::open_regular(&item.local)
		.map_err(|e| StorageError::transfer(&item.local.display().to_string(), e))?;
	// Both hashes of what is sent, checked once the node has answered.
	let hashers = Arc::new(Mutex::new((StreamHasher::new(&item.hashing), UnixFsHasher::new())));
	let feed = hashers.clone();
	let progress = bar.clone();
	let body = super::file_chunks(file).inspect(move |chunk| {
		if let Ok(chunk) = chunk {
			if let Ok(mut hashers) = feed.lock() {
				hashers.0.update(chunk);
				hashers.1.update(chunk);
			}
			progress.inc(chunk.len() as u64);
		}
	});
	let name = item.path.rsplit('/').next().unwrap_or("file").to_owned();
	let part = reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(body), item.size)
		.file_name(name)
		.mime_str("application/octet-stream")
		.map_err(|e| StorageError::transfer(api.as_str(), e))?;
	let form = reqwest::multipart::Form::new().part("file", part);
	let query = format!("api/v0/add?cid-version=1&raw-leaves=true&chunker=size-{CHUNK_SIZE}&pin=true&progress=false");
	let url = api.join(&query).map_err(|e| StorageError::transfer(api.as_str(), e))?;
	let answer =
		client.post(url.clone()).multipart(form).send().await.map_err(|e| StorageError::transfer(url.as_str(), e))?;
	let status = answer.status();
	let text = answer.text().await.map_err(|e| StorageError::transfer(url.as_str(), e))?;
	if !status.is_success() {
		return Err(StorageError::transfer(url.as_str(), format!("the node answered {status}: {}", text.trim())));
	}
	// kubo answers one JSON object per line (directories add more); the file's is the last.
	let added: Added = text
		.lines()
		.filter(|line| !line.trim().is_empty())
		.last()
		.and_then(|line| serde_json::from_str(line).ok())
		.ok_or_else(|| StorageError::transfer(url.as_str(), format!("unexpected answer: {}", text.trim())))?;
	let (hasher, unixfs) = match Arc::try_unwrap(hashers).ok().and_then(|m| m.into_inner().ok()) {
		Some(both) => both,
		None => return Err(StorageError::transfer(url.as_str(), "the upload did not finish")),
	};
	let digest = hasher.finish();
	if digest.digest != item.digest || digest.size != item.size {
		return Err(changed(item));
	}
	let cid = unixfs.finish();
	if added.hash != cid.to_string() {
		return Err(StorageError::transfer(
			url.as_str(),
			format!(
				"the node stored the file as {} but its unixfs-v1-2025 CID is {cid} ({MAX_LINKS} links, raw leaves, {CHUNK_SIZE}-byte chunks): is it using another layout?",
				added.hash
			),
		));
	}
	Ok(PushReport { path: item.path.clone(), uri: format!("ipfs://{cid}"), uploaded: true, bytes: item.size })
}
