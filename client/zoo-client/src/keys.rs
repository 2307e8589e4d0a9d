//! The local keystore: sr25519 signing keys, one JSON file per key.
//!
//! Keys live in `$ZOO_HOME/keys/` or `~/.config/zoo/keys/`. The directory is created `0700` and
//! every key file `0600`, since a file holds the secret (a mnemonic or a secret URI) in plain
//! text; a directory or key file that other users can read or change, or that is not the
//! user's own, is refused (with the `chmod` that fixes it), and a key file is never read
//! through a symlink. Secrets are never shown unless asked for, nor repeated in errors.
//! `--key` accepts a stored key's name or a secret URI such as `//Alice`.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::{
	fs::{DirBuilder, OpenOptions},
	io::{Read, Write},
	os::unix::fs::{DirBuilderExt, OpenOptionsExt},
	path::{Path, PathBuf},
	str::FromStr,
};
use subxt_signer::{SecretUri, bip39::Mnemonic, sr25519::Keypair};

/// Longest key name.
pub const MAX_KEY_NAME_LEN: usize = 64;

/// A key file's content.
#[derive(Serialize, Deserialize)]
struct KeyFile {
	name: String,
	address: String,
	/// A mnemonic phrase or secret URI (`//Alice`, `<phrase>//hard/soft`, `0x<seed>`).
	secret: String,
}

/// A stored key as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyEntry {
	/// Its name.
	pub name: String,
	/// SS58 address (generic substrate prefix 42).
	pub address: String,
	/// The secret, only when asked for.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub secret: Option<String>,
}

/// A freshly generated key and its mnemonic, to show the user once.
pub struct Generated {
	/// The stored key.
	pub entry: KeyEntry,
	/// The recovery phrase.
	pub mnemonic: String,
}

/// A directory of key files.
#[derive(Debug, Clone)]
pub struct Keystore {
	dir: PathBuf,
}

/// Refuse `path` (the keystore directory, `fix` = `700`, or a key file, `600`) unless it
/// belongs to the current user and no one else may read, write or enter it.
fn check_private(path: &Path, meta: &std::fs::Metadata, fix: &'static str) -> Result<()> {
	use std::os::unix::fs::MetadataExt;
	let problem = if meta.uid() != rustix::process::geteuid().as_raw() {
		format!("belongs to uid {}, not to you", meta.uid())
	} else if meta.mode() & 0o077 != 0 {
		format!("mode {:04o} lets other users at it", meta.mode() & 0o7777)
	} else {
		return Ok(());
	};
	Err(Error::KeyPermissions { path: path.to_owned(), problem, fix })
}

/// The SS58 address of a keypair.
pub fn address_of(keypair: &Keypair) -> String {
	keypair.public_key().to_account_id().to_string()
}

/// Derive a keypair from a mnemonic or secret URI.
pub fn keypair_from_secret(secret: &str) -> Result<Keypair> {
	// Errors never echo the secret back.
	let uri =
		SecretUri::from_str(secret.trim()).map_err(|_| Error::Key("not a valid mnemonic or secret URI".into()))?;
	Keypair::from_uri(&uri).map_err(|e| Error::Key(format!("cannot derive a key from the secret: {e}")))
}

/// Check a key name: 1 to 64 of `A-Z a-z 0-9 _ - .`, not starting with `.`.
pub fn validate_key_name(name: &str) -> Result<()> {
	let ok = !name.is_empty()
		&& name.len() <= MAX_KEY_NAME_LEN
		&& !name.starts_with('.')
		&& name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
	if ok {
		Ok(())
	} else {
		Err(Error::Key(format!("invalid key name {name:?}: use 1-{MAX_KEY_NAME_LEN} of A-Z, a-z, 0-9, `_`, `-`, `.`")))
	}
}

impl Keystore {
	/// `$ZOO_HOME/keys`, else `$XDG_CONFIG_HOME/zoo/keys`, else `~/.config/zoo/keys`.
	pub fn default_dir() -> Result<PathBuf> {
		let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
		if let Some(home) = var("ZOO_HOME") {
			return Ok(home.join("keys"));
		}
		if let Some(config) = var("XDG_CONFIG_HOME") {
			return Ok(config.join("zoo/keys"));
		}
		let home = var("HOME")
			.ok_or_else(|| Error::Key("neither ZOO_HOME nor HOME is set; cannot locate the keystore".into()))?;
		Ok(home.join(".config/zoo/keys"))
	}

	/// The keystore in `dir` (created when the first key is stored).
	pub fn open(dir: impl Into<PathBuf>) -> Keystore {
		Keystore { dir: dir.into() }
	}

	/// Its directory.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	fn file_of(&self, name: &str) -> PathBuf {
		self.dir.join(format!("{name}.json"))
	}

	/// Generate a key with a new `words`-word mnemonic (12 or 24) and store it as `name`.
	pub fn generate(&self, name: &str, words: usize) -> Result<Generated> {
		validate_key_name(name)?;
		let mut entropy = [0u8; 32];
		let len = match words {
			12 => 16,
			24 => 32,
			_ => return Err(Error::Key(format!("a mnemonic has 12 or 24 words, not {words}"))),
		};
		getrandom::getrandom(&mut entropy[..len]).map_err(|e| Error::Key(format!("no system randomness: {e}")))?;
		let mnemonic = Mnemonic::from_entropy(&entropy[..len]).expect("16 or 32 bytes are valid entropy; qed");
		let phrase = mnemonic.to_string();
		let entry = self.store(name, &phrase)?;
		Ok(Generated { entry, mnemonic: phrase })
	}

	/// Store an existing secret (mnemonic or secret URI such as `//Alice`) as `name`.
	pub fn import(&self, name: &str, secret: &str) -> Result<KeyEntry> {
		validate_key_name(name)?;
		self.store(name, secret.trim())
	}

	fn store(&self, name: &str, secret: &str) -> Result<KeyEntry> {
		let keypair = keypair_from_secret(secret)?;
		let address = address_of(&keypair);
		DirBuilder::new().recursive(true).mode(0o700).create(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
		// It may have existed before, with other permissions.
		self.check_dir()?;
		let path = self.file_of(name);
		let content = KeyFile { name: name.to_owned(), address: address.clone(), secret: secret.to_owned() };
		let text = serde_json::to_string_pretty(&content).expect("plain data serializes; qed");
		// create_new: never overwrite a key; mode 0600 from the first byte on.
		let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path).map_err(|e| {
			if e.kind() == std::io::ErrorKind::AlreadyExists {
				Error::Key(format!("a key named {name:?} already exists in {}", self.dir.display()))
			} else {
				Error::io(&path, e)
			}
		})?;
		if let Err(e) = file.write_all(text.as_bytes()).and_then(|_| file.sync_all()) {
			let _ = std::fs::remove_file(&path);
			return Err(Error::io(&path, e));
		}
		Ok(KeyEntry { name: name.to_owned(), address, secret: None })
	}

	/// Check that the directory is private; `false` if it does not exist.
	fn check_dir(&self) -> Result<bool> {
		match std::fs::metadata(&self.dir) {
			Ok(meta) => check_private(&self.dir, &meta, "700").map(|_| true),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
			Err(e) => Err(Error::io(&self.dir, e)),
		}
	}

	fn read(&self, name: &str) -> Result<KeyFile> {
		let not_found = || Error::Key(format!("no key named {name:?} in {} (see `zoo keys list`)", self.dir.display()));
		if !self.check_dir()? {
			return Err(not_found());
		}
		let path = self.file_of(name);
		// O_NOFOLLOW: a key file is never read through a symlink someone else may have placed.
		let mut file = OpenOptions::new()
			.read(true)
			.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
			.open(&path)
			.map_err(|e| if e.kind() == std::io::ErrorKind::NotFound { not_found() } else { Error::io(&path, e) })?;
		let meta = file.metadata().map_err(|e| Error::io(&path, e))?;
		if !meta.is_file() {
			return Err(Error::Key(format!("{}: not a regular file", path.display())));
		}
		check_private(&path, &meta, "600")?;
		let mut text = String::new();
		file.read_to_string(&mut text).map_err(|e| Error::io(&path, e))?;
		serde_json::from_str(&text).map_err(|e| Error::Key(format!("{}: not a valid key file: {e}", path.display())))
	}

	/// The keypair stored as `name`.
	pub fn load(&self, name: &str) -> Result<Keypair> {
		validate_key_name(name)?;
		keypair_from_secret(&self.read(name)?.secret)
	}

	/// Every stored key, sorted by name; secrets only if `show_secret`.
	pub fn list(&self, show_secret: bool) -> Result<Vec<KeyEntry>> {
		if !self.check_dir()? {
			return Ok(Vec::new());
		}
		let entries = match std::fs::read_dir(&self.dir) {
			Ok(entries) => entries,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
			Err(e) => return Err(Error::io(&self.dir, e)),
		};
		let mut keys = Vec::new();
		for entry in entries {
			let entry = entry.map_err(|e| Error::io(&self.dir, e))?;
			let file_name = entry.file_name();
			let Some(name) = file_name.to_str().and_then(|n| n.strip_suffix(".json")) else { continue };
			if validate_key_name(name).is_err() {
				continue;
			}
			let file = self.read(name)?;
			keys.push(KeyEntry { name: file.name, address: file.address, secret: show_secret.then_some(file.secret) });
		}
		keys.sort_by(|a, b| a.name.cmp(&b.name));
		Ok(keys)
	}

	/// Resolve `--key`: a stored key's name, or else a secret URI / mnemonic. Errors never
	/// repeat `spec`: a name-shaped one may be a mistyped secret (a hex seed missing a digit).
	pub fn resolve(&self, spec: &str) -> Result<Keypair> {
		self.resolve_with_secret(spec).map(|(keypair, _)| keypair)
	}

	/// [`Keystore::resolve`], also giving the secret (what the account's sealing identity is
	/// derived from: see [`crate::seal::SealIdentity::from_account_secret`]).
	pub fn resolve_with_secret(&self, spec: &str) -> Result<(Keypair, String)> {
		let unknown = || {
			Error::Key(format!(
				"neither the name of a key in {} (see `zoo keys list`) nor a valid secret URI such as //Alice",
				self.dir.display()
			))
		};
		if validate_key_name(spec).is_ok() {
			return match self.read(spec) {
				Err(Error::Key(_)) if !self.file_of(spec).exists() => Err(unknown()),
				Err(e) => Err(e),
				Ok(file) => Ok((keypair_from_secret(&file.secret)?, file.secret)),
			};
		}
		keypair_from_secret(spec).map(|keypair| (keypair, spec.to_owned())).map_err(|_| unknown())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::os::unix::fs::PermissionsExt;

	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

	fn mode(path: &Path) -> u32 {
		std::fs::metadata(path).unwrap().permissions().mode() & 0o777
	}

	#[test]
	fn generated_keys_are_private_and_reload() {
		let home = tempfile::tempdir().unwrap();
		let store = Keystore::open(home.path().join("keys"));
		let generated = store.generate("ci", 24).unwrap();
		assert_eq!(generated.mnemonic.split(' ').count(), 24);
		assert_eq!(mode(&home.path().join("keys")), 0o700);
		assert_eq!(mode(&home.path().join("keys/ci.json")), 0o600);
		let keypair = store.load("ci").unwrap();
		assert_eq!(address_of(&keypair), generated.entry.address);
		assert_eq!(address_of(&keypair_from_secret(&generated.mnemonic).unwrap()), generated.entry.address);
		assert_eq!(store.generate("twelve", 12).unwrap().mnemonic.split(' ').count(), 12);
		assert!(store.generate("x", 13).is_err());
	}

	#[test]
	fn imports_uris_and_mnemonics_and_lists_without_secrets() {
		let home = tempfile::tempdir().unwrap();
		let keys = home.path().join("keys");
		let store = Keystore::open(&keys);
		assert_eq!(store.list(false).unwrap(), vec![]);
		assert_eq!(store.import("alice", "//Alice").unwrap().address, ALICE);
		let phrase = format!("{}//Alice", subxt_signer::DEV_PHRASE);
		assert_eq!(store.import("alice2", &phrase).unwrap().address, ALICE);
		assert_eq!(mode(&keys.join("alice.json")), 0o600);

		let listed = store.list(false).unwrap();
		assert_eq!(listed.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["alice", "alice2"]);
		assert!(listed.iter().all(|k| k.secret.is_none()));
		assert!(!serde_json::to_string(&listed).unwrap().contains("Alice"));
		assert_eq!(store.list(true).unwrap()[0].secret.as_deref(), Some("//Alice"));

		// No overwrite, no bad names, no bad secrets.
		assert!(store.import("alice", "//Bob").unwrap_err().to_string().contains("already exists"));
		assert!(store.import("../evil", "//Bob").is_err());
		let err = store.import("bad", "not a real mnemonic phrase").unwrap_err();
		assert!(!err.to_string().contains("real mnemonic"), "errors never echo secrets: {err}");
		assert!(!keys.join("bad.json").exists());
	}

	#[test]
	fn resolves_names_and_uris() {
		let home = tempfile::tempdir().unwrap();
		let store = Keystore::open(home.path().join("keys"));
		store.import("ops", "//Alice").unwrap();
		assert_eq!(address_of(&store.resolve("ops").unwrap()), ALICE);
		assert_eq!(address_of(&store.resolve("//Alice").unwrap()), ALICE);
		assert!(store.resolve("//Bob").is_ok());
		let err = store.resolve("missing").unwrap_err().to_string();
		assert!(err.contains("neither the name of a key") && !err.contains("missing"), "{err}");
		// A mistyped hex seed (64 characters: name-shaped) is not repeated either.
		let typo = format!("0x{}", "ab".repeat(31));
		let err = store.resolve(&typo).unwrap_err().to_string();
		assert!(!err.contains(&typo[2..20]), "{err}");
	}

	#[test]
	fn keys_open_to_others_are_refused() {
		let home = tempfile::tempdir().unwrap();
		let dir = home.path().join("keys");
		let store = Keystore::open(&dir);
		store.import("ops", "//Alice").unwrap();

		// A key file others can read.
		std::fs::set_permissions(dir.join("ops.json"), std::fs::Permissions::from_mode(0o644)).unwrap();
		let err = store.load("ops").unwrap_err();
		assert!(matches!(err, Error::KeyPermissions { fix: "600", .. }), "{err}");
		assert!(err.to_string().contains("chmod 600"), "{err}");
		assert!(store.list(false).is_err());
		assert!(store.resolve("ops").is_err());
		std::fs::set_permissions(dir.join("ops.json"), std::fs::Permissions::from_mode(0o600)).unwrap();
		store.load("ops").unwrap();

		// A directory others can enter: nothing is read from it, nor stored in it.
		std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
		let err = store.load("ops").unwrap_err();
		assert!(err.to_string().contains("chmod 700"), "{err}");
		assert!(store.import("other", "//Bob").is_err());
		assert!(!dir.join("other.json").exists());
		std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();

		// A key file that is a symlink is not followed.
		std::os::unix::fs::symlink(dir.join("ops.json"), dir.join("alias.json")).unwrap();
		assert!(store.load("alias").is_err());
	}
}
