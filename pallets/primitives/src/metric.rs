//! Fixed-point metric values.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Decimal places a [`MetricValue`] keeps.
pub const METRIC_DECIMALS: u32 = 9;
const SCALE: i128 = 1_000_000_000;

/// A metric value in fixed point: the real value times 10^9 ([`METRIC_DECIMALS`]).
///
/// Fixed point keeps the encoding (and so the content ID) exact and the same on every platform,
/// which floats would not.
#[derive(
	Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct MetricValue(pub i128);

/// Why a text is not a metric value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricValueError {
	/// Not a decimal number such as `0.8731`, `-12` or `3.5`.
	NotADecimal,
	/// More than [`METRIC_DECIMALS`] digits after the point.
	TooPrecise,
	/// Too large to represent.
	Overflow,
}

impl core::fmt::Display for MetricValueError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::NotADecimal => f.write_str("not a decimal number (such as 0.8731 or -12)"),
			Self::TooPrecise => write!(f, "more than {METRIC_DECIMALS} digits after the point"),
			Self::Overflow => f.write_str("number too large"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for MetricValueError {}

impl MetricValue {
	/// Parse a plain decimal (`-0.25`, `42`, `3.`), exactly, without rounding.
	pub fn parse(text: &str) -> Result<Self, MetricValueError> {
		let (negative, digits) = match text.as_bytes().first() {
			Some(b'-') => (true, &text[1..]),
			Some(b'+') => (false, &text[1..]),
			_ => (false, text),
		};
		let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
		let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
		if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
			return Err(MetricValueError::NotADecimal);
		}
		if fraction.len() > METRIC_DECIMALS as usize {
			return Err(MetricValueError::TooPrecise);
		}
		let mut value: i128 = 0;
		for b in whole.bytes().chain(fraction.bytes()) {
			value = value
				.checked_mul(10)
				.and_then(|v| v.checked_add(i128::from(b - b'0')))
				.ok_or(MetricValueError::Overflow)?;
		}
		for _ in fraction.len()..METRIC_DECIMALS as usize {
			value = value.checked_mul(10).ok_or(MetricValueError::Overflow)?;
		}
		Ok(Self(if negative { -value } else { value }))
	}
}

impl core::fmt::Display for MetricValue {
	/// The shortest exact decimal: `0.8731`, `-12`, `0.000000001`.
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		let sign = if self.0 < 0 { "-" } else { "" };
		let magnitude = self.0.unsigned_abs();
		let whole = magnitude / SCALE as u128;
		let mut fraction = magnitude % SCALE as u128;
		if fraction == 0 {
			return write!(f, "{sign}{whole}");
		}
		let mut places = METRIC_DECIMALS as usize;
		while fraction % 10 == 0 {
			fraction /= 10;
			places -= 1;
		}
		write!(f, "{sign}{whole}.{fraction:0places$}")
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::string::ToString;

	#[test]
	fn parses_and_prints_exactly() {
		for (text, raw, shown) in [
			("0.8731", 873_100_000, "0.8731"),
			("-12", -12_000_000_000, "-12"),
			("3.", 3_000_000_000, "3"),
			(".5", 500_000_000, "0.5"),
			("+0.000000001", 1, "0.000000001"),
			("70000000000", 70_000_000_000_000_000_000, "70000000000"),
		] {
			let value = MetricValue::parse(text).unwrap();
			assert_eq!(value.0, raw, "{text}");
			assert_eq!(value.to_string(), shown, "{text}");
		}
	}

	#[test]
	fn rejects_what_is_not_an_exact_decimal() {
		for (text, err) in [
			("", MetricValueError::NotADecimal),
			(".", MetricValueError::NotADecimal),
			("-", MetricValueError::NotADecimal),
			("1e5", MetricValueError::NotADecimal),
			("0x10", MetricValueError::NotADecimal),
			("1.2.3", MetricValueError::NotADecimal),
			("nan", MetricValueError::NotADecimal),
			("0.0000000001", MetricValueError::TooPrecise),
			("999999999999999999999999999999999999999", MetricValueError::Overflow),
		] {
			assert_eq!(MetricValue::parse(text), Err(err), "{text}");
		}
	}
}
