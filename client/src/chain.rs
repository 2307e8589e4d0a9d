//! Reads and transactions against a Zoo node, through subxt.
//!
//! The chain's types are generated from `metadata/zoo.scale` (checked in; a runtime test fails
//! when it is stale). The manifest and version ID are substituted with the `zoo-primitives`
//! types the runtime itself uses, so the client encodes exactly the bytes the runtime hashes.

use codec::{Decode, Encode};
use jsonrpsee_core::{client::ClientT, rpc_params};
use jsonrpsee_http_client::{HttpClient, HttpClientBuilder};
use subxt::{
	OnlineClient, PolkadotConfig,
	client::OnlineClientAtBlock,
	error::{DispatchError, TransactionEventsError, TransactionFinalizedSuccessError},
	utils::{AccountId32, Static},
};
use subxt_signer::sr25519::Keypair;
use zoo_primitives::{Manifest, VersionId};

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
	)
)]
pub mod runtime {}

use runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec;

/// A connection to a node.
pub struct Chain {
	api: OnlineClient<PolkadotConfig>,
	/// The finalized block reads are made at: fetched on the first read and dropped after each
	/// transaction, so the reads of one command see one state, and cost one round trip each
	/// rather than three.
	reads_at: std::sync::Mutex<Option<OnlineClientAtBlock<PolkadotConfig>>>,
	/// The node's HTTP endpoint (same host and port), used for view function calls while it
	/// works: a node's WebSocket answers wait ~40 ms for a delayed ACK (its RPC server leaves
	/// Nagle's algorithm on), its HTTP answers do not. `None` once it has failed.
	http_reads: std::sync::Mutex<Option<HttpClient>>,
}

/// A model as stored on chain.
#[derive(Debug, Clone)]
pub struct ModelInfo {
	/// `org/name`.
	pub name: String,
	/// Owner account (SS58).
	pub owner: String,
	/// Deposit held from the owner.
	pub deposit: u128,
	/// Number of versions committed.
	pub version_count: u32,
	/// Maintainers: account (SS58) and role name.
	pub maintainers: Vec<(String, String)>,
}

/// A committed version: its manifest and the record beside it.
#[derive(Debug, Clone)]
pub struct VersionRecord {
	/// The content ID.
	pub id: VersionId,
	/// The manifest.
	pub manifest: Manifest,
	/// Who submitted it (SS58).
	pub committer: String,
	/// Block it was committed in.
	pub block: u32,
	/// Deposit held for it.
	pub deposit: u128,
	/// The yank reason, if the version was yanked.
	pub yanked: Option<String>,
}

/// A finalized transaction.
#[derive(Debug, Clone)]
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
	/// Connect to the node at `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Chain, ChainError> {
		let connect_error = |reason: String| ChainError::Connect { url: url.to_owned(), reason };
		let config = PolkadotConfig::builder().use_historic_types(false).build();
		// The user names the node explicitly; plain ws:// is normal for a local or LAN node.
		let api = OnlineClient::from_insecure_url_with_config(config, url)
			.await
			.map_err(|error| connect_error(error.to_string()))?;
		let http_reads = http_url(url).and_then(|http| HttpClientBuilder::default().build(&http).ok());
		Ok(Chain { api, reads_at: Default::default(), http_reads: std::sync::Mutex::new(http_reads) })
	}

	/// Make view function calls over `endpoint` (an `http(s)://` URL) instead of the HTTP URL
	/// derived from the WebSocket one, or only over the WebSocket (`None`). Reads fall back to
	/// the WebSocket for good when the HTTP endpoint fails.
	pub fn read_over_http(self, endpoint: Option<&str>) -> Result<Chain, ChainError> {
		let client = match endpoint {
			Some(endpoint) => Some(HttpClientBuilder::default().build(endpoint).map_err(rpc)?),
			None => None,
		};
		*self.http_reads.lock().map_err(rpc)? = client;
		Ok(self)
	}

	/// `RuntimeViewFunction_execute_view_function(input)` at `at`'s block over HTTP; `None` when
	/// HTTP is not available (then it is not tried again and the caller uses the WebSocket).
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

	/// The client at the block reads are made at (see [`Chain::reads_at`]'s field).
	async fn reads_at(&self) -> Result<OnlineClientAtBlock<PolkadotConfig>, ChainError> {
		if let Some(at) = self.reads_at.lock().map_err(rpc)?.clone() {
			return Ok(at);
		}
		let at = self.api.at_current_block().await.map_err(rpc)?;
		*self.reads_at.lock().map_err(rpc)? = Some(at.clone());
		Ok(at)
	}

	/// A model by name; `None` if it does not exist.
	pub async fn model(&self, name: &str) -> Result<Option<ModelInfo>, ChainError> {
		let calls = runtime::view_functions().model_registry();
		let Some(details) = self.view(calls.model(bounded(name.as_bytes()))).await? else {
			return Ok(None);
		};
		let maintainers = self.view(calls.maintainers(bounded(name.as_bytes()))).await?;
		Ok(Some(ModelInfo {
			name: name.to_owned(),
			owner: ss58(&details.owner),
			deposit: details.deposit,
			version_count: details.version_count,
			maintainers: maintainers.iter().map(|(who, role)| (ss58(who), role_name(role).to_owned())).collect(),
		}))
	}

	/// A version by ID; `None` if it does not exist.
	pub async fn version(&self, id: VersionId) -> Result<Option<VersionRecord>, ChainError> {
		let call = runtime::view_functions().model_registry().version(Static(id));
		let Some((record, manifest)) = self.view(call).await? else {
			return Ok(None);
		};
		Ok(Some(VersionRecord {
			id,
			manifest: manifest.0,
			committer: ss58(&record.committer),
			block: record.block,
			deposit: record.deposit,
			yanked: record.yanked.map(|yank| String::from_utf8_lossy(&yank.reason.0).into_owned()),
		}))
	}

	/// IDs of a model's versions, newest first, skipping `start` and returning at most `limit`.
	pub async fn versions(&self, model: &str, start: u32, limit: u32) -> Result<Vec<VersionId>, ChainError> {
		let call = runtime::view_functions().model_registry().versions(bounded(model.as_bytes()), start, limit);
		let ids = self.view(call).await?;
		Ok(ids.into_iter().map(|id| id.0).collect())
	}

	/// Create a model owned by `signer`; returns once the block is finalized.
	pub async fn create_model(&self, signer: &Keypair, name: &str) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().model_registry().create_model(bounded(name.as_bytes()));
		self.submit(signer, &call).await
	}

	/// Commit a version; returns once the block is finalized.
	pub async fn commit(&self, signer: &Keypair, manifest: &Manifest) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().model_registry().commit_version(Static(manifest.clone()));
		self.submit(signer, &call).await
	}

	/// Commit several versions in one transaction (`Utility::batch_all`: all or none), in order,
	/// so a version may name an earlier one of the batch as its parent. Returns once the block
	/// is finalized. Mind the block's weight: about a thousand small commits fit.
	pub async fn commit_batch(&self, signer: &Keypair, manifests: &[Manifest]) -> Result<Submitted, ChainError> {
		use runtime::runtime_types::{pallet_model_registry::pallet::Call, zoo_runtime::RuntimeCall};
		let calls = manifests
			.iter()
			.map(|manifest| RuntimeCall::ModelRegistry(Call::commit_version { manifest: Static(manifest.clone()) }))
			.collect();
		self.submit(signer, &runtime::transactions().utility().batch_all(calls)).await
	}

	/// Yank version `id` with `reason`; returns once the block is finalized.
	pub async fn yank(&self, signer: &Keypair, id: VersionId, reason: &str) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().model_registry().yank_version(Static(id), bounded(reason.as_bytes()));
		self.submit(signer, &call).await
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
		Self::view_input(&self.reads_at().await?, payload)
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
		let at = self.api.at_current_block().await.map_err(rpc)?;
		// A call this client was generated for but the node's runtime no longer has (or has
		// with other types) is reported as such, not as a failed transaction.
		at.transactions().validate(call).map_err(|error| ChainError::Incompatible(error.to_string()))?;
		let progress = at
			.transactions()
			.sign_and_submit_then_watch_default(call, signer)
			.await
			.map_err(|error| ChainError::Failed(error.to_string()))?;
		let in_block = progress
			.wait_for_finalized()
			.await
			.map_err(|error| explain_failure(TransactionFinalizedSuccessError::FinalizationError(error)))?;
		let block_hash = in_block.block_hash();
		in_block
			.wait_for_success()
			.await
			.map_err(|error| explain_failure(TransactionFinalizedSuccessError::SuccessError(error)))?;
		// Later reads must see this transaction.
		*self.reads_at.lock().map_err(rpc)? = None;
		let block = self.api.at_block(block_hash).await.map_err(rpc)?;
		Ok(Submitted {
			block_number: u32::try_from(block.block_number()).unwrap_or(u32::MAX),
			block_hash: format!("{block_hash:?}"),
		})
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
	{
		if let Ok(details) = module.details() {
			return ChainError::Rejected {
				name: format!("{}::{}", details.pallet.name(), details.variant.name),
				docs: details.variant.docs.join(" ").trim().to_owned(),
			};
		}
	}
	ChainError::Failed(error.to_string())
}

fn role_name(role: &runtime::runtime_types::pallet_model_registry::types::Role) -> &'static str {
	crate::lineage::Role::from_chain(role).as_str()
}

#[cfg(test)]
mod tests {
	use super::http_url;

	#[test]
	fn http_url_follows_the_websocket_url() {
		assert_eq!(http_url("ws://127.0.0.1:9944").as_deref(), Some("http://127.0.0.1:9944/"));
		assert_eq!(http_url("wss://rpc.example.org/zoo").as_deref(), Some("https://rpc.example.org/zoo"));
		assert_eq!(http_url("http://127.0.0.1:9944"), None);
		assert_eq!(http_url("not a url"), None);
	}
}
