//! Who may do what: a maintainer's [`Role`] on a model and a member's [`OrgRole`] in an
//! organisation. Defined here, once, so the runtime and the client (which substitutes these
//! types into its generated code) can never disagree about them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

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
	/// Every role, most powerful first.
	pub const ALL: [Role; 4] = [Role::Admin, Role::Writer, Role::Committer, Role::Releaser];

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

	/// Lower-case name, as the client prints and parses it.
	pub fn as_str(&self) -> &'static str {
		match self {
			Role::Admin => "admin",
			Role::Writer => "writer",
			Role::Committer => "committer",
			Role::Releaser => "releaser",
		}
	}

	/// Parse a lower-case name.
	pub fn from_name(name: &str) -> Option<Role> {
		Self::ALL.into_iter().find(|role| role.as_str() == name)
	}
}

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
	/// Every role, most powerful first.
	pub const ALL: [OrgRole; 2] = [OrgRole::Admin, OrgRole::Member];

	/// Whether this role may grant and revoke roles in the organisation.
	pub fn is_admin(&self) -> bool {
		matches!(self, OrgRole::Admin)
	}

	/// Lower-case name, as the client prints and parses it.
	pub fn as_str(&self) -> &'static str {
		match self {
			OrgRole::Admin => "admin",
			OrgRole::Member => "member",
		}
	}

	/// Parse a lower-case name.
	pub fn from_name(name: &str) -> Option<OrgRole> {
		Self::ALL.into_iter().find(|role| role.as_str() == name)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_round_trip() {
		for role in Role::ALL {
			assert_eq!(Role::from_name(role.as_str()), Some(role));
		}
		for role in OrgRole::ALL {
			assert_eq!(OrgRole::from_name(role.as_str()), Some(role));
		}
		assert_eq!(Role::from_name("owner"), None);
	}

	#[test]
	fn encodings_are_fixed() {
		// Stored on chain: the indices never change.
		assert_eq!([Role::Admin, Role::Committer, Role::Writer, Role::Releaser].map(|r| r.encode()[0]), [0, 1, 2, 3]);
		assert_eq!([OrgRole::Admin, OrgRole::Member].map(|r| r.encode()[0]), [0, 1]);
	}
}
