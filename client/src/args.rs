//! Command-line values, parsed once into typed values: clap's value parsers call these
//! (`FromStr`, or [`version_id`]), so a verb never sees unchecked text and a bad value is
//! refused, in one line, before anything else happens.

use crate::{Error, Result};
use std::{fmt, str::FromStr};
use zoo_primitives::{EdgeKind, Parent, VersionId, validate_model_name, validate_org_name, validate_ref_name};

fn invalid(message: String) -> Error {
	Error::InvalidInput(message)
}

/// A version ID in CID text form (any multibase; shown canonically).
pub fn version_id(text: &str) -> Result<VersionId> {
	VersionId::from_cid_str(text).map_err(|e| invalid(format!("invalid version id {text:?}: {e}")))
}

macro_rules! checked_name {
	($(#[$doc:meta])* $name:ident, $what:literal, $validate:path) => {
		$(#[$doc])*
		#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
		pub struct $name(String);

		impl $name {
			/// The name as text.
			pub fn as_str(&self) -> &str {
				&self.0
			}
		}

		impl FromStr for $name {
			type Err = Error;
			fn from_str(text: &str) -> Result<Self> {
				$validate(text.as_bytes()).map_err(|e| invalid(format!(concat!("invalid ", $what, " {:?}: {}"), text, e)))?;
				Ok(Self(text.to_owned()))
			}
		}

		impl fmt::Display for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				f.write_str(&self.0)
			}
		}

		impl std::ops::Deref for $name {
			type Target = str;
			fn deref(&self) -> &str {
				&self.0
			}
		}

		impl serde::Serialize for $name {
			fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
				serializer.serialize_str(&self.0)
			}
		}
	};
}

checked_name!(
	/// A model name, `org/name`, that passes the chain's rules.
	ModelName,
	"model name",
	validate_model_name
);
impl ModelName {
	/// The name in the manifest's bounded form.
	pub fn to_bounded(&self) -> zoo_primitives::ModelName {
		self.0.as_bytes().to_vec().try_into().expect("a valid model name is within the length bound; qed")
	}
}

checked_name!(
	/// An organisation name that passes the chain's rules.
	OrgName,
	"organisation name",
	validate_org_name
);
checked_name!(
	/// A ref name (`main`, `release/v2`) that passes the chain's rules.
	RefName,
	"ref name",
	validate_ref_name
);

/// A parent, `CID[:KIND]`; the kind defaults to `revision`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentSpec(pub Parent);

impl FromStr for ParentSpec {
	type Err = Error;
	fn from_str(value: &str) -> Result<Self> {
		let (cid, kind) = value.split_once(':').unwrap_or((value, "revision"));
		let id = version_id(cid)?;
		let edge = EdgeKind::from_name(kind).ok_or_else(|| {
			let kinds: Vec<_> = EdgeKind::ALL.iter().map(|k| k.as_str()).collect();
			invalid(format!("invalid parent {value:?}: unknown edge kind {kind:?} (one of {})", kinds.join(", ")))
		})?;
		Ok(ParentSpec(Parent { id, edge }))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_and_parents_parse_once() {
		assert_eq!("acme/tiny".parse::<ModelName>().unwrap().as_str(), "acme/tiny");
		assert!("Acme".parse::<ModelName>().unwrap_err().to_string().contains("invalid model name"));
		assert!("a//b".parse::<RefName>().unwrap_err().to_string().contains("invalid ref name"));
		assert!("Bad Org".parse::<OrgName>().unwrap_err().to_string().contains("invalid organisation name"));
		assert!(version_id("bafy").unwrap_err().to_string().contains("invalid version id"));
		let id = VersionId::of_bytes(b"x");
		let parent: ParentSpec = format!("{id}:finetune").parse().unwrap();
		assert_eq!(parent.0, Parent { id, edge: EdgeKind::Finetune });
		let parent: ParentSpec = id.to_cid_string().parse().unwrap();
		assert_eq!(parent.0.edge, EdgeKind::Revision);
		assert!(format!("{id}:nope").parse::<ParentSpec>().unwrap_err().to_string().contains("unknown edge kind"));
	}
}
