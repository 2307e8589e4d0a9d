//! `zoo yank`: mark a version as not to be used.

use crate::prelude::{Ctx, Outcome, fetch_version};
use anyhow::{Result, anyhow};
use serde::Serialize;
use zoo_client::{chain::Submitted, output::json};
use zoo_primitives::VersionId;

/// `zoo yank --json`: the yanked version, the reason, and where the transaction landed.
#[derive(Serialize)]
struct Yanked<'a> {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	/// Why it was yanked.
	reason: &'a str,
	/// Where the transaction landed.
	block: &'a Submitted,
}

pub(crate) async fn yank(ctx: &Ctx, id: VersionId, reason: &str) -> Result<Outcome> {
	if reason.trim().is_empty() || reason.len() > 256 {
		return Err(anyhow!("the yank reason must be 1 to 256 bytes"));
	}
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let record = fetch_version(&chain, id).await?;
	if let Some(why) = record.yanked {
		return Err(anyhow!("version {id} is already yanked: {why}"));
	}
	let submitted = chain.yank(&signer, id, reason).await?;
	ctx.print(Yanked { id, reason, block: &submitted }, || {
		format!("yanked {id} in block {}: {reason}", submitted.block_number)
	});
	Ok(Outcome::Done)
}
