//! Sealing recipients: the X25519 public keys sealed versions' file keys are wrapped to.
//!
//! A key of small order (a point whose order divides the cofactor 8, on the curve or its twist)
//! gives an all-zero shared secret with every clamped scalar, so nothing wrapped to it is secret,
//! and age refuses to wrap to it by panicking. The chain refuses to record such a key and the
//! client refuses to wrap to one (audit A3-07).

/// The canonical encodings (little-endian u-coordinates, top bit clear) of the points of small
/// order, as libsodium lists them: 0, 1, the two points of order 8, p - 1, p and p + 1 (p = 2^255
/// - 19; the last two are the non-canonical forms of 0 and 1).
const SMALL_ORDER: [[u8; 32]; 7] = [
	[0; 32],
	{
		let mut one = [0; 32];
		one[0] = 1;
		one
	},
	[
		0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09,
		0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00,
	],
	[
		0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b, 0x04, 0x44,
		0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57,
	],
	p_plus(-1),
	p_plus(0),
	p_plus(1),
];

/// p + `delta` (p = 2^255 - 19), little-endian, for `delta` in -1..=1.
const fn p_plus(delta: i8) -> [u8; 32] {
	let mut bytes = [0xff; 32];
	bytes[0] = (0xed_i16 + delta as i16) as u8;
	bytes[31] = 0x7f;
	bytes
}

/// Whether `key`, read as an X25519 public key, has small order. X25519 ignores the top bit of
/// the last byte, so it is ignored here too.
pub fn is_small_order_x25519(key: &[u8; 32]) -> bool {
	let mut masked = *key;
	masked[31] &= 0x7f;
	SMALL_ORDER.contains(&masked)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_list_and_its_top_bit_variants_are_small_order_and_others_are_not() {
		for key in SMALL_ORDER {
			assert!(is_small_order_x25519(&key));
			let mut high = key;
			high[31] |= 0x80;
			assert!(is_small_order_x25519(&high), "{high:?}");
		}
		assert_eq!(p_plus(-1)[0], 0xec);
		assert_eq!(p_plus(1)[0], 0xee);
		let mut two = [0; 32];
		two[0] = 2;
		assert!(!is_small_order_x25519(&two));
		assert!(!is_small_order_x25519(&[9; 32]));
	}
}
