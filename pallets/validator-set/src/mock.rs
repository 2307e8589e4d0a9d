//! A test runtime with the real `pallet-session` (sessions of `SESSION_LENGTH` blocks, test
//! keys) managed by this pallet. Accounts 1, 2 and 3 validate at genesis; accounts up to 9
//! are funded for the key deposit.

// The test runtime is `pub` (construct_runtime), and so must be the types in its config.
#![allow(unreachable_pub)]

use crate as pallet_validator_set;
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{ConstU32, ConstU64},
};
use sp_runtime::{BuildStorage, testing::UintAuthorityId, traits::Convert};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Session: pallet_session,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// Blocks a session lasts when a change waits, and at most.
pub(crate) const MIN_SESSION: u64 = 2;
pub(crate) const MAX_SESSION: u64 = 5;

parameter_types! {
	pub const KeyDeposit: u64 = 10;
}

ord_parameter_types! {
	/// The account that may manage the set in these tests.
	pub const Manager: u64 = 100;
}

/// Every account is its own validator id.
pub struct AccountIsValidator;
impl Convert<u64, Option<u64>> for AccountIsValidator {
	fn convert(account: u64) -> Option<u64> {
		Some(account)
	}
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = u64;
	type ValidatorIdOf = AccountIsValidator;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = pallet_session::TestSessionHandler;
	type Keys = UintAuthorityId;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = KeyDeposit;
}

impl pallet_validator_set::Config for Test {
	type Session = Session;
	type ManagerOrigin = frame_system::EnsureSignedBy<Manager, u64>;
	type MinValidators = ConstU32<2>;
	type MaxValidators = ConstU32<4>;
	type MinSessionLength = ConstU64<MIN_SESSION>;
	type MaxSessionLength = ConstU64<MAX_SESSION>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisterKeys;
}

/// Registers test keys through `session.set_keys`.
#[cfg(feature = "runtime-benchmarks")]
pub struct RegisterKeys;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for RegisterKeys {
	fn register_keys(who: &u64) {
		use frame_support::traits::fungible::Mutate;
		Balances::set_balance(who, 1_000);
		register_keys(*who);
	}
}

/// `who` registers its session keys (`UintAuthorityId(who)`).
pub(crate) fn register_keys(who: u64) {
	Session::set_keys(RuntimeOrigin::signed(who), UintAuthorityId(who), Vec::new()).expect("keys registered");
}

/// Genesis: accounts 1, 2 and 3 validate with their keys; 1 to 9 are funded.
pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..10).map(|who| (who, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_session::GenesisConfig::<Test> {
		keys: (1..4).map(|who| (who, who, UintAuthorityId(who))).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_validator_set::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to `n`, as the executive would (session changes happen in `on_initialize`).
pub(crate) fn run_to_block(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Session::on_initialize(next);
	}
}

/// Runs to the first block of session `index` (at most 100 blocks on).
pub(crate) fn run_to_session(index: u32) {
	for _ in 0..100 {
		if pallet_session::CurrentIndex::<Test>::get() >= index {
			return;
		}
		run_to_block(System::block_number() + 1);
	}
	panic!("session {index} did not start within 100 blocks");
}

/// Test externalities whose invariants are checked after `test`.
pub(crate) fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ValidatorSet::do_try_state().expect("invariants hold");
	});
}
