//! Types stored by the model registry.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use zoo_primitives::{ModelName, VersionId};

/// What a member of an organisation may do. The organisation's owner is an admin.
///
/// | role   | create models in the org | manage members |
/// |--------|--------------------------|----------------|
/// | Admin  | yes                      | yes            |
/// | Member | yes                      | no             |
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum OrgRole {
	/// Creates models in the organisation and grants or revokes members' roles.
	#[codec(index = 0)]
	Admin,
	/// Creates models in the organisation.
	#[codec(index = 1)]
	Member,
}

impl OrgRole {
	/// Whether this role may grant and revoke roles in the organisation.
	pub fn is_admin(&self) -> bool {
		matches!(self, OrgRole::Admin)
	}
}

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

/// What a maintainer of a model may do. The owner can do everything an admin can.
///
/// | role      | commit | move refs | force-move refs, protect refs, manage roles, yank any |
/// |-----------|--------|-----------|--------------------------------------------------------|
/// | Admin     | yes    | yes       | yes                                                    |
/// | Writer    | yes    | yes       | no                                                     |
/// | Committer | yes    | no        | no                                                     |
/// | Releaser  | no     | yes       | no                                                     |
///
/// A committer may also yank the versions it committed, for as long as it holds a role that
/// commits.
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Role {
	/// Commits versions, moves refs (also backwards, by force), yanks any version, and grants
	/// or revokes roles.
	#[codec(index = 0)]
	Admin,
	/// Commits versions and yanks the versions it committed while it holds the role; moves no
	/// refs.
	#[codec(index = 1)]
	Committer,
	/// Commits versions and moves refs (protected refs only forward).
	#[codec(index = 2)]
	Writer,
	/// Creates refs and moves them (protected refs only forward), without committing: the
	/// role for whoever promotes versions to `staging` or `production`.
	#[codec(index = 3)]
	Releaser,
}

impl Role {
	/// Whether this role may commit versions.
	pub fn can_commit(&self) -> bool {
		matches!(self, Role::Admin | Role::Writer | Role::Committer)
	}

	/// Whether this role may create refs and move them forward.
	pub fn can_move_refs(&self) -> bool {
		matches!(self, Role::Admin | Role::Writer | Role::Releaser)
	}

	/// Whether this role may manage maintainers, force-move refs and yank any version.
	pub fn is_admin(&self) -> bool {
		matches!(self, Role::Admin)
	}
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
