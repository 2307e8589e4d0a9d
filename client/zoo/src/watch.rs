//! `zoo watch`: the finalized events of the Zoo pallets as JSON lines on stdout.

use crate::{
	cli::WatchArgs,
	prelude::{Ctx, Outcome},
};
use anyhow::{Result, anyhow};
use std::io::Write;
use zoo_client::chain::watch::{WatchOptions, watch as follow};

pub(crate) async fn watch(ctx: &Ctx, args: WatchArgs) -> Result<Outcome> {
	if let (Some(from), Some(until)) = (args.from_block, args.until_block)
		&& until < from
	{
		return Err(anyhow!("--until-block {until} is before --from-block {from}"));
	}
	let options = WatchOptions {
		from_block: args.from_block,
		until_block: args.until_block,
		models: args.models.iter().map(|m| m.to_string()).collect(),
		events: args.events,
	};
	let stdout = std::io::stdout();
	follow(&ctx.url, ctx.connect, &options, |event| {
		let line = serde_json::to_string(event).map_err(std::io::Error::other)?;
		let mut out = stdout.lock();
		writeln!(out, "{line}")?;
		out.flush()
	})
	.await?;
	Ok(Outcome::Done)
}
