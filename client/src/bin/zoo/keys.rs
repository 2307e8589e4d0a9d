//! `zoo keys`: generate, import and list signing keys; show and register an account's age
//! recipient; serve sealed versions' keys to buyers.

use crate::{
	cli::KeysCommand,
	prelude::{Ctx, Outcome, fetch_version, keystore},
};
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use std::{
	collections::{BTreeMap, BTreeSet},
	io::{BufRead, IsTerminal},
	str::FromStr,
};
use subxt::utils::AccountId32;
use zoo_client::{
	chain::Submitted,
	key_release::{self, NotReleased},
	keys::KeyEntry,
	output::json,
};
use zoo_primitives::{Manifest, VersionId};

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

pub(crate) async fn keys(ctx: &Ctx, command: KeysCommand) -> Result<Outcome> {
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
		KeysCommand::Recipient { register, show_secret } => return recipient(ctx, register, show_secret).await,
		KeysCommand::Serve { from, once } => return serve(ctx, from, once).await,
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

/// `zoo keys recipient --json`: --key's age recipient (and identity with `--show-secret`).
#[derive(Serialize)]
struct RecipientShown<'a> {
	account: String,
	recipient: String,
	/// `AGE-SECRET-KEY-1...`, only with `--show-secret`.
	identity: Option<String>,
	/// Where the registration landed, with `--register`.
	registered: Option<&'a Submitted>,
}

/// `zoo keys recipient`: print (and with `register`, record on chain) --key's age recipient.
async fn recipient(ctx: &Ctx, register: bool, show_secret: bool) -> Result<Outcome> {
	let (signer, identity) = ctx.signer_with_identity()?;
	let recipient = identity.recipient();
	let registered = match register {
		true => Some(ctx.chain().await?.set_recipient(&signer, recipient.0).await?),
		false => None,
	};
	let answer = RecipientShown {
		account: signer.public_key().to_account_id().to_string(),
		recipient: recipient.to_string(),
		identity: show_secret.then(|| identity.to_age_secret()),
		registered: registered.as_ref(),
	};
	ctx.print(&answer, || {
		let mut text = format!("recipient {recipient}");
		if let Some(identity) = &answer.identity {
			text.push_str(&format!("\nidentity  {identity}"));
		}
		if let Some(block) = &answer.registered {
			text.push_str(&format!("\nregistered on chain (block {})", block.block_number));
		}
		text
	});
	Ok(Outcome::Done)
}

/// `zoo keys serve --json`: one line per purchase of a version whose keys --key holds.
#[derive(Serialize)]
struct ServedRelease<'a> {
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	grantee: String,
	/// Where the release landed; `null` if skipped.
	block: Option<&'a Submitted>,
	/// Why it was skipped.
	skipped: Option<&'a NotReleased>,
}

/// How often `zoo keys serve` asks for a new finalized block.
const SERVE_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// `zoo keys serve`: follow finalized blocks; for each purchase, release the keys if --key holds
/// them. A buyer without a recorded recipient is served when it records one.
async fn serve(ctx: &Ctx, from: Option<u32>, once: bool) -> Result<Outcome> {
	let (signer, identity) = ctx.signer_with_identity()?;
	let chain = ctx.chain().await?;
	if !ctx.json {
		eprintln!("serving keys for {} (recipient {})", signer.public_key().to_account_id(), identity.recipient());
	}
	let mut next = match from {
		Some(block) => block,
		None => chain.finalized_number().await? + 1,
	};
	let mut manifests: BTreeMap<VersionId, Manifest> = BTreeMap::new();
	// Purchases by buyers with no recipient yet, retried when they record one.
	let mut waiting: BTreeSet<(AccountId32, VersionId)> = BTreeSet::new();
	loop {
		let head = chain.finalized_number().await?;
		for number in next..=head {
			let (_, events) = chain.block_events(number).await?;
			let mut due = Vec::new();
			for event in events.iter().filter(|event| event.pallet == "Licensing") {
				let field = |name: &str| event.fields.get(name).and_then(|v| v.as_str()).map(str::to_owned);
				match event.event.as_str() {
					"Purchased" => {
						if let (Some(version), Some(buyer)) = (event.versions.first(), field("buyer")) {
							due.push((AccountId32::from_str(&buyer).map_err(|e| anyhow!("{e}"))?, *version));
						}
					}
					"RecipientSet" => {
						if let Some(who) = field("who") {
							let who = AccountId32::from_str(&who).map_err(|e| anyhow!("{e}"))?;
							let ready: Vec<_> = waiting.iter().filter(|(buyer, _)| *buyer == who).cloned().collect();
							for item in ready {
								waiting.remove(&item);
								due.push(item);
							}
						}
					}
					_ => {}
				}
			}
			for (grantee, version) in due {
				let manifest = match manifests.get(&version) {
					Some(manifest) => manifest,
					None => {
						let record = fetch_version(&chain, version).await?;
						manifests.entry(version).or_insert(record.manifest)
					}
				};
				let outcome = key_release::release(&chain, &signer, &identity, version, manifest, &grantee).await?;
				let (block, skipped) = match &outcome {
					Ok(block) => (Some(block), None),
					// Other owners' versions and unsealed ones are none of this agent's business.
					Err(NotReleased::NotOurs | NotReleased::NotSealed) => continue,
					Err(reason) => {
						if *reason == NotReleased::NoRecipient {
							waiting.insert((grantee.clone(), version));
						}
						(None, Some(reason))
					}
				};
				let answer = ServedRelease { version, grantee: grantee.to_string(), block, skipped };
				ctx.print(answer, || match (block, skipped) {
					(Some(block), _) => format!("released {version} to {grantee} (block {})", block.block_number),
					(None, reason) => format!(
						"not released {version} to {grantee}: {}",
						reason.map(ToString::to_string).unwrap_or_default()
					),
				});
			}
		}
		next = next.max(head + 1);
		if once {
			return Ok(Outcome::Done);
		}
		tokio::time::sleep(SERVE_POLL).await;
	}
}
