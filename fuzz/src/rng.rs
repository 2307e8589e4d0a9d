//! The fuzzer's randomness. A timed run draws from ChaCha8 seeded from the run's seed, whose
//! stream is fixed by the algorithm (not by a library's choice of default generator), so a seed
//! reproduces its sequence. Under AFL++ the choices are read from the fuzzer's input instead,
//! so that mutating the input steers the calls and coverage feedback can keep what reaches new
//! code; once the input is used up, ChaCha8 seeded from the input's hash takes over, so an
//! input of any length still yields a whole sequence and the same input the same sequence.

use rand_chacha::{
	ChaCha8Rng,
	rand_core::{RngCore, SeedableRng},
};

/// A seeded random source, optionally reading its first choices from a byte string.
pub struct Rng {
	input: Vec<u8>,
	/// How much of `input` has been read.
	read: usize,
	stream: ChaCha8Rng,
}

impl Rng {
	/// The source for `seed`.
	pub fn new(seed: u64) -> Self {
		Rng { input: Vec::new(), read: 0, stream: ChaCha8Rng::seed_from_u64(seed) }
	}

	/// The source whose choices are read from `input` (a fuzzer's test case), then from
	/// ChaCha8 seeded with the input's BLAKE2-256 hash.
	pub fn from_input(input: &[u8]) -> Self {
		let seed = sp_io::hashing::blake2_256(input);
		Rng { input: input.to_vec(), read: 0, stream: ChaCha8Rng::from_seed(seed) }
	}

	/// How many bytes of the input the choices so far have read.
	pub fn input_read(&self) -> usize {
		self.read
	}

	/// The next `width` (1..=8) input bytes as a little-endian number, or 64 bits of the
	/// stream when the input has fewer left. A choice among few options reads one byte, so
	/// one mutated byte changes one choice.
	fn draw(&mut self, width: usize) -> u64 {
		match self.input.get(self.read..self.read + width) {
			Some(bytes) => {
				self.read += width;
				let mut le = [0u8; 8];
				le[..width].copy_from_slice(bytes);
				u64::from_le_bytes(le)
			}
			None => self.stream.next_u64(),
		}
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.draw(8)
	}

	/// A number in `0..n` (`n` > 0).
	pub fn below(&mut self, n: u64) -> u64 {
		let n = n.max(1);
		let width = match n {
			..=0x100 => 1,
			..=0x1_0000 => 2,
			..=0x1_0000_0000 => 4,
			_ => 8,
		};
		self.draw(width) % n
	}

	/// A number in `lo..=hi`.
	pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
		lo + self.below(hi - lo + 1)
	}

	/// True with probability `percent` / 100.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// True or false, evenly.
	pub fn bool(&mut self) -> bool {
		self.draw(1) & 1 == 1
	}

	/// An element of `items` (which must not be empty).
	pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
		&items[self.below(items.len() as u64) as usize]
	}

	/// An element of `items`, or `None` when it is empty.
	pub fn maybe_pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
		(!items.is_empty()).then(|| self.pick(items))
	}

	/// 32 random bytes (a digest, a key, an unknown ID).
	pub fn bytes32(&mut self) -> [u8; 32] {
		let mut out = [0u8; 32];
		match self.input.get(self.read..self.read + 32) {
			Some(bytes) => {
				out.copy_from_slice(bytes);
				self.read += 32;
			}
			None => self.stream.fill_bytes(&mut out),
		}
		out
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_seed_reproduces_its_stream() {
		let (mut a, mut b) = (Rng::new(7), Rng::new(7));
		let draws = |r: &mut Rng| (r.below(10), r.bool(), r.bytes32(), r.range(5, 9), r.next_u64());
		assert_eq!(draws(&mut a), draws(&mut b));
		assert_ne!(draws(&mut a), draws(&mut Rng::new(8)));
	}

	#[test]
	fn input_bytes_are_the_first_choices_then_the_stream_takes_over() {
		let mut rng = Rng::from_input(&[3, 0x34, 0x12, 1, 250]);
		assert_eq!(rng.below(10), 3);
		assert_eq!(rng.below(1000), 0x1234 % 1000);
		assert!(rng.bool());
		assert!(!rng.chance(50), "250 % 100 = 50 is not below 50");
		assert_eq!(rng.input_read(), 5);
		// Exhausted: the rest comes from the stream seeded with the input's hash.
		let rest = (rng.below(1 << 20), rng.bytes32());
		let mut again = Rng::from_input(&[3, 0x34, 0x12, 1, 250]);
		(again.below(10), again.below(1000), again.bool(), again.chance(50));
		assert_eq!((again.below(1 << 20), again.bytes32()), rest);
		let mut other = Rng::from_input(&[3, 0x34, 0x12, 1, 251]);
		(other.below(10), other.below(1000), other.bool(), other.chance(50));
		assert_ne!((other.below(1 << 20), other.bytes32()), rest, "another input, another stream");
	}
}
