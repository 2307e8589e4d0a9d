//! A mock runtime: System, Balances, the model registry and the lineage pallet, wired to each
//! other through their traits as in the real runtime.

use crate as pallet_lineage;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
pub(crate) type Balance = u64;
pub(crate) type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ModelRegistry: pallet_model_registry,
		Lineage: pallet_lineage,
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
}

parameter_types! {
	pub const OrgDeposit: Balance = 200;
	pub const ModelDeposit: Balance = 100;
	pub const MaintainerDeposit: Balance = 10;
	pub const VersionDepositBase: Balance = 1;
	pub const VersionDepositPerByte: Balance = 0;
	pub const RefDeposit: Balance = REF_DEPOSIT;
	pub const RefMoveDeposit: Balance = REF_MOVE_DEPOSIT;
}

pub(crate) const REF_DEPOSIT: Balance = 50;
pub(crate) const REF_MOVE_DEPOSIT: Balance = 5;
pub(crate) const MAX_PARENTS: u32 = 4;
pub(crate) const MAX_WALK: u32 = 10_000;

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
	type Licensing = pallet_model_registry::NoLicensing;
	type WeightInfo = ();
}

impl pallet_lineage::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type MaxParents = ConstU32<MAX_PARENTS>;
	type MaxWalk = ConstU32<MAX_WALK>;
	type RefDeposit = RefDeposit;
	type RefMoveDeposit = RefMoveDeposit;
	type Promotion = crate::NoPromotionGate;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}

/// Models for the benchmarks, made through the registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkSetup;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for BenchmarkSetup {
	type Models = ModelRegistry;
}

/// Owner of the models in the tests.
pub(crate) const ALICE: AccountId = 1;
/// Granted roles in the tests.
pub(crate) const BOB: AccountId = 2;
/// No role on any model.
pub(crate) const CHARLIE: AccountId = 3;
/// Has just enough for the existential deposit: cannot pay any deposit.
pub(crate) const POOR: AccountId = 4;

pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1 << 40), (BOB, 1 << 40), (CHARLIE, 1 << 40), (POOR, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on a fresh chain, then check the graph's invariants.
pub(crate) fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Lineage::do_try_state().expect("the graph's invariants hold");
	});
}
