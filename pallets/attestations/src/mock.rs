//! A mock runtime: System, Balances, the model registry, the lineage pallet (gated by this
//! pallet) and this pallet, wired to each other through their traits as in the real runtime.

use crate as pallet_attestations;
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
		Attestations: pallet_attestations,
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

pub(crate) const ATTESTATION_DEPOSIT: Balance = 20;
pub(crate) const EVALUATOR_DEPOSIT: Balance = 9;
pub(crate) const POLICY_DEPOSIT: Balance = 11;
pub(crate) const MAX_ATTESTATIONS: u32 = 6;
pub(crate) const MAX_PER_EVALUATOR: u32 = 2;
pub(crate) const MAX_EVALUATORS: u32 = 4;

parameter_types! {
	pub const OrgDeposit: Balance = 200;
	pub const ModelDeposit: Balance = 100;
	pub const MaintainerDeposit: Balance = 10;
	pub const VersionDepositBase: Balance = 1;
	pub const VersionDepositPerByte: Balance = 0;
	pub const RefDeposit: Balance = 50;
	pub const RefMoveDeposit: Balance = 5;
	pub const AttestationDeposit: Balance = ATTESTATION_DEPOSIT;
	pub const AttestationDepositPerByte: Balance = 1;
	pub const EvaluatorDeposit: Balance = EVALUATOR_DEPOSIT;
	pub const PolicyDeposit: Balance = POLICY_DEPOSIT;
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
	type Licensing = pallet_model_registry::NoLicensing;
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
	type Promotion = Attestations;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}

impl pallet_attestations::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = ModelRegistry;
	type Refs = Lineage;
	type Disputes = MockDisputes;
	type ForceOrigin = frame_system::EnsureRoot<AccountId>;
	type AttestationDeposit = AttestationDeposit;
	type AttestationDepositPerByte = AttestationDepositPerByte;
	type EvaluatorDeposit = EvaluatorDeposit;
	type PolicyDeposit = PolicyDeposit;
	type MaxMetrics = ConstU32<8>;
	type MaxAttestations = ConstU32<MAX_ATTESTATIONS>;
	type MaxAttestationsPerEvaluator = ConstU32<MAX_PER_EVALUATOR>;
	type MaxEvaluators = ConstU32<MAX_EVALUATORS>;
	type MaxThresholds = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}

/// Models, versions and refs for the benchmarks, made through the registry and the lineage
/// pallet.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkSetup;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_lineage::BenchmarkHelper<AccountId> for BenchmarkSetup {
	type Models = ModelRegistry;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for BenchmarkSetup {
	type Models = ModelRegistry;
	type Refs = Lineage;
}

std::thread_local! {
	/// The versions under an open dispute.
	pub static DISPUTED: core::cell::RefCell<Vec<zoo_primitives::VersionId>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// Disputes as [`DISPUTED`] lists them.
pub struct MockDisputes;

impl zoo_primitives::DisputeGate for MockDisputes {
	fn has_open_dispute(version: &zoo_primitives::VersionId) -> bool {
		DISPUTED.with(|disputed| disputed.borrow().contains(version))
	}
}

/// Owns the model `acme/clf`.
pub(crate) const ALICE: AccountId = 1;
/// A releaser on it (moves refs).
pub(crate) const BOB: AccountId = 2;
/// Evaluators.
pub(crate) const EVE: AccountId = 5;
pub(crate) const FRANK: AccountId = 6;
pub(crate) const GRACE: AccountId = 7;
/// Trusted by no one.
pub(crate) const MALLORY: AccountId = 8;
/// Has just the existential deposit.
pub(crate) const POOR: AccountId = 9;

pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ALICE, 1 << 40),
			(BOB, 1 << 40),
			(EVE, 1 << 40),
			(FRANK, 1 << 40),
			(GRACE, 1 << 40),
			(MALLORY, 1 << 40),
			(POOR, 1),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on a fresh chain, then check the attestations invariants.
pub(crate) fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Attestations::do_try_state().expect("the attestations invariants hold");
	});
}
