//! Fetching one artifact: streamed into a partial file while it is hashed, verified against the
//! manifest, and only then handed over (the caller renames it into place).
//!
//! - **Bounded memory**: bytes go from the network to the hasher and the partial file chunk by
//!   chunk, whatever the file's size.
//! - **Resume**: every [`CHECKPOINT_BYTES`] the partial file is synced and a sidecar
//!   (`<partial>.json`) records the source, its ETag, the offset and the hasher's state. A later
//!   fetch of the same artifact from the same source asks for the rest only (a range request
//!   pinned to the ETag with `If-Match`). The prefix already on disk is hashed again first
//!   (reading is cheap next to downloading), and must agree with the hasher state the sidecar
//!   saved: a planted or changed partial file starts over from zero, and a resumed download that
//!   does not verify is fetched whole once more before its source is blamed (audit A3-08). If the
//!   object changed (another ETag, a 412, a server that ignores ranges), the fetch restarts from
//!   zero. The caller keeps one fetch per partial file at a time (checkout locks the directory).
//! - **Retries and mirrors**: a failed transfer is retried with backoff, resuming where it
//!   stopped; a source that keeps failing, is missing, or serves bytes that do not match the
//!   manifest is given up for the next (the artifact's own URI first, then each remote that has
//!   the digest). A mismatch deletes the partial file: nothing unverified survives.

use super::{
	StorageError,
	transport::{Source, Stores},
};
use crate::hashing::{HasherCheckpoint, StreamHasher};
use crate::progress::FileProgress;
use futures::{StreamExt, stream::BoxStream};
use object_store::{GetOptions, GetRange, ObjectStore};
use serde::{Deserialize, Serialize};
use std::{
	fs::File,
	io::{Read, Seek, SeekFrom, Write},
	path::{Path, PathBuf},
	time::Duration,
};
use zoo_primitives::{ArtifactDigest, HashingSettings};

/// Bytes between checkpoints of a partial download.
pub const CHECKPOINT_BYTES: u64 = 16 << 20;
/// Times one source may restart from zero (its object changed) before it is given up.
const MAX_RESTARTS: u32 = 2;
/// Format of the sidecar file.
const CHECKPOINT_VERSION: u32 = 1;

/// What the manifest says one artifact is.
#[derive(Debug, Clone)]
pub struct Expected {
	/// Its path in the version (for messages).
	pub path: String,
	/// Size in bytes.
	pub size: u64,
	/// Digest.
	pub digest: ArtifactDigest,
	/// How the digest is computed.
	pub hashing: HashingSettings,
}

/// How one artifact was fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchReport {
	/// Its path in the version.
	pub path: String,
	/// The URI it was finally read from.
	pub source: String,
	/// Its size.
	pub bytes: u64,
	/// Bytes received over the wire in this run (restarts and failed sources included).
	pub transferred: u64,
	/// Offset an earlier, interrupted fetch had reached (0: a fresh fetch).
	pub resumed_from: u64,
	/// Times a source's object had changed and the fetch restarted from zero.
	pub restarts: u32,
	/// Sources given up before this one.
	pub failed_sources: usize,
}

/// One artifact no source could deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactFailure {
	/// Its path in the version.
	pub path: String,
	/// Each source tried and what went wrong with it.
	pub sources: Vec<(String, String)>,
}

impl std::fmt::Display for ArtifactFailure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		if self.sources.is_empty() {
			return write!(f, "{}: no source to fetch it from", self.path);
		}
		let each: Vec<String> = self.sources.iter().map(|(uri, why)| format!("{uri}: {why}")).collect();
		write!(f, "{}: {}", self.path, each.join(", then "))
	}
}

/// The sidecar of a partial download.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Checkpoint {
	version: u32,
	uri: String,
	etag: Option<String>,
	size: u64,
	digest: String,
	offset: u64,
	hasher: Option<HasherCheckpoint>,
}

/// What went wrong in one try at one source.
enum Step {
	/// Worth another try from where it stopped.
	Transient(String),
	/// The object is not what the partial file came from: start again from zero.
	Changed(String),
	/// This source cannot deliver it.
	Fatal(String),
}

/// The state of one fetch from one source.
struct Progressing {
	etag: Option<String>,
	offset: u64,
	hasher: StreamHasher,
}

/// Fetch an artifact from the first of `uris` that delivers it intact into `partial` (a path
/// in a directory only this user can write; `<partial>.json` is its sidecar). On success
/// `partial` holds exactly the verified bytes, synced, and the sidecar is gone.
pub async fn fetch_artifact(
	stores: &Stores,
	uris: &[String],
	expected: &Expected,
	partial: &Path,
	bar: &FileProgress,
) -> Result<FetchReport, ArtifactFailure> {
	let mut failures = Vec::new();
	let mut transferred = 0u64;
	let mut restarts = 0u32;
	for uri in uris {
		let source = match stores.source(uri) {
			Ok(source) => source,
			Err(e) => {
				failures.push((uri.clone(), strip_uri(&e.to_string(), uri)));
				continue;
			}
		};
		match fetch_from(stores, &source, expected, partial, bar, &mut transferred, &mut restarts).await {
			Ok(resumed_from) => {
				bar.done();
				return Ok(FetchReport {
					path: expected.path.clone(),
					source: uri.clone(),
					bytes: expected.size,
					transferred,
					resumed_from,
					restarts,
					failed_sources: failures.len(),
				});
			}
			Err(reason) => failures.push((uri.clone(), reason)),
		}
	}
	bar.done();
	// Keep a partial download only if there is something to resume.
	if std::fs::metadata(partial).is_ok_and(|meta| meta.len() == 0) {
		let _ = std::fs::remove_file(partial);
		let _ = std::fs::remove_file(sidecar_of(partial));
	}
	Err(ArtifactFailure { path: expected.path.clone(), sources: failures })
}

fn strip_uri(message: &str, uri: &str) -> String {
	message.strip_prefix(&format!("{uri}: ")).unwrap_or(message).to_owned()
}

/// Fetch from one source, retrying and resuming; returns the offset it resumed from.
async fn fetch_from(
	stores: &Stores,
	source: &Source,
	expected: &Expected,
	partial: &Path,
	bar: &FileProgress,
	transferred: &mut u64,
	restarts: &mut u32,
) -> Result<u64, String> {
	let settings = stores.settings();
	let sidecar = sidecar_of(partial);
	let (mut file, mut state) = open_partial(partial, &sidecar, source, expected).map_err(|e| e.to_string())?;
	let mut resumed_from = state.offset;
	bar.reset(state.offset);
	let mut restarts_here = 0;
	let mut attempt = 0;
	loop {
		attempt += 1;
		match transfer(source, &mut state, expected, &mut file, &sidecar, bar, transferred).await {
			Ok(()) => break,
			Err(Step::Changed(reason)) => {
				tracing::info!(uri = source.uri(), %reason, "restarting from zero");
				restarts_here += 1;
				*restarts += 1;
				state = fresh(expected);
				resumed_from = 0;
				let _ = std::fs::remove_file(&sidecar);
				// Truncate and rewind: the next bytes are the object's first.
				file.set_len(0)
					.and_then(|()| file.seek(SeekFrom::Start(0)).map(drop))
					.map_err(|e| format!("{}: {e}", partial.display()))?;
				bar.reset(0);
				if restarts_here > MAX_RESTARTS {
					return Err(format!("{reason}; gave up after {MAX_RESTARTS} restarts"));
				}
			}
			Err(Step::Fatal(reason)) => return Err(reason),
			Err(Step::Transient(reason)) => {
				if attempt >= settings.attempts {
					return Err(format!("{reason} (after {attempt} attempts; run again to resume)"));
				}
				tracing::info!(uri = source.uri(), %reason, attempt, "retrying");
				let pause = settings.backoff.saturating_mul(1 << (attempt - 1).min(6));
				tokio::time::sleep(pause.min(Duration::from_secs(10))).await;
			}
		}
	}
	let actual = state.hasher.finish();
	if actual.size != expected.size || actual.digest != expected.digest {
		// Nothing unverified survives, and a resume must never build on these bytes.
		let _ = std::fs::remove_file(&sidecar);
		let _ = file.set_len(0);
		if resumed_from > 0 && restarts_here < MAX_RESTARTS {
			// The resumed prefix may be what was wrong (a BLAKE3 prefix is only checked here):
			// fetch the whole object from this source once more before blaming it.
			tracing::info!(uri = source.uri(), "the resumed download did not verify; fetching it whole");
			*restarts += 1;
			return Box::pin(fetch_from(stores, source, expected, partial, bar, transferred, restarts)).await;
		}
		// Name the manifest's digest only: what a source served is its own business.
		return Err(format!(
			"served bytes whose {} digest is not the manifest's {}; discarded",
			expected.hashing.algorithm.as_str(),
			hex::encode(expected.digest.bytes)
		));
	}
	file.sync_all().map_err(|e| format!("{}: {e}", partial.display()))?;
	let _ = std::fs::remove_file(&sidecar);
	Ok(resumed_from)
}

fn sidecar_of(partial: &Path) -> PathBuf {
	let mut name = partial.as_os_str().to_owned();
	name.push(".json");
	PathBuf::from(name)
}

fn fresh(expected: &Expected) -> Progressing {
	Progressing { etag: None, offset: 0, hasher: StreamHasher::new(&expected.hashing) }
}

/// Open (or create) the partial file, and the state to go on from: a checkpoint of the same
/// artifact from the same source, else zero.
fn open_partial(
	partial: &Path,
	sidecar: &Path,
	source: &Source,
	expected: &Expected,
) -> Result<(File, Progressing), StorageError> {
	use std::os::unix::fs::OpenOptionsExt;
	let mut file = std::fs::OpenOptions::new()
		.read(true)
		.write(true)
		.create(true)
		.truncate(false)
		.mode(0o600)
		.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
		.open(partial)
		.map_err(|e| StorageError::io(partial, e))?;
	let resumable = matches!(source, Source::Object { .. });
	let checkpoint =
		std::fs::read(sidecar).ok().and_then(|bytes| serde_json::from_slice::<Checkpoint>(&bytes).ok()).filter(|c| {
			resumable
				&& c.version == CHECKPOINT_VERSION
				&& c.uri == source.uri()
				&& c.size == expected.size
				&& c.digest == hex::encode(expected.digest.bytes)
				&& c.offset <= expected.size
				&& c.etag.is_some()
		});
	let length = file.metadata().map_err(|e| StorageError::io(partial, e))?.len();
	let state = match checkpoint {
		Some(c) if c.offset <= length => {
			// The prefix is hashed again from disk, whatever the sidecar says: a partial file
			// and sidecar may have been planted in the target, or changed by another program,
			// and a saved hasher state only says what the bytes *were* (audit A3-08). A saved
			// state that disagrees with the disk means the bytes changed: start over.
			file.seek(SeekFrom::Start(0)).map_err(|e| StorageError::io(partial, e))?;
			let on_disk =
				rehash_prefix(&mut file, c.offset, &expected.hashing).map_err(|e| StorageError::io(partial, e))?;
			let agrees = |hasher: &StreamHasher| match (&c.hasher, hasher.checkpoint()) {
				(Some(saved), Some(now)) => *saved == now,
				// BLAKE3 saves no state: the final digest is the only check, and a mismatch
				// after a resume starts over (`fetch_from`).
				(None, None) => true,
				_ => false,
			};
			match on_disk {
				Some(hasher) if agrees(&hasher) => Progressing { etag: c.etag, offset: c.offset, hasher },
				_ => fresh(expected),
			}
		}
		_ => fresh(expected),
	};
	file.set_len(state.offset).map_err(|e| StorageError::io(partial, e))?;
	file.seek(SeekFrom::Start(state.offset)).map_err(|e| StorageError::io(partial, e))?;
	Ok((file, state))
}

fn rehash_prefix(file: &mut File, length: u64, hashing: &HashingSettings) -> std::io::Result<Option<StreamHasher>> {
	let mut hasher = StreamHasher::new(hashing);
	let mut buffer = vec![0u8; 1 << 20];
	let mut left = length;
	while left > 0 {
		let want = (left as usize).min(buffer.len());
		let n = file.read(&mut buffer[..want])?;
		if n == 0 {
			return Ok(None);
		}
		hasher.update(&buffer[..n]);
		left -= n as u64;
	}
	Ok(Some(hasher))
}

/// One try: open the source at the current offset and stream the rest into the file.
async fn transfer(
	source: &Source,
	state: &mut Progressing,
	expected: &Expected,
	file: &mut File,
	sidecar: &Path,
	bar: &FileProgress,
	transferred: &mut u64,
) -> Result<(), Step> {
	let mut stream = match source {
		Source::Object { store, path, .. } => open_object(store.as_ref(), path, state, expected).await?,
		Source::File { path, .. } => open_file(path, state, expected)?,
	};
	let mut since_checkpoint = 0u64;
	while let Some(chunk) = stream.next().await {
		let chunk = match chunk {
			Ok(chunk) => chunk,
			Err(e) => {
				save_checkpoint(source, state, expected, file, sidecar);
				return Err(Step::Transient(e));
			}
		};
		let length = chunk.len() as u64;
		*transferred += length;
		if state.offset + length > expected.size {
			return Err(Step::Fatal(format!(
				"its size is not the manifest's {} bytes (it serves more)",
				expected.size
			)));
		}
		file.write_all(&chunk).map_err(|e| Step::Fatal(format!("writing the partial file: {e}")))?;
		state.hasher.update(&chunk);
		state.offset += length;
		bar.inc(length);
		since_checkpoint += length;
		if since_checkpoint >= CHECKPOINT_BYTES {
			since_checkpoint = 0;
			save_checkpoint(source, state, expected, file, sidecar);
		}
	}
	if state.offset < expected.size {
		save_checkpoint(source, state, expected, file, sidecar);
		return Err(Step::Transient(format!("the transfer ended at byte {} of {}", state.offset, expected.size)));
	}
	Ok(())
}

/// Sync what was written, then record how far it got (in that order: the sidecar never claims
/// more than the disk holds).
fn save_checkpoint(source: &Source, state: &Progressing, expected: &Expected, file: &File, sidecar: &Path) {
	if !matches!(source, Source::Object { .. }) || state.etag.is_none() || file.sync_data().is_err() {
		return;
	}
	let checkpoint = Checkpoint {
		version: CHECKPOINT_VERSION,
		uri: source.uri().to_owned(),
		etag: state.etag.clone(),
		size: expected.size,
		digest: hex::encode(expected.digest.bytes),
		offset: state.offset,
		hasher: state.hasher.checkpoint(),
	};
	let temp = sidecar_of(sidecar);
	let written = serde_json::to_vec(&checkpoint)
		.map_err(std::io::Error::other)
		.and_then(|bytes| std::fs::write(&temp, bytes))
		.and_then(|()| std::fs::rename(&temp, sidecar));
	if let Err(e) = written {
		tracing::warn!("could not save the download checkpoint {}: {e}", sidecar.display());
	}
}

async fn open_object(
	store: &dyn ObjectStore,
	path: &object_store::path::Path,
	state: &mut Progressing,
	expected: &Expected,
) -> Result<BoxStream<'static, Result<bytes::Bytes, String>>, Step> {
	let resuming = state.offset > 0;
	let options = GetOptions {
		range: resuming.then_some(GetRange::Offset(state.offset)),
		if_match: if resuming { state.etag.clone() } else { None },
		..Default::default()
	};
	let result = store.get_opts(path, options).await.map_err(|e| classify(e, resuming))?;
	let meta = &result.meta;
	if meta.size != expected.size {
		return Err(Step::Fatal(format!("its size is not the manifest's {} bytes", expected.size)));
	}
	if resuming && meta.e_tag != state.etag {
		// Some servers ignore If-Match (s3s-fs does): compare the ETag ourselves.
		return Err(Step::Changed("the object changed since the partial download (another ETag)".into()));
	}
	state.etag = meta.e_tag.clone();
	Ok(result.into_stream().map(|chunk| chunk.map_err(|e| e.to_string())).boxed())
}

/// What an error opening an object means for the fetch.
fn classify(error: object_store::Error, resuming: bool) -> Step {
	use object_store::Error as E;
	let text = error.to_string();
	match error {
		E::NotFound { .. } => Step::Fatal("not found".into()),
		E::PermissionDenied { .. } | E::Unauthenticated { .. } => Step::Fatal(format!("access refused: {text}")),
		E::Precondition { .. } if resuming => {
			Step::Changed("the object changed since the partial download (If-Match failed)".into())
		}
		// A 200 to a range request (S3 client), or a server that says it has no ranges (HTTP).
		E::NotSupported { .. } if resuming => Step::Changed("the server does not serve ranges".into()),
		_ if resuming && text.contains("non-partial response") => {
			Step::Changed("the server ignored the range request".into())
		}
		_ => Step::Transient(text),
	}
}

/// A local file as a stream of chunks from the current offset (local files are never resumed:
/// `state.offset` is 0). It must be a regular file of the manifest's size.
fn open_file(
	path: &Path,
	state: &mut Progressing,
	expected: &Expected,
) -> Result<BoxStream<'static, Result<bytes::Bytes, String>>, Step> {
	let file = crate::fs::open_regular(path).map_err(|e| Step::Fatal(e.to_string()))?;
	let size = file.metadata().map_err(|e| Step::Fatal(e.to_string()))?.len();
	if size != expected.size {
		return Err(Step::Fatal(format!("its size is not the manifest's {} bytes", expected.size)));
	}
	state.etag = None;
	let chunks = super::file_chunks(file).map(|chunk| chunk.map_err(|e| e.to_string()));
	Ok(chunks.boxed())
}
