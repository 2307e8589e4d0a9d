//! # Zoo runtime
//!
//! The FRAME runtime of the Zoo chain: Aura block production, GRANDPA finality, balances and
//! fees, council governance (see below), utility (batches), [`pallet_model_registry`] (organisations, models, the
//! content-addressed record of ML model versions), [`pallet_lineage`] (the version graph and
//! refs), [`pallet_licensing`] (licence terms, grants, usage channels, royalties and key releases
//! of sealed versions) and [`pallet_attestations`] (evaluations, and the promotion policies that
//! gate refs).
//!
//! ## Fees
//!
//! Block space must cost what it is worth, or anyone can bloat every node's database for
//! little. A transaction pays for its weight and its length, and the weight part follows
//! demand ([`configs`]):
//!
//! - weight: linear, [`configs::BASE_EXTRINSIC_FEE`] (20 mZOO) for `ExtrinsicBaseWeight`
//!   (about 108 µs), so about 185 ZOO per second of compute;
//! - length: [`configs::FEE_PER_BYTE`] (10 µZOO per byte);
//! - a multiplier on the weight part that rises while blocks are more than a quarter full
//!   (`TargetedFeeAdjustment`, variable 0.000075) and never falls below 1.
//!
//! Measured by `runtime/tests/fees.rs` (6 s blocks, 14,400 a day; the normal class may use 1.5 s
//! of compute and 3.75 MiB per block):
//!
//! | a day of blocks filled by | before (identity fees, fixed multiplier) | now | ratio |
//! |---|---|---|---|
//! | compute (1.5 s each) | 21,600 ZOO | 6,153,419 ZOO (multiplier 2.25 at the end) | 285x |
//! | length (a 3.75 MiB remark each) | 620 ZOO | 680,856 ZOO | 1,098x |
//!
//! A normal commit (about 1 ms, 400 bytes) pays 0.21 ZOO, beside its deposit of at least 1 ZOO;
//! a transfer pays 0.04 ZOO.
#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` makes large enums.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::{
	MultiAddress, MultiSignature, generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
};
use sp_version::RuntimeVersion;

pub use pallet_model_registry;

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Block hash.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;

	impl_opaque_keys! {
		/// The keys a validator registers: Aura (sr25519) and GRANDPA (ed25519).
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
		}
	}
}

/// The runtime version.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("zoo"),
	impl_name: Cow::Borrowed("zoo-node"),
	authoring_version: 1,
	spec_version: 103,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	// Raised whenever an existing call's encoding changes, so signed transactions built for the
	// old encoding are refused instead of misread: 2 when `Licensing::purchase` gained `kind`,
	// 3 when `Licensing::release_key` gained `wrapped_for`.
	transaction_version: 3,
	system_version: 1,
};

/// Block production: one block every 6 seconds in normal operation.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration (equal to the block time).
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Blocks whose hashes are kept for mortal transactions.
pub const BLOCK_HASH_COUNT: BlockNumber = 2400;

/// Token decimals.
pub const TOKEN_DECIMALS: u8 = 12;
/// Token symbol, as polkadot.js shows it.
pub const TOKEN_SYMBOL: &str = "ZOO";
/// SS58 address format (42: the generic Substrate prefix).
pub const SS58_PREFIX: u16 = 42;
/// One ZOO.
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a ZOO.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of a ZOO.
pub const MICRO_UNIT: Balance = 1_000_000;
/// Smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Transaction signature.
pub type Signature = MultiSignature;
/// Account ID: the 32-byte public key of the signer.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transaction index of an account.
pub type Nonce = u32;
/// Block hash.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// Address format of transactions.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions, checked for every signed transaction.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Extrinsic format.
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload signed by a transaction.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on runtime upgrade. Each is versioned: it runs only from the storage
/// version it expects, so one that already ran does nothing and is dropped a release later.
///
/// - spec 101: the curation pallet's v0 to v1, disputes expire (audit A3-04).
/// - spec 102: the registry's v1 to v2, name skeletons drop separators.
/// - spec 103: the curation pallet's v1 to v2, credits stream through their era (audit A3-03).
pub type Migrations = (
	pallet_curation::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_model_registry::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_curation::migrations::v2::MigrateV1ToV2<Runtime>,
);

/// Dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	/// The consortium council: it governs the chain by motions (see [`configs`] for the
	/// threshold each action needs).
	#[runtime::pallet_index(8)]
	pub type Council = pallet_collective<Instance1>;

	/// Session keys and session changes: the validator set changes at a session boundary.
	#[runtime::pallet_index(9)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(10)]
	pub type ModelRegistry = pallet_model_registry;

	#[runtime::pallet_index(11)]
	pub type Lineage = pallet_lineage;

	#[runtime::pallet_index(12)]
	pub type Licensing = pallet_licensing;

	#[runtime::pallet_index(13)]
	pub type Attestations = pallet_attestations;

	#[runtime::pallet_index(14)]
	pub type Curation = pallet_curation;

	/// The validators, admitted and removed by council motions (after `Session`, whose genesis
	/// keys it starts from).
	#[runtime::pallet_index(15)]
	pub type ValidatorSet = pallet_validator_set;

	/// Call preimages, for calls too large to put in a motion.
	#[runtime::pallet_index(16)]
	pub type Preimage = pallet_preimage;

	/// Turns a two-thirds council motion into a Root dispatch.
	#[runtime::pallet_index(17)]
	pub type Whitelist = pallet_whitelist;
}
