//! The licensing pallet's types: terms, offers, grants, splits, royalty tables, usage
//! channels and vouchers, the reasons a derivative is refused, and key releases of sealed
//! versions.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, traits::ConstU32};
use scale_info::TypeInfo;
use zoo_primitives::{Bytes, EdgeKind, License, MAX_ARTIFACTS, MAX_SEAL_HEADER_LEN, MAX_URI_LEN, ModelName, VersionId};

/// A registered set of terms: what a manifest's `License::Terms(id)` names.
pub type TermsId = u64;

/// A usage channel.
pub type ChannelId = u64;

/// An offer's number among its version's offers, chosen by the admin who sets it.
pub type OfferId = u32;

/// Parts per billion: shares of revenue in royalty tables and terms (`BILLION` = 100 %).
pub type Ppb = u32;

/// 100 % in parts per billion.
pub const BILLION: Ppb = 1_000_000_000;

/// Basis points: contributor shares (`FULL_BPS` = 100 %).
pub type Bps = u16;

/// 100 % in basis points.
pub const FULL_BPS: Bps = 10_000;

/// Longest model-name prefix terms may require (`llama`).
pub const MAX_NAME_PREFIX_LEN: u32 = 32;

/// Domain tag of a usage voucher's signed payload.
pub const VOUCHER_DOMAIN: &[u8; 9] = b"zoo/usage";

macro_rules! scale_type {
	($(#[$meta:meta])* $vis:vis $kind:ident $name:ident $($body:tt)*) => {
		$(#[$meta])*
		#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
		$vis $kind $name $($body)*
	};
}

scale_type! {
	/// A set of edge kinds, one bit per [`EdgeKind`] in encoding order (bit 0: revision, which
	/// never needs a licence and is never in a set terms accept).
	#[derive(Copy, Default)]
	pub struct EdgeKindSet(pub u8);
}

impl EdgeKindSet {
	/// No kind.
	pub const NONE: Self = Self(0);

	/// Every derivation kind: merge, finetune, quantize, distill, adapter, other.
	pub const ALL_DERIVATIONS: Self = Self(0b111_1110);

	/// The set of `kinds`.
	pub fn of(kinds: &[EdgeKind]) -> Self {
		Self(kinds.iter().fold(0, |bits, kind| bits | (1 << *kind as u8)))
	}

	/// Whether `kind` is in the set.
	pub fn contains(self, kind: EdgeKind) -> bool {
		self.0 & (1 << kind as u8) != 0
	}

	/// Whether the set is empty.
	pub fn is_empty(self) -> bool {
		self.0 == 0
	}

	/// Whether every kind of `self` is in `other`.
	pub fn is_subset_of(self, other: Self) -> bool {
		self.0 & !other.0 == 0
	}
}

scale_type! {
	/// Use restrictions (OpenRAIL's use-based restrictions, as a bit per restriction of a list
	/// kept off chain by governance, whose text the terms' legal text cites). A derivative
	/// carries at least its upstream's restrictions.
	#[derive(Copy, Default)]
	pub struct RestrictionSet(pub u64);
}

impl RestrictionSet {
	/// Whether every restriction of `self` is in `other`.
	pub fn is_subset_of(self, other: Self) -> bool {
		self.0 & !other.0 == 0
	}
}

scale_type! {
	/// Licence terms a runtime can enforce, with a hash and URI of the full legal text.
	/// Immutable once registered; registered once (deduplicated by their hash).
	pub struct Terms<BlockNumber> {
		/// Whether the version may be used commercially (holders of a use grant; without it
		/// nobody may, and no use or usage offer can be made on it).
		pub commercial_use: bool,
		/// The edge kinds a version of another model may derive by.
		pub derivatives_allowed: EdgeKindSet,
		/// The allowed kinds that need a paid derivative grant, consumed by the commit.
		pub derivatives_paid: EdgeKindSet,
		/// Share-alike: derivatives must carry these same terms.
		pub share_alike: bool,
		/// Derivatives need the licensor's approval for the committing account.
		pub approval_required: bool,
		/// Derivatives must carry attribution: a top-level `NOTICE` artifact, or an
		/// `attribution` tag.
		pub attribution_required: bool,
		/// Derivatives' model names (the part after `org/`) must start with this (Llama's
		/// "include Llama at the beginning of any such AI model name").
		pub name_prefix: Option<Bytes<MAX_NAME_PREFIX_LEN>>,
		/// Use restrictions that derivatives must carry too.
		pub restrictions: RestrictionSet,
		/// Per edge kind (indexed in [`EdgeKind`] order), the share of a derivative's revenue
		/// that flows to this version and its own upstream, in parts per billion.
		pub upstream_share: [Ppb; 7],
		/// How long a purchased grant lasts, in blocks (`None`: forever).
		pub grant_duration: Option<BlockNumber>,
		/// sha2-256 of the full legal text.
		pub legal_hash: [u8; 32],
		/// Where the full legal text is.
		pub legal_uri: Bytes<MAX_URI_LEN>,
	}
}

impl<BlockNumber> Terms<BlockNumber> {
	/// The upstream share a derivative by `kind` owes.
	pub fn upstream_share_for(&self, kind: EdgeKind) -> Ppb {
		self.upstream_share[kind as usize]
	}
}

scale_type! {
	/// Registered terms and who paid their deposit.
	pub struct TermsRecord<AccountId, Balance, BlockNumber> {
		/// The terms.
		pub terms: Terms<BlockNumber>,
		/// Who registered them.
		pub registrant: AccountId,
		/// The deposit held from the registrant (terms are never removed).
		pub deposit: Balance,
	}
}

scale_type! {
	/// What an offer sells.
	#[derive(Copy)]
	pub enum OfferKind {
		/// A use grant: the holder may use the version commercially until it expires.
		Use,
		/// A derivative grant: one commit deriving from the version by a paid edge kind.
		Derivative,
		/// Metered use: a prepaid usage channel, at the price per unit.
		Usage,
	}
}

scale_type! {
	/// A priced offer on a version.
	pub struct Offer<AccountId, Balance> {
		/// What it sells.
		pub kind: OfferKind,
		/// The price of one grant, or of one unit of usage.
		pub price: Balance,
		/// The admin who set it, whose deposit is held.
		pub depositor: AccountId,
		/// The deposit.
		pub deposit: Balance,
	}
}

scale_type! {
	/// What a grant allows.
	#[derive(Copy)]
	pub enum GrantKind {
		/// Commercial use.
		Use,
		/// Derivative commits.
		Derivative,
	}
}

scale_type! {
	/// A grant an account holds on a version.
	pub struct Grant<Balance, BlockNumber> {
		/// The block from which it no longer holds (`None`: never expires).
		pub expires_at: Option<BlockNumber>,
		/// Derivative commits left (derivative grants; 0 for use grants).
		pub credits: u32,
		/// The deposit held from the holder for this entry.
		pub deposit: Balance,
	}
}

impl<Balance, BlockNumber: PartialOrd> Grant<Balance, BlockNumber> {
	/// Whether the grant holds at block `now`.
	pub fn holds_at(&self, now: &BlockNumber) -> bool {
		self.expires_at.as_ref().is_none_or(|end| now < end)
	}
}

/// Contributor shares of a model's revenue: (account, basis points), summing to [`FULL_BPS`];
/// the first entry receives the rounding remainder.
pub type Split<AccountId, MaxContributors> = BoundedVec<(AccountId, Bps), MaxContributors>;

scale_type! {
	/// A model's split and who paid its deposit.
	pub struct SplitRecord<AccountId, Balance, Split> {
		/// The split ([`Split`]).
		pub split: Split,
		/// The admin who set it.
		pub depositor: AccountId,
		/// The deposit held from it.
		pub deposit: Balance,
	}
}

scale_type! {
	/// One entry of a version's royalty table: a share of every payment to the version.
	#[derive(Copy, PartialOrd, Ord)]
	pub struct RoyaltyEntry {
		/// The version credited (the version itself, or an ancestor).
		pub version: VersionId,
		/// Its share, in parts per billion.
		pub share: Ppb,
		/// Cross-model hops from the version to this ancestor (0 for the version itself and
		/// for ancestors in its own model reached only by revisions and merges).
		pub hops: u8,
	}
}

/// A version's royalty table: sorted by version, unique, shares summing to exactly
/// [`BILLION`].
pub type RoyaltyTable<MaxEntries> = BoundedVec<RoyaltyEntry, MaxEntries>;

scale_type! {
	/// What a version owes because of its upstream, whatever its own licence says: its
	/// licence must meet these, and it passes them on to its revisions and derivatives.
	#[derive(Default)]
	pub struct Obligations {
		/// An upstream is non-commercial: so must this version be.
		pub non_commercial: bool,
		/// An upstream is share-alike: this version must carry this licence.
		pub share_alike: Option<License>,
		/// Use restrictions this version's terms must carry.
		pub restrictions: RestrictionSet,
		/// Attribution must be present.
		pub attribution: bool,
		/// The model name (after `org/`) must start with this.
		pub name_prefix: Option<Bytes<MAX_NAME_PREFIX_LEN>>,
	}
}

scale_type! {
	/// A version's licence as the licensing pallet keeps it: what its derivatives are judged
	/// against.
	pub struct VersionLicense {
		/// The version's model.
		pub model: ModelName,
		/// Its licence.
		pub license: License,
		/// What it owes because of its upstream.
		pub obligations: Obligations,
	}
}

scale_type! {
	/// A prepaid usage channel from a payer to a serving operator for one version.
	pub struct Channel<AccountId, Balance, BlockNumber> {
		/// Who prepaid, and signs vouchers.
		pub payer: AccountId,
		/// Who serves, and settles vouchers.
		pub provider: AccountId,
		/// The version used.
		pub version: VersionId,
		/// Price per unit, fixed when the channel opened.
		pub unit_price: Balance,
		/// Held from the payer: what the channel can still pay.
		pub deposit: Balance,
		/// Units settled so far (the latest voucher's cumulative count).
		pub settled_units: u64,
		/// The latest settled voucher's nonce; a voucher must carry a larger one.
		pub nonce: u64,
		/// The block from which nothing settles and the payer may take the rest back.
		pub expires_at: BlockNumber,
		/// The fixed deposit held from the payer for this entry.
		pub record_deposit: Balance,
	}
}

/// What a payer signs, off chain, to let the provider settle `cumulative_units` units of a
/// channel: `("zoo/usage", genesis hash, channel, nonce, cumulative units)`, SCALE-encoded.
/// Bound to one chain and one channel; the nonce orders vouchers.
#[derive(Encode)]
pub struct VoucherPayload<Hash> {
	/// [`VOUCHER_DOMAIN`].
	pub domain: [u8; 9],
	/// The chain's genesis hash.
	pub genesis: Hash,
	/// The channel.
	pub channel: ChannelId,
	/// Larger than the last settled voucher's.
	pub nonce: u64,
	/// Units used since the channel opened.
	pub cumulative_units: u64,
}

scale_type! {
	/// Why a derivative commit is refused: one reason per rule, each mapped to one error of the
	/// pallet. [`crate::Pallet::check_derivative`] returns every reason that applies.
	#[derive(Copy)]
	pub enum Refusal {
		/// The manifest names terms that are not registered.
		UnknownTerms,
		/// A parent has no licence record (committed before licensing).
		UnknownParentLicense,
		/// A parent of another model is yanked (and the committer is not an admin of its
		/// model).
		UpstreamYanked,
		/// A parent of another model has no licence (or an SPDX licence this pallet does not
		/// know); only its model's admins may derive from it.
		UpstreamUnlicensed,
		/// A parent's terms do not allow deriving by this edge kind.
		DerivativeKindNotAllowed,
		/// A parent's terms need a paid derivative grant for this edge kind, and the committer
		/// holds none that is unexpired and unused.
		DerivativeGrantRequired,
		/// A parent is share-alike and the manifest does not carry the same licence.
		ShareAlikeRequired,
		/// A parent's use restrictions are not all carried by the manifest's terms.
		UseRestrictionsDropped,
		/// A parent's terms require model names starting with a prefix this model's lacks.
		NamePrefixRequired,
		/// A parent's terms require attribution: a top-level `NOTICE` artifact or an
		/// `attribution` tag.
		AttributionRequired,
		/// A parent is non-commercial and the manifest's licence allows commercial use.
		NonCommercialUpstream,
		/// A parent's terms need the licensor's approval for the committer, which is missing.
		ApprovalRequired,
		/// Parents of other models disagree on commercial use, or one is share-alike and
		/// another carries a different licence.
		IncompatibleParents,
		/// What the version would owe upstream exceeds `MaxUpstreamShare`.
		UpstreamShareTooHigh,
	}
}

scale_type! {
	/// How this pallet judges an SPDX licence expression (see the crate doc's table).
	#[derive(Copy)]
	pub struct SpdxClass {
		/// Every identifier is in the table (otherwise nothing else here is trusted).
		pub known: bool,
		/// Commercial use is allowed.
		pub commercial: bool,
		/// Derivatives are allowed.
		pub derivatives: bool,
		/// Derivatives must carry the same licence.
		pub share_alike: bool,
	}
}

/// A licence identifier in SPDX's list, as the crate doc's table classifies it.
pub(crate) type SpdxTableRow = (&'static str, SpdxClass);

/// An age X25519 recipient public key (the 32 bytes an `age1...` recipient string encodes):
/// what key releases to an account are wrapped to.
pub type RecipientKey = [u8; 32];

scale_type! {
	/// An account's age recipient key and the deposit held for it.
	pub struct Recipient<Balance> {
		/// The X25519 public key key releases to the account are wrapped to.
		pub key: RecipientKey,
		/// The deposit held from the account (`RecipientDeposit` when it was first set).
		pub deposit: Balance,
	}
}

scale_type! {
	/// One sealed artifact's file key wrapped for a grantee: an age v1 header whose stanza
	/// names the grantee's recipient, to be put in front of the stored (encrypted) payload.
	pub struct KeyHeader {
		/// Index of the artifact in the manifest (a sealed file of the version).
		pub artifact: u32,
		/// The age header (`age-encryption.org/v1` ... `--- <MAC>`).
		pub header: Bytes<MAX_SEAL_HEADER_LEN>,
	}
}

/// The headers of one key release: one per sealed file of the version, in the manifest's order.
pub type KeyHeaders = BoundedVec<KeyHeader, ConstU32<MAX_ARTIFACTS>>;

scale_type! {
	/// A version's file keys released to one grantee: who released them, when, to which key,
	/// and the deposit held from the releaser for the record. Never removed.
	pub struct KeyRelease<AccountId, Balance, BlockNumber> {
		/// The admin of the version's model who released the keys (whose deposit is held).
		pub by: AccountId,
		/// The grantee's recipient key when the keys were released: the identity that opens
		/// the headers.
		pub recipient: RecipientKey,
		/// The block the keys were released in.
		pub released_at: BlockNumber,
		/// One age header per sealed file, in the order of the manifest's sealed files.
		pub headers: KeyHeaders,
		/// The deposit held from `by`: `KeyReleaseDepositBase` plus `KeyReleaseDepositPerByte`
		/// per header byte.
		pub deposit: Balance,
	}
}
