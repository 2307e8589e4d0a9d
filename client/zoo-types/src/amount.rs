//! Amounts of ZOO and percentages, exact: parsed from decimal text into integers (planck, parts
//! per billion, basis points) without floating point, and shown back the same way.
//!
//! ZOO has [`DECIMALS`] decimals: `1.5` (or `1.5 ZOO`) is 1,500,000,000,000 planck. Text with
//! more decimals than the unit holds, a sign, an exponent or a value that does not fit is
//! refused rather than rounded.

use crate::{InvalidValue as Error, Result};
use std::{fmt, str::FromStr};

/// Decimals of the ZOO token: one ZOO is 10^12 planck.
pub const DECIMALS: u32 = 12;
/// The token's symbol.
pub const SYMBOL: &str = "ZOO";
/// Planck in one ZOO.
pub const PLANCK_PER_ZOO: u128 = 10u128.pow(DECIMALS);
/// 100 % in parts per billion (royalty shares).
pub const BILLION: u32 = 1_000_000_000;
/// 100 % in basis points (contributor splits).
pub const FULL_BPS: u16 = 10_000;

fn invalid(message: String) -> Error {
	Error(message)
}

/// Why decimal text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
	/// Nothing, or not digits with at most one `.`.
	NotDecimal,
	/// A minus sign.
	Negative,
	/// More fractional digits than allowed (the number allowed).
	TooManyDecimals(u32),
	/// Does not fit.
	TooLarge,
}

impl fmt::Display for DecimalError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::NotDecimal => f.write_str("not a decimal number"),
			Self::Negative => f.write_str("negative"),
			Self::TooManyDecimals(0) => f.write_str("must be a whole number"),
			Self::TooManyDecimals(n) => write!(f, "more than {n} decimals"),
			Self::TooLarge => f.write_str("too large"),
		}
	}
}

/// `text` (digits, at most one `.`, at most `decimals` digits after it) times 10^`decimals`.
pub fn parse_decimal(text: &str, decimals: u32) -> std::result::Result<u128, DecimalError> {
	if text.starts_with('-') {
		return Err(DecimalError::Negative);
	}
	let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
	let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
	if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) || text.ends_with('.') {
		return Err(DecimalError::NotDecimal);
	}
	let fraction = fraction.trim_end_matches('0');
	if fraction.len() > decimals as usize {
		return Err(DecimalError::TooManyDecimals(decimals));
	}
	let scale = 10u128.checked_pow(decimals).ok_or(DecimalError::TooLarge)?;
	let whole: u128 = match whole.trim_start_matches('0') {
		"" => 0,
		digits => digits.parse().map_err(|_| DecimalError::TooLarge)?,
	};
	let fraction_value: u128 = match fraction {
		"" => 0,
		digits => {
			digits.parse::<u128>().map_err(|_| DecimalError::TooLarge)? * 10u128.pow(decimals - digits.len() as u32)
		}
	};
	whole.checked_mul(scale).and_then(|value| value.checked_add(fraction_value)).ok_or(DecimalError::TooLarge)
}

/// `value / 10^decimals` as exact decimal text, without trailing zeros (`1500, 3` -> `1.5`).
pub fn format_decimal(value: u128, decimals: u32) -> String {
	let scale = 10u128.pow(decimals);
	let (whole, fraction) = (value / scale, value % scale);
	if fraction == 0 {
		return whole.to_string();
	}
	let fraction = format!("{fraction:0width$}", width = decimals as usize);
	format!("{whole}.{}", fraction.trim_end_matches('0'))
}

/// An amount of ZOO, in planck. Parsed from `1.5`, `1.5 ZOO` or `1.5ZOO`; shown as `1.5 ZOO`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Amount(pub u128);

impl Amount {
	/// The amount in planck.
	pub fn planck(self) -> u128 {
		self.0
	}
}

impl FromStr for Amount {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		let trimmed = text.trim();
		let number = match trimmed.len().checked_sub(SYMBOL.len()) {
			Some(at) if trimmed.is_char_boundary(at) && trimmed[at..].eq_ignore_ascii_case(SYMBOL) => {
				trimmed[..at].trim_end()
			}
			_ => trimmed,
		};
		parse_decimal(number, DECIMALS)
			.map(Amount)
			.map_err(|e| invalid(format!("invalid amount {text:?}: {e} (expected ZOO such as 1.5 or 0.25 ZOO)")))
	}
}

impl fmt::Display for Amount {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{} {SYMBOL}", format_decimal(self.0, DECIMALS))
	}
}

/// `planck` as `1.5 ZOO`.
pub fn zoo(planck: u128) -> String {
	Amount(planck).to_string()
}

/// `100 %` text, `%` optional, with at most `decimals` decimals, into units of `10^-decimals`
/// percent; at most 100 %.
fn parse_percent(what: &str, text: &str, decimals: u32) -> Result<u128> {
	let number = text.trim().strip_suffix('%').unwrap_or(text.trim()).trim_end();
	let value = parse_decimal(number, decimals)
		.map_err(|e| invalid(format!("invalid {what} {text:?}: {e} (expected a percentage such as 10%)")))?;
	if value > 100 * 10u128.pow(decimals) {
		return Err(invalid(format!("invalid {what} {text:?}: above 100%")));
	}
	Ok(value)
}

/// A share of revenue, in parts per billion: `10%`, `2.5%`, `0.0000001%` (at most 7 decimals:
/// one part per billion), at most 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Ppb(pub u32);

impl FromStr for Ppb {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		Ok(Ppb(parse_percent("share", text, 7)? as u32))
	}
}

impl fmt::Display for Ppb {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{}%", format_decimal(u128::from(self.0), 7))
	}
}

/// A contributor's share, in basis points: `25%`, `33.34%` (at most 2 decimals), at most
/// 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Bps(pub u16);

impl FromStr for Bps {
	type Err = Error;
	fn from_str(text: &str) -> Result<Self> {
		Ok(Bps(parse_percent("percentage", text, 2)? as u16))
	}
}

impl fmt::Display for Bps {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{}%", format_decimal(u128::from(self.0), 2))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_exactly() {
		for (text, planck) in [
			("1.5", 1_500_000_000_000),
			("1.5 ZOO", 1_500_000_000_000),
			("1.5ZOO", 1_500_000_000_000),
			(" 2 zoo ", 2 * PLANCK_PER_ZOO),
			("0", 0),
			("0.000000000001", 1),
			(".5", PLANCK_PER_ZOO / 2),
			("007.100", 7_100_000_000_000),
			("1.000000000000000", PLANCK_PER_ZOO),
			("340282366920938463463374607.431768211455", u128::MAX),
		] {
			assert_eq!(text.parse::<Amount>().unwrap(), Amount(planck), "{text}");
		}
		for (text, needle) in [
			("", "not a decimal"),
			("ZOO", "not a decimal"),
			("1.", "not a decimal"),
			("1.2.3", "not a decimal"),
			("1e3", "not a decimal"),
			("1,5", "not a decimal"),
			("+1", "not a decimal"),
			("0x10", "not a decimal"),
			("1.5 DOT", "not a decimal"),
			("-1", "negative"),
			("0.0000000000001", "more than 12 decimals"),
			("340282366920938463463374607.431768211456", "too large"),
			("1000000000000000000000000000000", "too large"),
		] {
			let err = text.parse::<Amount>().unwrap_err().to_string();
			assert!(err.starts_with("invalid amount") && err.contains(needle), "{text}: {err}");
		}
	}

	#[test]
	fn amounts_show_without_trailing_zeros() {
		assert_eq!(zoo(1_500_000_000_000), "1.5 ZOO");
		assert_eq!(zoo(0), "0 ZOO");
		assert_eq!(zoo(1), "0.000000000001 ZOO");
		assert_eq!(zoo(2 * PLANCK_PER_ZOO), "2 ZOO");
		assert_eq!(zoo(u128::MAX), "340282366920938463463374607.431768211455 ZOO");
		for planck in [0, 1, 10, 999_999_999_999, PLANCK_PER_ZOO, 123_456_789_012_345, u128::MAX] {
			assert_eq!(zoo(planck).parse::<Amount>().unwrap(), Amount(planck), "round trip of {planck}");
		}
	}

	#[test]
	fn shares_are_parts_per_billion() {
		assert_eq!("10%".parse::<Ppb>().unwrap(), Ppb(100_000_000));
		assert_eq!("10".parse::<Ppb>().unwrap(), Ppb(100_000_000));
		assert_eq!("2.5 %".parse::<Ppb>().unwrap(), Ppb(25_000_000));
		assert_eq!("0.0000001%".parse::<Ppb>().unwrap(), Ppb(1));
		assert_eq!("100%".parse::<Ppb>().unwrap(), Ppb(BILLION));
		assert_eq!(Ppb(100_000_000).to_string(), "10%");
		assert_eq!(Ppb(1).to_string(), "0.0000001%");
		for (text, needle) in
			[("0.00000001%", "more than 7 decimals"), ("100.1%", "above 100%"), ("-5%", "negative"), ("%", "not a")]
		{
			let err = text.parse::<Ppb>().unwrap_err().to_string();
			assert!(err.contains(needle), "{text}: {err}");
		}
	}

	#[test]
	fn contributor_shares_are_basis_points() {
		assert_eq!("25%".parse::<Bps>().unwrap(), Bps(2_500));
		assert_eq!("33.34".parse::<Bps>().unwrap(), Bps(3_334));
		assert_eq!("100%".parse::<Bps>().unwrap(), Bps(FULL_BPS));
		assert_eq!(Bps(3_334).to_string(), "33.34%");
		for (text, needle) in [("33.333%", "more than 2 decimals"), ("101%", "above 100%"), ("half", "not a decimal")] {
			let err = text.parse::<Bps>().unwrap_err().to_string();
			assert!(err.contains(needle), "{text}: {err}");
		}
	}
}
