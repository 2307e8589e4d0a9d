//! Benchmarks for the model registry (benchmarks v2).

use super::*;
use crate::Pallet as ModelRegistry;
use alloc::{format, vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, fungible::Mutate};
use frame_system::RawOrigin;
use sp_runtime::traits::Bounded;
use zoo_primitives::*;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn model_name() -> ModelName {
	b"bench/model".to_vec().try_into().expect("fits")
}

fn filled<const N: u32>(prefix: &str, fill: u8) -> Bytes<N> {
	let mut bytes = prefix.as_bytes().to_vec();
	bytes.resize(N as usize, fill);
	bytes.try_into().expect("exactly N bytes")
}

/// A root manifest of `bench/model` made unique by `seed`.
fn small_manifest(seed: u32) -> Manifest {
	Manifest {
		model: model_name(),
		parents: Default::default(),
		artifacts: Default::default(),
		metrics: Default::default(),
		license: License::Unspecified,
		tags: Default::default(),
		message: format!("parent {seed}").into_bytes().try_into().expect("short"),
		hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
	}
}

/// Models and versions for other pallets' benchmarks: their `Config::BenchmarkHelper`s name the
/// registry as their `ModelsForBenchmarks`.
impl<T: Config> ModelsForBenchmarks<T::AccountId> for Pallet<T> {
	fn create_model(model: &ModelName, owner: &T::AccountId) {
		let _ = Self::do_create_model(owner.clone(), model.clone());
	}

	fn add_admin(model: &ModelName, who: &T::AccountId) {
		if let Some(details) = Models::<T>::get(model) {
			let _ = Self::do_set_role(details.owner, model.clone(), who.clone(), Some(Role::Admin));
		}
	}

	fn commit(model: &ModelName, owner: &T::AccountId, seed: u32, parent: Option<VersionId>) -> VersionId {
		let mut manifest = small_manifest(seed);
		manifest.model = model.clone();
		if let Some(id) = parent {
			manifest.parents.try_push(Parent { id, edge: EdgeKind::Revision }).expect("one parent fits");
		}
		Self::do_commit_version(owner.clone(), manifest).expect("a valid commit by the owner")
	}
}

/// The worst case for `a` artifacts and the given parents: every field at its longest, as many
/// of the `a` artifacts as `MaxManifestLen` admits.
fn large_manifest<T: Config>(a: u32, parents: Vec<Parent>) -> Manifest {
	let metrics: Vec<Metric> = (0..MAX_METRICS)
		.map(|i| Metric { name: filled(&format!("m{i:03}"), b'x'), value: MetricValue(i128::MAX) })
		.collect();
	let tags: Vec<Tag> =
		(0..MAX_TAGS).map(|i| Tag { key: filled(&format!("t{i:03}"), b'x'), value: filled("", b'v') }).collect();
	let mut manifest = Manifest {
		model: model_name(),
		parents: parents.try_into().expect("at most MAX_PARENTS"),
		artifacts: Default::default(),
		metrics: metrics.try_into().expect("MAX_METRICS"),
		license: License::Spdx(filled("MIT", b'x')),
		tags: tags.try_into().expect("MAX_TAGS"),
		message: filled("", b'm'),
		hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
	};
	for i in 0..a {
		let artifact = Artifact {
			path: filled(&format!("{i:05}/"), b'p'),
			kind: ArtifactKind::Weights,
			size: u64::MAX,
			digest: ArtifactDigest { algorithm: DigestAlgorithm::Sha2_256, bytes: [0xab; 32] },
			uri: filled("https://", b'u'),
		};
		if manifest.encoded_size() + artifact.encoded_size() > T::MaxManifestLen::get() as usize {
			break;
		}
		manifest.artifacts.try_push(artifact).expect("at most MAX_ARTIFACTS");
	}
	manifest
}

/// An organisation name made unique by `index`.
fn org_name(index: u32) -> OrgName {
	format!("org{index}").into_bytes().try_into().expect("short")
}

/// `bench/model` owned by a funded owner, with a funded maintainer holding `Admin`: the caller
/// of the worst cases, since a maintainer's role costs a read the owner's does not.
fn model_with_admin<T: Config>() -> Result<(T::AccountId, T::AccountId), BenchmarkError> {
	let owner = funded::<T>("owner", 0);
	ModelRegistry::<T>::do_create_model(owner.clone(), model_name())?;
	let admin = funded::<T>("admin", 0);
	ModelRegistry::<T>::do_set_role(owner.clone(), model_name(), admin.clone(), Some(Role::Admin))?;
	Ok((owner, admin))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The worst case claims the organisation too.
	#[benchmark]
	fn create_model() {
		let owner = funded::<T>("owner", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), model_name());
		assert_eq!(Models::<T>::get(model_name()).map(|m| m.owner), Some(owner));
	}

	#[benchmark]
	fn create_org() {
		let owner = funded::<T>("owner", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), org_name(0));
		assert_eq!(Orgs::<T>::get(org_name(0)).map(|org| org.owner), Some(owner));
	}

	/// An admin member (not the owner) adds a member.
	#[benchmark]
	fn set_org_role() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		ModelRegistry::<T>::do_create_org(owner.clone(), org_name(0), false)?;
		let admin = funded::<T>("admin", 0);
		ModelRegistry::<T>::do_set_org_role(owner, org_name(0), admin.clone(), Some(OrgRole::Admin))?;
		let who: T::AccountId = account("member", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), org_name(0), who.clone(), Some(OrgRole::Member));
		assert_eq!(ModelRegistry::<T>::org_role_of(&org_name(0), &who), Some(OrgRole::Member));
		Ok(())
	}

	#[benchmark]
	fn set_reserved_name() -> Result<(), BenchmarkError> {
		let origin = T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org_name(0), true);
		assert!(ReservedNames::<T>::contains_key(name_skeleton(&org_name(0))));
		Ok(())
	}

	#[benchmark]
	fn force_create_org() -> Result<(), BenchmarkError> {
		let origin = T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let owner: T::AccountId = account("owner", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org_name(0), owner.clone());
		assert_eq!(Orgs::<T>::get(org_name(0)).map(|org| org.owner), Some(owner));
		Ok(())
	}

	/// A maintainer with `Admin` (not the owner) adds a maintainer.
	#[benchmark]
	fn set_role() -> Result<(), BenchmarkError> {
		let (_, admin) = model_with_admin::<T>()?;
		let who: T::AccountId = account("maintainer", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model_name(), who.clone(), Some(Role::Committer));
		assert_eq!(ModelRegistry::<T>::role_of(&model_name(), &who), Some(Role::Committer));
		Ok(())
	}

	#[benchmark]
	fn offer_ownership() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		ModelRegistry::<T>::do_create_model(owner.clone(), model_name())?;
		let to: T::AccountId = account("new-owner", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model_name(), Some(to.clone()));
		assert_eq!(Models::<T>::get(model_name()).and_then(|m| m.pending_owner), Some(to));
		Ok(())
	}

	/// The new owner was a maintainer: its entry goes and its deposit is released.
	#[benchmark]
	fn accept_ownership() -> Result<(), BenchmarkError> {
		let (owner, admin) = model_with_admin::<T>()?;
		ModelRegistry::<T>::do_offer_ownership(owner, model_name(), Some(admin.clone()))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin.clone()), model_name());
		assert_eq!(Models::<T>::get(model_name()).map(|m| m.owner), Some(admin));
		Ok(())
	}

	/// The worst case: a maintainer commits `a` artifacts on `p` parents, each parent the
	/// yanked root of its own model (so each adds derivation links, and the caller's admin role
	/// on each parent's model is read to let it build on a yanked version).
	#[benchmark]
	fn commit_version(a: Linear<0, MAX_ARTIFACTS>, p: Linear<0, MAX_PARENTS>) -> Result<(), BenchmarkError> {
		let (owner, admin) = model_with_admin::<T>()?;
		let edge = if p == 1 { EdgeKind::Finetune } else { EdgeKind::Merge };
		let mut parents = Vec::new();
		for seed in 0..p {
			let model: ModelName = format!("bench/parent-{seed}").into_bytes().try_into().expect("short");
			ModelRegistry::<T>::do_create_model(owner.clone(), model.clone())?;
			ModelRegistry::<T>::do_set_role(owner.clone(), model.clone(), admin.clone(), Some(Role::Admin))?;
			let mut root = small_manifest(seed);
			root.model = model;
			let id = ModelRegistry::<T>::do_commit_version(owner.clone(), root)?;
			ModelRegistry::<T>::do_yank_version(owner.clone(), id, b"yanked".to_vec().try_into().expect("short"))?;
			parents.push(Parent { id, edge });
		}
		let manifest = large_manifest::<T>(a, parents);
		let id = manifest.id();
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), manifest);
		assert!(Versions::<T>::contains_key(id));
		Ok(())
	}

	/// A maintainer with `Admin` yanks.
	#[benchmark]
	fn yank_version() -> Result<(), BenchmarkError> {
		let (owner, admin) = model_with_admin::<T>()?;
		let id = ModelRegistry::<T>::do_commit_version(owner, small_manifest(0))?;
		let reason: YankReason = vec![b'r'; MAX_YANK_REASON_LEN as usize].try_into().expect("exact bound");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, reason);
		assert!(Versions::<T>::get(id).is_some_and(|record| record.yanked.is_some()));
		Ok(())
	}

	impl_benchmark_test_suite!(ModelRegistry, crate::mock::new_test_ext(), crate::mock::Test);
}
