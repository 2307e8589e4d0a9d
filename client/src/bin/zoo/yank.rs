//! `zoo yank`: mark a version as not to be used.

use crate::prelude::{Ctx, Outcome, fetch_version};
use anyhow::{Result, anyhow};
use serde_json::json;
use zoo_client::manifest_build::parse_cid;

pub(crate) async fn yank(ctx: &Ctx, cid: &str, reason: &str) -> Result<Outcome> {
	let id = parse_cid(cid)?;
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
	ctx.print(json!({"id": id.to_cid_string(), "reason": reason, "block": submitted}), || {
		format!("yanked {id} in block {}: {reason}", submitted.block_number)
	});
	Ok(Outcome::Done)
}
