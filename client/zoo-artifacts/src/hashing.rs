//! Artifact digests.
//!
//! Files are read as a stream through a fixed buffer, so memory stays bounded whatever their
//! size; several files (and, with sharded hashing, several shards of one file) are hashed in
//! parallel on rayon's pool. The digest follows [`HashingSettings`]: the algorithm's hash of the
//! whole file, or with `shard_size = Some(n)` the hash of the concatenated digests of its `n`-byte
//! shards. An empty file counts as one empty shard, so every file has at least one shard.

use crate::{FileError as Error, Result, progress::Reporter, scan::ScannedFile, unixfs::UnixFsHasher};
use cid::Cid;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2_resumable::{
	Digest as _, Sha256,
	digest::common::hazmat::{SerializableState, SerializedState},
};
use std::{
	fs::File,
	io::Read,
	os::unix::fs::FileExt,
	path::Path,
	time::{Duration, Instant},
};
use zoo_primitives::{ArtifactDigest, DigestAlgorithm, HashingSettings};

/// Bytes read per call; one buffer per file (or shard) being hashed.
pub const BUFFER_SIZE: usize = 1 << 20;

/// Size and digest of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
	/// Bytes hashed.
	pub size: u64,
	/// The digest.
	pub digest: ArtifactDigest,
	/// Its UnixFS CID ([`crate::unixfs`]), when asked for.
	pub unixfs: Option<Cid>,
}

/// What a hashing run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashStats {
	/// Files hashed.
	pub files: usize,
	/// Bytes hashed.
	pub bytes: u64,
	/// Wall time.
	pub elapsed: Duration,
}

impl HashStats {
	/// Throughput in MB/s (10^6 bytes per second).
	pub fn mb_per_s(&self) -> f64 {
		self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
	}
}

/// One algorithm's plain (unsharded) hasher.
#[derive(Clone)]
enum Plain {
	Sha2(Sha256),
	Blake3(Box<blake3::Hasher>),
}

impl Plain {
	fn new(algorithm: DigestAlgorithm) -> Self {
		match algorithm {
			DigestAlgorithm::Sha2_256 => Self::Sha2(Sha256::new()),
			DigestAlgorithm::Blake3 => Self::Blake3(Box::new(blake3::Hasher::new())),
		}
	}

	fn update(&mut self, data: &[u8]) {
		match self {
			Self::Sha2(h) => h.update(data),
			Self::Blake3(h) => {
				h.update(data);
			}
		}
	}

	fn finalize(self) -> [u8; 32] {
		match self {
			Self::Sha2(h) => h.finalize().into(),
			Self::Blake3(h) => *h.finalize().as_bytes(),
		}
	}

	/// The running state as bytes; `None` for BLAKE3, whose hasher cannot be saved.
	fn save(&self) -> Option<Vec<u8>> {
		match self {
			Self::Sha2(h) => Some(h.serialize().to_vec()),
			Self::Blake3(_) => None,
		}
	}

	/// A sha2-256 hasher from [`Plain::save`]'s bytes.
	fn load(state: &[u8]) -> Option<Self> {
		let state = SerializedState::<Sha256>::try_from(state).ok()?;
		Sha256::deserialize(&state).ok().map(Self::Sha2)
	}
}

/// A [`StreamHasher`]'s state, saved so an interrupted download can go on hashing where it
/// stopped instead of re-reading what it already wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HasherCheckpoint {
	/// Bytes hashed so far.
	pub size: u64,
	/// Bytes in the current shard.
	pub in_shard: u64,
	/// Shards closed.
	pub shards: u64,
	/// The file's (or current shard's) hasher state, hex.
	pub current: String,
	/// The hasher over shard digests (sharded only), hex.
	pub outer: String,
}

/// The digest of `data` under `algorithm`, unsharded.
pub fn plain_digest(algorithm: DigestAlgorithm, data: &[u8]) -> [u8; 32] {
	let mut hasher = Plain::new(algorithm);
	hasher.update(data);
	hasher.finalize()
}

/// Incremental digest of a byte stream under [`HashingSettings`]; used for files and for
/// content fetched during checkout.
pub struct StreamHasher {
	settings: HashingSettings,
	/// Hashes the file (unsharded) or the current shard.
	current: Plain,
	/// Bytes in the current shard.
	in_shard: u64,
	/// Hashes the concatenated shard digests (sharded only).
	outer: Plain,
	shards: u64,
	size: u64,
}

impl StreamHasher {
	/// A hasher for `settings`.
	pub fn new(settings: &HashingSettings) -> Self {
		Self {
			settings: settings.clone(),
			current: Plain::new(settings.algorithm),
			in_shard: 0,
			outer: Plain::new(settings.algorithm),
			shards: 0,
			size: 0,
		}
	}

	/// Feed bytes.
	pub fn update(&mut self, mut data: &[u8]) {
		self.size += data.len() as u64;
		let Some(shard_size) = self.settings.shard_size else {
			self.current.update(data);
			return;
		};
		while !data.is_empty() {
			let room = (shard_size - self.in_shard).min(data.len() as u64) as usize;
			self.current.update(&data[..room]);
			self.in_shard += room as u64;
			data = &data[room..];
			if self.in_shard == shard_size {
				self.close_shard();
			}
		}
	}

	fn close_shard(&mut self) {
		let done = std::mem::replace(&mut self.current, Plain::new(self.settings.algorithm));
		self.outer.update(&done.finalize());
		self.in_shard = 0;
		self.shards += 1;
	}

	/// Bytes fed so far.
	pub fn size(&self) -> u64 {
		self.size
	}

	/// The state to resume from later; `None` when the algorithm's state cannot be saved
	/// (BLAKE3), in which case a resume hashes the partial file again.
	pub fn checkpoint(&self) -> Option<HasherCheckpoint> {
		Some(HasherCheckpoint {
			size: self.size,
			in_shard: self.in_shard,
			shards: self.shards,
			current: hex::encode(self.current.save()?),
			outer: hex::encode(self.outer.save()?),
		})
	}

	/// A hasher that continues from `checkpoint`; `None` if it does not fit `settings`.
	pub fn resume(settings: &HashingSettings, checkpoint: &HasherCheckpoint) -> Option<Self> {
		let shard_fits = match settings.shard_size {
			Some(shard) => checkpoint.in_shard < shard,
			None => checkpoint.in_shard == 0 && checkpoint.shards == 0,
		};
		if settings.algorithm != DigestAlgorithm::Sha2_256 || !shard_fits {
			return None;
		}
		let load = |text: &str| hex::decode(text).ok().and_then(|bytes| Plain::load(&bytes));
		Some(Self {
			settings: settings.clone(),
			current: load(&checkpoint.current)?,
			in_shard: checkpoint.in_shard,
			outer: load(&checkpoint.outer)?,
			shards: checkpoint.shards,
			size: checkpoint.size,
		})
	}

	/// The size and digest of everything fed.
	pub fn finish(mut self) -> FileDigest {
		let bytes = match self.settings.shard_size {
			None => self.current.finalize(),
			Some(_) => {
				// A trailing partial shard, or the one empty shard of an empty stream.
				if self.in_shard > 0 || self.shards == 0 {
					self.close_shard();
				}
				self.outer.finalize()
			}
		};
		FileDigest {
			size: self.size,
			digest: ArtifactDigest { algorithm: self.settings.algorithm, bytes },
			unixfs: None,
		}
	}
}

/// Hash everything `reader` yields.
pub fn hash_reader(
	mut reader: impl Read,
	settings: &HashingSettings,
	progress: &dyn Reporter,
) -> std::io::Result<FileDigest> {
	let mut hasher = StreamHasher::new(settings);
	let mut buffer = vec![0u8; BUFFER_SIZE];
	loop {
		let n = match reader.read(&mut buffer) {
			Ok(0) => break,
			Ok(n) => n,
			Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
			Err(e) => return Err(e),
		};
		hasher.update(&buffer[..n]);
		progress.advance(n as u64);
	}
	Ok(hasher.finish())
}

/// Hash one file. With sharding and more than one shard, the shards are hashed in parallel.
pub fn hash_file(path: &Path, settings: &HashingSettings, progress: &dyn Reporter) -> Result<FileDigest> {
	let file = File::open(path).map_err(|e| Error::io(path, e))?;
	let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
	match settings.shard_size {
		Some(shard_size) if size > shard_size => {
			hash_shards_parallel(&file, path, size, shard_size, settings, progress)
		}
		_ => hash_reader(file, settings, progress).map_err(|e| Error::io(path, e)),
	}
}

/// [`hash_file`], also computing the file's UnixFS CID. Unsharded, one read feeds both: the
/// UnixFS DAG (a second sha2-256 over every leaf) is built on its own thread from the buffers
/// the digest has just hashed, so on two cores the extra work costs little wall time. Sharded
/// files are hashed shard-parallel as usual while one more thread reads them in order for the
/// CID.
pub fn hash_file_with_cid(path: &Path, settings: &HashingSettings, progress: &dyn Reporter) -> Result<FileDigest> {
	let sharded = settings.shard_size.is_some();
	std::thread::scope(|scope| {
		let (sender, receiver) = std::sync::mpsc::sync_channel::<bytes::Bytes>(4);
		let unixfs = scope.spawn(move || {
			let mut hasher = UnixFsHasher::new();
			for chunk in receiver {
				hasher.update(&chunk);
			}
			hasher.finish()
		});
		let digest = if sharded {
			let reader = scope.spawn(move || -> std::io::Result<()> {
				let mut file = File::open(path)?;
				while let Some(chunk) = read_chunk(&mut file)? {
					if sender.send(chunk).is_err() {
						break;
					}
				}
				Ok(())
			});
			let digest = hash_file(path, settings, progress);
			reader.join().expect("the reading thread does not panic; qed").map_err(|e| Error::io(path, e))?;
			digest
		} else {
			let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
			let mut hasher = StreamHasher::new(settings);
			while let Some(chunk) = read_chunk(&mut file).map_err(|e| Error::io(path, e))? {
				hasher.update(&chunk);
				progress.advance(chunk.len() as u64);
				// The CID thread only stops early if it panicked, which join reports below.
				let _ = sender.send(chunk);
			}
			drop(sender);
			Ok(hasher.finish())
		};
		let cid = unixfs.join().expect("the UnixFS thread does not panic; qed");
		digest.map(|digest| FileDigest { unixfs: Some(cid), ..digest })
	})
}

/// The next [`BUFFER_SIZE`] bytes (fewer at the end); `None` at the end.
fn read_chunk(file: &mut File) -> std::io::Result<Option<bytes::Bytes>> {
	let mut buffer = vec![0u8; BUFFER_SIZE];
	let mut filled = 0;
	while filled < buffer.len() {
		match file.read(&mut buffer[filled..]) {
			Ok(0) => break,
			Ok(n) => filled += n,
			Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
			Err(e) => return Err(e),
		}
	}
	buffer.truncate(filled);
	Ok((filled > 0).then(|| bytes::Bytes::from(buffer)))
}

fn hash_shards_parallel(
	file: &File,
	path: &Path,
	size: u64,
	shard_size: u64,
	settings: &HashingSettings,
	progress: &dyn Reporter,
) -> Result<FileDigest> {
	let count = size.div_ceil(shard_size);
	let digests = (0..count)
		.into_par_iter()
		.map(|index| {
			let start = index * shard_size;
			let end = (start + shard_size).min(size);
			let mut hasher = Plain::new(settings.algorithm);
			let mut buffer = vec![0u8; BUFFER_SIZE.min((end - start) as usize)];
			let mut offset = start;
			while offset < end {
				let want = ((end - offset) as usize).min(buffer.len());
				let n = match file.read_at(&mut buffer[..want], offset) {
					// The file shrank under us.
					Ok(0) => return Err(Error::ChangedWhileHashing { path: path.to_path_buf() }),
					Ok(n) => n,
					Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
					Err(e) => return Err(Error::io(path, e)),
				};
				hasher.update(&buffer[..n]);
				progress.advance(n as u64);
				offset += n as u64;
			}
			Ok(hasher.finalize())
		})
		.collect::<Result<Vec<_>>>()?;
	let mut outer = Plain::new(settings.algorithm);
	for digest in &digests {
		outer.update(digest);
	}
	Ok(FileDigest {
		size,
		digest: ArtifactDigest { algorithm: settings.algorithm, bytes: outer.finalize() },
		unixfs: None,
	})
}

/// Hash scanned files in parallel, in the order given. A file whose size changed since it was
/// scanned is an error, so a manifest never pairs a stale size with a digest.
pub fn hash_files(
	files: &[ScannedFile],
	settings: &HashingSettings,
	reporter: &dyn Reporter,
) -> Result<(Vec<FileDigest>, HashStats)> {
	hash_files_with(files, settings, reporter, false)
}

/// [`hash_files`], with each file's UnixFS CID too when `unixfs` is set.
pub fn hash_files_with(
	files: &[ScannedFile],
	settings: &HashingSettings,
	reporter: &dyn Reporter,
	unixfs: bool,
) -> Result<(Vec<FileDigest>, HashStats)> {
	let total: u64 = files.iter().map(|f| f.size).sum();
	reporter.begin("hashing", total);
	let started = Instant::now();
	let digests = files
		.par_iter()
		.map(|file| {
			let digest = match unixfs {
				true => hash_file_with_cid(&file.full_path, settings, reporter)?,
				false => hash_file(&file.full_path, settings, reporter)?,
			};
			if digest.size != file.size {
				return Err(Error::ChangedWhileHashing { path: file.full_path.clone() });
			}
			Ok(digest)
		})
		.collect::<Result<Vec<_>>>();
	reporter.end();
	let digests = digests?;
	let bytes = digests.iter().map(|d| d.size).sum();
	tracing::debug!(files = files.len(), bytes, "hashed");
	Ok((digests, HashStats { files: files.len(), bytes, elapsed: started.elapsed() }))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::Silent;
	use zoo_primitives::MIN_SHARD_SIZE;

	const SHA256: HashingSettings = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None };
	const BLAKE3: HashingSettings = HashingSettings { algorithm: DigestAlgorithm::Blake3, shard_size: None };

	fn hex_digest(d: &FileDigest) -> String {
		hex::encode(d.digest.bytes)
	}

	fn stream(data: &[u8], settings: &HashingSettings, chunk: usize) -> FileDigest {
		let mut h = StreamHasher::new(settings);
		for piece in data.chunks(chunk.max(1)) {
			h.update(piece);
		}
		h.finish()
	}

	/// Sharded digest straight from the definition in `HashingSettings`.
	fn sharded_by_definition(data: &[u8], algorithm: DigestAlgorithm, shard: usize) -> [u8; 32] {
		let mut concat = Vec::new();
		if data.is_empty() {
			concat.extend(plain_digest(algorithm, &[]));
		}
		for piece in data.chunks(shard) {
			concat.extend(plain_digest(algorithm, piece));
		}
		plain_digest(algorithm, &concat)
	}

	#[test]
	fn a_checkpointed_hasher_goes_on_where_it_stopped() {
		let data: Vec<u8> = (0..(3 * MIN_SHARD_SIZE as usize + 12_345)).map(|i| (i * 7 % 251) as u8).collect();
		let sharded = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: Some(MIN_SHARD_SIZE) };
		let whole = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None };
		for settings in [whole.clone(), sharded] {
			let mut full = StreamHasher::new(&settings);
			full.update(&data);
			let expected = full.finish();
			// Stop at uneven places, inside and at the edge of a shard; resume from the saved state.
			for cut in [0, 1, 64, 1000, MIN_SHARD_SIZE as usize, MIN_SHARD_SIZE as usize + 3, data.len()] {
				let mut first = StreamHasher::new(&settings);
				first.update(&data[..cut]);
				let saved: HasherCheckpoint =
					serde_json::from_str(&serde_json::to_string(&first.checkpoint().unwrap()).unwrap()).unwrap();
				let mut resumed = StreamHasher::resume(&settings, &saved).expect("fits the settings");
				resumed.update(&data[cut..]);
				assert_eq!(resumed.finish(), expected, "{settings:?} cut at {cut}");
			}
		}
		// BLAKE3 cannot be saved; a checkpoint does not fit other settings.
		let blake3 = HashingSettings { algorithm: DigestAlgorithm::Blake3, shard_size: None };
		assert!(StreamHasher::new(&blake3).checkpoint().is_none());
		let mut sha = StreamHasher::new(&whole);
		sha.update(b"abc");
		let saved = sha.checkpoint().unwrap();
		assert!(StreamHasher::resume(&blake3, &saved).is_none());
		let garbled = HasherCheckpoint { current: "zz".into(), ..saved };
		assert!(StreamHasher::resume(&whole, &garbled).is_none());
	}

	#[test]
	fn sha256_known_vectors() {
		let cases: [(&[u8], &str); 3] = [
			(b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
			(b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
			(
				b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
				"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
			),
		];
		for (data, want) in cases {
			assert_eq!(hex_digest(&hash_reader(data, &SHA256, &Silent).unwrap()), want);
			assert_eq!(hex_digest(&stream(data, &SHA256, 7)), want);
		}
		// One million 'a's, fed across several buffers.
		let million = vec![b'a'; 1_000_000];
		assert_eq!(
			hex_digest(&stream(&million, &SHA256, 65_537)),
			"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
		);
	}

	#[test]
	fn blake3_known_vector() {
		let d = stream(b"", &BLAKE3, 1);
		assert_eq!(hex_digest(&d), "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
		assert_eq!(d.digest.algorithm, DigestAlgorithm::Blake3);
	}

	#[test]
	fn sharded_matches_definition_at_every_boundary() {
		let shard = MIN_SHARD_SIZE as usize;
		let data: Vec<u8> = (0..3 * shard + 5).map(|i| (i * 31 % 251) as u8).collect();
		for algorithm in [DigestAlgorithm::Sha2_256, DigestAlgorithm::Blake3] {
			let settings = HashingSettings { algorithm, shard_size: Some(shard as u64) };
			for len in [0, 1, shard - 1, shard, shard + 1, 2 * shard, data.len()] {
				let want = sharded_by_definition(&data[..len], algorithm, shard);
				for chunk in [4096, shard, shard + 3, BUFFER_SIZE * 3] {
					let got = stream(&data[..len], &settings, chunk);
					assert_eq!(got.digest.bytes, want, "len {len} chunk {chunk}");
					assert_eq!(got.size, len as u64);
				}
			}
		}
	}

	#[test]
	fn parallel_shards_of_a_file_match_the_stream() {
		let dir = tempfile::tempdir().unwrap();
		let shard = MIN_SHARD_SIZE as usize;
		let data: Vec<u8> = (0..2 * shard + 12_345).map(|i| (i % 253) as u8).collect();
		let path = dir.path().join("weights.bin");
		std::fs::write(&path, &data).unwrap();
		let settings = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: Some(shard as u64) };
		let parallel = hash_file(&path, &settings, &Silent).unwrap();
		assert_eq!(parallel, stream(&data, &settings, 1000));
		assert_eq!(parallel.digest.bytes, sharded_by_definition(&data, DigestAlgorithm::Sha2_256, shard));
		// Sharding changes the digest.
		assert_ne!(parallel, hash_file(&path, &SHA256, &Silent).unwrap());
	}

	#[test]
	fn hash_files_keeps_order_and_counts_bytes() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::write(dir.path().join("a"), b"abc").unwrap();
		std::fs::write(dir.path().join("b"), b"").unwrap();
		let files = crate::scan::scan(dir.path()).unwrap();
		let (digests, stats) = hash_files(&files, &SHA256, &Silent).unwrap();
		assert_eq!(stats.bytes, 3);
		assert_eq!(stats.files, 2);
		assert_eq!(hex_digest(&digests[0]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		assert_eq!(hex_digest(&digests[1]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	}

	#[test]
	fn size_change_after_scan_is_an_error() {
		let dir = tempfile::tempdir().unwrap();
		std::fs::write(dir.path().join("a"), b"abc").unwrap();
		let files = crate::scan::scan(dir.path()).unwrap();
		std::fs::write(dir.path().join("a"), b"abcd").unwrap();
		assert!(matches!(hash_files(&files, &SHA256, &Silent), Err(Error::ChangedWhileHashing { .. })));
	}
}
