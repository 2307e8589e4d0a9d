//! The text form of a sealing recipient: an X25519 public key as age writes it (`age1...`).
//! The chain stores the 32 bytes; people and the CLI read and write the bech32 text.

use crate::InvalidValue;
use std::{fmt, str::FromStr};

/// An X25519 public key as age uses it (`age1...`), and as accounts register it on chain.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SealRecipient(pub [u8; 32]);

const RECIPIENT_HRP: &str = "age";

fn hrp(text: &str) -> bech32::Hrp {
	bech32::Hrp::parse(text).expect("a valid constant human-readable part; qed")
}

impl fmt::Display for SealRecipient {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let text = bech32::encode::<bech32::Bech32>(hrp(RECIPIENT_HRP), &self.0).map_err(|_| fmt::Error)?;
		f.write_str(&text)
	}
}

impl fmt::Debug for SealRecipient {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt::Display::fmt(self, f)
	}
}

impl FromStr for SealRecipient {
	type Err = InvalidValue;

	fn from_str(text: &str) -> Result<Self, InvalidValue> {
		let (found, bytes) =
			bech32::decode(text).map_err(|_| InvalidValue::new("not an age X25519 recipient (age1...)"))?;
		if found != hrp(RECIPIENT_HRP) {
			return Err(InvalidValue::new("not an age X25519 recipient (age1...)"));
		}
		bytes.try_into().map(Self).map_err(|_| InvalidValue::new("not an age X25519 recipient (age1...)"))
	}
}
