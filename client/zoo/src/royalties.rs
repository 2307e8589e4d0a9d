//! `zoo royalties`: contributor splits, royalty tables and vaults, claims.

use crate::args::{ModelName, SplitShareArg};
use crate::prelude::{Claimable, Ctx, Outcome, account_of, royalty_lines};
use anyhow::{Result, anyhow};
use serde::Serialize;
use zoo_client::{
	amount::{Bps, FULL_BPS, zoo},
	chain::{AccountShare, Claim, RoyaltyShare, Submitted},
	output::json,
};
use zoo_primitives::VersionId;

/// `zoo royalties split set --json`.
#[derive(Serialize)]
struct SplitSet<'a> {
	model: &'a ModelName,
	split: &'a [AccountShare],
	block: &'a Submitted,
}

/// `zoo royalties split show --json` (`split` null: none set, versions pay the owner).
#[derive(Serialize)]
struct SplitShown<'a> {
	model: &'a ModelName,
	split: Option<&'a [AccountShare]>,
}

/// `zoo royalties show --json`: a version's table, vault, split and (with --key) claimable.
#[derive(Serialize)]
struct Royalties<'a> {
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	table: &'a [RoyaltyShare],
	#[serde(serialize_with = "json::amount")]
	vault: u128,
	split: &'a [AccountShare],
	claimable: Option<Claimable>,
}

/// `zoo royalties claim --json`.
#[derive(Serialize)]
struct Claims<'a> {
	claims: &'a [Claim],
	#[serde(serialize_with = "json::amount")]
	total: u128,
}

fn split_lines(split: &[AccountShare]) -> String {
	split.iter().map(|share| format!("{:>7}  {}\n", Bps(share.bps).to_string(), share.account)).collect()
}

/// `zoo royalties split set`.
pub(crate) async fn split_set(ctx: &Ctx, model: &ModelName, shares: &[SplitShareArg]) -> Result<Outcome> {
	let total: u32 = shares.iter().map(|share| u32::from(share.bps)).sum();
	if total != u32::from(FULL_BPS) {
		return Err(anyhow!("the shares total {}, not 100%", Bps(total.min(u32::from(u16::MAX)) as u16)));
	}
	let mut split = Vec::with_capacity(shares.len());
	for share in shares {
		let who = account_of(&share.account)?;
		if split.iter().any(|(other, _)| *other == who) {
			return Err(anyhow!("{who} is in the split twice"));
		}
		split.push((who, share.bps));
	}
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let submitted = chain.set_split(&signer, model, &split).await?;
	let shown: Vec<AccountShare> =
		split.iter().map(|(who, bps)| AccountShare { account: who.to_string(), bps: *bps }).collect();
	ctx.print(SplitSet { model, split: &shown, block: &submitted }, || {
		format!(
			"split of {model} set (block {}); its next versions pay:\n{}",
			submitted.block_number,
			split_lines(&shown)
		)
	});
	Ok(Outcome::Done)
}

/// `zoo royalties split show`.
pub(crate) async fn split_show(ctx: &Ctx, model: &ModelName) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	if !chain.model_exists(model).await? {
		return Err(anyhow!("model {model} does not exist"));
	}
	let split = chain.split(model).await?;
	ctx.print(SplitShown { model, split: split.as_deref() }, || match &split {
		Some(split) => format!("split of {model}:\n{}", split_lines(split)),
		None => format!("{model} has no split: its versions pay its owner"),
	});
	Ok(Outcome::Done)
}

/// `zoo royalties show`.
pub(crate) async fn show(ctx: &Ctx, cid: VersionId) -> Result<Outcome> {
	let signer = match ctx.key {
		Some(_) => Some(ctx.signer()?.public_key().to_account_id()),
		None => None,
	};
	let chain = ctx.chain().await?;
	let table = chain.royalty_table(cid).await?.ok_or_else(|| anyhow!("{cid} has no royalty table"))?;
	let vault = chain.vault(cid).await?;
	let split = chain.version_split(cid).await?.unwrap_or_default();
	let claimable = match signer {
		Some(who) => Some(Claimable { amount: chain.claimable(cid, &who).await?, account: who.to_string() }),
		None => None,
	};
	let answer = Royalties { version: cid, table: &table, vault, split: &split, claimable };
	ctx.print(&answer, || {
		let mut out = format!("royalties of {cid}\n{}", royalty_lines(cid, &table));
		out.push_str(&format!("vault     {} received in all\n", zoo(vault)));
		out.push_str(&format!("split\n{}", split_lines(&split)));
		if let Some(claimable) = &answer.claimable {
			out.push_str(&format!("claimable {} by {}\n", zoo(claimable.amount), claimable.account));
		}
		out
	});
	Ok(Outcome::Done)
}

/// `zoo royalties claim`.
pub(crate) async fn claim(ctx: &Ctx, cids: &[VersionId]) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let chain = ctx.chain().await?;
	// Every version first, so a mistyped one does not leave the others half claimed.
	for cid in cids {
		let split = chain.version_split(*cid).await?.ok_or_else(|| anyhow!("{cid} has no contributor split"))?;
		if !split.iter().any(|share| share.account == who.to_string()) {
			return Err(anyhow!("{who} is not a contributor of {cid}; nothing was claimed"));
		}
	}
	let mut claims: Vec<Claim> = Vec::with_capacity(cids.len());
	for cid in cids {
		let claim = chain.claim(&signer, *cid).await.map_err(|e| {
			let done: Vec<String> =
				claims.iter().map(|claim| format!("{} from {}", zoo(claim.amount), claim.version)).collect();
			match done.is_empty() {
				true => anyhow!(e),
				false => anyhow!(e).context(format!("claimed {} before this failed", done.join(", "))),
			}
		})?;
		claims.push(claim);
	}
	let total = claims.iter().map(|claim| claim.amount).sum();
	ctx.print(Claims { claims: &claims, total }, || {
		let mut out: String = claims
			.iter()
			.map(|claim| {
				format!("claimed {} from {} (block {})\n", zoo(claim.amount), claim.version, claim.block.block_number)
			})
			.collect();
		out.push_str(&format!("total   {}\n", zoo(total)));
		out
	});
	Ok(Outcome::Done)
}
