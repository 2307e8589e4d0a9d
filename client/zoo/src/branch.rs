//! `zoo branch`: a model's refs (list, create, move, history, protect).

use crate::args::{ModelName, RefName};
use crate::{
	cli::{BranchArgs, BranchCommand},
	prelude::{Ctx, Outcome},
};
use anyhow::{Result, anyhow};
use serde::Serialize;
use zoo_client::{
	chain::{Chain, RefInfo, RefMoveInfo, Submitted},
	output::{json, safe_line},
	workspace::Workspace,
};
use zoo_primitives::VersionId;

/// `zoo branch list --json`: a model's refs (the same records as `zoo model show`'s `refs`).
#[derive(Serialize)]
struct RefList<'a> {
	/// The model.
	model: &'a str,
	/// Its refs, by name.
	refs: &'a [RefInfo],
}

/// `zoo branch create --json`: the new ref and where its transaction landed.
#[derive(Serialize)]
struct RefCreated<'a> {
	/// The ref's model.
	model: &'a str,
	/// The ref's name.
	name: &'a RefName,
	/// The version it points at.
	#[serde(serialize_with = "json::cid")]
	target: VersionId,
	/// Whether it only moves forward.
	protected: bool,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// `zoo branch move --json`: where the ref pointed before and after, and where the
/// transaction landed.
#[derive(Serialize)]
struct RefMoved<'a> {
	/// The ref's model.
	model: &'a str,
	/// The ref's name.
	name: &'a RefName,
	/// Where it pointed before.
	#[serde(serialize_with = "json::cid")]
	from: VersionId,
	/// Where it points now.
	#[serde(serialize_with = "json::cid")]
	to: VersionId,
	/// Whether the move was forced (`--force`).
	forced: bool,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// `zoo branch history --at BLOCK --json`: where a ref pointed after block `at`.
#[derive(Serialize)]
struct RefAt<'a> {
	/// The ref's model.
	model: &'a str,
	/// The ref's name.
	name: &'a RefName,
	/// The block asked about.
	at: u32,
	/// The version it pointed at (`null`: the ref did not exist yet).
	#[serde(serialize_with = "json::cid_option")]
	target: Option<VersionId>,
}

/// `zoo branch history --json`: a ref's moves, newest first.
#[derive(Serialize)]
struct RefHistory<'a> {
	/// The ref's model.
	model: &'a str,
	/// The ref's name.
	name: &'a RefName,
	/// Its moves.
	history: Vec<HistoryEntry<'a>>,
}

/// One move in `zoo branch history --json`: the move, and for a move its ref's promotion
/// policy let through, `evidence` (the indices of the new target's attestations it rested
/// on; absent for other moves).
#[derive(Serialize)]
struct HistoryEntry<'a> {
	#[serde(flatten)]
	entry: &'a RefMoveInfo,
	#[serde(skip_serializing_if = "Option::is_none")]
	evidence: Option<Vec<u32>>,
}

/// `zoo branch protect|unprotect --json`: the ref's protection now, and where the transaction
/// landed.
#[derive(Serialize)]
struct RefProtection<'a> {
	/// The ref's model.
	model: &'a str,
	/// The ref's name.
	name: &'a RefName,
	/// Whether it is protected now.
	protected: bool,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// The model a ref command is about: `--model`, else the current directory's.
fn model_of(explicit: Option<ModelName>) -> Result<ModelName> {
	match explicit {
		Some(model) => Ok(model),
		None => Ok(Workspace::open_optional(std::path::Path::new("."))?
			.ok_or_else(|| {
				anyhow!("which model? pass --model <org/name> or run this in a directory `zoo init` set up")
			})?
			.model()
			.parse()?),
	}
}

/// The model of version `id`, read from the chain.
async fn model_of_version(chain: &Chain, id: VersionId) -> Result<String> {
	let node = chain.node(id).await?.ok_or_else(|| anyhow!("version {id} does not exist"))?;
	Ok(node.model)
}

pub(crate) async fn branch(ctx: &Ctx, args: BranchArgs) -> Result<Outcome> {
	match args.command.unwrap_or(BranchCommand::List) {
		BranchCommand::List => list(ctx, &model_of(args.model)?).await,
		BranchCommand::Create { name, cid, protected } => {
			let id = cid;
			let signer = ctx.signer()?;
			let chain = ctx.chain().await?;
			let model = model_of_version(&chain, id).await?;
			check_model(args.model.as_deref(), &model)?;
			if chain.ref_target(&model, &name).await?.is_some() {
				return Err(anyhow!("{model} already has a ref {name}; move it with `zoo branch move {name} <cid>`"));
			}
			let submitted = chain.create_ref(&signer, &model, &name, id, protected).await?;
			let kind = if protected { "protected ref" } else { "ref" };
			ctx.print(RefCreated { model: &model, name: &name, target: id, protected, block: &submitted }, || {
				format!("created {kind} {name} of {model} at {id} (block {})", submitted.block_number)
			});
			Ok(Outcome::Done)
		}
		BranchCommand::Move { name, cid, force, walk_limit } => {
			let id = cid;
			let signer = ctx.signer()?;
			let chain = ctx.chain().await?;
			let model = model_of_version(&chain, id).await?;
			check_model(args.model.as_deref(), &model)?;
			let current = chain
				.ref_target(&model, &name)
				.await?
				.ok_or_else(|| anyhow!("{model} has no ref {name}; create it with `zoo branch create {name} {id}`"))?;
			let submitted = chain.move_ref(&signer, &model, &name, id, force, walk_limit).await?;
			ctx.print(
				RefMoved { model: &model, name: &name, from: current.target, to: id, forced: force, block: &submitted },
				|| {
					let forced = if force { " (forced)" } else { "" };
					format!(
						"moved {name} of {model}: {} -> {id}{forced} (block {})",
						current.target, submitted.block_number
					)
				},
			);
			Ok(Outcome::Done)
		}
		BranchCommand::History { name, at, start, limit } => {
			let model = model_of(args.model)?;
			let chain = ctx.chain().await?;
			let Some(info) = chain.ref_target(&model, &name).await? else {
				return Err(anyhow!("{model} has no ref {name}"));
			};
			if let Some(block) = at {
				let target = chain.ref_at(&model, &name, block).await?;
				ctx.print(RefAt { model: &model, name: &name, at: block, target }, || match target {
					Some(id) => format!("{name} of {model} pointed at {id} after block {block}"),
					None => format!("{name} of {model} did not exist yet at block {block}"),
				});
				return Ok(Outcome::Done);
			}
			let history = chain.ref_history(&model, &name, start, limit).await?;
			// Entries come newest first: the first is move `moves - 1 - start`. Only unforced
			// moves can have evidence (kept by the attestations pallet under the move's index).
			let mut entries = Vec::with_capacity(history.len());
			for (offset, entry) in history.iter().enumerate() {
				let index = info.moves.checked_sub(1 + start + offset as u32);
				let evidence = match index {
					Some(index) if entry.from.is_some() && !entry.forced => {
						chain.evidence(&model, &name, index).await?.map(|evidence| evidence.attestations)
					}
					_ => None,
				};
				entries.push(HistoryEntry { entry, evidence });
			}
			let text: String = entries
				.iter()
				.map(|HistoryEntry { entry, evidence }| {
					let what = match entry.from {
						None => format!("created at {}", entry.to),
						Some(from) => format!("{from} -> {}", entry.to),
					};
					let forced = if entry.forced { "  FORCED" } else { "" };
					let evidence = match evidence {
						Some(indices) => format!(
							"\n               evidence: attestations {} of {}",
							indices.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", "),
							entry.to
						),
						None => String::new(),
					};
					format!("block {:<8} {what}  by {}{forced}{evidence}\n", entry.block, entry.by)
				})
				.collect();
			ctx.print(RefHistory { model: &model, name: &name, history: entries }, || text);
			Ok(Outcome::Done)
		}
		BranchCommand::Protect { name } => protect(ctx, args.model, &name, true).await,
		BranchCommand::Unprotect { name } => protect(ctx, args.model, &name, false).await,
	}
}

/// A `--model` given with a CID must be the version's model.
fn check_model(explicit: Option<&str>, model: &str) -> Result<()> {
	match explicit {
		Some(explicit) if explicit != model => {
			Err(anyhow!("the version belongs to {model}, not {explicit}: refs point at versions of their own model"))
		}
		_ => Ok(()),
	}
}

async fn list(ctx: &Ctx, model: &str) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	chain.model(model).await?.ok_or_else(|| anyhow!("model {model} does not exist"))?;
	let refs = chain.refs(model).await?;
	ctx.print(RefList { model, refs: &refs }, || {
		if refs.is_empty() {
			return format!("{model} has no refs; create one with `zoo branch create <name> <cid>`");
		}
		refs.iter()
			.map(|info| {
				let protected = if info.protected { "  protected" } else { "" };
				format!("{:<20} {}  ({} in history){protected}\n", safe_line(&info.name), info.target, info.moves)
			})
			.collect()
	});
	Ok(Outcome::Done)
}

async fn protect(ctx: &Ctx, model: Option<ModelName>, name: &RefName, protected: bool) -> Result<Outcome> {
	let model = model_of(model)?;
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let current = chain.ref_target(&model, name).await?.ok_or_else(|| anyhow!("{model} has no ref {name}"))?;
	if current.protected == protected {
		let state = if protected { "already protected" } else { "not protected" };
		return Err(anyhow!("ref {name} of {model} is {state}"));
	}
	let submitted = chain.set_ref_protection(&signer, &model, name, protected).await?;
	ctx.print(RefProtection { model: &model, name, protected, block: &submitted }, || {
		let state = if protected { "protected" } else { "unprotected" };
		format!("{state} ref {name} of {model} (block {})", submitted.block_number)
	});
	Ok(Outcome::Done)
}
