//! `zoo keys`: generate, import and list signing keys; show and register an account's age
//! recipient; serve sealed versions' keys to buyers.

use crate::{
	cli::KeysCommand,
	prelude::{Ctx, Outcome, fetch_version, keystore},
	watch::Source,
};
use anyhow::{Context as _, Result, anyhow};
use futures::FutureExt as _;
use serde::Serialize;
use std::{
	collections::{BTreeMap, BTreeSet},
	io::{BufRead, IsTerminal},
	str::FromStr,
};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;
use zoo_client::{
	chain::{
		Chain, ChainError, Submitted,
		watch::{WatchOptions, WatchedEvent},
	},
	key_release::{self, NotReleased},
	keys::KeyEntry,
	output::json,
	seal::SealIdentity,
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
		KeysCommand::Serve { from, once, trust_node } => return serve(ctx, from, once, trust_node).await,
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

/// `zoo keys serve`: follow finalized purchases (reconnecting as `zoo watch` does) and release
/// the keys of every version whose owner headers --key opens. A buyer without a recorded
/// recipient is served when it records one. With `once`, stop at the finalized head of the start.
///
/// With --light both the events and the reads a release is decided on are proven; over RPC the
/// agent runs only with `trust_node` (audit A3-01).
async fn serve(ctx: &Ctx, from: Option<u32>, once: bool, trust_node: bool) -> Result<Outcome> {
	let (signer, identity) = ctx.signer_with_identity()?;
	let trust = key_release::ReleaseTrust::from_flag(trust_node);
	let mut chain = ctx.chain().await?;
	key_release::ensure_trusted(&chain, trust)?;
	if !ctx.json {
		eprintln!("serving keys for {} (recipient {})", signer.public_key().to_account_id(), identity.recipient());
	}
	let options = WatchOptions {
		from_block: from,
		until_block: if once { Some(chain.finalized_number().await?) } else { None },
		models: Vec::new(),
		events: vec!["Licensing.Purchased".into(), "Licensing.RecipientSet".into()],
	};
	// The watch reconnects by itself and hands events over in chain order; releases are sent
	// from here, one at a time.
	let (sender, mut events) = tokio::sync::mpsc::unbounded_channel::<WatchedEvent>();
	let source = Source::of(ctx)?;
	let follower = tokio::spawn(async move {
		source
			.follow(&options, |event| {
				sender.send(event.clone()).map_err(|_| std::io::Error::other("keys serve stopped"))
			})
			.await
	});
	let mut manifests: BTreeMap<VersionId, Manifest> = BTreeMap::new();
	// Purchases by buyers with no recipient yet, retried when they record one.
	let mut waiting: BTreeSet<(AccountId32, VersionId)> = BTreeSet::new();
	while let Some(event) = events.recv().await {
		let account = |name: &str| {
			let text = event.fields.get(name).and_then(|v| v.as_str()).unwrap_or_default();
			AccountId32::from_str(text).map_err(|e| anyhow!("{name} of {}.{}: {e}", event.pallet, event.event))
		};
		let due: Vec<(AccountId32, VersionId)> = match event.event.as_str() {
			"Purchased" => match event.versions.first() {
				Some(version) => vec![(account("buyer")?, *version)],
				None => Vec::new(),
			},
			"RecipientSet" => {
				let who = account("who")?;
				let ready: Vec<_> = waiting.iter().filter(|(buyer, _)| *buyer == who).cloned().collect();
				waiting.retain(|(buyer, _)| *buyer != who);
				ready
			}
			_ => Vec::new(),
		};
		for (grantee, version) in due {
			let release =
				release_with_retries(ctx, &mut chain, trust, &signer, &identity, &mut manifests, version, &grantee);
			// One buyer's data must not stop the agent serving everyone else (audit A3-07): a
			// panic in one release is reported as that release's failure.
			let outcome = match std::panic::AssertUnwindSafe(release).catch_unwind().await {
				Ok(outcome) => outcome?,
				Err(panic) => Err(NotReleased::Failed(panic_text(panic.as_ref()))),
			};
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
	// The channel closes when the watch ends: at `until_block`, or on an error it cannot retry.
	follower.await.context("the block follower failed")??;
	Ok(Outcome::Done)
}

/// Attempts at one release before `keys serve` gives up (the node kept failing).
const RELEASE_ATTEMPTS: u32 = 5;

/// Release `version`'s keys to `grantee`, reconnecting to the node with backoff when the
/// connection fails; refusals the chain would give are returned as they are.
async fn release_with_retries(
	ctx: &Ctx,
	chain: &mut Chain,
	trust: key_release::ReleaseTrust,
	signer: &Keypair,
	identity: &SealIdentity,
	manifests: &mut BTreeMap<VersionId, Manifest>,
	version: VersionId,
	grantee: &AccountId32,
) -> Result<std::result::Result<Submitted, NotReleased>> {
	let mut backoff = std::time::Duration::from_millis(500);
	let mut attempt = 1;
	loop {
		// Read the chain as it is now: the grantee's grant and recipient may be newer than any
		// earlier read of this connection.
		chain.read_newest();
		let attempted = async {
			if !manifests.contains_key(&version) {
				let record = fetch_version(chain, version).await?;
				manifests.insert(version, record.manifest);
			}
			let manifest = &manifests[&version];
			anyhow::Ok(key_release::release(chain, trust, signer, identity, version, manifest, grantee).await?)
		}
		.await;
		match attempted {
			Ok(outcome) => return Ok(outcome),
			// The chain refused the release itself (say, the key is no longer an admin's):
			// report it and serve the next purchase.
			Err(e) if is_refusal(&e) => return Ok(Err(NotReleased::Refused(e.to_string()))),
			Err(e) if attempt >= RELEASE_ATTEMPTS => return Err(e),
			Err(e) => {
				tracing::warn!("release of {version} to {grantee} failed ({e}); reconnecting in {backoff:?}");
				tokio::time::sleep(backoff).await;
				backoff *= 2;
				attempt += 1;
				if let Ok(fresh) = ctx.chain().await {
					*chain = fresh;
				}
			}
		}
	}
}

/// What a caught panic said.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
	panic
		.downcast_ref::<&str>()
		.map(|text| (*text).to_owned())
		.or_else(|| panic.downcast_ref::<String>().cloned())
		.unwrap_or_else(|| "a panic".to_owned())
}

/// Whether `error` is the chain refusing a transaction (not worth retrying).
fn is_refusal(error: &anyhow::Error) -> bool {
	matches!(
		error.downcast_ref::<zoo_client::Error>(),
		Some(zoo_client::Error::Chain(ChainError::Rejected { .. } | ChainError::Failed(_)))
	)
}
