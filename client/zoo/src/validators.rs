//! `zoo validators [set-keys]`: the validator set (active, planned, a pending change, the
//! session, the bounds), and registering a validator's session keys generated on its node.

use crate::prelude::{Ctx, Outcome, explain};
use anyhow::Result;
use zoo_client::chain::{SessionKeysSet, redact_url, rotate_session_keys};

fn hex_key(key: Option<[u8; 32]>) -> String {
	key.map_or_else(|| "?".to_owned(), |key| format!("0x{}", hex::encode(key)))
}

/// `zoo validators`.
pub(crate) async fn list(ctx: &Ctx) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let set = chain.validator_set().await?;
	ctx.print(&set, || {
		let count = |n: usize| if n == 1 { "1 validator".to_owned() } else { format!("{n} validators") };
		let mut out = format!(
			"session {} (the council keeps at least {} and at most {} validators)\nactive    {}\n",
			set.session,
			set.min_validators,
			set.max_validators,
			count(set.active.len())
		);
		for account in &set.active {
			let leaving = if set.planned.contains(account) { "" } else { "  (leaving)" };
			out.push_str(&format!("  {account}{leaving}\n"));
		}
		let when = if set.pending_change {
			" (changed by the council: the next session change takes it, and it is active one session later)"
		} else if set.planned.len() != set.active.len() || set.planned.iter().any(|a| !set.active.contains(a)) {
			" (queued: active from the next session change)"
		} else {
			" (the active set)"
		};
		out.push_str(&format!("planned   {}{when}\n", count(set.planned.len())));
		for account in &set.planned {
			let joining = if set.active.contains(account) { "" } else { "  (joining)" };
			out.push_str(&format!("  {account}{joining}\n"));
		}
		out
	});
	Ok(Outcome::Done)
}

/// `zoo validators set-keys`.
pub(crate) async fn set_keys(ctx: &Ctx, node: Option<&str>) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let who = signer.public_key().to_account_id();
	let node = node.unwrap_or(&ctx.url);
	let chain = ctx.chain().await?;
	let keys = rotate_session_keys(node, ctx.connect, &who).await?;
	let block = chain.set_session_keys(&signer, &keys).await.map_err(|e| {
		explain(e, |name| match name {
			"Session::InvalidProof" => Some(format!(
				"the chain refused the keys: the proof of possession {} generated does not verify for {who}",
				redact_url(node)
			)),
			"Session::DuplicatedKey" => Some("the chain refused the keys: another account registered them".to_owned()),
			"Session::NoAccount" => {
				Some(format!("{who} cannot register keys: it needs funds for the key deposit and the fee"))
			}
			_ => None,
		})
	})?;
	let answer = SessionKeysSet {
		account: who.to_string(),
		node: redact_url(node),
		aura: hex_key(keys.aura()),
		grandpa: hex_key(keys.grandpa()),
		keys: keys.keys,
		block,
	};
	ctx.print(&answer, || {
		format!(
			"registered the session keys of {} in block {}, generated on {} (its keystore holds their secrets):\n  aura     {}\n  grandpa  {}\n  keys     0x{}\nthe council may now admit it: `zoo council propose add-validator {}`",
			answer.account,
			answer.block.block_number,
			answer.node,
			answer.aura,
			answer.grandpa,
			hex::encode(&answer.keys),
			answer.account
		)
	});
	Ok(Outcome::Done)
}
