//! `zoo-fuzz-afl`: the AFL++ target of the runtime fuzzer (the crate doc of `zoo_fuzz` is the
//! spec). Each input is one sequence: the generator reads its choices from the input's bytes,
//! and the sequence runs from genesis with every invariant checked after each block. A broken
//! invariant, a panic in the runtime or in the generator aborts the process, which AFL++ keeps
//! as a crash; `zoo-fuzz --input FILE` replays and shrinks it.
//!
//! Built by `make fuzz-afl` (`cargo afl build --features try-runtime,afl`) and run by
//! `afl-fuzz` in persistent mode. `ZOO_FUZZ_BLOCKS` and `ZOO_FUZZ_CALLS` bound a sequence as
//! `zoo-fuzz --blocks/--calls` do (defaults 30 and 24); `ZOO_FUZZ_SKIP` lists invariants to
//! skip, separated by commas.

use clap::Parser;
use std::panic::AssertUnwindSafe;
use zoo_fuzz::{
	chain::{self, Accounts},
	generator::Generator,
	rng::Rng,
	sequence::{self, Plan, execute, print_failure},
};

/// afl-fuzz starts the target without arguments, so its settings come from the environment.
#[derive(Parser)]
#[command(name = "zoo-fuzz-afl", about = "The AFL++ target of the Zoo runtime fuzzer (run by `make fuzz-afl`)")]
struct Settings {
	/// At most this many blocks per sequence.
	#[arg(long, env = "ZOO_FUZZ_BLOCKS", default_value_t = 30)]
	blocks: u32,
	/// At most this many calls per block.
	#[arg(long, env = "ZOO_FUZZ_CALLS", default_value_t = 24)]
	calls: u32,
	/// Invariants to skip, as `zoo-fuzz --skip` takes them.
	#[arg(long, env = "ZOO_FUZZ_SKIP", value_delimiter = ',')]
	skip: Vec<String>,
}

fn main() {
	let Settings { blocks, calls, skip } = Settings::parse();
	// Built once, before the fork server starts, so every input starts from it at no cost.
	let accounts = Accounts::new();
	let genesis = chain::genesis(&accounts);
	sequence::keep_panic_messages();
	let target = AssertUnwindSafe(|input: &[u8]| {
		let generator = Generator::new(Rng::from_input(input), &accounts);
		let run = execute(&genesis, Plan::Generate { generator, blocks, calls }, &skip);
		if let Some(failure) = &run.failure {
			print_failure("input", failure);
			std::process::abort();
		}
	});
	// Without the hook: panics inside the runtime are caught by `execute` and judged there.
	afl::fuzz_nohook!(|input: &[u8]| (target.0)(input));
}
