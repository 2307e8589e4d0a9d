//! `zoo watch`: the finalized events of the Zoo pallets as JSON lines on stdout, from the --url
//! node or, with --light, from the embedded light client.

use crate::{
	cli::WatchArgs,
	prelude::{Ctx, Outcome},
};
use anyhow::{Result, anyhow};
use std::io::Write;
use zoo_client::chain::{
	Chain, ChainError, ConnectOptions, LightOptions,
	watch::{WatchOptions, WatchedEvent, watch as watch_node, watch_through},
};

/// Where finalized events are followed from: the --url node, or (with --light) the embedded
/// light client, whose blocks and events are proven.
pub(crate) enum Source {
	Node { url: String, connect: ConnectOptions },
	Light(LightOptions),
}

impl Source {
	pub(crate) fn of(ctx: &Ctx) -> Result<Source> {
		Ok(match ctx.light_options()? {
			Some(options) => Source::Light(options),
			None => Source::Node { url: ctx.url.clone(), connect: ctx.connect },
		})
	}

	/// Hand every finalized event `options` selects to `emit`, in order, reconnecting when
	/// the source is lost.
	pub(crate) async fn follow(
		&self,
		options: &WatchOptions,
		emit: impl FnMut(&WatchedEvent) -> std::io::Result<()>,
	) -> Result<(), ChainError> {
		match self {
			Source::Node { url, connect } => watch_node(url, *connect, options, emit).await,
			Source::Light(light) => {
				watch_through("the light client", || Chain::connect_light(light.clone()), options, emit).await
			}
		}
	}
}

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
	let source = Source::of(ctx)?;
	let followed = source
		.follow(&options, |event| {
			let line = serde_json::to_string(event).map_err(std::io::Error::other)?;
			let mut out = stdout.lock();
			writeln!(out, "{line}")?;
			out.flush()
		})
		.await;
	match followed {
		Err(error @ ChainError::ChainSpec(_)) => Err(ctx.chain_spec_error(error)),
		followed => Ok(followed.map(|()| Outcome::Done)?),
	}
}
