//! `zoo license`: licence terms, offers, grants, approvals, and the derivative check.

use crate::args::ParentSpec;
use crate::{
	cli::{CheckArgs, OfferArgs, TermsArgs},
	prelude::{
		BLOCKS_PER_DAY, Ctx, Outcome, account_of, account_or_signer, explain, fetch_version, refusal_lines,
		royalty_lines,
	},
};
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use zoo_client::{
	amount::{Amount, Ppb, zoo},
	chain::{GrantInfo, OfferKind, Purchase, Refusal, RoyaltyShare, Submitted, Terms},
	key_release,
	manifest_build::{CommitOptions, check_artifact_count, local_root, provisional_manifest},
	output::{json, safe_line},
	scan::scan,
	workspace::Workspace,
};
use zoo_primitives::{EdgeKind, Manifest, Parent, VersionId};

/// `zoo license terms create --json`: the terms' ID, whether they existed already, and where
/// the registration landed (`null` when they existed).
#[derive(Serialize)]
struct TermsCreated<'a> {
	id: u64,
	existing: bool,
	terms: &'a Terms,
	block: Option<&'a Submitted>,
}

/// `zoo license terms show --json`.
#[derive(Serialize)]
struct TermsShown<'a> {
	id: u64,
	terms: &'a Terms,
}

/// `zoo license offer --json`: the offer as set (`kind` and `price` null when removed).
#[derive(Serialize)]
struct OfferSet<'a> {
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	offer: u32,
	removed: bool,
	kind: Option<OfferKind>,
	#[serde(serialize_with = "optional_amount")]
	price: Option<u128>,
	block: &'a Submitted,
}

fn optional_amount<S: serde::Serializer>(amount: &Option<u128>, serializer: S) -> Result<S::Ok, S::Error> {
	amount.map(|amount| amount.to_string()).serialize(serializer)
}

/// `zoo license grants --json`: an account's grants on a version and whether it may use it.
#[derive(Serialize)]
struct Grants<'a> {
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	account: String,
	at_block: u32,
	may_use: bool,
	grants: &'a [GrantInfo],
}

/// `zoo license check --json`: every refusal, and the royalty table the version would get.
#[derive(Serialize)]
struct Checked<'a> {
	/// The version's ID (for a directory, of its manifest before hashing: not the final ID).
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	account: String,
	accepted: bool,
	refusals: &'a [Refusal],
	/// `null` when the table itself is refused.
	royalties: Option<&'a [RoyaltyShare]>,
}

/// `zoo license approve --json`.
#[derive(Serialize)]
struct Approval<'a> {
	#[serde(serialize_with = "json::cid")]
	parent: VersionId,
	committer: String,
	approved: bool,
	block: &'a Submitted,
}

/// The terms the flags describe (reading `--legal-file`).
pub(crate) fn terms_from_args(args: &TermsArgs) -> Result<Terms> {
	let legal_hash = match (&args.legal_file, &args.legal_hash) {
		(Some(file), _) => {
			let bytes = std::fs::read(file).with_context(|| format!("--legal-file {}", file.display()))?;
			Sha256::digest(&bytes).into()
		}
		(None, Some(hash)) => hash.0,
		(None, None) => return Err(anyhow!("pass --legal-file FILE or --legal-hash HEX")),
	};
	let mut upstream_share = [0u32; 7];
	for share in &args.shares {
		if upstream_share[share.kind as usize] != 0 {
			return Err(anyhow!("--share {} is given twice", share.kind.as_str()));
		}
		upstream_share[share.kind as usize] = share.ppb;
	}
	let grant_duration = match (args.grant_days, args.grant_blocks) {
		(Some(days), _) => {
			Some(days.checked_mul(BLOCKS_PER_DAY).ok_or_else(|| anyhow!("--grant-days {days} is too long"))?)
		}
		(None, blocks) => blocks,
	};
	Ok(Terms {
		commercial_use: args.commercial,
		derivatives_allowed: args.derivatives,
		derivatives_paid: args.paid,
		share_alike: args.share_alike,
		approval_required: args.approval,
		attribution_required: args.attribution,
		name_prefix: args.name_prefix.clone(),
		restrictions: args.restrictions.iter().fold(0u64, |bits, bit| bits | (1 << bit)),
		upstream_share,
		grant_duration,
		legal_hash,
		legal_uri: args.legal_uri.clone(),
	})
}

/// Terms for people, one fact per line.
fn terms_text(id: u64, terms: &Terms) -> String {
	let mut out = format!("terms        {id}\n");
	out.push_str(&format!("commercial   {}\n", if terms.commercial_use { "yes (with a use grant)" } else { "no" }));
	out.push_str(&format!("derivatives  {}\n", terms.derivatives_allowed.names()));
	out.push_str(&format!("paid         {}\n", terms.derivatives_paid.names()));
	for kind in EdgeKind::ALL {
		let share = terms.upstream_share_for(kind);
		if share > 0 {
			out.push_str(&format!("share        {} {}\n", kind.as_str(), Ppb(share)));
		}
	}
	let flags = [
		(terms.share_alike, "share-alike"),
		(terms.approval_required, "approval required"),
		(terms.attribution_required, "attribution required"),
	];
	for (set, what) in flags {
		if set {
			out.push_str(&format!("rule         {what}\n"));
		}
	}
	if let Some(prefix) = &terms.name_prefix {
		out.push_str(&format!("name prefix  {}\n", safe_line(prefix)));
	}
	for bit in (0..64).filter(|bit| terms.restrictions & (1 << bit) != 0) {
		out.push_str(&format!("restriction  {bit}\n"));
	}
	match terms.grant_duration {
		Some(blocks) if blocks.is_multiple_of(BLOCKS_PER_DAY) => {
			out.push_str(&format!("grants last  {blocks} blocks ({} days)\n", blocks / BLOCKS_PER_DAY))
		}
		Some(blocks) => out.push_str(&format!("grants last  {blocks} blocks\n")),
		None => out.push_str("grants last  forever\n"),
	}
	out.push_str(&format!(
		"legal hash   {}\nlegal text   {}\n",
		hex::encode(terms.legal_hash),
		safe_line(&terms.legal_uri)
	));
	out
}

/// `zoo license terms create`: register, or name the identical terms already registered.
pub(crate) async fn terms_create(ctx: &Ctx, args: &TermsArgs) -> Result<Outcome> {
	let terms = terms_from_args(args)?;
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	if let Some(id) = chain.terms_id(&terms).await? {
		ctx.print(TermsCreated { id, existing: true, terms: &terms, block: None }, || {
			format!(
				"identical terms are already registered as {id}; nothing was registered\n{}",
				terms_text(id, &terms)
			)
		});
		return Ok(Outcome::Done);
	}
	let (submitted, id) = chain.register_terms(&signer, &terms).await?;
	ctx.print(TermsCreated { id, existing: false, terms: &terms, block: Some(&submitted) }, || {
		format!("registered terms {id} in block {}\n{}", submitted.block_number, terms_text(id, &terms))
	});
	Ok(Outcome::Done)
}

/// `zoo license terms show`.
pub(crate) async fn terms_show(ctx: &Ctx, id: u64) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let terms = chain.terms(id).await?.ok_or_else(|| anyhow!("terms {id} are not registered"))?;
	ctx.print(TermsShown { id, terms: &terms }, || terms_text(id, &terms));
	Ok(Outcome::Done)
}

/// `zoo license offer`.
pub(crate) async fn offer(ctx: &Ctx, args: &OfferArgs) -> Result<Outcome> {
	let kind = match (args.use_grant, args.derivative, args.usage) {
		(true, _, _) => Some(OfferKind::Use),
		(_, true, _) => Some(OfferKind::Derivative),
		(_, _, true) => Some(OfferKind::Usage),
		_ => None,
	};
	let (cid, id) = (args.cid, args.id);
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	if args.remove {
		let submitted = chain.remove_offer(&signer, cid, id).await?;
		let answer = OfferSet { version: cid, offer: id, removed: true, kind: None, price: None, block: &submitted };
		ctx.print(answer, || format!("removed offer {id} from {cid} (block {})", submitted.block_number));
		return Ok(Outcome::Done);
	}
	let kind = kind.ok_or_else(|| anyhow!("say what the offer sells: --use, --derivative or --usage"))?;
	let price = args.price.ok_or_else(|| anyhow!("pass --price AMOUNT"))?;
	let submitted = chain.set_offer(&signer, cid, id, kind, price.planck()).await?;
	let answer = OfferSet {
		version: cid,
		offer: id,
		removed: false,
		kind: Some(kind),
		price: Some(price.planck()),
		block: &submitted,
	};
	ctx.print(answer, || {
		let unit = if kind == OfferKind::Usage { " per unit" } else { "" };
		format!("offer {id} on {cid}: {} for {price}{unit} (block {})", kind.as_str(), submitted.block_number)
	});
	Ok(Outcome::Done)
}

/// `zoo license buy`: checks the offer's price against `--max-price` before paying anything;
/// the chain checks it again.
pub(crate) async fn buy(ctx: &Ctx, cid: VersionId, offer: u32, max_price: Amount) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let offers = chain.offers(cid).await?;
	let listed = offers.iter().find(|o| o.offer == offer).ok_or_else(|| anyhow!("{cid} has no offer {offer}"))?;
	let Some(kind) = listed.kind.grant_kind() else {
		return Err(anyhow!(
			"offer {offer} sells metered usage: open a channel with `zoo usage open {cid} --offer {offer}`"
		));
	};
	if listed.price > max_price.planck() {
		return Err(anyhow!(
			"offer {offer} costs {}, above --max-price {max_price}; nothing was paid",
			zoo(listed.price)
		));
	}
	// The kind read here goes into the call: an offer changed before inclusion sells nothing.
	let purchase: Purchase = chain.purchase(&signer, cid, offer, kind, max_price.planck()).await.map_err(|e| {
		explain(e, |name| match name {
			"Licensing::OfferKindMismatch" => Some(format!(
				"offer {offer} changed after it was read (it no longer sells a {} grant); nothing was paid",
				kind.as_str()
			)),
			"Licensing::PriceAboveMaximum" => {
				Some(format!("offer {offer} now costs more than --max-price {max_price}; nothing was paid"))
			}
			_ => None,
		})
	})?;
	ctx.print(&purchase, || {
		let expiry = match purchase.expires_at {
			Some(block) => format!("until block {block}"),
			None => "forever".to_owned(),
		};
		format!(
			"bought a {} grant on {cid} (block {})\nprice         {}\nprotocol fee  {} (of the price)\ngrant holds   {expiry}",
			purchase.kind.as_str(),
			purchase.block.block_number,
			zoo(purchase.price),
			zoo(purchase.protocol_fee),
		)
	});
	Ok(Outcome::Done)
}

/// `zoo license grants`.
pub(crate) async fn grants(ctx: &Ctx, cid: VersionId, account: Option<&str>) -> Result<Outcome> {
	let who = account_or_signer(ctx, account)?;
	let chain = ctx.chain().await?;
	let at = chain.block_number().await?;
	let mut held = Vec::new();
	for kind in [zoo_client::chain::GrantKind::Use, zoo_client::chain::GrantKind::Derivative] {
		held.extend(chain.grant(cid, &who, kind).await?);
	}
	let may_use = chain.may_use(cid, &who, at).await?;
	ctx.print(Grants { version: cid, account: who.to_string(), at_block: at, may_use, grants: &held }, || {
		let mut out = format!("{who} on {cid} at block {at}\n");
		out.push_str(&format!("may use commercially  {}\n", if may_use { "yes" } else { "no" }));
		if held.is_empty() {
			out.push_str("no grants\n");
		}
		for grant in &held {
			let expiry = grant.expires_at.map_or("forever".to_owned(), |block| format!("until block {block}"));
			let credits = match grant.kind {
				zoo_client::chain::GrantKind::Derivative => match grant.credits {
					1 => ", 1 derivative commit left".to_owned(),
					credits => format!(", {credits} derivative commits left"),
				},
				zoo_client::chain::GrantKind::Use => String::new(),
			};
			out.push_str(&format!("{} grant {expiry}{credits}\n", grant.kind.as_str()));
		}
		out
	});
	Ok(Outcome::Done)
}

/// The manifest a commit of `dir` would make, before hashing (see [`provisional_manifest`]):
/// its model and parents resolved as `zoo commit` resolves them.
fn dir_manifest(dir: &Path, args: &CheckArgs) -> Result<Manifest> {
	let workspace = Workspace::open_optional(dir)?;
	let model = match (&args.model, &workspace) {
		(Some(model), _) => model.clone(),
		(None, Some(workspace)) => workspace.model().parse()?,
		(None, None) => {
			return Err(anyhow!("{} does not track a model: pass --model <org/name>", dir.display()));
		}
	};
	let mut parents: Vec<Parent> = args.parents.iter().map(|ParentSpec(parent)| parent.clone()).collect();
	if parents.is_empty()
		&& let Some(workspace) = workspace.as_ref().filter(|w| w.model() == model.as_str())
		&& let Some(head) = workspace.head()
	{
		parents.push(Parent { id: head.id()?, edge: EdgeKind::Revision });
	}
	let message = "licence check".parse()?;
	let hashing = crate::args::hashing(Default::default(), None);
	let mut options = CommitOptions::new(model.to_bounded(), message, hashing, local_root(dir)?)
		.with_parents(parents)?
		.with_tags(args.tags.iter().cloned())?
		.with_license(args.license.clone());
	if let Some(terms) = args.terms {
		options = options.with_terms(terms);
	}
	let files = scan(dir)?;
	check_artifact_count(files.len())?;
	Ok(provisional_manifest(&files, &options)?)
}

/// `zoo license check`: exit code 1 when the licence rules refuse.
pub(crate) async fn check(ctx: &Ctx, args: &CheckArgs) -> Result<Outcome> {
	let who = account_or_signer(ctx, args.account.as_deref())?;
	let dir = Path::new(&args.target);
	let chain = ctx.chain().await?;
	let manifest = if dir.is_dir() {
		dir_manifest(dir, args)?
	} else {
		let id = crate::args::version_id(&args.target)
			.map_err(|_| anyhow!("{} is neither a directory nor a version ID", args.target))?;
		fetch_version(&chain, id).await?.manifest
	};
	let version = manifest.id();
	let refusals = chain.check_derivative(&manifest, &who).await?;
	let royalties = chain.royalty_preview(&manifest).await?.ok();
	let accepted = refusals.is_empty();
	let answer =
		Checked { version, account: who.to_string(), accepted, refusals: &refusals, royalties: royalties.as_deref() };
	ctx.print(answer, || {
		let mut out = match accepted {
			true => format!("the licence rules accept this commit by {who}\n"),
			false => format!("the licence rules refuse this commit by {who}:\n{}", refusal_lines(&refusals)),
		};
		if let Some(table) = &royalties {
			out.push_str(&royalty_lines(version, table));
		}
		out
	});
	Ok(if accepted { Outcome::Done } else { Outcome::Refused })
}

/// `zoo license approve`.
pub(crate) async fn approve(ctx: &Ctx, cid: VersionId, account: &str, revoke: bool) -> Result<Outcome> {
	let committer = account_of(account)?;
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let submitted = match revoke {
		false => chain.approve_derivative(&signer, cid, committer).await?,
		true => chain.revoke_approval(&signer, cid, committer).await?,
	};
	let answer = Approval { parent: cid, committer: committer.to_string(), approved: !revoke, block: &submitted };
	ctx.print(answer, || match revoke {
		false => format!("{committer} may derive from {cid} (block {})", submitted.block_number),
		true => format!("{committer} may no longer derive from {cid} (block {})", submitted.block_number),
	});
	Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::cli::{Cli, Command, LicenseCommand, TermsCommand};
	use clap::Parser;

	fn parse(extra: &[&str]) -> Result<TermsArgs, clap::Error> {
		let mut args = vec!["zoo", "license", "terms", "create"];
		args.extend_from_slice(extra);
		match Cli::try_parse_from(args)?.command {
			Command::License(LicenseCommand::Terms(TermsCommand::Create(args))) => Ok(args),
			other => panic!("parsed as {other:?}"),
		}
	}

	const LEGAL: [&str; 4] = [
		"--legal-hash",
		"0x0101010101010101010101010101010101010101010101010101010101010101",
		"--legal-uri",
		"https://example.org/terms",
	];

	#[test]
	fn terms_flags_make_terms() {
		let flags = [
			"--commercial",
			"--derivatives",
			"finetune,quantize,adapter",
			"--paid",
			"finetune",
			"--share",
			"finetune=10%",
			"--share",
			"quantize=2.5",
			"--attribution",
			"--name-prefix",
			"llama",
			"--restriction",
			"3",
			"--restriction",
			"63",
			"--grant-days",
			"30",
		];
		let terms = terms_from_args(&parse(&[&flags[..], &LEGAL[..]].concat()).unwrap()).unwrap();
		assert!(terms.commercial_use && terms.attribution_required && !terms.share_alike && !terms.approval_required);
		assert_eq!(terms.derivatives_allowed.names(), "finetune,quantize,adapter");
		assert_eq!(terms.derivatives_paid.names(), "finetune");
		assert_eq!(terms.upstream_share, [0, 0, 100_000_000, 25_000_000, 0, 0, 0]);
		assert_eq!(terms.name_prefix.as_deref(), Some("llama"));
		assert_eq!(terms.restrictions, (1 << 3) | (1 << 63));
		assert_eq!(terms.grant_duration, Some(30 * BLOCKS_PER_DAY));
		assert_eq!(terms.legal_hash, [1; 32]);
		assert_eq!(terms.legal_uri, "https://example.org/terms");

		let plain = terms_from_args(&parse(&[&["--non-commercial"][..], &LEGAL[..]].concat()).unwrap()).unwrap();
		assert!(!plain.commercial_use);
		assert_eq!(plain.derivatives_allowed.names(), "none");
		assert_eq!(plain.grant_duration, None, "grants last forever by default");
		let blocks = parse(&[&["--commercial", "--grant-blocks", "100"][..], &LEGAL[..]].concat()).unwrap();
		assert_eq!(terms_from_args(&blocks).unwrap().grant_duration, Some(100));
	}

	#[test]
	fn commit_takes_terms_or_a_license_not_both() {
		let both = Cli::try_parse_from(["zoo", "commit", "-m", "x", "--terms", "1", "--license", "MIT"]);
		assert!(both.unwrap_err().to_string().contains("cannot be used with"));
		let Command::Commit(args) = Cli::try_parse_from(["zoo", "commit", "-m", "x", "--terms", "3"]).unwrap().command
		else {
			panic!("not a commit")
		};
		assert_eq!(args.version.terms, Some(3));
	}

	#[test]
	fn the_legal_file_is_hashed() {
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("LICENSE.txt");
		std::fs::write(&file, b"abc").unwrap();
		let path = file.to_str().unwrap();
		let args = parse(&["--commercial", "--legal-file", path, "--legal-uri", "https://x.org/l"]).unwrap();
		let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
		assert_eq!(hex::encode(terms_from_args(&args).unwrap().legal_hash), expected);
		let missing =
			parse(&["--commercial", "--legal-file", "/nonexistent/l", "--legal-uri", "https://x.org/l"]).unwrap();
		assert!(format!("{:#}", terms_from_args(&missing).unwrap_err()).contains("--legal-file /nonexistent/l"));
	}

	#[test]
	fn bad_terms_flags_are_refused() {
		let cases: [(&[&str], &str); 9] = [
			(&[], "--commercial"),
			(&["--commercial", "--non-commercial"], "cannot be used with"),
			(&["--commercial", "--derivatives", "lora"], "unknown kind"),
			(&["--commercial", "--paid", "revision"], "never needs a licence"),
			(&["--commercial", "--share", "finetune=200%"], "above 100%"),
			(&["--commercial", "--share", "all=1%"], "name one kind"),
			(&["--commercial", "--restriction", "64"], "64"),
			(&["--commercial", "--grant-days", "1", "--grant-blocks", "5"], "cannot be used with"),
			(&["--commercial", "--grant-days", "0"], "0"),
		];
		for (flags, needle) in cases {
			let err = parse(&[flags, &LEGAL[..]].concat()).unwrap_err().to_string();
			assert!(err.contains(needle), "{flags:?}: {err}");
		}
		let no_legal = parse(&["--commercial", "--legal-uri", "https://x.org/l"]).unwrap_err().to_string();
		assert!(no_legal.contains("--legal-file") || no_legal.contains("--legal-hash"), "{no_legal}");
		let twice =
			parse(&[&["--commercial", "--share", "finetune=1%", "--share", "finetune=2%"][..], &LEGAL[..]].concat());
		let err = terms_from_args(&twice.unwrap()).unwrap_err().to_string();
		assert!(err.contains("--share finetune is given twice"), "{err}");
	}
}

/// `zoo license release --json`: the keys released and where it landed.
#[derive(Serialize)]
struct Released<'a> {
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	grantee: String,
	block: &'a Submitted,
}

/// `zoo license release CID ACCOUNT`: re-wrap the version's owner headers for the account's
/// recorded recipient and publish them.
pub(crate) async fn release(ctx: &Ctx, cid: VersionId, account: &str, trust_node: bool) -> Result<Outcome> {
	let grantee = account_of(account)?;
	let (signer, identity) = ctx.signer_with_identity()?;
	let trust = key_release::ReleaseTrust::from_flag(trust_node);
	let chain = ctx.chain().await?;
	key_release::ensure_trusted(&chain, trust)?;
	let record = fetch_version(&chain, cid).await?;
	match key_release::release(&chain, trust, &signer, &identity, cid, &record.manifest, &grantee).await? {
		Ok(block) => {
			let answer = Released { version: cid, grantee: grantee.to_string(), block: &block };
			ctx.print(answer, || {
				format!(
					"released the keys of {cid} to {grantee} (block {}); a released key cannot be revoked",
					block.block_number
				)
			});
			Ok(Outcome::Done)
		}
		// Every reason is one the chain would refuse with: say so as an error.
		Err(reason) => Err(anyhow!("not released: {reason}; nothing was sent")),
	}
}
