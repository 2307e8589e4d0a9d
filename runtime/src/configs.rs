//! Configuration of every pallet in the runtime.

use super::*;
use frame_support::PalletId;
use frame_support::traits::{LinearStoragePrice, fungible::HoldConsideration};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU8, ConstU32, ConstU64, ConstU128, VariantCountOf},
	weights::{
		ConstantMultiplier, Weight, WeightToFeeCoefficient, WeightToFeeCoefficients, WeightToFeePolynomial,
		constants::{ExtrinsicBaseWeight, ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
	},
};
use frame_system::{
	EnsureRoot,
	limits::{BlockLength, BlockWeights},
};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	FixedPointNumber, FixedU128, Perbill, Permill, Perquintill,
	traits::{AccountIdConversion, Bounded, One},
};

/// Share of a block that normal (non-operational) transactions may fill.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = BLOCK_HASH_COUNT;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute per block, a third of the block time.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |m| {
			*m = NORMAL_DISPATCH_RATIO * *m
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// The node stores its state in ParityDb.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// What a transaction of `ExtrinsicBaseWeight` (about 108 µs of compute: the fixed cost of any
/// transaction) pays for its weight: 20 mZOO. The fee grows linearly with weight, so a second of
/// block compute costs about 185 ZOO (see the crate doc for what filling blocks costs).
pub const BASE_EXTRINSIC_FEE: Balance = 20 * MILLI_UNIT;

/// What a transaction pays per byte of its encoded length: 10 µZOO, so the 3.75 MiB a normal
/// transaction may fill of a block costs about 39 ZOO, and a typical commit (a few hundred
/// bytes) a few mZOO.
pub const FEE_PER_BYTE: Balance = 10 * MICRO_UNIT;

/// Weight to fee: linear, `ExtrinsicBaseWeight` maps to [`BASE_EXTRINSIC_FEE`].
pub struct WeightToFee;

impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;

	fn polynomial() -> WeightToFeeCoefficients<Balance> {
		let fee = BASE_EXTRINSIC_FEE;
		let weight = Balance::from(ExtrinsicBaseWeight::get().ref_time());
		WeightToFeeCoefficients::from_elem(
			WeightToFeeCoefficient {
				coeff_integer: fee / weight,
				coeff_frac: Perbill::from_rational(fee % weight, weight),
				negative: false,
				degree: 1,
			},
			1,
		)
	}
}

parameter_types! {
	pub const TransactionByteFee: Balance = FEE_PER_BYTE;
	/// The fee multiplier aims at blocks a quarter full (of the normal class).
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast the multiplier moves: full blocks raise fees by about 0.0056% per block, so a
	/// day of full 6 s blocks multiplies them by about 2.2; empty blocks lower them again.
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// Fees never fall below the base prices above.
	pub MinimumMultiplier: Multiplier = Multiplier::one();
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

/// How fees follow demand: up while blocks are fuller than the target, down (to the base
/// prices at least) while they are emptier.
pub type SlowAdjustingFeeUpdate<R> =
	TargetedFeeAdjustment<R, TargetBlockFullness, AdjustmentVariable, MinimumMultiplier, MaximumMultiplier>;

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = SlowAdjustingFeeUpdate<Self>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

/// A majority of the council: more than half of its members voted aye. Ordinary administration
/// (reserved names, global evaluators, dispute verdicts, validators, disapproving or killing a
/// motion) needs this.
pub type CouncilMajority = pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>;

/// Two thirds of the council at least. Root-level actions (runtime code, storage, balances,
/// the council's own membership) need this: as the whitelist origin, it turns a motion into a
/// Root dispatch.
pub type CouncilTwoThirds = pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;

/// Root or a council majority. Root is reachable only by a two-thirds motion (or a development
/// chain's sudo key), so this is a council majority on any chain without sudo.
pub type RootOrCouncilMajority = frame_support::traits::EitherOfDiverse<EnsureRoot<AccountId>, CouncilMajority>;

parameter_types! {
	/// How long a council motion stays open for votes (3 days of 6 s blocks); it can be closed
	/// earlier once enough members voted to decide it.
	pub const CouncilMotionDuration: BlockNumber = 3 * 14_400;
	pub const CouncilMaxProposals: u32 = 100;
	pub const CouncilMaxMembers: u32 = 32;
	/// A motion may dispatch at most half a block.
	pub CouncilMaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
	/// What the first open motion of a proposer holds: 1 ZOO.
	pub const ProposalDepositBase: Balance = UNIT;
	/// Each motion already open doubles the next one's deposit: 10 open motions make the 11th
	/// hold 1,024 ZOO, so no member can fill the queue of 100.
	pub ProposalDepositRatio: FixedU128 = FixedU128::from_u32(2);
	pub const ProposalHoldReason: RuntimeHoldReason = RuntimeHoldReason::Council(pallet_collective::HoldReason::ProposalSubmission);
}

/// A member's abstention counts as a nay when a motion is closed after its voting period,
/// whatever a prime member voted: a prime cannot pass a motion alone (pallet-collective's
/// `MoreThanMajorityThenPrimeDefaultVote` would let it).
pub struct AbstentionsAreNays;

impl pallet_collective::DefaultVote for AbstentionsAreNays {
	fn default_vote(_prime_vote: Option<bool>, _yes_votes: u32, _no_votes: u32, _len: u32) -> bool {
		false
	}
}

/// The consortium council (`pallet-collective`): the chain's government. Members are set at
/// genesis (the chain spec) and changed by a two-thirds motion (`council.set_members`).
///
/// - A motion needs the threshold its call's origin asks for: a majority
///   ([`CouncilMajority`]) for ordinary administration, two thirds ([`CouncilTwoThirds`]) for
///   Root-level actions.
/// - An abstention counts as a nay ([`AbstentionsAreNays`]).
/// - A proposal holds a deposit that doubles with each motion already open
///   ([`ProposalDepositBase`], [`ProposalDepositRatio`]); it is released
///   (`council.release_proposal_cost`) once the motion is closed, and burnt if a majority kills
///   the motion (`council.kill`).
pub type CouncilCollective = pallet_collective::Instance1;

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = AbstentionsAreNays;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = CouncilTwoThirds;
	type MaxProposalWeight = CouncilMaxProposalWeight;
	type DisapproveOrigin = CouncilMajority;
	type KillOrigin = CouncilMajority;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		ProposalHoldReason,
		pallet_collective::deposit::Geometric<ProposalDepositRatio, ProposalDepositBase>,
		u32,
	>;
}

parameter_types! {
	/// Noting a preimage holds 1 ZOO plus 1 mZOO a byte, the rate manifests pay.
	pub const PreimageDepositBase: Balance = UNIT;
	pub const PreimageDepositPerByte: Balance = MILLI_UNIT;
	pub const PreimageHoldReason: RuntimeHoldReason = RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = frame_support::traits::EitherOfDiverse<EnsureRoot<AccountId>, CouncilTwoThirds>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageDepositBase, PreimageDepositPerByte, Balance>,
	>;
}

parameter_types! {
	/// A dispatch deferred until its call is whitelisted expires after a motion's lifetime.
	pub const WhitelistDeferredDispatchExpiration: BlockNumber = CouncilMotionDuration::get();
}

/// How a council motion becomes a Root dispatch: a motion of at least two thirds calls
/// `utility.batch_all([whitelist.whitelist_call(hash), whitelist.dispatch_whitelisted_call_with_preimage(call)])`,
/// and `call` runs as Root. Large calls go by hash: the runtime code is authorized with
/// `system.authorize_upgrade(code_hash)` and then supplied by anyone with
/// `system.apply_authorized_upgrade(code)`.
impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = CouncilTwoThirds;
	type DispatchWhitelistedOrigin = CouncilTwoThirds;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = WhitelistDeferredDispatchExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = pallet_whitelist::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Registering session keys holds 1 ZOO.
	pub const SessionKeyDeposit: Balance = UNIT;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	// A session change costs a whole block: the validator set pallet ends sessions only when a
	// change waits (after a minute), and otherwise once an hour.
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = <opaque::SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = opaque::SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

parameter_types! {
	/// Two validators at least: a motion cannot stop the chain by emptying its set.
	pub const MinValidators: u32 = 2;
	/// Aura's and GRANDPA's `MaxAuthorities`.
	pub const MaxValidators: u32 = 32;
}

impl pallet_validator_set::Config for Runtime {
	type Session = Session;
	type ManagerOrigin = CouncilMajority;
	type MinValidators = MinValidators;
	type MaxValidators = MaxValidators;
	/// A validator change is active one to two minutes after its motion.
	type MinSessionLength = ConstU32<MINUTES>;
	/// New session keys of sitting validators take effect within two hours.
	type MaxSessionLength = ConstU32<HOURS>;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}

/// Sudo exists for development chains only: the `development` preset sets a key, and every
/// other spec (`local_testnet`, the consortium specs `zoo-node` writes) has none, so no call
/// can reach it.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const OrgDeposit: Balance = 100 * UNIT;
	pub const ModelDeposit: Balance = 10 * UNIT;
	pub const MaintainerDeposit: Balance = UNIT;
	pub const VersionDepositBase: Balance = UNIT;
	pub const VersionDepositPerByte: Balance = MILLI_UNIT;
	/// The curation pallet's account: recorded as the yanker when the council upholds a dispute.
	pub CurationAccount: AccountId = CurationPalletId::get().into_account_truncating();
}

impl pallet_model_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OrgDeposit = OrgDeposit;
	type ModelDeposit = ModelDeposit;
	type MaintainerDeposit = MaintainerDeposit;
	type VersionDepositBase = VersionDepositBase;
	type VersionDepositPerByte = VersionDepositPerByte;
	// Room for every bounded manifest: 512 artifacts with the longest paths and URIs.
	type MaxManifestLen = ConstU32<{ 512 * 1024 }>;
	type MaxMaintainers = ConstU32<64>;
	type MaxOrgMembers = ConstU32<256>;
	type ForceOrigin = RootOrCouncilMajority;
	type GovernanceYanker = CurationAccount;
	type Lineage = Lineage;
	type Licensing = Licensing;
	type WeightInfo = pallet_model_registry::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const RefDeposit: Balance = UNIT;
	/// A move stores its history entry and, under a promotion policy, the evidence it rested
	/// on, both for good: held at the storage rate of 1 mZOO a byte, at their largest (audit
	/// A3-21; about 0.8 ZOO).
	pub RefMoveDeposit: Balance = MILLI_UNIT * ref_move_bytes() as Balance;
}

/// The most a ref move stores: a `RefHistory` entry and an attestations `Evidence` record,
/// each with its key (model and ref names behind `Blake2_128Concat`, the move's index behind
/// `Twox64Concat`).
fn ref_move_bytes() -> usize {
	use codec::MaxEncodedLen;
	let key =
		zoo_primitives::ModelName::max_encoded_len() + 16 + zoo_primitives::RefName::max_encoded_len() + 16 + 4 + 8;
	let history = pallet_lineage::RefMoveOf::<Runtime>::max_encoded_len();
	let evidence = <(zoo_primitives::VersionId, pallet_attestations::EvidenceFor<Runtime>)>::max_encoded_len();
	2 * key + history + evidence
}

impl pallet_lineage::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type MaxParents = ConstU32<{ zoo_primitives::MAX_PARENTS }>;
	// A forward-only check over 10,000 versions costs well under a tenth of a block.
	type MaxWalk = ConstU32<10_000>;
	type RefDeposit = RefDeposit;
	type RefMoveDeposit = RefMoveDeposit;
	type Promotion = Attestations;
	type WeightInfo = pallet_lineage::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}

parameter_types! {
	pub const LicensingPalletId: PalletId = PalletId(*b"zoo/lics");
	// Every purchase and settled voucher burns 2 %: buying one's own licence always loses money.
	pub const ProtocolFee: Permill = Permill::from_percent(2);
	pub const TermsDeposit: Balance = 10 * UNIT;
	pub const OfferDeposit: Balance = UNIT;
	pub const GrantDeposit: Balance = 100 * MILLI_UNIT;
	pub const SplitDeposit: Balance = 100 * MILLI_UNIT;
	pub const ApprovalDeposit: Balance = 100 * MILLI_UNIT;
	pub const ChannelDeposit: Balance = UNIT;
	// A recipient key is a small fixed record, like a grant; a key release is sized like an
	// attestation: a fixed part plus the per-byte rate manifests pay (a full release of 512
	// longest headers holds about 131 UNIT, a one-file release about 0.27 UNIT).
	pub const RecipientDeposit: Balance = 100 * MILLI_UNIT;
	pub const KeyReleaseDepositBase: Balance = 100 * MILLI_UNIT;
	pub const KeyReleaseDepositPerByte: Balance = MILLI_UNIT;
	// Far above the MaxRoyaltyEntries + 1 units that keep every table entry's credit non-zero.
	pub const MinPrice: Balance = MILLI_UNIT;
	pub const MaxHops: u8 = 10;
	// 90 %: a derivative always keeps at least a tenth of its own revenue.
	pub const MaxUpstreamShare: u32 = 900_000_000;
	pub const MaxChannelDuration: BlockNumber = 30 * DAYS;
}

impl pallet_licensing::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type PalletId = LicensingPalletId;
	type ProtocolFee = ProtocolFee;
	// Burned until a treasury exists.
	type OnProtocolFee = ();
	type CurationShare = CurationShare;
	type Curation = Curation;
	type TermsDeposit = TermsDeposit;
	type OfferDeposit = OfferDeposit;
	type GrantDeposit = GrantDeposit;
	type SplitDeposit = SplitDeposit;
	type ApprovalDeposit = ApprovalDeposit;
	type ChannelDeposit = ChannelDeposit;
	type RecipientDeposit = RecipientDeposit;
	type KeyReleaseDepositBase = KeyReleaseDepositBase;
	type KeyReleaseDepositPerByte = KeyReleaseDepositPerByte;
	type MinPrice = MinPrice;
	type MaxContributors = ConstU32<16>;
	type MaxRoyaltyEntries = ConstU32<32>;
	type MaxHops = MaxHops;
	type MaxUpstreamShare = MaxUpstreamShare;
	type MaxOffers = ConstU32<16>;
	type MaxChannelDuration = MaxChannelDuration;
	type OffchainSignature = Signature;
	type OffchainPublic = <Signature as sp_runtime::traits::Verify>::Signer;
	type WeightInfo = pallet_licensing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}

/// What the pallets' benchmarks need from the others: models, admins and versions made through
/// the model registry, refs through the lineage pallet, and usage vouchers signed with an
/// sr25519 key from the benchmark's keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkSetup;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_lineage::BenchmarkHelper<AccountId> for BenchmarkSetup {
	type Models = ModelRegistry;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for BenchmarkSetup {
	fn register_keys(who: &AccountId) {
		// Keys as distinct as the accounts: `is_registered` only asks whether keys exist.
		let raw: [u8; 32] = who.clone().into();
		let keys = opaque::SessionKeys {
			aura: sp_core::sr25519::Public::from_raw(raw).into(),
			grandpa: sp_core::ed25519::Public::from_raw(raw).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_attestations::BenchmarkHelper<AccountId> for BenchmarkSetup {
	type Models = ModelRegistry;
	type Refs = Lineage;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_curation::BenchmarkHelper<AccountId> for BenchmarkSetup {
	type Models = ModelRegistry;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_licensing::BenchmarkHelper<AccountId, Signature> for BenchmarkSetup {
	type Models = ModelRegistry;

	fn signer() -> AccountId {
		sp_io::crypto::sr25519_generate(sp_core::crypto::key_types::ACCOUNT, None).into()
	}

	fn sign(signer: &AccountId, message: &[u8]) -> Signature {
		let public = sp_core::sr25519::Public::from(<[u8; 32]>::from(signer.clone()));
		sp_io::crypto::sr25519_sign(sp_core::crypto::key_types::ACCOUNT, &public, message)
			.expect("the key was generated in this keystore")
			.into()
	}
}

parameter_types! {
	pub const AttestationDeposit: Balance = 100 * MILLI_UNIT;
	pub const AttestationDepositPerByte: Balance = MILLI_UNIT;
	pub const EvaluatorDeposit: Balance = UNIT;
	pub const PolicyDeposit: Balance = UNIT;
}

impl pallet_attestations::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type Refs = Lineage;
	type Disputes = Curation;
	type ForceOrigin = RootOrCouncilMajority;
	type AttestationDeposit = AttestationDeposit;
	type AttestationDepositPerByte = AttestationDepositPerByte;
	type EvaluatorDeposit = EvaluatorDeposit;
	type PolicyDeposit = PolicyDeposit;
	type MaxMetrics = ConstU32<32>;
	type MaxAttestations = ConstU32<64>;
	// Eight datasets per evaluator: a full evaluation suite, and eight evaluators to fill a version.
	type MaxAttestationsPerEvaluator = ConstU32<8>;
	type MaxEvaluators = ConstU32<32>;
	type MaxThresholds = ConstU32<8>;
	type WeightInfo = pallet_attestations::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}

parameter_types! {
	pub const CurationPalletId: PalletId = PalletId(*b"zoo/cura");
	/// Blocks per era (an hour): stake added in an era earns from the next. Kept in storage
	/// (`:EraLength:`) so a development chain can shorten it through sudo before anyone stakes;
	/// changing it on a chain with stake renumbers its eras.
	pub storage EraLength: BlockNumber = HOURS;
	/// A week: far longer than a dispute takes to open, so unbonding cannot outrun one. Kept in
	/// storage (`:UnbondingPeriod:`) for development chains, like `EraLength`.
	pub storage UnbondingPeriod: BlockNumber = 7 * DAYS;
	/// Pays for a position's storage (about 400 bytes at 1 mZOO a byte) with room to spare.
	pub const MinStake: Balance = UNIT;
	pub const MinFactor: Perbill = Perbill::from_percent(10);
	pub const DisputeBond: Balance = 10 * UNIT;
	/// A week for the council to give a verdict before anyone may close a dispute as lapsed
	/// (burning its bond). Kept in storage (`:DisputeTimeout:`) for development chains, like
	/// `EraLength`; a change applies to disputes opened after it.
	pub storage DisputeTimeout: BlockNumber = 7 * DAYS;
	/// The fee average keeps 90 % of itself from one era to the next.
	pub const FeeDecay: Perbill = Perbill::from_percent(90);
	/// In the rank score, `isqrt(stake)` of 100 ZOO is 10^7 and `ilog2(1 + fees)` of 1 ZOO is
	/// 39: fees move a version by about what a tenth of its stake would.
	pub const ScoreStakeWeight: u128 = 1;
	pub const ScoreFeeWeight: u128 = 20_000;
	/// A tenth of every licence payment (after the protocol fee) goes to the curators staked on
	/// the version sold, when there are any.
	pub const CurationShare: Permill = Permill::from_percent(10);
}

impl pallet_curation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Versions = ModelRegistry;
	/// A majority of the consortium council, never Root.
	type VerdictOrigin = CouncilMajority;
	type PalletId = CurationPalletId;
	type EraLength = EraLength;
	type UnbondingPeriod = UnbondingPeriod;
	type MinStake = MinStake;
	type MinFactor = MinFactor;
	type MaxUnbondingChunks = ConstU32<8>;
	type TopN = ConstU32<100>;
	type DisputeBond = DisputeBond;
	type DisputeTimeout = DisputeTimeout;
	type FeeDecay = FeeDecay;
	type ScoreStakeWeight = ScoreStakeWeight;
	type ScoreFeeWeight = ScoreFeeWeight;
	type WeightInfo = pallet_curation::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}
