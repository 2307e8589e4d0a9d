//! Every verb but `commit`: argument checks first, then the chain, then local work.

use crate::{Cli, Command, KeysCommand, ModelCommand, OrgCommand, Outcome};
use anyhow::{Context as _, Result, anyhow};
use serde_json::{Value, json};
use std::str::FromStr;
use std::{
	io::{BufRead, IsTerminal},
	path::Path,
	time::Duration,
};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;
use zoo_client::{
	chain::{Chain, ConnectOptions, VersionRecord, redact_url},
	checkout::checkout,
	keys::Keystore,
	manifest_build::{parse_cid, parse_model_name},
	output::{model_json, safe_line, terminal_safe},
	scan::ScannedFile,
	verify::verify_dir,
	workspace::Workspace,
};
use zoo_primitives::{Manifest, VersionId};

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

	/// Print `value` as JSON, or `text` for people.
	pub fn print(&self, value: Value, text: impl FnOnce() -> String) {
		if self.json {
			println!("{value}");
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

/// Run the parsed command line.
pub(crate) async fn run(cli: Cli) -> Result<Outcome> {
	let connect = ConnectOptions { timeout: Duration::from_secs(cli.timeout), insecure: cli.insecure };
	let ctx = Ctx { url: cli.url, key: cli.key, json: cli.json, connect };
	match cli.command {
		Command::Keys(command) => keys(&ctx, command),
		Command::Org(OrgCommand::Create { name }) => crate::org::create(&ctx, &name).await,
		Command::Org(OrgCommand::Show { name }) => crate::org::show(&ctx, &name).await,
		Command::Org(OrgCommand::Member { org, account, role }) => {
			crate::org::member(&ctx, &org, &account, &role).await
		}
		Command::Org(OrgCommand::Check { name }) => crate::org::check(&ctx, &name).await,
		Command::Model(ModelCommand::Create { name }) => model_create(&ctx, &name).await,
		Command::Model(ModelCommand::Show { name }) => model_show(&ctx, &name).await,
		Command::Model(ModelCommand::Role { model, account, role }) => {
			crate::branch::role(&ctx, &model, &account, &role).await
		}
		Command::Init { model, dir } => init(&ctx, &model, &dir),
		Command::Status { dir } => status(&ctx, &dir),
		Command::Commit(args) => crate::commit::commit(&ctx, args).await,
		Command::Log { model, start, limit, graph } => crate::inspect::log(&ctx, &model, start, limit, graph).await,
		Command::Show { cid } => crate::inspect::show(&ctx, &cid).await,
		Command::Diff { old, new } => crate::inspect::diff_versions(&ctx, &old, &new).await,
		Command::Branch(args) => crate::branch::branch(&ctx, args).await,
		Command::Merge(args) => crate::commit::merge(&ctx, args).await,
		Command::Verify { cid, dir, allow_yanked } => verify(&ctx, &cid, &dir, allow_yanked).await,
		Command::Yank { cid, reason } => yank(&ctx, &cid, &reason).await,
		Command::Checkout { cid, dir, force, allow_yanked } => {
			checkout_cmd(&ctx, &cid, &dir, force, allow_yanked).await
		}
	}
}

fn keys(ctx: &Ctx, command: KeysCommand) -> Result<Outcome> {
	let store = keystore()?;
	match command {
		KeysCommand::Generate { name, words } => {
			let generated = store.generate(&name, words)?;
			let entry = &generated.entry;
			ctx.print(json!({"name": entry.name, "address": entry.address, "mnemonic": generated.mnemonic}), || {
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
			ctx.print(json!({"name": entry.name, "address": entry.address}), || {
				format!("imported key {}\naddress   {}", entry.name, entry.address)
			});
		}
		KeysCommand::List { show_secret } => {
			let entries = store.list(show_secret)?;
			ctx.print(json!({"keys": entries}), || {
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

async fn model_create(ctx: &Ctx, name: &str) -> Result<Outcome> {
	parse_model_name(name)?;
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	if chain.model(name).await?.is_some() {
		return Err(anyhow!("model {name} already exists"));
	}
	let submitted = chain.create_model(&signer, name).await?;
	ctx.print(
		json!({"model": name, "block_number": submitted.block_number, "block_hash": submitted.block_hash}),
		|| format!("created model {name} in block {} ({})", submitted.block_number, submitted.block_hash),
	);
	Ok(Outcome::Done)
}

async fn model_show(ctx: &Ctx, name: &str) -> Result<Outcome> {
	parse_model_name(name)?;
	let chain = ctx.chain().await?;
	let model = chain.model(name).await?.ok_or_else(|| anyhow!("model {name} does not exist"))?;
	let heads = chain.heads(name).await?;
	let refs = chain.refs(name).await?;
	let derived_from = chain.derived_from(name).await?;
	let derivations = chain.derivations(name, 1024).await?;
	let mut value = model_json(&model);
	value["heads"] = json!(heads.iter().map(VersionId::to_cid_string).collect::<Vec<_>>());
	value["refs"] = json!(
		refs.iter()
			.map(|r| json!({"name": r.name, "target": r.target.to_cid_string(), "protected": r.protected}))
			.collect::<Vec<_>>()
	);
	value["derived_from"] = json!(derived_from);
	value["derivations"] = json!(
		derivations
			.iter()
			.map(|d| json!({"base": d.base, "derived": d.derived, "depth": d.depth, "first": d.first.to_cid_string(), "edges": d.edges}))
			.collect::<Vec<_>>()
	);
	ctx.print(value, || {
		let mut out = format!(
			"model     {}\nowner     {}\ndeposit   {}\nversions  {}\n",
			model.name, model.owner, model.deposit, model.version_count
		);
		for (account, role) in &model.maintainers {
			out.push_str(&format!("{role:<9} {account}\n"));
		}
		for head in &heads {
			out.push_str(&format!("head      {head}\n"));
		}
		for info in &refs {
			let protected = if info.protected { " (protected)" } else { "" };
			out.push_str(&format!("ref       {} -> {}{protected}\n", safe_line(&info.name), info.target));
		}
		for base in &derived_from {
			out.push_str(&format!("derives from {}\n", safe_line(base)));
		}
		for d in &derivations {
			// Depth comes from the node: 0 must not underflow, and a huge one must not
			// allocate gigabytes of indentation.
			let indent = (d.depth.saturating_sub(1) as usize).min(MAX_INDENT);
			out.push_str(&format!(
				"{}{} derives from {} ({} edges)\n",
				"  ".repeat(indent),
				safe_line(&d.derived),
				safe_line(&d.base),
				d.edges
			));
		}
		out
	});
	Ok(Outcome::Done)
}

async fn yank(ctx: &Ctx, cid: &str, reason: &str) -> Result<Outcome> {
	let id = parse_cid(cid)?;
	if reason.trim().is_empty() || reason.len() > 256 {
		return Err(anyhow!("the yank reason must be 1 to 256 bytes"));
	}
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let record = crate::inspect::fetch(&chain, id).await?;
	if let Some(why) = record.yanked {
		return Err(anyhow!("version {id} is already yanked: {why}"));
	}
	let submitted = chain.yank(&signer, id, reason).await?;
	ctx.print(json!({"id": id.to_cid_string(), "reason": reason, "block_number": submitted.block_number}), || {
		format!("yanked {id} in block {}: {reason}", submitted.block_number)
	});
	Ok(Outcome::Done)
}

fn init(ctx: &Ctx, model: &str, dir: &Path) -> Result<Outcome> {
	parse_model_name(model)?;
	std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
	let workspace = Workspace::init(dir, model)?;
	ctx.print(json!({"model": workspace.model(), "dir": dir}), || {
		format!("{} now tracks model {}", dir.display(), workspace.model())
	});
	Ok(Outcome::Done)
}

fn status(ctx: &Ctx, dir: &Path) -> Result<Outcome> {
	let workspace = Workspace::open(dir)?;
	let status = workspace.status(!ctx.json)?;
	let head = workspace.head().map(|h| h.cid.clone());
	ctx.print(
		json!({"model": workspace.model(), "head": head, "clean": status.is_clean(), "added": status.added,
			"removed": status.removed, "modified": status.modified, "unchanged": status.unchanged}),
		|| {
			let mut out = format!("model {}\n", workspace.model());
			match &head {
				Some(cid) => out.push_str(&format!("last committed {cid}\n")),
				None => out.push_str("no version committed from here yet\n"),
			}
			for (label, paths) in
				[("added", &status.added), ("modified", &status.modified), ("removed", &status.removed)]
			{
				for path in paths {
					out.push_str(&format!("  {label:<9} {path}\n"));
				}
			}
			if status.is_clean() {
				out.push_str("nothing changed\n");
			}
			out
		},
	);
	Ok(Outcome::Done)
}

/// Deepest indentation `zoo model show` draws for a derivation.
const MAX_INDENT: usize = 32;

async fn fetch_version(ctx: &Ctx, id: VersionId) -> Result<VersionRecord> {
	crate::inspect::fetch(&ctx.chain().await?, id).await
}

/// What `verify` and `checkout` do about a yanked version: without `allow`, refuse (`true`);
/// with it, go on. Either way the yank and its reason go to stderr (with `--json`, into the
/// output's `yanked` field instead). Not yanked: nothing.
fn refuse_yanked(ctx: &Ctx, record: &VersionRecord, verb: &str, allow: bool) -> bool {
	let Some(reason) = &record.yanked else { return false };
	if !ctx.json {
		let reason = safe_line(reason);
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

async fn verify(ctx: &Ctx, cid: &str, dir: &Path, allow_yanked: bool) -> Result<Outcome> {
	let id = parse_cid(cid)?;
	if !dir.is_dir() {
		return Err(anyhow!("{}: not a directory", dir.display()));
	}
	let record = fetch_version(ctx, id).await?;
	// The ID of the manifest actually used: the chain module has checked that it is `id`.
	let used = record.manifest.id();
	if refuse_yanked(ctx, &record, "verify", allow_yanked) {
		if ctx.json {
			ctx.print(
				json!({"id": id.to_cid_string(), "manifest_id": used.to_cid_string(), "ok": false,
				"yanked": record.yanked, "report": null}),
				String::new,
			);
		}
		return Ok(Outcome::Yanked);
	}
	let report = verify_dir(&record.manifest, dir, !ctx.json)?;
	ctx.print(
		json!({"id": id.to_cid_string(), "manifest_id": used.to_cid_string(), "ok": report.is_ok(),
			"yanked": record.yanked, "report": report}),
		|| {
			let mut out = String::new();
			for path in &report.missing {
				out.push_str(&format!("missing     {}\n", safe_line(path)));
			}
			for path in &report.extra {
				out.push_str(&format!("extra       {}\n", safe_line(path)));
			}
			for m in &report.mismatched {
				let detail = match &m.actual_digest {
					None => format!("size {} != {}", m.actual_size, m.expected_size),
					Some(actual) => format!("digest {} != {}", &actual[..16], &m.expected_digest[..16]),
				};
				out.push_str(&format!("mismatched  {}  ({detail})\n", safe_line(&m.path)));
			}
			let total = record.manifest.artifacts.len();
			if report.is_ok() {
				out.push_str(&format!("ok: {} matches {used} ({total} files)\n", dir.display()));
			} else {
				out.push_str(&format!(
					"FAILED: {} missing, {} extra, {} mismatched, {} of {total} match {used}\n",
					report.missing.len(),
					report.extra.len(),
					report.mismatched.len(),
					report.matched
				));
			}
			out
		},
	);
	Ok(if report.is_ok() { Outcome::Done } else { Outcome::Differences })
}

async fn checkout_cmd(ctx: &Ctx, cid: &str, dir: &Path, force: bool, allow_yanked: bool) -> Result<Outcome> {
	let id = parse_cid(cid)?;
	// Refuse early, before touching the chain; checkout() checks again.
	if !force && dir.is_dir() && std::fs::read_dir(dir)?.next().is_some() {
		return Err(anyhow!("{} is not empty; pass --force to check out into it", dir.display()));
	}
	let record = fetch_version(ctx, id).await?;
	let used = record.manifest.id();
	if refuse_yanked(ctx, &record, "check out", allow_yanked) {
		if ctx.json {
			ctx.print(
				json!({"id": id.to_cid_string(), "manifest_id": used.to_cid_string(), "dir": dir,
				"yanked": record.yanked, "files": 0, "bytes": 0}),
				String::new,
			);
		}
		return Ok(Outcome::Yanked);
	}
	let manifest = record.manifest;
	let report = checkout(&manifest, dir, force, !ctx.json)?;
	if let Err(e) = record_checkout(dir, used, &manifest) {
		tracing::warn!("checked out, but could not record it in .zoo/: {e}");
	}
	ctx.print(
		json!({"id": id.to_cid_string(), "manifest_id": used.to_cid_string(), "dir": dir, "yanked": record.yanked,
			"files": report.files, "bytes": report.bytes}),
		|| {
			format!(
				"checked out {used} into {}: {} files, {} bytes, all verified",
				dir.display(),
				report.files,
				report.bytes
			)
		},
	);
	Ok(Outcome::Done)
}

/// Make the checkout a workspace whose head is the version, so `zoo status` works there.
fn record_checkout(dir: &Path, id: VersionId, manifest: &Manifest) -> Result<()> {
	let model = String::from_utf8_lossy(&manifest.model).into_owned();
	let files = manifest
		.artifacts
		.iter()
		.map(|artifact| {
			let path = String::from_utf8_lossy(&artifact.path).into_owned();
			let full_path = dir.join(&path);
			let meta = std::fs::metadata(&full_path)?;
			Ok(ScannedFile { path, size: meta.len(), mtime_ns: zoo_client::scan::mtime_ns(&meta), full_path })
		})
		.collect::<Result<Vec<_>>>()?;
	let mut workspace = Workspace::fresh(dir, &model)?;
	workspace.record_head(id, manifest, &files)?;
	Ok(())
}
