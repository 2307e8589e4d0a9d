//! The Zoo runtime fuzzer: random sequences of calls over every pallet of the real runtime.
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
//! Two binaries drive it:
//! - `zoo-fuzz` draws each sequence from a seed: `--seed S` reproduces one, `--duration 60s`
//!   runs seeds for that long and prints what it executed, calls per second, the share of
//!   calls that succeeded per pallet, every call's attempts and successes (`-v` adds its most
//!   frequent errors), and the council motions closed. A batch counts as one call, its own
//!   outcome. `--input FILE` replays a sequence drawn from a file's bytes, as below.
//! - `zoo-fuzz-afl` (feature `afl`, built by `cargo afl build`) is the AFL++ target: the
//!   generator reads its choices from AFL's input (see [`rng::Rng::from_input`]), so the
//!   instrumented runtime's coverage guides which calls, accounts and arguments the mutated
//!   inputs choose, while the generator keeps them well-formed enough to get past decoding
//!   and into the pallets. A broken invariant aborts the process, so AFL keeps the input as a
//!   crash; `zoo-fuzz --input crash-file` replays and shrinks it.
//!
//! The library is built only with the `try-runtime` feature, which `try_state` needs.

#![cfg(feature = "try-runtime")]

pub mod chain;
pub mod generator;
pub mod rng;
pub mod sequence;
