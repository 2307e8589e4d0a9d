//! `zoo-fuzz`: the seeded runtime fuzzer's command line (the crate doc of `zoo_fuzz` is the
//! spec): runs seeds for a while, one seed, or the sequence an input file draws.

use clap::Parser;
use sp_runtime::Storage;
use std::{
	collections::BTreeMap,
	panic::{AssertUnwindSafe, catch_unwind},
	path::PathBuf,
	time::{Duration, Instant},
};
use zoo_fuzz::{
	chain::{self, Accounts, Outcome},
	generator,
	rng::Rng,
	sequence::{self, Plan, Run, execute, panic_message, print_failure, print_sequence, shrink},
};

#[derive(Parser)]
#[command(
	name = "zoo-fuzz",
	about = "Seeded random-sequence fuzzer of the Zoo runtime, with invariants checked after every block"
)]
struct Cli {
	/// Run this one seed (and shrink it if it fails).
	#[arg(long, conflicts_with = "input")]
	seed: Option<u64>,
	/// Run the sequence whose choices this file's bytes make, as `zoo-fuzz-afl` ran it (an
	/// AFL++ crash or corpus file), and shrink it if it fails.
	#[arg(long, value_name = "FILE")]
	input: Option<PathBuf>,
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
	/// With --seed or --input: print every call and its outcome.
	#[arg(long, short)]
	verbose: bool,
}

/// What a sequence was drawn from.
enum Source<'a> {
	Seed(u64),
	Input(&'a std::path::Path),
}

impl Source<'_> {
	fn name(&self) -> String {
		match self {
			Source::Seed(seed) => format!("seed {seed}"),
			Source::Input(path) => format!("input {}", path.display()),
		}
	}

	/// The command line that runs this sequence again.
	fn reproduce(&self, cli: &Cli) -> String {
		let what = match self {
			Source::Seed(seed) => format!("--seed {seed}"),
			Source::Input(path) => format!("--input {}", path.display()),
		};
		format!("zoo-fuzz {what} --blocks {} --calls {}", cli.blocks, cli.calls)
	}
}

/// Reports a failing run: the sequence, then the shrunk one. Returns the exit code.
fn report_failure(cli: &Cli, genesis: &Storage, accounts: &Accounts, source: &Source, run: Run) -> i32 {
	let failure = run.failure.clone().expect("a failing run");
	print_failure(&source.name(), &failure);
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
			print_failure(&source.name(), f);
		}
	}
	println!("reproduce: {}", source.reproduce(cli));
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
	fn print(&self, elapsed: Duration, first_seed: Option<u64>, verbose: bool) {
		let secs = elapsed.as_secs_f64().max(1e-9);
		let sequences = match first_seed {
			Some(first) => format!("{} seeds ({first}..={})", self.seeds, first + self.seeds.saturating_sub(1)),
			None => format!("{} input", self.seeds),
		};
		println!(
			"executed: {sequences}, {} blocks, {} calls in {:.1} s: {:.0} calls/s, {:.1} blocks/s",
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
	sequence::keep_panic_messages();
	if catch_unwind(AssertUnwindSafe(|| fuzz(&cli))).is_err() {
		eprintln!("zoo-fuzz panicked outside the runtime: {}", panic_message());
		std::process::exit(101);
	}
}

fn fuzz(cli: &Cli) {
	let accounts = Accounts::new();
	let genesis = chain::genesis(&accounts);
	let generate = |rng: Rng| Plan::Generate {
		generator: generator::Generator::new(rng, &accounts),
		blocks: cli.blocks,
		calls: cli.calls,
	};

	let one = match (&cli.seed, &cli.input) {
		(Some(seed), _) => Some((Source::Seed(*seed), Rng::new(*seed))),
		(None, Some(path)) => {
			let input = std::fs::read(path).unwrap_or_else(|e| {
				eprintln!("cannot read {}: {e}", path.display());
				std::process::exit(2)
			});
			Some((Source::Input(path), Rng::from_input(&input)))
		}
		(None, None) => None,
	};
	if let Some((source, rng)) = one {
		let started = Instant::now();
		let run = execute(&genesis, generate(rng), &cli.skip);
		let mut stats = Stats::default();
		stats.add(&run);
		if run.failure.is_some() {
			std::process::exit(report_failure(cli, &genesis, &accounts, &source, run));
		}
		if cli.verbose {
			print_sequence(&run, &accounts, 300);
		}
		stats.print(started.elapsed(), cli.seed, cli.verbose);
		println!("{}: every invariant held after each of {} blocks", source.name(), run.program.len());
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
		let run = execute(&genesis, generate(Rng::new(seed)), &cli.skip);
		stats.add(&run);
		if run.failure.is_some() {
			stats.print(started.elapsed(), Some(first_seed), cli.verbose);
			std::process::exit(report_failure(cli, &genesis, &accounts, &Source::Seed(seed), run));
		}
		seed += 1;
	}
	stats.print(started.elapsed(), Some(first_seed), cli.verbose);
	println!("no invariant broken");
}
