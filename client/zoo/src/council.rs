//! `zoo council members|motions|propose verdict|add-validator|remove-validator|upgrade|vote|
//! close|apply-upgrade`: the consortium council, whose majority motions give the verdicts on
//! curation disputes and change the validator set, and whose two-thirds motions authorize
//! runtime upgrades.

use crate::args::MotionArg;
use crate::{
	cli::VerdictArgs,
	prelude::{Ctx, Outcome, account_of, explain, refusal},
};
use anyhow::{Context, Result, anyhow};
use serde::Serialize;
use std::path::Path;
use subxt::utils::{AccountId32, H256};
use zoo_client::chain::{
	Chain, MotionCall, MotionInfo, Proposed, RuntimeCode, Verdict,
	council::{majority, two_thirds},
};

/// The largest runtime file read: a runtime is a few MiB (compressed, under 1 MiB).
const MAX_RUNTIME_BYTES: u64 = 64 << 20;

/// `zoo council members --json`: the members and the ayes each kind of motion needs.
#[derive(Serialize)]
struct Members {
	members: Vec<String>,
	/// Ayes a majority motion needs (verdicts, validator changes).
	majority: u32,
	/// Ayes a two-thirds motion needs (what needs Root: runtime upgrades).
	two_thirds: u32,
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

/// `who` must be a member of a council that can pass `what`: a one-member council's motion runs
/// at once with a single member's origin, which no threshold the client proposes accepts (the
/// chain would refuse it after charging the fee).
async fn proposer(chain: &Chain, who: &AccountId32, what: &str) -> Result<u32> {
	chain.check_can_propose().await?;
	let members = member(chain, who).await?;
	if members < 2 {
		return Err(anyhow!(refusal::council_too_small(what)));
	}
	Ok(members)
}

/// An open motion with the same call must not be proposed again: the chain refuses a duplicate
/// (after charging the fee), and a vote on the open one is what is wanted.
async fn not_proposed(chain: &Chain, call: &MotionCall) -> Result<()> {
	match chain.motions().await?.into_iter().find(|motion| &motion.call == call) {
		Some(same) => Err(anyhow!(refusal::same_motion(same.index, &same.call.to_string()))),
		None => Ok(()),
	}
}

/// Propose `call` (checked already), putting the chain's refusals in words.
async fn propose(ctx: &Ctx, chain: &Chain, call: &MotionCall) -> Result<Proposed> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	chain.propose(&signer, call).await.map_err(|e| {
		explain(e, |name| match name {
			"Council::NotMember" => Some(refusal::not_member(&who.to_string())),
			"Council::DuplicateProposal" => Some(format!("the same motion is already open ({call}): vote on it")),
			"Council::TooManyProposals" => Some("the council has too many open motions: close some first".to_owned()),
			_ => None,
		})
	})
}

/// What a proposal's text says: the motion, its call and how it passes.
fn proposed_text(proposed: &Proposed, kind: &str) -> String {
	format!(
		"proposed motion {} ({:?}) in block {}: {}\nit passes with {} ayes ({kind}): `zoo council vote {} aye`, then `zoo council close {}`",
		proposed.index,
		proposed.hash,
		proposed.block.block_number,
		proposed.call,
		proposed.threshold,
		proposed.index,
		proposed.index
	)
}

/// The runtime in `path`: read (bounded) and checked to be a runtime.
fn read_runtime(path: &Path) -> Result<RuntimeCode> {
	use std::io::Read;
	let file = std::fs::File::open(path).with_context(|| format!("cannot read the runtime {}", path.display()))?;
	let mut bytes = Vec::new();
	file.take(MAX_RUNTIME_BYTES + 1)
		.read_to_end(&mut bytes)
		.with_context(|| format!("cannot read the runtime {}", path.display()))?;
	if bytes.len() as u64 > MAX_RUNTIME_BYTES {
		return Err(anyhow!("{} is larger than any runtime ({} MiB at most)", path.display(), MAX_RUNTIME_BYTES >> 20));
	}
	RuntimeCode::new(bytes).map_err(|why| anyhow!("{} is not a runtime: {why}", path.display()))
}

/// `code` must fit in a block (as an operational transaction, the class of
/// `apply_authorized_upgrade`), or it could never be applied.
async fn fits_in_a_block(chain: &Chain, path: &Path, code: &RuntimeCode) -> Result<()> {
	let max = chain.max_operational_length().await?;
	// The transaction's own bytes around the code: signature, extensions, call and length.
	const OVERHEAD: usize = 256;
	if code.len() + OVERHEAD > max as usize {
		return Err(anyhow!(
			"{} is {} bytes, more than a block holds ({max} bytes): it could never be applied{}",
			path.display(),
			code.len(),
			if code.compressed() { "" } else { "; use the compressed runtime (.compact.compressed.wasm)" }
		));
	}
	Ok(())
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
	let seats = members.len() as u32;
	let (majority, two_thirds) = (majority(seats), two_thirds(seats));
	ctx.print(Members { members: members.clone(), majority, two_thirds }, || {
		let mut out = format!(
			"{seats} council members: a majority motion needs {majority} ayes (verdicts, validator changes), a \
			 two-thirds motion needs {two_thirds} (runtime upgrades)\n"
		);
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
	let who = ctx.signer()?.public_key().to_account_id();
	let chain = ctx.chain().await?;
	proposer(&chain, &who, "a verdict").await?;
	let dispute = chain.dispute(args.dispute).await?.ok_or_else(|| anyhow!(refusal::dispute_not_open(args.dispute)))?;
	let call = MotionCall::Verdict(verdict);
	not_proposed(&chain, &call).await?;
	let proposed = propose(ctx, &chain, &call).await?;
	ctx.print(&proposed, || format!("{} (on {})", proposed_text(&proposed, "a majority"), dispute.version));
	Ok(Outcome::Done)
}

/// `zoo council propose add-validator|remove-validator`.
pub(crate) async fn propose_validator(ctx: &Ctx, account: &str, add: bool) -> Result<Outcome> {
	let account = account_of(account)?;
	let shown = account.to_string();
	let who = ctx.signer()?.public_key().to_account_id();
	let chain = ctx.chain().await?;
	proposer(&chain, &who, "a validator change").await?;
	let set = chain.validator_set().await?;
	let planned = set.planned.len() as u32;
	let call = if add {
		if set.planned.contains(&account) {
			return Err(anyhow!(refusal::already_validator(&shown)));
		}
		if !chain.has_session_keys(&account).await? {
			return Err(anyhow!(refusal::no_session_keys(&shown)));
		}
		if planned >= set.max_validators {
			return Err(anyhow!(refusal::validator_set_full(set.max_validators)));
		}
		MotionCall::AddValidator { account }
	} else {
		if !set.planned.contains(&account) {
			return Err(anyhow!(refusal::not_validator(&shown)));
		}
		if planned <= set.min_validators {
			return Err(anyhow!(refusal::validator_minimum(set.min_validators)));
		}
		MotionCall::RemoveValidator { account }
	};
	not_proposed(&chain, &call).await?;
	let proposed = propose(ctx, &chain, &call).await?;
	ctx.print(&proposed, || {
		format!(
			"{}\nthe planned set changes when it passes; the active set follows one to two sessions later",
			proposed_text(&proposed, "a majority")
		)
	});
	Ok(Outcome::Done)
}

/// `zoo council propose upgrade`.
pub(crate) async fn propose_upgrade(ctx: &Ctx, wasm: &Path) -> Result<Outcome> {
	let code = read_runtime(wasm)?;
	let code_hash = code.hash();
	let who = ctx.signer()?.public_key().to_account_id();
	let chain = ctx.chain().await?;
	proposer(&chain, &who, "a runtime upgrade").await?;
	fits_in_a_block(&chain, wasm, &code).await?;
	if chain.authorized_upgrade().await?.is_some_and(|authorized| authorized.code_hash == code_hash) {
		return Err(anyhow!(
			"the upgrade to {code_hash} is authorized already: apply it with `zoo council apply-upgrade {}`",
			wasm.display()
		));
	}
	let call = MotionCall::AuthorizeUpgrade { code_hash };
	not_proposed(&chain, &call).await?;
	let proposed = propose(ctx, &chain, &call).await?;
	ctx.print(&proposed, || {
		format!(
			"code hash {code_hash} ({} bytes{})\n{}\nonce it has passed, anyone applies it: `zoo council apply-upgrade {}`",
			code.len(),
			if code.compressed() { ", compressed" } else { "" },
			proposed_text(&proposed, "two thirds"),
			wasm.display()
		)
	});
	Ok(Outcome::Done)
}

/// `zoo council apply-upgrade`.
pub(crate) async fn apply_upgrade(ctx: &Ctx, wasm: &Path) -> Result<Outcome> {
	let code = read_runtime(wasm)?;
	let code_hash = code.hash();
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let shown = wasm.display().to_string();
	let authorized = chain.authorized_upgrade().await?.ok_or_else(|| anyhow!(refusal::no_upgrade_authorized()))?;
	if authorized.code_hash != code_hash {
		return Err(anyhow!(refusal::upgrade_differs(
			&shown,
			&code_hash.to_string(),
			&authorized.code_hash.to_string()
		)));
	}
	fits_in_a_block(&chain, wasm, &code).await?;
	let running = chain.runtime_version().await?;
	let applied = chain.apply_authorized_upgrade(&signer, &code).await.map_err(|e| {
		let spent = "the authorization is spent: a new motion must authorize a runtime that can be applied";
		explain(e, |name| match name {
			"System::SpecVersionNeedsToIncrease" => Some(format!(
				"the chain refused the upgrade: the runtime in {shown} does not raise the spec version above the \
				 running {} {} (an upgrade must); {spent}",
				running.spec_name, running.spec_version
			)),
			"System::InvalidSpecName" => Some(format!(
				"the chain refused the upgrade: the runtime in {shown} is not a {} runtime; {spent}",
				running.spec_name
			)),
			"System::FailedToExtractRuntimeVersion" => Some(format!(
				"the chain refused the upgrade: {shown} has no runtime version the chain can read; {spent}"
			)),
			"System::NothingAuthorized" => Some(refusal::no_upgrade_authorized()),
			"System::Unauthorized" => Some(format!("{shown} is not the runtime authorized (its hash is {code_hash})")),
			_ => None,
		})
	})?;
	ctx.print(&applied, || {
		format!(
			"applied the runtime upgrade {} in block {}: the chain runs it from the next block (it ran {running})",
			applied.code_hash, applied.block.block_number
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
			let next = match &motion.call {
				MotionCall::AddValidator { .. } | MotionCall::RemoveValidator { .. } => {
					"; the active set follows one to two sessions later (see `zoo validators`)".to_owned()
				}
				MotionCall::AuthorizeUpgrade { .. } => {
					"; anyone may now apply it: `zoo council apply-upgrade <WASM_FILE>`".to_owned()
				}
				_ => String::new(),
			};
			format!("passed and ran: {}{next}", motion.call)
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
