//! `zoo-fuzz`: a seeded random-sequence fuzzer of the real Zoo runtime.
//!
//! For each seed it builds the development genesis, then runs a sequence of blocks: each block
//! is initialised as an author would (Aura pre-digest, timestamp inherent), takes 1..N random
//! calls from many funded accounts over every pallet (signed ones through the runtime's
//! transaction extensions, so they pay fees and a failed one is rolled back but still pays;
//! root and council calls with their origins), and is finalised. After every block every
//! pallet's `try_state` and the global invariants are checked. A failure prints the seed, the
//! block and the calls, then is shrunk: the same sequence is re-run dropping calls one at a
//! time while it still fails the same way, and the minimal sequence is printed.
//!
//! Besides single calls, a sequence holds:
//! - `Utility::batch`, `batch_all` and `force_batch` of 1..=5 generated calls signed by one
//!   account, sometimes with a call that surely fails and sometimes a batch inside (one level
//!   at most), so the three batch semantics meet the invariants;
//! - council motions: calls that need root or the council proposed with `Council::propose`
//!   by the members (Alice, Bob, Charlie), voted and closed (approved or disapproved) over
//!   the following calls, next to the same calls dispatched with a council origin directly;
//! - the steps that make the deepest licensing calls reachable: usage offers and channels
//!   before `settle` (whose vouchers the payer signs over the documented payload), sealed
//!   commits and recipient keys before `release_key`. Each of these sends a hostile variant
//!   (a stranger, a bad signature, a stale nonce, wrong headers...) a fair share of the time.
//!
//! `zoo-fuzz --seed S` reproduces one seed; `zoo-fuzz --duration 60s` runs seeds for that long
//! and prints what it executed, calls per second, the share of calls that succeeded per
//! pallet, every call's attempts and successes (`-v` adds its most frequent errors), and the
//! council motions closed. A batch counts as one call, its own outcome.

mod chain;
mod gen;
mod rng;

use chain::{Accounts, Action, Broken, Outcome};
use clap::Parser;
use sp_runtime::Storage;
use std::{
	collections::BTreeMap,
	panic::{catch_unwind, AssertUnwindSafe},
	sync::Mutex,
	time::{Duration, Instant},
};
use zoo_runtime::{BlockNumber, Runtime};

#[derive(Parser)]
#[command(
	name = "zoo-fuzz",
	about = "Seeded random-sequence fuzzer of the Zoo runtime, with invariants checked after every block"
)]
struct Cli {
	/// Run this one seed (and shrink it if it fails).
	#[arg(long)]
	seed: Option<u64>,
	/// Run seeds for this long: `90` or `90s`, `10m`, `1h`.
	#[arg(long, default_value = "60s")]
	duration: String,
	/// The first seed of a timed run (default: taken from the clock, and printed).
	#[arg(long)]
	start_seed: Option<u64>,
	/// At most this many blocks per sequence.
	#[arg(long, default_value_t = 30)]
	blocks: u32,
	/// At most this many calls per block.
	#[arg(long, default_value_t = 24)]
	calls: u32,
	/// Skip an invariant (repeatable): try_state, try_state:<Pallet>, issuance, holds,
	/// manifest-ids, versions-manifests, block-weight.
	#[arg(long)]
	skip: Vec<String>,
	/// Do not shrink a failing sequence.
	#[arg(long)]
	no_shrink: bool,
	/// Give up shrinking after this many seconds.
	#[arg(long, default_value_t = 300)]
	shrink_seconds: u64,
	/// With --seed: print every call and its outcome.
	#[arg(long, short)]
	verbose: bool,
}

/// The last panic's message (the hook keeps it instead of printing it).
static PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Where and how a sequence failed.
#[derive(Clone, Debug)]
struct Failure {
	/// The block number (1-based).
	block: BlockNumber,
	/// The call that panicked, as (block index, call index).
	call: Option<(usize, usize)>,
	broken: Broken,
}

/// A sequence as run: its calls block by block, their outcomes, and its failure if any.
struct Run {
	program: Vec<Vec<Action>>,
	outcomes: Vec<Vec<Outcome>>,
	failure: Option<Failure>,
	checks: usize,
	/// Council motions closed: (approved, disapproved).
	motions: [u64; 2],
}

enum Plan<'a> {
	Generate { gen: gen::Generator<'a>, blocks: u32, calls: u32 },
	Replay(&'a [Vec<Action>]),
}

fn panic_message() -> String {
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
fn execute(genesis: &Storage, mut plan: Plan, skip: &[String]) -> Run {
	let mut run = Run { program: Vec::new(), outcomes: Vec::new(), failure: None, checks: 0, motions: [0; 2] };
	let mut ext = sp_io::TestExternalities::new(genesis.clone());
	ext.execute_with(|| {
		chain::shorten_periods();
		let mut parent = frame_system::Pallet::<Runtime>::block_hash(0);
		let blocks = match &mut plan {
			Plan::Generate { gen, blocks, .. } => gen.rng.range(2, u64::from((*blocks).max(2))) as usize,
			Plan::Replay(program) => program.len(),
		};
		for b in 0..blocks {
			let number = b as BlockNumber + 1;
			if catch_unwind(AssertUnwindSafe(|| chain::begin_block(number, parent))).is_err() {
				run.failure = Some(panicked(number, None));
				return;
			}
			let count = match &mut plan {
				Plan::Generate { gen, calls, .. } => gen.rng.range(1, u64::from((*calls).max(1))) as usize,
				Plan::Replay(program) => program[b].len(),
			};
			run.program.push(Vec::new());
			run.outcomes.push(Vec::new());
			for i in 0..count {
				let action = match &mut plan {
					Plan::Generate { gen, .. } => {
						match catch_unwind(AssertUnwindSafe(|| gen.action(&gen::Snapshot::read(), number))) {
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
fn shrink(genesis: &Storage, run: Run, skip: &[String], budget: Duration) -> (Run, usize) {
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

fn print_sequence(run: &Run, accounts: &Accounts, limit: usize) {
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

fn print_failure(seed: u64, failure: &Failure) {
	let at = match failure.call {
		Some((b, i)) => format!("block {}, call {}", b + 1, i + 1),
		None => format!("after block {}", failure.block),
	};
	println!("FAILED seed {seed}, {at}: invariant `{}` broken: {}", failure.broken.invariant, failure.broken.message);
}

/// Reports a failing run: the sequence, then the shrunk one. Returns the exit code.
fn report_failure(cli: &Cli, genesis: &Storage, accounts: &Accounts, seed: u64, run: Run) -> i32 {
	let failure = run.failure.clone().expect("a failing run");
	print_failure(seed, &failure);
	let calls: usize = run.program.iter().map(Vec::len).sum();
	println!("sequence ({} blocks, {calls} calls):", run.program.len());
	print_sequence(&run, accounts, if cli.verbose { 4000 } else { 300 });
	if !cli.no_shrink && failure.broken.invariant != "generator" {
		println!("shrinking (dropping calls while `{}` still breaks)...", failure.broken.invariant);
		let started = Instant::now();
		let (minimal, attempts) = shrink(genesis, run, &cli.skip, Duration::from_secs(cli.shrink_seconds));
		let calls: usize = minimal.program.iter().map(Vec::len).sum();
		println!(
			"minimal sequence ({} blocks, {calls} calls; {attempts} re-runs in {:.1} s):",
			minimal.program.len(),
			started.elapsed().as_secs_f64()
		);
		print_sequence(&minimal, accounts, 4000);
		if let Some(f) = &minimal.failure {
			print_failure(seed, f);
		}
	}
	println!("reproduce: zoo-fuzz --seed {seed} --blocks {} --calls {}", cli.blocks, cli.calls);
	1
}

#[derive(Default)]
struct Stats {
	seeds: u64,
	blocks: u64,
	calls: u64,
	checks: u64,
	/// Council motions closed: (approved, disapproved).
	motions: [u64; 2],
	/// Per pallet: (dispatched and succeeded, dispatched and failed, refused before dispatch).
	pallets: BTreeMap<&'static str, [u64; 3]>,
	/// Per call: successes and attempts.
	functions: BTreeMap<(&'static str, &'static str), [u64; 2]>,
	/// Per call and error: how often.
	errors: BTreeMap<(&'static str, &'static str, String), u64>,
}

impl Stats {
	fn add(&mut self, run: &Run) {
		self.seeds += 1;
		self.blocks += run.program.len() as u64;
		self.checks += run.checks as u64;
		self.motions[0] += run.motions[0];
		self.motions[1] += run.motions[1];
		for (actions, outcomes) in run.program.iter().zip(&run.outcomes) {
			for (action, outcome) in actions.iter().zip(outcomes) {
				self.calls += 1;
				let (pallet, function) = action.pallet_and_call();
				let slot = match outcome {
					Outcome::Ok => 0,
					Outcome::Failed(_) => 1,
					Outcome::Invalid(_) => 2,
				};
				self.pallets.entry(pallet).or_default()[slot] += 1;
				let entry = self.functions.entry((pallet, function)).or_default();
				entry[0] += u64::from(slot == 0);
				entry[1] += 1;
				if let Outcome::Failed(error) | Outcome::Invalid(error) = outcome {
					*self.errors.entry((pallet, function, error.clone())).or_default() += 1;
				}
			}
		}
	}

	/// Every call's attempts and successes, with its most frequent errors when `errors`.
	fn print_calls(&self, errors: bool) {
		println!("calls by name (succeeded / attempted{}):", if errors { "; most frequent errors" } else { "" });
		for ((pallet, function), [ok, total]) in &self.functions {
			let name = format!("{pallet}::{function}");
			let line =
				format!("  {name:<38} {ok:>7} / {total:<7} {:>5.1}%", 100.0 * *ok as f64 / (*total).max(1) as f64);
			if !errors {
				println!("{line}");
				continue;
			}
			let mut errors: Vec<(&String, &u64)> = self
				.errors
				.iter()
				.filter(|((p, f, _), _)| p == pallet && f == function)
				.map(|((_, _, e), n)| (e, n))
				.collect();
			errors.sort_by(|a, b| b.1.cmp(a.1));
			let top: Vec<String> = errors.iter().take(6).map(|(e, n)| format!("{e} {n}")).collect();
			println!("{line}  {}", top.join(", "));
		}
	}

	/// The run's totals, per pallet and per call (`verbose` adds each call's top errors),
	/// and the invariants checked.
	fn print(&self, elapsed: Duration, first_seed: u64, verbose: bool) {
		let secs = elapsed.as_secs_f64().max(1e-9);
		println!(
			"executed: {} seeds ({}..={}), {} blocks, {} calls in {:.1} s: {:.0} calls/s, {:.1} blocks/s",
			self.seeds,
			first_seed,
			first_seed + self.seeds.saturating_sub(1),
			self.blocks,
			self.calls,
			secs,
			self.calls as f64 / secs,
			self.blocks as f64 / secs,
		);
		println!("calls per pallet (succeeded / failed in dispatch / refused before dispatch, e.g. fees):");
		for (pallet, [ok, failed, refused]) in &self.pallets {
			let total = ok + failed + refused;
			println!(
				"  {pallet:<14} {total:>8} calls  {:>5.1}% succeeded  ({ok} ok, {failed} failed, {refused} refused)",
				100.0 * *ok as f64 / total.max(1) as f64
			);
		}
		self.print_calls(verbose);
		println!("council motions closed: {} approved, {} disapproved", self.motions[0], self.motions[1]);
		let never: Vec<String> = self
			.functions
			.iter()
			.filter(|(_, [ok, _])| *ok == 0)
			.map(|((p, f), [_, n])| format!("{p}::{f} ({n})"))
			.collect();
		if !never.is_empty() {
			println!("calls that never succeeded (attempts): {}", never.join(", "));
		}
		println!("invariants checked after every block ({} checks in all):", self.checks);
		for (name, what) in chain::INVARIANTS {
			println!("  {name:<19} {what}");
		}
		let pallets: Vec<&str> =
			<zoo_runtime::AllPalletsWithSystem as frame_support::traits::PalletsInfoAccess>::infos()
				.into_iter()
				.map(|info| info.name)
				.collect();
		println!("  try_state pallets:  {}", pallets.join(", "));
	}
}

fn parse_duration(text: &str) -> Result<Duration, String> {
	let text = text.trim();
	let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
		Some(at) => text.split_at(at),
		None => (text, "s"),
	};
	let number: u64 = number.parse().map_err(|_| format!("bad duration `{text}`"))?;
	let seconds = match unit.trim() {
		"s" | "" => number,
		"m" => number * 60,
		"h" => number * 3600,
		other => return Err(format!("bad duration unit `{other}` (s, m or h)")),
	};
	Ok(Duration::from_secs(seconds))
}

fn main() {
	let cli = Cli::parse();
	// Panics inside the runtime are caught and reported as failures; the hook keeps the
	// message for the report instead of printing it.
	std::panic::set_hook(Box::new(|info| {
		*PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(info.to_string());
	}));
	if catch_unwind(AssertUnwindSafe(|| fuzz(&cli))).is_err() {
		eprintln!("zoo-fuzz panicked outside the runtime: {}", panic_message());
		std::process::exit(101);
	}
}

fn fuzz(cli: &Cli) {
	let accounts = Accounts::new();
	let genesis = chain::genesis(&accounts);
	let generate =
		|seed: u64| Plan::Generate { gen: gen::Generator::new(seed, &accounts), blocks: cli.blocks, calls: cli.calls };

	if let Some(seed) = cli.seed {
		let started = Instant::now();
		let run = execute(&genesis, generate(seed), &cli.skip);
		let mut stats = Stats::default();
		stats.add(&run);
		if run.failure.is_some() {
			std::process::exit(report_failure(cli, &genesis, &accounts, seed, run));
		}
		if cli.verbose {
			print_sequence(&run, &accounts, 300);
		}
		stats.print(started.elapsed(), seed, cli.verbose);
		println!("seed {seed}: every invariant held after each of {} blocks", run.program.len());
		return;
	}

	let duration = parse_duration(&cli.duration).unwrap_or_else(|e| {
		eprintln!("{e}");
		std::process::exit(2)
	});
	let first_seed = cli.start_seed.unwrap_or_else(|| {
		let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
		(nanos as u64) % 1_000_000_000
	});
	println!(
		"zoo-fuzz: seeds from {first_seed} for {} s, at most {} blocks of {} calls each{}",
		duration.as_secs(),
		cli.blocks,
		cli.calls,
		if cli.skip.is_empty() { String::new() } else { format!(", skipping {}", cli.skip.join(", ")) }
	);
	let started = Instant::now();
	let mut stats = Stats::default();
	let mut seed = first_seed;
	while started.elapsed() < duration {
		let run = execute(&genesis, generate(seed), &cli.skip);
		stats.add(&run);
		if run.failure.is_some() {
			stats.print(started.elapsed(), first_seed, cli.verbose);
			std::process::exit(report_failure(cli, &genesis, &accounts, seed, run));
		}
		seed += 1;
	}
	stats.print(started.elapsed(), first_seed, cli.verbose);
	println!("no invariant broken");
}
