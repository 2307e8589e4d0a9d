//! `zoo dispute open|show|close`: disputes against versions, which the consortium council judges
//! (`zoo council propose verdict`) before they lapse.

use crate::args::{DisputeEvidence, DisputeSubject};
use crate::prelude::{Ctx, Outcome, explain, fetch_version, refusal};
use anyhow::{Result, anyhow};
use serde::Serialize;
use zoo_client::{
	amount::zoo,
	chain::{DisputeInfo, DisputeReason},
	output::{json, safe_line},
};
use zoo_primitives::VersionId;

/// `zoo dispute show --json`: the version asked about (`null` when asked by number) and its
/// open dispute (`null`: none).
#[derive(Serialize)]
struct DisputeShown<'a> {
	#[serde(serialize_with = "json::cid_option")]
	version: Option<VersionId>,
	dispute: Option<&'a DisputeInfo>,
}

/// `zoo dispute open`.
pub(crate) async fn open(
	ctx: &Ctx,
	cid: VersionId,
	reason: DisputeReason,
	evidence: &DisputeEvidence,
) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let chain = ctx.chain().await?;
	let params = chain.curation_params().await?;
	let version = fetch_version(&chain, cid).await?;
	let figures = chain.curation(cid).await?;
	// A yanked version stays disputable while stake is held on it, so a yank cannot dodge a
	// verdict (audit A3-02); with nothing held there is nothing to judge.
	let holds_stake = figures.as_ref().is_some_and(|f| f.active_stake + f.pending_stake + f.unbonding_stake > 0);
	if version.yanked.is_some() && !holds_stake {
		return Err(anyhow!(refusal::yanked_without_stake(cid)));
	}
	if let Some(open) = figures.and_then(|figures| figures.dispute) {
		return Err(anyhow!(refusal::already_disputed(cid, Some(open))));
	}
	if chain.balance(&who).await?.free < params.dispute_bond {
		return Err(anyhow!(refusal::cannot_pay(&who.to_string(), "the dispute bond", params.dispute_bond)));
	}
	let opened = chain.open_dispute(&signer, cid, reason, evidence.as_str()).await.map_err(|e| {
		explain(e, |name| match name {
			"Curation::UnknownVersion" => Some(format!("version {cid} does not exist")),
			"Curation::VersionYanked" => Some(refusal::yanked_without_stake(cid)),
			"Curation::DisputeOpen" => Some(refusal::already_disputed(cid, None)),
			"Curation::InsufficientBalance" => {
				Some(refusal::cannot_pay(&who.to_string(), "the dispute bond", params.dispute_bond))
			}
			_ => None,
		})
	})?;
	ctx.print(&opened, || {
		format!(
			"opened dispute {} on {cid} ({}), holding a bond of {} (block {}): the version's stake is frozen and its \
			 curation fees escrowed until the council's verdict (`zoo council propose verdict {}`){}",
			opened.id,
			opened.reason,
			zoo(opened.bond),
			opened.block.block_number,
			opened.id,
			match params.dispute_timeout {
				Some(timeout) => format!(
					"; with none by block {} the dispute lapses and its bond is burned",
					opened.block.block_number.saturating_add(timeout)
				),
				None => String::new(),
			}
		)
	});
	Ok(Outcome::Done)
}

/// `zoo dispute show`.
pub(crate) async fn show(ctx: &Ctx, subject: DisputeSubject) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let (version, dispute) = match subject {
		DisputeSubject::Id(id) => {
			let dispute = chain.dispute(id).await?.ok_or_else(|| anyhow!(refusal::dispute_not_open(id)))?;
			(None, Some(dispute))
		}
		DisputeSubject::Version(cid) => {
			fetch_version(&chain, cid).await?;
			let dispute = match chain.curation(cid).await?.and_then(|figures| figures.dispute) {
				Some(id) => chain.dispute(id).await?,
				None => None,
			};
			(Some(cid), dispute)
		}
	};
	ctx.print(DisputeShown { version, dispute: dispute.as_ref() }, || match (&dispute, version) {
		(Some(d), _) => format!(
			"dispute {} on {}\nreason    {}\nreporter  {}\nevidence  {}\nbond      {}\nopened    block {}\nlapses    \
			 block {} (with no verdict by then anyone may close it: `zoo dispute close {}`)\n",
			d.id,
			d.version,
			d.reason,
			d.reporter,
			safe_line(&d.evidence),
			zoo(d.bond),
			d.opened_at,
			d.expires_at,
			d.id
		),
		(None, Some(cid)) => format!("no dispute is open on {cid}"),
		(None, None) => String::new(),
	});
	Ok(Outcome::Done)
}

/// `zoo dispute close`.
pub(crate) async fn close(ctx: &Ctx, id: u64) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	chain.check_can_close_disputes().await?;
	let dispute = chain.dispute(id).await?.ok_or_else(|| anyhow!(refusal::dispute_not_open(id)))?;
	let next = chain.block_number().await?.saturating_add(1);
	if next < dispute.expires_at {
		return Err(anyhow!(refusal::not_lapsed(id, dispute.expires_at, next)));
	}
	let closed = chain.close_lapsed_dispute(&signer, id).await.map_err(|e| {
		explain(e, |name| match name {
			"Curation::UnknownDispute" => Some(refusal::dispute_not_open(id)),
			"Curation::DisputeNotLapsed" => Some(refusal::not_lapsed(id, dispute.expires_at, next)),
			_ => None,
		})
	})?;
	ctx.print(&closed, || {
		format!(
			"closed dispute {id} on {} as lapsed (block {}): the reporter's bond of {} was burned and {} of escrowed \
			 fees released to the version's curators",
			closed.version,
			closed.block.block_number,
			zoo(closed.bond_burned),
			zoo(closed.escrow)
		)
	});
	Ok(Outcome::Done)
}
