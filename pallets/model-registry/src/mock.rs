//! A mock runtime: System, Balances and the registry.

use crate as pallet_model_registry;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
pub(crate) type Balance = u64;
pub(crate) type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ModelRegistry: pallet_model_registry,
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

pub(crate) const ORG_DEPOSIT: Balance = 200;
pub(crate) const MODEL_DEPOSIT: Balance = 100;
pub(crate) const MAINTAINER_DEPOSIT: Balance = 10;
pub(crate) const VERSION_BASE: Balance = 20;
pub(crate) const VERSION_PER_BYTE: Balance = 1;
pub(crate) const MAX_MANIFEST_LEN: u32 = 64 * 1024;
pub(crate) const MAX_MAINTAINERS: u32 = 3;
pub(crate) const MAX_ORG_MEMBERS: u32 = 3;

parameter_types! {
	pub const OrgDeposit: Balance = ORG_DEPOSIT;
	pub const ModelDeposit: Balance = MODEL_DEPOSIT;
	pub const MaintainerDeposit: Balance = MAINTAINER_DEPOSIT;
	pub const VersionDepositBase: Balance = VERSION_BASE;
	pub const VersionDepositPerByte: Balance = VERSION_PER_BYTE;
}

impl pallet_model_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type OrgDeposit = OrgDeposit;
	type ModelDeposit = ModelDeposit;
	type MaintainerDeposit = MaintainerDeposit;
	type VersionDepositBase = VersionDepositBase;
	type VersionDepositPerByte = VersionDepositPerByte;
	type MaxManifestLen = ConstU32<MAX_MANIFEST_LEN>;
	type MaxMaintainers = ConstU32<MAX_MAINTAINERS>;
	type MaxOrgMembers = ConstU32<MAX_ORG_MEMBERS>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type GovernanceYanker = ConstU64<GOVERNANCE>;
	type Lineage = ();
	type Licensing = crate::NoLicensing;
	type WeightInfo = ();
}

pub(crate) const ALICE: AccountId = 1;
pub(crate) const BOB: AccountId = 2;
pub(crate) const CHARLIE: AccountId = 3;
/// Has just enough for the existential deposit: cannot pay any deposit.
pub(crate) const POOR: AccountId = 4;
/// Recorded as the yanker of governance yanks (`VersionYank`).
pub(crate) const GOVERNANCE: AccountId = 99;

/// Organisation names reserved at genesis in the mock.
pub(crate) const RESERVED: &str = "zoo";

pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_model_registry::GenesisConfig::<Test> {
		reserved_names: vec![RESERVED.as_bytes().to_vec()],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 100_000), (BOB, 100_000), (CHARLIE, 100_000), (POOR, 1)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on a fresh chain, then check the registry's invariants.
pub(crate) fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ModelRegistry::do_try_state().expect("the registry's invariants hold");
	});
}
