//! The fuzzer's seeded randomness: ChaCha8 seeded from the run's seed, whose stream is fixed
//! by the algorithm (not by a library's choice of default generator), so a seed reproduces its
//! sequence; plus the helpers the generator draws with.

use rand_chacha::{
	rand_core::{RngCore, SeedableRng},
	ChaCha8Rng,
};

/// A seeded random source.
pub struct Rng(ChaCha8Rng);

impl Rng {
	/// The source for `seed`.
	pub fn new(seed: u64) -> Self {
		Rng(ChaCha8Rng::seed_from_u64(seed))
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0.next_u64()
	}

	/// A number in `0..n` (`n` > 0).
	pub fn below(&mut self, n: u64) -> u64 {
		self.next_u64() % n.max(1)
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
		self.next_u64() & 1 == 1
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
		self.0.fill_bytes(&mut out);
		out
	}
}
