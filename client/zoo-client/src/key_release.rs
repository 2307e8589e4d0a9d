//! Key release for sealed versions, over the chain: what the owner (or `zoo keys serve`)
//! publishes for a licensee, and what a checkout needs to open a sealed version.
//!
//! The chain records who released a version's keys to whom and when, and that the grantee held
//! a grant at that moment. It cannot check that a header really opens the payload (only the
//! grantee can), and a released key cannot be revoked: whoever holds the plaintext or the file
//! key can share it. This is access control among honest parties, not DRM.

use crate::{
	Error, Result,
	chain::{Chain, Submitted},
	seal::{self, SealIdentity, SealRecipient, Unsealing},
};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;
use zoo_primitives::{Manifest, VersionId};

/// Why a release was not sent (nothing was submitted).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotReleased {
	/// The version is not sealed: there is no key to release.
	NotSealed,
	/// The signer's identity does not open the version's owner headers (another committer's).
	NotOurs,
	/// The grantee may not use the version now (no grant, or it expired).
	NoGrant,
	/// The grantee has not recorded an age recipient (`zoo keys recipient --register`).
	NoRecipient,
	/// The keys were already released to the grantee.
	AlreadyReleased,
	/// The grantee's recorded recipient has small order: nothing wrapped to it is secret.
	WeakRecipient,
	/// The chain refused the release (the reason as the chain gives it).
	Refused(String),
	/// The release failed in this client (what went wrong).
	Failed(String),
}

impl std::fmt::Display for NotReleased {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(match self {
			Self::NotSealed => "the version is not sealed",
			Self::NotOurs => "this key's identity does not open the version's owner headers",
			Self::NoGrant => "the account holds no grant on the version",
			Self::NoRecipient => "the account has not registered an age recipient (`zoo keys recipient --register`)",
			Self::AlreadyReleased => "the keys were already released to the account",
			Self::WeakRecipient => {
				"the account's recorded recipient is a small-order X25519 key, which keeps nothing secret"
			}
			Self::Refused(reason) => return write!(f, "the chain refused it: {reason}"),
			Self::Failed(reason) => return write!(f, "the release failed: {reason}"),
		})
	}
}

/// Whose word a release is decided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseTrust {
	/// Only reads proven against finalized state: the chain must be a light client.
	ProvenOnly,
	/// The RPC node's answers too: the caller runs the node, or trusts whoever does.
	TrustNode,
}

impl ReleaseTrust {
	/// `--trust-node` given or not.
	pub fn from_flag(trust_node: bool) -> Self {
		if trust_node { Self::TrustNode } else { Self::ProvenOnly }
	}
}

/// Refuse to decide a release on an RPC node's unproven answers unless `trust` says the node
/// is trusted (audit A3-01). The decision (may the grantee use the version, which key is its
/// recipient) is the whole of the release's security: the re-wrapped headers go to whatever
/// key the answer names, inside a transaction handed to that very node.
pub fn ensure_trusted(chain: &Chain, trust: ReleaseTrust) -> Result<()> {
	if chain.is_light() || trust == ReleaseTrust::TrustNode {
		return Ok(());
	}
	Err(Error::UnprovenReads { node: chain.url().to_owned() })
}

/// Release the file keys of sealed `version` (with `manifest`) to `grantee`: re-wrap each owner
/// header for the grantee's recorded recipient and submit them, naming that recipient so the
/// chain refuses the release if the grantee records another key first. Checks first what the
/// chain would refuse, so a skipped release costs nothing; refuses to run on unproven reads
/// unless `trust` allows ([`ensure_trusted`]).
pub async fn release(
	chain: &Chain,
	trust: ReleaseTrust,
	signer: &Keypair,
	identity: &SealIdentity,
	version: VersionId,
	manifest: &Manifest,
	grantee: &AccountId32,
) -> Result<std::result::Result<Submitted, NotReleased>> {
	ensure_trusted(chain, trust)?;
	let files = manifest.license.sealed_files();
	if files.is_empty() {
		return Ok(Err(NotReleased::NotSealed));
	}
	if !files.iter().all(|file| identity.opens(&file.owner_header)) {
		return Ok(Err(NotReleased::NotOurs));
	}
	if chain.released_key(version, grantee).await?.is_some() {
		return Ok(Err(NotReleased::AlreadyReleased));
	}
	let now = chain.block_number().await?;
	if !chain.may_use(version, grantee, now).await? {
		return Ok(Err(NotReleased::NoGrant));
	}
	let Some(recipient) = chain.recipient(grantee).await? else { return Ok(Err(NotReleased::NoRecipient)) };
	// Recorded before the chain refused such keys, or named by a lying node (audit A3-07).
	if zoo_primitives::is_small_order_x25519(&recipient) {
		return Ok(Err(NotReleased::WeakRecipient));
	}
	let mut headers = Vec::with_capacity(files.len());
	for file in files {
		let header =
			seal::rewrap(&file.owner_header, identity, SealRecipient(recipient)).map_err(|source| Error::Seal {
				path: String::from_utf8_lossy(&manifest.artifacts[file.artifact as usize].path).into(),
				source,
			})?;
		headers.push((file.artifact, header));
	}
	Ok(Ok(chain.release_key(signer, version, grantee, recipient, &headers).await?))
}

/// What opens sealed `version` for `account` (whose identity is `identity`): the owner headers
/// if they are its own, else the headers released to it. The error says which step is missing:
/// a grant, the owner's release, or the identity the release was made for.
pub async fn unsealing_for(
	chain: &Chain,
	version: VersionId,
	manifest: &Manifest,
	account: &AccountId32,
	identity: SealIdentity,
) -> Result<Unsealing> {
	let files = manifest.license.sealed_files();
	if files.iter().all(|file| identity.opens(&file.owner_header)) {
		let headers = files.iter().map(|file| (file.artifact, file.owner_header.to_vec())).collect();
		return Ok(Unsealing { identity, headers });
	}
	let sealed =
		|problem: String| Error::Checkout(format!("version {version} is sealed: {problem}; nothing was placed"));
	match chain.released_key(version, account).await? {
		Some(release) if release.recipient == identity.recipient().to_string() => {
			Ok(Unsealing { identity, headers: release.headers.into_iter().collect() })
		}
		Some(release) => Err(sealed(format!(
			"its keys were released to {account} for recipient {}, but this key's identity is {}",
			release.recipient,
			identity.recipient()
		))),
		None => {
			let now = chain.block_number().await?;
			if chain.may_use(version, account, now).await? {
				Err(sealed(format!(
					"{account} holds a grant, but the owner has not released the keys to it yet \
					 (the owner runs `zoo license release {version} {account}` or `zoo keys serve`)"
				)))
			} else {
				Err(sealed(format!("{account} holds no grant on it; buy one (`zoo license buy {version} --offer N`)")))
			}
		}
	}
}
