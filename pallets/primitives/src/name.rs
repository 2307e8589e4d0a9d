//! Model names: `org/name`.

use bounded_collections::{BoundedVec, ConstU32};

/// Longest model name in bytes, `org/name` together.
pub const MAX_MODEL_NAME_LEN: u32 = 64;

/// A model name as stored on chain: `org/name`, checked by [`validate_model_name`].
pub type ModelName = BoundedVec<u8, ConstU32<MAX_MODEL_NAME_LEN>>;

/// Why a model name is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
	/// Longer than [`MAX_MODEL_NAME_LEN`] bytes.
	TooLong,
	/// Not exactly two non-empty parts separated by one `/`.
	NotOrgSlashName,
	/// A part holds a character other than `a-z`, `0-9`, `-`, `_`, or does not start with a
	/// letter or digit.
	InvalidCharacter,
}

impl core::fmt::Display for NameError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::TooLong => write!(f, "model name is longer than {MAX_MODEL_NAME_LEN} bytes"),
			Self::NotOrgSlashName => f.write_str("model name must be `org/name`"),
			Self::InvalidCharacter => {
				f.write_str("model name parts use only a-z, 0-9, `-` and `_`, and start with a letter or digit")
			}
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for NameError {}

/// Check that `name` is `org/name`, each part `[a-z0-9][a-z0-9_-]*`, at most
/// [`MAX_MODEL_NAME_LEN`] bytes in all.
pub fn validate_model_name(name: &[u8]) -> Result<(), NameError> {
	if name.len() > MAX_MODEL_NAME_LEN as usize {
		return Err(NameError::TooLong);
	}
	let mut parts = name.split(|b| *b == b'/');
	let (Some(org), Some(model), None) = (parts.next(), parts.next(), parts.next()) else {
		return Err(NameError::NotOrgSlashName);
	};
	for part in [org, model] {
		validate_segment(part)?;
	}
	Ok(())
}

/// Check one name segment: non-empty, `[a-z0-9][a-z0-9_-]*`.
fn validate_segment(part: &[u8]) -> Result<(), NameError> {
	let Some(first) = part.first() else { return Err(NameError::NotOrgSlashName) };
	if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
		return Err(NameError::InvalidCharacter);
	}
	if !part.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'_') {
		return Err(NameError::InvalidCharacter);
	}
	Ok(())
}

/// Longest ref name in bytes.
pub const MAX_REF_NAME_LEN: u32 = 64;

/// A ref name as stored on chain (`main`, `production`, `release/v2`), checked by
/// [`validate_ref_name`].
pub type RefName = BoundedVec<u8, ConstU32<MAX_REF_NAME_LEN>>;

/// Why a ref name is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefNameError {
	/// Empty or longer than [`MAX_REF_NAME_LEN`] bytes.
	BadLength,
	/// A character other than `a-z`, `0-9`, `.`, `_`, `-`, `/`.
	InvalidCharacter,
	/// A `/`-separated part is empty, starts with `.` or `-`, ends with `.`, or holds `..`.
	BadPart,
}

impl core::fmt::Display for RefNameError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::BadLength => write!(f, "ref name must be 1 to {MAX_REF_NAME_LEN} bytes"),
			Self::InvalidCharacter => f.write_str("ref names use only a-z, 0-9, `.`, `_`, `-` and `/`"),
			Self::BadPart => f.write_str(
				"each `/`-separated part of a ref name is non-empty, does not start with `.` or `-`, does not end with `.` and holds no `..`",
			),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for RefNameError {}

/// Check a ref name: 1 to [`MAX_REF_NAME_LEN`] bytes of `a-z0-9._-/`, made of `/`-separated
/// parts that are non-empty, start with neither `.` nor `-`, do not end with `.` and hold no
/// `..` (so `//` and a leading or trailing `/` are out too, as in git).
pub fn validate_ref_name(name: &[u8]) -> Result<(), RefNameError> {
	if name.is_empty() || name.len() > MAX_REF_NAME_LEN as usize {
		return Err(RefNameError::BadLength);
	}
	let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-' | b'/');
	if !name.iter().all(allowed) {
		return Err(RefNameError::InvalidCharacter);
	}
	for part in name.split(|b| *b == b'/') {
		match (part.first(), part.last()) {
			(Some(b'.' | b'-'), _) | (_, Some(b'.')) | (None, _) => return Err(RefNameError::BadPart),
			_ if part.windows(2).any(|pair| pair == b"..") => return Err(RefNameError::BadPart),
			_ => {}
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accepts_org_slash_name() {
		for ok in ["acme/resnet-50", "a/b", "0rg/m_1", "meta-llama/llama-3_1-8b"] {
			assert_eq!(validate_model_name(ok.as_bytes()), Ok(()), "{ok}");
		}
	}

	#[test]
	fn rejects_bad_names() {
		let cases: &[(&str, NameError)] = &[
			("", NameError::NotOrgSlashName),
			("acme", NameError::NotOrgSlashName),
			("acme/", NameError::NotOrgSlashName),
			("/model", NameError::NotOrgSlashName),
			("a/b/c", NameError::NotOrgSlashName),
			("Acme/model", NameError::InvalidCharacter),
			("acme/-model", NameError::InvalidCharacter),
			("acme/mo del", NameError::InvalidCharacter),
			("acme/modèl", NameError::InvalidCharacter),
		];
		for (name, err) in cases {
			assert_eq!(validate_model_name(name.as_bytes()), Err(*err), "{name}");
		}
		let long = format!("acme/{}", "m".repeat(60));
		assert_eq!(validate_model_name(long.as_bytes()), Err(NameError::TooLong));
	}
	#[test]
	fn ref_names() {
		for ok in ["main", "production", "release/v2.1", "exp_1-b", "a"] {
			assert_eq!(validate_ref_name(ok.as_bytes()), Ok(()), "{ok}");
		}
		let cases: &[(&str, RefNameError)] = &[
			("", RefNameError::BadLength),
			("Main", RefNameError::InvalidCharacter),
			("a b", RefNameError::InvalidCharacter),
			("a~1", RefNameError::InvalidCharacter),
			("/main", RefNameError::BadPart),
			("main/", RefNameError::BadPart),
			("a//b", RefNameError::BadPart),
			("a/../b", RefNameError::BadPart),
			(".hidden", RefNameError::BadPart),
			("-x", RefNameError::BadPart),
			("v1.", RefNameError::BadPart),
			("a..b", RefNameError::BadPart),
		];
		for (name, err) in cases {
			assert_eq!(validate_ref_name(name.as_bytes()), Err(*err), "{name}");
		}
		assert_eq!(validate_ref_name("m".repeat(65).as_bytes()), Err(RefNameError::BadLength));
		assert_eq!(validate_ref_name("m".repeat(64).as_bytes()), Ok(()));
	}
}
