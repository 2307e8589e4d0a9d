//! Reading the chain through an embedded light client, so no server is trusted.
//!
//! Over RPC the client checks what it can (a manifest must hash to its content ID) and takes
//! the rest of a record on trust: whether a version exists, its yank, its committer, refs,
//! roles, licences. With [`Chain::connect_light`] every read goes through
//! [smoldot](https://github.com/smol-dot/smoldot) (subxt's `light-client` feature) instead:
//! started from a raw chain spec, it joins the chain's peer-to-peer network through the spec's
//! bootnodes, follows GRANDPA finality from the genesis authorities (warp sync), and checks
//! every storage read and runtime call against a finalized state root with a Merkle proof. An
//! answer is then as trustworthy as the chain's validators, whoever served it; the `--url`
//! node is not contacted at all. Transactions are submitted through it too.
//!
//! A light client can only be as current as the peers it reaches. Reads are made at the newest
//! finalized block, and [`Chain::connect_light`] waits (within the timeout) until that block
//! is younger than [`LightOptions::max_finality_lag`]: when every reachable node is behind on
//! finality, or finality has stalled, the command fails saying so
//! ([`ChainError::FinalityBehind`]) instead of answering from an old or unfinalized state.

use super::{Chain, ChainError, rpc, runtime};
use std::time::{Duration, Instant, SystemTime};
use subxt::{
	OnlineClient, PolkadotConfig,
	client::OnlineClientAtBlock,
	lightclient::{ChainConfig, LightClient},
};

/// The default [`LightOptions::max_finality_lag`]: a healthy chain of 6 s blocks finalizes
/// within a few blocks; two minutes without finality means the peers are behind or stalled.
pub const DEFAULT_MAX_FINALITY_LAG: Duration = Duration::from_secs(120);

/// The largest chain spec accepted: a raw spec holds the genesis state (a Zoo dev spec with its
/// runtime is under 2 MiB).
pub const MAX_CHAIN_SPEC_BYTES: usize = 64 << 20;

/// How often the light client's finalized block is looked at while waiting for a fresh one.
const POLL: Duration = Duration::from_millis(250);

/// How to start the light client.
#[derive(Debug, Clone)]
pub struct LightOptions {
	/// The raw chain spec (JSON text), as `zoo-node build-spec --raw` writes it.
	pub chain_spec: String,
	/// Peer-to-peer addresses to join through instead of the spec's `bootNodes` (none: the
	/// spec's).
	pub bootnodes: Vec<String>,
	/// How long syncing may take before the command fails, and the bound on each later read.
	pub timeout: Duration,
	/// The oldest finalized block (by its timestamp) the client answers from.
	pub max_finality_lag: Duration,
}

/// What a chain spec says about itself, checked before the light client starts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainSpecInfo {
	/// The chain's name (`Development`, `Zoo Consortium`).
	pub name: String,
	/// The chain's ID (`dev`, `zoo_consortium`).
	pub id: String,
	/// Its bootnodes: the peer-to-peer addresses a light client joins through.
	pub boot_nodes: Vec<String>,
}

/// Check that `text` is a raw chain spec a light client can start from: JSON with a name, an
/// ID and a raw genesis (a plain spec only names a runtime preset, which a light client cannot
/// build).
pub fn inspect_chain_spec(text: &str) -> Result<ChainSpecInfo, ChainError> {
	let bad = |reason: String| ChainError::ChainSpec(reason);
	if text.len() > MAX_CHAIN_SPEC_BYTES {
		return Err(bad(format!("larger than {} MiB", MAX_CHAIN_SPEC_BYTES >> 20)));
	}
	let spec: serde_json::Value = serde_json::from_str(text).map_err(|error| bad(format!("not JSON: {error}")))?;
	let field = |name: &str| spec.get(name).and_then(|value| value.as_str()).map(str::to_owned);
	let name = field("name").ok_or_else(|| bad("no \"name\"".into()))?;
	let id = field("id").ok_or_else(|| bad("no \"id\"".into()))?;
	let genesis = spec.get("genesis").ok_or_else(|| bad("no \"genesis\"".into()))?;
	if genesis.get("raw").is_none() && genesis.get("stateRootHash").is_none() {
		return Err(bad(
			"not a raw spec (its genesis is not raw storage); make one with `zoo-node build-spec --chain <spec> --raw`"
				.into(),
		));
	}
	let boot_nodes = match spec.get("bootNodes") {
		None | Some(serde_json::Value::Null) => Vec::new(),
		Some(serde_json::Value::Array(nodes)) => nodes
			.iter()
			.map(|node| node.as_str().map(str::to_owned).ok_or_else(|| bad("a bootnode is not a string".into())))
			.collect::<Result<_, _>>()?,
		Some(_) => return Err(bad("\"bootNodes\" is not a list".into())),
	};
	Ok(ChainSpecInfo { name, id, boot_nodes })
}

/// The embedded light client a [`Chain`] reads through, and what it was started with.
pub(super) struct LightState {
	/// Keeps smoldot's chain alive as long as the connection.
	_client: LightClient,
	/// The chain's name, for logs.
	pub(super) chain: String,
	/// The oldest finalized block reads may be made at ([`LightOptions::max_finality_lag`]).
	pub(super) max_finality_lag: Duration,
}

/// Where the light client stands: its newest finalized block and how old it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finality {
	/// The finalized block's number.
	pub block_number: u32,
	/// How long ago that block was authored (by its timestamp), if it has one (genesis has not).
	pub age: Option<Duration>,
}

impl Chain {
	/// Start an embedded light client from `options.chain_spec` and read and submit through it.
	///
	/// Returns once the light client has a finalized block younger than
	/// `options.max_finality_lag`, which every read of the command is then made at; fails with
	/// [`ChainError::NotSynced`] when no peer gave it a finalized block within the timeout, and
	/// with [`ChainError::FinalityBehind`] when the newest it could verify is too old.
	pub async fn connect_light(options: LightOptions) -> Result<Chain, ChainError> {
		let started = Instant::now();
		let info = inspect_chain_spec(&options.chain_spec)?;
		let bootnodes = if options.bootnodes.is_empty() { info.boot_nodes.clone() } else { options.bootnodes.clone() };
		if bootnodes.is_empty() {
			return Err(ChainError::ChainSpec(
				"it lists no bootNodes, so a light client has no peer to join through; add them to the spec or pass --bootnode"
					.into(),
			));
		}
		let config = ChainConfig::chain_spec(options.chain_spec.as_str())
			.set_bootnodes(&bootnodes)
			.map_err(|error| ChainError::ChainSpec(error.to_string()))?;
		let (client, rpc_client) =
			LightClient::relay_chain(config).map_err(|error| ChainError::LightClient(error.to_string()))?;
		let shown = format!("the light client of {}", info.name);
		let api = OnlineClient::from_rpc_client_with_config(
			PolkadotConfig::builder().use_historic_types(false).build(),
			subxt::rpcs::RpcClient::new(rpc_client),
		)
		.await
		.map_err(|error| ChainError::LightClient(error.to_string()))?;
		let chain = Chain {
			api,
			url: shown,
			timeout: options.timeout,
			reads_at: Default::default(),
			// Nothing is read over a node's HTTP endpoint: every answer comes through smoldot.
			http_reads: std::sync::Mutex::new(None),
			light: Some(LightState { _client: client, chain: info.name, max_finality_lag: options.max_finality_lag }),
			node_rpc: None,
		};
		let finality =
			chain.wait_for_fresh_finality(started + options.timeout, options.max_finality_lag, &bootnodes).await?;
		tracing::info!(
			chain = chain.light.as_ref().map(|light| light.chain.as_str()),
			synced_in_ms = started.elapsed().as_millis() as u64,
			finalized = finality.block_number,
			finalized_age_s = finality.age.map(|age| age.as_secs()),
			resident_mib = resident_memory_mib(),
			"light client synced"
		);
		Ok(chain)
	}

	/// Whether reads go through an embedded light client.
	pub fn is_light(&self) -> bool {
		self.light.is_some()
	}

	/// The block reads are made at, and how old it is.
	pub async fn finality(&self) -> Result<Finality, ChainError> {
		let at = self.within(self.reads_at()).await?;
		self.within(finality_of(&at)).await
	}

	/// Wait until the light client's newest finalized block is younger than `max_lag`, and make
	/// it the block reads are made at.
	async fn wait_for_fresh_finality(
		&self,
		deadline: Instant,
		max_lag: Duration,
		bootnodes: &[String],
	) -> Result<Finality, ChainError> {
		let deadline = tokio::time::Instant::from_std(deadline);
		let mut newest: Option<Finality> = None;
		loop {
			let looked = tokio::time::timeout_at(deadline, async {
				let at = self.api.at_current_block().await.map_err(rpc)?;
				let finality = finality_of(&at).await?;
				Ok::<_, ChainError>((at, finality))
			})
			.await;
			match looked {
				Ok(Ok((at, finality))) => {
					if finality.block_number > 0 && finality.age.is_some_and(|age| age <= max_lag) {
						*self.reads_at.lock().map_err(rpc)? = Some(at);
						return Ok(finality);
					}
					newest = Some(finality);
				}
				Ok(Err(error)) => tracing::debug!(%error, "the light client's finalized block is not readable yet"),
				Err(_) => {}
			}
			if tokio::time::Instant::now() + POLL >= deadline {
				// A light client cannot tell an unreachable bootnode from a peer that has no
				// finality to give (smoldot only syncs through finality proofs): both are said.
				return Err(match newest {
					Some(Finality { block_number, age: Some(age) }) if block_number > 0 => ChainError::FinalityBehind {
						chain: self.url.clone(),
						block_number,
						age_s: age.as_secs(),
						limit_s: max_lag.as_secs(),
					},
					_ => ChainError::NotSynced {
						chain: self.url.clone(),
						seconds: self.timeout.as_secs(),
						bootnodes: bootnodes.join(", "),
					},
				});
			}
			tokio::time::sleep(POLL).await;
		}
	}
}

/// The block number of `at` and its age by the chain's own timestamp (proven like every read).
pub(super) async fn finality_of(at: &OnlineClientAtBlock<PolkadotConfig>) -> Result<Finality, ChainError> {
	let block_number = u32::try_from(at.block_number()).unwrap_or(u32::MAX);
	let moment = at.storage().try_fetch(runtime::storage().timestamp().now(), ()).await.map_err(rpc)?;
	let moment: Option<u64> = moment.map(|value| value.decode()).transpose().map_err(rpc)?;
	let age = moment.filter(|&ms| ms > 0).map(|ms| {
		let authored = SystemTime::UNIX_EPOCH + Duration::from_millis(ms);
		// A block from the future (a fast clock somewhere) counts as fresh.
		SystemTime::now().duration_since(authored).unwrap_or_default()
	});
	Ok(Finality { block_number, age })
}

/// This process's resident memory in MiB (Linux `/proc`; `None` elsewhere), for `-v`.
pub fn resident_memory_mib() -> Option<u64> {
	let status = std::fs::read_to_string("/proc/self/status").ok()?;
	let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
	let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
	Some(kib / 1024)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn only_raw_specs_with_a_name_are_accepted() {
		let raw = r#"{"name":"Development","id":"dev","bootNodes":["/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"],"genesis":{"raw":{"top":{},"childrenDefault":{}}}}"#;
		let info = inspect_chain_spec(raw).unwrap();
		assert_eq!((info.name.as_str(), info.id.as_str(), info.boot_nodes.len()), ("Development", "dev", 1));
		let no_boot = r#"{"name":"D","id":"d","genesis":{"raw":{"top":{}}}}"#;
		assert!(inspect_chain_spec(no_boot).unwrap().boot_nodes.is_empty());
		for (text, needle) in [
			("not json", "not JSON"),
			(r#"{"id":"d","genesis":{"raw":{}}}"#, "name"),
			(r#"{"name":"D","id":"d","genesis":{"runtimeGenesis":{}}}"#, "build-spec"),
			(r#"{"name":"D","id":"d","bootNodes":"x","genesis":{"raw":{}}}"#, "not a list"),
			(r#"{"name":"D","id":"d","bootNodes":[1],"genesis":{"raw":{}}}"#, "not a string"),
		] {
			let error = inspect_chain_spec(text).unwrap_err();
			assert!(matches!(error, ChainError::ChainSpec(_)), "{text}: {error}");
			assert!(error.to_string().contains(needle), "{text}: {error}");
		}
	}
}
