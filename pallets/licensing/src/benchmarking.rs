//! Benchmarks for the licensing pallet (benchmarks v2). Each call at its worst: the longest
//! terms, full splits and royalty tables, new grants and holds, every licence record read as
//! large as it gets (sealed, with the most files and the longest owner headers), for the
//! commit hook every parent of another model under terms that need a grant, an approval and
//! attribution, and for a key release the longest header for every sealed file.

use super::*;
use crate::Pallet as Licensing;
use alloc::{format, vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{Get, fungible::Mutate};
use frame_system::{RawOrigin, pallet_prelude::BlockNumberFor};
use sp_runtime::traits::{Bounded, Zero};
use zoo_primitives::*;

/// The registry, as this pallet's benchmarks make models through it.
type Models<T> = <<T as Config>::BenchmarkHelper as BenchmarkHelper<
	<T as frame_system::Config>::AccountId,
	<T as Config>::OffchainSignature,
>>::Models;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	fund::<T>(&who);
	who
}

fn fund<T: Config>(who: &T::AccountId) {
	T::Currency::set_balance(who, BalanceOf::<T>::max_value() / 4u32.into());
}

fn model(name: &str) -> ModelName {
	name.as_bytes().to_vec().try_into().expect("short")
}

fn filled<const N: u32>(prefix: &str, fill: u8) -> Bytes<N> {
	let mut bytes = prefix.as_bytes().to_vec();
	bytes.resize(N as usize, fill);
	bytes.try_into().expect("exactly N bytes")
}

/// Terms at their longest, allowing every derivation for a paid grant with approval and
/// attribution, asking `share` per kind; `seed` makes them unique.
fn terms<T: Config>(share: Ppb, seed: u8) -> TermsOf<T> {
	let mut upstream_share = [share; 7];
	upstream_share[EdgeKind::Revision as usize] = 0;
	Terms {
		commercial_use: true,
		derivatives_allowed: EdgeKindSet::ALL_DERIVATIONS,
		derivatives_paid: EdgeKindSet::ALL_DERIVATIONS,
		share_alike: false,
		approval_required: true,
		attribution_required: true,
		name_prefix: Some(b"bench".to_vec().try_into().expect("short")),
		restrictions: RestrictionSet(u64::MAX >> 1),
		upstream_share,
		grant_duration: Some(BlockNumberFor::<T>::max_value() / 4u32.into()),
		legal_hash: [seed; 32],
		legal_uri: filled("https://", b'u'),
	}
}

fn register<T: Config>(who: &T::AccountId, terms: TermsOf<T>) -> Result<TermsId, BenchmarkError> {
	Ok(Licensing::<T>::do_register_terms(who.clone(), terms)?)
}

fn version(seed: u32) -> VersionId {
	VersionId::of_bytes(&format!("bench version {seed}").into_bytes())
}

/// A version of `model` (owned by `owner`) under `license`, as if committed, with a royalty
/// table of `entries` entries and a split of `MaxContributors` contributors, `last` among them
/// last.
fn licensed_version<T: Config>(
	seed: u32,
	model: &ModelName,
	license: License,
	entries: u32,
	last: &T::AccountId,
) -> VersionId {
	let id = version(seed);
	let mut table: Vec<RoyaltyEntry> = (1..entries)
		.map(|i| RoyaltyEntry { version: version(seed * 1_000 + i), share: 1_000, hops: 1 })
		.chain([RoyaltyEntry { version: id, share: BILLION - 1_000 * (entries - 1), hops: 0 }])
		.collect();
	table.sort();
	let contributors = T::MaxContributors::get();
	let mut split: Vec<(T::AccountId, Bps)> =
		(1..contributors).map(|i| (account("contributor", seed * 1_000 + i, 0), 1)).collect();
	split.push((last.clone(), FULL_BPS - (contributors as Bps - 1)));
	Licenses::<T>::insert(id, VersionLicense { model: model.clone(), license, obligations: Default::default() });
	Royalties::<T>::insert(id, RoyaltyTableOf::<T>::try_from(table).expect("within MaxRoyaltyEntries"));
	VersionSplits::<T>::insert(id, SplitOf::<T>::try_from(split).expect("MaxContributors"));
	id
}

/// The longest age header a key release accepts: [`MAX_SEAL_HEADER_LEN`] bytes, its last (MAC)
/// line as long as it can be, since the header check scans that line.
fn longest_header() -> Bytes<MAX_SEAL_HEADER_LEN> {
	let mut header = AGE_HEADER_PREFIX.as_bytes().to_vec();
	header.extend_from_slice(b"--- ");
	header.resize(MAX_SEAL_HEADER_LEN as usize - 1, b'M');
	header.push(b'\n');
	header.try_into().expect("exactly MAX_SEAL_HEADER_LEN bytes")
}

/// A sealed licence on `terms` encrypting artifacts `0..files`, each with the longest owner
/// header.
fn sealed_license(terms: TermsId, files: u32) -> License {
	let files: Vec<SealedFile> = (0..files)
		.map(|artifact| SealedFile {
			artifact,
			plaintext_size: u64::MAX,
			plaintext_digest: [9; 32],
			owner_header: longest_header(),
		})
		.collect();
	License::Sealed { terms, scheme: SealScheme::AgeV1, files: files.try_into().expect("at most MAX_ARTIFACTS") }
}

/// `bench/model` owned by `owner` with a version under the longest terms, offer 0 a use
/// offer, 1 a derivative offer and 2 a usage offer. The version is sealed with the most
/// encrypted artifacts a manifest has, each with the longest owner header: its `Licenses`
/// record is the largest there is, and every call that reads it decodes all of it (audit
/// A3-11).
fn version_on_offer<T: Config>(owner: &T::AccountId, entries: u32) -> Result<VersionId, BenchmarkError> {
	version_on_offer_sealing::<T>(owner, entries, MAX_ARTIFACTS)
}

/// As [`version_on_offer`], the version sealed with `sealed` encrypted artifacts (none: under
/// `License::Terms`).
fn version_on_offer_sealing<T: Config>(
	owner: &T::AccountId,
	entries: u32,
	sealed: u32,
) -> Result<VersionId, BenchmarkError> {
	Models::<T>::create_model(&model("bench/model"), owner);
	let terms = register::<T>(owner, terms::<T>(0, 0))?;
	let license = if sealed == 0 { License::Terms(terms) } else { sealed_license(terms, sealed) };
	let id = licensed_version::<T>(0, &model("bench/model"), license, entries, owner);
	let price = T::MinPrice::get();
	Licensing::<T>::do_set_offer(owner.clone(), id, 0, OfferKind::Use, price)?;
	Licensing::<T>::do_set_offer(owner.clone(), id, 1, OfferKind::Derivative, price)?;
	Licensing::<T>::do_set_offer(owner.clone(), id, 2, OfferKind::Usage, 1u32.into())?;
	Ok(id)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_terms() {
		let who = funded::<T>("registrant", 0);
		let terms = terms::<T>(T::MaxUpstreamShare::get(), 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), terms.clone());
		assert!(TermsByHash::<T>::contains_key(Licensing::<T>::terms_hash(&terms)));
	}

	/// An admin replaces a full split set by another admin with one of `n` entries.
	#[benchmark]
	fn set_split(n: Linear<1, { T::MaxContributors::get() }>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		Models::<T>::create_model(&model("bench/model"), &owner);
		let admin = funded::<T>("admin", 0);
		Models::<T>::add_admin(&model("bench/model"), &admin);
		let full = T::MaxContributors::get();
		let old: Vec<(T::AccountId, Bps)> =
			(0..full).map(|i| (account("old", i, 0), if i == 0 { FULL_BPS - (full as Bps - 1) } else { 1 })).collect();
		Licensing::<T>::do_set_split(owner, model("bench/model"), old.try_into().expect("MaxContributors"))?;
		let new: Vec<(T::AccountId, Bps)> =
			(0..n).map(|i| (account("new", i, 0), if i == 0 { FULL_BPS - (n as Bps - 1) } else { 1 })).collect();
		let new: SplitOf<T> = new.try_into().expect("at most MaxContributors");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), model("bench/model"), new.clone());
		assert_eq!(ModelSplits::<T>::get(model("bench/model")).map(|record| record.split), Some(new));
		Ok(())
	}

	/// A new offer beside `MaxOffers - 1` others, by a maintainer admin.
	#[benchmark]
	fn set_offer() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, 1)?;
		let admin = funded::<T>("admin", 0);
		Models::<T>::add_admin(&model("bench/model"), &admin);
		for offer in 3..T::MaxOffers::get().saturating_sub(1) {
			Licensing::<T>::do_set_offer(owner.clone(), id, offer, OfferKind::Use, T::MinPrice::get())?;
		}
		let offer = T::MaxOffers::get() + 10;
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, offer, OfferKind::Use, T::MinPrice::get());
		assert!(Offers::<T>::get(id).contains_key(&offer));
		Ok(())
	}

	#[benchmark]
	fn remove_offer() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, 1)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, 0);
		assert!(!Offers::<T>::get(id).contains_key(&0));
		Ok(())
	}

	/// A new use grant on a version whose royalty table has `n` entries.
	#[benchmark]
	fn purchase(n: Linear<1, { T::MaxRoyaltyEntries::get() }>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, n)?;
		let buyer = funded::<T>("buyer", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), id, 0, GrantKind::Use, T::MinPrice::get());
		assert!(Grants::<T>::contains_key((id, buyer, GrantKind::Use)));
		Ok(())
	}

	#[benchmark]
	fn drop_grant() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, 1)?;
		let buyer = funded::<T>("buyer", 0);
		Licensing::<T>::do_purchase(buyer.clone(), id, 0, GrantKind::Use, T::MinPrice::get())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), id, GrantKind::Use);
		assert!(!Grants::<T>::contains_key((id, buyer, GrantKind::Use)));
		Ok(())
	}

	#[benchmark]
	fn approve_derivative() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, 1)?;
		let admin = funded::<T>("admin", 0);
		Models::<T>::add_admin(&model("bench/model"), &admin);
		let committer: T::AccountId = account("committer", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, committer.clone());
		assert!(Approvals::<T>::contains_key(id, committer));
		Ok(())
	}

	#[benchmark]
	fn revoke_approval() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, 1)?;
		let committer: T::AccountId = account("committer", 0, 0);
		Licensing::<T>::do_approve_derivative(owner.clone(), id, committer.clone())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, committer.clone());
		assert!(!Approvals::<T>::contains_key(id, committer));
		Ok(())
	}

	/// The last of `MaxContributors` contributors claims after `n` payments into the vault,
	/// every other contributor having claimed (the split and every claim are read): the weight
	/// does not depend on `n`.
	#[benchmark]
	fn claim(n: Linear<1, 10_000>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		// A claim reads no licence record: an unsealed one keeps the 10,000 purchases of the
		// set-up quick.
		let id = version_on_offer_sealing::<T>(&owner, 1, 0)?;
		let buyer = funded::<T>("buyer", 0);
		for _ in 0..n {
			Licensing::<T>::do_purchase(buyer.clone(), id, 0, GrantKind::Use, T::MinPrice::get())?;
		}
		// The other contributors of the split `licensed_version` snapshots, as if each had
		// claimed: a claim never takes more than the vault has left, which reads their claims.
		for (other, _) in VersionSplits::<T>::get(id).expect("a split").iter().filter(|(who, _)| *who != owner) {
			Claimed::<T>::insert(id, other, BalanceOf::<T>::from(1u32));
		}
		// The purchases' events are not the claim's cost.
		frame_system::Pallet::<T>::reset_events();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), id);
		assert!(!Claimed::<T>::get(id, owner).is_zero());
		Ok(())
	}

	#[benchmark]
	fn open_channel() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, 1)?;
		let payer = funded::<T>("payer", 0);
		let provider: T::AccountId = account("provider", 0, 0);
		let expires_at = frame_system::Pallet::<T>::block_number() + 10u32.into();
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id, 2, provider, T::MinPrice::get(), expires_at, 1u32.into());
		assert!(Channels::<T>::contains_key(0));
		Ok(())
	}

	/// A voucher on a channel for a version whose royalty table has `n` entries.
	#[benchmark]
	fn settle(n: Linear<1, { T::MaxRoyaltyEntries::get() }>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, n)?;
		let payer = T::BenchmarkHelper::signer();
		fund::<T>(&payer);
		let provider = funded::<T>("provider", 0);
		let expires_at = frame_system::Pallet::<T>::block_number() + 10u32.into();
		// The whole deposit, so the protocol fee is taken too.
		let units = 1_000_000u32;
		Licensing::<T>::do_open_channel(payer.clone(), id, 2, provider.clone(), units.into(), expires_at, 1u32.into())?;
		let signature = T::BenchmarkHelper::sign(&payer, &Licensing::<T>::voucher_payload(0, 1, units.into()));
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), 0, units.into(), 1, signature);
		assert_eq!(Channels::<T>::get(0).map(|channel| channel.settled_units), Some(units.into()));
		Ok(())
	}

	#[benchmark]
	fn refund() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer::<T>(&owner, 1)?;
		let payer = funded::<T>("payer", 0);
		let provider: T::AccountId = account("provider", 0, 0);
		let expires_at = frame_system::Pallet::<T>::block_number() + 10u32.into();
		Licensing::<T>::do_open_channel(payer.clone(), id, 2, provider, T::MinPrice::get(), expires_at, 1u32.into())?;
		frame_system::Pallet::<T>::set_block_number(expires_at);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), 0);
		assert!(!Channels::<T>::contains_key(0));
		Ok(())
	}

	/// What licensing adds to a commit with `p` parents, each a version of another model
	/// under terms that need a paid grant (held and consumed), an approval (held) and
	/// attribution, each with a full royalty table.
	#[benchmark]
	fn commit_hook(p: Linear<0, MAX_PARENTS>) -> Result<(), BenchmarkError> {
		let committer = funded::<T>("committer", 0);
		let child_model = model("bench/bench-child");
		Models::<T>::create_model(&child_model, &committer);
		let owner = funded::<T>("owner", 0);
		let share = T::MaxUpstreamShare::get() / MAX_PARENTS;
		let edge = if p == 1 { EdgeKind::Finetune } else { EdgeKind::Merge };
		let mut parents = Vec::new();
		for seed in 0..p {
			let parent_model = model(&format!("upstream{seed}/base"));
			Models::<T>::create_model(&parent_model, &owner);
			let terms = register::<T>(&owner, terms::<T>(share, seed as u8 + 10))?;
			// Sealed at the most files: the hook reads each parent's licence record twice.
			let id = licensed_version::<T>(
				seed + 1,
				&parent_model,
				sealed_license(terms, MAX_ARTIFACTS),
				T::MaxRoyaltyEntries::get(),
				&owner,
			);
			Licensing::<T>::do_set_offer(owner.clone(), id, 1, OfferKind::Derivative, T::MinPrice::get())?;
			Licensing::<T>::do_purchase(committer.clone(), id, 1, GrantKind::Derivative, T::MinPrice::get())?;
			Licensing::<T>::do_approve_derivative(owner.clone(), id, committer.clone())?;
			parents.push(Parent { id, edge });
		}
		let child_terms = register::<T>(&committer, terms::<T>(0, 200))?;
		let manifest = Manifest {
			model: child_model,
			parents: parents.try_into().expect("at most MAX_PARENTS"),
			artifacts: Default::default(),
			metrics: Default::default(),
			license: License::Terms(child_terms),
			tags: vec![Tag { key: b"attribution".to_vec().try_into().expect("short"), value: filled("", b'v') }]
				.try_into()
				.expect("one tag"),
			message: Default::default(),
			hashing: HashingSettings { algorithm: DigestAlgorithm::Sha2_256, shard_size: None },
		};
		let id = manifest.id();
		#[block]
		{
			let (plan, _) = <Licensing<T> as LicensePolicy<T::AccountId>>::check_commit(id, &manifest, &committer)?;
			<Licensing<T> as LicensePolicy<T::AccountId>>::on_commit(id, &manifest, &committer, plan);
		}
		assert!(Royalties::<T>::contains_key(id));
		Ok(())
	}

	/// A first recipient key (a new deposit is held).
	#[benchmark]
	fn set_recipient() {
		let who = funded::<T>("grantee", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), [7; 32]);
		assert!(Recipients::<T>::contains_key(who));
	}

	#[benchmark]
	fn clear_recipient() -> Result<(), BenchmarkError> {
		let who = funded::<T>("grantee", 0);
		Licensing::<T>::do_set_recipient(who.clone(), [7; 32])?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Recipients::<T>::contains_key(who));
		Ok(())
	}

	/// An admin (not the owner) releases the keys of a version with `n` sealed files to a
	/// holder of a use grant: `n` headers of [`MAX_SEAL_HEADER_LEN`] bytes, the version's own
	/// owner headers as long.
	#[benchmark]
	fn release_key(n: Linear<1, MAX_ARTIFACTS>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let id = version_on_offer_sealing::<T>(&owner, 1, n)?;
		let admin = funded::<T>("admin", 0);
		Models::<T>::add_admin(&model("bench/model"), &admin);
		let grantee = funded::<T>("grantee", 0);
		Licensing::<T>::do_purchase(grantee.clone(), id, 0, GrantKind::Use, T::MinPrice::get())?;
		Licensing::<T>::do_set_recipient(grantee.clone(), [7; 32])?;
		let headers: Vec<KeyHeader> = (0..n).map(|artifact| KeyHeader { artifact, header: longest_header() }).collect();
		let headers: KeyHeaders = headers.try_into().expect("at most MAX_ARTIFACTS");
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, grantee.clone(), [7; 32], headers);
		assert!(ReleasedKeys::<T>::contains_key(id, grantee));
		Ok(())
	}

	impl_benchmark_test_suite!(Licensing, crate::mock::new_test_ext(), crate::mock::Test);
}
