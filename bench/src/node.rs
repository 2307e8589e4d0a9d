//! The connection to a node: a subxt client for reads and signing, plus raw RPC connections
//! for submitting pre-signed transactions (`author_submitAndWatchExtrinsic`, one watch per
//! transaction), and the block scan that measures fullness after a phase.

use anyhow::{Context, Result, anyhow, bail};
use jsonrpsee_ws_client::WsClientBuilder;
use std::{collections::HashMap, sync::Arc, time::Duration};
use subxt::{
	OnlineClient, OnlineClientAtBlock, PolkadotConfig,
	backend::LegacyBackend,
	config::{DefaultExtrinsicParamsBuilder, HashFor, Hasher, RpcConfigFor},
	events::Phase,
	rpcs::{LegacyRpcMethods, RpcClient},
	transactions::Payload,
	utils::AccountId32,
};
use subxt_signer::sr25519::Keypair;
use zoo_chain::runtime;

/// The chain's configuration, as the `zoo` client uses it.
pub(crate) type Config = PolkadotConfig;
/// A block hash.
pub(crate) type Hash = HashFor<Config>;
/// Raw RPC methods.
pub(crate) type Rpc = LegacyRpcMethods<RpcConfigFor<Config>>;

/// A connection to a node.
pub(crate) struct Node {
	/// subxt over the legacy RPCs (reads, metadata, signing).
	pub api: OnlineClient<Config>,
	/// The raw RPC methods of the first connection.
	pub rpc: Rpc,
	/// Connections to submit on (each node connection allows ~1024 subscriptions).
	pub submitters: Vec<Rpc>,
	/// The node's URL.
	pub url: String,
}

async fn ws(url: &str) -> Result<RpcClient> {
	let client = WsClientBuilder::default()
		.max_concurrent_requests(1 << 16)
		.max_buffer_capacity_per_subscription(4096)
		.max_response_size(64 << 20)
		.max_request_size(64 << 20)
		.request_timeout(Duration::from_secs(300))
		.connection_timeout(Duration::from_secs(30))
		.build(url)
		.await
		.with_context(|| format!("cannot connect to {url}"))?;
	Ok(RpcClient::new(client))
}

impl Node {
	/// Connect to `url`, with `submitters` extra connections for submitting.
	pub(crate) async fn connect(url: &str, submitters: usize) -> Result<Node> {
		let rpc_client = ws(url).await?;
		let backend = LegacyBackend::<Config>::builder().build(rpc_client.clone());
		let config = PolkadotConfig::builder().use_historic_types(false).build();
		let api = OnlineClient::from_backend_with_config(config, Arc::new(backend))
			.await
			.with_context(|| format!("cannot build a client for {url}"))?;
		let mut connections = Vec::with_capacity(submitters);
		for _ in 0..submitters.max(1) {
			connections.push(Rpc::new(ws(url).await?));
		}
		Ok(Node { api, rpc: Rpc::new(rpc_client), submitters: connections, url: url.to_owned() })
	}

	/// A client at the newest finalized block.
	pub(crate) async fn at_finalized(&self) -> Result<OnlineClientAtBlock<Config>> {
		self.api.at_current_block().await.context("cannot read the finalized block")
	}

	/// The number of the newest finalized block.
	pub(crate) async fn finalized_number(&self) -> Result<u64> {
		let hash = self.rpc.chain_get_finalized_head().await?;
		let header = self.rpc.chain_get_header(Some(hash)).await?.ok_or_else(|| anyhow!("no finalized header"))?;
		Ok(subxt::config::Header::number(&header))
	}

	/// The next nonce of `who` (pool included).
	pub(crate) async fn nonce(&self, who: &AccountId32) -> Result<u64> {
		Ok(self.rpc.system_account_next_index(who).await?)
	}

	/// An account's free and reserved balance at the finalized block.
	pub(crate) async fn balance(&self, who: &AccountId32) -> Result<(u128, u128)> {
		let at = self.at_finalized().await?;
		let value = at.storage().try_fetch(runtime::storage().system().account(), (*who,)).await?;
		let Some(value) = value else { return Ok((0, 0)) };
		let info = value.decode()?;
		Ok((info.data.free, info.data.reserved))
	}

	/// Submit `call` signed by `signer` and wait until it is finalized and succeeded (setup
	/// transactions; measured work goes through [`crate::submit`]).
	pub(crate) async fn submit_finalized<Call: Payload>(&self, signer: &Keypair, call: &Call) -> Result<()> {
		let at = self.at_finalized().await?;
		let progress = at.transactions().sign_and_submit_then_watch_default(call, signer).await?;
		progress.wait_for_finalized_success().await?;
		Ok(())
	}
}

/// A pre-signed transaction.
pub(crate) struct Signed {
	/// Its SCALE bytes, as submitted.
	pub bytes: Vec<u8>,
	/// Its hash (what the node and the block body know it by).
	pub hash: Hash,
}

/// Sign `call` offline with an explicit nonce (immortal), ready to submit later.
pub(crate) fn sign<Call: Payload>(
	at: &OnlineClientAtBlock<Config>,
	signer: &Keypair,
	nonce: u64,
	call: &Call,
) -> Result<Signed> {
	let params = DefaultExtrinsicParamsBuilder::<Config>::new().nonce(nonce).build();
	let mut signable = at.transactions().create_signable_offline(call, params)?;
	let signed = signable.sign(signer)?;
	Ok(Signed { hash: signed.hash(), bytes: signed.into_encoded() })
}

/// The block limits for normal transactions, from the runtime's constants.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Limits {
	/// Most ref-time (ps) normal transactions may use in a block.
	pub max_normal_weight: u64,
	/// Most bytes normal transactions may fill in a block.
	pub max_normal_length: u32,
}

impl Limits {
	/// Read the limits from `at`'s metadata.
	pub(crate) fn read(at: &OnlineClientAtBlock<Config>) -> Result<Limits> {
		let constants = at.constants();
		let weights = constants.entry(runtime::constants().system().block_weights())?;
		let length = constants.entry(runtime::constants().system().block_length())?;
		let normal = weights.per_class.normal;
		let max_normal_weight = normal.max_total.map(|weight| weight.ref_time).unwrap_or(weights.max_block.ref_time);
		Ok(Limits { max_normal_weight, max_normal_length: length.max.normal })
	}
}

/// What one block held.
#[derive(Debug, Clone, Default)]
pub(crate) struct BlockFill {
	/// Block number.
	pub number: u64,
	/// Normal ref-time used (`System::BlockWeight`), ps; `None` when the node no longer has
	/// the block's state (pruned: run it with `--state-pruning archive-canonical`).
	pub normal_weight: Option<u64>,
	/// Bytes of all its extrinsics.
	pub length: u64,
	/// How many of our transactions it holds, per kind index.
	pub ours: Vec<u32>,
	/// How many of our transactions in it failed (`ExtrinsicFailed`), per kind index.
	pub failed: Vec<u32>,
}

/// Read blocks `from..=to` (finalized): weight used, length, and which of `ours` (transaction
/// hash -> kind index, `kinds` kinds) each holds and which of those failed.
pub(crate) async fn scan_blocks(
	node: &Node,
	from: u64,
	to: u64,
	ours: &HashMap<Hash, usize>,
	kinds: usize,
) -> Result<Vec<BlockFill>> {
	let mut blocks = Vec::new();
	let hasher = *node.at_finalized().await?.hasher();
	for number in from..=to {
		let hash =
			node.rpc.chain_get_block_hash(Some(number.into())).await?.ok_or_else(|| anyhow!("no block {number}"))?;
		let body = node.rpc.chain_get_block(Some(hash)).await?.ok_or_else(|| anyhow!("no body for block {number}"))?;
		let at = node.api.at_block(hash).await.ok();
		let weight = match &at {
			Some(at) => match at.storage().fetch(runtime::storage().system().block_weight(), ()).await {
				Ok(value) => Some(value.decode()?.normal.ref_time),
				Err(error) => {
					tracing::debug!(number, %error, "no state for block");
					None
				}
			},
			None => None,
		};
		let mut fill =
			BlockFill { number, normal_weight: weight, length: 0, ours: vec![0; kinds], failed: vec![0; kinds] };
		let mut kind_at = Vec::with_capacity(body.block.extrinsics.len());
		for extrinsic in &body.block.extrinsics {
			fill.length += extrinsic.0.len() as u64;
			let kind = ours.get(&hasher.hash(&extrinsic.0)).copied();
			if let Some(kind) = kind {
				fill.ours[kind] += 1;
			}
			kind_at.push(kind);
		}
		if fill.ours.iter().any(|count| *count > 0)
			&& let Some(at) = &at
		{
			let events = at.events().fetch().await?;
			for event in events.iter() {
				let event = event?;
				if event.pallet_name() != "System" || event.event_name() != "ExtrinsicFailed" {
					continue;
				}
				if let Phase::ApplyExtrinsic(index) = event.phase()
					&& let Some(Some(kind)) = kind_at.get(index as usize)
				{
					fill.failed[*kind] += 1;
				}
			}
		}
		blocks.push(fill);
	}
	Ok(blocks)
}

/// Wait until the node at `url` answers, for at most `timeout`.
pub(crate) async fn wait_for(url: &str, timeout: Duration) -> Result<Node> {
	let start = std::time::Instant::now();
	loop {
		match Node::connect(url, 1).await {
			Ok(node) => return Ok(node),
			Err(error) if start.elapsed() < timeout => {
				tracing::debug!(%error, "node not ready yet");
				tokio::time::sleep(Duration::from_millis(500)).await;
			}
			Err(error) => bail!("node at {url} did not answer within {timeout:?}: {error:#}"),
		}
	}
}
