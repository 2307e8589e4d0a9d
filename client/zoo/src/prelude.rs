//! What every verb shares: the global options ([`Ctx`]), the keystore, accounts, the one
//! version fetch, the exit-code outcome and printing (JSON or text).

use anyhow::{Context, Result, anyhow};
use serde::Serialize;
use std::str::FromStr;
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;
use zoo_client::{
	amount::Ppb,
	chain::{
		Chain, ChainError, ConnectOptions, LightOptions, MAX_CHAIN_SPEC_BYTES, Refusal, RoyaltyShare, VersionRecord,
		redact_url,
	},
	keys::Keystore,
	output::terminal_safe,
	seal::SealIdentity,
};
use zoo_primitives::VersionId;

/// What an account may claim now (a vault's share, or curation rewards), in `--json` answers.
#[derive(Serialize)]
pub(crate) struct Claimable {
	pub(crate) account: String,
	#[serde(serialize_with = "zoo_client::output::json::amount")]
	pub(crate) amount: u128,
}

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
	/// Go through an embedded light client instead of the `url` node.
	pub light: Option<LightSetup>,
}

/// How to start the light client: from the command line (`--light`, `--chain-spec`,
/// `--bootnode`) or the current directory's workspace (`zoo light enable`).
pub(crate) struct LightSetup {
	/// The raw chain spec.
	pub chain_spec: std::path::PathBuf,
	/// Addresses to join through instead of the spec's bootnodes.
	pub bootnodes: Vec<String>,
	/// The oldest finalized block to answer from.
	pub max_finality_lag: std::time::Duration,
}

impl LightSetup {
	/// The chain spec's text, read with a bound on its size.
	pub(crate) fn read_chain_spec(&self) -> Result<String> {
		use std::io::Read;
		let path = &self.chain_spec;
		let file = std::fs::File::open(path).with_context(|| format!("chain spec {}", path.display()))?;
		let mut text = String::new();
		file.take(MAX_CHAIN_SPEC_BYTES as u64 + 1)
			.read_to_string(&mut text)
			.with_context(|| format!("chain spec {}", path.display()))?;
		Ok(text)
	}
}

impl Ctx {
	/// The signing key; signing verbs require `--key`.
	pub(crate) fn signer(&self) -> Result<Keypair> {
		let spec = self
			.key
			.as_deref()
			.ok_or_else(|| anyhow!("this command signs a transaction: pass --key <name or //URI> or set ZOO_KEY"))?;
		keystore()?.resolve(spec).map_err(|e| anyhow!("--key: {e}"))
	}

	/// The signing key and its sealing identity (sealed versions: `--encrypt`, releases and
	/// checkouts).
	pub(crate) fn signer_with_identity(&self) -> Result<(Keypair, SealIdentity)> {
		let spec = self.key.as_deref().ok_or_else(|| {
			anyhow!("this command uses an account's key (its sealing identity derives from it): pass --key <name or //URI> or set ZOO_KEY")
		})?;
		let (keypair, secret) = keystore()?.resolve_with_secret(spec).map_err(|e| anyhow!("--key: {e}"))?;
		Ok((keypair, SealIdentity::from_account_secret(&secret)))
	}

	/// Connect to the node, or start the light client.
	pub(crate) async fn chain(&self) -> Result<Chain> {
		let Some(options) = self.light_options()? else {
			tracing::info!(url = %redact_url(&self.url), "connecting");
			return Ok(Chain::connect_with(&self.url, self.connect).await?);
		};
		match Chain::connect_light(options).await {
			Ok(chain) => Ok(chain),
			Err(error @ ChainError::ChainSpec(_)) => Err(self.chain_spec_error(error)),
			Err(error) => Err(error.into()),
		}
	}

	/// How to start the light client, if the command goes through one.
	pub(crate) fn light_options(&self) -> Result<Option<LightOptions>> {
		let Some(light) = &self.light else { return Ok(None) };
		tracing::info!(chain_spec = %light.chain_spec.display(), "starting the light client");
		Ok(Some(LightOptions {
			chain_spec: light.read_chain_spec()?,
			bootnodes: light.bootnodes.clone(),
			timeout: self.connect.timeout,
			max_finality_lag: light.max_finality_lag,
		}))
	}

	/// A chain spec refused by the light client, naming the file.
	pub(crate) fn chain_spec_error(&self, error: ChainError) -> anyhow::Error {
		match &self.light {
			Some(light) => anyhow!("{}: {error}", light.chain_spec.display()),
			None => error.into(),
		}
	}

	/// Where the progress of hashing and transfers goes: terminal bars, or nowhere with
	/// `--json`.
	pub(crate) fn reporter(&self) -> std::sync::Arc<dyn zoo_client::progress::Reporter> {
		match self.json {
			true => std::sync::Arc::new(zoo_client::progress::Silent),
			false => std::sync::Arc::new(crate::reporters::Bars::new()),
		}
	}

	/// Print `answer` as JSON (one object, from its `Serialize` type), or `text` for people.
	pub(crate) fn print(&self, answer: impl Serialize, text: impl FnOnce() -> String) {
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

/// `error` in words when it is the chain refusing a transaction with a pallet error `words`
/// knows (`Curation::StakeTooLow` -> "stake below the minimum of 1 ZOO"), else as it is. The
/// verbs check what they can before sending and refuse with the same words; this covers the
/// chain changing in between (the refused transaction's fee is paid, nothing else changes).
pub(crate) fn explain(error: ChainError, words: impl FnOnce(&str) -> Option<String>) -> anyhow::Error {
	match error.rejected_with().and_then(words) {
		Some(message) => anyhow!("{message}"),
		None => error.into(),
	}
}

/// The one-line messages of curation, dispute and council refusals: a verb's own check and
/// [`explain`] of the chain's refusal use the same words.
pub(crate) mod refusal {
	use zoo_client::amount::zoo;
	use zoo_primitives::VersionId;

	pub(crate) fn stake_below_minimum(min: u128) -> String {
		format!("stake below the minimum of {}", zoo(min))
	}

	pub(crate) fn dispute_open(cid: VersionId, action: &str) -> String {
		format!("a dispute is open on {cid}: {action} after the verdict")
	}

	pub(crate) fn already_disputed(cid: VersionId, id: Option<u64>) -> String {
		match id {
			Some(id) => format!("a dispute is already open on {cid} (dispute {id}); one at a time"),
			None => format!("a dispute is already open on {cid}; one at a time"),
		}
	}

	pub(crate) fn yanked(cid: VersionId, action: &str) -> String {
		format!("{cid} is yanked: it cannot be {action}")
	}

	pub(crate) fn yanked_without_stake(cid: VersionId) -> String {
		format!("{cid} is yanked and no stake is held on it: there is nothing to dispute")
	}

	pub(crate) fn slashed_too_far(cid: VersionId) -> String {
		format!("{cid} was slashed below the minimum factor: it takes no new stake")
	}

	pub(crate) fn no_position(who: &str, cid: VersionId) -> String {
		format!("{who} has no stake on {cid}")
	}

	pub(crate) fn remainder_too_low(cid: VersionId, min: u128) -> String {
		format!(
			"that would leave less than the minimum of {} staked on {cid}: unstake less, or everything with --all",
			zoo(min)
		)
	}

	pub(crate) fn too_many_chunks(cid: VersionId, max: u32) -> String {
		format!("you have {max} unbonding chunks on {cid} already: withdraw the unlocked ones or wait for them")
	}

	pub(crate) fn nothing_to_withdraw(cid: VersionId, unlock_at: Option<u32>) -> String {
		match unlock_at {
			Some(block) => format!("nothing to withdraw from {cid} yet: your stake unlocks at block {block}"),
			None => format!("nothing is unbonding on {cid}: `zoo unstake` it first"),
		}
	}

	pub(crate) fn cannot_pay(who: &str, what: &str, amount: u128) -> String {
		format!("{who} cannot pay {what} of {}", zoo(amount))
	}

	pub(crate) fn not_member(who: &str) -> String {
		format!("{who} is not a member of the council: only members propose and vote")
	}

	pub(crate) fn dispute_not_open(id: u64) -> String {
		format!("dispute {id} is not open (no such dispute, or it has had its verdict)")
	}

	pub(crate) fn not_lapsed(id: u64, expires_at: u32, next: u32) -> String {
		format!(
			"dispute {id} lapses at block {expires_at} and the next block is {next}: until then only the council's \
			 verdict closes it"
		)
	}

	pub(crate) fn motion_not_open(motion: &str) -> String {
		format!("motion {motion} is not open (see `zoo council motions`)")
	}

	pub(crate) fn already_voted(who: &str, aye: bool, index: u32) -> String {
		format!("{who} already voted {} on motion {index}", if aye { "aye" } else { "nay" })
	}

	pub(crate) fn council_too_small(what: &str) -> String {
		format!(
			"a council of one member cannot pass {what} (its one-vote motion would run at once with a single \
			 member's origin, which is not a majority): add members first"
		)
	}

	pub(crate) fn same_motion(index: u32, call: &str) -> String {
		format!("the same motion is already open as motion {index} ({call}): vote on it")
	}

	pub(crate) fn validator_minimum(min: u32) -> String {
		format!("the validator set cannot fall below its minimum of {min}")
	}

	pub(crate) fn validator_set_full(max: u32) -> String {
		format!("the validator set is full: it has its maximum of {max} validators")
	}

	pub(crate) fn already_validator(who: &str) -> String {
		format!("{who} is already in the planned validator set (see `zoo validators`)")
	}

	pub(crate) fn not_validator(who: &str) -> String {
		format!("{who} is not in the planned validator set (see `zoo validators`)")
	}

	pub(crate) fn no_session_keys(who: &str) -> String {
		format!("{who} has no session keys: it registers them first, with `zoo --key <its key> validators set-keys`")
	}

	pub(crate) fn no_upgrade_authorized() -> String {
		"no runtime upgrade is authorized: a two-thirds motion authorizes one first (`zoo council propose upgrade \
		 <WASM_FILE>`)"
			.to_owned()
	}

	pub(crate) fn upgrade_differs(file: &str, file_hash: &str, authorized: &str) -> String {
		format!(
			"{file} hashes to {file_hash}, but the upgrade authorized is {authorized}: apply the authorized runtime, \
			 or have a motion authorize this one"
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn rejected(name: &str) -> ChainError {
		ChainError::Rejected { name: name.to_owned(), docs: "The pallet's documentation.".to_owned() }
	}

	#[test]
	fn chain_refusals_are_put_in_the_verbs_words() {
		let words =
			|name: &str| (name == "Curation::StakeTooLow").then(|| refusal::stake_below_minimum(1_000_000_000_000));
		assert_eq!(explain(rejected("Curation::StakeTooLow"), words).to_string(), "stake below the minimum of 1 ZOO");
		// A refusal the verb has no words for, and any other failure, stay as they are.
		let other = explain(rejected("Curation::PotInsufficient"), words).to_string();
		assert_eq!(other, "transaction rejected: Curation::PotInsufficient: The pallet's documentation.");
		let failed = explain(ChainError::Failed("the account cannot pay the fee".into()), |_| Some("never".into()));
		assert_eq!(failed.to_string(), "transaction failed: the account cannot pay the fee");
	}

	#[test]
	fn refusals_name_the_version_and_what_to_do() {
		let cid = VersionId([7; 32]);
		assert_eq!(
			refusal::dispute_open(cid, "withdraw"),
			format!("a dispute is open on {cid}: withdraw after the verdict")
		);
		assert_eq!(
			refusal::nothing_to_withdraw(cid, Some(42)),
			format!("nothing to withdraw from {cid} yet: your stake unlocks at block 42")
		);
		assert!(refusal::nothing_to_withdraw(cid, None).contains("`zoo unstake` it first"));
		assert_eq!(refusal::already_voted("5Grw", false, 3), "5Grw already voted nay on motion 3");
		assert_eq!(refusal::validator_minimum(2), "the validator set cannot fall below its minimum of 2");
		assert_eq!(
			refusal::same_motion(4, "add validator 5Grw"),
			"the same motion is already open as motion 4 (add validator 5Grw): vote on it"
		);
		for message in [refusal::council_too_small("a verdict"), refusal::no_upgrade_authorized()] {
			assert!(!message.contains("  ") && !message.contains('\n'), "{message:?}");
		}
	}
}

/// What `verify` and `checkout` do about a yanked version: without `allow`, refuse (`true`);
/// with it, go on. Either way the yank and its reason go to stderr (with `--json`, into the
/// output's `yanked` field instead). Not yanked: nothing.
pub(crate) fn refuse_yanked(ctx: &Ctx, record: &VersionRecord, verb: &str, allow: bool) -> bool {
	let Some(reason) = &record.yanked else { return false };
	if !ctx.json {
		let reason = zoo_client::output::safe_line(reason);
		match allow {
			true => eprintln!("warning: version {} is yanked: {reason}", record.id),
			false => eprintln!(
				"version {} is yanked: {reason}\nrefusing to {verb} it; pass --allow-yanked to {verb} it anyway",
				record.id
			),
		}
	}
	!allow
}
