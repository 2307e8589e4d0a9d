//! Random calls over every pallet, with sensible-but-hostile arguments: mostly aimed at what
//! exists (the models, versions, refs, offers, channels and disputes in storage, sent by the
//! account entitled to act), and often not (unknown or yanked versions, strangers, malformed
//! names and manifests, huge manifests, prices and amounts at the edges).

use crate::chain::{Accounts, Action, Origin};
use crate::rng::Rng;
use codec::Encode;
use frame_support::BoundedVec;
use pallet_licensing::{EdgeKindSet, GrantKind, KeyHeader, OfferKind, RestrictionSet, Terms};
use sp_core::Pair;
use sp_runtime::{MultiSignature, Perbill};
use zoo_primitives::{
	testing::{artifact, bytes, sealed, ManifestBuilder, TEST_SEAL_HEADER},
	Artifact, ArtifactDigest, ArtifactKind, DigestAlgorithm, EdgeKind, HashingSettings, License, Manifest, Metric,
	MetricValue, ModelName, OrgName, OrgRole, RefName, Role, VersionId,
};
use zoo_runtime::{AccountId, Balance, BlockNumber, Runtime, RuntimeCall, MILLI_UNIT, UNIT};

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
	/// (id, payer, provider, nonce, settled units, unit price)
	channels: Vec<(u64, AccountId, AccountId, u64, u64, Balance)>,
	disputes: Vec<u64>,
	positions: Vec<(VersionId, AccountId)>,
	attestations: Vec<(VersionId, u32, AccountId)>,
	evaluators: Vec<(ModelName, AccountId)>,
	sealed: Vec<VersionId>,
	/// Versions licensed under terms (offers need them).
	licensed: Vec<VersionId>,
	grants: Vec<(VersionId, AccountId, GrantKind)>,
	approvals: Vec<(VersionId, AccountId)>,
	policies: Vec<(ModelName, RefName)>,
	next_channel: u64,
	next_dispute: u64,
	next_terms: u64,
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
			channels: lic::Channels::<Runtime>::iter()
				.map(|(id, c)| (id, c.payer, c.provider, c.nonce, c.settled_units, c.unit_price))
				.collect(),
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
			grants: lic::Grants::<Runtime>::iter_keys().collect(),
			approvals: lic::Approvals::<Runtime>::iter_keys().collect(),
			policies: att::Policies::<Runtime>::iter_keys().collect(),
			next_channel: lic::NextChannelId::<Runtime>::get(),
			next_dispute: cur::NextDisputeId::<Runtime>::get(),
			next_terms: lic::NextTermsId::<Runtime>::get(),
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
	pub fn new(seed: u64, accounts: &'a Accounts) -> Self {
		Generator { rng: Rng::new(seed), accounts, counter: 0, ghosts: Vec::new() }
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

	/// One action over any pallet.
	pub fn action(&mut self, snap: &Snapshot, block: BlockNumber) -> Action {
		self.counter += 1;
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
			_ => self.balances(),
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
				self.privileged(call(Call::set_reserved_name { name, reserved }))
			}
			_ => {
				let name = self.org_name(snap).try_into().unwrap_or_default();
				let owner = self.anyone();
				self.privileged(call(Call::force_create_org { name, owner }))
			}
		}
	}

	/// A root-only call: mostly through root, sometimes signed (refused).
	fn privileged(&mut self, call: RuntimeCall) -> Action {
		if self.rng.chance(80) {
			Action { origin: Origin::Root, call }
		} else {
			let who = self.anyone();
			self.signed(who, call)
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
		let terms = |gen: &mut Self| match gen.rng.maybe_pick(&snap.terms) {
			Some(id) if gen.rng.chance(85) => *id,
			_ => gen.rng.below(snap.next_terms + 3),
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
				let (version, offer, _, price) = self.offer(snap);
				let who = self.anyone();
				let max_price = if self.rng.chance(85) { price } else { price.saturating_sub(1) };
				self.signed(who, call(Call::purchase { version, offer, max_price }))
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
			78..=85 => {
				let (channel, payer, provider, nonce, settled, _) = match self.rng.maybe_pick(&snap.channels) {
					Some(c) if self.rng.chance(85) => c.clone(),
					_ => (snap.next_channel + self.rng.below(2), self.anyone(), self.anyone(), 0, 0, 0),
				};
				let who = if self.rng.chance(85) { provider } else { self.anyone() };
				let nonce = if self.rng.chance(85) { nonce + 1 } else { nonce };
				let cumulative_units = settled + self.rng.range(0, 20);
				let payload = pallet_licensing::VoucherPayload {
					domain: *pallet_licensing::VOUCHER_DOMAIN,
					genesis: frame_system::Pallet::<Runtime>::block_hash(0),
					channel,
					nonce,
					cumulative_units,
				}
				.encode();
				let signer = if self.rng.chance(85) { payer } else { self.anyone() };
				let signature = match self.accounts.pairs.get(&signer) {
					Some(pair) => MultiSignature::Sr25519(pair.sign(&payload)),
					None => MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw([0; 64])),
				};
				self.signed(who, call(Call::settle { channel, cumulative_units, nonce, signature }))
			}
			86..=89 => {
				let (channel, payer) = match self.rng.maybe_pick(&snap.channels) {
					Some(c) if self.rng.chance(85) => (c.0, c.1.clone()),
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
			_ => {
				let version = match self.rng.maybe_pick(&snap.sealed) {
					Some(v) if self.rng.chance(85) => *v,
					_ => self.version(snap),
				};
				let who = self.owner_of_version(snap, &version);
				let holders: Vec<AccountId> =
					snap.grants.iter().filter(|(v, ..)| *v == version).map(|(_, who, _)| who.clone()).collect();
				let grantee = match self.rng.maybe_pick(&holders) {
					Some(holder) if self.rng.chance(85) => holder.clone(),
					_ => self.anyone(),
				};
				// One header per sealed file of the version, mostly.
				let mut artifacts: Vec<u32> = pallet_licensing::Licenses::<Runtime>::get(version)
					.map(|license| license.license.sealed_files().iter().map(|file| file.artifact).collect())
					.unwrap_or_default();
				if artifacts.is_empty() || self.rng.chance(10) {
					artifacts = (0..self.rng.range(0, 3) as u32).collect();
				}
				if self.rng.chance(5) {
					artifacts.push(999);
				}
				let headers: Vec<KeyHeader> = artifacts
					.into_iter()
					.map(|artifact| KeyHeader {
						artifact,
						header: bytes(if self.rng.chance(95) { TEST_SEAL_HEADER } else { "garbage" }),
					})
					.collect();
				let headers = headers.try_into().unwrap_or_default();
				self.signed(who, call(Call::release_key { version, grantee, headers }))
			}
		}
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
				self.privileged(call(Call::set_global_evaluator { evaluator, trusted }))
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
		let position = |gen: &mut Self| match gen.rng.maybe_pick(&snap.positions) {
			Some(p) if gen.rng.chance(85) => p.clone(),
			_ => (gen.version(snap), gen.anyone()),
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
			65..=79 => {
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
			_ => {
				let dispute = match self.rng.maybe_pick(&snap.disputes) {
					Some(d) if self.rng.chance(85) => *d,
					_ => snap.next_dispute + self.rng.below(2),
				};
				let redirect_to = self.rng.chance(30).then(|| self.anyone());
				let resolve = Call::resolve_dispute {
					dispute,
					upheld: self.rng.chance(50),
					slash: self.perbill(),
					reporter_share: self.perbill(),
					redirect_to,
				};
				let origin = match self.rng.below(10) {
					0..=5 => Origin::Council(2, 3),
					6 => Origin::Council(3, 3),
					7 => Origin::Council(1, 3),
					8 => Origin::Root,
					_ => Origin::Signed(self.anyone()),
				};
				Action { origin, call: call(resolve) }
			}
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
