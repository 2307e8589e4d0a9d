//! The real runtime, block by block: genesis from the development preset, block
//! initialisation (an Aura pre-digest and the timestamp inherent, as a block author makes
//! them), signed calls applied through the runtime's transaction extensions (nonce, weight,
//! fees), root and council calls dispatched with their origins, finalisation, and the
//! invariants checked after every block.

use codec::Encode;
use frame_support::{
	dispatch::GetDispatchInfo,
	storage::{TransactionOutcome, with_transaction},
	traits::{GetCallMetadata, TryState, TryStateSelect},
};
use sp_core::{Pair, sr25519};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	BuildStorage, Digest, DigestItem, DispatchError, Storage,
	generic::{CheckedExtrinsic, Era, ExtrinsicFormat},
	traits::{Applyable, Dispatchable, Header as _},
};
use std::collections::BTreeMap;
use zoo_runtime::{
	AccountId, AllPalletsWithSystem, Balance, BlockNumber, Executive, Hash, Header, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeGenesisConfig, RuntimeOrigin, SLOT_DURATION, TxExtension, UNIT, UncheckedExtrinsic,
};

/// Curation eras and the unbonding period, shortened (as a development chain does through
/// sudo) so that a sequence of a few dozen blocks crosses eras and unbonds.
pub const ERA_LENGTH: BlockNumber = 3;
pub const UNBONDING_PERIOD: BlockNumber = 5;
/// Blocks a dispute stays open before anyone may close it as lapsed: within a sequence's 30.
pub const DISPUTE_TIMEOUT: BlockNumber = 8;

/// Who sends a call.
#[derive(Clone, Debug)]
pub enum Origin {
	/// A signed transaction: nonce, weight and fee checked and charged.
	Signed(AccountId),
	/// Root (what sudo dispatches).
	Root,
	/// The council: `Members(yes, of)`.
	Council(u32, u32),
}

/// One call of a sequence.
#[derive(Clone)]
pub struct Action {
	pub origin: Origin,
	pub call: RuntimeCall,
}

impl Action {
	pub fn pallet_and_call(&self) -> (&'static str, &'static str) {
		let metadata = self.call.get_call_metadata();
		(metadata.pallet_name, metadata.function_name)
	}

	/// A one-line description, cut to `limit` characters (huge manifests stay readable).
	pub fn describe(&self, accounts: &Accounts, limit: usize) -> String {
		let origin = match &self.origin {
			Origin::Signed(who) => accounts.name(who),
			Origin::Root => "root".into(),
			Origin::Council(yes, of) => format!("council({yes}/{of})"),
		};
		let mut call = readable(&format!("{:?}", self.call));
		for (who, name) in &accounts.names {
			call = call.replace(&format!("{who:?}"), name);
		}
		if call.len() > limit {
			let mut cut = limit;
			while !call.is_char_boundary(cut) {
				cut -= 1;
			}
			call.truncate(cut);
			call.push_str(&format!("... ({} bytes encoded)", self.call.encoded_size()));
		}
		format!("{origin}: {call}")
	}
}

/// `Debug` output with byte strings (`BoundedVec([97, 99, ...], 64)`) shown as text when
/// they are printable ASCII.
fn readable(debug: &str) -> String {
	const OPEN: &str = "BoundedVec([";
	let mut out = String::with_capacity(debug.len());
	let mut rest = debug;
	while let Some(at) = rest.find(OPEN) {
		out.push_str(&rest[..at]);
		let after = &rest[at + OPEN.len()..];
		let text = after.find(']').and_then(|end| {
			let inner = &after[..end];
			let bytes: Option<Vec<u8>> = inner.split(", ").map(|n| n.parse::<u8>().ok()).collect();
			let bytes = bytes.filter(|b| b.iter().all(|c| (0x20..0x7f).contains(c)))?;
			// Skip the bound: `], 64)`.
			let tail = &after[end..];
			let close = tail.find(')')?;
			Some((String::from_utf8(bytes).ok()?, end + close + 1))
		});
		match text {
			Some((text, used)) => {
				out.push_str(&format!("{text:?}"));
				rest = &after[used..];
			}
			None => {
				out.push_str(OPEN);
				rest = after;
			}
		}
	}
	out.push_str(rest);
	out
}

/// What became of a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// Dispatched and succeeded.
	Ok,
	/// Dispatched and failed (its changes rolled back; a signed one still paid its fee).
	Failed(String),
	/// Refused before dispatch (nonce, fee, weight): not in the block at all.
	Invalid(String),
}

/// The accounts of a run: the funded development accounts, generated accounts with
/// assorted balances (some too poor for a deposit), and a few that hold nothing.
pub struct Accounts {
	pub funded: Vec<AccountId>,
	pub unfunded: Vec<AccountId>,
	pub pairs: BTreeMap<AccountId, sr25519::Pair>,
	pub names: BTreeMap<AccountId, String>,
	pub endowments: Vec<(AccountId, Balance)>,
}

impl Accounts {
	pub fn new() -> Self {
		let mut accounts = Accounts {
			funded: Vec::new(),
			unfunded: Vec::new(),
			pairs: BTreeMap::new(),
			names: BTreeMap::new(),
			endowments: Vec::new(),
		};
		for key in Sr25519Keyring::iter().filter(|k| *k != Sr25519Keyring::One && *k != Sr25519Keyring::Two) {
			let who = key.to_account_id();
			accounts.pairs.insert(who.clone(), key.pair());
			accounts.names.insert(who.clone(), format!("{key:?}"));
			accounts.funded.push(who);
		}
		// Generated accounts: from barely able to pay a fee to rich.
		let balances = [UNIT / 2, 5 * UNIT, 50 * UNIT, 120 * UNIT, 1_000 * UNIT, 20_000 * UNIT, 1_000_000 * UNIT];
		for i in 0..14u8 {
			let pair = sr25519::Pair::from_seed(&[i + 1; 32]);
			let who: AccountId = pair.public().into();
			accounts.pairs.insert(who.clone(), pair);
			if i < 11 {
				accounts.names.insert(who.clone(), format!("user{i}"));
				accounts.endowments.push((who.clone(), balances[i as usize % balances.len()]));
				accounts.funded.push(who);
			} else {
				accounts.names.insert(who.clone(), format!("empty{i}"));
				accounts.unfunded.push(who);
			}
		}
		accounts
	}

	pub fn name(&self, who: &AccountId) -> String {
		self.names.get(who).cloned().unwrap_or_else(|| format!("{who}"))
	}
}

/// The genesis state: the runtime's `development` preset, plus the generated accounts'
/// endowments, and Bob and Charlie validating beside Alice (so that the council can remove a
/// validator without going below the minimum of two).
pub fn genesis(accounts: &Accounts) -> Storage {
	use zoo_runtime::genesis_config_presets;
	let config = genesis_config_presets::with_defaults(genesis_config_presets::development());
	let mut config: RuntimeGenesisConfig = serde_json::from_value(config).expect("the development preset is valid");
	config.balances.balances.extend(accounts.endowments.iter().cloned());
	for (account, grandpa) in [
		(Sr25519Keyring::Bob, sp_keyring::Ed25519Keyring::Bob),
		(Sr25519Keyring::Charlie, sp_keyring::Ed25519Keyring::Charlie),
	] {
		let keys = zoo_runtime::opaque::SessionKeys { aura: account.public().into(), grandpa: grandpa.public().into() };
		config.session.keys.push((account.to_account_id(), account.to_account_id(), keys));
	}
	config.build_storage().expect("the development genesis builds")
}

/// Sets the shortened curation periods and dispute timeout; called once at the start of a
/// sequence.
pub fn shorten_periods() {
	zoo_runtime::configs::EraLength::set(&ERA_LENGTH);
	zoo_runtime::configs::UnbondingPeriod::set(&UNBONDING_PERIOD);
	zoo_runtime::configs::DisputeTimeout::set(&DISPUTE_TIMEOUT);
}

/// Starts block `number` on `parent`: an Aura pre-digest for slot `number`, `initialize_block`
/// and the timestamp inherent of that slot.
pub fn begin_block(number: BlockNumber, parent: Hash) {
	let slot = u64::from(number);
	let digest = Digest { logs: vec![DigestItem::PreRuntime(*b"aura", slot.encode())] };
	let header = Header::new(number, Default::default(), Default::default(), parent, digest);
	Executive::initialize_block(&header);
	let now = slot * SLOT_DURATION;
	let inherent = UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set { now }));
	let applied = Executive::apply_extrinsic(inherent);
	assert!(matches!(applied, Ok(Ok(()))), "the timestamp inherent failed: {applied:?}");
	Executive::inherents_applied();
}

/// Finishes the block; its hash is the next block's parent.
pub fn end_block() -> Hash {
	Executive::finalize_block().hash()
}

/// The council motions the current block closed: (approved, disapproved).
pub fn motions_closed() -> [u64; 2] {
	let mut closed = [0; 2];
	for record in frame_system::Pallet::<Runtime>::read_events_no_consensus() {
		match record.event {
			RuntimeEvent::Council(pallet_collective::Event::Approved { .. }) => closed[0] += 1,
			RuntimeEvent::Council(pallet_collective::Event::Disapproved { .. }) => closed[1] += 1,
			_ => {}
		}
	}
	closed
}

fn error_name(error: &DispatchError) -> String {
	match error {
		DispatchError::Module(module) => module.message.unwrap_or("module error").to_string(),
		other => format!("{other:?}"),
	}
}

/// Applies one action as a block would: a signed call through the transaction extensions
/// (refused ones leave no trace), others dispatched with their origin. A failed call's
/// changes are rolled back.
pub fn apply(action: &Action) -> Outcome {
	let applied: Result<Outcome, DispatchError> = match &action.origin {
		Origin::Signed(who) => with_transaction(|| {
			let nonce = frame_system::Pallet::<Runtime>::account_nonce(who);
			let extension: TxExtension = (
				frame_system::AuthorizeCall::<Runtime>::new(),
				frame_system::CheckNonZeroSender::<Runtime>::new(),
				frame_system::CheckSpecVersion::<Runtime>::new(),
				frame_system::CheckTxVersion::<Runtime>::new(),
				frame_system::CheckGenesis::<Runtime>::new(),
				frame_system::CheckEra::<Runtime>::from(Era::Immortal),
				frame_system::CheckNonce::<Runtime>::from(nonce),
				frame_system::CheckWeight::<Runtime>::new(),
				pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
				frame_system::WeightReclaim::<Runtime>::new(),
			);
			// What the signed extrinsic's length would be: the call, an address, a signature
			// and the extensions.
			let encoded = (who, &action.call, &extension).encode();
			let length = encoded.len() + 70;
			let extrinsic: CheckedExtrinsic<AccountId, RuntimeCall, TxExtension> = CheckedExtrinsic {
				format: ExtrinsicFormat::Signed(who.clone(), extension),
				function: action.call.clone(),
			};
			let info = extrinsic.get_dispatch_info();
			frame_system::Pallet::<Runtime>::note_extrinsic(encoded);
			match extrinsic.apply::<Runtime>(&info, length) {
				Err(validity) => TransactionOutcome::Rollback(Ok(Outcome::Invalid(format!("{validity:?}")))),
				Ok(result) => {
					frame_system::Pallet::<Runtime>::note_applied_extrinsic(&result, info);
					TransactionOutcome::Commit(Ok(match result {
						Ok(_) => Outcome::Ok,
						Err(error) => Outcome::Failed(error_name(&error.error)),
					}))
				}
			}
		}),
		Origin::Root | Origin::Council(..) => with_transaction(|| {
			let origin = match action.origin {
				Origin::Council(yes, of) => RuntimeOrigin::from(pallet_collective::RawOrigin::<
					AccountId,
					pallet_collective::Instance1,
				>::Members(yes, of)),
				_ => RuntimeOrigin::root(),
			};
			match action.call.clone().dispatch(origin) {
				Ok(_) => TransactionOutcome::Commit(Ok(Outcome::Ok)),
				Err(error) => TransactionOutcome::Rollback(Ok(Outcome::Failed(error_name(&error.error)))),
			}
		}),
	};
	applied.unwrap_or_else(|error| Outcome::Failed(error_name(&error)))
}

/// The invariants checked after every block, by name (`--skip` takes these names, and
/// `try_state:<Pallet>` for one pallet's `try_state`).
pub const INVARIANTS: [(&str, &str); 6] = [
	("try_state", "every pallet's try_state (AllPalletsWithSystem, TryStateSelect::All)"),
	("issuance", "total issuance = sum of every account's free + reserved (held) balance"),
	("holds", "every account's reserved balance = the sum of its holds (the runtime reserves nothing else)"),
	("manifest-ids", "every ModelRegistry::Manifests key = its manifest's content ID"),
	("versions-manifests", "Versions and Manifests hold the same IDs, each record's model = its manifest's model"),
	("block-weight", "the normal class used no more than its share of the block weight"),
];

/// A broken invariant.
#[derive(Clone, Debug)]
pub struct Broken {
	pub invariant: String,
	pub message: String,
}

fn broken(invariant: &str, message: String) -> Broken {
	Broken { invariant: invariant.into(), message }
}

fn pallet_names() -> Vec<&'static str> {
	<AllPalletsWithSystem as frame_support::traits::PalletsInfoAccess>::infos()
		.into_iter()
		.map(|info| info.name)
		.collect()
}

/// Checks every invariant not in `skip` at block `number`; returns how many were checked.
pub fn check_invariants(number: BlockNumber, skip: &[String]) -> Result<usize, Broken> {
	let skipped = |name: &str| skip.iter().any(|s| s == name);
	let mut checked = 0;

	if !skipped("try_state") {
		let excluded: Vec<Vec<u8>> =
			skip.iter().filter_map(|s| s.strip_prefix("try_state:")).map(|pallet| pallet.as_bytes().to_vec()).collect();
		let select =
			if excluded.is_empty() { TryStateSelect::All } else { TryStateSelect::AllExcept(excluded.clone()) };
		if AllPalletsWithSystem::try_state(number, select).is_err() {
			// Name the pallets whose checks failed, with their errors.
			let mut failures = Vec::new();
			for pallet in pallet_names() {
				if excluded.iter().any(|e| e == pallet.as_bytes()) {
					continue;
				}
				if let Err(error) = AllPalletsWithSystem::try_state(number, TryStateSelect::Only(vec![pallet.into()])) {
					failures.push((pallet, error));
				}
			}
			let first = failures.first().map(|(p, _)| *p).unwrap_or("?");
			let message = failures.iter().map(|(p, e)| format!("{p}: {e:?}")).collect::<Vec<_>>().join("; ");
			return Err(broken(&format!("try_state:{first}"), message));
		}
		checked += 1;
	}

	if !skipped("issuance") {
		let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
		let mut sum: Balance = 0;
		for (_, account) in frame_system::Account::<Runtime>::iter() {
			sum = sum.saturating_add(account.data.free).saturating_add(account.data.reserved);
		}
		if issuance != sum {
			return Err(broken(
				"issuance",
				format!(
					"total issuance {issuance} != sum of free + reserved {sum} (difference {})",
					issuance as i128 - sum as i128
				),
			));
		}
		checked += 1;
	}

	if !skipped("holds") {
		for (who, account) in frame_system::Account::<Runtime>::iter() {
			let held: Balance = pallet_balances::Holds::<Runtime>::get(&who).iter().map(|hold| hold.amount).sum();
			if held != account.data.reserved {
				return Err(broken(
					"holds",
					format!("{who}: reserved {} but holds sum to {held}", account.data.reserved),
				));
			}
		}
		checked += 1;
	}

	if !skipped("manifest-ids") {
		for (key, manifest) in pallet_model_registry::Manifests::<Runtime>::iter() {
			let id = manifest.id();
			if id != key {
				return Err(broken(
					"manifest-ids",
					format!("Manifests key {key:?} holds a manifest whose ID is {id:?}"),
				));
			}
		}
		checked += 1;
	}

	if !skipped("versions-manifests") {
		let mut versions = 0usize;
		for (id, record) in pallet_model_registry::Versions::<Runtime>::iter() {
			versions += 1;
			let Some(manifest) = pallet_model_registry::Manifests::<Runtime>::get(id) else {
				return Err(broken("versions-manifests", format!("version {id:?} has no manifest")));
			};
			if manifest.model != record.model {
				return Err(broken(
					"versions-manifests",
					format!(
						"version {id:?} is recorded under {:?}, its manifest names {:?}",
						record.model, manifest.model
					),
				));
			}
		}
		let manifests = pallet_model_registry::Manifests::<Runtime>::iter_keys().count();
		if manifests != versions {
			return Err(broken("versions-manifests", format!("{versions} versions but {manifests} manifests")));
		}
		checked += 1;
	}

	Ok(checked)
}

/// Checked before finalisation (which clears the block's weight record): the normal class
/// used no more than its share of the block.
pub fn check_block_weight(skip: &[String]) -> Result<usize, Broken> {
	use frame_support::dispatch::DispatchClass;
	if skip.iter().any(|s| s == "block-weight") {
		return Ok(0);
	}
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let normal = *frame_system::Pallet::<Runtime>::block_weight().get(DispatchClass::Normal);
	if let Some(max) = limits.get(DispatchClass::Normal).max_total {
		if normal.any_gt(max) {
			return Err(broken("block-weight", format!("normal weight {normal:?} over {max:?}")));
		}
	}
	Ok(1)
}
