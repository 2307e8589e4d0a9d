//! Types stored by the model registry.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{BoundedVec, traits::ConstU32};
use scale_info::TypeInfo;
use zoo_primitives::{ModelName, VersionId};
pub use zoo_primitives::{OrgRole, Role};

/// An organisation: an owned namespace (`org` of `org/name`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct OrgDetails<AccountId, Balance, BlockNumber> {
	/// The owner; holds the organisation deposit and is implicitly an admin.
	pub owner: AccountId,
	/// The deposit held from the owner (zero for an organisation created by governance).
	pub deposit: Balance,
	/// Block in which the organisation was created.
	pub created: BlockNumber,
	/// How many members (besides the owner) hold a role.
	pub member_count: u32,
	/// How many models have been created in the organisation.
	pub model_count: u32,
}

/// A member's role in an organisation and the deposit that pays for its storage.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct OrgMember<AccountId, Balance> {
	/// The role granted.
	pub role: OrgRole,
	/// The admin that granted it and whose deposit is held.
	pub depositor: AccountId,
	/// The deposit held from `depositor`.
	pub deposit: Balance,
}

/// A model (a repository of versions).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ModelDetails<AccountId, Balance, BlockNumber> {
	/// The owner; holds the model deposit and is implicitly an admin.
	pub owner: AccountId,
	/// An account offered ownership that has not accepted yet.
	pub pending_owner: Option<AccountId>,
	/// The deposit held from the owner for this model.
	pub deposit: Balance,
	/// Block in which the model was created.
	pub created: BlockNumber,
	/// How many versions have been committed (also the index of the next one).
	pub version_count: u32,
	/// How many maintainers (besides the owner) hold a role.
	pub maintainer_count: u32,
	/// The version committed last.
	pub latest: Option<VersionId>,
}

/// A maintainer's role and the deposit that pays for its storage.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Maintainer<AccountId, Balance> {
	/// The role granted.
	pub role: Role,
	/// The admin that granted it and whose deposit is held.
	pub depositor: AccountId,
	/// The deposit held from `depositor`.
	pub deposit: Balance,
}

/// Longest yank reason, in bytes.
pub const MAX_YANK_REASON_LEN: u32 = 256;

/// Why a version was yanked (UTF-8).
pub type YankReason = BoundedVec<u8, ConstU32<MAX_YANK_REASON_LEN>>;

/// A yank: the version stays, marked as not to be used.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Yank<AccountId, BlockNumber> {
	/// Who yanked it.
	pub by: AccountId,
	/// When.
	pub at: BlockNumber,
	/// Why (UTF-8).
	pub reason: YankReason,
}

/// What the chain records beside a committed manifest.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct VersionRecord<AccountId, Balance, BlockNumber> {
	/// The model the version belongs to.
	pub model: ModelName,
	/// Position among the model's versions, from 0.
	pub index: u32,
	/// The account that submitted the commit and holds its deposit.
	pub committer: AccountId,
	/// Block in which it was committed.
	pub block: BlockNumber,
	/// The deposit held from the committer (grows with the manifest's encoded size).
	pub deposit: Balance,
	/// Set once the version is yanked.
	pub yanked: Option<Yank<AccountId, BlockNumber>>,
}

/// No licence rules: every commit is accepted and nothing is recorded (for runtimes and tests
/// without the licensing pallet).
pub struct NoLicensing;

impl<AccountId> zoo_primitives::LicensePolicy<AccountId> for NoLicensing {
	type Plan = ();
	type Error = sp_runtime::DispatchError;
	type Weight = frame_support::weights::Weight;

	fn check_commit(_: VersionId, _: &zoo_primitives::Manifest, _: &AccountId) -> Result<((), u32), Self::Error> {
		Ok(((), 0))
	}

	fn on_commit(_: VersionId, _: &zoo_primitives::Manifest, _: &AccountId, _: ()) {}

	fn commit_weight(_: u32) -> Self::Weight {
		Self::Weight::zero()
	}
}
