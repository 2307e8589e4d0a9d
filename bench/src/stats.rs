//! Figures from outcomes and blocks: rates, latency percentiles, block fullness.

use crate::{
	node::{BlockFill, Limits},
	submit::Outcome,
};
use std::{collections::BTreeMap, time::Duration};

/// Latency percentiles, in milliseconds.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Latency {
	/// Median.
	pub p50_ms: f64,
	/// 95th percentile.
	pub p95_ms: f64,
	/// Largest.
	pub max_ms: f64,
}

impl Latency {
	/// Percentiles of `samples` (nearest rank); `None` when there are none.
	pub(crate) fn of(mut samples: Vec<Duration>) -> Option<Latency> {
		if samples.is_empty() {
			return None;
		}
		samples.sort_unstable();
		let rank = |p: f64| {
			let index = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1;
			ms(samples[index])
		};
		Some(Latency { p50_ms: rank(0.50), p95_ms: rank(0.95), max_ms: ms(*samples.last().expect("not empty")) })
	}
}

fn ms(duration: Duration) -> f64 {
	duration.as_secs_f64() * 1000.0
}

/// One kind of work in one phase.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct KindReport {
	/// One of [`crate::load::KINDS`].
	pub kind: String,
	/// Transactions submitted.
	pub sent: usize,
	/// Finalized and succeeded.
	pub finalized: usize,
	/// Not finalized, or finalized with a failed dispatch.
	pub failed: usize,
	/// Of those, failed dispatches (`System::ExtrinsicFailed`).
	pub dispatch_failed: usize,
	/// Finalized ones whose watch the node dropped (found by the block follower; their
	/// finalized time is when the follower read the block, their in-block time unknown).
	pub watch_lost: usize,
	/// Times the pool refused a transaction for being full (each retried).
	pub pool_full_retries: u64,
	/// From the phase's first submission to this kind's last finalization.
	pub seconds: f64,
	/// Finalized and succeeded per second over `seconds`.
	pub per_second: f64,
	/// Submit -> in a block.
	pub in_block: Option<Latency>,
	/// Submit -> finalized.
	pub finalized_latency: Option<Latency>,
	/// The most common reasons transactions were not finalized, with their counts.
	pub errors: Vec<(String, usize)>,
}

/// How full the blocks that held the phase's transactions were.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub(crate) struct Fullness {
	/// First and last block that held any of them.
	pub first_block: u64,
	/// Last block that held any of them.
	pub last_block: u64,
	/// Blocks that held any of them.
	pub blocks: usize,
	/// Blocks in the range (including ones that held none).
	pub blocks_in_range: usize,
	/// Mean of our transactions per block (over `blocks`).
	pub txs_per_block_mean: f64,
	/// Most of our transactions in one block.
	pub txs_per_block_max: u32,
	/// Of `blocks`, those whose state the node had pruned (their weight is unknown, their failed
	/// dispatches uncounted).
	pub blocks_without_state: usize,
	/// Normal weight used / the most normal transactions may use, percent: mean over `blocks`
	/// with state.
	pub weight_pct_mean: f64,
	/// ... and the fullest block.
	pub weight_pct_max: f64,
	/// Extrinsic bytes / the most normal transactions may fill, percent: mean over `blocks`.
	pub length_pct_mean: f64,
	/// ... and the fullest block.
	pub length_pct_max: f64,
}

impl Fullness {
	/// Fullness of `blocks` against `limits`.
	pub(crate) fn of(blocks: &[BlockFill], limits: Limits) -> Fullness {
		let ours: Vec<&BlockFill> = blocks.iter().filter(|block| block.ours.iter().sum::<u32>() > 0).collect();
		let Some(first) = ours.first() else { return Fullness::default() };
		let last = ours.last().expect("not empty");
		let weights: Vec<f64> = ours
			.iter()
			.filter_map(|block| block.normal_weight)
			.map(|weight| 100.0 * weight as f64 / limits.max_normal_weight.max(1) as f64)
			.collect();
		let length = |block: &BlockFill| 100.0 * block.length as f64 / limits.max_normal_length.max(1) as f64;
		let count = |block: &BlockFill| block.ours.iter().sum::<u32>();
		let n = ours.len() as f64;
		Fullness {
			first_block: first.number,
			last_block: last.number,
			blocks: ours.len(),
			blocks_in_range: (last.number - first.number + 1) as usize,
			txs_per_block_mean: ours.iter().map(|b| count(b) as f64).sum::<f64>() / n,
			txs_per_block_max: ours.iter().map(|b| count(b)).max().unwrap_or(0),
			blocks_without_state: ours.len() - weights.len(),
			weight_pct_mean: weights.iter().sum::<f64>() / weights.len().max(1) as f64,
			weight_pct_max: weights.iter().copied().fold(0.0, f64::max),
			length_pct_mean: ours.iter().map(|b| length(b)).sum::<f64>() / n,
			length_pct_max: ours.iter().map(|b| length(b)).fold(0.0, f64::max),
		}
	}
}

/// The report of one kind from its outcomes and the failed dispatches the blocks recorded.
pub(crate) fn kind_report(name: &str, kind: usize, outcomes: &[Outcome], dispatch_failed: usize) -> KindReport {
	let mine: Vec<&Outcome> = outcomes.iter().filter(|outcome| outcome.kind == kind).collect();
	let finalized_all = mine.iter().filter(|outcome| outcome.finalized.is_some()).count();
	let finalized = finalized_all.saturating_sub(dispatch_failed);
	let last = mine.iter().filter_map(|outcome| outcome.finalized_at).max().unwrap_or_default();
	let seconds = last.as_secs_f64();
	let mut errors: BTreeMap<String, usize> = BTreeMap::new();
	for outcome in &mine {
		if let Some(error) = &outcome.error {
			// Group by the message without transaction-specific details.
			let key: String = error.chars().take(120).collect();
			*errors.entry(key).or_default() += 1;
		}
	}
	let mut errors: Vec<(String, usize)> = errors.into_iter().collect();
	errors.sort_by_key(|entry| std::cmp::Reverse(entry.1));
	errors.truncate(5);
	KindReport {
		kind: name.to_owned(),
		sent: mine.len(),
		finalized,
		failed: mine.len() - finalized,
		dispatch_failed,
		watch_lost: mine.iter().filter(|outcome| outcome.watch_lost).count(),
		pool_full_retries: mine.iter().map(|outcome| outcome.retries as u64).sum(),
		seconds,
		per_second: if seconds > 0.0 { finalized as f64 / seconds } else { 0.0 },
		in_block: Latency::of(mine.iter().filter_map(|outcome| outcome.in_block).collect()),
		finalized_latency: Latency::of(mine.iter().filter_map(|outcome| outcome.finalized).collect()),
		errors,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn percentiles_by_nearest_rank() {
		let samples = (1..=100).map(Duration::from_millis).collect();
		let latency = Latency::of(samples).unwrap();
		assert_eq!((latency.p50_ms, latency.p95_ms, latency.max_ms), (50.0, 95.0, 100.0));
		assert!(Latency::of(Vec::new()).is_none());
		let one = Latency::of(vec![Duration::from_millis(7)]).unwrap();
		assert_eq!((one.p50_ms, one.p95_ms, one.max_ms), (7.0, 7.0, 7.0));
	}
}
