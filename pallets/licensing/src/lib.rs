//! # Licensing pallet
//!
//! Licence terms a runtime can enforce, paid grants, metered usage, contributor splits, a
//! royalty cascade up the version graph, so the people a model was built from are paid, exactly,
//! whenever it earns, and key releases that let grant holders read a sealed version's files.
//!
//! ## Overview
//!
//! **Terms** ([`Terms`]) are an immutable set of rules a manifest names with
//! `License::Terms(id)` (or, with encrypted artifacts, `License::Sealed { terms: id, .. }`; see
//! below): whether commercial use is allowed; which derivative edge kinds are
//! allowed and which need a paid grant; share-alike; approval; attribution; a model-name prefix
//! (the Llama rule); use restrictions that flow down (OpenRAIL); the share of a derivative's
//! revenue owed upstream per edge kind; how long a grant lasts; and a hash and URI of the full
//! legal text. Anyone registers terms with [`Pallet::register_terms`] (deposit
//! `TermsDeposit`); the same terms are registered once (their hash maps to their ID), and
//! inconsistent terms are refused, each inconsistency with its own error.
//!
//! **Offers and grants.** A model's admins put priced offers on a version
//! ([`Pallet::set_offer`]): a use grant, a derivative grant, or metered usage. A
//! [`Pallet::purchase`] never charges more than the buyer's `max_price` nor sells another kind
//! of grant than the one the buyer names (an offer changed between signing and inclusion fails
//! the purchase: audit A3-06), and creates or extends the buyer's grant: a use grant lasts the terms' `grant_duration` more from the later
//! of now and its current expiry; a derivative grant also gains one credit, which one
//! derivative commit consumes. [`Pallet::may_use`] answers "may account A use version V
//! commercially at block N".
//!
//! **Contributor splits.** A model's admins set a split ([`Pallet::set_split`]): up to
//! `MaxContributors` accounts with basis points summing to 10,000. Each version snapshots its
//! model's split (or, without one, its owner at 100 %) when it is committed, so changing the
//! split never reroutes revenue already earned or owed to older versions.
//!
//! **The royalty cascade.** When a version is committed, the pallet builds its royalty table
//! once ([`royalty::build_table`]): a flat, sorted list of (version, share) over the version
//! and its ancestors, summing to exactly one billion parts per billion. Shares are *relative*:
//! a parent of another model whose terms ask `s` for the edge kind receives `s` of the new
//! version's revenue, split by that parent's own table, so deep chains decay geometrically and
//! never exceed 100 %. A revision inherits its parent's upstream entries (over several parents of
//! the same model, each ancestor's largest share, so a diamond is counted once); contributions
//! through several parents of other models add up, one per path. Entries more than `MaxHops`
//! cross-model hops away fold into the parent they came through, each parent contributes at most
//! `(MaxRoyaltyEntries - 1) / parents` entries (the smallest fold into the largest), and a
//! commit owing more than `MaxUpstreamShare` in total is refused: [`Pallet::royalty_preview`]
//! shows the table before committing. The table costs deposit like the manifest does (the
//! registry charges its bytes).
//!
//! **Payments.** A purchase (or a settled usage voucher) pays `ProtocolFee` of the price to
//! `OnProtocolFee` (burned, or a treasury), and the rest into the pallet's pot account.
//! `CurationShare` of the rest (rounded down) is offered to the curators staked on the sold
//! version through `Curation` ([`zoo_primitives::CurationHook`]): they take it from the pot when
//! anyone's stake on the version is active, and leave it otherwise. What they leave, and the rest,
//! is credited, by the sold version's table alone (no graph walk), to per-version vaults: each
//! entry its share rounded down, the sold version also the rounding remainder, so protocol fee,
//! curation share and credits equal the price to the unit. A vault's contributors pull their share with
//! [`Pallet::claim`]: `share(total received) - claimed`, the first contributor also taking the
//! split's rounding remainder; a claim costs the same after one payment or ten thousand, and a
//! claim of nothing is a no-op. The remainder can shrink by a unit as the vault grows, after
//! the first contributor took it, so a claim never takes more than the vault has left: another
//! contributor then waits for its last units until the vault grows (audit A3-12).
//!
//! **Metered usage** (credits per prediction): a user opens a prepaid channel to a serving
//! operator for a version's usage offer ([`Pallet::open_channel`]; the deposit is held, the unit
//! price fixed, an expiry set). The user signs increasing cumulative-usage vouchers off chain: the
//! SCALE encoding of [`VoucherPayload`] (`"zoo/usage"`, the genesis hash, the channel, a nonce,
//! the cumulative units), signed by the payer's key. The operator settles the latest voucher in
//! one transaction ([`Pallet::settle`]), which routes the new amount through the same split;
//! after expiry the user takes the rest back ([`Pallet::refund`]). A voucher with a nonce not
//! above the last settled one, for another chain or channel, beyond the deposit, or after
//! expiry is refused.
//!
//! **Derivative rules at commit.** The registry asks this pallet (through
//! [`zoo_primitives::LicensePolicy`]) before it stores a version. For every parent of *another*
//! model: the parent is not yanked (unless the committer is an admin of the parent's model, as
//! in the registry); it has a licence (a parent with no licence, or an SPDX
//! expression the table below does not know, only its own model's admins may derive from); its
//! terms allow the edge kind; a paid kind needs a derivative grant the committer holds, which
//! the commit consumes (exactly once); approval, where required, is present
//! ([`Pallet::approve_derivative`]). Parents of other models must agree on commercial use, and
//! when one is share-alike the others must carry the same licence. Then the new version's
//! licence must meet every **obligation** it inherits, from the licences of its parents of
//! other models and from the obligations of all its parents (so a revision cannot shed what its
//! parent owed): a non-commercial upstream makes the child non-commercial (terms without
//! commercial use, or a non-commercial SPDX licence); share-alike makes it carry the identical
//! licence; use restrictions only grow; a name prefix holds for the child's model name; and
//! attribution is present (a top-level `NOTICE` artifact or an `attribution` tag). Terms the
//! manifest names must be registered. Each rule is its own error ([`Refusal`] lists them), and a
//! refused commit changes nothing. [`Pallet::check_derivative`] returns every reason at once.
//!
//! SPDX parents are judged by the class of their expression ([`spdx::TABLE`]): permissive (MIT,
//! Apache-2.0, BSD, CC-BY-4.0, CC0, OpenMDW-1.0, ...) allows any derivative; share-alike (GPL,
//! AGPL, CC-BY-SA-4.0, ODbL, CDLA-Sharing) needs the same expression on the child;
//! non-commercial (CC-BY-NC-4.0, CC-BY-NC-SA-4.0) makes the child non-commercial; no-derivatives
//! (CC-BY-ND-4.0, CC-BY-NC-ND-4.0) refuses derivatives. `AND` takes every operand's
//! obligations, `OR` the most permissive alternative; anything else is unknown. SPDX licences
//! carry no royalties and cannot be sold: offers need terms.
//!
//! **Sealed versions and key release.** A manifest licensed
//! `License::Sealed { terms, files, .. }` stores some artifacts encrypted with age v1 (X25519):
//! each sealed file keeps its plaintext's size and digest and an age header wrapping its file
//! key for the committer's own recipient. For everything in this pallet a sealed licence *is* its
//! terms: offers, purchases, grants, [`Pallet::may_use`], royalties and every derivative rule
//! treat `License::Sealed { terms: id, .. }` exactly as `License::Terms(id)` (share-alike is
//! carried by either form of the same terms, sealed with any files or not; the obligation is kept
//! in the `Terms` form). Sealing changes who can read the files, not the licence.
//!
//! Reading a sealed file takes a key release. An account records its age X25519 recipient public
//! key ([`Pallet::set_recipient`], deposit `RecipientDeposit`; a key of small order, which keeps
//! nothing wrapped to it secret, is refused: audit A3-07). Once the account may use the
//! version (the rule of [`Pallet::may_use`]: a use grant that holds, under terms with commercial
//! use, or an admin of the model), an admin of the version's model re-wraps each sealed file's
//! key for that recipient off chain and publishes the headers with [`Pallet::release_key`]: one
//! header per sealed file, naming exactly the version's sealed artifacts in the manifest's
//! order, each a well-formed age v1 header. The call names the recipient key the headers were
//! wrapped for, and is refused if the grantee's recorded key is another (audit A3-01: a race
//! with `set_recipient`, or a releaser told a false key, must not leave a record naming a key
//! the headers do not open). The release records the releaser, the grantee's
//! recipient key as it was then (so the grantee knows which identity opens it, whatever key it
//! records later), the block and the headers, and holds `KeyReleaseDepositBase +
//! KeyReleaseDepositPerByte * (header bytes)` from the releaser. There is one release per
//! (version, grantee), and no call removes one: its deposit stays held for as long as the record
//! exists, which is for good.
//!
//! What the chain guarantees: who released which version's keys to whom, wrapped to which
//! recipient key, and when; that the releaser administered the model and the grantee held a
//! grant (or was an admin) at that block; that the headers are shaped as age headers, one for
//! each sealed file. What it cannot: check that a header really wraps the file's key, or wraps
//! it for the recorded recipient (only the grantee can, by decrypting and comparing the
//! plaintext digest on chain); take a released key back or un-share it (a grant that lapses or
//! is dropped ends the right to use the version, not the ability to decrypt it; and nothing
//! stops a grantee passing on the plaintext or the file keys). It is access control among honest
//! parties with a public record, not DRM.
//!
//! Decisions where the design notes were silent: grants are per (version, account), not
//! transferable; a model's admins use their own versions without a grant; a usage channel pays
//! the version's split, not the operator (who is paid off chain, or is an admin); shares owed to
//! a yanked version are still credited to its vault (its contributors did the work; disputes,
//! which can redirect them, belong to the curation pallet); keys are released to accounts that
//! may *use* a sealed version, so a derivative grant alone does not qualify; a grantee that
//! replaces its recipient key after a release keeps the release wrapped to the old key (there is
//! no second release).
//!
//! ## Calls
//!
//! - [`Pallet::register_terms`]: register terms (anyone; `TermsDeposit`).
//! - [`Pallet::set_split`]: set a model's contributor split (admins; `SplitDeposit` per entry).
//! - [`Pallet::set_offer`], [`Pallet::remove_offer`]: priced offers (admins; `OfferDeposit`).
//! - [`Pallet::purchase`]: buy a grant (anyone; `GrantDeposit` for a new grant).
//! - [`Pallet::drop_grant`]: give a grant up and take its deposit back (its holder).
//! - [`Pallet::approve_derivative`], [`Pallet::revoke_approval`]: derivative approvals (admins
//!   of the parent's model; `ApprovalDeposit`).
//! - [`Pallet::claim`]: take one's share of a version's vault (contributors).
//! - [`Pallet::open_channel`], [`Pallet::settle`], [`Pallet::refund`]: metered usage.
//! - [`Pallet::set_recipient`], [`Pallet::clear_recipient`]: an account's age recipient key
//!   (anyone; `RecipientDeposit`).
//! - [`Pallet::release_key`]: release a sealed version's file keys to a grantee (admins;
//!   `KeyReleaseDepositBase` plus `KeyReleaseDepositPerByte` per header byte, held for good).
//!
//! ## Reads
//!
//! View functions: [`Pallet::terms`], [`Pallet::terms_id`], [`Pallet::offers`],
//! [`Pallet::grant`], [`Pallet::may_use`], [`Pallet::split`], [`Pallet::version_split`],
//! [`Pallet::royalty_table`], [`Pallet::royalty_preview`], [`Pallet::vault`],
//! [`Pallet::claimable`], [`Pallet::channel`], [`Pallet::version_license`],
//! [`Pallet::check_derivative`], [`Pallet::recipient`] and [`Pallet::released_key`].
//!
//! ## Invariants
//!
//! `try_state` checks them: every royalty table is sorted, unique, within bounds and sums to
//! exactly one billion, and names its own version; every version with a table has a split
//! snapshot summing to 10,000 with no account twice; no vault paid out more than it received,
//! and no contributor but the first (whose remainder can shrink) claimed more than its share;
//! the pot holds at least the existential deposit plus everything credited
//! and not yet claimed; every channel's settled amount stays within what was deposited; every
//! recipient's deposit is `RecipientDeposit`; every key release's deposit is what its header
//! bytes cost and its headers name its version's sealed files; and the deposits recorded beside
//! terms, offers, grants, splits, approvals, channels, recipient keys and key releases add up,
//! per account and reason, to what is on hold.
//!
//! ## Code
//!
//! The calls are in `lib.rs` and hand over to a `do_*` function in `features/`, one file per
//! concern, each an `impl<T: Config> Pallet<T>` block as in pallet-nfts: `terms.rs`,
//! `offers.rs` (with contributor splits and routing a payment), `grants.rs` (purchases and
//! approvals), `claims.rs`, `channels.rs`, `key_release.rs` and `derivative_rules.rs` (the rule
//! engine and the royalty table it builds). `functions.rs` holds the helpers they share,
//! `impl_license_policy.rs` the [`zoo_primitives::LicensePolicy`] the registry calls at commit,
//! and [`royalty`] and [`spdx`] the pure functions.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod features;
mod functions;
mod impl_license_policy;
pub mod royalty;
pub mod spdx;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use frame_support::traits::fungible;

/// Balance type of the currency this pallet moves and holds.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The terms this pallet stores.
pub type TermsOf<T> = Terms<frame_system::pallet_prelude::BlockNumberFor<T>>;

/// A stored terms record.
pub type TermsRecordOf<T> =
	TermsRecord<<T as frame_system::Config>::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// An offer as stored.
pub type OfferOf<T> = Offer<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A grant as stored.
pub type GrantOf<T> = Grant<BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// A contributor split.
pub type SplitOf<T> = Split<<T as frame_system::Config>::AccountId, <T as Config>::MaxContributors>;

/// A model's split record.
pub type SplitRecordOf<T> = SplitRecord<<T as frame_system::Config>::AccountId, BalanceOf<T>, SplitOf<T>>;

/// A royalty table.
pub type RoyaltyTableOf<T> = RoyaltyTable<<T as Config>::MaxRoyaltyEntries>;

/// A usage channel.
pub type ChannelOf<T> =
	Channel<<T as frame_system::Config>::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// The offers of one version.
pub type OffersOf<T> = frame_support::BoundedBTreeMap<OfferId, OfferOf<T>, <T as Config>::MaxOffers>;

/// An account's recipient record.
pub type RecipientOf<T> = Recipient<BalanceOf<T>>;

/// A key release as stored.
pub type KeyReleaseOf<T> =
	KeyRelease<<T as frame_system::Config>::AccountId, BalanceOf<T>, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// What the benchmarks need from the runtime: models and admins, made through the model
/// registry; an account whose key can sign, and signing.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// Makes models and admins (the model registry).
	type Models: zoo_primitives::ModelsForBenchmarks<AccountId>;
	/// An account whose key [`Self::sign`] can sign with.
	fn signer() -> AccountId;
	/// `message` signed by `signer`'s key.
	fn sign(signer: &AccountId, message: &[u8]) -> Signature;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		PalletId,
		pallet_prelude::*,
		traits::{
			OnUnbalanced,
			fungible::{BalancedHold, Credit, Mutate, MutateHold},
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		Permill,
		traits::{IdentifyAccount, Verify},
	};
	use zoo_primitives::{CurationHook, Manifest, ModelAccess, ModelName, VersionId};

	/// The storage layout version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The payments into a vault `claim` is charged for: its benchmark's largest. A claim
	/// reads and writes the same items after 1 payment or 10,000; the benchmark's time steps up
	/// between its first points and is flat after (see the README), so charging the largest
	/// covers it.
	pub const CLAIM_BENCHMARKED_PAYMENTS: u32 = 10_000;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency payments are made and deposits held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ fungible::Balanced<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The model registry: model owners and admins, and yanks.
		type Models: ModelAccess<Self::AccountId>;

		/// The pallet's ID: its pot account holds everything credited and not yet claimed.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The part of every payment that goes to `OnProtocolFee`.
		#[pallet::constant]
		type ProtocolFee: Get<Permill>;

		/// Where protocol fees go (`()` burns them).
		type OnProtocolFee: OnUnbalanced<Credit<Self::AccountId, Self::Currency>>;

		/// The part of every payment, after the protocol fee, offered to the curators staked on
		/// the sold version.
		#[pallet::constant]
		type CurationShare: Get<Permill>;

		/// Where the curation share goes (the curation pallet; `()` takes nothing, so everything
		/// stays with the payees).
		type Curation: CurationHook<Self::AccountId, BalanceOf<Self>, Weight = Weight>;

		/// Deposit held from whoever registers terms.
		#[pallet::constant]
		type TermsDeposit: Get<BalanceOf<Self>>;

		/// Deposit held per offer from the admin who sets it.
		#[pallet::constant]
		type OfferDeposit: Get<BalanceOf<Self>>;

		/// Deposit held per grant from its holder.
		#[pallet::constant]
		type GrantDeposit: Get<BalanceOf<Self>>;

		/// Deposit held per split entry from the admin who sets a split.
		#[pallet::constant]
		type SplitDeposit: Get<BalanceOf<Self>>;

		/// Deposit held per derivative approval from the admin who gives it.
		#[pallet::constant]
		type ApprovalDeposit: Get<BalanceOf<Self>>;

		/// Deposit held per usage channel from its payer (besides what it prepays).
		#[pallet::constant]
		type ChannelDeposit: Get<BalanceOf<Self>>;

		/// Deposit held from an account that records its age recipient key.
		#[pallet::constant]
		type RecipientDeposit: Get<BalanceOf<Self>>;

		/// Deposit held per key release from the admin who releases it, besides
		/// `KeyReleaseDepositPerByte` per header byte.
		#[pallet::constant]
		type KeyReleaseDepositBase: Get<BalanceOf<Self>>;

		/// Deposit held per byte of the headers of a key release.
		#[pallet::constant]
		type KeyReleaseDepositPerByte: Get<BalanceOf<Self>>;

		/// Lowest price of a grant offer; at least `MaxRoyaltyEntries + 1` units keeps every
		/// entry's credit meaningful.
		#[pallet::constant]
		type MinPrice: Get<BalanceOf<Self>>;

		/// Most accounts in a contributor split.
		#[pallet::constant]
		type MaxContributors: Get<u32>;

		/// Most entries in a royalty table, the version's own included.
		#[pallet::constant]
		type MaxRoyaltyEntries: Get<u32>;

		/// Most cross-model hops between a version and an ancestor in its table.
		#[pallet::constant]
		type MaxHops: Get<u8>;

		/// Most a version may owe upstream, in parts per billion (below 100 %, so a derivative
		/// always keeps a share of its own revenue).
		#[pallet::constant]
		type MaxUpstreamShare: Get<Ppb>;

		/// Most offers on one version.
		#[pallet::constant]
		type MaxOffers: Get<u32>;

		/// Longest a usage channel may stay open, in blocks.
		#[pallet::constant]
		type MaxChannelDuration: Get<BlockNumberFor<Self>>;

		/// The signature of a usage voucher.
		type OffchainSignature: Verify<Signer = Self::OffchainPublic> + Parameter;

		/// The key a usage voucher is signed with, which identifies the payer's account.
		type OffchainPublic: IdentifyAccount<AccountId = Self::AccountId>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from other pallets (models and admins) and signs usage
		/// vouchers.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::OffchainSignature>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for registered terms.
		#[codec(index = 0)]
		TermsDeposit,
		/// Deposit for an offer.
		#[codec(index = 1)]
		OfferDeposit,
		/// Deposit for a grant.
		#[codec(index = 2)]
		GrantDeposit,
		/// Deposit for a model's split.
		#[codec(index = 3)]
		SplitDeposit,
		/// Deposit for a derivative approval.
		#[codec(index = 4)]
		ApprovalDeposit,
		/// A usage channel's prepaid funds and its deposit.
		#[codec(index = 5)]
		UsageChannel,
		/// Deposit for an account's age recipient key.
		#[codec(index = 6)]
		RecipientDeposit,
		/// Deposit for a key release of a sealed version.
		#[codec(index = 7)]
		KeyReleaseDeposit,
	}

	/// The ID the next registered terms get.
	#[pallet::storage]
	pub type NextTermsId<T> = StorageValue<_, TermsId, ValueQuery>;

	/// Registered terms.
	#[pallet::storage]
	pub type TermsById<T: Config> = StorageMap<_, Blake2_128Concat, TermsId, TermsRecordOf<T>>;

	/// Registered terms by the blake2-256 of their encoding.
	#[pallet::storage]
	pub type TermsByHash<T: Config> = StorageMap<_, Identity, [u8; 32], TermsId>;

	/// Each version's licence as committed, and what it inherited.
	#[pallet::storage]
	pub type Licenses<T: Config> = StorageMap<_, Identity, VersionId, VersionLicense>;

	/// Each version's royalty table.
	#[pallet::storage]
	pub type Royalties<T: Config> = StorageMap<_, Identity, VersionId, RoyaltyTableOf<T>>;

	/// Each version's contributor split, as its model's split was when it was committed.
	#[pallet::storage]
	pub type VersionSplits<T: Config> = StorageMap<_, Identity, VersionId, SplitOf<T>>;

	/// Each model's current contributor split.
	#[pallet::storage]
	pub type ModelSplits<T: Config> = StorageMap<_, Blake2_128Concat, ModelName, SplitRecordOf<T>>;

	/// Each version's offers.
	#[pallet::storage]
	pub type Offers<T: Config> = StorageMap<_, Identity, VersionId, OffersOf<T>, ValueQuery>;

	/// Grants: (version, holder, kind) to the grant.
	#[pallet::storage]
	pub type Grants<T: Config> = StorageNMap<
		_,
		(NMapKey<Identity, VersionId>, NMapKey<Blake2_128Concat, T::AccountId>, NMapKey<Twox64Concat, GrantKind>),
		GrantOf<T>,
	>;

	/// Derivative approvals: (parent version, committer) to (the approving admin, its deposit).
	#[pallet::storage]
	pub type Approvals<T: Config> =
		StorageDoubleMap<_, Identity, VersionId, Blake2_128Concat, T::AccountId, (T::AccountId, BalanceOf<T>)>;

	/// Everything ever credited to each version's vault.
	#[pallet::storage]
	pub type Vaults<T: Config> = StorageMap<_, Identity, VersionId, BalanceOf<T>, ValueQuery>;

	/// What each contributor has claimed from each version's vault.
	#[pallet::storage]
	pub type Claimed<T: Config> =
		StorageDoubleMap<_, Identity, VersionId, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	/// The ID the next usage channel gets.
	#[pallet::storage]
	pub type NextChannelId<T> = StorageValue<_, ChannelId, ValueQuery>;

	/// Open usage channels.
	#[pallet::storage]
	pub type Channels<T: Config> = StorageMap<_, Twox64Concat, ChannelId, ChannelOf<T>>;

	/// Each account's age X25519 recipient key (what key releases to it are wrapped to), and
	/// its deposit.
	#[pallet::storage]
	pub type Recipients<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, RecipientOf<T>>;

	/// Key releases of sealed versions: (version, grantee) to the release. Never removed.
	#[pallet::storage]
	pub type ReleasedKeys<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, VersionId, Blake2_128Concat, T::AccountId, KeyReleaseOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Terms were registered.
		TermsRegistered {
			/// The terms' ID.
			id: TermsId,
			/// Who registered them.
			registrant: T::AccountId,
		},
		/// A model's contributor split was set.
		SplitSet {
			/// The model.
			model: ModelName,
			/// The admin who set it.
			by: T::AccountId,
		},
		/// An offer was set on a version.
		OfferSet {
			/// The version.
			version: VersionId,
			/// The offer's number on the version.
			offer: OfferId,
			/// What the offer sells.
			kind: OfferKind,
			/// Its price (per unit for usage).
			price: BalanceOf<T>,
		},
		/// An offer was removed.
		OfferRemoved {
			/// The version.
			version: VersionId,
			/// The offer's number on the version.
			offer: OfferId,
		},
		/// A grant was bought: `price` paid, of which `protocol_fee` to `OnProtocolFee`.
		Purchased {
			/// The version.
			version: VersionId,
			/// The offer bought through.
			offer: OfferId,
			/// The buyer, who holds the grant.
			buyer: T::AccountId,
			/// The kind of grant.
			kind: GrantKind,
			/// The price paid.
			price: BalanceOf<T>,
			/// Of the price, what went to `OnProtocolFee`.
			protocol_fee: BalanceOf<T>,
			/// When the grant expires now (`None`: never).
			expires_at: Option<BlockNumberFor<T>>,
		},
		/// A grant was given up.
		GrantDropped {
			/// The version.
			version: VersionId,
			/// The grant's holder.
			holder: T::AccountId,
			/// The kind of grant.
			kind: GrantKind,
		},
		/// A derivative commit used one credit of a derivative grant.
		DerivativeGrantUsed {
			/// The parent version.
			parent: VersionId,
			/// The derivative version.
			child: VersionId,
			/// The grant's holder, who committed `child`.
			holder: T::AccountId,
		},
		/// An admin of `parent`'s model approved derivatives of it by `committer`.
		DerivativeApproved {
			/// The parent version.
			parent: VersionId,
			/// The account that may now derive from it.
			committer: T::AccountId,
		},
		/// An approval was revoked.
		ApprovalRevoked {
			/// The parent version.
			parent: VersionId,
			/// The account that may no longer derive from it.
			committer: T::AccountId,
		},
		/// A committed version's royalty table was recorded: `upstream` parts per billion of
		/// its revenue go to `entries - 1` ancestors.
		RoyaltiesRecorded {
			/// The committed version.
			version: VersionId,
			/// Entries in the table, the version itself included.
			entries: u32,
			/// Parts per billion of the version's revenue owed upstream.
			upstream: Ppb,
		},
		/// A contributor claimed from a version's vault.
		Claimed {
			/// The version.
			version: VersionId,
			/// The contributor.
			who: T::AccountId,
			/// What it was paid.
			amount: BalanceOf<T>,
		},
		/// A usage channel was opened.
		ChannelOpened {
			/// The channel's ID.
			id: ChannelId,
			/// Who deposited and pays.
			payer: T::AccountId,
			/// Who serves the usage and settles vouchers.
			provider: T::AccountId,
			/// The version.
			version: VersionId,
			/// What the payer deposited.
			deposit: BalanceOf<T>,
			/// When the payer may take back what is left.
			expires_at: BlockNumberFor<T>,
		},
		/// A usage voucher was settled: `units` more units, `amount` paid.
		ChannelSettled {
			/// The channel's ID.
			id: ChannelId,
			/// Units settled by this voucher.
			units: u64,
			/// What was paid for them.
			amount: BalanceOf<T>,
			/// Of `amount`, what went to `OnProtocolFee`.
			protocol_fee: BalanceOf<T>,
		},
		/// An expired channel was closed and its payer refunded.
		ChannelRefunded {
			/// The channel's ID.
			id: ChannelId,
			/// What went back to the payer.
			refunded: BalanceOf<T>,
		},
		/// An account recorded (or replaced) its age recipient key.
		RecipientSet {
			/// The account.
			who: T::AccountId,
			/// The X25519 recipient key.
			key: RecipientKey,
		},
		/// An account removed its age recipient key.
		RecipientCleared {
			/// The account.
			who: T::AccountId,
		},
		/// An admin of a sealed version's model released its file keys to `grantee`, wrapped
		/// to `recipient`.
		KeyReleased {
			/// The version.
			version: VersionId,
			/// The account the keys were released to.
			grantee: T::AccountId,
			/// The admin who released them.
			by: T::AccountId,
			/// The recipient key the headers are wrapped to.
			recipient: RecipientKey,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Terms with the same content are already registered (their ID is in `terms_id`).
		TermsExist,
		/// An edge-kind set with the revision bit or an unused bit set.
		InvalidKindSet,
		/// No terms with this ID.
		UnknownTerms,
		/// Terms ask a paid grant for an edge kind they do not allow.
		PaidKindNotAllowed,
		/// Share-alike terms that allow no derivatives.
		ShareAlikeWithoutDerivatives,
		/// Terms require approval, attribution or a name prefix, but allow no derivatives.
		DerivativeRuleWithoutDerivatives,
		/// Terms ask an upstream share for an edge kind they do not allow (or for revisions).
		ShareForForbiddenKind,
		/// An upstream share above `MaxUpstreamShare`.
		ShareTooHigh,
		/// A grant duration of zero blocks.
		ZeroGrantDuration,
		/// A name prefix that is empty or not made of a-z, 0-9, `-`, `_` and `.`.
		InvalidNamePrefix,
		/// The legal text's URI is not a URI.
		InvalidLegalUri,
		/// The model does not exist.
		UnknownModel,
		/// The caller is not an admin of the model.
		NotAdmin,
		/// A split with no entries, more than `MaxContributors`, a zero share, or an account
		/// twice.
		InvalidSplit,
		/// A split whose shares do not sum to 10,000 basis points.
		SplitNotWhole,
		/// The version has no licence record (unknown to this pallet).
		UnknownVersion,
		/// Offers are made on versions licensed under registered terms.
		OffersNeedTerms,
		/// The version's terms do not allow commercial use, so use and usage offers are not
		/// possible.
		CommercialUseNotAllowed,
		/// The version's terms have no paid derivative kind, so a derivative offer sells nothing.
		NoPaidDerivatives,
		/// A grant price below `MinPrice`, or a unit price of zero.
		PriceTooLow,
		/// The version has `MaxOffers` offers already.
		TooManyOffers,
		/// No such offer on the version.
		UnknownOffer,
		/// The offer's price is above the buyer's `max_price`.
		PriceAboveMaximum,
		/// The offer is a usage offer: open a channel instead.
		UsageOfferNotPurchasable,
		/// The offer sells a different kind of grant than the buyer named: it changed after the
		/// purchase was signed, or the buyer named the wrong one.
		OfferKindMismatch,
		/// The caller holds no such grant.
		UnknownGrant,
		/// The caller cannot pay the price or a deposit.
		InsufficientBalance,
		/// The approval exists already.
		ApprovalExists,
		/// No such approval.
		UnknownApproval,
		/// The caller is not in the version's contributor split.
		NotAContributor,
		/// The offer is not a usage offer.
		NotAUsageOffer,
		/// A channel's expiry is not in the future, or beyond `MaxChannelDuration`.
		InvalidExpiry,
		/// A channel's deposit is zero.
		ZeroDeposit,
		/// The unit price is above the payer's `max_unit_price`.
		UnitPriceAboveMaximum,
		/// No such channel.
		UnknownChannel,
		/// Only the channel's provider settles it.
		NotProvider,
		/// Only the channel's payer takes its rest back.
		NotPayer,
		/// The channel has expired: nothing settles any more.
		ChannelExpired,
		/// The channel has not expired yet.
		ChannelNotExpired,
		/// The voucher's nonce is not above the last settled one (a replay, or an older
		/// voucher).
		StaleVoucher,
		/// The voucher counts no more units than already settled.
		NothingToSettle,
		/// The voucher asks more than the channel's deposit.
		VoucherOverDeposit,
		/// The voucher's signature is not the payer's over this chain, channel, nonce and count.
		BadVoucherSignature,
		/// Derivative rule: the manifest names terms that are not registered.
		ManifestTermsUnknown,
		/// Derivative rule: a parent has no licence record.
		UnknownParentLicense,
		/// Derivative rule: a parent of another model is yanked.
		UpstreamYanked,
		/// Derivative rule: a parent of another model has no licence this pallet understands;
		/// only its model's admins may derive from it.
		UpstreamUnlicensed,
		/// Derivative rule: a parent's terms do not allow this edge kind.
		DerivativeKindNotAllowed,
		/// Derivative rule: a paid derivative grant on the parent is needed.
		DerivativeGrantRequired,
		/// Derivative rule: the manifest must carry its share-alike upstream's licence.
		ShareAlikeRequired,
		/// Derivative rule: the manifest's terms drop an upstream use restriction.
		UseRestrictionsDropped,
		/// Derivative rule: the model's name must start with an upstream's prefix.
		NamePrefixRequired,
		/// Derivative rule: attribution (a top-level `NOTICE` artifact or an `attribution` tag)
		/// is required.
		AttributionRequired,
		/// Derivative rule: an upstream is non-commercial, and the manifest's licence is not.
		NonCommercialUpstream,
		/// Derivative rule: the parent's licensor has not approved the committer.
		ApprovalRequired,
		/// Derivative rule: parents of other models disagree on commercial use or on a
		/// share-alike licence.
		IncompatibleParents,
		/// Derivative rule: the version would owe more than `MaxUpstreamShare` upstream.
		UpstreamShareTooHigh,
		/// The account has no age recipient key (see `set_recipient`).
		NoRecipient,
		/// The recipient key has small order as an X25519 point: every key wrapped to it would
		/// be readable by anyone.
		WeakRecipientKey,
		/// The version's licence is not sealed: it has no keys to release.
		NotSealed,
		/// The grantee may not use the version now (no use grant that holds, or terms without
		/// commercial use), so no keys are released to it.
		NoGrant,
		/// The version's keys were already released to this grantee.
		KeyAlreadyReleased,
		/// The headers do not name exactly the version's sealed artifacts, in the manifest's
		/// order.
		HeadersDoNotMatch,
		/// A header is not a well-formed age v1 header.
		InvalidKeyHeader,
		/// The grantee's recorded recipient key is not the one the headers were wrapped for: it
		/// changed after the releaser read it.
		RecipientChanged,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The runtime the pallet is configured for (no value).
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::endow_pot();
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxRoyaltyEntries::get() > zoo_primitives::MAX_PARENTS,
				"MaxRoyaltyEntries must leave every parent at least one entry"
			);
			assert!(T::MaxUpstreamShare::get() < BILLION, "MaxUpstreamShare must be below 100 %");
			assert!(T::MaxContributors::get() >= 1, "a split needs room for the owner");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register licence terms, so manifests can name them as `License::Terms(id)`.
		///
		/// - Origin: signed, anyone.
		/// - Checks: the terms are consistent (paid kinds are allowed kinds; share-alike,
		///   approval, attribution and a name prefix need allowed derivatives; upstream shares
		///   only for allowed kinds and at most `MaxUpstreamShare`; a grant duration is not
		///   zero; the prefix and legal URI are well formed), and not registered yet.
		/// - Deposit: `TermsDeposit`, held for good (terms are immutable and never removed).
		/// - Emits [`Event::TermsRegistered`].
		/// - Errors: [`Error::TermsExist`], [`Error::PaidKindNotAllowed`],
		///   [`Error::ShareAlikeWithoutDerivatives`], [`Error::DerivativeRuleWithoutDerivatives`],
		///   [`Error::ShareForForbiddenKind`], [`Error::ShareTooHigh`],
		///   [`Error::ZeroGrantDuration`], [`Error::InvalidNamePrefix`],
		///   [`Error::InvalidLegalUri`], [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_terms())]
		pub fn register_terms(origin: OriginFor<T>, terms: TermsOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_terms(who, terms).map(|_| ())
		}

		/// Set the contributor split of `model`'s future versions.
		///
		/// - Origin: signed by an admin of `model`.
		/// - Checks: 1 to `MaxContributors` entries, no account twice, no zero share, shares
		///   summing to 10,000 basis points. The first entry receives the rounding remainder.
		/// - Effects: replaces the model's split; versions already committed keep theirs.
		/// - Deposit: `SplitDeposit` per entry, held from the caller (the previous setter's is
		///   released).
		/// - Emits [`Event::SplitSet`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotAdmin`], [`Error::InvalidSplit`],
		///   [`Error::SplitNotWhole`], [`Error::InsufficientBalance`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_split(split.len() as u32))]
		pub fn set_split(origin: OriginFor<T>, model: ModelName, split: SplitOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_split(who, model, split)
		}

		/// Put a priced offer on `version`, or change its price.
		///
		/// - Origin: signed by an admin of the version's model.
		/// - Checks: the version is licensed under registered terms; use and usage offers need
		///   terms allowing commercial use, derivative offers terms with a paid derivative kind;
		///   a grant price is at least `MinPrice`, a unit price above zero; at most `MaxOffers`
		///   offers per version.
		/// - Deposit: `OfferDeposit` for a new offer, held from the caller until it is removed.
		/// - Emits [`Event::OfferSet`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::NotAdmin`], [`Error::OffersNeedTerms`],
		///   [`Error::CommercialUseNotAllowed`], [`Error::NoPaidDerivatives`],
		///   [`Error::PriceTooLow`], [`Error::TooManyOffers`], [`Error::InsufficientBalance`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_offer())]
		pub fn set_offer(
			origin: OriginFor<T>,
			version: VersionId,
			offer: OfferId,
			kind: OfferKind,
			price: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_offer(who, version, offer, kind, price)
		}

		/// Remove an offer; grants already bought stay.
		///
		/// - Origin: signed by an admin of the version's model.
		/// - Effects: releases the offer's deposit to whoever paid it.
		/// - Emits [`Event::OfferRemoved`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::NotAdmin`], [`Error::UnknownOffer`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_offer())]
		pub fn remove_offer(origin: OriginFor<T>, version: VersionId, offer: OfferId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_offer(who, version, offer)
		}

		/// Buy a use or derivative grant on `version` through one of its offers.
		///
		/// - Origin: signed, anyone.
		/// - Checks: the offer exists, is not a usage offer, sells the `kind` of grant the buyer
		///   names, and its price is at most `max_price`. Naming the kind binds what is bought as
		///   `max_price` binds what is paid: an offer changed between signing and inclusion
		///   fails the purchase instead of selling something else (audit A3-06). The terms need
		///   no naming: they are the version's own, fixed by its manifest.
		/// - Effects: pays the price (see the crate doc: protocol fee to `OnProtocolFee`, the
		///   rest credited to vaults by the version's royalty table); creates the grant or
		///   extends it by the terms' `grant_duration` from the later of now and its expiry; a
		///   derivative grant gains one credit.
		/// - Deposit: `GrantDeposit` when the grant is new, held until it is dropped.
		/// - Emits [`Event::Purchased`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::UnknownOffer`],
		///   [`Error::UsageOfferNotPurchasable`], [`Error::OfferKindMismatch`],
		///   [`Error::PriceAboveMaximum`], [`Error::InsufficientBalance`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::purchase(T::MaxRoyaltyEntries::get()).saturating_add(T::Curation::credit_weight()))]
		pub fn purchase(
			origin: OriginFor<T>,
			version: VersionId,
			offer: OfferId,
			kind: GrantKind,
			max_price: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let entries = Self::do_purchase(who, version, offer, kind, max_price)?;
			Ok(Some(T::WeightInfo::purchase(entries).saturating_add(T::Curation::credit_weight())).into())
		}

		/// Give up a grant and take its deposit back.
		///
		/// - Origin: signed by the grant's holder.
		/// - Emits [`Event::GrantDropped`].
		/// - Errors: [`Error::UnknownGrant`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::drop_grant())]
		pub fn drop_grant(origin: OriginFor<T>, version: VersionId, kind: GrantKind) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_drop_grant(who, version, kind)
		}

		/// Approve derivatives of `parent` committed by `committer` (for terms that require
		/// approval).
		///
		/// - Origin: signed by an admin of `parent`'s model.
		/// - Deposit: `ApprovalDeposit`, held until the approval is revoked.
		/// - Emits [`Event::DerivativeApproved`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::NotAdmin`], [`Error::ApprovalExists`],
		///   [`Error::InsufficientBalance`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::approve_derivative())]
		pub fn approve_derivative(origin: OriginFor<T>, parent: VersionId, committer: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_approve_derivative(who, parent, committer)
		}

		/// Revoke an approval; versions already committed stay.
		///
		/// - Origin: signed by an admin of `parent`'s model.
		/// - Effects: releases the approval's deposit to whoever paid it.
		/// - Emits [`Event::ApprovalRevoked`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::NotAdmin`], [`Error::UnknownApproval`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::revoke_approval())]
		pub fn revoke_approval(origin: OriginFor<T>, parent: VersionId, committer: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke_approval(who, parent, committer)
		}

		/// Take the caller's share of what `version`'s vault has received, less what it has
		/// claimed; nothing owed is a no-op. The cost does not depend on how many payments the
		/// vault received.
		///
		/// - Origin: signed by a contributor in the version's split.
		/// - Emits [`Event::Claimed`] when something was paid.
		/// - Errors: [`Error::UnknownVersion`], [`Error::NotAContributor`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::claim(CLAIM_BENCHMARKED_PAYMENTS))]
		pub fn claim(origin: OriginFor<T>, version: VersionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who, version)
		}

		/// Open a prepaid usage channel to `provider` for `version`'s usage offer `offer`.
		///
		/// - Origin: signed by the payer.
		/// - Checks: the offer is a usage offer with a unit price at most `max_unit_price`;
		///   `deposit` is not zero; `expires_at` is in the future and at most
		///   `MaxChannelDuration` away.
		/// - Deposit: `deposit` plus `ChannelDeposit`, held from the payer until settled or
		///   refunded.
		/// - Emits [`Event::ChannelOpened`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::UnknownOffer`],
		///   [`Error::NotAUsageOffer`], [`Error::UnitPriceAboveMaximum`], [`Error::ZeroDeposit`],
		///   [`Error::InvalidExpiry`], [`Error::InsufficientBalance`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::open_channel())]
		pub fn open_channel(
			origin: OriginFor<T>,
			version: VersionId,
			offer: OfferId,
			provider: T::AccountId,
			deposit: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
			max_unit_price: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_channel(who, version, offer, provider, deposit, expires_at, max_unit_price)
		}

		/// Settle a usage voucher: pay for the units it counts beyond those already settled.
		///
		/// - Origin: signed by the channel's provider.
		/// - Checks: the channel has not expired; `nonce` is above the last settled one;
		///   `cumulative_units` is above the units settled; the amount owed fits the deposit;
		///   `signature` is the payer's over [`VoucherPayload`] for this chain and channel.
		/// - Effects: moves the amount out of the payer's hold and routes it like a purchase.
		/// - Emits [`Event::ChannelSettled`].
		/// - Errors: [`Error::UnknownChannel`], [`Error::NotProvider`], [`Error::ChannelExpired`],
		///   [`Error::StaleVoucher`], [`Error::NothingToSettle`], [`Error::VoucherOverDeposit`],
		///   [`Error::BadVoucherSignature`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::settle(T::MaxRoyaltyEntries::get()).saturating_add(T::Curation::credit_weight()))]
		pub fn settle(
			origin: OriginFor<T>,
			channel: ChannelId,
			cumulative_units: u64,
			nonce: u64,
			signature: T::OffchainSignature,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let entries = Self::do_settle(who, channel, cumulative_units, nonce, signature)?;
			Ok(Some(T::WeightInfo::settle(entries).saturating_add(T::Curation::credit_weight())).into())
		}

		/// Close an expired channel and release what it holds to its payer.
		///
		/// - Origin: signed by the channel's payer.
		/// - Emits [`Event::ChannelRefunded`].
		/// - Errors: [`Error::UnknownChannel`], [`Error::NotPayer`], [`Error::ChannelNotExpired`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::refund())]
		pub fn refund(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_refund(who, channel)
		}

		/// Record the caller's age X25519 recipient public key: what the keys of sealed
		/// versions released to the caller are wrapped to. Replaces the key recorded before
		/// (releases already made keep the key they were wrapped to).
		///
		/// - Origin: signed, anyone.
		/// - Deposit: `RecipientDeposit` when the caller has no key yet, held until
		///   [`Pallet::clear_recipient`]; replacing the key keeps the same deposit.
		/// - Checks: the key is not of small order
		///   ([`zoo_primitives::is_small_order_x25519`]: nothing wrapped to it is secret).
		/// - Emits [`Event::RecipientSet`].
		/// - Errors: [`Error::WeakRecipientKey`], [`Error::InsufficientBalance`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::set_recipient())]
		pub fn set_recipient(origin: OriginFor<T>, key: RecipientKey) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_recipient(who, key)
		}

		/// Remove the caller's age recipient key and release its deposit. Releases already
		/// made stay (with the key they were wrapped to).
		///
		/// - Origin: signed by an account with a recipient key.
		/// - Emits [`Event::RecipientCleared`].
		/// - Errors: [`Error::NoRecipient`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::clear_recipient())]
		pub fn clear_recipient(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_clear_recipient(who)
		}

		/// Release a sealed version's file keys to `grantee`: one age header per sealed
		/// artifact, each wrapping that file's key for the grantee's recipient key.
		///
		/// The chain checks who releases what to whom, and that the grantee may use the version
		/// at that block; it cannot check that a header opens the file (only the grantee can).
		/// A release cannot be revoked or replaced: once published, the headers are public and
		/// the grantee can decrypt for good.
		///
		/// - Origin: signed by an admin of the version's model.
		/// - Checks: the version is sealed; `grantee` may use it now (as [`Pallet::may_use`]:
		///   terms with commercial use and a use grant that holds, or an admin of the model);
		///   `grantee` has a recipient key, and it is `wrapped_for` (the key the caller wrapped
		///   the headers for); its keys were not released to `grantee` before;
		///   `headers` name exactly the version's sealed artifacts in the manifest's order; every
		///   header is a well-formed age v1 header.
		/// - Effects: stores the release (the releaser, the grantee's recipient key copied as it
		///   is now, the block, the headers) under (`version`, `grantee`); no call removes it.
		/// - Deposit: `KeyReleaseDepositBase` plus `KeyReleaseDepositPerByte` per header byte,
		///   held from the caller for as long as the release exists (for good).
		/// - Emits [`Event::KeyReleased`].
		/// - Errors: [`Error::UnknownVersion`], [`Error::UnknownModel`], [`Error::NotAdmin`],
		///   [`Error::NotSealed`], [`Error::NoGrant`], [`Error::NoRecipient`],
		///   [`Error::RecipientChanged`], [`Error::KeyAlreadyReleased`], [`Error::HeadersDoNotMatch`],
		///   [`Error::InvalidKeyHeader`], [`Error::InsufficientBalance`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::release_key(headers.len() as u32))]
		pub fn release_key(
			origin: OriginFor<T>,
			version: VersionId,
			grantee: T::AccountId,
			wrapped_for: RecipientKey,
			headers: KeyHeaders,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release_key(who, version, grantee, wrapped_for, headers)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// Registered terms.
		pub fn terms(id: TermsId) -> Option<TermsOf<T>> {
			TermsById::<T>::get(id).map(|record| record.terms)
		}

		/// The ID of registered terms equal to `terms`, if any.
		pub fn terms_id(terms: TermsOf<T>) -> Option<TermsId> {
			TermsByHash::<T>::get(Self::terms_hash(&terms))
		}

		/// A version's offers, by offer number.
		pub fn offers(version: VersionId) -> Vec<(OfferId, OfferKind, BalanceOf<T>)> {
			Offers::<T>::get(version).into_iter().map(|(id, offer)| (id, offer.kind, offer.price)).collect()
		}

		/// The grant `who` holds on `version`, of `kind`.
		pub fn grant(version: VersionId, who: T::AccountId, kind: GrantKind) -> Option<GrantOf<T>> {
			Grants::<T>::get((version, who, kind))
		}

		/// Whether `who` may use `version` commercially at block `at`: its terms allow
		/// commercial use and `who` holds a use grant then, or is an admin of its model.
		pub fn may_use(version: VersionId, who: T::AccountId, at: BlockNumberFor<T>) -> bool {
			Self::do_may_use(version, &who, at)
		}

		/// A model's current contributor split.
		pub fn split(model: ModelName) -> Option<SplitOf<T>> {
			ModelSplits::<T>::get(model).map(|record| record.split)
		}

		/// A version's contributor split (its model's when it was committed).
		pub fn version_split(version: VersionId) -> Option<SplitOf<T>> {
			VersionSplits::<T>::get(version)
		}

		/// A version's royalty table.
		pub fn royalty_table(version: VersionId) -> Option<RoyaltyTableOf<T>> {
			Royalties::<T>::get(version)
		}

		/// The royalty table a commit of `manifest` would get, or why it would be refused.
		pub fn royalty_preview(manifest: Manifest) -> Result<Vec<RoyaltyEntry>, Refusal> {
			Self::preview_table(&manifest)
		}

		/// Everything ever credited to `version`'s vault.
		pub fn vault(version: VersionId) -> BalanceOf<T> {
			Vaults::<T>::get(version)
		}

		/// What `who` could claim from `version`'s vault now.
		pub fn claimable(version: VersionId, who: T::AccountId) -> BalanceOf<T> {
			Self::claimable_now(&version, &who)
		}

		/// A usage channel.
		pub fn channel(id: ChannelId) -> Option<ChannelOf<T>> {
			Channels::<T>::get(id)
		}

		/// A version's licence record: its model and licence.
		pub fn version_license(version: VersionId) -> Option<VersionLicense> {
			Licenses::<T>::get(version)
		}

		/// Every reason a commit of `manifest` by `who` would be refused by the licence rules
		/// (empty: it would be accepted by them).
		pub fn check_derivative(manifest: Manifest, who: T::AccountId) -> Vec<Refusal> {
			Self::all_refusals(&manifest, &who)
		}

		/// `who`'s age recipient key, if it recorded one.
		pub fn recipient(who: T::AccountId) -> Option<RecipientKey> {
			Recipients::<T>::get(who).map(|record| record.key)
		}

		/// The file keys of sealed `version` released to `who`, if they were.
		pub fn released_key(version: VersionId, who: T::AccountId) -> Option<KeyReleaseOf<T>> {
			ReleasedKeys::<T>::get(version, who)
		}
	}
}
