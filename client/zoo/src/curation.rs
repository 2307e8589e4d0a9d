//! `zoo stake`, `zoo unstake`, `zoo withdraw`, `zoo claim`, `zoo curation show` and
//! `zoo search`: stake on versions, paid from their licence fees, and the stake-ranked
//! discovery table.
//!
//! Each signing verb reads what it needs first and refuses, without sending anything, what the
//! chain would refuse (a stake below the minimum, a withdrawal during a dispute...), in the
//! words [`refusal`] gives; the chain's own refusal (had it changed in between) is put in the
//! same words by [`explain`].

use crate::args::{CurationSubject, ModelName};
use crate::{
	cli::SearchArgs,
	prelude::{Claimable, Ctx, Outcome, explain, fetch_version, refusal},
};
use anyhow::{Result, anyhow};
use serde::Serialize;
use zoo_client::{
	amount::{Amount, zoo},
	chain::{
		Chain, CurationInfo, CurationParams, DisputeInfo, ModelCurationInfo, PositionInfo, RankFilter, RankedVersion,
		SlashInfo,
	},
	output::{json, safe_line},
};
use zoo_primitives::VersionId;

/// `zoo curation show <cid> --json`: the version's figures (`null` when nobody ever staked on
/// or disputed it), its open dispute, the era, and with --key the signer's position and claim.
#[derive(Serialize)]
struct VersionCuration<'a> {
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	model: &'a str,
	yanked: Option<&'a str>,
	curation: Option<&'a CurationInfo>,
	dispute: Option<&'a DisputeInfo>,
	block_number: u32,
	era: u32,
	params: &'a CurationParams,
	position: Option<&'a PositionInfo>,
	claimable: Option<Claimable>,
}

/// `zoo search --json`.
#[derive(Serialize)]
struct Search<'a> {
	versions: &'a [RankedVersion],
}

fn slash_line(slashed: &Option<SlashInfo>) -> String {
	match slashed {
		Some(slash) => format!(
			"\nslashed  {} of your stake by a verdict ({} to the reporter, the rest burned)",
			zoo(slash.amount),
			zoo(slash.to_reporter)
		),
		None => String::new(),
	}
}

/// The version's figures, or `None` when nobody ever staked on or disputed it.
async fn figures(chain: &Chain, cid: VersionId) -> Result<Option<CurationInfo>> {
	Ok(chain.curation(cid).await?)
}

/// `zoo stake`.
pub(crate) async fn stake(ctx: &Ctx, cid: VersionId, amount: Amount) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let chain = ctx.chain().await?;
	let params = chain.curation_params().await?;
	if amount.planck() < params.min_stake {
		return Err(anyhow!("{} (asked {amount}); nothing was staked", refusal::stake_below_minimum(params.min_stake)));
	}
	let version = fetch_version(&chain, cid).await?;
	if version.yanked.is_some() {
		return Err(anyhow!(refusal::yanked(cid, "staked on")));
	}
	if figures(&chain, cid).await?.is_some_and(|f| f.dispute.is_some()) {
		return Err(anyhow!(refusal::dispute_open(cid, "stake")));
	}
	let free = chain.balance(&who).await?.free;
	if free < amount.planck() {
		return Err(anyhow!(refusal::cannot_pay(&who.to_string(), "a stake", amount.planck())));
	}
	let staked = chain.stake(&signer, cid, amount.planck()).await.map_err(|e| {
		explain(e, |name| match name {
			"Curation::StakeTooLow" => Some(refusal::stake_below_minimum(params.min_stake)),
			"Curation::UnknownVersion" => Some(format!("version {cid} does not exist")),
			"Curation::VersionYanked" => Some(refusal::yanked(cid, "staked on")),
			"Curation::DisputeOpen" => Some(refusal::dispute_open(cid, "stake")),
			"Curation::FactorTooLow" => Some(refusal::slashed_too_far(cid)),
			"Curation::InsufficientBalance" => Some(refusal::cannot_pay(&who.to_string(), "a stake", amount.planck())),
			_ => None,
		})
	})?;
	ctx.print(&staked, || {
		format!(
			"staked {} on {cid} (block {}): pending in era {}, earning from block {} (era {}){}",
			zoo(staked.amount),
			staked.block.block_number,
			staked.era,
			staked.earns_from,
			staked.era + 1,
			slash_line(&staked.slashed)
		)
	});
	Ok(Outcome::Done)
}

/// `zoo unstake`: `amount`, or everything (`None`).
pub(crate) async fn unstake(ctx: &Ctx, cid: VersionId, amount: Option<Amount>) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let chain = ctx.chain().await?;
	let params = chain.curation_params().await?;
	let position = chain
		.curation_position(cid, &who)
		.await?
		.ok_or_else(|| anyhow!(refusal::no_position(&who.to_string(), cid)))?;
	let bonded = position.bonded();
	if bonded == 0 {
		return Err(anyhow!("all of your stake on {cid} is unbonding already: `zoo withdraw` it once it unlocks"));
	}
	let asked = match amount {
		Some(amount) if amount.planck() == 0 => {
			return Err(anyhow!("nothing to unstake: the amount is zero"));
		}
		Some(amount) => {
			let rest = bonded.saturating_sub(amount.planck());
			if rest > 0 && rest < params.min_stake {
				return Err(anyhow!(refusal::remainder_too_low(cid, params.min_stake)));
			}
			amount.planck()
		}
		// More than the position unbonds all of it.
		None => u128::MAX,
	};
	let unbonded = chain.unbond(&signer, cid, asked).await.map_err(|e| {
		explain(e, |name| match name {
			"Curation::NoPosition" => Some(refusal::no_position(&who.to_string(), cid)),
			"Curation::ZeroAmount" => {
				Some(format!("nothing to unstake: the amount is below one point of stake on {cid}"))
			}
			"Curation::RemainderTooLow" => Some(refusal::remainder_too_low(cid, params.min_stake)),
			"Curation::TooManyChunks" => Some(refusal::too_many_chunks(cid, params.max_unbonding_chunks)),
			_ => None,
		})
	})?;
	ctx.print(&unbonded, || {
		format!(
			"unbonding {} from {cid} (block {}): it earns nothing from now, stays held and slashable, and can be withdrawn from block {}{}",
			zoo(unbonded.amount),
			unbonded.block.block_number,
			unbonded.unlock_at,
			slash_line(&unbonded.slashed)
		)
	});
	Ok(Outcome::Done)
}

/// `zoo withdraw`.
pub(crate) async fn withdraw(ctx: &Ctx, cid: VersionId) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let chain = ctx.chain().await?;
	let position = chain
		.curation_position(cid, &who)
		.await?
		.ok_or_else(|| anyhow!(refusal::no_position(&who.to_string(), cid)))?;
	if figures(&chain, cid).await?.is_some_and(|f| f.dispute.is_some()) {
		return Err(anyhow!(refusal::dispute_open(cid, "withdraw")));
	}
	// The transaction lands in a later block than the one read.
	let next = chain.block_number().await?.saturating_add(1);
	if !position.unbonding.iter().any(|chunk| chunk.unlock_at <= next) {
		let first = position.unbonding.iter().map(|chunk| chunk.unlock_at).min();
		return Err(anyhow!(refusal::nothing_to_withdraw(cid, first)));
	}
	let withdrawn = chain.withdraw_stake(&signer, cid).await.map_err(|e| {
		explain(e, |name| match name {
			"Curation::NoPosition" => Some(refusal::no_position(&who.to_string(), cid)),
			"Curation::DisputeOpen" => Some(refusal::dispute_open(cid, "withdraw")),
			"Curation::NothingToWithdraw" => {
				Some(refusal::nothing_to_withdraw(cid, position.unbonding.iter().map(|chunk| chunk.unlock_at).min()))
			}
			_ => None,
		})
	})?;
	ctx.print(&withdrawn, || {
		format!(
			"withdrew {} from {cid} (block {}): released from hold{}",
			zoo(withdrawn.amount),
			withdrawn.block.block_number,
			slash_line(&withdrawn.slashed)
		)
	});
	Ok(Outcome::Done)
}

/// `zoo claim`: curation rewards.
pub(crate) async fn claim(ctx: &Ctx, cid: VersionId) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let chain = ctx.chain().await?;
	if chain.curation_position(cid, &who).await?.is_none() {
		return Err(anyhow!(refusal::no_position(&who.to_string(), cid)));
	}
	let claimed = chain.claim_rewards(&signer, cid).await.map_err(|e| {
		explain(e, |name| match name {
			"Curation::NoPosition" => Some(refusal::no_position(&who.to_string(), cid)),
			_ => None,
		})
	})?;
	ctx.print(&claimed, || {
		format!(
			"claimed {} of curation rewards from {cid} (block {}){}",
			zoo(claimed.amount),
			claimed.block.block_number,
			slash_line(&claimed.slashed)
		)
	});
	Ok(Outcome::Done)
}

/// `zoo curation show`.
pub(crate) async fn show(ctx: &Ctx, subject: &CurationSubject) -> Result<Outcome> {
	match subject {
		CurationSubject::Version(cid) => show_version(ctx, *cid).await,
		CurationSubject::Model(model) => show_model(ctx, model).await,
	}
}

fn dispute_line(dispute: &DisputeInfo) -> String {
	format!(
		"dispute {} ({}) by {}, opened at block {}, bond {}\n  evidence {}\n",
		dispute.id,
		dispute.reason,
		dispute.reporter,
		dispute.opened_at,
		zoo(dispute.bond),
		safe_line(&dispute.evidence)
	)
}

async fn show_version(ctx: &Ctx, cid: VersionId) -> Result<Outcome> {
	let who = match ctx.key {
		Some(_) => Some(ctx.signer()?.public_key().to_account_id()),
		None => None,
	};
	let chain = ctx.chain().await?;
	let version = fetch_version(&chain, cid).await?;
	let model = String::from_utf8_lossy(&version.manifest.model).into_owned();
	let params = chain.curation_params().await?;
	let block_number = chain.block_number().await?;
	let era = params.era_of(block_number);
	let curation = figures(&chain, cid).await?;
	let dispute = match curation.as_ref().and_then(|f| f.dispute) {
		Some(id) => chain.dispute(id).await?,
		None => None,
	};
	let (position, claimable) = match &who {
		Some(who) => (
			chain.curation_position(cid, who).await?,
			Some(Claimable { account: who.to_string(), amount: chain.curation_claimable(cid, who).await? }),
		),
		None => (None, None),
	};
	let answer = VersionCuration {
		version: cid,
		model: &model,
		yanked: version.yanked.as_deref(),
		curation: curation.as_ref(),
		dispute: dispute.as_ref(),
		block_number,
		era,
		params: &params,
		position: position.as_ref(),
		claimable,
	};
	ctx.print(&answer, || {
		let mut out = format!("curation of {cid} ({})\n", safe_line(&model));
		if let Some(reason) = &version.yanked {
			out.push_str(&format!("yanked    {}\n", safe_line(reason)));
		}
		match &curation {
			None => out.push_str("nobody has staked on it\n"),
			Some(f) => {
				out.push_str(&format!(
					"stake     {} active, {} pending, {} unbonding\n",
					zoo(f.active_stake),
					zoo(f.pending_stake),
					zoo(f.unbonding_stake)
				));
				out.push_str(&format!("curators  {}\n", f.curators));
				out.push_str(&format!(
					"fees      {} in all, {} average (decaying by era)\n",
					zoo(f.fees_lifetime),
					zoo(f.fees_ema)
				));
				if f.factor != zoo_client::chain::curation::FACTOR_ONE {
					out.push_str(&format!(
						"slashed   stake is worth {} of what was staked\n",
						zoo_client::amount::format_decimal(f.factor, 18)
					));
				}
				if let Some(streaming) = f.streaming.filter(|amount| *amount > 0) {
					out.push_str(&format!(
						"streaming {} of this era's fees, shared next era over the stake still active\n",
						zoo(streaming)
					));
				}
				if f.escrow > 0 {
					out.push_str(&format!("escrow    {} held by the open dispute\n", zoo(f.escrow)));
				}
			}
		}
		match &dispute {
			Some(dispute) => out.push_str(&dispute_line(dispute)),
			None => out.push_str("no open dispute\n"),
		}
		out.push_str(&format!(
			"era       {era} at block {block_number} (eras of {} blocks; unbonding takes {} blocks)\n",
			params.era_length, params.unbonding_period
		));
		if let Some(claimable) = &answer.claimable {
			match &position {
				None => out.push_str(&format!("{} has no stake on it\n", claimable.account)),
				Some(p) => {
					out.push_str(&format!("position of {}\n", claimable.account));
					let pending = if p.pending == 0 {
						String::new()
					} else if p.pending_era < era {
						format!(
							", {} earning since era {} (activated at its next touch)",
							zoo(p.pending),
							p.pending_era + 1
						)
					} else {
						format!(", {} pending until era {}", zoo(p.pending), p.pending_era + 1)
					};
					out.push_str(&format!("  bonded    {} active{pending}\n", zoo(p.active)));
					for chunk in &p.unbonding {
						out.push_str(&format!("  unbonding {} until block {}\n", zoo(chunk.amount), chunk.unlock_at));
					}
					let worth = p.bonded() + p.unbonding.iter().map(|chunk| chunk.amount).sum::<u128>();
					if p.held > worth {
						out.push_str(&format!(
							"  held      {} ({} of it to be slashed by the verdict at the position's next touch)\n",
							zoo(p.held),
							zoo(p.held - worth)
						));
					} else {
						out.push_str(&format!("  held      {}\n", zoo(p.held)));
					}
				}
			}
			out.push_str(&format!("claimable {}\n", zoo(claimable.amount)));
		}
		out
	});
	Ok(Outcome::Done)
}

async fn show_model(ctx: &Ctx, model: &ModelName) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	if !chain.model_exists(model).await? {
		return Err(anyhow!("model {model} does not exist"));
	}
	let figures = chain.model_curation(model).await?.unwrap_or(ModelCurationInfo {
		model: model.to_string(),
		stake: 0,
		curators: 0,
		fees_lifetime: 0,
	});
	ctx.print(&figures, || {
		format!(
			"curation of {model} (its versions together)\nstake     {} bonded\ncurators  {} positions\nfees      {} in all\n",
			zoo(figures.stake),
			figures.curators,
			zoo(figures.fees_lifetime)
		)
	});
	Ok(Outcome::Done)
}

/// `zoo search`.
pub(crate) async fn search(ctx: &Ctx, args: &SearchArgs) -> Result<Outcome> {
	use zoo_client::chain::curation::MAX_FILTER_CONDITIONS;
	if args.tags.len() > MAX_FILTER_CONDITIONS {
		return Err(anyhow!("at most {MAX_FILTER_CONDITIONS} --tag conditions"));
	}
	if args.metrics.len() > MAX_FILTER_CONDITIONS {
		return Err(anyhow!("at most {MAX_FILTER_CONDITIONS} --metric conditions"));
	}
	let filter = RankFilter {
		license: args.license,
		tags: args.tags.iter().map(|tag| (tag.key.clone(), tag.value.clone())).collect(),
		metrics: args.metrics.iter().map(|metric| (metric.name.clone(), metric.min)).collect(),
	};
	let chain = ctx.chain().await?;
	let versions = chain.rank(&filter, args.limit).await?;
	ctx.print(Search { versions: &versions }, || {
		if versions.is_empty() {
			return "no staked version matches (yanked and disputed versions are left out)\n".to_owned();
		}
		let rows: Vec<[String; 7]> = versions
			.iter()
			.map(|row| {
				[
					row.rank.to_string(),
					row.version.to_string(),
					safe_line(&row.model).into_owned(),
					row.score.to_string(),
					zoo(row.stake),
					row.curators.to_string(),
					zoo(row.fees_ema),
				]
			})
			.collect();
		let header = ["rank", "cid", "model", "score", "stake", "curators", "fees"];
		let widths: Vec<usize> = (0..header.len())
			.map(|column| {
				rows.iter().map(|row| row[column].chars().count()).chain([header[column].len()]).max().unwrap_or(0)
			})
			.collect();
		let line = |cells: &[&str]| -> String {
			let mut out = String::new();
			for (column, cell) in cells.iter().enumerate() {
				// Numbers right, text left.
				let right = matches!(column, 0 | 3 | 4 | 5 | 6);
				let padded = if right {
					format!("{cell:>w$}", w = widths[column])
				} else {
					format!("{cell:<w$}", w = widths[column])
				};
				out.push_str(&padded);
				out.push_str(if column + 1 < cells.len() { "  " } else { "\n" });
			}
			out
		};
		let mut out = line(&header);
		for row in &rows {
			out.push_str(&line(&row.iter().map(String::as_str).collect::<Vec<_>>()));
		}
		out
	});
	Ok(Outcome::Done)
}
