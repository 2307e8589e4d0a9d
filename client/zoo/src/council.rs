//! `zoo council members|motions|propose verdict|vote|close`: the consortium council, whose
//! majority motions give the verdicts on curation disputes.

use crate::args::MotionArg;
use crate::{
	cli::VerdictArgs,
	prelude::{Ctx, Outcome, account_of, explain, refusal},
};
use anyhow::{Result, anyhow};
use serde::Serialize;
use subxt::utils::{AccountId32, H256};
use zoo_client::chain::{Chain, MotionCall, MotionInfo, Verdict};

/// `zoo council members --json`: the members and the ayes a majority motion needs.
#[derive(Serialize)]
struct Members {
	members: Vec<String>,
	majority: u32,
}

/// `zoo council motions --json`.
#[derive(Serialize)]
struct Motions<'a> {
	motions: &'a [MotionInfo],
}

fn motion_text(motion: &MotionInfo) -> String {
	let names = |accounts: &[String]| if accounts.is_empty() { "-".to_owned() } else { accounts.join(", ") };
	format!(
		"motion {}  {:?}\n  call      {}\n  ayes      {} of {} needed: {}\n  nays      {}: {}\n  ends      block {}\n",
		motion.index,
		motion.hash,
		motion.call,
		motion.ayes.len(),
		motion.threshold,
		names(&motion.ayes),
		motion.nays.len(),
		names(&motion.nays),
		motion.end
	)
}

/// `who` must be a member.
async fn member(chain: &Chain, who: &AccountId32) -> Result<u32> {
	let members = chain.council_members().await?;
	if !members.contains(who) {
		return Err(anyhow!(refusal::not_member(&who.to_string())));
	}
	Ok(members.len() as u32)
}

/// The open motion `motion` names.
async fn open_motion(chain: &Chain, motion: MotionArg) -> Result<MotionInfo> {
	let found = match motion {
		MotionArg::Index(index) => chain.motion(index).await?,
		MotionArg::Hash(hash) => chain.motion_by_hash(H256(hash)).await?,
	};
	found.ok_or_else(|| {
		anyhow!(refusal::motion_not_open(&match motion {
			MotionArg::Index(index) => index.to_string(),
			MotionArg::Hash(hash) => format!("0x{}", hex::encode(hash)),
		}))
	})
}

fn not_yet(motion: &MotionInfo) -> String {
	format!(
		"motion {} cannot be closed yet: it has {} of the {} ayes it needs and {} nays; voting ends at block {}",
		motion.index,
		motion.ayes.len(),
		motion.threshold,
		motion.nays.len(),
		motion.end
	)
}

/// `zoo council members`.
pub(crate) async fn members(ctx: &Ctx) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let members: Vec<String> = chain.council_members().await?.iter().map(ToString::to_string).collect();
	let majority = members.len() as u32 / 2 + 1;
	ctx.print(Members { members: members.clone(), majority }, || {
		let mut out = format!("{} council members (a verdict needs {majority} ayes)\n", members.len());
		for member in &members {
			out.push_str(&format!("  {member}\n"));
		}
		out
	});
	Ok(Outcome::Done)
}

/// `zoo council motions`.
pub(crate) async fn motions(ctx: &Ctx) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let motions = chain.motions().await?;
	ctx.print(Motions { motions: &motions }, || {
		if motions.is_empty() {
			return "no open motions\n".to_owned();
		}
		motions.iter().map(motion_text).collect()
	});
	Ok(Outcome::Done)
}

/// `zoo council propose verdict`.
pub(crate) async fn propose_verdict(ctx: &Ctx, args: &VerdictArgs) -> Result<Outcome> {
	let verdict = Verdict {
		dispute: args.dispute,
		upheld: args.uphold,
		slash_ppb: args.slash.map_or(0, |share| share.0),
		reporter_share_ppb: args.reporter_share.map_or(0, |share| share.0),
		redirect_to: args.redirect_to.as_deref().map(account_of).transpose()?,
	};
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let chain = ctx.chain().await?;
	if member(&chain, &who).await? < 2 {
		// A one-member council's motion runs at once with a single member's origin, which is
		// not the majority a verdict needs: the chain would refuse it after charging the fee.
		return Err(anyhow!(
			"a council of one member cannot give verdicts (a verdict needs a majority motion): add members first"
		));
	}
	let dispute = chain.dispute(args.dispute).await?.ok_or_else(|| anyhow!(refusal::dispute_not_open(args.dispute)))?;
	let call = MotionCall::Verdict(verdict.clone());
	if let Some(same) = chain.motions().await?.into_iter().find(|motion| motion.call == call) {
		return Err(anyhow!("the same verdict is already proposed as motion {}: vote on it", same.index));
	}
	let proposed = chain.propose_verdict(&signer, &verdict).await.map_err(|e| {
		explain(e, |name| match name {
			"Council::NotMember" => Some(refusal::not_member(&who.to_string())),
			"Council::DuplicateProposal" => Some("the same verdict is already proposed: vote on it".to_owned()),
			"Council::TooManyProposals" => Some("the council has too many open motions: close some first".to_owned()),
			_ => None,
		})
	})?;
	ctx.print(&proposed, || {
		format!(
			"proposed motion {} ({:?}) in block {} on {}: {}\nit passes with {} ayes: `zoo council vote {} aye`, then `zoo council close {}`",
			proposed.index,
			proposed.hash,
			proposed.block.block_number,
			dispute.version,
			proposed.call,
			proposed.threshold,
			proposed.index,
			proposed.index
		)
	});
	Ok(Outcome::Done)
}

/// `zoo council vote`.
pub(crate) async fn vote(ctx: &Ctx, motion: MotionArg, aye: bool) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let chain = ctx.chain().await?;
	member(&chain, &who).await?;
	let motion = open_motion(&chain, motion).await?;
	if motion.vote_of(&who) == Some(aye) {
		return Err(anyhow!(refusal::already_voted(&who.to_string(), aye, motion.index)));
	}
	let index = motion.index;
	let cast = chain.vote(&signer, motion.hash, index, aye).await.map_err(|e| {
		explain(e, |name| match name {
			"Council::NotMember" => Some(refusal::not_member(&who.to_string())),
			"Council::DuplicateVote" => Some(refusal::already_voted(&who.to_string(), aye, index)),
			"Council::ProposalMissing" | "Council::WrongIndex" => Some(refusal::motion_not_open(&index.to_string())),
			_ => None,
		})
	})?;
	ctx.print(&cast, || {
		format!(
			"voted {} on motion {} (block {}): ayes {} of {} needed, nays {}",
			if cast.aye { "aye" } else { "nay" },
			cast.index,
			cast.block.block_number,
			cast.ayes,
			motion.threshold,
			cast.nays
		)
	});
	Ok(Outcome::Done)
}

/// `zoo council close`.
pub(crate) async fn close(ctx: &Ctx, motion: MotionArg) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let motion = open_motion(&chain, motion).await?;
	let members = chain.council_members().await?.len() as u32;
	// The transaction lands in a later block than the one read.
	let next = chain.block_number().await?.saturating_add(1);
	if !motion.decided(members) && next < motion.end {
		return Err(anyhow!(not_yet(&motion)));
	}
	let closed = chain.close_motion(&signer, motion.hash, motion.index).await.map_err(|e| {
		explain(e, |name| match name {
			"Council::TooEarly" => Some(not_yet(&motion)),
			"Council::ProposalMissing" | "Council::WrongIndex" => {
				Some(refusal::motion_not_open(&motion.index.to_string()))
			}
			_ => None,
		})
	})?;
	if let Some(error) = &closed.call_error {
		return Err(anyhow!(
			"motion {} passed and was closed in block {}, but its call ({}) failed: {error}",
			closed.index,
			closed.block.block_number,
			motion.call
		));
	}
	ctx.print(&closed, || {
		let outcome = if closed.approved {
			format!("passed and ran: {}", motion.call)
		} else {
			format!("was rejected: {} did not run", motion.call)
		};
		format!(
			"closed motion {} (block {}) with {} ayes and {} nays: it {outcome}",
			closed.index, closed.block.block_number, closed.ayes, closed.nays
		)
	});
	Ok(Outcome::Done)
}
