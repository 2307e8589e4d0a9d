//! Random calls over every pallet, with sensible-but-hostile arguments: mostly aimed at what
//! exists (the models, versions, refs, offers, channels, disputes and council motions in
//! storage, sent by the account entitled to act), and often not (unknown or yanked versions,
//! strangers, malformed names and manifests, huge manifests, prices and amounts at the edges).
//! Calls are also wrapped in `Utility` batches and proposed as council motions.

use crate::chain::{Accounts, Action, Origin};
use crate::rng::Rng;
use codec::{Decode, Encode};
use frame_support::{BoundedVec, dispatch::GetDispatchInfo, weights::Weight};
use pallet_licensing::{EdgeKindSet, GrantKind, KeyHeader, OfferKind, RestrictionSet, Terms};
use sp_core::Pair;
use sp_runtime::{MultiSignature, Perbill};
use zoo_primitives::{
	Artifact, ArtifactDigest, ArtifactKind, DigestAlgorithm, EdgeKind, HashingSettings, License, Manifest, Metric,
	MetricValue, ModelName, OrgName, OrgRole, RefName, Role, VersionId,
	testing::{ManifestBuilder, TEST_SEAL_HEADER, artifact, bytes, sealed},
};
use zoo_runtime::{AccountId, Balance, BlockNumber, Hash, MILLI_UNIT, Runtime, RuntimeCall, UNIT};

/// What exists on chain, read from storage before each call.
#[derive(Default)]
pub struct Snapshot {
	orgs: Vec<(OrgName, AccountId)>,
	models: Vec<(ModelName, AccountId)>,
	/// Models with an ownership offer: (model, to).
	pending: Vec<(ModelName, AccountId)>,
	maintainers: Vec<(ModelName, AccountId)>,
	/// (version, model, committer, yanked)
	versions: Vec<(VersionId, ModelName, AccountId, bool)>,
	refs: Vec<(ModelName, RefName, VersionId)>,
	terms: Vec<u64>,
	offers: Vec<(VersionId, u32, OfferKind, Balance)>,
	channels: Vec<(u64, pallet_licensing::ChannelOf<Runtime>)>,
	disputes: Vec<u64>,
	positions: Vec<(VersionId, AccountId)>,
	attestations: Vec<(VersionId, u32, AccountId)>,
	evaluators: Vec<(ModelName, AccountId)>,
	sealed: Vec<VersionId>,
	/// Versions licensed under terms (offers need them).
	licensed: Vec<VersionId>,
	/// Versions licensed under terms that allow commercial use (usage offers need them).
	commercial: Vec<VersionId>,
	/// Terms that allow commercial use.
	commercial_terms: Vec<u64>,
	/// Accounts with a recipient key (key releases need one).
	recipients: Vec<AccountId>,
	/// Key releases made: (version, grantee).
	released: Vec<(VersionId, AccountId)>,
	grants: Vec<(VersionId, AccountId, GrantKind)>,
	approvals: Vec<(VersionId, AccountId)>,
	policies: Vec<(ModelName, RefName)>,
	next_channel: u64,
	next_dispute: u64,
	next_terms: u64,
	council: Vec<AccountId>,
	motions: Vec<Motion>,
	/// The planned validator set.
	validators: Vec<AccountId>,
	/// Accounts with session keys.
	keyed: Vec<AccountId>,
}

/// An open council motion, with what voting on and closing it take.
#[derive(Clone)]
struct Motion {
	hash: Hash,
	index: u32,
	threshold: u32,
	ayes: Vec<AccountId>,
	nays: Vec<AccountId>,
	/// The proposal's encoded length and weight: the bounds `close` must be given.
	length: u32,
	weight: Weight,
}

/// `pallet_collective::Votes`, whose fields are private: the same SCALE layout, decoded
/// from its encoding.
#[derive(Decode)]
struct Votes {
	index: u32,
	threshold: u32,
	ayes: Vec<AccountId>,
	nays: Vec<AccountId>,
	_end: BlockNumber,
}

impl Motion {
	fn read(hash: Hash) -> Option<Self> {
		use pallet_collective::{Instance1, ProposalOf, Voting};
		let votes = Votes::decode(&mut &Voting::<Runtime, Instance1>::get(hash)?.encode()[..]).ok()?;
		let proposal = ProposalOf::<Runtime, Instance1>::get(hash)?;
		Some(Motion {
			hash,
			index: votes.index,
			threshold: votes.threshold,
			ayes: votes.ayes,
			nays: votes.nays,
			length: proposal.encoded_size() as u32,
			weight: proposal.get_dispatch_info().call_weight,
		})
	}
}

impl Snapshot {
	pub fn read() -> Self {
		use pallet_attestations as att;
		use pallet_curation as cur;
		use pallet_licensing as lic;
		use pallet_lineage as lin;
		use pallet_model_registry as reg;
		Snapshot {
			orgs: reg::Orgs::<Runtime>::iter().map(|(name, details)| (name, details.owner)).collect(),
			models: reg::Models::<Runtime>::iter().map(|(name, details)| (name, details.owner)).collect(),
			pending: reg::Models::<Runtime>::iter()
				.filter_map(|(name, details)| details.pending_owner.map(|to| (name, to)))
				.collect(),
			maintainers: reg::Maintainers::<Runtime>::iter_keys().collect(),
			versions: reg::Versions::<Runtime>::iter()
				.map(|(id, record)| (id, record.model, record.committer, record.yanked.is_some()))
				.collect(),
			refs: lin::Refs::<Runtime>::iter().map(|(model, name, details)| (model, name, details.target)).collect(),
			terms: lic::TermsById::<Runtime>::iter_keys().collect(),
			offers: lic::Offers::<Runtime>::iter()
				.flat_map(|(version, offers)| {
					offers.into_iter().map(move |(id, offer)| (version, id, offer.kind, offer.price))
				})
				.collect(),
			channels: lic::Channels::<Runtime>::iter().collect(),
			disputes: cur::Disputes::<Runtime>::iter_keys().collect(),
			positions: cur::Positions::<Runtime>::iter_keys().collect(),
			attestations: att::Attestations::<Runtime>::iter()
				.map(|(version, index, attestation)| (version, index, attestation.evaluator))
				.collect(),
			evaluators: att::Evaluators::<Runtime>::iter_keys().collect(),
			sealed: lic::Licenses::<Runtime>::iter()
				.filter(|(_, license)| matches!(license.license, License::Sealed { .. }))
				.map(|(id, _)| id)
				.collect(),
			licensed: lic::Licenses::<Runtime>::iter()
				.filter(|(_, license)| license.license.terms().is_some())
				.map(|(id, _)| id)
				.collect(),
			commercial: lic::Licenses::<Runtime>::iter()
				.filter(|(_, license)| {
					license
						.license
						.terms()
						.and_then(lic::TermsById::<Runtime>::get)
						.is_some_and(|record| record.terms.commercial_use)
				})
				.map(|(id, _)| id)
				.collect(),
			commercial_terms: lic::TermsById::<Runtime>::iter()
				.filter(|(_, record)| record.terms.commercial_use)
				.map(|(id, _)| id)
				.collect(),
			recipients: lic::Recipients::<Runtime>::iter_keys().collect(),
			released: lic::ReleasedKeys::<Runtime>::iter_keys().collect(),
			grants: lic::Grants::<Runtime>::iter_keys().collect(),
			approvals: lic::Approvals::<Runtime>::iter_keys().collect(),
			policies: att::Policies::<Runtime>::iter_keys().collect(),
			next_channel: lic::NextChannelId::<Runtime>::get(),
			next_dispute: cur::NextDisputeId::<Runtime>::get(),
			next_terms: lic::NextTermsId::<Runtime>::get(),
			council: pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(),
			motions: pallet_collective::Proposals::<Runtime, pallet_collective::Instance1>::get()
				.into_iter()
				.filter_map(Motion::read)
				.collect(),
			validators: pallet_validator_set::Validators::<Runtime>::get().into_inner(),
			keyed: pallet_session::NextKeys::<Runtime>::iter_keys().collect(),
		}
	}
}

const ORG_NAMES: [&str; 12] =
	["acme", "deepmind", "labs", "ac-me", "acrne", "zoo", "x", "m-l", "open_ai", "r2d2", "council", "b1g"];
const BAD_NAMES: [&str; 8] = ["Acme", "-acme", "acme-", "ac--me", "", "acme/", "a b", "acme/x/y"];
const MODEL_PARTS: [&str; 8] = ["base", "chat", "tiny", "bert", "llama-3", "v2", "vision_b", "rn"];
const REF_NAMES: [&str; 8] = ["main", "release/v1", "dev", "prod", "exp/a.b", "Main", "-bad", "a..b"];
const SPDX: [&str; 7] = ["MIT", "Apache-2.0", "CC-BY-NC-4.0", "GPL-3.0-only", "CC-BY-SA-4.0", "LicenseRef-x", " "];
const METRICS: [&str; 4] = ["accuracy", "loss", "f1", "mmlu/5-shot"];

/// Generates the calls of one sequence.
pub struct Generator<'a> {
	pub rng: Rng,
	accounts: &'a Accounts,
	counter: u64,
	/// Versions this sequence tried to commit (including failed ones: unknown IDs that look
	/// real).
	ghosts: Vec<VersionId>,
}

impl<'a> Generator<'a> {
	pub fn new(rng: Rng, accounts: &'a Accounts) -> Self {
		Generator { rng, accounts, counter: 0, ghosts: Vec::new() }
	}

	fn anyone(&mut self) -> AccountId {
		if self.rng.chance(5) {
			self.rng.pick(&self.accounts.unfunded).clone()
		} else {
			self.rng.pick(&self.accounts.funded).clone()
		}
	}

	fn signed(&mut self, who: AccountId, call: RuntimeCall) -> Action {
		Action { origin: Origin::Signed(who), call }
	}

	/// The account entitled to act on `model` most of the time, anyone otherwise.
	fn actor_for(&mut self, snap: &Snapshot, model: &ModelName) -> AccountId {
		if self.rng.chance(75) {
			let mut entitled: Vec<AccountId> =
				snap.models.iter().filter(|(m, _)| m == model).map(|(_, owner)| owner.clone()).collect();
			entitled.extend(snap.maintainers.iter().filter(|(m, _)| m == model).map(|(_, who)| who.clone()));
			if let Some(who) = self.rng.maybe_pick(&entitled) {
				return who.clone();
			}
		}
		self.anyone()
	}

	fn org_name(&mut self, snap: &Snapshot) -> Vec<u8> {
		match self.rng.below(10) {
			0 => self.rng.pick(&BAD_NAMES).as_bytes().to_vec(),
			1..=3 if !snap.orgs.is_empty() => self.rng.pick(&snap.orgs).0.to_vec(),
			_ => self.rng.pick(&ORG_NAMES).as_bytes().to_vec(),
		}
	}

	fn model_name(&mut self, snap: &Snapshot) -> ModelName {
		if !snap.models.is_empty() && self.rng.chance(85) {
			return self.rng.pick(&snap.models).0.clone();
		}
		self.new_model_name(snap)
	}

	fn new_model_name(&mut self, snap: &Snapshot) -> ModelName {
		let name = match self.rng.below(10) {
			0 => self.rng.pick(&BAD_NAMES).to_string(),
			1 => format!("{}/{}", self.rng.pick(&BAD_NAMES), self.rng.pick(&MODEL_PARTS)),
			_ => {
				let org = String::from_utf8(self.org_name(snap)).unwrap_or_default();
				format!("{}/{}", org, self.rng.pick(&MODEL_PARTS))
			}
		};
		name.into_bytes().try_into().unwrap_or_default()
	}

	fn version(&mut self, snap: &Snapshot) -> VersionId {
		match self.rng.below(20) {
			0 => VersionId(self.rng.bytes32()),
			1 if !self.ghosts.is_empty() => *self.rng.pick(&self.ghosts),
			_ if !snap.versions.is_empty() => self.rng.pick(&snap.versions).0,
			_ => VersionId(self.rng.bytes32()),
		}
	}

	fn version_of(&mut self, snap: &Snapshot, model: &ModelName) -> VersionId {
		let of_model: Vec<VersionId> =
			snap.versions.iter().filter(|(_, m, _, _)| m == model).map(|(id, ..)| *id).collect();
		match self.rng.maybe_pick(&of_model) {
			Some(id) if self.rng.chance(80) => *id,
			_ => self.version(snap),
		}
	}

	/// A model that has versions, with the account entitled to act on it (mostly).
	fn model_with_versions(&mut self, snap: &Snapshot) -> (ModelName, AccountId) {
		let model = match self.rng.maybe_pick(&snap.versions) {
			Some((_, model, ..)) if self.rng.chance(90) => model.clone(),
			_ => self.model_name(snap),
		};
		let who = self.actor_for(snap, &model);
		(model, who)
	}

	fn ref_name(&mut self, snap: &Snapshot, model: &ModelName) -> RefName {
		let existing: Vec<RefName> =
			snap.refs.iter().filter(|(m, ..)| m == model).map(|(_, name, _)| name.clone()).collect();
		match self.rng.maybe_pick(&existing) {
			Some(name) if self.rng.chance(60) => name.clone(),
			_ => self.rng.pick(&REF_NAMES).as_bytes().to_vec().try_into().unwrap_or_default(),
		}
	}

	fn amount(&mut self) -> Balance {
		match self.rng.below(10) {
			0 => 0,
			1 => 1,
			2 => MILLI_UNIT,
			3 => UNIT,
			4 => 10 * UNIT,
			5 => 100 * UNIT,
			6 => 5_000 * UNIT,
			7 => Balance::MAX,
			8 => u128::from(self.rng.next_u64()),
			_ => self.rng.range(1, 1_000) as Balance * UNIT / 10,
		}
	}

	fn perbill(&mut self) -> Perbill {
		match self.rng.below(4) {
			0 => Perbill::zero(),
			1 => Perbill::one(),
			_ => Perbill::from_parts(self.rng.below(1_000_000_001) as u32),
		}
	}

	/// One action over any pallet: a single call, or sometimes a `Utility` batch of them.
	pub fn action(&mut self, snap: &Snapshot, block: BlockNumber) -> Action {
		self.counter += 1;
		if self.rng.chance(6) {
			return self.batch(snap, block, None);
		}
		self.single(snap, block)
	}

	/// One call over any pallet.
	fn single(&mut self, snap: &Snapshot, block: BlockNumber) -> Action {
		// A sequence starts from an empty registry: build some state first.
		if snap.models.len() < 3 && self.rng.chance(50) {
			let who = self.rng.pick(&self.accounts.funded[..12]).clone();
			let name = self.new_model_name(snap);
			return self.signed(who, RuntimeCall::ModelRegistry(pallet_model_registry::Call::create_model { name }));
		}
		if !snap.models.is_empty() && snap.versions.len() < 5 && self.rng.chance(50) {
			let (model, owner) = self.rng.pick(&snap.models).clone();
			let manifest = self.manifest(snap, &model);
			self.ghosts.push(manifest.id());
			return self
				.signed(owner, RuntimeCall::ModelRegistry(pallet_model_registry::Call::commit_version { manifest }));
		}
		if snap.terms.len() < 2 && self.rng.chance(25) {
			let who = self.rng.pick(&self.accounts.funded[..12]).clone();
			let terms = self.terms();
			return self.signed(who, RuntimeCall::Licensing(pallet_licensing::Call::register_terms { terms }));
		}
		match self.rng.below(100) {
			0..=27 => self.registry(snap),
			28..=39 => self.lineage(snap),
			40..=61 => self.licensing(snap, block),
			62..=73 => self.attestations(snap),
			74..=91 => self.curation(snap),
			92..=94 => self.balances(),
			95 => self.validators(snap),
			_ => self.council(snap),
		}
	}

	// ---- utility ----

	/// A `batch`, `batch_all` or `force_batch` of 1..=5 calls signed by one account. The calls
	/// are drawn from the generator (all from the same snapshot) and kept when that account is
	/// the one that sends them, so most could succeed; sometimes one surely fails, so
	/// `batch_all` rolls everything back, `batch` stops there and `force_batch` goes on. At the
	/// top level (`sender` is `None`) a batch may hold one batch of the same sender; no deeper.
	fn batch(&mut self, snap: &Snapshot, block: BlockNumber, sender: Option<AccountId>) -> Action {
		use pallet_utility::Call;
		let nested = sender.is_some();
		let (who, first) = match sender {
			Some(who) => {
				let call = self.call_sent_by(snap, block, &who);
				(who, call)
			}
			None => self.some_signed_call(snap, block),
		};
		let mut calls = vec![first];
		for _ in 1..self.rng.range(1, 5) {
			let call = match self.rng.below(20) {
				0..=1 => self.failing_call(),
				2 if !nested => self.batch(snap, block, Some(who.clone())).call,
				_ => self.call_sent_by(snap, block, &who),
			};
			calls.push(call);
		}
		let call = match self.rng.below(3) {
			0 => Call::batch { calls },
			1 => Call::batch_all { calls },
			_ => Call::force_batch { calls },
		};
		self.signed(who, RuntimeCall::Utility(call))
	}

	/// A generated signed call and its sender (root and council actions are passed over).
	fn some_signed_call(&mut self, snap: &Snapshot, block: BlockNumber) -> (AccountId, RuntimeCall) {
		loop {
			if let Action { origin: Origin::Signed(who), call } = self.single(snap, block) {
				return (who, call);
			}
		}
	}

	/// A generated call that `who` sends, when one comes up within a few draws; otherwise the
	/// last one drawn (meant for another sender or origin, so it usually fails).
	fn call_sent_by(&mut self, snap: &Snapshot, block: BlockNumber, who: &AccountId) -> RuntimeCall {
		let mut drawn = self.single(snap, block);
		for _ in 0..8 {
			if matches!(&drawn.origin, Origin::Signed(sender) if sender == who) {
				break;
			}
			drawn = self.single(snap, block);
		}
		drawn.call
	}

	/// A call that fails whoever signs it.
	fn failing_call(&mut self) -> RuntimeCall {
		match self.rng.below(3) {
			0 => RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: self.anyone().into(),
				value: Balance::MAX,
			}),
			1 => RuntimeCall::Licensing(pallet_licensing::Call::refund { channel: u64::MAX }),
			_ => RuntimeCall::ModelRegistry(pallet_model_registry::Call::force_create_org {
				name: b"batch".to_vec().try_into().unwrap_or_default(),
				owner: self.anyone(),
			}),
		}
	}

	// ---- model registry ----

	fn registry(&mut self, snap: &Snapshot) -> Action {
		use pallet_model_registry::Call;
		let call = |c: Call<Runtime>| RuntimeCall::ModelRegistry(c);
		match self.rng.below(100) {
			0..=7 => {
				let who = self.anyone();
				let name = self.org_name(snap).try_into().unwrap_or_default();
				self.signed(who, call(Call::create_org { name }))
			}
			8..=13 => {
				let (org, owner) = match self.rng.maybe_pick(&snap.orgs) {
					Some(o) => o.clone(),
					None => (b"acme".to_vec().try_into().unwrap(), self.anyone()),
				};
				let caller = if self.rng.chance(70) { owner } else { self.anyone() };
				let who = self.anyone();
				let role = match self.rng.below(3) {
					0 => None,
					1 => Some(OrgRole::Admin),
					_ => Some(OrgRole::Member),
				};
				self.signed(caller, call(Call::set_org_role { org, who, role }))
			}
			14..=23 => {
				let who = self.anyone();
				let name = self.new_model_name(snap);
				self.signed(who, call(Call::create_model { name }))
			}
			24..=33 => {
				let model = self.model_name(snap);
				let caller = self.actor_for(snap, &model);
				let who = self.anyone();
				let role = if self.rng.chance(25) { None } else { Some(*self.rng.pick(&Role::ALL)) };
				self.signed(caller, call(Call::set_role { model, who, role }))
			}
			34..=37 => {
				let model = self.model_name(snap);
				let caller = self.actor_for(snap, &model);
				let to = if self.rng.chance(20) { None } else { Some(self.anyone()) };
				self.signed(caller, call(Call::offer_ownership { model, to }))
			}
			38..=40 => {
				let (model, who) = match self.rng.maybe_pick(&snap.pending) {
					Some(pending) if self.rng.chance(80) => pending.clone(),
					_ => (self.model_name(snap), self.anyone()),
				};
				self.signed(who, call(Call::accept_ownership { model }))
			}
			41..=85 => {
				let (model, who) = self.model_with_versions_or_any(snap);
				let manifest = self.manifest(snap, &model);
				self.ghosts.push(manifest.id());
				self.signed(who, call(Call::commit_version { manifest }))
			}
			86..=93 => {
				let id = self.version(snap);
				let who = match snap.versions.iter().find(|(v, ..)| *v == id) {
					Some((_, model, committer, _)) if self.rng.chance(50) => {
						if self.rng.bool() {
							committer.clone()
						} else {
							let model = model.clone();
							self.actor_for(snap, &model)
						}
					}
					_ => self.anyone(),
				};
				let reason = if self.rng.chance(10) { vec![0xff, 0xfe] } else { b"broken weights".to_vec() };
				self.signed(who, call(Call::yank_version { id, reason: reason.try_into().unwrap() }))
			}
			94..=96 => {
				let name = self.org_name(snap).try_into().unwrap_or_default();
				let reserved = self.rng.bool();
				self.privileged(snap, call(Call::set_reserved_name { name, reserved }))
			}
			_ => {
				let name = self.org_name(snap).try_into().unwrap_or_default();
				let owner = self.anyone();
				self.privileged(snap, call(Call::force_create_org { name, owner }))
			}
		}
	}

	/// A root-only call: mostly through root, sometimes signed (refused), sometimes proposed
	/// as a council motion (which may pass, but dispatches with a council origin the call
	/// refuses).
	fn privileged(&mut self, snap: &Snapshot, call: RuntimeCall) -> Action {
		match self.rng.below(10) {
			0..=6 => Action { origin: Origin::Root, call },
			7 => self.propose(snap, call),
			_ => {
				let who = self.anyone();
				self.signed(who, call)
			}
		}
	}

	fn model_with_versions_or_any(&mut self, snap: &Snapshot) -> (ModelName, AccountId) {
		if self.rng.chance(60) {
			self.model_with_versions(snap)
		} else {
			let model = self.model_name(snap);
			let who = self.actor_for(snap, &model);
			(model, who)
		}
	}

	fn manifest(&mut self, snap: &Snapshot, model: &ModelName) -> Manifest {
		let model_str = String::from_utf8(model.to_vec()).unwrap_or_else(|_| "acme/base".into());
		let mut builder = ManifestBuilder::new(&model_str).message(&format!("commit {}", self.counter));
		// Parents: mostly versions of the same model (revisions), sometimes of others.
		let parents = match self.rng.below(10) {
			0..=2 => 0,
			3..=7 => 1,
			8 => 2,
			_ => self.rng.range(3, 17),
		};
		let mut chosen: Vec<VersionId> = Vec::new();
		for _ in 0..parents {
			let id = if self.rng.chance(70) { self.version_of(snap, model) } else { self.version(snap) };
			if chosen.contains(&id) && self.rng.chance(80) {
				continue;
			}
			chosen.push(id);
		}
		let chosen: Vec<VersionId> = chosen.into_iter().take(zoo_primitives::MAX_PARENTS as usize).collect();
		let merge = chosen.len() >= 2 && self.rng.chance(60);
		for id in chosen {
			let edge = if merge {
				EdgeKind::Merge
			} else if self.rng.chance(60) {
				EdgeKind::Revision
			} else {
				*self.rng.pick(&EdgeKind::ALL)
			};
			builder = builder.parent(id, edge);
		}
		// Artifacts: a few sorted files, sometimes a huge set, sometimes malformed.
		let huge = self.rng.chance(2);
		// Room for one malformed artifact below the bound of 512.
		let count = if huge { self.rng.range(200, 511) } else { self.rng.below(5) };
		let mut paths: Vec<String> = (0..count)
			.map(|i| {
				if huge {
					format!("shards/{i:05}-{}", "w".repeat(180))
				} else {
					format!("{}/file-{i}.bin", ["weights", "config", "code"][i as usize % 3])
				}
			})
			.collect();
		paths.sort();
		let algorithm = if self.rng.chance(15) { DigestAlgorithm::Blake3 } else { DigestAlgorithm::Sha2_256 };
		let mut artifacts: Vec<Artifact> = paths
			.iter()
			.map(|path| Artifact {
				kind: *self.rng.pick(&ArtifactKind::ALL),
				size: self.rng.next_u64() >> self.rng.below(64),
				digest: ArtifactDigest { algorithm, bytes: self.rng.bytes32() },
				uri: if huge {
					bytes(&format!("s3://bucket/{}", "u".repeat(480)))
				} else {
					bytes("s3://bucket/object")
				},
				..artifact(path)
			})
			.collect();
		let mut hashing = HashingSettings { algorithm, shard_size: None };
		if self.rng.chance(10) {
			hashing.shard_size = Some(if self.rng.bool() { 1 << 20 } else { 4096 });
		}
		// Malformations, one at a time.
		match self.rng.below(40) {
			0 => artifacts.reverse(),
			1 => artifacts.push(artifact("../escape")),
			2 => artifacts.push(artifact("con")),
			3 => artifacts.push(Artifact { uri: bytes("no-scheme"), ..artifact("zz.bin") }),
			4 => hashing.algorithm = DigestAlgorithm::Blake3,
			5 if !artifacts.is_empty() => artifacts.push(artifacts[0].clone()),
			6 => artifacts.push(artifact("Weights/FILE-0.BIN")),
			_ => {}
		}
		for a in artifacts {
			builder = builder.artifact(a);
		}
		builder = builder.hashing(hashing);
		// Metrics and tags (sorted, unless malformed).
		let mut metrics: Vec<&str> = METRICS.iter().copied().filter(|_| self.rng.chance(30)).collect();
		metrics.sort();
		if self.rng.chance(3) {
			metrics.reverse();
			metrics.push("Bad Key");
		}
		for name in metrics {
			builder = builder.metric(name, MetricValue(self.rng.next_u64() as i128 - (1 << 40)));
		}
		if self.rng.chance(30) {
			builder = builder.tag("framework", "pytorch").tag("task", "text");
		}
		if self.rng.chance(3) {
			builder = builder.message(&"m".repeat(4096));
		}
		// License.
		let terms = |generator: &mut Self| match generator.rng.maybe_pick(&snap.terms) {
			Some(id) if generator.rng.chance(85) => *id,
			_ => generator.rng.below(snap.next_terms + 3),
		};
		let license = match self.rng.below(10) {
			0..=2 => License::Unspecified,
			3..=4 => License::Spdx(bytes(*self.rng.pick(&SPDX))),
			5..=7 => License::Terms(terms(self)),
			_ => {
				let manifest_artifacts = builder.clone().build().artifacts.len() as u32;
				let mut indices: Vec<u32> = (0..manifest_artifacts.max(1)).filter(|_| self.rng.chance(50)).collect();
				if indices.is_empty() || self.rng.chance(10) {
					indices.push(0);
				}
				if self.rng.chance(5) {
					indices.push(manifest_artifacts + 3);
				}
				indices.truncate(zoo_primitives::MAX_ARTIFACTS as usize);
				sealed(terms(self), &indices)
			}
		};
		builder.license(license).build()
	}

	// ---- lineage ----

	fn lineage(&mut self, snap: &Snapshot) -> Action {
		use pallet_lineage::Call;
		// Mostly an existing ref (moves and protection need one), otherwise any model's.
		let (model, who, name) = match self.rng.maybe_pick(&snap.refs) {
			Some((model, name, _)) if self.rng.chance(60) => {
				let (model, name) = (model.clone(), name.clone());
				let who = self.actor_for(snap, &model);
				(model, who, name)
			}
			_ => {
				let (model, who) = self.model_with_versions(snap);
				let name = self.ref_name(snap, &model);
				(model, who, name)
			}
		};
		let call = match self.rng.below(10) {
			0..=3 => {
				let target = self.version_of(snap, &model);
				Call::create_ref { model, name, target, protected: self.rng.chance(50) }
			}
			4..=8 => {
				let to = self.version_of(snap, &model);
				let walk_limit = *self.rng.pick(&[0, 1, 3, 100, 100, 1_000, 1_000, 10_000, u32::MAX]);
				Call::move_ref { model, name, to, force: self.rng.chance(30), walk_limit }
			}
			_ => Call::set_ref_protection { model, name, protected: self.rng.bool() },
		};
		self.signed(who, RuntimeCall::Lineage(call))
	}

	// ---- licensing ----

	fn terms(&mut self) -> Terms<BlockNumber> {
		let mut allowed = (self.rng.next_u64() as u8) & EdgeKindSet::ALL_DERIVATIONS.0;
		if self.rng.chance(5) {
			allowed |= 0x81;
		}
		let mut paid = (self.rng.next_u64() as u8) & allowed;
		if self.rng.chance(5) {
			paid = self.rng.next_u64() as u8;
		}
		let mut upstream_share = [0u32; 7];
		for (kind, share) in upstream_share.iter_mut().enumerate() {
			if allowed & (1 << kind) != 0 && self.rng.chance(40) {
				*share = *self.rng.pick(&[1, 100_000_000, 500_000_000, 900_000_000, 900_000_001]);
			}
		}
		let derivatives = allowed != 0 || self.rng.chance(5);
		Terms {
			commercial_use: self.rng.chance(70),
			derivatives_allowed: EdgeKindSet(allowed),
			derivatives_paid: EdgeKindSet(paid),
			share_alike: derivatives && self.rng.chance(30),
			approval_required: derivatives && self.rng.chance(20),
			attribution_required: derivatives && self.rng.chance(30),
			name_prefix: (derivatives && self.rng.chance(15))
				.then(|| bytes(*self.rng.pick(&["acme-", "derived_", "Bad Prefix", ""]))),
			restrictions: RestrictionSet(self.rng.below(8)),
			upstream_share,
			grant_duration: match self.rng.below(5) {
				0 => Some(0),
				1 | 2 => Some(self.rng.range(1, 20) as BlockNumber),
				_ => None,
			},
			legal_hash: self.rng.bytes32(),
			legal_uri: bytes(if self.rng.chance(5) { "not a uri" } else { "https://legal.example/terms" }),
		}
	}

	fn offer(&mut self, snap: &Snapshot) -> (VersionId, u32, OfferKind, Balance) {
		match self.rng.maybe_pick(&snap.offers) {
			Some(offer) if self.rng.chance(85) => offer.clone(),
			_ => (self.version(snap), self.rng.below(4) as u32, OfferKind::Use, UNIT),
		}
	}

	fn owner_of_version(&mut self, snap: &Snapshot, version: &VersionId) -> AccountId {
		match snap.versions.iter().find(|(v, ..)| v == version) {
			Some((_, model, ..)) => {
				let model = model.clone();
				self.actor_for(snap, &model)
			}
			None => self.anyone(),
		}
	}

	fn licensing(&mut self, snap: &Snapshot, block: BlockNumber) -> Action {
		use pallet_licensing::Call;
		let call = |c: Call<Runtime>| RuntimeCall::Licensing(c);
		match self.rng.below(100) {
			0..=11 => {
				let who = self.anyone();
				let terms = self.terms();
				self.signed(who, call(Call::register_terms { terms }))
			}
			12..=17 => {
				let model = self.model_name(snap);
				let who = self.actor_for(snap, &model);
				let parts = self.rng.range(1, 4) as usize;
				let mut split: Vec<(AccountId, u16)> = Vec::new();
				let mut left = 10_000u16;
				for i in 0..parts {
					let bps = if i + 1 == parts { left } else { self.rng.range(1, u64::from(left.max(2)) - 1) as u16 };
					left = left.saturating_sub(bps);
					split.push((self.anyone(), bps));
				}
				if self.rng.chance(10) {
					split[0].1 = split[0].1.wrapping_add(1);
				}
				let split = split.try_into().unwrap_or_default();
				self.signed(who, call(Call::set_split { model, split }))
			}
			18..=31 => {
				let version = match self.rng.maybe_pick(&snap.licensed) {
					Some(v) if self.rng.chance(80) => *v,
					_ => self.version(snap),
				};
				let who = self.owner_of_version(snap, &version);
				let offer = self.rng.below(4) as u32;
				let kind = *self.rng.pick(&[OfferKind::Use, OfferKind::Derivative, OfferKind::Usage]);
				let price = match self.rng.below(6) {
					0 => 0,
					1 => MILLI_UNIT - 1,
					2 => MILLI_UNIT,
					_ => self.rng.range(1, 50) as Balance * UNIT,
				};
				self.signed(who, call(Call::set_offer { version, offer, kind, price }))
			}
			32..=35 => {
				let (version, offer, ..) = self.offer(snap);
				let who = self.owner_of_version(snap, &version);
				self.signed(who, call(Call::remove_offer { version, offer }))
			}
			36..=55 => {
				let (version, offer, offer_kind, price) = self.offer(snap);
				let who = self.anyone();
				let max_price = if self.rng.chance(85) { price } else { price.saturating_sub(1) };
				// Mostly the kind the offer sells; sometimes the other, as after a changed offer.
				let sold = if offer_kind == OfferKind::Derivative { GrantKind::Derivative } else { GrantKind::Use };
				let other = if sold == GrantKind::Use { GrantKind::Derivative } else { GrantKind::Use };
				let kind = if self.rng.chance(90) { sold } else { other };
				self.signed(who, call(Call::purchase { version, offer, kind, max_price }))
			}
			56..=59 => {
				let (version, who, kind) = match self.rng.maybe_pick(&snap.grants) {
					Some(grant) if self.rng.chance(80) => grant.clone(),
					_ => (self.version(snap), self.anyone(), GrantKind::Use),
				};
				self.signed(who, call(Call::drop_grant { version, kind }))
			}
			60..=63 => {
				let (parent, committer) = match self.rng.maybe_pick(&snap.approvals) {
					Some(approval) if self.rng.chance(40) => approval.clone(),
					_ => (self.version(snap), self.anyone()),
				};
				let who = self.owner_of_version(snap, &parent);
				if self.rng.chance(60) {
					self.signed(who, call(Call::approve_derivative { parent, committer }))
				} else {
					self.signed(who, call(Call::revoke_approval { parent, committer }))
				}
			}
			64..=71 => {
				let version = self.version(snap);
				let who = self.anyone();
				self.signed(who, call(Call::claim { version }))
			}
			72..=77 => {
				let usage: Vec<_> = snap.offers.iter().filter(|o| o.2 == OfferKind::Usage).cloned().collect();
				let (version, offer, _, price) = match self.rng.maybe_pick(&usage) {
					Some(o) if self.rng.chance(80) => o.clone(),
					_ => self.offer(snap),
				};
				let who = self.anyone();
				let provider = self.anyone();
				let deposit = match self.rng.below(4) {
					0 => 0,
					_ => self.rng.range(1, 100) as Balance * UNIT,
				};
				let expires_at = block + self.rng.range(0, 8) as BlockNumber;
				let max_unit_price = if self.rng.chance(90) { price } else { 0 };
				self.signed(
					who,
					call(Call::open_channel { version, offer, provider, deposit, expires_at, max_unit_price }),
				)
			}
			78..=85 => self.settle(snap, block),
			86..=89 => {
				let (channel, payer) = match self.rng.maybe_pick(&snap.channels) {
					Some((id, channel)) if self.rng.chance(85) => (*id, channel.payer.clone()),
					_ => (snap.next_channel, self.anyone()),
				};
				let who = if self.rng.chance(85) { payer } else { self.anyone() };
				self.signed(who, call(Call::refund { channel }))
			}
			90..=93 => {
				let who = self.anyone();
				if self.rng.chance(75) {
					let key = self.rng.bytes32();
					self.signed(who, call(Call::set_recipient { key }))
				} else {
					self.signed(who, call(Call::clear_recipient {}))
				}
			}
			_ => self.release_key(snap),
		}
	}

	/// The owner of `version`'s model, when both exist.
	fn model_owner(&self, snap: &Snapshot, version: &VersionId) -> Option<AccountId> {
		let (_, model, ..) = snap.versions.iter().find(|(v, ..)| v == version)?;
		snap.models.iter().find(|(m, _)| m == model).map(|(_, owner)| owner.clone())
	}

	/// A voucher settled by a channel's provider: mostly on a live channel, signed by its payer
	/// over the right payload, for units its deposit covers; otherwise with one thing wrong.
	/// With no live channel, mostly a step towards one instead.
	fn settle(&mut self, snap: &Snapshot, block: BlockNumber) -> Action {
		use pallet_licensing::Call;
		let call = |c: Call<Runtime>| RuntimeCall::Licensing(c);
		let live: Vec<&(u64, pallet_licensing::ChannelOf<Runtime>)> =
			snap.channels.iter().filter(|(_, channel)| channel.expires_at > block).collect();
		if live.is_empty() && self.rng.chance(80) {
			if let Some(step) = self.towards_channel(snap, block) {
				return step;
			}
		}
		let picked = match self.rng.maybe_pick(&live) {
			Some(channel) if self.rng.chance(95) => Some((*channel).clone()),
			_ => self.rng.maybe_pick(&snap.channels).cloned(),
		};
		let Some((id, channel)) = picked else {
			let channel = snap.next_channel + self.rng.below(2);
			let cumulative_units = self.rng.range(1, 20);
			let signer = self.anyone();
			let signature = self.voucher_signature(&signer, channel, 1, cumulative_units);
			let who = self.anyone();
			return self.signed(who, call(Call::settle { channel, cumulative_units, nonce: 1, signature }));
		};
		let covered = u64::try_from(channel.deposit / channel.unit_price.max(1)).unwrap_or(u64::MAX);
		let units = self.rng.range(1, covered.clamp(1, 50));
		let (mut who, mut signer) = (channel.provider, channel.payer);
		let mut nonce = channel.nonce + self.rng.range(1, 3);
		let mut cumulative_units = channel.settled_units.saturating_add(units);
		match self.rng.below(28) {
			0 => who = self.anyone(),
			1 => signer = self.anyone(),
			2 => nonce = channel.nonce,
			3 => cumulative_units = channel.settled_units,
			4 => cumulative_units = channel.settled_units.saturating_add(covered).saturating_add(1),
			_ => {}
		}
		// What the payer signs: the voucher sent, but sometimes another channel's or fewer units.
		let signed = match self.rng.below(28) {
			0 => (id + 1, cumulative_units),
			1 => (id, cumulative_units.saturating_sub(1)),
			_ => (id, cumulative_units),
		};
		let signature = self.voucher_signature(&signer, signed.0, nonce, signed.1);
		self.signed(who, call(Call::settle { channel: id, cumulative_units, nonce, signature }))
	}

	/// `signer`'s signature of a voucher for `cumulative_units` of `channel` at `nonce`: the
	/// payload the pallet documents, built here independently of it (zeros for an account
	/// without a key).
	fn voucher_signature(&self, signer: &AccountId, channel: u64, nonce: u64, cumulative_units: u64) -> MultiSignature {
		let payload = pallet_licensing::VoucherPayload {
			domain: *pallet_licensing::VOUCHER_DOMAIN,
			genesis: frame_system::Pallet::<Runtime>::block_hash(0),
			channel,
			nonce,
			cumulative_units,
		}
		.encode();
		match self.accounts.pairs.get(signer) {
			Some(pair) => MultiSignature::Sr25519(pair.sign(&payload)),
			None => MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw([0; 64])),
		}
	}

	/// A step towards a live usage channel: opening one on a usage offer, or, with none, a
	/// usage offer on a version whose terms allow commercial use.
	fn towards_channel(&mut self, snap: &Snapshot, block: BlockNumber) -> Option<Action> {
		use pallet_licensing::Call;
		let usage: Vec<&(VersionId, u32, OfferKind, Balance)> =
			snap.offers.iter().filter(|offer| offer.2 == OfferKind::Usage).collect();
		if let Some(&&(version, offer, _, price)) = self.rng.maybe_pick(&usage) {
			// The development accounts can afford the deposit.
			let payer = self.rng.pick(&self.accounts.funded[..12]).clone();
			let provider = self.rng.pick(&self.accounts.funded[..12]).clone();
			let deposit = self.rng.range(1, 100) as Balance * UNIT;
			let expires_at = block + self.rng.range(2, 12) as BlockNumber;
			let open = Call::open_channel { version, offer, provider, deposit, expires_at, max_unit_price: price };
			return Some(self.signed(payer, RuntimeCall::Licensing(open)));
		}
		let version = *self.rng.maybe_pick(&snap.commercial)?;
		let owner = self.model_owner(snap, &version)?;
		let offer = self.rng.below(4) as u32;
		let price = self.rng.range(1, 100) as Balance * MILLI_UNIT;
		let set = Call::set_offer { version, offer, kind: OfferKind::Usage, price };
		Some(self.signed(owner, RuntimeCall::Licensing(set)))
	}

	/// A key release by the owner of a sealed version's model, mostly to a grantee who may use
	/// it (a use-grant holder or the owner), has a recipient key and had no release yet, with
	/// one well-formed header per sealed file; otherwise with one thing wrong. With no sealed
	/// version, or a grantee without a key, mostly a step towards them instead.
	fn release_key(&mut self, snap: &Snapshot) -> Action {
		use pallet_licensing::Call;
		if snap.sealed.is_empty() && self.rng.chance(80) {
			if let Some(step) = self.sealed_commit(snap) {
				return step;
			}
		}
		let version = match self.rng.maybe_pick(&snap.sealed) {
			Some(v) if self.rng.chance(90) => *v,
			_ => self.version(snap),
		};
		let owner = self.model_owner(snap, &version);
		let mut grantees: Vec<AccountId> = snap
			.grants
			.iter()
			.filter(|(v, _, kind)| *v == version && *kind == GrantKind::Use)
			.map(|(_, who, _)| who.clone())
			.chain(owner.clone())
			.collect();
		grantees.retain(|who| !snap.released.contains(&(version, who.clone())));
		let grantee = match self.rng.maybe_pick(&grantees) {
			Some(who) if self.rng.chance(90) => who.clone(),
			_ => self.anyone(),
		};
		if !snap.recipients.contains(&grantee) && self.rng.chance(80) {
			let key = self.rng.bytes32();
			return self.signed(grantee, RuntimeCall::Licensing(Call::set_recipient { key }));
		}
		let who = match owner {
			Some(owner) if self.rng.chance(90) => owner,
			_ => self.owner_of_version(snap, &version),
		};
		let mut artifacts: Vec<u32> = pallet_licensing::Licenses::<Runtime>::get(version)
			.map(|license| license.license.sealed_files().iter().map(|file| file.artifact).collect())
			.unwrap_or_default();
		let mut header = TEST_SEAL_HEADER;
		match self.rng.below(24) {
			0 => artifacts.reverse(),
			1 => artifacts.push(999),
			2 => {
				artifacts.pop();
			}
			3 => header = "garbage",
			_ => {}
		}
		// A version with no sealed files (not sealed, or unknown): headers anyway, half the time.
		if artifacts.is_empty() && self.rng.chance(50) {
			artifacts = (0..self.rng.range(1, 3) as u32).collect();
		}
		let headers: Vec<KeyHeader> =
			artifacts.into_iter().map(|artifact| KeyHeader { artifact, header: bytes(header) }).collect();
		let headers = headers.try_into().unwrap_or_default();
		// Mostly wrapped for the key the grantee has recorded; sometimes for another one.
		let wrapped_for = match pallet_licensing::Recipients::<Runtime>::get(&grantee) {
			Some(record) if self.rng.chance(90) => record.key,
			_ => self.rng.bytes32(),
		};
		self.signed(who, RuntimeCall::Licensing(Call::release_key { version, grantee, wrapped_for, headers }))
	}

	/// A version committed by its model's owner with a licence sealing some of its files under
	/// terms that allow commercial use (so grants to use it can be bought).
	fn sealed_commit(&mut self, snap: &Snapshot) -> Option<Action> {
		let (model, owner) = self.rng.maybe_pick(&snap.models)?.clone();
		let terms = *self.rng.maybe_pick(&snap.commercial_terms)?;
		let mut manifest = self.manifest(snap, &model);
		let files = manifest.artifacts.len() as u32;
		if files == 0 {
			return None;
		}
		let mut indices: Vec<u32> = (0..files).filter(|_| self.rng.chance(50)).collect();
		if indices.is_empty() {
			indices.push(0);
		}
		manifest.license = sealed(terms, &indices);
		self.ghosts.push(manifest.id());
		Some(self.signed(owner, RuntimeCall::ModelRegistry(pallet_model_registry::Call::commit_version { manifest })))
	}

	// ---- attestations ----

	fn measure(&mut self) -> pallet_attestations::Measure {
		pallet_attestations::Measure {
			dataset: [self.rng.below(3) as u8; 32],
			metric: bytes(*self.rng.pick(&METRICS)),
			direction: if self.rng.bool() {
				pallet_attestations::Direction::HigherIsBetter
			} else {
				pallet_attestations::Direction::LowerIsBetter
			},
		}
	}

	fn attestations(&mut self, snap: &Snapshot) -> Action {
		use pallet_attestations::Call;
		let call = |c: Call<Runtime>| RuntimeCall::Attestations(c);
		match self.rng.below(100) {
			0..=14 => {
				let model = self.model_name(snap);
				let who = self.actor_for(snap, &model);
				let evaluator = self.anyone();
				self.signed(who, call(Call::add_evaluator { model, evaluator }))
			}
			15..=19 => {
				let (model, evaluator) = match self.rng.maybe_pick(&snap.evaluators) {
					Some(e) => e.clone(),
					None => (self.model_name(snap), self.anyone()),
				};
				let who = self.actor_for(snap, &model);
				self.signed(who, call(Call::remove_evaluator { model, evaluator }))
			}
			20..=24 => {
				let evaluator = self.anyone();
				let trusted = self.rng.chance(70);
				self.privileged(snap, call(Call::set_global_evaluator { evaluator, trusted }))
			}
			25..=59 => {
				let version = self.version(snap);
				let model = snap.versions.iter().find(|(v, ..)| *v == version).map(|(_, m, ..)| m.clone());
				let evaluators: Vec<AccountId> = snap
					.evaluators
					.iter()
					.filter(|(m, _)| Some(m) == model.as_ref())
					.map(|(_, who)| who.clone())
					.collect();
				let who = match self.rng.maybe_pick(&evaluators) {
					Some(e) if self.rng.chance(80) => e.clone(),
					_ => self.anyone(),
				};
				let mut names: Vec<&str> = METRICS.iter().copied().filter(|_| self.rng.chance(50)).collect();
				names.sort();
				if self.rng.chance(5) {
					names.reverse();
				}
				let metrics: Vec<Metric> = names
					.into_iter()
					.map(|name| Metric { name: bytes(name), value: MetricValue(self.rng.below(2_000_000_000) as i128) })
					.collect();
				let metrics = BoundedVec::truncate_from(metrics);
				let dataset = [self.rng.below(3) as u8; 32];
				let evidence_uri = bytes(if self.rng.chance(95) { "https://evals.example/run" } else { "bad uri" });
				let evidence_hash = self.rng.bytes32();
				self.signed(who, call(Call::attest { version, dataset, metrics, evidence_hash, evidence_uri }))
			}
			60..=69 => {
				let (version, index, evaluator) = match self.rng.maybe_pick(&snap.attestations) {
					Some(a) if self.rng.chance(85) => a.clone(),
					_ => (self.version(snap), self.rng.below(3) as u32, self.anyone()),
				};
				let who = if self.rng.chance(60) { evaluator } else { self.owner_of_version(snap, &version) };
				self.signed(who, call(Call::revoke { version, index, reason: bytes("wrong split") }))
			}
			70..=89 => {
				let (model, who) = self.model_with_versions(snap);
				let name = self.ref_name(snap, &model);
				let thresholds: Vec<pallet_attestations::Threshold> = (0..self.rng.below(4))
					.map(|_| pallet_attestations::Threshold {
						measure: self.measure(),
						bound: MetricValue(self.rng.below(2_000_000_000) as i128),
					})
					.collect();
				let policy = pallet_attestations::Policy {
					min_evaluators: self.rng.below(4) as u32,
					thresholds: BoundedVec::truncate_from(thresholds),
					must_beat: self.rng.chance(30).then(|| self.measure()),
				};
				self.signed(who, call(Call::set_policy { model, name, policy }))
			}
			_ => {
				let (model, name) = match self.rng.maybe_pick(&snap.policies) {
					Some(p) => p.clone(),
					None => {
						let model = self.model_name(snap);
						let name = self.ref_name(snap, &model);
						(model, name)
					}
				};
				let who = self.actor_for(snap, &model);
				self.signed(who, call(Call::remove_policy { model, name }))
			}
		}
	}

	// ---- curation ----

	fn curation(&mut self, snap: &Snapshot) -> Action {
		use pallet_curation::Call;
		let call = |c: Call<Runtime>| RuntimeCall::Curation(c);
		let position = |generator: &mut Self| match generator.rng.maybe_pick(&snap.positions) {
			Some(p) if generator.rng.chance(85) => p.clone(),
			_ => (generator.version(snap), generator.anyone()),
		};
		match self.rng.below(100) {
			0..=24 => {
				let version = self.version(snap);
				let who = self.anyone();
				let amount = if self.rng.chance(70) { self.rng.range(1, 200) as Balance * UNIT } else { self.amount() };
				self.signed(who, call(Call::stake { version, amount }))
			}
			25..=36 => {
				let (version, who) = position(self);
				let amount = if self.rng.chance(60) { self.rng.range(1, 100) as Balance * UNIT } else { self.amount() };
				self.signed(who, call(Call::unbond { version, amount }))
			}
			37..=46 => {
				let (version, who) = position(self);
				self.signed(who, call(Call::withdraw { version }))
			}
			47..=56 => {
				let (version, who) = position(self);
				self.signed(who, call(Call::claim { version }))
			}
			57..=64 => {
				let (version, who) = position(self);
				let caller = self.anyone();
				self.signed(caller, call(Call::activate { version, who }))
			}
			65..=74 => {
				let version = self.version(snap);
				let who = self.anyone();
				let reason = *self.rng.pick(&[
					pallet_curation::DisputeReason::Malware,
					pallet_curation::DisputeReason::LicenseViolation,
					pallet_curation::DisputeReason::FakeMetrics,
					pallet_curation::DisputeReason::Other,
				]);
				let evidence = bytes(if self.rng.chance(95) { "ipfs://evidence" } else { "no scheme" });
				self.signed(who, call(Call::open_dispute { version, reason, evidence }))
			}
			75..=79 => {
				let dispute = match self.rng.maybe_pick(&snap.disputes) {
					Some(d) if self.rng.chance(85) => *d,
					_ => snap.next_dispute + self.rng.below(2),
				};
				let who = self.anyone();
				self.signed(who, call(Call::close_lapsed_dispute { dispute }))
			}
			_ => {
				let resolve = self.resolve_dispute(snap);
				match self.rng.below(10) {
					0..=4 => Action { origin: Origin::Council(2, 3), call: resolve },
					5 => Action { origin: Origin::Council(3, 3), call: resolve },
					6 => Action { origin: Origin::Council(1, 3), call: resolve },
					7 => self.propose(snap, resolve),
					8 => Action { origin: Origin::Root, call: resolve },
					_ => {
						let who = self.anyone();
						self.signed(who, resolve)
					}
				}
			}
		}
	}

	/// A verdict on a dispute (mostly an open one), which only a council majority may give.
	fn resolve_dispute(&mut self, snap: &Snapshot) -> RuntimeCall {
		let dispute = match self.rng.maybe_pick(&snap.disputes) {
			Some(d) if self.rng.chance(85) => *d,
			_ => snap.next_dispute + self.rng.below(2),
		};
		let redirect_to = self.rng.chance(30).then(|| self.anyone());
		RuntimeCall::Curation(pallet_curation::Call::resolve_dispute {
			dispute,
			upheld: self.rng.chance(50),
			slash: self.perbill(),
			reporter_share: self.perbill(),
			redirect_to,
		})
	}

	// ---- council ----

	/// A step of a council motion: mostly a vote or close on an open one (by the members
	/// entitled, sometimes a stranger, with the right bounds mostly), else a new proposal.
	fn council(&mut self, snap: &Snapshot) -> Action {
		use pallet_collective::Call;
		let call = |c: Call<Runtime, pallet_collective::Instance1>| RuntimeCall::Council(c);
		let Some(motion) = self.rng.maybe_pick(&snap.motions).cloned().filter(|_| self.rng.chance(85)) else {
			let proposal = if self.rng.chance(60) { self.resolve_dispute(snap) } else { self.root_call(snap) };
			return self.propose(snap, proposal);
		};
		let (hash, index) = match self.rng.below(20) {
			0 => (Hash::from(self.rng.bytes32()), motion.index),
			1 => (motion.hash, motion.index + 1),
			_ => (motion.hash, motion.index),
		};
		let seats = snap.council.len() as u32;
		let decided = motion.ayes.len() as u32 >= motion.threshold
			|| seats.saturating_sub(motion.nays.len() as u32) < motion.threshold;
		if (decided && self.rng.chance(85)) || self.rng.chance(10) {
			let who = self.anyone();
			let length_bound = if self.rng.chance(5) { motion.length - 1 } else { motion.length };
			let proposal_weight_bound = if self.rng.chance(5) { Weight::zero() } else { motion.weight };
			return self
				.signed(who, call(Call::close { proposal_hash: hash, index, proposal_weight_bound, length_bound }));
		}
		let undecided: Vec<AccountId> = snap
			.council
			.iter()
			.filter(|member| !motion.ayes.contains(member) && !motion.nays.contains(member))
			.cloned()
			.collect();
		let who = match self.rng.maybe_pick(&undecided) {
			Some(member) if self.rng.chance(85) => member.clone(),
			_ => match self.rng.maybe_pick(&snap.council) {
				Some(member) if self.rng.chance(50) => member.clone(),
				_ => self.anyone(),
			},
		};
		let approve = self.rng.chance(70);
		self.signed(who, call(Call::vote { proposal: hash, index, approve }))
	}

	/// `call` proposed as a council motion, mostly by a member, with a threshold of a majority
	/// or of every seat, sometimes of one (dispatched at once) or more than the seats (never
	/// passes).
	fn propose(&mut self, snap: &Snapshot, call: RuntimeCall) -> Action {
		let seats = snap.council.len() as u32;
		let who = match self.rng.maybe_pick(&snap.council) {
			Some(member) if self.rng.chance(90) => member.clone(),
			_ => self.anyone(),
		};
		let threshold = match self.rng.below(10) {
			0 => 1,
			1 => seats + 1,
			2..=6 => seats / 2 + 1,
			_ => seats,
		};
		let length = call.encoded_size() as u32;
		let length_bound = if self.rng.chance(5) { length - 1 } else { length };
		let propose = pallet_collective::Call::propose { threshold, proposal: Box::new(call), length_bound };
		self.signed(who, RuntimeCall::Council(propose))
	}

	/// One of the calls governance (Root or a council majority) may dispatch, or a Root call
	/// through the whitelist (which needs two thirds of the council).
	fn root_call(&mut self, snap: &Snapshot) -> RuntimeCall {
		let name = self.org_name(snap).try_into().unwrap_or_default();
		match self.rng.below(5) {
			3 => self.validator_change(snap),
			4 => {
				// A Root call as the runtime's docs describe it: whitelist its hash and dispatch it.
				let root = RuntimeCall::System(frame_system::Call::remark_with_event { remark: b"by motion".to_vec() });
				let call_hash =
					<<Runtime as frame_system::Config>::Hashing as sp_runtime::traits::Hash>::hash_of(&root);
				RuntimeCall::Utility(pallet_utility::Call::batch_all {
					calls: vec![
						RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash }),
						RuntimeCall::Whitelist(pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
							call: Box::new(root),
						}),
					],
				})
			}
			0 => RuntimeCall::ModelRegistry(pallet_model_registry::Call::set_reserved_name {
				name,
				reserved: self.rng.bool(),
			}),
			1 => {
				RuntimeCall::ModelRegistry(pallet_model_registry::Call::force_create_org { name, owner: self.anyone() })
			}
			_ => RuntimeCall::Attestations(pallet_attestations::Call::set_global_evaluator {
				evaluator: self.anyone(),
				trusted: self.rng.chance(70),
			}),
		}
	}

	// ---- validators ----

	/// Session keys and validator changes: an account registers keys (mostly with a valid
	/// proof of possession) or purges them; a validator change goes through the council's
	/// origins, a motion, Root (refused) or a signature (refused).
	fn validators(&mut self, snap: &Snapshot) -> Action {
		use pallet_session::Call;
		match self.rng.below(10) {
			0..=3 => {
				let who = self.anyone();
				let seed = self.rng.bytes32();
				let keys = zoo_runtime::opaque::SessionKeys {
					aura: sp_core::sr25519::Pair::from_seed(&seed).public().into(),
					grandpa: sp_core::ed25519::Pair::from_seed(&seed).public().into(),
				};
				let proof = if self.rng.chance(85) {
					use sp_core::proof_of_possession::ProofOfPossessionGenerator;
					let owner = who.encode();
					(
						sp_core::sr25519::Pair::from_seed(&seed).generate_proof_of_possession(&owner),
						sp_core::ed25519::Pair::from_seed(&seed).generate_proof_of_possession(&owner),
					)
						.encode()
				} else {
					self.rng.bytes32().to_vec()
				};
				self.signed(who, RuntimeCall::Session(Call::set_keys { keys, proof }))
			}
			4 => {
				let who = self.anyone();
				self.signed(who, RuntimeCall::Session(Call::purge_keys {}))
			}
			_ => {
				let change = self.validator_change(snap);
				match self.rng.below(10) {
					0..=4 => Action { origin: Origin::Council(2, 3), call: change },
					5 => Action { origin: Origin::Council(1, 3), call: change },
					6 => self.propose(snap, change),
					7 => Action { origin: Origin::Root, call: change },
					_ => {
						let who = self.anyone();
						self.signed(who, change)
					}
				}
			}
		}
	}

	/// Admit an account (mostly one with session keys) or remove one (mostly a member of the
	/// planned set).
	fn validator_change(&mut self, snap: &Snapshot) -> RuntimeCall {
		use pallet_validator_set::Call;
		if self.rng.chance(50) {
			let who = match self.rng.maybe_pick(&snap.keyed) {
				Some(keyed) if self.rng.chance(80) => keyed.clone(),
				_ => self.anyone(),
			};
			RuntimeCall::ValidatorSet(Call::add_validator { who })
		} else {
			let who = match self.rng.maybe_pick(&snap.validators) {
				Some(v) if self.rng.chance(80) => v.clone(),
				_ => self.anyone(),
			};
			RuntimeCall::ValidatorSet(Call::remove_validator { who })
		}
	}

	// ---- balances ----

	fn balances(&mut self) -> Action {
		use pallet_balances::Call;
		let who = self.anyone();
		let dest = self.anyone().into();
		let value = if self.rng.chance(60) { self.rng.range(1, 500) as Balance * UNIT } else { self.amount() };
		let call = match self.rng.below(10) {
			0..=5 => Call::transfer_keep_alive { dest, value },
			6..=8 => Call::transfer_allow_death { dest, value },
			_ => Call::transfer_all { dest, keep_alive: self.rng.bool() },
		};
		self.signed(who, RuntimeCall::Balances(call))
	}
}
