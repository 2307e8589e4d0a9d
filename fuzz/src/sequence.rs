//! One sequence of blocks run from genesis, generated or replayed; shrinking a failing one;
//! and printing what ran.

use crate::{
	chain::{self, Accounts, Action, Broken, Outcome},
	generator,
};
use sp_runtime::Storage;
use std::{
	panic::{AssertUnwindSafe, catch_unwind},
	sync::Mutex,
	time::{Duration, Instant},
};
use zoo_runtime::{BlockNumber, Runtime};

/// The last panic's message (the hook keeps it instead of printing it).
static PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Where and how a sequence failed.
#[derive(Clone, Debug)]
pub struct Failure {
	/// The block number (1-based).
	pub block: BlockNumber,
	/// The call that panicked, as (block index, call index).
	pub call: Option<(usize, usize)>,
	pub broken: Broken,
}

/// A sequence as run: its calls block by block, their outcomes, and its failure if any.
pub struct Run {
	pub program: Vec<Vec<Action>>,
	pub outcomes: Vec<Vec<Outcome>>,
	pub failure: Option<Failure>,
	pub checks: usize,
	/// Council motions closed: (approved, disapproved).
	pub motions: [u64; 2],
}

/// Where a sequence's calls come from.
pub enum Plan<'a> {
	/// Drawn by the generator: 2..=`blocks` blocks of 1..=`calls` calls each.
	Generate { generator: generator::Generator<'a>, blocks: u32, calls: u32 },
	/// A sequence run before (shrinking replays it with calls dropped).
	Replay(&'a [Vec<Action>]),
}

/// The last caught panic's message, cut to 2,000 bytes.
pub fn panic_message() -> String {
	let mut message = PANIC.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_else(|| "panic".into());
	if message.len() > 2000 {
		let mut cut = 2000;
		while !message.is_char_boundary(cut) {
			cut -= 1;
		}
		message.truncate(cut);
		message.push_str("...");
	}
	message
}

fn panicked(block: BlockNumber, call: Option<(usize, usize)>) -> Failure {
	Failure { block, call, broken: Broken { invariant: "panic".into(), message: panic_message() } }
}

/// Runs one sequence from genesis.
pub fn execute(genesis: &Storage, mut plan: Plan, skip: &[String]) -> Run {
	let mut run = Run { program: Vec::new(), outcomes: Vec::new(), failure: None, checks: 0, motions: [0; 2] };
	let mut ext = sp_io::TestExternalities::new(genesis.clone());
	ext.execute_with(|| {
		chain::shorten_periods();
		let mut parent = frame_system::Pallet::<Runtime>::block_hash(0);
		let blocks = match &mut plan {
			Plan::Generate { generator, blocks, .. } => generator.rng.range(2, u64::from((*blocks).max(2))) as usize,
			Plan::Replay(program) => program.len(),
		};
		for b in 0..blocks {
			let number = b as BlockNumber + 1;
			if catch_unwind(AssertUnwindSafe(|| chain::begin_block(number, parent))).is_err() {
				run.failure = Some(panicked(number, None));
				return;
			}
			let count = match &mut plan {
				Plan::Generate { generator, calls, .. } => generator.rng.range(1, u64::from((*calls).max(1))) as usize,
				Plan::Replay(program) => program[b].len(),
			};
			run.program.push(Vec::new());
			run.outcomes.push(Vec::new());
			for i in 0..count {
				let action = match &mut plan {
					Plan::Generate { generator, .. } => {
						match catch_unwind(AssertUnwindSafe(|| generator.action(&generator::Snapshot::read(), number)))
						{
							Ok(action) => action,
							Err(_) => {
								let message = format!("the generator panicked: {}", panic_message());
								run.failure = Some(Failure {
									block: number,
									call: None,
									broken: Broken { invariant: "generator".into(), message },
								});
								return;
							}
						}
					}
					Plan::Replay(program) => program[b][i].clone(),
				};
				let outcome = catch_unwind(AssertUnwindSafe(|| chain::apply(&action)));
				run.program[b].push(action);
				match outcome {
					Ok(outcome) => run.outcomes[b].push(outcome),
					Err(_) => {
						run.outcomes[b].push(Outcome::Failed("panic".into()));
						run.failure = Some(panicked(number, Some((b, i))));
						return;
					}
				}
			}
			match chain::check_block_weight(skip) {
				Ok(checked) => run.checks += checked,
				Err(broken) => {
					run.failure = Some(Failure { block: number, call: None, broken });
					return;
				}
			}
			match catch_unwind(AssertUnwindSafe(chain::end_block)) {
				Ok(hash) => {
					parent = hash;
					let [approved, disapproved] = chain::motions_closed();
					run.motions[0] += approved;
					run.motions[1] += disapproved;
				}
				Err(_) => {
					run.failure = Some(panicked(number, None));
					return;
				}
			}
			match catch_unwind(AssertUnwindSafe(|| chain::check_invariants(number, skip))) {
				Ok(Ok(checked)) => run.checks += checked,
				Ok(Err(broken)) => {
					run.failure = Some(Failure { block: number, call: None, broken });
					return;
				}
				Err(_) => {
					run.failure = Some(panicked(number, None));
					return;
				}
			}
		}
	});
	run
}

/// Drops calls (whole blocks first, then one at a time) while the sequence still breaks the
/// same invariant; returns the smallest sequence found and its run.
pub fn shrink(genesis: &Storage, run: Run, skip: &[String], budget: Duration) -> (Run, usize) {
	let deadline = Instant::now() + budget;
	let invariant = run.failure.as_ref().expect("a failing run").broken.invariant.clone();
	let same = |candidate: &Run| candidate.failure.as_ref().is_some_and(|f| f.broken.invariant == invariant);
	let cut = |run: Run| -> Run {
		// Blocks after the failing one played no part.
		let mut run = run;
		let keep = run.failure.as_ref().map_or(run.program.len(), |f| f.block as usize);
		run.program.truncate(keep);
		run
	};
	let mut best = cut(run);
	let mut attempts = 0;
	// Whole blocks first.
	for b in 0..best.program.len() {
		if Instant::now() > deadline || b >= best.program.len() || best.program[b].is_empty() {
			continue;
		}
		let mut candidate = best.program.clone();
		candidate[b].clear();
		attempts += 1;
		let tried = execute(genesis, Plan::Replay(&candidate), skip);
		if same(&tried) {
			best = cut(tried);
		}
	}
	// Then single calls, until no call can go.
	loop {
		let mut changed = false;
		let mut b = 0;
		while b < best.program.len() {
			let mut i = 0;
			while i < best.program[b].len() {
				if Instant::now() > deadline {
					return (best, attempts);
				}
				let mut candidate = best.program.clone();
				candidate[b].remove(i);
				attempts += 1;
				let tried = execute(genesis, Plan::Replay(&candidate), skip);
				if same(&tried) {
					best = cut(tried);
					changed = true;
				} else {
					i += 1;
				}
			}
			b += 1;
		}
		if !changed {
			return (best, attempts);
		}
	}
}

/// Prints each block's calls and their outcomes, each call described in at most `limit` bytes.
pub fn print_sequence(run: &Run, accounts: &Accounts, limit: usize) {
	for (b, actions) in run.program.iter().enumerate() {
		if actions.is_empty() {
			println!("  block {}: (no calls)", b + 1);
			continue;
		}
		println!("  block {}:", b + 1);
		for (i, action) in actions.iter().enumerate() {
			let outcome = match run.outcomes.get(b).and_then(|o| o.get(i)) {
				Some(Outcome::Ok) => "ok".to_string(),
				Some(Outcome::Failed(e)) => format!("failed: {e}"),
				Some(Outcome::Invalid(e)) => format!("refused: {e}"),
				None => "?".into(),
			};
			println!("    {}. {} -> {outcome}", i + 1, action.describe(accounts, limit));
		}
	}
}

/// Prints where and how the sequence from `source` ("seed 42", "input crash-1") failed.
pub fn print_failure(source: &str, failure: &Failure) {
	let at = match failure.call {
		Some((b, i)) => format!("block {}, call {}", b + 1, i + 1),
		None => format!("after block {}", failure.block),
	};
	println!("FAILED {source}, {at}: invariant `{}` broken: {}", failure.broken.invariant, failure.broken.message);
}

/// Keeps panic messages for the reports instead of printing them: panics inside the runtime
/// are caught and reported as failures.
pub fn keep_panic_messages() {
	std::panic::set_hook(Box::new(|info| {
		*PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(info.to_string());
	}));
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::rng::Rng;

	fn described(run: &Run, accounts: &Accounts) -> Vec<Vec<String>> {
		run.program.iter().map(|block| block.iter().map(|a| a.describe(accounts, 4000)).collect()).collect()
	}

	#[test]
	fn an_input_draws_one_sequence_and_its_bytes_steer_it() {
		let accounts = Accounts::new();
		let genesis = chain::genesis(&accounts);
		let run = |input: &[u8]| {
			let generator = generator::Generator::new(Rng::from_input(input), &accounts);
			execute(&genesis, Plan::Generate { generator, blocks: 4, calls: 6 }, &[])
		};
		let input: Vec<u8> = (0..=255).collect();
		let first = run(&input);
		assert!(first.failure.is_none(), "{:?}", first.failure);
		assert_eq!(first.program.len(), 2, "the first byte, 0, chose the fewest blocks");
		assert_eq!(described(&first, &accounts), described(&run(&input), &accounts), "the same input, the same calls");
		let mut more_blocks = input.clone();
		more_blocks[0] = 2;
		assert_eq!(run(&more_blocks).program.len(), 4, "the first byte chooses how many blocks");
		let mut other_calls = input.clone();
		other_calls[2] ^= 0x55;
		assert_ne!(
			described(&first, &accounts),
			described(&run(&other_calls), &accounts),
			"a byte read by the first call's choices changes the calls"
		);
	}

	#[test]
	fn a_replayed_sequence_runs_as_generated() {
		let accounts = Accounts::new();
		let genesis = chain::genesis(&accounts);
		let generator = generator::Generator::new(Rng::new(11), &accounts);
		let generated = execute(&genesis, Plan::Generate { generator, blocks: 6, calls: 12 }, &[]);
		let replayed = execute(&genesis, Plan::Replay(&generated.program), &[]);
		assert_eq!(described(&generated, &accounts), described(&replayed, &accounts));
		assert_eq!(generated.outcomes, replayed.outcomes);
	}
}
