//! Who may do what on a Zoo chain without sudo (the `local_testnet` preset, and every consortium
//! spec): every call of the runtime is dispatched from a council member's own signature and from
//! council motions of each size, and the calls that refuse a signature must be exactly the
//! privileged calls listed here, each reachable only with its documented threshold.
//!
//! Also the motions themselves: a Root action passes as one two-thirds motion through the
//! whitelist, a prime member cannot pass a motion alone (audit A3-15), proposals hold deposits
//! that double with each open motion and a majority can kill a spam motion (A3-16), no key can
//! fabricate a council origin (A3-10), and a validator admitted by motion reaches Aura and
//! GRANDPA at a session change.

use codec::{Decode, Encode};
use frame_support::{
	dispatch::GetDispatchInfo,
	traits::{Hooks, fungible::InspectHold},
};
use sp_core::proof_of_possession::ProofOfPossessionGenerator;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	DispatchError,
	traits::{Dispatchable, Hash},
};
use zoo_runtime::{
	AccountId, Balances, Council, Runtime, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig, RuntimeHoldReason,
	RuntimeOrigin, System, UNIT, genesis_config_presets::genesis,
};

/// The council of these tests: five members, so that a minority (2), a majority (3) and two
/// thirds (4) are distinct.
const COUNCIL: [Sr25519Keyring; 5] =
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave, Sr25519Keyring::Eve];

fn account(keyring: Sr25519Keyring) -> AccountId {
	keyring.to_account_id()
}

fn council() -> Vec<AccountId> {
	COUNCIL.iter().map(|k| account(*k)).collect()
}

/// A chain from the same genesis as `local_testnet` (no sudo key), with a council of five and
/// Alice and Bob validating.
fn new_chain() -> sp_io::TestExternalities {
	let validators = [Sr25519Keyring::Alice, Sr25519Keyring::Bob]
		.iter()
		.zip([Ed25519Keyring::Alice, Ed25519Keyring::Bob])
		.map(|(sr, ed)| (sr.to_account_id(), sr.public().into(), ed.public().into()))
		.collect();
	let endowed = Sr25519Keyring::iter().map(|k| (k.to_account_id(), 1_000_000 * UNIT)).collect();
	let patch = genesis(validators, endowed, None, council(), Vec::new());
	// What the node does with a preset: the patch over the default configuration.
	let config = zoo_runtime::genesis_config_presets::with_defaults(patch);
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.register_extension(sp_core::traits::ReadRuntimeVersionExt::new(NotARuntime));
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(config.to_string().into_bytes())
			.expect("the genesis builds");
		System::set_block_number(1);
	});
	ext
}

/// What `system.set_code` finds in the zero-filled code these tests pass it.
struct NotARuntime;

impl sp_core::traits::ReadRuntimeVersion for NotARuntime {
	fn read_runtime_version(
		&self,
		_code: &[u8],
		_ext: &mut dyn sp_externalities::Externalities,
	) -> Result<Vec<u8>, String> {
		Err("not a runtime".into())
	}
}

fn members(yes: u32) -> RuntimeOrigin {
	pallet_collective::RawOrigin::<AccountId, zoo_runtime::configs::CouncilCollective>::Members(
		yes,
		COUNCIL.len() as u32,
	)
	.into()
}

/// What a call needs beyond a plain signature.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Needs {
	/// A council majority motion (3 of 5), or Root.
	Majority,
	/// A council motion of two thirds (4 of 5).
	TwoThirds,
	/// Root: a two-thirds motion through the whitelist.
	Root,
	/// No signed origin: an inherent.
	Inherent,
}

/// Every call that refuses a signed origin, with what it needs. A call missing here that
/// refuses a signature, or listed here and accepting one, fails the test.
const PRIVILEGED: &[(&str, &str, Needs)] = &[
	("System", "set_heap_pages", Needs::Root),
	("System", "set_code", Needs::Root),
	("System", "set_code_without_checks", Needs::Root),
	("System", "set_storage", Needs::Root),
	("System", "kill_storage", Needs::Root),
	("System", "kill_prefix", Needs::Root),
	("System", "authorize_upgrade", Needs::Root),
	("System", "authorize_upgrade_without_checks", Needs::Root),
	("Timestamp", "set", Needs::Inherent),
	("Grandpa", "note_stalled", Needs::Root),
	("Balances", "force_transfer", Needs::Root),
	("Balances", "force_unreserve", Needs::Root),
	("Balances", "force_set_balance", Needs::Root),
	("Balances", "force_adjust_total_issuance", Needs::Root),
	("Utility", "dispatch_as", Needs::Root),
	("Utility", "with_weight", Needs::Root),
	("Utility", "dispatch_as_fallible", Needs::Root),
	("Council", "set_members", Needs::TwoThirds),
	("Council", "disapprove_proposal", Needs::Majority),
	("Council", "kill", Needs::Majority),
	("ModelRegistry", "set_reserved_name", Needs::Majority),
	("ModelRegistry", "force_create_org", Needs::Majority),
	("Attestations", "set_global_evaluator", Needs::Majority),
	("Curation", "resolve_dispute", Needs::Majority),
	("ValidatorSet", "add_validator", Needs::Majority),
	("ValidatorSet", "remove_validator", Needs::Majority),
	("Preimage", "request_preimage", Needs::TwoThirds),
	("Preimage", "unrequest_preimage", Needs::TwoThirds),
	("Whitelist", "whitelist_call", Needs::TwoThirds),
	("Whitelist", "remove_whitelisted_call", Needs::TwoThirds),
];

/// Calls that answer a signature with their own refusal rather than `BadOrigin`.
const KEYED: &[(&str, &str)] = &[
	// Sudo's calls need the sudo key, which no spec but `development` sets.
	("Sudo", "sudo"),
	("Sudo", "sudo_unchecked_weight"),
	("Sudo", "set_key"),
	("Sudo", "sudo_as"),
	("Sudo", "remove_key"),
];

/// Calls that cannot be built at all: GRANDPA's equivocation reports take a key-owner proof of
/// type `Void` (the runtime keeps no session history), so no such call decodes.
const UNBUILDABLE: &[(&str, &str)] = &[("Grandpa", "report_equivocation"), ("Grandpa", "report_equivocation_unsigned")];

/// Every call of the runtime: (pallet, call, pallet index, call index).
fn all_calls() -> Vec<(&'static str, &'static str, u8, u8)> {
	use scale_info::{TypeDef, TypeInfo};
	let TypeDef::Variant(pallets) = RuntimeCall::type_info().type_def else { panic!("RuntimeCall is an enum") };
	let mut calls = Vec::new();
	for pallet in pallets.variants {
		let call_type = pallet.fields[0].ty.type_info();
		let TypeDef::Variant(variants) = call_type.type_def else { panic!("a pallet's Call is an enum") };
		for call in variants.variants {
			calls.push((pallet.name, call.name, pallet.index, call.index));
		}
	}
	calls
}

/// The call with every argument zero (empty vectors, `None`, the zero account), or `None` if
/// its arguments cannot be zero.
fn zero_call(pallet_index: u8, call_index: u8) -> Option<RuntimeCall> {
	let mut bytes = vec![pallet_index, call_index];
	bytes.extend([0u8; 512]);
	RuntimeCall::decode(&mut &bytes[..]).ok()
}

fn is_bad_origin(result: &sp_runtime::DispatchResultWithInfo<frame_support::dispatch::PostDispatchInfo>) -> bool {
	matches!(result, Err(e) if e.error == DispatchError::BadOrigin)
}

/// Dispatches `call` from `origin` in a fresh chain.
fn dispatch(
	call: &RuntimeCall,
	origin: impl Fn() -> RuntimeOrigin,
) -> sp_runtime::DispatchResultWithInfo<frame_support::dispatch::PostDispatchInfo> {
	new_chain().execute_with(|| call.clone().dispatch(origin()))
}

/// Dispatches `call` as Root through the whitelist, from a motion of `yes` members: the result
/// of the whitelisting and, if it passed, of the call itself.
fn through_whitelist(call: &RuntimeCall, yes: u32) -> Result<sp_runtime::DispatchResult, DispatchError> {
	new_chain().execute_with(|| {
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(call);
		RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash: hash })
			.dispatch(members(yes))
			.map_err(|e| e.error)?;
		RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
			call: Box::new(call.clone()),
		})
		.dispatch(members(yes))
		.map_err(|e| e.error)?;
		let result = System::events()
			.into_iter()
			.find_map(|record| match record.event {
				RuntimeEvent::Whitelist(pallet_whitelist::Event::WhitelistedCallDispatched { result, .. }) => {
					Some(result.map(|_| ()).map_err(|e| e.error))
				}
				_ => None,
			})
			.expect("the whitelisted call was dispatched");
		Ok(result)
	})
}

#[test]
fn every_privileged_call_refuses_a_member_signature_and_a_minority_motion() {
	let alice = account(Sr25519Keyring::Alice);
	let mut refusing = Vec::new();
	let mut table = Vec::new();
	for (pallet, name, pallet_index, call_index) in all_calls() {
		let Some(call) = zero_call(pallet_index, call_index) else {
			assert!(UNBUILDABLE.contains(&(pallet, name)), "{pallet}.{name} cannot be built with zero arguments");
			continue;
		};
		let signed = dispatch(&call, || RuntimeOrigin::signed(alice.clone()));
		let keyed = KEYED.contains(&(pallet, name));
		let privileged = PRIVILEGED.iter().find(|(p, n, _)| (*p, *n) == (pallet, name)).map(|(_, _, needs)| *needs);
		match (privileged, keyed) {
			(Some(needs), _) => {
				assert!(
					is_bad_origin(&signed),
					"{pallet}.{name} ({needs:?}) accepted a member's signature: {signed:?}"
				);
				refusing.push((pallet, name));
				let minority = dispatch(&call, || members(2));
				assert!(is_bad_origin(&minority), "{pallet}.{name} accepted a minority motion: {minority:?}");
				let majority = dispatch(&call, || members(3));
				let two_thirds = dispatch(&call, || members(4));
				let (majority_ok, two_thirds_ok) = (!is_bad_origin(&majority), !is_bad_origin(&two_thirds));
				let whitelisted = |yes| through_whitelist(&call, yes);
				match needs {
					Needs::Majority => {
						assert!(majority_ok, "{pallet}.{name} refused a majority: {majority:?}");
						assert!(two_thirds_ok, "{pallet}.{name} refused two thirds: {two_thirds:?}");
					}
					Needs::TwoThirds => {
						assert!(!majority_ok, "{pallet}.{name} accepted a mere majority");
						assert!(two_thirds_ok, "{pallet}.{name} refused two thirds: {two_thirds:?}");
					}
					Needs::Root => {
						assert!(
							!majority_ok && !two_thirds_ok,
							"{pallet}.{name} accepted a motion without the whitelist"
						);
						assert_eq!(
							whitelisted(3),
							Err(DispatchError::BadOrigin),
							"{pallet}.{name}: a majority whitelisted it"
						);
						let root = whitelisted(4).expect("two thirds whitelist and dispatch");
						assert_ne!(root, Err(DispatchError::BadOrigin), "{pallet}.{name} refused Root");
					}
					Needs::Inherent => {
						assert!(!majority_ok && !two_thirds_ok, "{pallet}.{name} accepted a motion");
					}
				}
				table.push(format!("| {pallet}.{name} | {needs:?} |"));
			}
			(None, true) => {
				let refused = matches!(&signed, Err(e) if matches!(e.error, DispatchError::Module(_)));
				assert!(refused, "{pallet}.{name} from a member: {signed:?}");
				table.push(format!("| {pallet}.{name} | the sudo key (development only) |"));
			}
			(None, false) => {
				assert!(!is_bad_origin(&signed), "{pallet}.{name} refuses a signature but is not listed as privileged");
			}
		}
	}
	for (pallet, name, _) in PRIVILEGED {
		assert!(refusing.contains(&(*pallet, *name)), "{pallet}.{name} is listed but not in the runtime");
	}
	println!("| call | needs |\n|---|---|\n{}", table.join("\n"));
}

#[test]
fn no_key_fabricates_a_council_origin() {
	new_chain().execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let verdict = RuntimeCall::Curation(pallet_curation::Call::resolve_dispute {
			dispute: 0,
			upheld: true,
			slash: sp_runtime::Perbill::one(),
			reporter_share: sp_runtime::Perbill::one(),
			redirect_to: Some(alice.clone()),
		});
		let as_council = RuntimeCall::Utility(pallet_utility::Call::dispatch_as {
			as_origin: Box::new(zoo_runtime::OriginCaller::Council(pallet_collective::RawOrigin::Members(1, 1))),
			call: Box::new(verdict),
		});
		// The audit's demonstration (A3-10): sudo wraps `dispatch_as`. Without a sudo key it is
		// refused; the member's own signature cannot call `dispatch_as` either.
		let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(as_council.clone()) });
		assert_eq!(
			sudo.dispatch(RuntimeOrigin::signed(alice.clone())).map_err(|e| e.error),
			Err(pallet_sudo::Error::<Runtime>::RequireSudo.into())
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(
			as_council.dispatch(RuntimeOrigin::signed(alice)).map_err(|e| e.error),
			Err(DispatchError::BadOrigin)
		);
	});
}

/// Proposes `call` as `proposer` with `threshold`, has `ayes` vote aye, and closes it.
fn motion(proposer: usize, call: RuntimeCall, threshold: u32, ayes: &[usize]) -> Vec<RuntimeEvent> {
	let length = call.encoded_size() as u32;
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, zoo_runtime::configs::CouncilCollective>::get();
	Council::propose(RuntimeOrigin::signed(account(COUNCIL[proposer])), threshold, Box::new(call.clone()), length)
		.expect("a member proposes");
	for voter in ayes {
		Council::vote(RuntimeOrigin::signed(account(COUNCIL[*voter])), hash, index, true).expect("a member votes");
	}
	if (ayes.len() as u32) < threshold {
		System::set_block_number(System::block_number() + zoo_runtime::configs::CouncilMotionDuration::get() + 1);
	}
	Council::close(
		RuntimeOrigin::signed(account(COUNCIL[0])),
		hash,
		index,
		call.get_dispatch_info().call_weight,
		length,
	)
	.expect("the motion closes");
	System::events().into_iter().map(|record| record.event).collect()
}

fn executed(events: &[RuntimeEvent]) -> Option<sp_runtime::DispatchResult> {
	events.iter().rev().find_map(|event| match event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(*result),
		_ => None,
	})
}

fn upgrade_by_motion(threshold: u32, ayes: &[usize]) -> (Vec<RuntimeEvent>, Option<sp_core::H256>) {
	let code_hash = sp_core::H256::repeat_byte(7);
	let authorize = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });
	let call_hash = <Runtime as frame_system::Config>::Hashing::hash_of(&authorize);
	let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all {
		calls: vec![
			RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash }),
			RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
				call: Box::new(authorize),
			}),
		],
	});
	let events = motion(0, batch, threshold, ayes);
	let authorized = System::authorized_upgrade().map(|a| *a.code_hash());
	(events, authorized)
}

#[test]
fn a_runtime_upgrade_is_authorized_by_one_two_thirds_motion() {
	new_chain().execute_with(|| {
		let (events, authorized) = upgrade_by_motion(4, &[0, 1, 2, 3]);
		assert_eq!(executed(&events), Some(Ok(())));
		assert_eq!(authorized, Some(sp_core::H256::repeat_byte(7)));
	});
}

#[test]
fn a_majority_motion_cannot_authorize_an_upgrade() {
	new_chain().execute_with(|| {
		// A proposer may set a low threshold: the motion passes, but its origin is only 3 of 5,
		// which the whitelist refuses.
		let (events, authorized) = upgrade_by_motion(3, &[0, 1, 2]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(authorized, None);
	});
}

#[test]
fn a_prime_member_cannot_pass_a_motion_alone() {
	new_chain().execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		Council::set_members(members(4), council(), Some(alice), COUNCIL.len() as u32).expect("two thirds set members");
		assert_eq!(
			pallet_collective::Prime::<Runtime, zoo_runtime::configs::CouncilCollective>::get(),
			Some(account(Sr25519Keyring::Alice))
		);
		let reserve = RuntimeCall::ModelRegistry(pallet_model_registry::Call::set_reserved_name {
			name: b"openai".to_vec().try_into().unwrap(),
			reserved: true,
		});
		// Only the prime votes; the others abstain until the motion expires.
		let events = motion(0, reserve, 3, &[0]);
		assert!(
			events.iter().any(|e| matches!(e, RuntimeEvent::Council(pallet_collective::Event::Disapproved { .. })))
		);
		assert_eq!(executed(&events), None);
	});
}

#[test]
fn open_motions_double_the_next_deposit_and_a_majority_kills_spam() {
	new_chain().execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let reason = RuntimeHoldReason::Council(pallet_collective::HoldReason::ProposalSubmission);
		let mut held = Vec::new();
		let mut hashes = Vec::new();
		for i in 0..11u8 {
			let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![i] });
			hashes.push(<Runtime as frame_system::Config>::Hashing::hash_of(&call));
			let before = Balances::balance_on_hold(&reason, &alice);
			Council::propose(
				RuntimeOrigin::signed(alice.clone()),
				3,
				Box::new(call.clone()),
				call.encoded_size() as u32,
			)
			.expect("a member proposes");
			held.push((Balances::balance_on_hold(&reason, &alice) - before) / UNIT);
		}
		assert_eq!(held, vec![1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);

		// One member alone cannot kill; a majority can, and the deposit is burnt.
		let kill = RuntimeCall::Council(pallet_collective::Call::kill { proposal_hash: hashes[10] });
		assert_eq!(
			kill.clone().dispatch(RuntimeOrigin::signed(account(Sr25519Keyring::Bob))).map_err(|e| e.error),
			Err(DispatchError::BadOrigin)
		);
		let before = Balances::balance_on_hold(&reason, &alice);
		kill.dispatch(members(3)).expect("a majority kills a motion");
		assert_eq!((before - Balances::balance_on_hold(&reason, &alice)) / UNIT, 1024);
	});
}

#[test]
fn a_validator_admitted_by_motion_reaches_aura_and_grandpa_at_the_session_change() {
	new_chain().execute_with(|| {
		let charlie = account(Sr25519Keyring::Charlie);
		let keys = zoo_runtime::opaque::SessionKeys {
			aura: Sr25519Keyring::Charlie.public().into(),
			grandpa: Ed25519Keyring::Charlie.public().into(),
		};
		// The proof: each key signs the account's statement of ownership.
		let owner = charlie.encode();
		let proof = (
			Sr25519Keyring::Charlie.pair().generate_proof_of_possession(&owner),
			Ed25519Keyring::Charlie.pair().generate_proof_of_possession(&owner),
		)
			.encode();
		zoo_runtime::Session::set_keys(RuntimeOrigin::signed(charlie.clone()), keys, proof)
			.expect("charlie registers session keys");
		let add = RuntimeCall::ValidatorSet(pallet_validator_set::Call::add_validator { who: charlie.clone() });
		let events = motion(1, add, 3, &[0, 1, 2]);
		assert_eq!(executed(&events), Some(Ok(())));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);

		// Two session changes, a minute apart: the first queues the set, the second makes it
		// active.
		let start = System::block_number();
		let mut grandpa_change = None;
		for n in start..start + 2 * zoo_runtime::MINUTES + 1 {
			System::set_block_number(n);
			zoo_runtime::Session::on_initialize(n);
			if let Some(change) = pallet_grandpa::PendingChange::<Runtime>::get() {
				grandpa_change.get_or_insert(change.next_authorities.len());
			}
		}
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 3);
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&Sr25519Keyring::Charlie.public().into()));
		assert_eq!(grandpa_change, Some(3), "GRANDPA scheduled the new authority set");
		assert!(pallet_session::Validators::<Runtime>::get().contains(&charlie));
	});
}

/// A new chain stores every pallet's storage version as its code declares, so the migrations an
/// upgrade carries (`zoo_runtime::Migrations`) find nothing to do on it: they run only on a chain
/// that a runtime before them began.
#[test]
fn a_new_chain_is_at_every_pallets_storage_version() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_chain().execute_with(|| {
		assert_eq!(zoo_runtime::Curation::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(zoo_runtime::Curation::on_chain_storage_version(), zoo_runtime::Curation::in_code_storage_version());
		assert_eq!(zoo_runtime::ModelRegistry::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(
			zoo_runtime::ModelRegistry::on_chain_storage_version(),
			zoo_runtime::ModelRegistry::in_code_storage_version()
		);
		let root = sp_io::storage::root(sp_core::storage::StateVersion::V1);
		zoo_runtime::Migrations::on_runtime_upgrade();
		assert_eq!(sp_io::storage::root(sp_core::storage::StateVersion::V1), root, "a migration ran on a new chain");
	});
}
