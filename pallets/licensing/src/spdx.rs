//! How the derivative rules judge a parent licensed by an SPDX expression instead of on-chain
//! terms: each identifier has a class in [`TABLE`]; `AND` takes every operand's obligations,
//! `OR` the most permissive alternative (the licensee picks). Expressions with parentheses,
//! and identifiers not in the table (`LicenseRef-...` included), are unknown.

use crate::types::{SpdxClass, SpdxTableRow};

const PERMISSIVE: SpdxClass = SpdxClass { known: true, commercial: true, derivatives: true, share_alike: false };
const SHARE_ALIKE: SpdxClass = SpdxClass { known: true, commercial: true, derivatives: true, share_alike: true };
const NON_COMMERCIAL: SpdxClass = SpdxClass { known: true, commercial: false, derivatives: true, share_alike: false };
const NON_COMMERCIAL_SHARE_ALIKE: SpdxClass =
	SpdxClass { known: true, commercial: false, derivatives: true, share_alike: true };
const NO_DERIVATIVES: SpdxClass = SpdxClass { known: true, commercial: true, derivatives: false, share_alike: false };
const NON_COMMERCIAL_NO_DERIVATIVES: SpdxClass =
	SpdxClass { known: true, commercial: false, derivatives: false, share_alike: false };
const UNKNOWN: SpdxClass = SpdxClass { known: false, commercial: false, derivatives: false, share_alike: false };

/// The SPDX identifiers this pallet knows, and their class.
pub const TABLE: &[SpdxTableRow] = &[
	("0BSD", PERMISSIVE),
	("Apache-2.0", PERMISSIVE),
	("BSD-2-Clause", PERMISSIVE),
	("BSD-3-Clause", PERMISSIVE),
	("BSL-1.0", PERMISSIVE),
	("CC-BY-4.0", PERMISSIVE),
	("CC0-1.0", PERMISSIVE),
	("CDLA-Permissive-2.0", PERMISSIVE),
	("ISC", PERMISSIVE),
	("MIT", PERMISSIVE),
	("OpenMDW-1.0", PERMISSIVE),
	("Unlicense", PERMISSIVE),
	("Zlib", PERMISSIVE),
	("AGPL-3.0-only", SHARE_ALIKE),
	("AGPL-3.0-or-later", SHARE_ALIKE),
	("CC-BY-SA-4.0", SHARE_ALIKE),
	("CDLA-Sharing-1.0", SHARE_ALIKE),
	("GPL-2.0-only", SHARE_ALIKE),
	("GPL-2.0-or-later", SHARE_ALIKE),
	("GPL-3.0-only", SHARE_ALIKE),
	("GPL-3.0-or-later", SHARE_ALIKE),
	("ODbL-1.0", SHARE_ALIKE),
	("CC-BY-NC-4.0", NON_COMMERCIAL),
	("CC-BY-NC-SA-4.0", NON_COMMERCIAL_SHARE_ALIKE),
	("CC-BY-ND-4.0", NO_DERIVATIVES),
	("CC-BY-NC-ND-4.0", NON_COMMERCIAL_NO_DERIVATIVES),
];

fn class_of_id(id: &str) -> SpdxClass {
	// `ID+` ("or any later version") keeps the class of `ID`.
	let id = id.strip_suffix('+').unwrap_or(id);
	TABLE.iter().find(|(name, _)| *name == id).map_or(UNKNOWN, |(_, class)| *class)
}

/// Every operand's obligations at once.
fn and(a: SpdxClass, b: SpdxClass) -> SpdxClass {
	SpdxClass {
		known: a.known && b.known,
		commercial: a.commercial && b.commercial,
		derivatives: a.derivatives && b.derivatives,
		share_alike: a.share_alike || b.share_alike,
	}
}

/// How permissive a class is, for picking an `OR` alternative.
fn permissiveness(class: &SpdxClass) -> (bool, bool, bool, bool) {
	(class.known, class.derivatives, class.commercial, !class.share_alike)
}

/// What the next token of an `OR` alternative must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
	/// A license identifier.
	Id,
	/// `AND`, `WITH`, `OR` or the end.
	Operator,
	/// An exception's name, after `WITH`.
	Exception,
}

/// The class of an SPDX license expression: [`UNKNOWN`] unless it is identifiers joined by
/// `AND` and `OR` (upper case), each optionally `WITH` an exception, without parentheses.
pub fn classify(expression: &[u8]) -> SpdxClass {
	let Ok(text) = core::str::from_utf8(expression) else { return UNKNOWN };
	if text.contains(['(', ')']) {
		return UNKNOWN;
	}
	let mut best: Option<SpdxClass> = None;
	let mut tokens = text.split_ascii_whitespace().peekable();
	while tokens.peek().is_some() {
		// One `OR` alternative: operands joined by `AND`, each `ID [WITH exception]`.
		let mut alternative: Option<SpdxClass> = None;
		let mut expect = Expect::Id;
		for token in tokens.by_ref() {
			match (token, expect) {
				("OR", _) => break,
				("AND", Expect::Operator) => expect = Expect::Id,
				("WITH", Expect::Operator) => expect = Expect::Exception,
				(_, Expect::Id) => {
					let class = class_of_id(token);
					alternative = Some(alternative.map_or(class, |sum| and(sum, class)));
					expect = Expect::Operator;
				}
				// An exception's name: it only adds permissions.
				(_, Expect::Exception) => expect = Expect::Operator,
				// Anything else where an operator belongs (`MIT CC-BY-NC-4.0`, a lower-case `and`)
				// makes the expression one this does not read, whatever its first identifier says
				// (audit A3-13).
				(_, Expect::Operator) => return UNKNOWN,
			}
		}
		let class = if expect == Expect::Operator { alternative.unwrap_or(UNKNOWN) } else { UNKNOWN };
		if best.is_none_or(|b| permissiveness(&class) > permissiveness(&b)) {
			best = Some(class);
		}
	}
	best.unwrap_or(UNKNOWN)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn expressions_take_the_obligations_of_and_and_the_best_of_or() {
		assert_eq!(classify(b"MIT"), PERMISSIVE);
		assert_eq!(classify(b"Apache-2.0 WITH LLVM-exception"), PERMISSIVE);
		assert_eq!(classify(b"CC-BY-SA-4.0+"), SHARE_ALIKE);
		assert_eq!(classify(b"MIT AND CC-BY-NC-4.0"), NON_COMMERCIAL);
		assert_eq!(classify(b"MIT OR CC-BY-NC-4.0"), PERMISSIVE);
		assert_eq!(classify(b"CC-BY-ND-4.0 OR GPL-3.0-only"), SHARE_ALIKE);
		assert_eq!(classify(b"MIT AND CC-BY-SA-4.0"), SHARE_ALIKE);
		assert_eq!(classify(b"LicenseRef-llama3.1"), UNKNOWN);
		assert_eq!(classify(b"MIT AND LicenseRef-x"), and(PERMISSIVE, UNKNOWN));
		assert!(!classify(b"MIT AND LicenseRef-x").known);
		assert!(classify(b"LicenseRef-x OR MIT").known);
		assert_eq!(classify(b"(MIT OR GPL-3.0-only)"), UNKNOWN);
		// Stray identifiers and lower-case operators are not read past (audit A3-13).
		for malformed in [
			&b"MIT CC-BY-NC-4.0"[..],
			b"MIT and CC-BY-NC-4.0",
			b"Apache-2.0 CC-BY-ND-4.0",
			b"MIT OR Apache-2.0 CC-BY-NC-4.0",
			b"MIT WITH",
			b"MIT AND",
			b"AND MIT",
		] {
			assert_eq!(classify(malformed), UNKNOWN, "{}", core::str::from_utf8(malformed).unwrap());
		}
		assert_eq!(classify(b"MIT AND"), UNKNOWN);
		assert_eq!(classify(b""), UNKNOWN);
		assert_eq!(classify(b"\xff"), UNKNOWN);
	}
}
