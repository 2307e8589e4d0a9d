//! What every verb shares: the global options ([`Ctx`]), the keystore, accounts, the one
//! version fetch, the exit-code outcome and printing (JSON or text).

use anyhow::{Result, anyhow};
use serde::Serialize;
use std::str::FromStr;
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;
use zoo_client::{
	chain::{Chain, ConnectOptions, VersionRecord, redact_url},
	keys::Keystore,
	output::terminal_safe,
};
use zoo_primitives::VersionId;

/// What a successful command wants the exit code to say.
pub(crate) enum Outcome {
	Done,
	/// `verify` found differences.
	Differences,
	/// `verify` or `checkout` refused a yanked version.
	Yanked,
	/// `org check`: the name is not free.
	NameTaken,
}

/// Global options every verb sees.
pub(crate) struct Ctx {
	pub url: String,
	pub key: Option<String>,
	pub json: bool,
	pub connect: ConnectOptions,
}

impl Ctx {
	/// The signing key; signing verbs require `--key`.
	pub fn signer(&self) -> Result<Keypair> {
		let spec = self
			.key
			.as_deref()
			.ok_or_else(|| anyhow!("this command signs a transaction: pass --key <name or //URI> or set ZOO_KEY"))?;
		keystore()?.resolve(spec).map_err(|e| anyhow!("--key: {e}"))
	}

	/// Connect to the node.
	pub async fn chain(&self) -> Result<Chain> {
		tracing::info!(url = %redact_url(&self.url), "connecting");
		Ok(Chain::connect_with(&self.url, self.connect).await?)
	}

	/// Print `answer` as JSON (one object, from its `Serialize` type), or `text` for people.
	pub fn print(&self, answer: impl Serialize, text: impl FnOnce() -> String) {
		if self.json {
			println!("{}", serde_json::to_value(&answer).expect("plain data serializes; qed"));
		} else {
			// Every rendering escapes the chain's text field by field; this catches anything
			// that slipped through, keeping only the renderings' own line breaks.
			let text = text();
			let text = terminal_safe(&text, true);
			print!("{text}");
			if !text.ends_with('\n') {
				println!();
			}
		}
	}
}

pub(crate) fn keystore() -> Result<Keystore> {
	Ok(Keystore::open(Keystore::default_dir()?))
}

/// The account `text` names: an SS58 address, a stored key's name, or a secret URI.
pub(crate) fn account_of(text: &str) -> Result<AccountId32> {
	if let Ok(who) = AccountId32::from_str(text) {
		return Ok(who);
	}
	// The argument may be a mistyped mnemonic or seed: never repeat it, nor the keystore's
	// reason (which may quote it).
	let keypair = keystore()?.resolve(text).map_err(|e| match e {
		e @ zoo_client::Error::KeyPermissions { .. } => e.into(),
		_ => anyhow!(
			"the account is neither an SS58 address, nor a stored key's name, nor a valid secret URI \
			 (it is not repeated here, as it may be a secret)"
		),
	})?;
	Ok(keypair.public_key().to_account_id())
}

/// Version `id`, or an error naming it.
pub(crate) async fn fetch_version(chain: &Chain, id: VersionId) -> Result<VersionRecord> {
	chain.version(id).await?.ok_or_else(|| anyhow!("version {id} does not exist"))
}
