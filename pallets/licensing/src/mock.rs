//! A mock runtime: System, Balances, the model registry, the lineage pallet and this pallet,
//! wired to each other through their traits as in the real runtime.

use crate as pallet_licensing;
use frame_support::{
	PalletId, derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use sp_runtime::{
	BuildStorage, Permill,
	testing::{TestSignature, UintAuthorityId},
};
use zoo_primitives::VersionId;

type Block = frame_system::mocking::MockBlock<Test>;
pub(crate) type Balance = u64;
pub(crate) type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ModelRegistry: pallet_model_registry,
		Lineage: pallet_lineage,
		Licensing: pallet_licensing,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = ExistentialDeposit;
}

pub(crate) const EXISTENTIAL_DEPOSIT: Balance = 5;
pub(crate) const TERMS_DEPOSIT: Balance = 40;
pub(crate) const OFFER_DEPOSIT: Balance = 7;
pub(crate) const GRANT_DEPOSIT: Balance = 3;
pub(crate) const SPLIT_DEPOSIT: Balance = 2;
pub(crate) const APPROVAL_DEPOSIT: Balance = 4;
pub(crate) const CHANNEL_DEPOSIT: Balance = 6;
pub(crate) const RECIPIENT_DEPOSIT: Balance = 8;
pub(crate) const KEY_RELEASE_DEPOSIT_BASE: Balance = 9;
pub(crate) const KEY_RELEASE_DEPOSIT_PER_BYTE: Balance = 2;
pub(crate) const MIN_PRICE: Balance = 33;
pub(crate) const MAX_ROYALTY_ENTRIES: u32 = 32;
pub(crate) const MAX_HOPS: u8 = 10;
/// 90 %.
pub(crate) const MAX_UPSTREAM: u32 = 900_000_000;

parameter_types! {
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
	pub const OrgDeposit: Balance = 200;
	pub const ModelDeposit: Balance = 100;
	pub const MaintainerDeposit: Balance = 10;
	pub const VersionDepositBase: Balance = 1;
	pub const VersionDepositPerByte: Balance = 0;
	pub const RefDeposit: Balance = 50;
	pub const RefMoveDeposit: Balance = 5;
	pub const LicensingPalletId: PalletId = PalletId(*b"zoo/lics");
	pub ProtocolFee: Permill = Permill::from_percent(2);
	pub const TermsDeposit: Balance = TERMS_DEPOSIT;
	pub const OfferDeposit: Balance = OFFER_DEPOSIT;
	pub const GrantDeposit: Balance = GRANT_DEPOSIT;
	pub const SplitDeposit: Balance = SPLIT_DEPOSIT;
	pub const ApprovalDeposit: Balance = APPROVAL_DEPOSIT;
	pub const ChannelDeposit: Balance = CHANNEL_DEPOSIT;
	pub const RecipientDeposit: Balance = RECIPIENT_DEPOSIT;
	pub const KeyReleaseDepositBase: Balance = KEY_RELEASE_DEPOSIT_BASE;
	pub const KeyReleaseDepositPerByte: Balance = KEY_RELEASE_DEPOSIT_PER_BYTE;
	pub const MinPrice: Balance = MIN_PRICE;
	pub const MaxHops: u8 = MAX_HOPS;
	pub const MaxUpstreamShare: u32 = MAX_UPSTREAM;
	pub const MaxChannelDuration: u64 = 1_000;
	pub const CurationShare: Permill = Permill::from_percent(10);
}

/// Where the mock's curators keep what they take.
pub(crate) const CURATORS: AccountId = 99;

std::thread_local! {
	/// The versions the mock's curators are staked on.
	pub static CURATED: core::cell::RefCell<Vec<VersionId>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Curators staked on the versions in [`CURATED`]: they take every share offered for those
/// (moved to [`CURATORS`]) and nothing for others, as the curation pallet does with and without
/// active stake.
pub struct MockCuration;

impl zoo_primitives::CurationHook<AccountId, Balance> for MockCuration {
	type Weight = frame_support::weights::Weight;

	fn credit(version: &VersionId, payer: &AccountId, fee: Balance) -> Balance {
		use frame_support::traits::{fungible::Mutate, tokens::Preservation};
		let staked = CURATED.with(|curated| curated.borrow().contains(version));
		if !staked || fee == 0 || Balances::transfer(payer, &CURATORS, fee, Preservation::Preserve).is_err() {
			return fee;
		}
		0
	}

	fn credit_weight() -> Self::Weight {
		frame_support::weights::Weight::from_parts(1_000, 0)
	}
}

impl pallet_model_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OrgDeposit = OrgDeposit;
	type ModelDeposit = ModelDeposit;
	type MaintainerDeposit = MaintainerDeposit;
	type VersionDepositBase = VersionDepositBase;
	type VersionDepositPerByte = VersionDepositPerByte;
	type MaxManifestLen = ConstU32<{ 64 * 1024 }>;
	type MaxMaintainers = ConstU32<8>;
	type MaxOrgMembers = ConstU32<8>;
	type ForceOrigin = frame_system::EnsureRoot<AccountId>;
	type GovernanceYanker = ConstU64<0>;
	type Lineage = Lineage;
	type Licensing = Licensing;
	type WeightInfo = ();
}

impl pallet_lineage::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type MaxParents = ConstU32<16>;
	type MaxWalk = ConstU32<10_000>;
	type RefDeposit = RefDeposit;
	type RefMoveDeposit = RefMoveDeposit;
	type Promotion = pallet_lineage::NoPromotionGate;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestSigner;
}

impl pallet_licensing::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type PalletId = LicensingPalletId;
	type ProtocolFee = ProtocolFee;
	type OnProtocolFee = ();
	type CurationShare = CurationShare;
	type Curation = MockCuration;
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
	type MaxRoyaltyEntries = ConstU32<MAX_ROYALTY_ENTRIES>;
	type MaxHops = MaxHops;
	type MaxUpstreamShare = MaxUpstreamShare;
	type MaxOffers = ConstU32<4>;
	type MaxChannelDuration = MaxChannelDuration;
	type OffchainSignature = TestSignature;
	type OffchainPublic = UintAuthorityId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestSigner;
}

/// Makes models through the registry, and signs vouchers as `TestSignature` does: by naming
/// the signer.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestSigner;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_lineage::BenchmarkHelper<AccountId> for TestSigner {
	type Models = ModelRegistry;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, TestSignature> for TestSigner {
	type Models = ModelRegistry;

	fn signer() -> AccountId {
		DAVE
	}

	fn sign(signer: &AccountId, message: &[u8]) -> TestSignature {
		TestSignature(*signer, message.to_vec())
	}
}

/// Publishes base models (org `base`).
pub(crate) const ALICE: AccountId = 1;
/// Publishes derivatives (org `tune`).
pub(crate) const BOB: AccountId = 2;
/// Publishes derivatives of derivatives (org `quant`), buys.
pub(crate) const CHARLIE: AccountId = 3;
/// A buyer with no role anywhere.
pub(crate) const DAVE: AccountId = 4;
/// Has just the existential deposit: can pay for nothing.
pub(crate) const POOR: AccountId = 5;
/// A serving operator.
pub(crate) const OPERATOR: AccountId = 6;

pub(crate) const INITIAL: Balance = 1 << 40;

pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, INITIAL),
			(BOB, INITIAL),
			(CHARLIE, INITIAL),
			(DAVE, INITIAL),
			(POOR, EXISTENTIAL_DEPOSIT),
			(OPERATOR, INITIAL),
			(CURATORS, EXISTENTIAL_DEPOSIT),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_licensing::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on a fresh chain, then check the licensing invariants.
pub(crate) fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Licensing::do_try_state().expect("the licensing invariants hold");
	});
}
