//! `zoo org`: organisations, the owned namespaces of models.

use crate::args::{ModelName, OrgName};
use crate::prelude::{Ctx, Outcome, account_of};
use anyhow::{Result, anyhow};
use serde::Serialize;
use zoo_client::{
	chain::{Member, NameUnavailable, Submitted},
	output::safe_line,
};
use zoo_primitives::OrgRole;

/// `zoo org create --json`: the new organisation and where its transaction landed.
#[derive(Serialize)]
struct OrgCreated<'a> {
	/// The organisation's name.
	org: &'a OrgName,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// `zoo org member --json`: the role an account now holds in an organisation (`none`: removed).
#[derive(Serialize)]
struct OrgRoleSet<'a> {
	/// The organisation.
	org: &'a OrgName,
	/// The account (SS58).
	account: String,
	/// The role's name (`admin`, `member`), or `none`.
	role: &'static str,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// `zoo org check --json`: whether a name could be created now, and if not, why.
#[derive(Serialize)]
struct NameCheck<'a> {
	/// The name asked about (an organisation's, or a model's `org/name`).
	name: &'a str,
	/// Whether it is free.
	available: bool,
	/// Why not (`null` when it is free).
	reason: Option<&'a NameUnavailable>,
}

/// `zoo org create`.
pub(crate) async fn create(ctx: &Ctx, name: &OrgName) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let submitted = chain.create_org(&signer, name).await?;
	ctx.print(OrgCreated { org: name, block: &submitted }, || {
		format!("created organisation {name} in block {} ({})", submitted.block_number, submitted.block_hash)
	});
	Ok(Outcome::Done)
}

/// `zoo org show`.
pub(crate) async fn show(ctx: &Ctx, name: &OrgName) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let org = chain.org(name).await?.ok_or_else(|| anyhow!("organisation {name} does not exist"))?;
	ctx.print(&org, || {
		let mut out = format!(
			"org       {}\nowner     {}\ndeposit   {}\ncreated   block {}\nmodels    {}\n",
			safe_line(&org.name),
			org.owner,
			org.deposit,
			org.created,
			org.model_count
		);
		for Member { account, role } in &org.members {
			out.push_str(&format!("{role:<9} {account}\n"));
		}
		out
	});
	Ok(Outcome::Done)
}

/// `zoo org member`.
pub(crate) async fn member(ctx: &Ctx, org: &OrgName, account: &str, role: &str) -> Result<Outcome> {
	let role = match role {
		"none" => None,
		name => Some(OrgRole::from_name(name).ok_or_else(|| anyhow!("unknown role {name:?}: admin, member, or none"))?),
	};
	let who = account_of(account)?;
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	chain.org(org).await?.ok_or_else(|| anyhow!("organisation {org} does not exist"))?;
	let submitted = chain.set_org_role(&signer, org, who, role).await?;
	let role_name = role.map_or("none", |role| role.as_str());
	let answer = OrgRoleSet { org, account: who.to_string(), role: role_name, block: &submitted };
	ctx.print(answer, || match role {
		Some(role) => format!("{who} is now {} of {org} (block {})", role.as_str(), submitted.block_number),
		None => format!("{who} is no longer a member of {org} (block {})", submitted.block_number),
	});
	Ok(Outcome::Done)
}

/// `zoo org check`: exit code 1 when the name is not free.
pub(crate) async fn check(ctx: &Ctx, name: &str) -> Result<Outcome> {
	// Either kind of name, checked as what it looks like.
	if name.contains('/') {
		name.parse::<ModelName>()?;
	} else {
		name.parse::<OrgName>()?;
	}
	let chain = ctx.chain().await?;
	let answer = chain.name_available(name).await?;
	ctx.print(NameCheck { name, available: answer.is_ok(), reason: answer.as_ref().err() }, || match &answer {
		Ok(()) => format!("{name} is free"),
		Err(why) => format!("{name} is not free: {}: {}", why.error, why.docs),
	});
	Ok(if answer.is_ok() { Outcome::Done } else { Outcome::NameTaken })
}
