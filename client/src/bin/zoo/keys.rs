//! `zoo keys`: generate, import and list signing keys.

use crate::{
	cli::KeysCommand,
	prelude::{Ctx, Outcome, keystore},
};
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use std::io::{BufRead, IsTerminal};
use zoo_client::keys::KeyEntry;

/// `zoo keys generate --json`: the stored key (as `zoo keys list` shows it) and its mnemonic,
/// shown this once.
#[derive(Serialize)]
struct KeyGenerated<'a> {
	/// Name and address.
	#[serde(flatten)]
	key: &'a KeyEntry,
	/// The recovery phrase.
	mnemonic: &'a str,
}

/// `zoo keys list --json`: the stored keys (secrets only with `--show-secret`).
#[derive(Serialize)]
struct KeyList<'a> {
	/// The keys, by name.
	keys: &'a [KeyEntry],
}

pub(crate) fn keys(ctx: &Ctx, command: KeysCommand) -> Result<Outcome> {
	let store = keystore()?;
	match command {
		KeysCommand::Generate { name, words } => {
			let generated = store.generate(&name, words)?;
			let entry = &generated.entry;
			ctx.print(KeyGenerated { key: entry, mnemonic: &generated.mnemonic }, || {
				format!(
					"generated key {}\naddress   {}\nmnemonic  {}\n\nWrite the mnemonic down: it recovers the key and is not shown again\n(it is stored in {}, readable only by you).",
					entry.name,
					entry.address,
					generated.mnemonic,
					store.dir().display()
				)
			});
		}
		KeysCommand::Import { name, secret } => {
			let secret = match secret {
				Some(secret) => secret,
				None => read_secret()?,
			};
			let entry = store.import(&name, &secret)?;
			// `zoo keys import --json`: the stored key, as `zoo keys list` shows it.
			ctx.print(&entry, || format!("imported key {}\naddress   {}", entry.name, entry.address));
		}
		KeysCommand::List { show_secret } => {
			let entries = store.list(show_secret)?;
			ctx.print(KeyList { keys: &entries }, || {
				if entries.is_empty() {
					return format!("no keys in {}", store.dir().display());
				}
				entries
					.iter()
					.map(|k| match &k.secret {
						Some(secret) => format!("{:<20} {}  {secret}\n", k.name, k.address),
						None => format!("{:<20} {}\n", k.name, k.address),
					})
					.collect()
			});
		}
	}
	Ok(Outcome::Done)
}

/// One line from stdin; on a terminal, prompted for and read without echo.
fn read_secret() -> Result<String> {
	let stdin = std::io::stdin();
	let line = if stdin.is_terminal() {
		rpassword::prompt_password("mnemonic or secret URI (not shown): ").context("reading the secret")?
	} else {
		let mut line = String::new();
		stdin.lock().read_line(&mut line).context("reading the secret from stdin")?;
		line
	};
	let line = line.trim().to_owned();
	if line.is_empty() {
		return Err(anyhow!("no secret given (pass it on stdin)"));
	}
	Ok(line)
}
