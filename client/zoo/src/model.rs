//! `zoo model`: create, show, and grant roles on a model.

use crate::args::ModelName;
use crate::prelude::{Ctx, Outcome, account_of};
use anyhow::{Result, anyhow};
use serde::Serialize;
use zoo_client::{
	chain::{Derivation, Member, ModelInfo, RefInfo, Submitted},
	output::safe_line,
};
use zoo_primitives::{Role, VersionId};

/// `zoo model create --json`: the new model and where its transaction landed.
#[derive(Serialize)]
struct ModelCreated<'a> {
	/// The model, `org/name`.
	model: &'a ModelName,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// `zoo model show --json`: the model's record, with its heads, refs and derivations.
#[derive(Serialize)]
struct ModelShow<'a> {
	/// The record: name, owner, deposit, version count, maintainers.
	#[serde(flatten)]
	model: &'a ModelInfo,
	/// Versions without children, as CIDs.
	heads: Vec<String>,
	/// The model's refs (the same records as `zoo branch list`).
	refs: &'a [RefInfo],
	/// Models this one derives from.
	derived_from: &'a [String],
	/// Models deriving from this one, nearest first.
	derivations: &'a [Derivation],
}

/// `zoo model role --json`: the role an account now holds on a model (`none`: revoked).
#[derive(Serialize)]
struct ModelRoleSet<'a> {
	/// The model.
	model: &'a ModelName,
	/// The account (SS58).
	account: String,
	/// The role's name, or `none`.
	role: &'static str,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// Deepest indentation `zoo model show` draws for a derivation.
const MAX_INDENT: usize = 32;

pub(crate) async fn create(ctx: &Ctx, name: &ModelName) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	if chain.model(name).await?.is_some() {
		return Err(anyhow!("model {name} already exists"));
	}
	let submitted = chain.create_model(&signer, name).await?;
	ctx.print(ModelCreated { model: name, block: &submitted }, || {
		format!("created model {name} in block {} ({})", submitted.block_number, submitted.block_hash)
	});
	Ok(Outcome::Done)
}

pub(crate) async fn show(ctx: &Ctx, name: &ModelName) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let model = chain.model(name).await?.ok_or_else(|| anyhow!("model {name} does not exist"))?;
	let heads = chain.heads(name).await?;
	let refs = chain.refs(name).await?;
	let derived_from = chain.derived_from(name).await?;
	let derivations = chain.derivations(name, 1024).await?;
	let answer = ModelShow {
		model: &model,
		heads: heads.iter().map(VersionId::to_cid_string).collect(),
		refs: &refs,
		derived_from: &derived_from,
		derivations: &derivations,
	};
	ctx.print(answer, || {
		let mut out = format!(
			"model     {}\nowner     {}\ndeposit   {}\nversions  {}\n",
			model.name, model.owner, model.deposit, model.version_count
		);
		for Member { account, role } in &model.maintainers {
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

/// `zoo model role`.
pub(crate) async fn role(ctx: &Ctx, model: &ModelName, account: &str, role: &str) -> Result<Outcome> {
	let role = match role {
		"none" => None,
		name => Some(Role::from_name(name).ok_or_else(|| {
			let names: Vec<&str> = Role::ALL.iter().map(Role::as_str).collect();
			anyhow!("unknown role {name:?}: one of {}, or none", names.join(", "))
		})?),
	};
	let who = account_of(account)?;
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	chain.model(model).await?.ok_or_else(|| anyhow!("model {model} does not exist"))?;
	let submitted = chain.set_role(&signer, model, who, role).await?;
	let role_name = role.map_or("none", |role| role.as_str());
	ctx.print(ModelRoleSet { model, account: who.to_string(), role: role_name, block: &submitted }, || match role {
		Some(role) => format!("{who} is now {} of {model} (block {})", role.as_str(), submitted.block_number),
		None => format!("{who} no longer has a role on {model} (block {})", submitted.block_number),
	});
	Ok(Outcome::Done)
}
