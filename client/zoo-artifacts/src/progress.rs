//! Progress as traits: the plumbing says how far it got, a front end decides what to show.
//! The `zoo` command draws terminal bars; a library user, a server or a test passes
//! [`Silent`]. Nothing in this crate draws anything.

use std::sync::Arc;

/// Where the progress of an operation on bytes (hashing, fetching, pushing) goes.
pub trait Reporter: Send + Sync {
	/// An operation (`verb`: `hashing`, `fetching`, `pushing`) over `total` bytes begins.
	fn begin(&self, verb: &str, total: u64) {
		let _ = (verb, total);
	}

	/// `n` more bytes of the operation done (hashing reports here; transfers through their
	/// files' [`FileProgress`]).
	fn advance(&self, n: u64) {
		let _ = n;
	}

	/// The progress of one file of `size` bytes within the operation.
	fn file(&self, name: &str, size: u64) -> FileProgress {
		let _ = (name, size);
		FileProgress::silent()
	}

	/// The operation ended (successfully or not).
	fn end(&self) {}
}

/// What a front end does with one file's progress.
pub trait FileReporter: Send + Sync {
	/// `n` more bytes done.
	fn advance(&self, n: u64);
	/// Start over from `position` (a restart from zero, or a resume).
	fn reset(&self, position: u64);
	/// The file is done.
	fn done(&self);
}

/// One file's progress: a cheap handle that transfer tasks clone and move into their streams.
#[derive(Clone, Default)]
pub struct FileProgress(Option<Arc<dyn FileReporter>>);

impl FileProgress {
	/// Reports to `reporter`.
	pub fn new(reporter: Arc<dyn FileReporter>) -> Self {
		Self(Some(reporter))
	}

	/// Reports nowhere.
	pub fn silent() -> Self {
		Self(None)
	}

	/// `n` more bytes done.
	pub fn inc(&self, n: u64) {
		if let Some(reporter) = &self.0 {
			reporter.advance(n);
		}
	}

	/// Start over from `position`.
	pub fn reset(&self, position: u64) {
		if let Some(reporter) = &self.0 {
			reporter.reset(position);
		}
	}

	/// The file is done.
	pub fn done(&self) {
		if let Some(reporter) = &self.0 {
			reporter.done();
		}
	}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Reporter for Silent {}
