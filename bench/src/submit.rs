//! Submitting pre-signed transactions as fast as the node takes them: each is submitted and
//! watched (`author_submitAndWatchExtrinsic`), many at once; a transaction the pool refuses
//! because it is full is retried after a pause that doubles, and each one's submit -> in-block
//! and submit -> finalized times are recorded.
//!
//! A node drops a watch whose messages its client does not read fast enough (sc-rpc keeps 16
//! per subscription), without telling the client; so a follower reads every finalized block's
//! body during the phase too, and a transaction found there whose watch has gone quiet counts as
//! finalized when its block was seen (`watch_lost` says how many).

use crate::node::{Hash, Node, Rpc, Signed};
use indicatif::ProgressBar;
use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use subxt::{
	config::{Hasher, substrate::BlakeTwo256},
	rpcs::methods::legacy::TransactionStatus,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

/// One pre-signed transaction of a phase.
pub(crate) struct Tx {
	/// The signed bytes and hash.
	pub signed: Signed,
	/// Which kind of work it is (an index into the phase's kinds).
	pub kind: usize,
	/// Which account signed it (its transactions all go over one connection, in nonce order).
	pub account: usize,
}

/// What became of one transaction.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
	/// Its kind.
	pub kind: usize,
	/// Submit (the accepted attempt) -> first in a block.
	pub in_block: Option<Duration>,
	/// Submit -> finalized.
	pub finalized: Option<Duration>,
	/// When it was finalized, from the phase's start.
	pub finalized_at: Option<Duration>,
	/// Its watch went quiet and the follower found it in a finalized block (its in-block time
	/// is then unknown; its finalized time is when the follower read the block).
	pub watch_lost: bool,
	/// Why it was not finalized.
	pub error: Option<String>,
	/// How many times the pool refused it for being full.
	pub retries: u32,
}

impl Outcome {
	fn new(kind: usize) -> Outcome {
		Outcome {
			kind,
			in_block: None,
			finalized: None,
			finalized_at: None,
			watch_lost: false,
			error: None,
			retries: 0,
		}
	}

	fn failed(kind: usize, why: &str) -> Outcome {
		Outcome { error: Some(why.to_owned()), ..Outcome::new(kind) }
	}
}

/// How a phase is submitted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pace {
	/// Most transactions submitted and not yet in a block.
	pub in_pool: usize,
	/// Most transactions watched at once (submitted, not yet finalized).
	pub watched: usize,
	/// Give up on a transaction not finalized this long after it was submitted.
	pub timeout: Duration,
	/// Give up on a transaction the pool refused this many times.
	pub max_retries: u32,
}

/// Whether a submission error means "the pool is full, try later".
fn pool_full(error: &str) -> bool {
	let error = error.to_ascii_lowercase();
	["1014", "1016", "priority is too low", "immediately dropped", "pool is full", "limit reached", "too many"]
		.iter()
		.any(|needle| error.contains(needle))
}

/// Transactions of ours the follower found in finalized blocks: hash -> when, from the phase's
/// start.
type Seen = Arc<Mutex<HashMap<Hash, Duration>>>;

/// Read every finalized block from `after + 1` on and note which of `ours` it holds. Polls
/// the finalized head (a subscription could itself be dropped when blocks come fast).
async fn follow(rpc: Rpc, after: u64, ours: Arc<HashMap<Hash, ()>>, seen: Seen, start: Instant) {
	let mut next = after + 1;
	loop {
		let head = match rpc.chain_get_finalized_head().await {
			Ok(hash) => rpc.chain_get_header(Some(hash)).await.ok().flatten(),
			Err(_) => None,
		};
		let number = head.map(|header| subxt::config::Header::number(&header)).unwrap_or(0);
		while next <= number {
			let Ok(Some(hash)) = rpc.chain_get_block_hash(Some(next.into())).await else { break };
			let Ok(Some(block)) = rpc.chain_get_block(Some(hash)).await else { break };
			let when = start.elapsed();
			let mut seen = seen.lock().expect("not poisoned");
			for extrinsic in &block.block.extrinsics {
				let hash = BlakeTwo256.hash(&extrinsic.0);
				if ours.contains_key(&hash) {
					seen.insert(hash, when);
				}
			}
			next += 1;
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

/// Submit `txs` and wait for every one to be finalized or to fail. Each account's
/// transactions go in nonce order, one after another as the pool takes them (the next one is
/// submitted once the node has answered the previous one's watch with a first status), so the
/// pool's future queue stays empty; accounts submit in parallel. Returns the outcomes (in no
/// particular order) and the time from the first submission to the last outcome.
pub(crate) async fn run(node: &Node, txs: Vec<Tx>, pace: Pace, progress: &ProgressBar) -> (Vec<Outcome>, Duration) {
	let in_pool = Arc::new(Semaphore::new(pace.in_pool.max(1)));
	let watched = Arc::new(Semaphore::new(pace.watched.max(1)));
	let connections = node.submitters.len();
	let ours: Arc<HashMap<Hash, ()>> = Arc::new(txs.iter().map(|tx| (tx.signed.hash, ())).collect());
	let seen: Seen = Default::default();
	let after = node.finalized_number().await.unwrap_or(0);
	let start = Instant::now();
	let follower = tokio::spawn(follow(node.rpc.clone(), after, ours, seen.clone(), start));
	let mut by_account: std::collections::BTreeMap<usize, Vec<Tx>> = Default::default();
	for tx in txs {
		by_account.entry(tx.account).or_default().push(tx);
	}
	let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
	for (account, txs) in by_account {
		let rpc = node.submitters[account % connections].clone();
		let (in_pool, watched, sender, progress, seen) =
			(in_pool.clone(), watched.clone(), sender.clone(), progress.clone(), seen.clone());
		tokio::spawn(async move {
			let mut failed = false;
			for tx in txs {
				if failed {
					let _ = sender
						.send(Outcome::failed(tx.kind, "not submitted: an earlier transaction of its account failed"));
					progress.inc(1);
					continue;
				}
				let watch_permit = watched.clone().acquire_owned().await.expect("never closed");
				let pool_permit = in_pool.clone().acquire_owned().await.expect("never closed");
				let (sent_tx, sent_rx) = oneshot::channel();
				let (rpc, sender, progress, seen) = (rpc.clone(), sender.clone(), progress.clone(), seen.clone());
				tokio::spawn(async move {
					let outcome = one(&rpc, tx, pace, start, pool_permit, sent_tx, seen).await;
					drop(watch_permit);
					progress.inc(1);
					let _ = sender.send(outcome);
				});
				// Wait for the node's first answer before sending the next nonce.
				failed = !sent_rx.await.unwrap_or(false);
			}
		});
	}
	drop(sender);
	let mut outcomes = Vec::new();
	while let Some(outcome) = receiver.recv().await {
		outcomes.push(outcome);
	}
	follower.abort();
	(outcomes, start.elapsed())
}

async fn one(
	rpc: &Rpc,
	tx: Tx,
	pace: Pace,
	phase_start: Instant,
	pool_permit: OwnedSemaphorePermit,
	sent: oneshot::Sender<bool>,
	seen: Seen,
) -> Outcome {
	// Told once: `true` when the node took the transaction (its first status), `false` when
	// it did not.
	let mut sent = Some(sent);
	let mut tell = |ok: bool| {
		if let Some(sent) = sent.take() {
			let _ = sent.send(ok);
		}
	};
	let mut outcome = Outcome::new(tx.kind);
	let mut pool_permit = Some(pool_permit);
	let mut backoff = Duration::from_millis(20);
	let (submitted, mut watch) = loop {
		let submitted = Instant::now();
		match rpc.author_submit_and_watch_extrinsic(&tx.signed.bytes).await {
			Ok(watch) => break (submitted, watch),
			Err(error) => {
				let error = error.to_string();
				if pool_full(&error) && outcome.retries < pace.max_retries {
					outcome.retries += 1;
					tokio::time::sleep(backoff).await;
					backoff = (backoff * 2).min(Duration::from_secs(2));
					continue;
				}
				outcome.error = Some(format!("submit: {error}"));
				tell(false);
				return outcome;
			}
		}
	};
	let deadline = tokio::time::Instant::from_std(submitted + pace.timeout);
	let mut check = tokio::time::interval(Duration::from_millis(500));
	check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
	let mut quiet_since = Instant::now();
	loop {
		let status = tokio::select! {
			next = watch.next() => match next {
				None => {
					outcome.error = Some("the node ended the watch".into());
					tell(false);
					return outcome;
				}
				Some(Err(error)) => {
					outcome.error = Some(format!("watch: {error}"));
					tell(false);
					return outcome;
				}
				Some(Ok(status)) => status,
			},
			_ = check.tick() => {
				// A watch quiet for 2 s whose transaction the follower found finalized was
				// dropped by the node: take the follower's word.
				let found = seen.lock().expect("not poisoned").get(&tx.signed.hash).copied();
				if let Some(at) = found
					&& quiet_since.elapsed() > Duration::from_secs(2)
				{
					tell(true);
					let since_start = submitted - phase_start;
					outcome.finalized = Some(at.saturating_sub(since_start));
					outcome.finalized_at = Some(at);
					outcome.watch_lost = true;
					return outcome;
				}
				// The node accepts a watch only once its pool has taken the transaction, so a
				// watch quiet since then (its messages dropped) still lets the account go on.
				if quiet_since.elapsed() > Duration::from_secs(2) {
					tell(true);
				}
				if tokio::time::Instant::now() >= deadline {
					outcome.error = Some(format!("not finalized within {:?}", pace.timeout));
					tell(false);
					return outcome;
				}
				continue;
			}
		};
		quiet_since = Instant::now();
		let refused =
			matches!(status, TransactionStatus::Dropped | TransactionStatus::Invalid | TransactionStatus::Usurped(_))
				&& outcome.in_block.is_none();
		tell(!refused);
		match status {
			TransactionStatus::Future
			| TransactionStatus::Ready
			| TransactionStatus::Broadcast(_)
			| TransactionStatus::Retracted(_) => {}
			TransactionStatus::InBlock(_) => {
				if outcome.in_block.is_none() {
					outcome.in_block = Some(submitted.elapsed());
				}
				pool_permit = None;
			}
			TransactionStatus::Finalized(_) => {
				let now = Instant::now();
				outcome.finalized = Some(now - submitted);
				outcome.finalized_at = Some(now - phase_start);
				if outcome.in_block.is_none() {
					outcome.in_block = outcome.finalized;
				}
				return outcome;
			}
			other => {
				outcome.error = Some(format!("{other:?}"));
				drop(pool_permit);
				return outcome;
			}
		}
	}
}
