//! A mock runtime: System, Balances and this pallet, with the versions curators stake on kept
//! in a plain map (exists, yanked, manifest) that records the yanks verdicts make.

use crate as pallet_curation;
use core::cell::RefCell;
use frame_support::{PalletId, derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::{BuildStorage, Perbill};
use std::collections::BTreeMap;
use zoo_primitives::{Manifest, ModelName, VersionId, VersionInspect, VersionYank, testing::ManifestBuilder};

type Block = frame_system::mocking::MockBlock<Test>;
pub(crate) type Balance = u64;
pub(crate) type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Curation: pallet_curation,
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
pub(crate) const ERA_LENGTH: u64 = 10;
pub(crate) const UNBONDING_PERIOD: u64 = 30;
pub(crate) const MIN_STAKE: Balance = 100;
pub(crate) const MAX_CHUNKS: u32 = 4;
pub(crate) const TOP_N: u32 = 4;
pub(crate) const DISPUTE_BOND: Balance = 500;
pub(crate) const DISPUTE_TIMEOUT: u64 = 100;

parameter_types! {
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
	pub const CurationPalletId: PalletId = PalletId(*b"zoo/cura");
	pub const EraLength: u64 = ERA_LENGTH;
	pub const UnbondingPeriod: u64 = UNBONDING_PERIOD;
	pub const MinStake: Balance = MIN_STAKE;
	pub MinFactor: Perbill = Perbill::from_percent(10);
	pub const DisputeBond: Balance = DISPUTE_BOND;
	pub const DisputeTimeout: u64 = DISPUTE_TIMEOUT;
	pub FeeDecay: Perbill = Perbill::from_percent(50);
	pub const ScoreStakeWeight: u128 = 1;
	pub const ScoreFeeWeight: u128 = 10;
}

impl pallet_curation::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Versions = MockVersions;
	type VerdictOrigin = frame_system::EnsureRoot<AccountId>;
	type PalletId = CurationPalletId;
	type EraLength = EraLength;
	type UnbondingPeriod = UnbondingPeriod;
	type MinStake = MinStake;
	type MinFactor = MinFactor;
	type MaxUnbondingChunks = ConstU32<MAX_CHUNKS>;
	type TopN = ConstU32<TOP_N>;
	type DisputeBond = DisputeBond;
	type DisputeTimeout = DisputeTimeout;
	type FeeDecay = FeeDecay;
	type ScoreStakeWeight = ScoreStakeWeight;
	type ScoreFeeWeight = ScoreFeeWeight;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockVersions;
}

/// A known version: its manifest and whether (and why) it is yanked.
#[derive(Clone)]
pub(crate) struct MockVersion {
	pub manifest: Manifest,
	pub yanked: Option<Vec<u8>>,
}

thread_local! {
	static VERSIONS: RefCell<BTreeMap<VersionId, MockVersion>> = const { RefCell::new(BTreeMap::new()) };
}

/// The versions of the mock: a map.
pub struct MockVersions;

impl MockVersions {
	/// Add `manifest` as a version; returns its ID.
	pub fn add(manifest: Manifest) -> VersionId {
		let id = manifest.id();
		VERSIONS.with(|v| v.borrow_mut().insert(id, MockVersion { manifest, yanked: None }));
		id
	}

	/// Un-yank `id` (as a registry admin could), for tests of a second verdict.
	pub fn unyank(id: &VersionId) {
		VERSIONS.with(|v| {
			if let Some(version) = v.borrow_mut().get_mut(id) {
				version.yanked = None;
			}
		});
	}

	/// Why `id` was yanked, if it was.
	pub fn yank_reason(id: &VersionId) -> Option<Vec<u8>> {
		VERSIONS.with(|v| v.borrow().get(id).and_then(|version| version.yanked.clone()))
	}
}

impl VersionInspect for MockVersions {
	fn exists(id: &VersionId) -> bool {
		VERSIONS.with(|v| v.borrow().contains_key(id))
	}

	fn is_yanked(id: &VersionId) -> bool {
		VERSIONS.with(|v| v.borrow().get(id).is_some_and(|version| version.yanked.is_some()))
	}

	fn version_model(id: &VersionId) -> Option<ModelName> {
		VERSIONS.with(|v| v.borrow().get(id).map(|version| version.manifest.model.clone()))
	}

	fn manifest(id: &VersionId) -> Option<Manifest> {
		VERSIONS.with(|v| v.borrow().get(id).map(|version| version.manifest.clone()))
	}
}

impl VersionYank for MockVersions {
	fn yank(id: &VersionId, reason: &[u8]) {
		VERSIONS.with(|v| {
			if let Some(version) = v.borrow_mut().get_mut(id) {
				if version.yanked.is_none() {
					version.yanked = Some(reason.to_vec());
				}
			}
		});
	}
}

/// The benchmarks' versions are added to the map (models need no setup here).
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockVersions {
	type Models = MockVersions;
}

#[cfg(feature = "runtime-benchmarks")]
impl zoo_primitives::ModelsForBenchmarks<AccountId> for MockVersions {
	fn create_model(_: &ModelName, _: &AccountId) {}

	fn add_admin(_: &ModelName, _: &AccountId) {}

	fn commit(model: &ModelName, _: &AccountId, seed: u32, _: Option<VersionId>) -> VersionId {
		let model = core::str::from_utf8(model).expect("a valid model name is UTF-8");
		Self::add(ManifestBuilder::new(model).message(&format!("bench {seed}")).build())
	}
}

/// Curators.
pub(crate) const ALICE: AccountId = 1;
pub(crate) const BOB: AccountId = 2;
pub(crate) const CHARLIE: AccountId = 3;
/// Opens disputes.
pub(crate) const DAVE: AccountId = 4;
/// Has just the existential deposit: can pay for nothing.
pub(crate) const POOR: AccountId = 5;
/// Pays fees in (as the licensing pallet's pot would).
pub(crate) const PAYER: AccountId = 6;
/// Where escrows are redirected.
pub(crate) const TREASURY: AccountId = 7;

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
			(PAYER, INITIAL),
			(TREASURY, INITIAL),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_curation::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// A version of `model` made unique by `message`.
pub(crate) fn version(model: &str, message: &str) -> VersionId {
	MockVersions::add(ManifestBuilder::new(model).message(message).build())
}

/// Run `test` on a fresh chain, then check the curation invariants.
pub(crate) fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Curation::do_try_state().expect("the curation invariants hold");
	});
}
