//! Checking out a version: fetch every artifact into a directory, verified before it lands.
//!
//! The manifest must pass the chain's rules ([`Manifest::validate`]: among them, artifact paths
//! stay inside the target and name no tool control directory such as `.git/`), and no path may
//! lead into the client's own `.zoo/` (in any letter case).
//!
//! The target must be the user's own: created by the checkout (`create_dir`, so a directory
//! someone else made in between is not taken over), or an existing directory that is not a
//! symlink, belongs to the user and is not writable by others (unless sticky). From then on
//! every operation is relative to directory handles opened with `O_NOFOLLOW`, so no symlink,
//! whoever placed it, is ever followed, and every existing directory on the way must be as
//! trustworthy as the target.
//!
//! Every artifact is streamed into a fresh `0700` staging directory inside `<target>/.zoo/`
//! (same filesystem, so the final move is a rename; and `.zoo/` is never an artifact, so
//! leftovers of a killed checkout are never mistaken for content). Its size and digest are
//! checked while it streams; a `file://` source must be a regular file. Only when *every*
//! artifact has verified, and every directory and destination has been checked for conflicts,
//! are directories created and files renamed into place; if anything fails then, what was done
//! is undone (replaced files are put back), so the target is as it was.

use crate::{
	Error, Result,
	progress::{Reporter, Silent},
	scan::ZOO_DIR,
	seal::{self, Unsealing},
	storage::{
		fetch::{ArtifactFailure, Expected, fetch_artifact},
		transport::Stores,
	},
	unixfs::artifact_cid,
};
use futures::StreamExt;
use rustix::fs::{AtFlags, FileType, Mode, OFlags, Stat};
use std::{
	collections::{BTreeMap, BTreeSet},
	fs::File,
	os::{
		fd::{AsFd, BorrowedFd, OwnedFd},
		unix::fs::DirBuilderExt,
	},
	path::{Path, PathBuf},
	sync::Arc,
};
use zoo_primitives::{Artifact, ArtifactDigest, HashingSettings, Manifest};

/// Mode of the directories checkout creates (the target and those inside it): never writable by
/// others, whatever the umask, since checkout refuses directories that are.
const DIR_MODE: u32 = 0o755;

/// What a checkout wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckoutReport {
	/// Files placed.
	pub files: usize,
	/// Bytes fetched and verified.
	pub bytes: u64,
	/// Bytes received over the wire in this run (less than `bytes` after a resume; more if a
	/// source failed midway or its object changed).
	pub transferred: u64,
	/// Bytes an earlier, interrupted checkout had already fetched.
	pub resumed: u64,
	/// Artifacts read from a mirror because their own URI failed.
	pub from_mirrors: usize,
}

/// How a checkout gets its bytes.
#[derive(Clone)]
pub struct CheckoutOptions {
	/// Check out into a non-empty directory (files the version has are replaced).
	pub force: bool,
	/// Where the fetch's progress goes.
	pub reporter: Arc<dyn Reporter>,
	/// Stores, remotes (tried as mirrors by digest) and transfer settings.
	pub stores: Stores,
	/// Keys for a sealed version's artifacts (decrypted after their ciphertext is verified).
	pub unsealing: Option<Unsealing>,
}

impl std::fmt::Debug for CheckoutOptions {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("CheckoutOptions")
			.field("force", &self.force)
			.field("stores", &self.stores)
			.field("unsealing", &self.unsealing)
			.finish_non_exhaustive()
	}
}

impl CheckoutOptions {
	/// No force, no progress, no remotes.
	pub fn new() -> Self {
		Self { force: false, reporter: Arc::new(Silent), stores: Stores::default(), unsealing: None }
	}
}

impl Default for CheckoutOptions {
	fn default() -> Self {
		Self::new()
	}
}

/// One artifact to fetch.
struct Planned<'a> {
	artifact: &'a Artifact,
	path: String,
	/// Its own URI first, then the remotes' URIs for its digest.
	uris: Vec<String>,
}

/// Where an artifact can be read: its own URI, then each remote that would hold its digest.
pub fn sources_of(artifact: &Artifact, hashing: &HashingSettings, stores: &Stores) -> Vec<String> {
	let mut uris = vec![String::from_utf8_lossy(&artifact.uri).into_owned()];
	// IPFS remotes store by CID, which the manifest does not always give.
	let cid = artifact_cid(artifact, hashing);
	for remote in stores.remotes() {
		if let Ok(Some(uri)) = remote.object_uri(&artifact.digest, cid.as_ref())
			&& !uris.contains(&uri)
		{
			uris.push(uri);
		}
	}
	uris
}

fn plan<'a>(manifest: &'a Manifest, options: &CheckoutOptions) -> Result<Vec<Planned<'a>>> {
	// Never trust a manifest to keep its paths inside the target, even one from the chain.
	manifest.validate()?;
	for file in manifest.license.sealed_files() {
		if !options.unsealing.as_ref().is_some_and(|keys| keys.headers.contains_key(&file.artifact)) {
			let path = &manifest.artifacts[file.artifact as usize].path;
			return Err(Error::NoSealKey { path: String::from_utf8_lossy(path).into_owned() });
		}
	}
	let stores = &options.stores;
	manifest
		.artifacts
		.iter()
		.map(|artifact| {
			let path = String::from_utf8_lossy(&artifact.path).into_owned();
			// Case-insensitive: on macOS and Windows `.ZOO/` is `.zoo/`.
			let first = path.split('/').next().unwrap_or_default();
			if first.eq_ignore_ascii_case(ZOO_DIR) {
				return Err(Error::Checkout(format!(
					"artifact path {path:?} is inside the client's {ZOO_DIR}/ directory"
				)));
			}
			Ok(Planned { artifact, path, uris: sources_of(artifact, &manifest.hashing, stores) })
		})
		.collect()
}

/// Whether `dir` has any entry besides the leftovers of an interrupted checkout (a `.zoo/`
/// without a workspace configuration, holding partial downloads to resume): checking out into
/// it then needs `force`.
pub fn is_non_empty(dir: &Path) -> Result<bool> {
	for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
		let entry = entry.map_err(|e| Error::io(dir, e))?;
		let leftovers = entry.file_name() == ZOO_DIR
			&& entry.file_type().is_ok_and(|t| t.is_dir())
			&& !entry.path().join(crate::workspace::CONFIG_FILE).exists();
		if !leftovers {
			return Ok(true);
		}
	}
	Ok(false)
}

/// Open directory `name` in `parent` without following a symlink.
fn open_dir_at(parent: BorrowedFd<'_>, name: &str) -> std::io::Result<OwnedFd> {
	Ok(rustix::fs::openat(
		parent,
		name,
		OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
		Mode::empty(),
	)?)
}

/// The entry `name` in `parent` (not following a symlink); `None` if there is none.
fn entry_at(parent: BorrowedFd<'_>, name: &str) -> std::io::Result<Option<FileType>> {
	match rustix::fs::statat(parent, name, AtFlags::SYMLINK_NOFOLLOW) {
		Ok(stat) => Ok(Some(FileType::from_raw_mode(stat.st_mode))),
		Err(rustix::io::Errno::NOENT) => Ok(None),
		Err(e) => Err(e.into()),
	}
}

/// Refuse a directory another user could change under the checkout: one that is not the
/// user's own, or is writable by group or others without the sticky bit.
fn check_trusted(target: &Path, path: &Path, stat: &Stat) -> Result<()> {
	let problem = if stat.st_uid != rustix::process::geteuid().as_raw() {
		"belongs to another user"
	} else if stat.st_mode & 0o022 != 0 && stat.st_mode & 0o1000 == 0 {
		"is writable by other users (chmod go-w it, or check out elsewhere)"
	} else {
		return Ok(());
	};
	Err(Error::CheckoutConflict { target: target.to_owned(), path: path.to_owned(), problem })
}

fn conflict(target: &Path, path: impl Into<PathBuf>, problem: &'static str) -> Error {
	Error::CheckoutConflict { target: target.to_owned(), path: path.into(), problem }
}

/// Open the target: an existing directory the user can trust, or one created here. Returns
/// its handle and whether it was created.
fn open_target(target: &Path, force: bool) -> Result<(OwnedFd, bool)> {
	let created = match std::fs::symlink_metadata(target) {
		Ok(meta) if meta.file_type().is_symlink() => {
			return Err(conflict(target, target, "is a symlink; give the directory it points to"));
		}
		Ok(meta) if !meta.is_dir() => {
			return Err(Error::Checkout(format!("{}: exists and is not a directory", target.display())));
		}
		Ok(_) => {
			if !force && is_non_empty(target)? {
				return Err(Error::Checkout(format!(
					"{} is not empty; pass --force to check out into it",
					target.display()
				)));
			}
			false
		}
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
			if let Some(parent) = target.parent().filter(|parent| !parent.as_os_str().is_empty()) {
				std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
			}
			// Not create_dir_all: a directory someone else created meanwhile is not ours.
			// DIR_MODE, not the umask's say: a group-writable directory would fail the trust
			// check below.
			std::fs::DirBuilder::new().mode(DIR_MODE).create(target).map_err(|e| Error::io(target, e))?;
			true
		}
		Err(e) => return Err(Error::io(target, e)),
	};
	let opened = rustix::fs::open(
		target,
		OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
		Mode::empty(),
	)
	.map_err(|e| Error::io(target, e.into()))
	.and_then(|fd| {
		// What was opened is what was checked (or created): it may have been swapped since.
		let stat = rustix::fs::fstat(&fd).map_err(|e| Error::io(target, e.into()))?;
		check_trusted(target, target, &stat)?;
		Ok(fd)
	});
	match opened {
		Ok(fd) => Ok((fd, created)),
		Err(e) => {
			if created {
				let _ = std::fs::remove_dir(target);
			}
			Err(e)
		}
	}
}

/// Check out `manifest` into `target`. A non-empty `target` is refused unless `options.force`
/// (a target holding only an interrupted checkout's partial downloads counts as empty, and
/// those downloads are resumed).
pub async fn checkout(manifest: &Manifest, target: &Path, options: &CheckoutOptions) -> Result<CheckoutReport> {
	checkout_failing_at(manifest, target, options, None).await
}

/// [`checkout`], made to fail (for tests) before placing the file at position `fail_at`.
async fn checkout_failing_at(
	manifest: &Manifest,
	target: &Path,
	options: &CheckoutOptions,
	fail_at: Option<usize>,
) -> Result<CheckoutReport> {
	let planned = plan(manifest, options)?;
	let (target_fd, created) = open_target(target, options.force)?;
	let result = fetch_and_place(&planned, manifest, target, target_fd.as_fd(), options, fail_at).await;
	if result.is_err() && created && !has_partial_downloads(target) {
		// Leave no trace of a failed checkout into a directory we made, unless it holds
		// downloads the next try can resume.
		let _ = std::fs::remove_dir_all(target);
	}
	result
}

/// Where partial downloads are kept between runs: `<target>/.zoo/partial/`.
const PARTIAL_DIR: &str = "partial";

fn has_partial_downloads(target: &Path) -> bool {
	std::fs::read_dir(target.join(ZOO_DIR).join(PARTIAL_DIR)).is_ok_and(|mut entries| entries.next().is_some())
}

/// The staging directory `<target>/.zoo/checkout-<random>`, `0700`, and what was made for it.
struct Staging {
	zoo: OwnedFd,
	/// Whether `.zoo/` was created for it (and is removed again on failure).
	zoo_created: bool,
	name: String,
	dir: OwnedFd,
	/// Entries put in it, removed with it.
	entries: std::sync::Mutex<Vec<String>>,
}

impl Staging {
	fn create(target: &Path, target_fd: BorrowedFd<'_>) -> Result<Staging> {
		let zoo_path = target.join(ZOO_DIR);
		let io = |e: rustix::io::Errno| Error::io(&zoo_path, e.into());
		let zoo_created = match entry_at(target_fd, ZOO_DIR).map_err(|e| Error::io(&zoo_path, e))? {
			None => {
				rustix::fs::mkdirat(target_fd, ZOO_DIR, Mode::from_raw_mode(0o700)).map_err(io)?;
				true
			}
			Some(FileType::Directory) => false,
			Some(_) => return Err(conflict(target, ZOO_DIR, "is not a directory")),
		};
		let zoo = open_dir_at(target_fd, ZOO_DIR).map_err(|e| Error::io(&zoo_path, e))?;
		check_trusted(target, Path::new(ZOO_DIR), &rustix::fs::fstat(&zoo).map_err(io)?)?;
		let mut attempts = 0;
		let name = loop {
			let mut random = [0u8; 8];
			getrandom::getrandom(&mut random).map_err(|e| Error::Checkout(format!("no system randomness: {e}")))?;
			let name = format!("checkout-{}", hex::encode(random));
			match rustix::fs::mkdirat(&zoo, name.as_str(), Mode::from_raw_mode(0o700)) {
				Ok(()) => break name,
				Err(rustix::io::Errno::EXIST) if attempts < 8 => attempts += 1,
				Err(e) => return Err(io(e)),
			}
		};
		let dir = open_dir_at(zoo.as_fd(), &name).map_err(|e| Error::io(&zoo_path, e))?;
		Ok(Staging { zoo, zoo_created, name, dir, entries: Default::default() })
	}

	/// Create the staged file `name`, `0644` as a normal file would be, never through a symlink.
	fn create_file(&self, name: &str) -> std::io::Result<File> {
		let fd = rustix::fs::openat(
			&self.dir,
			name,
			OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
			Mode::from_raw_mode(0o644),
		)?;
		self.remember(name);
		Ok(File::from(fd))
	}

	fn remember(&self, name: &str) {
		if let Ok(mut entries) = self.entries.lock() {
			entries.push(name.to_owned());
		}
	}

	/// Open (creating it `0700` if missing) `.zoo/partial/`, where downloads live until they
	/// verified and survive an interrupted checkout.
	fn partial_dir(&self, target: &Path) -> Result<OwnedFd> {
		let path = target.join(ZOO_DIR).join(PARTIAL_DIR);
		let io = |e: rustix::io::Errno| Error::io(&path, e.into());
		match entry_at(self.zoo.as_fd(), PARTIAL_DIR).map_err(|e| Error::io(&path, e))? {
			None => rustix::fs::mkdirat(&self.zoo, PARTIAL_DIR, Mode::from_raw_mode(0o700)).map_err(io)?,
			Some(FileType::Directory) => {}
			Some(_) => return Err(conflict(target, Path::new(ZOO_DIR).join(PARTIAL_DIR), "is not a directory")),
		}
		let dir = open_dir_at(self.zoo.as_fd(), PARTIAL_DIR).map_err(|e| Error::io(&path, e))?;
		check_trusted(target, &Path::new(ZOO_DIR).join(PARTIAL_DIR), &rustix::fs::fstat(&dir).map_err(io)?)?;
		Ok(dir)
	}

	/// Move the verified download `name` into staging as entry `indices[0]`, and copy it to the
	/// other entries (paths with the same content).
	fn adopt(&self, partial_dir: &OwnedFd, name: &str, indices: &[usize]) -> std::io::Result<()> {
		let first = indices[0].to_string();
		rustix::fs::renameat(partial_dir, name, &self.dir, first.as_str())?;
		self.remember(&first);
		self.copy_to_others(&first, &indices[1..])
	}

	/// Decrypt the verified download `name` (a sealed artifact's ciphertext) into staging as
	/// entry `indices[0]` with `unseal`, which checks the plaintext; then drop the ciphertext and
	/// copy the plaintext to the other entries.
	fn adopt_unsealed(
		&self,
		partial_dir: &OwnedFd,
		name: &str,
		indices: &[usize],
		unseal: impl FnOnce(File, &mut File) -> Result<()>,
	) -> Result<()> {
		let io = |e: std::io::Error| Error::Checkout(format!("staging a decrypted file: {e}"));
		let payload =
			rustix::fs::openat(partial_dir, name, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())
				.map_err(|e| io(e.into()))?;
		let first = indices[0].to_string();
		let mut out = self.create_file(&first).map_err(io)?;
		let unsealed = unseal(File::from(payload), &mut out);
		// Verified ciphertext that does not open (or not to the manifest's plaintext) is not
		// worth resuming: the next try fetches it again.
		let _ = rustix::fs::unlinkat(partial_dir, name, AtFlags::empty());
		unsealed?;
		out.sync_all().map_err(io)?;
		self.copy_to_others(&first, &indices[1..]).map_err(io)
	}

	fn copy_to_others(&self, first: &str, others: &[usize]) -> std::io::Result<()> {
		for index in others {
			let source = rustix::fs::openat(
				&self.dir,
				first,
				OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
				Mode::empty(),
			)?;
			let mut copy = self.create_file(&index.to_string())?;
			std::io::copy(&mut File::from(source), &mut copy)?;
			copy.sync_all()?;
		}
		Ok(())
	}

	/// Remove the staging directory (and `.zoo/` if it was made for it and `keep_zoo` is false).
	fn remove(self, target_fd: BorrowedFd<'_>, keep_zoo: bool) {
		for name in self.entries.lock().map(|entries| entries.clone()).unwrap_or_default() {
			let _ = rustix::fs::unlinkat(&self.dir, name.as_str(), AtFlags::empty());
		}
		drop(self.dir);
		let _ = rustix::fs::unlinkat(&self.zoo, self.name.as_str(), AtFlags::REMOVEDIR);
		drop(self.zoo);
		if self.zoo_created && !keep_zoo {
			// REMOVEDIR removes it only if it is empty.
			let _ = rustix::fs::unlinkat(target_fd, ZOO_DIR, AtFlags::REMOVEDIR);
		}
	}
}

async fn fetch_and_place(
	planned: &[Planned<'_>],
	manifest: &Manifest,
	target: &Path,
	target_fd: BorrowedFd<'_>,
	options: &CheckoutOptions,
	fail_at: Option<usize>,
) -> Result<CheckoutReport> {
	let staging = Staging::create(target, target_fd)?;
	let fetched = fetch_all(planned, manifest, target, &staging, options).await;
	let placed = match fetched {
		Ok(report) => place(planned, target, target_fd, &staging, fail_at).map(|()| report),
		Err(e) => Err(e),
	};
	// REMOVEDIR removes it only if it is empty, i.e. holds nothing to resume.
	let _ = rustix::fs::unlinkat(&staging.zoo, PARTIAL_DIR, AtFlags::REMOVEDIR);
	// Keep .zoo/ when it holds partial downloads to resume.
	let keep_zoo = placed.is_ok() || has_partial_downloads(target);
	staging.remove(target_fd, keep_zoo);
	placed
}

/// Fetch every artifact (each distinct digest once, several at a time) into
/// `<target>/.zoo/partial/`, verified, then move each into the staging directory under its
/// position in `planned`.
async fn fetch_all(
	planned: &[Planned<'_>],
	manifest: &Manifest,
	target: &Path,
	staging: &Staging,
	options: &CheckoutOptions,
) -> Result<CheckoutReport> {
	let partial_dir = staging.partial_dir(target)?;
	let partial_path = target.join(ZOO_DIR).join(PARTIAL_DIR);
	// One checkout at a time writes partial downloads into a target, from the first byte until
	// they are adopted: two would share each partial file's inode, and one could truncate bytes
	// the other has hashed, or write into a file the other has placed (audit A3-08). The lock
	// goes with the descriptor, on every exit.
	rustix::fs::flock(&partial_dir, rustix::fs::FlockOperation::NonBlockingLockExclusive).map_err(|errno| {
		if errno == rustix::io::Errno::WOULDBLOCK {
			Error::Checkout(format!(
				"another checkout is downloading into {}: wait for it to finish or check out elsewhere; nothing was placed",
				target.display()
			))
		} else {
			Error::io(&partial_path, errno.into())
		}
	})?;
	// Paths that share a digest share one download.
	let mut by_digest: BTreeMap<String, Vec<usize>> = BTreeMap::new();
	for (index, item) in planned.iter().enumerate() {
		let digest = &item.artifact.digest;
		// A sealed artifact is decrypted with its own header: never share its download with a
		// plain one that happens to name the same bytes.
		let sealed = if manifest.sealed_file(index).is_some() { ".sealed" } else { "" };
		by_digest
			.entry(format!("{}-{}{sealed}", digest.algorithm.as_str(), hex::encode(digest.bytes)))
			.or_default()
			.push(index);
	}
	let total = by_digest.values().map(|indices| planned[indices[0]].artifact.size).fold(0u64, u64::saturating_add);
	options.reporter.begin("fetching", total);
	let jobs = options.stores.settings().jobs.max(1);
	let tasks = by_digest.iter().map(|(name, indices)| {
		let item = &planned[indices[0]];
		let expected = Expected {
			path: item.path.clone(),
			size: item.artifact.size,
			digest: item.artifact.digest.clone(),
			hashing: manifest.hashing.clone(),
		};
		let uris = item.uris.clone();
		let partial = partial_path.join(name);
		let stores = options.stores.clone();
		let bar = options.reporter.file(&item.path, item.artifact.size);
		// Spawned, so hashing several files uses several cores.
		tokio::spawn(async move { fetch_artifact(&stores, &uris, &expected, &partial, &bar).await })
	});
	let results: Vec<_> = futures::stream::iter(tasks).buffered(jobs).collect().await;
	options.reporter.end();
	let mut failures = Vec::new();
	let mut report = CheckoutReport {
		files: planned.len(),
		bytes: planned.iter().map(|p| p.artifact.size).fold(0u64, u64::saturating_add),
		transferred: 0,
		resumed: 0,
		from_mirrors: 0,
	};
	for ((name, indices), result) in by_digest.iter().zip(results) {
		match result {
			Ok(Ok(fetched)) => {
				report.transferred += fetched.transferred;
				report.resumed += fetched.resumed_from;
				report.from_mirrors +=
					usize::from(fetched.failed_sources > 0 || fetched.source != planned[indices[0]].uris[0]);
				tracing::debug!(?fetched, "fetched");
				let first = indices[0];
				match options.unsealing.as_ref().zip(manifest.sealed_file(first)) {
					None => {
						staging.adopt(&partial_dir, name, indices).map_err(|e| Error::io(partial_path.join(name), e))?
					}
					Some((keys, sealed)) => staging.adopt_unsealed(&partial_dir, name, indices, |payload, out| {
						let path = &planned[first].path;
						let header = keys
							.headers
							.get(&sealed.artifact)
							.ok_or_else(|| Error::NoSealKey { path: path.clone() })?;
						let expected =
							ArtifactDigest { algorithm: manifest.hashing.algorithm, bytes: sealed.plaintext_digest };
						let payload = std::io::BufReader::with_capacity(1 << 20, payload);
						seal::unseal_into(
							header,
							payload,
							&keys.identity,
							&manifest.hashing,
							sealed.plaintext_size,
							&expected,
							out,
						)
						.map_err(|source| Error::Seal { path: path.clone(), source })
					})?,
				}
			}
			Ok(Err(failure)) => failures.push(failure),
			Err(join) => failures.push(ArtifactFailure {
				path: planned[indices[0]].path.clone(),
				sources: vec![("(internal)".into(), join.to_string())],
			}),
		}
	}
	if !failures.is_empty() {
		return Err(Error::Fetch(failures));
	}
	Ok(report)
}

/// One step of placing, undone in reverse order if a later one fails.
enum Done {
	/// Directory `name` was created in directory `parent` (a key of the open directories).
	Created { parent: String, name: String },
	/// The file that was at `name` in `parent` was moved to staging entry `kept`.
	Kept { parent: String, name: String, kept: String },
	/// Staging entry `staged` was renamed to `name` in `parent`.
	Placed { parent: String, name: String, staged: String },
}

/// The open directory `dir` (`""`: the target); `None` if it does not exist yet.
fn fd_of<'a>(target: BorrowedFd<'a>, open: &'a BTreeMap<&str, Option<OwnedFd>>, dir: &str) -> Option<BorrowedFd<'a>> {
	if dir.is_empty() { Some(target) } else { open.get(dir).and_then(|fd| fd.as_ref().map(|fd| fd.as_fd())) }
}

/// `path`'s parent directory (`""` for the target) and last component.
fn split(path: &str) -> (&str, &str) {
	path.rsplit_once('/').unwrap_or(("", path))
}

/// Move every staged file into place: first check every directory and destination (so a
/// conflict is found before anything changes), then create the missing directories, then
/// rename. If a step fails, the steps before it are undone.
fn place(
	planned: &[Planned],
	target: &Path,
	target_fd: BorrowedFd<'_>,
	staging: &Staging,
	fail_at: Option<usize>,
) -> Result<()> {
	let files: BTreeSet<&str> = planned.iter().map(|p| p.path.as_str()).collect();
	// Every directory some artifact is in; a parent sorts before its children.
	let mut dirs = BTreeSet::new();
	for path in &files {
		let mut end = 0;
		while let Some(slash) = path[end..].find('/') {
			end += slash;
			dirs.insert(&path[..end]);
			end += 1;
		}
	}
	if let Some(both) = dirs.iter().find(|dir| files.contains(*dir)) {
		return Err(conflict(target, *both, "is both a file and a directory in the manifest"));
	}
	let io = |path: &str, e: std::io::Error| Error::io(target.join(path), e);
	let errno = |path: &str, e: rustix::io::Errno| Error::io(target.join(path), e.into());

	// 1. Check, changing nothing: existing directories are opened (never through a symlink)
	// and must be trustworthy; missing ones are created in step 2.
	let mut open: BTreeMap<&str, Option<OwnedFd>> = BTreeMap::new();
	for dir in &dirs {
		let (parent, name) = split(dir);
		let Some(parent_fd) = fd_of(target_fd, &open, parent) else {
			open.insert(dir, None);
			continue;
		};
		let fd = match entry_at(parent_fd, name).map_err(|e| io(dir, e))? {
			None => None,
			Some(FileType::Directory) => {
				let fd = open_dir_at(parent_fd, name).map_err(|e| io(dir, e))?;
				check_trusted(target, Path::new(dir), &rustix::fs::fstat(&fd).map_err(|e| errno(dir, e))?)?;
				Some(fd)
			}
			Some(FileType::Symlink) => return Err(conflict(target, *dir, "is a symlink (checkout never follows one)")),
			Some(_) => return Err(conflict(target, *dir, "is in the way of a directory")),
		};
		open.insert(dir, fd);
	}
	for path in &files {
		let (parent, name) = split(path);
		if let Some(parent_fd) = fd_of(target_fd, &open, parent)
			&& entry_at(parent_fd, name).map_err(|e| io(path, e))? == Some(FileType::Directory)
		{
			return Err(conflict(target, *path, "is a directory where the version has a file"));
		}
	}

	// 2 and 3. Create the missing directories, then rename; undo everything on failure.
	let mut done = Vec::new();
	let result = (|| -> Result<()> {
		for dir in &dirs {
			if open.get(dir).is_some_and(Option::is_some) {
				continue;
			}
			let (parent, name) = split(dir);
			let parent_fd = fd_of(target_fd, &open, parent).ok_or_else(|| conflict(target, *dir, "lost its parent"))?;
			rustix::fs::mkdirat(parent_fd, name, Mode::from_raw_mode(DIR_MODE)).map_err(|e| errno(dir, e))?;
			done.push(Done::Created { parent: parent.to_owned(), name: name.to_owned() });
			let fd = open_dir_at(parent_fd, name).map_err(|e| io(dir, e))?;
			check_trusted(target, Path::new(dir), &rustix::fs::fstat(&fd).map_err(|e| errno(dir, e))?)?;
			open.insert(dir, Some(fd));
		}
		for (index, item) in planned.iter().enumerate() {
			if fail_at == Some(index) {
				return Err(Error::Checkout(format!("{}: failing as the test asked", item.path)));
			}
			let (parent, name) = split(&item.path);
			let parent_fd =
				fd_of(target_fd, &open, parent).ok_or_else(|| conflict(target, &item.path, "lost its parent"))?;
			match entry_at(parent_fd, name).map_err(|e| io(&item.path, e))? {
				None => {}
				Some(FileType::Directory) => {
					return Err(conflict(target, &item.path, "is a directory where the version has a file"));
				}
				// --force: keep what was there, to put it back should a later step fail.
				Some(_) => {
					let kept = format!("kept-{index}");
					rustix::fs::renameat(parent_fd, name, &staging.dir, kept.as_str())
						.map_err(|e| errno(&item.path, e))?;
					staging.remember(&kept);
					done.push(Done::Kept { parent: parent.to_owned(), name: name.to_owned(), kept });
				}
			}
			let staged = index.to_string();
			rustix::fs::renameat(&staging.dir, staged.as_str(), parent_fd, name).map_err(|e| errno(&item.path, e))?;
			done.push(Done::Placed { parent: parent.to_owned(), name: name.to_owned(), staged });
		}
		Ok(())
	})();
	if result.is_err() {
		for step in done.into_iter().rev() {
			let _ = match &step {
				Done::Placed { parent, name, staged } => fd_of(target_fd, &open, parent)
					.map(|fd| rustix::fs::renameat(fd, name.as_str(), &staging.dir, staged.as_str())),
				Done::Kept { parent, name, kept } => fd_of(target_fd, &open, parent)
					.map(|fd| rustix::fs::renameat(&staging.dir, kept.as_str(), fd, name.as_str())),
				Done::Created { parent, name } => {
					let dir = if parent.is_empty() { name.clone() } else { format!("{parent}/{name}") };
					open.remove(dir.as_str());
					fd_of(target_fd, &open, parent)
						.map(|fd| rustix::fs::unlinkat(fd, name.as_str(), AtFlags::REMOVEDIR))
				}
			};
		}
	}
	result
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::verify::{
		tests::{manifest_of, sample_dir},
		verify_dir,
	};
	use zoo_primitives::{DigestAlgorithm, HashingSettings};

	const SHA: HashingSettings = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None };

	/// The async checkout, run to completion (these tests read local files only).
	fn checkout(manifest: &Manifest, target: &Path, force: bool, _progress: bool) -> Result<CheckoutReport> {
		let options = CheckoutOptions { force, ..CheckoutOptions::new() };
		runtime().block_on(super::checkout(manifest, target, &options))
	}

	fn checkout_failing_at(
		manifest: &Manifest,
		target: &Path,
		force: bool,
		fail_at: Option<usize>,
	) -> Result<CheckoutReport> {
		let options = CheckoutOptions { force, ..CheckoutOptions::new() };
		runtime().block_on(super::checkout_failing_at(manifest, target, &options, fail_at))
	}

	fn runtime() -> tokio::runtime::Runtime {
		tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
	}

	/// The one failure of a fetch error, as text.
	fn fetch_failure(err: &Error) -> String {
		match err {
			Error::Fetch(failures) if failures.len() == 1 => failures[0].to_string(),
			other => panic!("expected one fetch failure, got {other}"),
		}
	}

	fn entries(dir: &Path) -> Vec<String> {
		let mut names: Vec<_> = walkdir::WalkDir::new(dir)
			.min_depth(1)
			.into_iter()
			.map(|e| e.unwrap().path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
			.collect();
		names.sort();
		names
	}

	#[test]
	fn a_second_checkout_into_a_target_being_downloaded_into_is_refused() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let out = tempfile::tempdir().unwrap();
		let target = out.path().join("busy");
		// Another checkout is fetching into the target: it holds the partial directory's lock.
		let partial = target.join(ZOO_DIR).join(PARTIAL_DIR);
		std::fs::create_dir_all(&partial).unwrap();
		let mut permissions = std::fs::metadata(&partial).unwrap().permissions();
		std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o700);
		std::fs::set_permissions(&partial, permissions.clone()).unwrap();
		std::fs::set_permissions(target.join(ZOO_DIR), permissions).unwrap();
		let other = std::fs::File::open(&partial).unwrap();
		rustix::fs::flock(&other, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
		let error = checkout(&manifest, &target, false, false).unwrap_err().to_string();
		assert!(error.contains("another checkout is downloading into"), "{error}");
		assert!(!target.join("a.bin").exists(), "nothing placed");
		// Once it is done, the checkout goes through.
		drop(other);
		checkout(&manifest, &target, false, false).unwrap();
		assert!(verify_dir(&manifest, &target, &Silent).unwrap().is_ok());
	}

	#[test]
	fn checks_out_identical_bytes() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let out = tempfile::tempdir().unwrap();
		let target = out.path().join("new/dir");
		let report = checkout(&manifest, &target, false, false).unwrap();
		assert_eq!(report, CheckoutReport { files: 3, bytes: 17, transferred: 17, resumed: 0, from_mirrors: 0 });
		assert_eq!(std::fs::read(target.join("sub/c.py")).unwrap(), b"charlie");
		assert!(verify_dir(&manifest, &target, &Silent).unwrap().is_ok());
		// The staging directory is gone.
		assert_eq!(entries(&target.join(ZOO_DIR)), Vec::<String>::new());
	}

	#[test]
	fn refuses_a_non_empty_target_without_force() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let target = tempfile::tempdir().unwrap();
		std::fs::write(target.path().join("mine.txt"), b"keep me").unwrap();
		let err = checkout(&manifest, target.path(), false, false).unwrap_err();
		assert!(err.to_string().contains("not empty"), "{err}");
		assert_eq!(entries(target.path()), ["mine.txt"]);
		checkout(&manifest, target.path(), true, false).unwrap();
		assert_eq!(std::fs::read(target.path().join("mine.txt")).unwrap(), b"keep me");
		assert_eq!(std::fs::read(target.path().join("a.bin")).unwrap(), b"alpha");
	}

	#[test]
	fn corrupted_source_leaves_nothing_in_place() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		// Same size, one byte flipped: only the digest can catch it.
		std::fs::write(source.path().join("sub/c.py"), b"charliE").unwrap();
		let out = tempfile::tempdir().unwrap();
		let target = out.path().join("fresh");
		let err = checkout(&manifest, &target, false, false).unwrap_err();
		let failure = fetch_failure(&err);
		assert!(failure.starts_with("sub/c.py: file://") && failure.contains("not the manifest's"), "{failure}");
		assert!(!target.exists(), "a target we created is removed again");

		// Into an existing (empty) directory: it stays empty.
		let existing = tempfile::tempdir().unwrap();
		assert!(checkout(&manifest, existing.path(), false, false).is_err());
		assert_eq!(entries(existing.path()), Vec::<String>::new());

		// A longer or shorter source is caught by its size.
		std::fs::write(source.path().join("sub/c.py"), b"charlie and more").unwrap();
		let err = checkout(&manifest, existing.path(), false, false).unwrap_err();
		assert!(err.to_string().contains("size"), "{err}");
		std::fs::remove_file(source.path().join("a.bin")).unwrap();
		let err = checkout(&manifest, existing.path(), false, false).unwrap_err();
		assert!(err.to_string().contains("a.bin: file://"), "{err}");
		assert_eq!(entries(existing.path()), Vec::<String>::new());
	}

	#[test]
	fn unsupported_schemes_fail_before_anything_is_written() {
		let source = sample_dir();
		let mut manifest = manifest_of(source.path(), SHA);
		manifest.artifacts[1].uri = b"ftp://host/b.bin".to_vec().try_into().unwrap();
		let out = tempfile::tempdir().unwrap();
		let err = checkout(&manifest, &out.path().join("t"), false, false).unwrap_err();
		assert!(fetch_failure(&err).contains("b.bin: ftp://host/b.bin: unsupported scheme ftp://"), "{err}");
		assert!(!out.path().join("t").exists());
	}

	/// `manifest` with its artifacts' paths replaced by `paths` (in order; keep them sorted).
	fn with_paths(mut manifest: Manifest, paths: &[&str]) -> Manifest {
		for (artifact, path) in manifest.artifacts.iter_mut().zip(paths) {
			artifact.path = path.as_bytes().to_vec().try_into().unwrap();
		}
		manifest
	}

	fn uri_of(path: &Path) -> zoo_primitives::Bytes<{ zoo_primitives::MAX_URI_LEN }> {
		url::Url::from_file_path(path).unwrap().to_string().into_bytes().try_into().unwrap()
	}

	#[test]
	fn symlinked_directories_are_never_followed() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let out = tempfile::tempdir().unwrap();
		let (target, outside) = (out.path().join("target"), out.path().join("outside"));
		std::fs::create_dir_all(&target).unwrap();
		std::fs::create_dir_all(&outside).unwrap();
		std::os::unix::fs::symlink("../outside", target.join("sub")).unwrap();
		let err = checkout(&manifest, &target, true, false).unwrap_err();
		assert!(matches!(&err, Error::CheckoutConflict { path, .. } if path == Path::new("sub")), "{err}");
		assert!(err.to_string().contains("symlink"), "{err}");
		assert_eq!(entries(&outside), Vec::<String>::new(), "nothing written outside the target");
		assert_eq!(entries(&target), ["sub"], "nothing placed in the target");

		// Nor is a symlinked target.
		let link = out.path().join("link");
		std::os::unix::fs::symlink(&outside, &link).unwrap();
		assert!(matches!(checkout(&manifest, &link, true, false), Err(Error::CheckoutConflict { .. })));
		assert_eq!(entries(&outside), Vec::<String>::new());
	}

	#[test]
	fn conflicts_are_found_before_anything_is_placed() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		// A file where the version needs the directory `sub/`: a.bin and b.bin (placed before
		// sub/c.py) must not land either.
		let target = tempfile::tempdir().unwrap();
		std::fs::write(target.path().join("sub"), b"mine").unwrap();
		let err = checkout(&manifest, target.path(), true, false).unwrap_err();
		assert!(matches!(&err, Error::CheckoutConflict { .. }), "{err}");
		assert_eq!(entries(target.path()), ["sub"]);
		assert_eq!(std::fs::read(target.path().join("sub")).unwrap(), b"mine");

		// A directory where the version has a file.
		let target = tempfile::tempdir().unwrap();
		std::fs::create_dir(target.path().join("b.bin")).unwrap();
		assert!(matches!(checkout(&manifest, target.path(), true, false), Err(Error::CheckoutConflict { .. })));
		assert_eq!(entries(target.path()), ["b.bin"]);

		// A manifest whose file is also another's directory: refused (by the manifest rules, or
		// by checkout itself), with no partial state.
		let target = tempfile::tempdir().unwrap();
		std::fs::write(target.path().join("mine.txt"), b"keep me").unwrap();
		let both = with_paths(manifest.clone(), &["a", "a/b", "sub/c.py"]);
		assert!(checkout(&both, target.path(), true, false).is_err());
		assert_eq!(entries(target.path()), ["mine.txt"]);
		let fresh = target.path().join("fresh");
		assert!(checkout(&both, &fresh, false, false).is_err());
		assert!(!fresh.exists());
	}

	#[test]
	fn a_failure_while_placing_puts_everything_back() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let target = tempfile::tempdir().unwrap();
		std::fs::write(target.path().join("a.bin"), b"my own a").unwrap();
		// Fails after a.bin (replacing mine) and b.bin were placed and sub/ was created.
		let err = checkout_failing_at(&manifest, target.path(), true, Some(2)).unwrap_err();
		assert!(err.to_string().contains("failing as the test asked"), "{err}");
		assert_eq!(entries(target.path()), ["a.bin"]);
		assert_eq!(std::fs::read(target.path().join("a.bin")).unwrap(), b"my own a");
		// And without the failure, it all lands.
		checkout(&manifest, target.path(), true, false).unwrap();
		assert_eq!(std::fs::read(target.path().join("a.bin")).unwrap(), b"alpha");
		assert!(verify_dir(&manifest, target.path(), &Silent).unwrap().is_ok());
	}

	#[test]
	fn targets_others_can_change_are_refused() {
		use std::os::unix::fs::PermissionsExt;
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let target = tempfile::tempdir().unwrap();
		std::fs::set_permissions(target.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
		let err = checkout(&manifest, target.path(), false, false).unwrap_err();
		assert!(err.to_string().contains("writable by other users"), "{err}");
		assert_eq!(entries(target.path()), Vec::<String>::new());
		// Sticky (like /tmp): others cannot touch what is ours.
		std::fs::set_permissions(target.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
		checkout(&manifest, target.path(), false, false).unwrap();

		// Another user's directory (only root can make one to test with).
		if rustix::process::geteuid().is_root() {
			let theirs = tempfile::tempdir().unwrap();
			std::os::unix::fs::chown(theirs.path(), Some(4242), Some(4242)).unwrap();
			let err = checkout(&manifest, theirs.path(), false, false).unwrap_err();
			assert!(err.to_string().contains("belongs to another user"), "{err}");
			assert_eq!(entries(theirs.path()), Vec::<String>::new());
		}
	}

	#[test]
	fn special_file_sources_are_refused_at_once() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		let fifo = source.path().join("fifo");
		assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
		for special in [fifo.as_path(), Path::new("/dev/zero")] {
			let mut manifest = manifest.clone();
			manifest.artifacts[0].uri = uri_of(special);
			let out = tempfile::tempdir().unwrap();
			let target = out.path().join("t");
			// A blocking open or an endless read would hang: give it a few seconds.
			let (tx, rx) = std::sync::mpsc::channel();
			let thread_target = target.clone();
			std::thread::spawn(move || tx.send(checkout(&manifest, &thread_target, false, false)));
			let result = rx.recv_timeout(std::time::Duration::from_secs(5));
			let err = result.unwrap_or_else(|_| panic!("{} hung the checkout", special.display())).unwrap_err();
			assert!(fetch_failure(&err).contains("not a regular file"), "{}: {err}", special.display());
			assert!(!target.exists());
		}
	}

	#[test]
	fn errors_show_the_manifests_digest_never_the_files() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		std::fs::write(source.path().join("b.bin"), b"BRAVO").unwrap();
		let out = tempfile::tempdir().unwrap();
		let err = checkout(&manifest, &out.path().join("t"), false, false).unwrap_err().to_string();
		let actual = hex::encode(crate::hashing::plain_digest(zoo_primitives::DigestAlgorithm::Sha2_256, b"BRAVO"));
		assert!(!err.contains(&actual), "{err}");
		assert!(err.contains(&hex::encode(manifest.artifacts[1].digest.bytes)), "{err}");
		std::fs::write(source.path().join("b.bin"), b"bravo, longer").unwrap();
		let err = checkout(&manifest, &out.path().join("t"), false, false).unwrap_err().to_string();
		assert!(err.contains("the manifest's 5 bytes") && !err.contains("13 bytes"), "{err}");
	}

	#[test]
	fn the_clients_directory_is_refused_in_any_case() {
		let source = sample_dir();
		let manifest = manifest_of(source.path(), SHA);
		for paths in [[".ZOO/a", "b.bin", "sub/c.py"], [".zoo", "b.bin", "sub/c.py"], [".Zoo/x/y", "b.bin", "sub/c.py"]]
		{
			let bad = with_paths(manifest.clone(), &paths);
			let out = tempfile::tempdir().unwrap();
			assert!(checkout(&bad, &out.path().join("t"), false, false).is_err(), "{paths:?}");
			assert!(!out.path().join("t").exists());
		}
	}
}
