//! Following the chain: the finalized events of the Zoo pallets, one record per event, in
//! order, each exactly once, across lost connections and node restarts.
//!
//! [`watch`] subscribes to finalized blocks and reads every block by number (the node's
//! `chain_getBlockHash`) from where it is up to the newest finalized one, so a notification
//! the subscription skips, or blocks finalized while the connection was down, are never
//! missed. When the connection is lost it reconnects (backing off from 250 ms to 5 s, each
//! attempt within the connection's timeout) until the node is back, and resumes after the
//! last block it handed over. A block's events are all read before any is handed over, so a
//! block is never half printed. After a reconnect the last block handed over must still have
//! the same hash: finalized blocks never change, so a node that says otherwise lost them (a
//! wiped or rolled back database) and the watch stops rather than print a second history.
//!
//! Each event becomes a [`WatchedEvent`]; its fields are decoded from the runtime's metadata
//! by one set of rules (see [`WatchedEvent::fields`]), so the schema is stable and the same
//! for every event.

use super::{Chain, ChainError, ConnectOptions, check_node_url, redact_url, rpc};
use codec::{Compact, Decode};
use scale_info::{PortableRegistry, TypeDef, TypeDefPrimitive, form::PortableForm};
use serde::Serialize;
use serde_json::{Map, Value};
use std::{collections::HashMap, time::Duration};
use subxt::utils::AccountId32;
use subxt::{PolkadotConfig, client::OnlineClientAtBlock};
use zoo_primitives::{MetricValue, VersionId};

/// The pallets whose events are followed; the others' (System, Balances, fees...) are skipped.
pub const WATCHED_PALLETS: [&str; 6] = ["ModelRegistry", "Lineage", "Licensing", "Attestations", "Curation", "Council"];

/// Fields naming a model directly (`--model` matches them).
const MODEL_FIELDS: [&str; 3] = ["model", "base", "derived"];

/// First and longest wait between reconnection attempts.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(250), Duration::from_secs(5));

/// One event of a finalized block. In JSON, one line:
/// `{"block_number", "block_hash", "event_index", "pallet", "event", "fields"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchedEvent {
	/// The block's number.
	pub block_number: u32,
	/// The block's hash, `0x` and 64 hex digits.
	pub block_hash: String,
	/// The event's index among the block's events (all pallets counted).
	pub event_index: u32,
	/// The pallet, as the runtime names it (`ModelRegistry`, `Lineage`, `Licensing`,
	/// `Attestations`).
	pub pallet: String,
	/// The event, as the runtime names it (`VersionCommitted`, `RefMoved`, ...).
	pub event: String,
	/// The event's fields by name, decoded by these rules: version IDs as CID text; accounts
	/// as SS58; metric values as exact decimal text; byte strings (names, reasons, URIs) as
	/// UTF-8 text; fixed byte arrays (datasets, hashes) as hex; integers up to 32 bits as
	/// numbers and wider ones (amounts, IDs) as decimal strings; `Option` as the value or
	/// `null`; an enum variant without fields as its name, one with fields as
	/// `{"Variant": fields}`; lists as arrays.
	pub fields: Value,
	/// The version IDs among the fields (for `--model`).
	#[serde(skip)]
	pub versions: Vec<VersionId>,
}

impl WatchedEvent {
	/// The models the event names directly (`model`, `base`, `derived` fields).
	pub fn models(&self) -> Vec<&str> {
		MODEL_FIELDS.iter().filter_map(|field| self.fields.get(*field).and_then(Value::as_str)).collect()
	}
}

/// What to follow.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
	/// Start at this block (replaying finalized history); `None`: at the next block finalized.
	pub from_block: Option<u32>,
	/// Stop after this block.
	pub until_block: Option<u32>,
	/// Only events about these models: naming one (`model`, `base`, `derived`), or naming a
	/// version of one. Empty: every model (and events about none, such as licence terms).
	pub models: Vec<String>,
	/// Only these events, by name (`RefMoved`) or as `Pallet.Event`. Empty: every event.
	pub events: Vec<String>,
}

impl WatchOptions {
	fn wants_event(&self, pallet: &str, event: &str) -> bool {
		self.events.is_empty()
			|| self.events.iter().any(|wanted| {
				wanted == event
					|| wanted
						.split_once(['.', ':'])
						.is_some_and(|(p, e)| p == pallet && e.trim_start_matches(':') == event)
			})
	}
}

/// Why following stopped for now.
enum Stop {
	/// The connection is gone or misbehaved: reconnect.
	Lost(ChainError),
	/// Nothing to retry: the caller's output failed, the node's history changed, or the node
	/// runs a runtime this client cannot read.
	Fatal(ChainError),
}

impl From<ChainError> for Stop {
	fn from(error: ChainError) -> Self {
		match error {
			error @ (ChainError::Incompatible(_) | ChainError::BadUrl { .. } | ChainError::Insecure { .. }) => {
				Stop::Fatal(error)
			}
			error => Stop::Lost(error),
		}
	}
}

/// Where the watch is: survives reconnections.
struct Cursor {
	/// The next block to read (`None` until the first connection says where the chain is).
	next: Option<u32>,
	/// The last block handed over, and its hash.
	last: Option<(u32, [u8; 32])>,
	/// Models of versions seen or looked up.
	models: HashMap<VersionId, String>,
}

/// Follow the finalized events of [`WATCHED_PALLETS`] on the node at `url`, handing each one
/// that passes `options`' filters to `emit`, in chain order, each once, until
/// `options.until_block` has been read (forever without it). Reconnects whenever the
/// connection is lost; `emit` failing (a closed stdout) ends the watch with its error.
pub async fn watch(
	url: &str,
	connect: ConnectOptions,
	options: &WatchOptions,
	emit: impl FnMut(&WatchedEvent) -> std::io::Result<()>,
) -> Result<(), ChainError> {
	check_node_url(url, connect.insecure)?;
	watch_through(&redact_url(url), || Chain::connect_with(url, connect), options, emit).await
}

/// [`watch`] through the chains `connect` opens, say an embedded light client
/// ([`Chain::connect_light`]) whose every block and event is proven: `connect` is called again
/// whenever the chain is lost. `shown` names the chain in warnings.
pub async fn watch_through<Connected>(
	shown: &str,
	mut connect: impl FnMut() -> Connected,
	options: &WatchOptions,
	mut emit: impl FnMut(&WatchedEvent) -> std::io::Result<()>,
) -> Result<(), ChainError>
where
	Connected: Future<Output = Result<Chain, ChainError>>,
{
	let mut cursor = Cursor { next: options.from_block, last: None, models: HashMap::new() };
	let mut backoff = BACKOFF.0;
	let mut down_since: Option<std::time::Instant> = None;
	loop {
		let chain = match connect().await {
			Ok(chain) => chain,
			Err(error @ (ChainError::BadUrl { .. } | ChainError::Insecure { .. } | ChainError::ChainSpec(_))) => {
				return Err(error);
			}
			Err(error) => {
				if down_since.is_none() {
					tracing::warn!("cannot reach {shown} ({error}); retrying until it is back");
					down_since = Some(std::time::Instant::now());
				}
				tokio::time::sleep(backoff).await;
				backoff = (backoff * 2).min(BACKOFF.1);
				continue;
			}
		};
		if let Some(since) = down_since.take() {
			tracing::warn!(
				"reconnected to {shown} after {:.1} s; resuming at block {}",
				since.elapsed().as_secs_f64(),
				cursor.next.map_or("(the next finalized)".to_owned(), |n| n.to_string())
			);
		}
		backoff = BACKOFF.0;
		match follow(&chain, &mut cursor, options, &mut emit).await {
			Ok(()) => return Ok(()),
			Err(Stop::Fatal(error)) => return Err(error),
			Err(Stop::Lost(error)) => {
				tracing::warn!("lost {shown} ({error}); reconnecting");
				down_since = Some(std::time::Instant::now());
			}
		}
	}
}

/// One connection's worth of following.
async fn follow(
	chain: &Chain,
	cursor: &mut Cursor,
	options: &WatchOptions,
	emit: &mut impl FnMut(&WatchedEvent) -> std::io::Result<()>,
) -> Result<(), Stop> {
	// Subscribe before reading the head, so no block finalized in between goes unnoticed.
	let mut blocks = chain.within(async { chain.api.stream_blocks().await.map_err(rpc) }).await?;
	let head = chain.finalized_number().await?;
	let next = *cursor.next.get_or_insert(head.saturating_add(1));
	if let Some((number, hash)) = cursor.last {
		let now = chain.block_hash(number).await?;
		if now != hash {
			return Err(Stop::Fatal(ChainError::Query(format!(
				"finalized block {number} changed from 0x{} to 0x{} while the node was away: it lost finalized \
				 blocks, so what was printed after it cannot be matched; stopping",
				hex::encode(hash),
				hex::encode(now)
			))));
		}
	}
	tracing::debug!(next, head, "following");
	catch_up(chain, cursor, options, head, emit).await?;
	loop {
		if options.until_block.is_some_and(|until| cursor.next.is_some_and(|next| next > until)) {
			return Ok(());
		}
		let block = match futures_next(&mut blocks).await {
			None => return Err(Stop::Lost(ChainError::Rpc("the finalized block subscription ended".into()))),
			Some(Err(error)) => return Err(Stop::Lost(rpc(error))),
			Some(Ok(block)) => block,
		};
		let number = u32::try_from(block.number()).unwrap_or(u32::MAX);
		catch_up(chain, cursor, options, number, emit).await?;
	}
}

async fn futures_next<S: subxt::ext::futures::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
	subxt::ext::futures::StreamExt::next(stream).await
}

/// Read and hand over every block from the cursor up to `head` (and `until_block`).
async fn catch_up(
	chain: &Chain,
	cursor: &mut Cursor,
	options: &WatchOptions,
	head: u32,
	emit: &mut impl FnMut(&WatchedEvent) -> std::io::Result<()>,
) -> Result<(), Stop> {
	let last = options.until_block.map_or(head, |until| until.min(head));
	while let Some(number) = cursor.next.filter(|next| *next <= last) {
		let (hash, events) = chain.block_events(number).await?;
		let mut wanted = Vec::with_capacity(events.len());
		for event in events {
			if event.pallet == "ModelRegistry"
				&& event.event == "VersionCommitted"
				&& let (Some(model), Some(id)) = (event.fields["model"].as_str(), event.versions.first())
			{
				cursor.models.insert(*id, model.to_owned());
			}
			if !options.wants_event(&event.pallet, &event.event) {
				continue;
			}
			if !options.models.is_empty() && !about_models(chain, cursor, &options.models, &event).await? {
				continue;
			}
			wanted.push(event);
		}
		for event in &wanted {
			emit(event).map_err(|error| Stop::Fatal(ChainError::Failed(format!("cannot write an event: {error}"))))?;
		}
		cursor.last = Some((number, hash));
		cursor.next = Some(number + 1);
	}
	Ok(())
}

/// Whether `event` is about one of `models`: names one, or names a version of one.
async fn about_models(
	chain: &Chain,
	cursor: &mut Cursor,
	models: &[String],
	event: &WatchedEvent,
) -> Result<bool, Stop> {
	if event.models().iter().any(|named| models.iter().any(|m| m == named)) {
		return Ok(true);
	}
	for id in &event.versions {
		let model = match cursor.models.get(id) {
			Some(model) => model.clone(),
			None => {
				// Read at the newest block: the version may be newer than earlier reads.
				*chain.reads_at.lock().map_err(rpc)? = None;
				let Some(node) = chain.node(*id).await? else { continue };
				cursor.models.insert(*id, node.model.clone());
				node.model
			}
		};
		if models.contains(&model) {
			return Ok(true);
		}
	}
	Ok(false)
}

impl Chain {
	/// The number of the newest finalized block.
	pub async fn finalized_number(&self) -> Result<u32, ChainError> {
		let at = self.within(async { self.api.at_current_block().await.map_err(rpc) }).await?;
		Ok(u32::try_from(at.block_number()).unwrap_or(u32::MAX))
	}

	/// The hash of block `number` of the node's chain (`chain_getBlockHash`).
	async fn block_hash(&self, number: u32) -> Result<[u8; 32], ChainError> {
		Ok(self.finalized_block(number).await?.block_hash().0)
	}

	/// Finalized block `number`. A node says which block has a number (`chain_getBlockHash`); a
	/// light client cannot (smoldot answers `null`: it could not verify a peer's word for it),
	/// so through one the block is found by walking parent hashes back from the newest
	/// finalized block, each header proven by its hash.
	async fn finalized_block(&self, number: u32) -> Result<OnlineClientAtBlock<PolkadotConfig>, ChainError> {
		if !self.is_light() {
			return self.within(async { self.api.at_block(number).await.map_err(rpc) }).await;
		}
		let mut at = self.within(async { self.api.at_current_block().await.map_err(rpc) }).await?;
		if at.block_number() < u64::from(number) {
			return Err(ChainError::Query(format!(
				"block {number} is not finalized yet (the light client's newest finalized block is {})",
				at.block_number()
			)));
		}
		while at.block_number() > u64::from(number) {
			let header = self.within(async { at.block_header().await.map_err(rpc) }).await?;
			let parent = (header.parent_hash, at.block_number() - 1);
			at =
				self.within(async { self.api.at_block_hash_and_number(parent.0, parent.1).await.map_err(rpc) }).await?;
		}
		Ok(at)
	}

	/// Block `number`'s hash and the events of [`WATCHED_PALLETS`] in it, in order. Ask only
	/// for finalized blocks: a number above the finalized head names whatever block the node
	/// has there now.
	pub async fn block_events(&self, number: u32) -> Result<([u8; 32], Vec<WatchedEvent>), ChainError> {
		let at = self.finalized_block(number).await?;
		let events = self.within(async { at.events().fetch().await.map_err(rpc) }).await?;
		let hash = at.block_hash().0;
		let block_hash = format!("0x{}", hex::encode(hash));
		let metadata = at.metadata_ref();
		let mut watched = Vec::new();
		for event in events.iter() {
			let event = event.map_err(|error| rpc(format!("undecodable event in block {number}: {error}")))?;
			if !WATCHED_PALLETS.contains(&event.pallet_name()) {
				continue;
			}
			let variant = metadata
				.pallet_by_name(event.pallet_name())
				.and_then(|pallet| pallet.event_variant_by_index(event.event_index()))
				.ok_or_else(|| ChainError::Incompatible(format!("no event {}", event.event_name())))?;
			let mut decoder = Decoder { types: metadata.types(), versions: Vec::new() };
			let input = &mut event.field_bytes();
			let fields = decoder
				.fields(&variant.fields, input)
				.map_err(|error| rpc(format!("undecodable {}.{}: {error}", event.pallet_name(), event.event_name())))?;
			watched.push(WatchedEvent {
				block_number: number,
				block_hash: block_hash.clone(),
				event_index: event.index(),
				pallet: event.pallet_name().to_owned(),
				event: event.event_name().to_owned(),
				fields,
				versions: decoder.versions,
			});
		}
		Ok((hash, watched))
	}
}

/// SCALE to JSON by the type registry, with the rules [`WatchedEvent::fields`] lists.
struct Decoder<'a> {
	types: &'a PortableRegistry,
	/// Version IDs met on the way.
	versions: Vec<VersionId>,
}

type DecodeResult = Result<Value, String>;

fn codec_error(error: codec::Error) -> String {
	error.to_string()
}

impl Decoder<'_> {
	/// Fields: named ones as an object, one unnamed as its value, several as an array.
	fn fields(&mut self, fields: &[scale_info::Field<PortableForm>], input: &mut &[u8]) -> DecodeResult {
		if fields.iter().all(|field| field.name.is_some()) {
			let mut object = Map::new();
			for field in fields {
				let value = self.value(field.ty.id, input)?;
				object.insert(field.name.clone().unwrap_or_default(), value);
			}
			return Ok(Value::Object(object));
		}
		if let [field] = fields {
			return self.value(field.ty.id, input);
		}
		fields.iter().map(|field| self.value(field.ty.id, input)).collect::<Result<Vec<_>, _>>().map(Value::Array)
	}

	fn is_u8(&self, id: u32) -> bool {
		self.types.resolve(id).is_some_and(|ty| matches!(ty.type_def, TypeDef::Primitive(TypeDefPrimitive::U8)))
	}

	fn value(&mut self, id: u32, input: &mut &[u8]) -> DecodeResult {
		let ty = self.types.resolve(id).ok_or_else(|| format!("unknown type {id}"))?;
		let path: Vec<&str> = ty.path.segments.iter().map(String::as_str).collect();
		match path.as_slice() {
			["zoo_primitives", .., "VersionId"] => {
				let id = VersionId(<[u8; 32]>::decode(input).map_err(codec_error)?);
				self.versions.push(id);
				return Ok(Value::String(id.to_cid_string()));
			}
			[.., "AccountId32"] => {
				let account = AccountId32(<[u8; 32]>::decode(input).map_err(codec_error)?);
				return Ok(Value::String(account.to_string()));
			}
			["zoo_primitives", .., "MetricValue"] => {
				let value = MetricValue(i128::decode(input).map_err(codec_error)?);
				return Ok(Value::String(value.to_string()));
			}
			_ => {}
		}
		match &ty.type_def {
			TypeDef::Composite(composite) => self.fields(&composite.fields, input),
			TypeDef::Variant(variants) => {
				let index = u8::decode(input).map_err(codec_error)?;
				let variant = variants
					.variants
					.iter()
					.find(|variant| variant.index == index)
					.ok_or_else(|| format!("no variant {index} of {}", path.join("::")))?;
				if path == ["Option"] {
					return match variant.fields.first() {
						None => Ok(Value::Null),
						Some(field) => self.value(field.ty.id, input),
					};
				}
				if variant.fields.is_empty() {
					return Ok(Value::String(variant.name.clone()));
				}
				let fields = self.fields(&variant.fields, input)?;
				Ok(Value::Object(Map::from_iter([(variant.name.clone(), fields)])))
			}
			TypeDef::Sequence(sequence) => {
				let length = Compact::<u32>::decode(input).map_err(codec_error)?.0 as usize;
				if self.is_u8(sequence.type_param.id) {
					if input.len() < length {
						return Err("byte string longer than the input".into());
					}
					let (bytes, rest) = input.split_at(length);
					*input = rest;
					return Ok(Value::String(String::from_utf8_lossy(bytes).into_owned()));
				}
				if length > input.len() {
					return Err("sequence longer than the input".into());
				}
				(0..length)
					.map(|_| self.value(sequence.type_param.id, input))
					.collect::<Result<Vec<_>, _>>()
					.map(Value::Array)
			}
			TypeDef::Array(array) => {
				let length = array.len as usize;
				if self.is_u8(array.type_param.id) {
					if input.len() < length {
						return Err("byte array longer than the input".into());
					}
					let (bytes, rest) = input.split_at(length);
					*input = rest;
					return Ok(Value::String(hex::encode(bytes)));
				}
				(0..length)
					.map(|_| self.value(array.type_param.id, input))
					.collect::<Result<Vec<_>, _>>()
					.map(Value::Array)
			}
			TypeDef::Tuple(tuple) if tuple.fields.is_empty() => Ok(Value::Null),
			TypeDef::Tuple(tuple) => tuple
				.fields
				.iter()
				.map(|field| self.value(field.id, input))
				.collect::<Result<Vec<_>, _>>()
				.map(Value::Array),
			TypeDef::Primitive(primitive) => primitive_value(primitive, input),
			TypeDef::Compact(compact) => {
				let value = Compact::<u128>::decode(input).map_err(codec_error)?.0;
				let wide = self.types.resolve(compact.type_param.id).is_some_and(|inner| {
					matches!(inner.type_def, TypeDef::Primitive(TypeDefPrimitive::U64 | TypeDefPrimitive::U128))
				});
				Ok(if wide { Value::String(value.to_string()) } else { Value::from(value as u64) })
			}
			TypeDef::BitSequence(_) => Err("bit sequences are not supported".into()),
		}
	}
}

fn primitive_value(primitive: &TypeDefPrimitive, input: &mut &[u8]) -> DecodeResult {
	fn d<T: Decode>(input: &mut &[u8]) -> Result<T, String> {
		T::decode(input).map_err(codec_error)
	}
	Ok(match primitive {
		TypeDefPrimitive::Bool => Value::Bool(d::<bool>(input)?),
		TypeDefPrimitive::Char => Value::String(char::from_u32(d::<u32>(input)?).unwrap_or('\u{fffd}').to_string()),
		TypeDefPrimitive::Str => Value::String(d::<String>(input)?),
		TypeDefPrimitive::U8 => Value::from(d::<u8>(input)?),
		TypeDefPrimitive::U16 => Value::from(d::<u16>(input)?),
		TypeDefPrimitive::U32 => Value::from(d::<u32>(input)?),
		TypeDefPrimitive::I8 => Value::from(d::<i8>(input)?),
		TypeDefPrimitive::I16 => Value::from(d::<i16>(input)?),
		TypeDefPrimitive::I32 => Value::from(d::<i32>(input)?),
		TypeDefPrimitive::U64 => Value::String(d::<u64>(input)?.to_string()),
		TypeDefPrimitive::U128 => Value::String(d::<u128>(input)?.to_string()),
		TypeDefPrimitive::I64 => Value::String(d::<i64>(input)?.to_string()),
		TypeDefPrimitive::I128 => Value::String(d::<i128>(input)?.to_string()),
		TypeDefPrimitive::U256 | TypeDefPrimitive::I256 => Value::String(hex::encode(d::<[u8; 32]>(input)?)),
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use scale_info::{MetaType, Registry, TypeInfo};

	#[derive(Encode, TypeInfo)]
	enum Kind {
		Use,
		Both { count: u32 },
	}

	#[derive(Encode, TypeInfo)]
	struct Sample {
		id: zoo_primitives::VersionId,
		who: sp_account::AccountId32,
		amount: u128,
		count: u32,
		name: Vec<u8>,
		hash: [u8; 4],
		maybe: Option<u64>,
		none: Option<u8>,
		kind: Kind,
		kinds: Vec<Kind>,
		value: MetricValue,
	}

	/// A stand-in with the runtime's path for accounts.
	mod sp_account {
		#[derive(codec::Encode, scale_info::TypeInfo)]
		pub(super) struct AccountId32(pub(super) [u8; 32]);
	}

	#[test]
	fn fields_decode_by_the_documented_rules() {
		let mut registry = Registry::new();
		let id = registry.register_type(&MetaType::new::<Sample>()).id;
		let types: PortableRegistry = registry.into();
		let version = VersionId::of_bytes(b"v");
		let sample = Sample {
			id: version,
			who: sp_account::AccountId32([1; 32]),
			amount: u128::MAX,
			count: 7,
			name: b"acme/tiny".to_vec(),
			hash: [0xde, 0xad, 0xbe, 0xef],
			maybe: Some(5),
			none: None,
			kind: Kind::Use,
			kinds: vec![Kind::Both { count: 2 }],
			value: MetricValue::parse("0.875").unwrap(),
		};
		let bytes = sample.encode();
		let mut decoder = Decoder { types: &types, versions: Vec::new() };
		let value = decoder.value(id, &mut &bytes[..]).unwrap();
		assert_eq!(
			value,
			serde_json::json!({
				"id": version.to_cid_string(),
				"who": AccountId32([1; 32]).to_string(),
				"amount": u128::MAX.to_string(),
				"count": 7,
				"name": "acme/tiny",
				"hash": "deadbeef",
				"maybe": "5",
				"none": null,
				"kind": "Use",
				"kinds": [{"Both": {"count": 2}}],
				"value": "0.875",
			})
		);
		assert_eq!(decoder.versions, vec![version]);
	}

	#[test]
	fn event_filters_take_names_or_pallet_names() {
		let options = WatchOptions {
			events: vec!["RefMoved".into(), "ModelRegistry.VersionCommitted".into()],
			..Default::default()
		};
		assert!(options.wants_event("Lineage", "RefMoved"));
		assert!(options.wants_event("ModelRegistry", "VersionCommitted"));
		assert!(!options.wants_event("Lineage", "VersionCommitted"));
		assert!(!options.wants_event("Lineage", "RefCreated"));
		assert!(WatchOptions::default().wants_event("Licensing", "Claimed"));
	}
}
