//! What every verb shares: the global options ([`Ctx`]), the keystore, accounts, the one
//! version fetch, the exit-code outcome and printing (JSON or text).

use anyhow::{Result, anyhow};
use serde::Serialize;
use std::str::FromStr;
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;
use zoo_client::{
	amount::Ppb,
	chain::{Chain, ConnectOptions, Refusal, RoyaltyShare, VersionRecord, redact_url},
	keys::Keystore,
	output::terminal_safe,
	seal::SealIdentity,
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
	/// `license check`: the licence rules refuse the commit; `promote`: the ref's promotion
	/// policy is unmet (nothing was sent).
	Refused,
}

/// Blocks in a day of 6 s blocks (grant durations, channel lifetimes).
pub(crate) const BLOCKS_PER_DAY: u32 = 14_400;

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

	/// The signing key and its sealing identity (sealed versions: `--encrypt`, releases and
	/// checkouts).
	pub fn signer_with_identity(&self) -> Result<(Keypair, SealIdentity)> {
		let spec = self.key.as_deref().ok_or_else(|| {
			anyhow!("this command uses an account's key (its sealing identity derives from it): pass --key <name or //URI> or set ZOO_KEY")
		})?;
		let (keypair, secret) = keystore()?.resolve_with_secret(spec).map_err(|e| anyhow!("--key: {e}"))?;
		Ok((keypair, SealIdentity::from_account_secret(&secret)))
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

/// The account `--account` names, else the signer's (`--key`).
pub(crate) fn account_or_signer(ctx: &Ctx, account: Option<&str>) -> Result<AccountId32> {
	match account {
		Some(account) => account_of(account),
		None => Ok(ctx.signer()?.public_key().to_account_id()),
	}
}

/// A royalty table for people: one line per upstream entry, then what the version keeps.
pub(crate) fn royalty_lines(version: VersionId, table: &[RoyaltyShare]) -> String {
	let upstream: u32 = table.iter().filter(|entry| entry.version != version).map(|entry| entry.ppb).sum();
	let mut out = format!("upstream  {} of this version's revenue\n", Ppb(upstream));
	for entry in table.iter().filter(|entry| entry.version != version) {
		let hops = if entry.hops == 1 { "1 hop".to_owned() } else { format!("{} hops", entry.hops) };
		out.push_str(&format!("  {:>12}  {} ({hops})\n", Ppb(entry.ppb).to_string(), entry.version));
	}
	let own = table.iter().find(|entry| entry.version == version).map_or(0, |entry| entry.ppb);
	out.push_str(&format!("keeps     {} (this version)\n", Ppb(own)));
	out
}

/// Refusals for people: one line each, the reason and what it means.
pub(crate) fn refusal_lines(refusals: &[Refusal]) -> String {
	refusals.iter().map(|refusal| format!("refused   {}: {}\n", refusal.reason, refusal.explanation)).collect()
}
