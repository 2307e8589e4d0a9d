//! Sealed artifacts: client-side encryption with age v1 and X25519 recipients, and the key
//! re-wrap a release publishes.
//!
//! A sealed artifact is stored as an age *payload* (a random nonce, then 64 KiB
//! ChaCha20-Poly1305 chunks under a key derived from a random 16-byte file key). The manifest
//! records the payload's digest (what anyone can verify), the plaintext's size and digest (what
//! a key holder checks after decrypting) and an age *header* wrapping the file key for the
//! committer's own recipient. The payload does not depend on the header, so the committer can
//! later write a header for a licensee (a re-wrap: same file key, a new X25519 stanza, a new
//! header MAC) and publish it on chain; `header || payload` is then an age file that the
//! licensee opens with the reference `age -d`.
//!
//! Each account's X25519 identity is derived from its secret (the keystore's mnemonic or URI,
//! as spelled), so the mnemonic recovers it and no other key file must be kept.

use crate::hashing::StreamHasher;
use age::{Identity as _, Recipient as _};
use age_core::{
	format::{FileKey, Stanza},
	secrecy::ExposeSecret,
};
use base64::{Engine, prelude::BASE64_STANDARD_NO_PAD};
use hmac::{Hmac, Mac};
use std::{
	fmt,
	io::{self, Read, Write},
};
use zoo_primitives::{AGE_HEADER_PREFIX, ArtifactDigest, HashingSettings, is_small_order_x25519};
pub use zoo_types::SealRecipient;

/// Why sealing, opening or re-wrapping failed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
	/// The bytes are not an age v1 header.
	#[error("not an age v1 header: {0}")]
	MalformedHeader(&'static str),
	/// No stanza of the header was wrapped for this identity.
	#[error("the header was not wrapped for this key (recipient {0})")]
	NotForThisIdentity(SealRecipient),
	/// The header's MAC does not match the file key it wraps.
	#[error("the header's MAC does not match its file key (the header was altered)")]
	HeaderMac,
	/// A recipient or identity string is not an age X25519 one.
	#[error("not an age X25519 {0}")]
	InvalidKey(&'static str),
	/// The recipient key has small order: anything wrapped to it would be readable by anyone.
	#[error("recipient {0} is a small-order X25519 key: nothing can be wrapped to it secretly")]
	WeakRecipient(SealRecipient),
	/// age refused to encrypt.
	#[error("encryption failed: {0}")]
	Encrypt(String),
	/// age refused to decrypt (wrong key, altered header or payload).
	#[error("decryption failed: {0}")]
	Decrypt(String),
	/// The decrypted content is not what the manifest describes.
	#[error(
		"decrypted content is {actual_size} bytes with digest {actual}, the manifest says {expected_size} bytes with digest {expected}"
	)]
	PlaintextMismatch {
		/// The plaintext size the manifest records.
		expected_size: u64,
		/// The plaintext digest the manifest records (hex).
		expected: String,
		/// The size decrypted.
		actual_size: u64,
		/// The digest of what was decrypted (hex).
		actual: String,
	},
	/// Reading or writing failed.
	#[error(transparent)]
	Io(#[from] io::Error),
}

type Result<T, E = SealError> = std::result::Result<T, E>;

/// Why [`seal_file`] failed: the file could not be read or the payload written, or sealing
/// itself failed (named with the artifact's path).
#[derive(Debug, thiserror::Error)]
pub enum SealFileError {
	/// Reading the plaintext or writing the payload failed.
	#[error(transparent)]
	File(#[from] crate::FileError),
	/// Sealing failed.
	#[error("{path}: {source}")]
	Seal {
		/// The artifact's path.
		path: String,
		/// What went wrong.
		source: SealError,
	},
}

const IDENTITY_HRP: &str = "age-secret-key-";

fn hrp(text: &str) -> bech32::Hrp {
	bech32::Hrp::parse(text).expect("a valid constant human-readable part; qed")
}

fn age_recipient(recipient: SealRecipient) -> age::x25519::Recipient {
	recipient.to_string().parse().expect("bech32 of 32 bytes under `age` is an age recipient; qed")
}

/// An X25519 secret key: what opens headers wrapped for its [`SealRecipient`].
#[derive(Clone)]
pub struct SealIdentity(age::x25519::Identity);

impl fmt::Debug for SealIdentity {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "SealIdentity({})", self.recipient())
	}
}

/// What opens a sealed version's artifacts at checkout: an identity, and for each sealed
/// artifact (by index in the manifest) a header it opens (the owner's own, or a released one).
#[derive(Clone, Debug)]
pub struct Unsealing {
	/// The key holder's identity.
	pub identity: SealIdentity,
	/// Header by artifact index.
	pub headers: std::collections::BTreeMap<u32, Vec<u8>>,
}

impl SealIdentity {
	/// The identity of the account whose secret (mnemonic, seed or URI, as the keystore holds
	/// it) is `secret`: HKDF-SHA-256 of it, domain-separated for this use.
	pub fn from_account_secret(secret: &str) -> Self {
		let mut key = age_core::primitives::hkdf(b"zoo seal identity v1", b"x25519", secret.as_bytes());
		let text = bech32::encode::<bech32::Bech32>(hrp(IDENTITY_HRP), &key).expect("32 bytes fit bech32; qed");
		key.fill(0);
		Self(text.to_uppercase().parse().expect("bech32 of 32 bytes is an age identity; qed"))
	}

	/// The public half.
	pub fn recipient(&self) -> SealRecipient {
		self.0.to_public().to_string().parse().expect("age prints recipients as bech32 `age1...`; qed")
	}

	/// The identity as age writes it (`AGE-SECRET-KEY-1...`), for `age -d -i`.
	pub fn to_age_secret(&self) -> String {
		self.0.to_string().expose_secret().to_owned()
	}

	/// Parse `AGE-SECRET-KEY-1...`.
	pub fn parse(text: &str) -> Result<Self> {
		text.trim().parse().map(Self).map_err(|_| SealError::InvalidKey("identity (AGE-SECRET-KEY-1...)"))
	}

	/// Whether a stanza of `header` is wrapped for this identity.
	pub fn opens(&self, header: &[u8]) -> bool {
		parse_header(header).is_ok_and(|parsed| self.0.unwrap_stanzas(&parsed.stanzas).is_some_and(|key| key.is_ok()))
	}
}

/// A parsed age header.
struct ParsedHeader<'a> {
	stanzas: Vec<Stanza>,
	/// The bytes the MAC covers: from the version line through `---`.
	mac_input: &'a [u8],
	mac: Vec<u8>,
}

fn parse_header(header: &[u8]) -> Result<ParsedHeader<'_>> {
	let mut rest =
		header.strip_prefix(AGE_HEADER_PREFIX.as_bytes()).ok_or(SealError::MalformedHeader("no version line"))?;
	let mut stanzas = Vec::new();
	while !rest.starts_with(b"---") {
		let (after, stanza) = age_core::format::read::age_stanza(rest)
			.map_err(|_| SealError::MalformedHeader("a stanza does not parse"))?;
		stanzas.push(Stanza::from(stanza));
		rest = after;
	}
	let mac_end = header.len() - rest.len() + 3;
	let mac_line = rest[3..].strip_prefix(b" ").ok_or(SealError::MalformedHeader("no MAC"))?;
	let mac_text = mac_line.strip_suffix(b"\n").ok_or(SealError::MalformedHeader("no newline after the MAC"))?;
	let mac =
		BASE64_STANDARD_NO_PAD.decode(mac_text).map_err(|_| SealError::MalformedHeader("the MAC is not base64"))?;
	if stanzas.is_empty() {
		return Err(SealError::MalformedHeader("no stanza"));
	}
	Ok(ParsedHeader { stanzas, mac_input: &header[..mac_end], mac })
}

fn header_mac(file_key: &FileKey) -> Hmac<sha2::Sha256> {
	let key = age_core::primitives::hkdf(&[], b"header", file_key.expose_secret());
	Hmac::new_from_slice(&key).expect("HMAC takes any key length; qed")
}

/// An age header for `stanzas`, MACed with `file_key`.
fn write_header(stanzas: &[Stanza], file_key: &FileKey) -> Vec<u8> {
	let mut text = AGE_HEADER_PREFIX.as_bytes().to_vec();
	for stanza in stanzas {
		text.extend_from_slice(b"-> ");
		text.extend_from_slice(stanza.tag.as_bytes());
		for arg in &stanza.args {
			text.push(b' ');
			text.extend_from_slice(arg.as_bytes());
		}
		text.push(b'\n');
		// Body lines of 64 columns; the last one is shorter (empty if need be).
		let body = BASE64_STANDARD_NO_PAD.encode(&stanza.body);
		let mut lines = body.as_bytes().chunks(64).peekable();
		while let Some(line) = lines.next() {
			text.extend_from_slice(line);
			text.push(b'\n');
			if lines.peek().is_none() && line.len() == 64 {
				text.push(b'\n');
			}
		}
		if body.is_empty() {
			text.push(b'\n');
		}
	}
	text.extend_from_slice(b"---");
	let mut mac = header_mac(file_key);
	mac.update(&text);
	let tag = BASE64_STANDARD_NO_PAD.encode(mac.finalize().into_bytes());
	text.push(b' ');
	text.extend_from_slice(tag.as_bytes());
	text.push(b'\n');
	text
}

/// Unwrap `header`'s file key with `identity` and wrap it again for `to`: the header a key
/// release publishes. The header's MAC is checked first, so an altered header is never
/// re-wrapped.
pub fn rewrap(header: &[u8], identity: &SealIdentity, to: SealRecipient) -> Result<Vec<u8>> {
	let parsed = parse_header(header)?;
	let file_key = identity
		.0
		.unwrap_stanzas(&parsed.stanzas)
		.ok_or_else(|| SealError::NotForThisIdentity(identity.recipient()))?
		.map_err(|e| SealError::Decrypt(e.to_string()))?;
	let mut mac = header_mac(&file_key);
	mac.update(parsed.mac_input);
	mac.verify_slice(&parsed.mac).map_err(|_| SealError::HeaderMac)?;
	// age panics on a small-order key (an all-zero shared secret); refuse it instead, so a key
	// a buyer chose cannot stop a release agent (audit A3-07).
	if is_small_order_x25519(&to.0) {
		return Err(SealError::WeakRecipient(to));
	}
	let (stanzas, _labels) =
		age_recipient(to).wrap_file_key(&file_key).map_err(|e| SealError::Encrypt(e.to_string()))?;
	Ok(write_header(&stanzas, &file_key))
}

/// Passes everything after the age header to `inner` and keeps the header.
struct HeaderSplitter<W> {
	header: Vec<u8>,
	header_done: bool,
	inner: W,
}

/// Longest header [`seal`] accepts from age (one X25519 stanza is about 170 bytes).
const MAX_HEADER: usize = 4096;

impl<W: Write> Write for HeaderSplitter<W> {
	fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
		if self.header_done {
			return self.inner.write(buf);
		}
		self.header.extend_from_slice(buf);
		// The header ends with the line `--- <MAC>`; the payload (binary) follows it.
		let end = self.header.windows(5).position(|window| window == b"\n--- ").and_then(|mac_line| {
			self.header[mac_line + 1..].iter().position(|&b| b == b'\n').map(|n| mac_line + 2 + n)
		});
		match end {
			Some(end) => {
				self.header_done = true;
				let payload = self.header.split_off(end);
				self.inner.write_all(&payload)?;
			}
			None if self.header.len() > MAX_HEADER => {
				return Err(io::Error::other("age wrote a header longer than 4 KiB"));
			}
			None => {}
		}
		Ok(buf.len())
	}

	fn flush(&mut self) -> io::Result<()> {
		self.inner.flush()
	}
}

/// Encrypt everything `plaintext` yields for `owner`, streaming: the age payload goes to
/// `payload`, and the header (wrapping the fresh file key for `owner`'s recipient) is returned.
/// The header is written again without the random "grease" stanza age adds, so it is about
/// 170 bytes and fits [`zoo_primitives::MAX_SEAL_HEADER_LEN`].
pub fn seal(plaintext: &mut impl Read, payload: impl Write, owner: &SealIdentity) -> Result<Vec<u8>> {
	let recipient = age_recipient(owner.recipient());
	let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
		.map_err(|e| SealError::Encrypt(e.to_string()))?;
	let mut splitter = HeaderSplitter { header: Vec::new(), header_done: false, inner: payload };
	let mut writer = encryptor.wrap_output(&mut splitter)?;
	io::copy(plaintext, &mut writer)?;
	writer.finish()?;
	if !splitter.header_done {
		return Err(SealError::Encrypt("age wrote no complete header".into()));
	}
	splitter.inner.flush()?;
	rewrap(&splitter.header, owner, owner.recipient())
}

/// A reader of the plaintext of `payload`, opened with `header` (which `identity` must open).
/// age authenticates every 64 KiB chunk, so a read fails at the first altered byte.
pub fn open<'a, R: Read + 'a>(header: &[u8], payload: R, identity: &SealIdentity) -> Result<impl Read + 'a> {
	let input = io::Cursor::new(header.to_vec()).chain(payload);
	let decryptor = age::Decryptor::new(input).map_err(|e| SealError::Decrypt(e.to_string()))?;
	decryptor.decrypt(std::iter::once(&identity.0 as &dyn age::Identity)).map_err(|e| match e {
		age::DecryptError::NoMatchingKeys => SealError::NotForThisIdentity(identity.recipient()),
		other => SealError::Decrypt(other.to_string()),
	})
}

/// A writer that hands 1 MiB buffers to another thread (the other end of `sender`), so that
/// encrypting or decrypting on one core overlaps hashing and writing on the other.
struct PipeWriter {
	buffer: Vec<u8>,
	sender: std::sync::mpsc::SyncSender<Vec<u8>>,
}

const PIPE_BUFFER: usize = 1 << 20;

impl PipeWriter {
	fn send_buffer(&mut self) -> io::Result<()> {
		if self.buffer.is_empty() {
			return Ok(());
		}
		let full = std::mem::replace(&mut self.buffer, Vec::with_capacity(PIPE_BUFFER));
		self.sender.send(full).map_err(|_| io::Error::other("the hashing thread stopped"))
	}
}

impl Write for PipeWriter {
	fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
		let room = PIPE_BUFFER - self.buffer.len();
		let taken = buf.len().min(room);
		self.buffer.extend_from_slice(&buf[..taken]);
		if self.buffer.len() == PIPE_BUFFER {
			self.send_buffer()?;
		}
		Ok(taken)
	}

	fn flush(&mut self) -> io::Result<()> {
		self.send_buffer()
	}
}

/// Run `produce` on this thread writing into a pipe, and `consume` on another thread reading
/// the pipe's buffers; both results. `consume`'s error wins: a failed consumer is why the pipe
/// broke.
fn pipelined<T, R: Send>(
	produce: impl FnOnce(&mut PipeWriter) -> Result<T>,
	consume: impl FnOnce(std::sync::mpsc::Receiver<Vec<u8>>) -> Result<R> + Send,
) -> Result<(T, R)> {
	std::thread::scope(|scope| {
		// Four buffers in flight bound the memory to a few MiB whatever the file size.
		let (sender, receiver) = std::sync::mpsc::sync_channel(4);
		let consumer = scope.spawn(move || consume(receiver));
		let mut pipe = PipeWriter { buffer: Vec::with_capacity(PIPE_BUFFER), sender };
		let produced = produce(&mut pipe).and_then(|value| pipe.flush().map(|()| value).map_err(SealError::from));
		drop(pipe);
		let consumed = consumer.join().expect("the hashing thread does not panic; qed");
		Ok((produced?, consumed?))
	})
}

/// Decrypt `payload` with `header` into `out`, hashing the plaintext as it streams (on a second
/// thread), and check it is exactly `expected_size` bytes with digest `expected` (under
/// `hashing`).
pub fn unseal_into(
	header: &[u8],
	payload: impl Read,
	identity: &SealIdentity,
	hashing: &HashingSettings,
	expected_size: u64,
	expected: &ArtifactDigest,
	mut out: impl Write + Send,
) -> Result<()> {
	let produce = |pipe: &mut PipeWriter| {
		let mut reader = open(header, payload, identity)?;
		let mut buffer = vec![0u8; PIPE_BUFFER];
		let mut total = 0u64;
		loop {
			let read = match reader.read(&mut buffer) {
				Ok(0) => break,
				Ok(read) => read,
				Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
				Err(e) => return Err(SealError::Decrypt(e.to_string())),
			};
			pipe.write_all(&buffer[..read])?;
			total += read as u64;
			// More than the manifest says: no need to decrypt the rest to know it is wrong.
			if total > expected_size {
				break;
			}
		}
		Ok(())
	};
	let consume = |receiver: std::sync::mpsc::Receiver<Vec<u8>>| {
		let mut hasher = StreamHasher::new(hashing);
		for chunk in receiver {
			hasher.update(&chunk);
			out.write_all(&chunk)?;
		}
		out.flush()?;
		Ok(hasher.finish())
	};
	let ((), actual) = pipelined(produce, consume)?;
	if actual.size != expected_size || actual.digest != *expected {
		return Err(SealError::PlaintextMismatch {
			expected_size,
			expected: hex::encode(expected.bytes),
			actual_size: actual.size,
			actual: hex::encode(actual.digest.bytes),
		});
	}
	Ok(())
}

/// A file sealed by [`seal_file`].
#[derive(Debug, Clone)]
pub struct SealedOutput {
	/// The stored object: the age payload, kept at `<dir>/<algo>-<hex digest>`.
	pub payload_path: std::path::PathBuf,
	/// The payload's size and digest (and UnixFS CID when asked).
	pub payload: crate::hashing::FileDigest,
	/// The owner header that opens it.
	pub header: Vec<u8>,
}

/// Seal the file at `path` for `owner` into `dir` (created `0700` if missing), streaming, then
/// hash the payload under `hashing` (with its UnixFS CID if `unixfs`). Memory stays bounded
/// whatever the file's size.
pub fn seal_file(
	path: &std::path::Path,
	dir: &std::path::Path,
	owner: &SealIdentity,
	hashing: &HashingSettings,
	unixfs: bool,
) -> std::result::Result<SealedOutput, SealFileError> {
	use crate::FileError;
	use std::os::unix::fs::DirBuilderExt;
	std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| FileError::io(dir, e))?;
	let failed = |source| SealFileError::Seal { path: path.display().to_string(), source };
	let mut input = std::io::BufReader::with_capacity(PIPE_BUFFER, crate::fs::open_regular(path)?);
	let temporary = tempfile::NamedTempFile::new_in(dir).map_err(|e| FileError::io(dir, e))?;
	// Encrypt here; hash the payload (and its UnixFS CID) and write it on a second thread.
	let consume = |receiver: std::sync::mpsc::Receiver<Vec<u8>>| {
		let mut file = temporary.as_file();
		let mut hasher = StreamHasher::new(hashing);
		let mut cid = unixfs.then(crate::unixfs::UnixFsHasher::new);
		for chunk in receiver {
			hasher.update(&chunk);
			if let Some(cid) = cid.as_mut() {
				cid.update(&chunk);
			}
			file.write_all(&chunk)?;
		}
		file.sync_all()?;
		Ok(crate::hashing::FileDigest { unixfs: cid.map(|cid| cid.finish()), ..hasher.finish() })
	};
	let (header, payload) = pipelined(|pipe| seal(&mut input, pipe, owner), consume).map_err(failed)?;
	let name = format!("{}-{}", payload.digest.algorithm.as_str(), hex::encode(payload.digest.bytes));
	let payload_path = dir.join(name);
	temporary.persist(&payload_path).map_err(|e| FileError::io(&payload_path, e.error))?;
	Ok(SealedOutput { payload_path, payload, header })
}

#[cfg(test)]
mod tests {
	use super::*;
	use zoo_primitives::DigestAlgorithm;

	fn sha256() -> HashingSettings {
		HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None }
	}

	fn digest_of(data: &[u8]) -> ArtifactDigest {
		let mut hasher = StreamHasher::new(&sha256());
		hasher.update(data);
		hasher.finish().digest
	}

	fn content(len: usize) -> Vec<u8> {
		(0..len).map(|i| (i * 31 + 7) as u8).collect()
	}

	#[test]
	fn identities_derive_from_secrets_and_round_trip_their_text() {
		let alice = SealIdentity::from_account_secret("//Alice");
		assert_eq!(alice.recipient(), SealIdentity::from_account_secret("//Alice").recipient());
		assert_ne!(alice.recipient(), SealIdentity::from_account_secret("//Bob").recipient());
		let text = alice.recipient().to_string();
		assert!(text.starts_with("age1"), "{text}");
		assert_eq!(text.parse::<SealRecipient>().unwrap(), alice.recipient());
		assert_eq!(SealIdentity::parse(&alice.to_age_secret()).unwrap().recipient(), alice.recipient());
		assert!("age1xyz".parse::<SealRecipient>().is_err());
		assert!(matches!(SealIdentity::parse("AGE-SECRET-KEY-1"), Err(SealError::InvalidKey(_))));
	}

	#[test]
	fn a_rewrap_to_a_small_order_key_is_refused_without_a_panic() {
		// Audit A3-07: age panics on these (an all-zero shared secret).
		let owner = SealIdentity::from_account_secret("//Alice");
		let header = seal(&mut &content(10)[..], &mut Vec::new(), &owner).unwrap();
		let mut one = [0; 32];
		one[0] = 1;
		for weak in [[0; 32], one] {
			let refused = std::panic::catch_unwind(|| rewrap(&header, &owner, SealRecipient(weak)))
				.expect("no panic on a small-order key");
			assert!(matches!(refused, Err(SealError::WeakRecipient(key)) if key.0 == weak), "{refused:?}");
		}
	}

	#[test]
	fn the_chains_small_order_list_is_what_x25519_zeroes() {
		// Every key the shared list flags gives an all-zero shared secret with clamped scalars,
		// and keys it does not flag do not: the list and the curve agree.
		let scalars = [[7u8; 32], [0x5a; 32], SealIdentity::from_account_secret("//Bob").recipient().0];
		let mut flagged = 0;
		for candidate in 0u8..=255 {
			for key in [[candidate; 32], small_order_candidate(candidate)] {
				let zero = scalars.iter().all(|scalar| x25519_dalek::x25519(*scalar, key) == [0; 32]);
				assert_eq!(is_small_order_x25519(&key), zero, "{key:02x?}");
				flagged += usize::from(zero);
			}
		}
		assert!(flagged >= 4, "the candidates include small-order keys ({flagged})");
	}

	/// The small-order encodings and their neighbours, by index (others: a byte pattern).
	fn small_order_candidate(index: u8) -> [u8; 32] {
		let mut key = [0u8; 32];
		match index % 8 {
			0 => key[0] = index / 8,
			1 => {
				key = [0xff; 32];
				key[0] = 0xe0 + index / 8;
				key[31] = 0x7f | (index & 0x80);
			}
			2 => key.copy_from_slice(
				&hex::decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800").unwrap(),
			),
			3 => key.copy_from_slice(
				&hex::decode("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157").unwrap(),
			),
			_ => key[index as usize % 32] = index,
		}
		if index & 0x40 != 0 {
			key[31] |= 0x80;
		}
		key
	}

	#[test]
	fn sealed_content_opens_for_the_owner_and_after_a_rewrap_only_for_the_grantee() {
		let owner = SealIdentity::from_account_secret("//Alice");
		let grantee = SealIdentity::from_account_secret("//Bob");
		let stranger = SealIdentity::from_account_secret("//Eve");
		// Uneven: several 64 KiB chunks and a short last one.
		let plaintext = content(200_000);
		let mut payload = Vec::new();
		let header = seal(&mut &plaintext[..], &mut payload, &owner).unwrap();
		assert!(header.starts_with(AGE_HEADER_PREFIX.as_bytes()) && header.ends_with(b"\n"));
		assert_eq!(zoo_primitives::validate_seal_header(&header), Ok(()));
		assert!(header.len() <= zoo_primitives::MAX_SEAL_HEADER_LEN as usize, "{}", header.len());
		assert!(owner.opens(&header) && !grantee.opens(&header));

		let mut opened = Vec::new();
		let expected = digest_of(&plaintext);
		unseal_into(&header, &payload[..], &owner, &sha256(), plaintext.len() as u64, &expected, &mut opened).unwrap();
		assert!(opened == plaintext, "content differs");

		let released = rewrap(&header, &owner, grantee.recipient()).unwrap();
		assert!(grantee.opens(&released) && !owner.opens(&released));
		let mut opened = Vec::new();
		unseal_into(&released, &payload[..], &grantee, &sha256(), plaintext.len() as u64, &expected, &mut opened)
			.unwrap();
		assert!(opened == plaintext, "content differs");

		// Only the owner can re-wrap; a stranger opens neither header.
		assert!(matches!(rewrap(&header, &stranger, stranger.recipient()), Err(SealError::NotForThisIdentity(_))));
		let refused = unseal_into(&released, &payload[..], &stranger, &sha256(), 0, &expected, io::sink());
		assert!(matches!(refused, Err(SealError::NotForThisIdentity(_))), "{refused:?}");
	}

	#[test]
	fn altered_headers_payloads_and_plaintext_claims_are_refused() {
		let owner = SealIdentity::from_account_secret("//Alice");
		let plaintext = content(70_000);
		let expected = digest_of(&plaintext);
		let mut payload = Vec::new();
		let header = seal(&mut &plaintext[..], &mut payload, &owner).unwrap();
		let size = plaintext.len() as u64;

		// A header whose MAC was changed is neither opened nor re-wrapped.
		let mut bad_mac = header.clone();
		let at = bad_mac.len() - 3;
		bad_mac[at] = if bad_mac[at] == b'A' { b'B' } else { b'A' };
		assert!(matches!(rewrap(&bad_mac, &owner, owner.recipient()), Err(SealError::HeaderMac)));
		assert!(unseal_into(&bad_mac, &payload[..], &owner, &sha256(), size, &expected, io::sink()).is_err());

		// One flipped payload byte fails its chunk's authentication.
		let mut flipped = payload.clone();
		flipped[40_000] ^= 1;
		let refused = unseal_into(&header, &flipped[..], &owner, &sha256(), size, &expected, io::sink());
		assert!(matches!(refused, Err(SealError::Decrypt(_))), "{refused:?}");

		// A truncated payload (a lost last chunk) is refused too.
		let truncated = &payload[..payload.len() - 100];
		assert!(unseal_into(&header, truncated, &owner, &sha256(), size, &expected, io::sink()).is_err());

		// A manifest that claims another plaintext is caught after decrypting.
		let other = digest_of(b"other");
		let refused = unseal_into(&header, &payload[..], &owner, &sha256(), size, &other, io::sink());
		assert!(matches!(refused, Err(SealError::PlaintextMismatch { .. })), "{refused:?}");

		for bytes in [
			&b"age-encryption.org/v1\n--- AAAA\n"[..],
			b"age-encryption.org/v2\n",
			b"age-encryption.org/v1\n-> X25519\n",
		] {
			let refused = rewrap(bytes, &owner, owner.recipient());
			assert!(matches!(refused, Err(SealError::MalformedHeader(_))), "{refused:?}");
		}
	}
}
