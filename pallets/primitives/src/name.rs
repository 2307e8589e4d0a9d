//! Names: organisations (`org`), models (`org/name`) and refs, and the confusable skeleton
//! that keeps look-alike names apart.

use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};

/// Longest model name in bytes, `org/name` together.
pub const MAX_MODEL_NAME_LEN: u32 = 64;

/// A model name as stored on chain: `org/name`, checked by [`validate_model_name`].
pub type ModelName = BoundedVec<u8, ConstU32<MAX_MODEL_NAME_LEN>>;

/// Longest organisation name in bytes.
pub const MAX_ORG_NAME_LEN: u32 = 32;

/// An organisation name as stored on chain: the `org` of `org/name`, checked by
/// [`validate_org_name`].
pub type OrgName = BoundedVec<u8, ConstU32<MAX_ORG_NAME_LEN>>;

/// A name's confusable skeleton ([`name_skeleton`]), at most as long as the name.
pub type NameSkeleton = BoundedVec<u8, ConstU32<MAX_MODEL_NAME_LEN>>;

/// Why a model or organisation name is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
	/// Longer than [`MAX_MODEL_NAME_LEN`] bytes.
	TooLong,
	/// Not exactly two non-empty parts separated by one `/`.
	NotOrgSlashName,
	/// A part holds a character other than `a-z`, `0-9`, `-`, `_`, or does not start and end
	/// with a letter or digit, or holds two separators in a row.
	InvalidCharacter,
}

impl core::fmt::Display for NameError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::TooLong => write!(f, "model name is longer than {MAX_MODEL_NAME_LEN} bytes"),
			Self::NotOrgSlashName => f.write_str("model name must be `org/name`"),
			Self::InvalidCharacter => {
				f.write_str("name parts use only a-z, 0-9 and single `-` or `_` between letters and digits")
			}
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for NameError {}

/// Check that `name` is `org/name`, each part a valid segment (see [`validate_org_name`]), at
/// most [`MAX_MODEL_NAME_LEN`] bytes in all.
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

/// Check an organisation name: at most [`MAX_ORG_NAME_LEN`] bytes of `a-z`, `0-9`, `-`, `_`,
/// starting and ending with a letter or digit, never two separators in a row.
pub fn validate_org_name(name: &[u8]) -> Result<(), NameError> {
	if name.len() > MAX_ORG_NAME_LEN as usize {
		return Err(NameError::TooLong);
	}
	validate_segment(name)
}

/// The organisation part of a model name (`acme` of `acme/resnet`); the whole name if it has
/// no `/`.
pub fn org_of(model: &[u8]) -> &[u8] {
	model.split(|b| *b == b'/').next().unwrap_or(model)
}

/// Check one name segment: non-empty, `[a-z0-9]([a-z0-9]|[-_][a-z0-9])*`.
fn validate_segment(part: &[u8]) -> Result<(), NameError> {
	let is_alphanumeric = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
	let is_separator = |b: &u8| *b == b'-' || *b == b'_';
	let (Some(first), Some(last)) = (part.first(), part.last()) else { return Err(NameError::NotOrgSlashName) };
	if !is_alphanumeric(first) || !is_alphanumeric(last) {
		return Err(NameError::InvalidCharacter);
	}
	if !part.iter().all(|b| is_alphanumeric(b) || is_separator(b)) {
		return Err(NameError::InvalidCharacter);
	}
	if part.windows(2).any(|pair| is_separator(&pair[0]) && is_separator(&pair[1])) {
		return Err(NameError::InvalidCharacter);
	}
	Ok(())
}

/// Letter pairs that read as one letter, and what they read as.
const CONFUSABLE_PAIRS: [(&[u8; 2], u8); 3] = [(b"rn", b'm'), (b"vv", b'w'), (b"cl", b'd')];

/// The confusable skeleton of a name: what is left when everything a reader could mistake is
/// made equal. Two names with one skeleton look alike, and the registry keeps only the first.
///
/// Applied byte by byte, in this order:
/// 1. upper case becomes lower case;
/// 2. separators do not count: `-`, `_` and `.` are dropped, as npm ignores punctuation when
///    it compares package names (`openai` and `open-ai` read as one name);
/// 3. look-alike characters become one: `0` reads as `o`; `1`, `i` and `|` read as `l`;
/// 4. look-alike pairs become one letter: `rn` reads as `m`, `vv` as `w`, `cl` as `d` (also
///    across a dropped separator: `r-n` reads as `m`).
///
/// So `meta-llama`, `Meta_Llama`, `metallama`, `meta-11ama`, `rneta-llama` and `meta-llama-`
/// share the skeleton `metallama`. `/` is kept, so a model's skeleton is its organisation's
/// skeleton, `/`, and its own.
///
/// Applying the rule to a skeleton of the rule before it (which made separators equal instead
/// of dropping them) gives the name's skeleton under this rule, except where a dropped
/// separator splits a look-alike pair differently (`v-vv`): the registry's migration to storage
/// version 2 re-keys the reserved names, stored only by skeleton, that way.
pub fn name_skeleton(name: &[u8]) -> NameSkeleton {
	let single: Vec<u8> = name
		.iter()
		.filter_map(|b| match b.to_ascii_lowercase() {
			b'-' | b'_' | b'.' => None,
			b'0' => Some(b'o'),
			b'1' | b'i' | b'|' => Some(b'l'),
			other => Some(other),
		})
		.collect();
	let mut skeleton = Vec::with_capacity(single.len());
	let mut rest = &single[..];
	while let Some(&byte) = rest.first() {
		let pair = CONFUSABLE_PAIRS.iter().find(|(pair, _)| rest.starts_with(&pair[..]));
		let (byte, used) = pair.map_or((byte, 1), |(_, letter)| (*letter, 2));
		rest = &rest[used..];
		skeleton.push(byte);
	}
	skeleton.truncate(MAX_MODEL_NAME_LEN as usize);
	BoundedVec::truncate_from(skeleton)
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
		for ok in ["acme/resnet-50", "a/b", "0rg/m_1", "meta-llama/llama-3_1-8b", "a-b_c/d1"] {
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
			("acme/model-", NameError::InvalidCharacter),
			("acme-/model", NameError::InvalidCharacter),
			("acme/res--net", NameError::InvalidCharacter),
			("acme/res_-net", NameError::InvalidCharacter),
			("acme/_model", NameError::InvalidCharacter),
		];
		for (name, err) in cases {
			assert_eq!(validate_model_name(name.as_bytes()), Err(*err), "{name}");
		}
		let long = format!("acme/{}", "m".repeat(60));
		assert_eq!(validate_model_name(long.as_bytes()), Err(NameError::TooLong));
	}
	#[test]
	fn org_names() {
		for ok in ["acme", "meta-llama", "a", "0rg_1"] {
			assert_eq!(validate_org_name(ok.as_bytes()), Ok(()), "{ok}");
		}
		for bad in ["", "acme/x", "Acme", "acme-", "-acme", "ac--me"] {
			assert!(validate_org_name(bad.as_bytes()).is_err(), "{bad}");
		}
		assert_eq!(validate_org_name("o".repeat(33).as_bytes()), Err(NameError::TooLong));
		assert_eq!(org_of(b"acme/resnet"), b"acme");
	}

	#[test]
	fn look_alikes_share_a_skeleton() {
		let skeleton = |name: &str| String::from_utf8(name_skeleton(name.as_bytes()).into_inner()).unwrap();
		// The audit's look-alikes of `meta-llama`, and more.
		for name in [
			"meta-llama",
			"metallama",
			"meta_llama",
			"Meta-Llama",
			"rneta-llama",
			"meta-11ama",
			"meta-llama-",
			"meta--llama",
			"meta.llama",
			"-meta-llama",
			"meta-IIama",
			"meta-|lama",
		] {
			assert_eq!(skeleton(name), "metallama", "{name}");
		}
		assert_eq!(skeleton("meta-llama/llama_3"), skeleton("meta-llama/llama-3"));
		assert_eq!(skeleton("meta-llama-/llama-3-"), "metallama/llama3");
		assert_eq!(skeleton("g00gle/vvord-clip"), "google/worddlp");
		// Names that differ only in punctuation are one name, as npm has it.
		assert_eq!(skeleton("openai"), skeleton("open-ai"));
		assert_eq!(skeleton("open.ai/gpt_2"), skeleton("openai/gpt-2"));
		assert_eq!(skeleton("r-n"), "m");
		// Different names stay apart.
		for (a, b) in [("acme/resnet", "acme/resnet-50"), ("a/b", "ab"), ("meta", "metal"), ("openai", "openai2")] {
			assert_ne!(skeleton(a), skeleton(b), "{a} vs {b}");
		}
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
