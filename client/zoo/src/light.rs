//! The light client: which one a command uses (`--light`, `--chain-spec`, `--bootnode`, or the
//! workspace's), and `zoo light enable|disable|status`.

use crate::prelude::{Ctx, LightSetup, Outcome};
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use zoo_client::{
	chain::{inspect_chain_spec, resident_memory_mib},
	output::safe_line,
	workspace::Workspace,
};

/// How this command reaches the chain: the command line's light client if it asks for one
/// (`--light` or `--chain-spec`), else the current directory's workspace's (`zoo light
/// enable`), else none (the `--url` node).
pub(crate) fn setup(
	light: bool,
	chain_spec: Option<PathBuf>,
	bootnodes: Vec<String>,
	max_finality_lag: Duration,
) -> Result<Option<LightSetup>> {
	// A workspace that cannot be read is the verb's to report, if it uses one.
	let workspace = Workspace::open_optional(Path::new(".")).ok().flatten();
	let kept = workspace.as_ref().and_then(|workspace| workspace.light());
	let chain_spec = match (chain_spec, light, &kept) {
		(Some(path), _, _) => path,
		(None, _, Some((_, path))) => path.clone(),
		(None, true, None) => {
			return Err(anyhow!(
				"--light needs a chain spec: pass --chain-spec FILE (a raw spec, `zoo-node build-spec --raw`), or run `zoo light enable --chain-spec FILE` in a workspace"
			));
		}
		(None, false, None) if !bootnodes.is_empty() => {
			return Err(anyhow!("--bootnode is for the light client: add --light and --chain-spec FILE"));
		}
		(None, false, None) => return Ok(None),
	};
	let bootnodes = match (bootnodes.is_empty(), kept) {
		(true, Some((setting, _))) => setting.bootnodes.clone(),
		_ => bootnodes,
	};
	Ok(Some(LightSetup { chain_spec, bootnodes, max_finality_lag }))
}

/// `zoo light enable|disable --json`.
#[derive(Serialize)]
struct LightChanged<'a> {
	/// Whether the workspace now goes through the light client.
	light: bool,
	/// The chain's name and ID, and the bootnodes the light client joins through.
	#[serde(skip_serializing_if = "Option::is_none")]
	chain: Option<&'a str>,
	#[serde(skip_serializing_if = "Option::is_none")]
	chain_id: Option<&'a str>,
	bootnodes: &'a [String],
}

/// `zoo light enable`: keep the chain spec in the workspace and use it by default.
pub(crate) fn enable(ctx: &Ctx, dir: &Path) -> Result<Outcome> {
	let light = ctx
		.light
		.as_ref()
		.ok_or_else(|| anyhow!("pass --chain-spec FILE (a raw spec, `zoo-node build-spec --raw`)"))?;
	let text = light.read_chain_spec()?;
	let info = inspect_chain_spec(&text)?;
	let bootnodes = if light.bootnodes.is_empty() { &info.boot_nodes } else { &light.bootnodes };
	if bootnodes.is_empty() {
		return Err(anyhow!(
			"the chain spec lists no bootNodes, so a light client has no peer to join through: pass --bootnode MULTIADDR"
		));
	}
	let mut workspace = Workspace::open(dir)?;
	workspace.enable_light(&text, light.bootnodes.clone())?;
	let answer = LightChanged { light: true, chain: Some(&info.name), chain_id: Some(&info.id), bootnodes };
	ctx.print(answer, || {
		format!(
			"{} now reaches {} through a light client (bootnodes: {})",
			safe_line(&dir.display().to_string()),
			safe_line(&info.name),
			safe_line(&bootnodes.join(", "))
		)
	});
	Ok(Outcome::Done)
}

/// `zoo light disable`: back to the `--url` node.
pub(crate) fn disable(ctx: &Ctx, dir: &Path) -> Result<Outcome> {
	let was = Workspace::open(dir)?.disable_light()?;
	let no_bootnodes: [String; 0] = [];
	ctx.print(LightChanged { light: false, chain: None, chain_id: None, bootnodes: &no_bootnodes }, || {
		let dir = dir.display().to_string();
		let dir = safe_line(&dir);
		if was {
			format!("{dir} reaches the chain through the --url node again")
		} else {
			format!("{dir} was not using a light client")
		}
	});
	Ok(Outcome::Done)
}

/// `zoo light status --json`.
#[derive(Serialize)]
struct LightStatus {
	chain: String,
	chain_id: String,
	/// The genesis hash (`0x..`): the chain's identity, from the spec.
	genesis_hash: String,
	bootnodes: Vec<String>,
	/// The newest finalized block the light client verified, and its age by its timestamp.
	finalized: u32,
	finalized_age_s: Option<u64>,
	/// From starting the light client to that block, in milliseconds.
	synced_in_ms: u64,
	/// This process's resident memory then (MiB; Linux only).
	resident_mib: Option<u64>,
}

/// `zoo light status`: start the light client and say where it stands.
pub(crate) async fn status(ctx: &Ctx) -> Result<Outcome> {
	let light = ctx.light.as_ref().ok_or_else(|| {
		anyhow!(
			"not using a light client: pass --light --chain-spec FILE, or run `zoo light enable --chain-spec FILE` in a workspace"
		)
	})?;
	let info = inspect_chain_spec(&light.read_chain_spec()?)?;
	let started = Instant::now();
	let chain = ctx.chain().await?;
	let synced_in_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
	let finality = chain.finality().await?;
	let answer = LightStatus {
		chain: info.name,
		chain_id: info.id,
		genesis_hash: format!("0x{}", hex::encode(chain.genesis_hash())),
		bootnodes: if light.bootnodes.is_empty() { info.boot_nodes } else { light.bootnodes.clone() },
		finalized: finality.block_number,
		finalized_age_s: finality.age.map(|age| age.as_secs()),
		synced_in_ms,
		resident_mib: resident_memory_mib(),
	};
	ctx.print(&answer, || {
		let age = answer.finalized_age_s.map(|age| format!(", {age} s old")).unwrap_or_default();
		let memory = answer.resident_mib.map(|mib| format!(", {mib} MiB resident")).unwrap_or_default();
		format!(
			"chain      {} ({})\ngenesis    {}\nbootnodes  {}\nfinalized  #{}{age}\nsynced in  {} ms{memory}",
			safe_line(&answer.chain),
			safe_line(&answer.chain_id),
			answer.genesis_hash,
			safe_line(&answer.bootnodes.join(", ")),
			answer.finalized,
			answer.synced_in_ms,
		)
	});
	Ok(Outcome::Done)
}
