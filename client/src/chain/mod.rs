//! Reads and transactions against a Zoo node, through subxt.
//!
//! The chain's types are generated from `metadata/zoo.scale` (checked in; a runtime test fails
//! when it is stale). The manifest and version ID are substituted with the `zoo-primitives`
//! types the runtime itself uses, so the client encodes exactly the bytes the runtime hashes.
//!
//! What a node says is checked where it can be: every manifest must hash to the content ID it
//! was asked for and pass the manifest rules ([`check_fetched`]), so no node, and nobody on the
//! way to it, can substitute one. Over RPC the rest of a record (committer, yank, refs, roles)
//! is taken on trust, so the way to the node is protected too: plaintext `ws://` only to this
//! machine unless asked for ([`check_node_url`]), every read and request within a timeout, and
//! no answer larger than [`MAX_ANSWER_BYTES`]. Through an embedded light client
//! ([`Chain::connect_light`], [`light`]) nothing is taken on trust: every read is proven against
//! finalized state.
//!
//! This module is the transport (connecting, view function calls, submitting, errors, the
//! generated `runtime`); each pallet's reads and transactions are an `impl Chain` block of
//! their own: [`registry`] (models, organisations, versions, commits, yanks, roles),
//! [`lineage`] (the version graph and refs), [`licensing`] (terms, offers, grants, splits,
//! royalties, usage channels), [`attestations`] (evaluators, attestations, promotion
//! policies and their evidence), [`curation`] (stake on versions, rewards, disputes, the
//! stake-ranked discovery view) and [`council`] (the consortium council's motions and votes);
//! [`watch`] follows the chain's finalized events.

use codec::{Decode, Encode};
use jsonrpsee_core::{client::ClientT, rpc_params};
use jsonrpsee_http_client::{HttpClient, HttpClientBuilder};
use jsonrpsee_ws_client::WsClientBuilder;
use std::time::Duration;
use subxt::{
	OnlineClient, PolkadotConfig,
	client::OnlineClientAtBlock,
	error::{DispatchError, TransactionEventsError, TransactionFinalizedSuccessError},
	extrinsics::ExtrinsicEvents,
	utils::AccountId32,
};
use subxt_signer::sr25519::Keypair;
use zoo_primitives::{Manifest, ManifestError, VersionId};

/// Code generated from the runtime metadata.
#[subxt::subxt(
	runtime_metadata_path = "metadata/zoo.scale",
	substitute_type(
		path = "zoo_primitives::manifest::Manifest",
		with = "::subxt::utils::Static<::zoo_primitives::Manifest>"
	),
	substitute_type(
		path = "zoo_primitives::id::VersionId",
		with = "::subxt::utils::Static<::zoo_primitives::VersionId>"
	),
	substitute_type(
		path = "zoo_primitives::manifest::Parent",
		with = "::subxt::utils::Static<::zoo_primitives::Parent>"
	),
	substitute_type(
		path = "zoo_primitives::manifest::EdgeKind",
		with = "::subxt::utils::Static<::zoo_primitives::EdgeKind>"
	),
	substitute_type(path = "zoo_primitives::role::Role", with = "::subxt::utils::Static<::zoo_primitives::Role>"),
	substitute_type(
		path = "zoo_primitives::role::OrgRole",
		with = "::subxt::utils::Static<::zoo_primitives::OrgRole>"
	),
	substitute_type(
		path = "zoo_primitives::manifest::License",
		with = "::subxt::utils::Static<::zoo_primitives::License>"
	),
	substitute_type(
		path = "zoo_primitives::manifest::Metric",
		with = "::subxt::utils::Static<::zoo_primitives::Metric>"
	),
	substitute_type(
		path = "zoo_primitives::metric::MetricValue",
		with = "::subxt::utils::Static<::zoo_primitives::MetricValue>"
	)
)]
pub mod runtime {}

pub mod attestations;
pub mod council;
pub mod curation;
pub mod licensing;
pub mod light;
pub mod lineage;
pub mod registry;
pub mod watch;

pub use attestations::{
	AttestationInfo, Attested, DatasetId, Direction, Evidence, Measure, Policy, Promotion, RevocationInfo, Threshold,
	Unmet,
};

pub use council::{MotionCall, MotionClosed, MotionIndex, MotionInfo, Proposed, Verdict, VoteCast};
pub use curation::{
	ChunkInfo, CurationInfo, CurationParams, DisputeId, DisputeInfo, DisputeOpened, DisputeReason, LicenseClass,
	ModelCurationInfo, PositionInfo, RankFilter, RankedVersion, RewardClaim, SlashInfo, Staked, Unbonded, Withdrawal,
};
pub use licensing::{
	AccountShare, ChannelInfo, ChannelOpened, Claim, GrantInfo, GrantKind, OfferInfo, OfferKind, Purchase, Refund,
	Refusal, RoyaltyShare, Settlement, Terms, VersionLicenseInfo, Voucher,
};
pub use light::{
	ChainSpecInfo, DEFAULT_MAX_FINALITY_LAG, Finality, LightOptions, MAX_CHAIN_SPEC_BYTES, inspect_chain_spec,
	resident_memory_mib,
};
pub use lineage::{Derivation, GraphNode, MAX_CHILDREN, RefInfo, RefMoveInfo, Walk};
pub use registry::{Member, ModelInfo, NameUnavailable, OrgInfo, VersionRecord};

use runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec;

/// A connection to a node.
pub struct Chain {
	api: OnlineClient<PolkadotConfig>,
	/// The node's URL without any userinfo, for errors and logs.
	url: String,
	/// How long one request (or one read, or connecting) may take.
	timeout: Duration,
	/// The finalized block reads are made at: fetched on the first read and dropped after each
	/// transaction, so the reads of one command see one state, and cost one round trip each
	/// rather than three.
	reads_at: std::sync::Mutex<Option<OnlineClientAtBlock<PolkadotConfig>>>,
	/// The node's HTTP endpoint (same host and port), used for view function calls while it
	/// works: a node's WebSocket answers wait ~40 ms for a delayed ACK (its RPC server leaves
	/// Nagle's algorithm on), its HTTP answers do not. `None` once it has failed, and always
	/// through a light client.
	http_reads: std::sync::Mutex<Option<HttpClient>>,
	/// The embedded light client everything goes through, if any ([`Chain::connect_light`]).
	light: Option<light::LightState>,
	/// The node's JSON-RPC connection, for its pool-aware next nonce (`None` through a light
	/// client, which has no view of any pool).
	node_rpc: Option<subxt::rpcs::RpcClient>,
}

/// How far past the finalized state's nonce a node's "next nonce" may be believed: that many of
/// the account's transactions waiting in its pool or in unfinalized blocks. Beyond it the node
/// is lying or confused, and a transaction with its nonce would wait in the pool forever.
const MAX_PENDING_NONCES: u64 = 256;

/// How to reach a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectOptions {
	/// How long connecting, one read, or one request of a transaction may take before the
	/// command fails (waiting for a transaction's finality is not bounded by it).
	pub timeout: Duration,
	/// Allow plaintext `ws://` to a host other than loopback.
	pub insecure: bool,
}

impl Default for ConnectOptions {
	fn default() -> Self {
		ConnectOptions { timeout: DEFAULT_TIMEOUT, insecure: false }
	}
}

/// The default [`ConnectOptions::timeout`]: long enough for a slow public endpoint, short
/// enough that a node that never answers is noticed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest answer accepted from a node. The biggest honest answers (the runtime metadata,
/// a page of 1024 graph nodes, a manifest of 512 artifacts) are a few MiB at most; anything
/// bigger is a hostile or broken node, refused before it exhausts memory.
pub const MAX_ANSWER_BYTES: u32 = 16 << 20;

/// The transport's own timeouts are a backstop behind the client's (which name the node
/// precisely), so they are a little longer.
const TRANSPORT_SLACK: Duration = Duration::from_secs(5);

/// A finalized transaction: where it landed. In `--json` it is always the object
/// `"block": {"block_number": N, "block_hash": "0x.."}`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Submitted {
	/// Number of the block that included it.
	pub block_number: u32,
	/// Hash of that block (`0x...`).
	pub block_hash: String,
}

/// Why a chain call failed.
#[derive(thiserror::Error, Debug)]
pub enum ChainError {
	/// The node could not be reached.
	#[error("cannot reach node at {url}: {reason}")]
	Connect {
		/// The node URL.
		url: String,
		/// Why.
		reason: String,
	},
	/// The node runs a runtime this client was not built for.
	#[error("the node's runtime does not match this client ({0}); update zoo or the node")]
	Incompatible(String),
	/// The chain rejected the transaction with a pallet error.
	#[error("transaction rejected: {name}: {docs}")]
	Rejected {
		/// The pallet error, `Pallet::Error`.
		name: String,
		/// Its documentation.
		docs: String,
	},
	/// The transaction failed for another reason (e.g. the account cannot pay the fee).
	#[error("transaction failed: {0}")]
	Failed(String),
	/// A graph query has no answer (unknown version, or the walk needs a higher limit).
	#[error("{0}")]
	Query(String),
	/// Any other RPC failure.
	#[error("rpc error: {0}")]
	Rpc(String),
	/// The node URL is not a `ws://` or `wss://` URL.
	#[error("invalid node URL {url}: {reason}")]
	BadUrl {
		/// The URL as given (without userinfo).
		url: String,
		/// What is wrong with it.
		reason: &'static str,
	},
	/// Plaintext to a host that is not this machine, without `--insecure`.
	#[error(
		"refusing plaintext {url}: {host} is not this machine, so anyone on the way could forge the node's answers; use wss:// (or pass --insecure to accept that)"
	)]
	Insecure {
		/// The URL (without userinfo).
		url: String,
		/// Its host.
		host: String,
	},
	/// The node did not answer in time.
	#[error("node at {url} did not answer within {seconds} s (raise --timeout if it is only slow)")]
	Timeout {
		/// The node URL (without userinfo).
		url: String,
		/// The timeout.
		seconds: u64,
	},
	/// The node answered a version with a manifest that has another content ID.
	#[error(
		"node at {url} answered version {requested} with the manifest of {actual}: the node, or the connection to it, cannot be trusted; nothing was used"
	)]
	ManifestMismatch {
		/// The node URL (without userinfo).
		url: String,
		/// The version asked for.
		requested: VersionId,
		/// The content ID of the manifest it sent.
		actual: VersionId,
	},
	/// The node answered a version with a manifest the chain could never have accepted.
	#[error("node at {url} answered version {id} with an invalid manifest ({source}); nothing was used")]
	InvalidManifest {
		/// The node URL (without userinfo).
		url: String,
		/// The version asked for.
		id: VersionId,
		/// Which rule it breaks.
		source: ManifestError,
	},
	/// The chain spec a light client was to start from is unusable.
	#[error("invalid chain spec: {0}")]
	ChainSpec(String),
	/// The embedded light client refused to start or failed.
	#[error("light client: {0}")]
	LightClient(String),
	/// The light client verified no finalized block beyond the genesis in time.
	#[error(
		"{chain} verified no finalized block beyond the genesis within {seconds} s: no bootnode answered ({bootnodes}), or every reachable node is behind on finality; not answering from an unfinalized state (check the bootnodes, or raise --timeout)"
	)]
	NotSynced {
		/// Which light client (its chain's name).
		chain: String,
		/// The timeout.
		seconds: u64,
		/// The bootnodes it tried.
		bootnodes: String,
	},
	/// The newest finalized block the light client could verify is too old to answer from.
	#[error(
		"{chain}: the newest finalized block it could verify, #{block_number}, is {age_s} s old (more than {limit_s} s): every reachable node is behind on finality, or finality has stalled; not answering from an old or unfinalized state (wait, or raise --max-finality-lag)"
	)]
	FinalityBehind {
		/// Which light client (its chain's name).
		chain: String,
		/// The newest finalized block it verified.
		block_number: u32,
		/// How old that block is, in seconds.
		age_s: u64,
		/// The largest age accepted, in seconds.
		limit_s: u64,
	},
	/// The node's answer is longer than any honest answer can be.
	#[error("node at {url} returned more than {limit} {what}; refusing to read further")]
	TooLarge {
		/// The node URL (without userinfo).
		url: String,
		/// What was being read.
		what: &'static str,
		/// How many are accepted.
		limit: usize,
	},
}

impl ChainError {
	/// The pallet error the chain rejected a transaction with (`Curation::StakeTooLow`), if
	/// that is what happened: for callers that explain a refusal in their own words.
	pub fn rejected_with(&self) -> Option<&str> {
		match self {
			Self::Rejected { name, .. } => Some(name),
			_ => None,
		}
	}
}

/// `url` without its userinfo (`ws://user:secret@host` -> `ws://host`), for errors and logs.
pub fn redact_url(url: &str) -> String {
	match url::Url::parse(url) {
		Ok(mut parsed) => {
			if !parsed.username().is_empty() || parsed.password().is_some() {
				let _ = parsed.set_username("");
				let _ = parsed.set_password(None);
			}
			parsed.to_string().trim_end_matches('/').to_owned()
		}
		// Unparseable: keep only what precedes a possible userinfo.
		Err(_) => match url.rsplit_once('@') {
			Some((_, host)) => format!("<redacted>@{host}"),
			None => url.to_owned(),
		},
	}
}

/// Whether `host` is this machine: `localhost`, 127.0.0.0/8 or ::1.
fn is_loopback(host: &url::Host<&str>) -> bool {
	match host {
		url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
		url::Host::Ipv4(ip) => ip.is_loopback(),
		url::Host::Ipv6(ip) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|ip| ip.is_loopback()),
	}
}

/// Check a node URL before anything connects: `ws://` or `wss://`, and plaintext only to
/// this machine unless `insecure`.
pub fn check_node_url(url: &str, insecure: bool) -> Result<(), ChainError> {
	let shown = redact_url(url);
	let bad = |reason| ChainError::BadUrl { url: shown.clone(), reason };
	let parsed = url::Url::parse(url).map_err(|_| bad("not a URL (expected ws://host:port or wss://host:port)"))?;
	let host = parsed.host().ok_or_else(|| bad("no host"))?;
	match parsed.scheme() {
		"wss" => Ok(()),
		"ws" if insecure || is_loopback(&host) => Ok(()),
		"ws" => Err(ChainError::Insecure { url: shown.clone(), host: host.to_string() }),
		_ => Err(bad("the scheme must be ws:// or wss://")),
	}
}

/// Check a manifest a node sent for version `id`: well formed, and hashing to `id`. Whatever
/// else the node says is taken on trust, but a manifest is content addressed, so a node can
/// never substitute one.
pub fn check_fetched(url: &str, id: VersionId, manifest: &Manifest) -> Result<(), ChainError> {
	let actual = manifest.id();
	if actual != id {
		return Err(ChainError::ManifestMismatch { url: url.to_owned(), requested: id, actual });
	}
	manifest.validate().map_err(|source| ChainError::InvalidManifest { url: url.to_owned(), id, source })
}

/// The HTTP URL of a node's WebSocket URL (`ws://h:p` -> `http://h:p`, `wss` -> `https`).
fn http_url(ws_url: &str) -> Option<String> {
	let mut url = url::Url::parse(ws_url).ok()?;
	let scheme = match url.scheme() {
		"ws" => "http",
		"wss" => "https",
		_ => return None,
	};
	url.set_scheme(scheme).ok()?;
	Some(url.to_string())
}

/// An HTTP client for view function reads, with the connection's timeout and size limit.
fn http_client(url: &str, timeout: Duration) -> Result<HttpClient, String> {
	HttpClientBuilder::default()
		.request_timeout(timeout + TRANSPORT_SLACK)
		.max_response_size(MAX_ANSWER_BYTES)
		.build(url)
		.map_err(|error| error.to_string())
}

/// A certificate the client does not trust is said so, with what to do about it.
fn explain_tls(reason: String) -> String {
	if reason.contains("certificate") || reason.contains("UnknownIssuer") {
		format!(
			"{reason} (the node's TLS certificate is not trusted; for a private CA, set SSL_CERT_FILE to a PEM file with its certificate)"
		)
	} else {
		reason
	}
}

fn rpc(error: impl std::fmt::Display) -> ChainError {
	ChainError::Rpc(error.to_string())
}

pub(crate) fn bounded(bytes: &[u8]) -> BoundedVec<u8> {
	BoundedVec(bytes.to_vec())
}

pub(crate) fn ss58(account: &AccountId32) -> String {
	account.to_string()
}

impl Chain {
	/// Connect to the node at `url` (`ws://` or `wss://`) with the default options.
	pub async fn connect(url: &str) -> Result<Chain, ChainError> {
		Self::connect_with(url, ConnectOptions::default()).await
	}

	/// Connect to the node at `url` (`ws://` or `wss://`).
	///
	/// Plaintext `ws://` is refused, before any connection is made, unless the host is this
	/// machine or `options.insecure`. `wss://` checks the node's certificate against the
	/// system's roots, or against the PEM file `SSL_CERT_FILE` names (which replaces them).
	pub async fn connect_with(url: &str, options: ConnectOptions) -> Result<Chain, ChainError> {
		check_node_url(url, options.insecure)?;
		let shown = redact_url(url);
		let connect_error = |reason: String| ChainError::Connect { url: shown.clone(), reason: explain_tls(reason) };
		let timeout = options.timeout;
		let connecting = async {
			let ws = WsClientBuilder::default()
				.connection_timeout(timeout + TRANSPORT_SLACK)
				.request_timeout(timeout + TRANSPORT_SLACK)
				.max_response_size(MAX_ANSWER_BYTES)
				.max_buffer_capacity_per_subscription(4096)
				.build(url)
				.await
				.map_err(|error| connect_error(error.to_string()))?;
			let config = PolkadotConfig::builder().use_historic_types(false).build();
			let node_rpc = subxt::rpcs::RpcClient::new(ws);
			let api = OnlineClient::from_rpc_client_with_config(config, node_rpc.clone())
				.await
				.map_err(|error| connect_error(error.to_string()))?;
			Ok::<_, ChainError>((api, node_rpc))
		};
		let (api, node_rpc) = tokio::time::timeout(timeout, connecting)
			.await
			.map_err(|_| ChainError::Timeout { url: shown.clone(), seconds: timeout.as_secs() })??;
		let http_reads = http_url(url).and_then(|http| http_client(&http, timeout).ok());
		Ok(Chain {
			api,
			url: shown,
			timeout,
			reads_at: Default::default(),
			http_reads: std::sync::Mutex::new(http_reads),
			light: None,
			node_rpc: Some(node_rpc),
		})
	}

	/// The node's URL (without userinfo).
	pub fn url(&self) -> &str {
		&self.url
	}

	/// Make view function calls over `endpoint` (an `http(s)://` URL) instead of the HTTP URL
	/// derived from the WebSocket one, or only over the WebSocket (`None`). Reads fall back to
	/// the WebSocket for good when the HTTP endpoint fails.
	pub fn read_over_http(self, endpoint: Option<&str>) -> Result<Chain, ChainError> {
		let client = match endpoint {
			Some(endpoint) => Some(http_client(endpoint, self.timeout).map_err(rpc)?),
			None => None,
		};
		*self.http_reads.lock().map_err(rpc)? = client;
		Ok(self)
	}

	/// `RuntimeViewFunction_execute_view_function(input)` at `at`'s block over HTTP; `None` when
	/// HTTP is not available (then it is not tried again and the caller uses the WebSocket).
	/// Only the transport falls back: an answer that arrives but is wrong is the caller's error.
	async fn view_over_http(&self, at: &OnlineClientAtBlock<PolkadotConfig>, input: &[u8]) -> Option<Vec<u8>> {
		let client = self.http_reads.lock().ok()?.clone()?;
		let params = rpc_params![
			"RuntimeViewFunction_execute_view_function",
			format!("0x{}", hex::encode(input)),
			format!("{:?}", at.block_hash())
		];
		let answer: Result<String, _> = client.request("state_call", params).await;
		match answer.map(|hex_answer| hex::decode(hex_answer.trim_start_matches("0x"))) {
			Ok(Ok(bytes)) => Some(bytes),
			failed => {
				tracing::debug!(?failed, "view function over HTTP failed; using the WebSocket from now on");
				if let Ok(mut http) = self.http_reads.lock() {
					*http = None;
				}
				None
			}
		}
	}

	/// `work`, or [`ChainError::Timeout`] naming the node once the timeout has passed.
	async fn within<T>(&self, work: impl Future<Output = Result<T, ChainError>>) -> Result<T, ChainError> {
		tokio::time::timeout(self.timeout, work)
			.await
			.map_err(|_| ChainError::Timeout { url: self.url.clone(), seconds: self.timeout.as_secs() })?
	}

	/// Make the next reads see the newest finalized block. One command's reads share one block
	/// (see the `reads_at` field); a long-running caller (`zoo keys serve`) calls this for each
	/// new piece of work, or it would keep reading the state of its first read.
	pub fn read_newest(&self) {
		if let Ok(mut at) = self.reads_at.lock() {
			*at = None;
		}
	}

	/// The client at the block reads are made at (see [`Chain::reads_at`]'s field).
	async fn reads_at(&self) -> Result<OnlineClientAtBlock<PolkadotConfig>, ChainError> {
		if let Some(at) = self.reads_at.lock().map_err(rpc)?.clone() {
			return Ok(at);
		}
		let at = self.api.at_current_block().await.map_err(rpc)?;
		*self.reads_at.lock().map_err(rpc)? = Some(at.clone());
		Ok(at)
	}

	/// Call a view function at the best block.
	///
	/// subxt 0.51.1 sends the view function's arguments without the `Vec<u8>` length prefix that
	/// `RuntimeViewFunction::execute_view_function(query_id, input: Vec<u8>)` expects, and decodes
	/// the answer without its `Result` wrapper; so the call is encoded and decoded here, with
	/// subxt's generated (and metadata-checked) payload.
	pub(crate) async fn view<P>(&self, payload: P) -> Result<P::ReturnType, ChainError>
	where
		P: subxt::view_functions::Payload,
	{
		self.within(self.view_unbounded(payload)).await
	}

	async fn view_unbounded<P>(&self, payload: P) -> Result<P::ReturnType, ChainError>
	where
		P: subxt::view_functions::Payload,
	{
		use subxt::ext::scale_decode::DecodeAsType;
		let at = self.reads_at().await?;
		let input = Self::view_input(&at, &payload)?;
		let answer = match self.view_over_http(&at, &input).await {
			Some(answer) => answer,
			None => at.view_functions().call_raw(Some(&input)).await.map_err(rpc)?,
		};
		let output = match <Result<Vec<u8>, ViewFunctionDispatchError>>::decode(&mut &answer[..]) {
			Ok(Ok(output)) => output,
			Ok(Err(error)) => return Err(ChainError::Incompatible(format!("view function failed: {error:?}"))),
			Err(error) => return Err(rpc(format!("undecodable view function answer: {error}"))),
		};
		let metadata = at.metadata_ref();
		let output_type = metadata
			.pallet_by_name(payload.pallet_name())
			.and_then(|pallet| pallet.view_function_by_name(payload.function_name()))
			.map(|function| function.output_ty())
			.ok_or_else(|| ChainError::Incompatible(format!("no view function {}", payload.function_name())))?;
		P::ReturnType::decode_as_type(&mut &output[..], output_type, metadata.types())
			.map_err(|error| rpc(format!("undecodable view function output: {error}")))
	}

	/// The input of `RuntimeViewFunction_execute_view_function` for `payload`: its query ID, then
	/// its SCALE-encoded arguments as a `Vec<u8>`. For tools that call the runtime API over
	/// another transport (e.g. `state_call` over HTTP).
	pub async fn view_function_input<P>(&self, payload: &P) -> Result<Vec<u8>, ChainError>
	where
		P: subxt::view_functions::Payload,
	{
		Self::view_input(&self.within(self.reads_at()).await?, payload)
	}

	fn view_input<P>(at: &OnlineClientAtBlock<PolkadotConfig>, payload: &P) -> Result<Vec<u8>, ChainError>
	where
		P: subxt::view_functions::Payload,
	{
		let view_functions = at.view_functions();
		view_functions.validate(payload).map_err(|error| ChainError::Incompatible(error.to_string()))?;
		let query_and_args = view_functions.encode_args(payload).map_err(rpc)?;
		let (query_id, args) = query_and_args.split_at(QUERY_ID_LEN.min(query_and_args.len()));
		let mut input = query_id.to_vec();
		args.to_vec().encode_to(&mut input);
		Ok(input)
	}

	/// Sign, submit and wait until the transaction's block is finalized and the call succeeded.
	pub(crate) async fn submit<Call: subxt::transactions::Payload>(
		&self,
		signer: &Keypair,
		call: &Call,
	) -> Result<Submitted, ChainError> {
		Ok(self.submit_with_events(signer, call).await?.0)
	}

	/// [`Chain::submit`], with the events the transaction emitted (to read what the chain chose:
	/// a new ID, a price paid).
	pub(crate) async fn submit_with_events<Call: subxt::transactions::Payload>(
		&self,
		signer: &Keypair,
		call: &Call,
	) -> Result<(Submitted, ExtrinsicEvents<PolkadotConfig>), ChainError> {
		let at = self.within(async { self.api.at_current_block().await.map_err(rpc) }).await?;
		// A call this client was generated for but the node's runtime no longer has (or has
		// with other types) is reported as such, not as a failed transaction.
		at.transactions().validate(call).map_err(|error| ChainError::Incompatible(error.to_string()))?;
		let progress = self
			.within(async {
				let mut params = subxt::config::PolkadotExtrinsicParamsBuilder::<PolkadotConfig>::new();
				if let Some(nonce) = self.pending_aware_nonce(&at, signer).await? {
					params = params.nonce(nonce);
				}
				at.transactions()
					.sign_and_submit_then_watch(call, signer, params.build())
					.await
					.map_err(|error| ChainError::Failed(error.to_string()))
			})
			.await?;
		let in_block = progress
			.wait_for_finalized()
			.await
			.map_err(|error| explain_failure(TransactionFinalizedSuccessError::FinalizationError(error)))?;
		let block_hash = in_block.block_hash();
		let events = in_block
			.wait_for_success()
			.await
			.map_err(|error| explain_failure(TransactionFinalizedSuccessError::SuccessError(error)))?;
		// Later reads must see this transaction.
		*self.reads_at.lock().map_err(rpc)? = None;
		let block = self.within(async { self.api.at_block(block_hash).await.map_err(rpc) }).await?;
		let submitted = Submitted {
			block_number: u32::try_from(block.block_number()).unwrap_or(u32::MAX),
			block_hash: format!("{block_hash:?}"),
		};
		Ok((submitted, events))
	}

	/// The nonce for `signer`'s next transaction counting its transactions the node holds in
	/// its pool or in blocks not yet finalized (`system_accountNextIndex`), so that a command
	/// run while an earlier one is still pending (in parallel, or after an interrupted one that
	/// landed anyway) is not refused as a replay of it. Believed only between the finalized
	/// state's nonce and [`MAX_PENDING_NONCES`] past it; otherwise, or through a light client,
	/// `None`: the finalized state's nonce is used.
	async fn pending_aware_nonce(
		&self,
		at: &OnlineClientAtBlock<PolkadotConfig>,
		signer: &Keypair,
	) -> Result<Option<u64>, ChainError> {
		let Some(node_rpc) = &self.node_rpc else { return Ok(None) };
		let account = signer.public_key().to_account_id();
		let finalized = at.transactions().account_nonce(&account).await.map_err(rpc)?;
		let methods =
			subxt::rpcs::LegacyRpcMethods::<subxt::config::RpcConfigFor<PolkadotConfig>>::new(node_rpc.clone());
		let next = methods.system_account_next_index(&account).await.map_err(rpc)?;
		if (finalized..=finalized + MAX_PENDING_NONCES).contains(&next) {
			Ok(Some(next))
		} else {
			tracing::warn!(finalized, next, "the node's next nonce is not believable; using the finalized one");
			Ok(None)
		}
	}

	/// The chain's genesis hash (what usage vouchers are bound to).
	pub fn genesis_hash(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}

	/// The number of the block reads are made at (the best block when the command's first read
	/// was made).
	pub async fn block_number(&self) -> Result<u32, ChainError> {
		let at = self.within(self.reads_at()).await?;
		Ok(u32::try_from(at.block_number()).unwrap_or(u32::MAX))
	}
}

/// Length of a view function query ID (pallet prefix and function suffix, 16 bytes each).
const QUERY_ID_LEN: usize = 32;

/// `frame_support::view_functions::ViewFunctionDispatchError`, as the runtime encodes it.
#[derive(Debug, Decode)]
enum ViewFunctionDispatchError {
	/// The runtime does not implement view functions.
	#[allow(dead_code)]
	NotImplemented,
	/// No view function has this query ID.
	#[allow(dead_code)]
	NotFound([u8; QUERY_ID_LEN]),
	/// The arguments could not be decoded.
	#[allow(dead_code)]
	Codec,
}

/// A pallet error becomes its name and documentation, so the user reads why in words.
fn explain_failure(error: TransactionFinalizedSuccessError) -> ChainError {
	if let TransactionFinalizedSuccessError::SuccessError(TransactionEventsError::ExtrinsicFailed(
		DispatchError::Module(module),
	)) = &error
		&& let Ok(details) = module.details()
	{
		return ChainError::Rejected {
			name: format!("{}::{}", details.pallet.name(), details.variant.name),
			docs: details.variant.docs.join(" ").trim().to_owned(),
		};
	}
	ChainError::Failed(error.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::verify::tests::{manifest_of, sample_dir};
	use zoo_primitives::{DigestAlgorithm, HashingSettings};

	#[test]
	fn plaintext_only_to_this_machine() {
		for url in
			["ws://127.0.0.1:9944", "ws://127.3.4.5:1", "ws://localhost:9944", "ws://LOCALHOST", "ws://[::1]:9944"]
		{
			assert!(check_node_url(url, false).is_ok(), "{url}");
		}
		for url in ["ws://10.1.2.3:9944", "ws://example.org", "ws://[2001:db8::1]:9944", "ws://localhost.evil.org"] {
			let err = check_node_url(url, false).unwrap_err();
			assert!(matches!(err, ChainError::Insecure { .. }), "{url}: {err}");
			assert!(err.to_string().contains("--insecure"), "{err}");
			assert!(check_node_url(url, true).is_ok(), "{url}");
		}
		assert!(check_node_url("wss://rpc.example.org/zoo", false).is_ok());
		for url in ["http://127.0.0.1:9944", "https://rpc.example.org", "127.0.0.1:9944", "ws://"] {
			assert!(matches!(check_node_url(url, true), Err(ChainError::BadUrl { .. })), "{url}");
		}
	}

	#[test]
	fn urls_are_shown_without_userinfo() {
		assert_eq!(redact_url("wss://alice:hunter2@rpc.example.org/zoo"), "wss://rpc.example.org/zoo");
		assert_eq!(redact_url("ws://127.0.0.1:9944"), "ws://127.0.0.1:9944");
		let err = check_node_url("ws://alice:hunter2@10.0.0.1:9944", false).unwrap_err().to_string();
		assert!(!err.contains("hunter2") && !err.contains("alice"), "{err}");
		assert!(!redact_url("not a url but:hunter2@x").contains("hunter2"));
	}

	#[test]
	fn a_fetched_manifest_must_hash_to_its_id_and_be_valid() {
		let dir = sample_dir();
		let sha = HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None };
		let manifest = manifest_of(dir.path(), sha);
		let id = manifest.id();
		check_fetched("ws://node", id, &manifest).unwrap();
		let mut other = manifest.clone();
		other.message = b"another".to_vec().try_into().unwrap();
		let err = check_fetched("ws://node", id, &other).unwrap_err();
		assert!(matches!(err, ChainError::ManifestMismatch { .. }), "{err}");
		assert!(err.to_string().contains("ws://node"), "{err}");
		// A manifest that hashes to its ID but breaks the rules (a shard size of 0 would hang
		// the hasher) is refused too.
		let mut broken = manifest.clone();
		broken.hashing.shard_size = Some(0);
		let err = check_fetched("ws://node", broken.id(), &broken).unwrap_err();
		assert!(matches!(err, ChainError::InvalidManifest { .. }), "{err}");
	}

	#[test]
	fn http_url_follows_the_websocket_url() {
		assert_eq!(http_url("ws://127.0.0.1:9944").as_deref(), Some("http://127.0.0.1:9944/"));
		assert_eq!(http_url("wss://rpc.example.org/zoo").as_deref(), Some("https://rpc.example.org/zoo"));
		assert_eq!(http_url("http://127.0.0.1:9944"), None);
		assert_eq!(http_url("not a url"), None);
	}
}
