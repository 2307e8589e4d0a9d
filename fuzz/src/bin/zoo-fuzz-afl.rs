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

use std::panic::AssertUnwindSafe;
use zoo_fuzz::{
	chain::{self, Accounts},
	gen::Generator,
	rng::Rng,
	sequence::{self, execute, print_failure, Plan},
};

fn bound(name: &str, default: u32) -> u32 {
	match std::env::var(name) {
		Ok(value) => value.parse().unwrap_or_else(|_| panic!("{name}={value} is not a number")),
		Err(_) => default,
	}
}

fn main() {
	let blocks = bound("ZOO_FUZZ_BLOCKS", 30);
	let calls = bound("ZOO_FUZZ_CALLS", 24);
	let skip: Vec<String> = std::env::var("ZOO_FUZZ_SKIP")
		.map(|list| list.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect())
		.unwrap_or_default();
	// Built once, before the fork server starts, so every input starts from it at no cost.
	let accounts = Accounts::new();
	let genesis = chain::genesis(&accounts);
	sequence::keep_panic_messages();
	let target = AssertUnwindSafe(|input: &[u8]| {
		let gen = Generator::new(Rng::from_input(input), &accounts);
		let run = execute(&genesis, Plan::Generate { gen, blocks, calls }, &skip);
		if let Some(failure) = &run.failure {
			print_failure("input", failure);
			std::process::abort();
		}
	});
	// Without the hook: panics inside the runtime are caught by `execute` and judged there.
	afl::fuzz_nohook!(|input: &[u8]| (target.0)(input));
}
