//! The errors of this layer: a value that breaks its rules, and a URI that names nothing the
//! client can use. Each message names the value and says what is wrong, as one line.

/// A value (from the command line, a file or the chain) that does not pass its rules.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("{0}")]
pub struct InvalidValue(pub String);

impl InvalidValue {
	/// A value refused with `message` (which names the value and the rule).
	pub fn new(message: impl Into<String>) -> Self {
		Self(message.into())
	}
}

/// An artifact URI or remote URL that is not one the client can use.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("{uri}: {reason}")]
pub struct BadUri {
	/// The URI as given.
	pub uri: String,
	/// What is wrong with it.
	pub reason: String,
}

impl BadUri {
	/// `uri` refused for `reason`.
	pub fn new(uri: &str, reason: impl Into<String>) -> Self {
		Self { uri: uri.to_owned(), reason: reason.into() }
	}
}

/// Result with [`InvalidValue`].
pub type Result<T, E = InvalidValue> = std::result::Result<T, E>;
