//! The `zoo` client's integration tests, one target (as cargo's `tests/testsuite` and uv's
//! `tests/it`): each story is a module, the harness ([`common`]) is compiled once, and the
//! tests run in parallel, each end-to-end story on a `zoo-node` of its own with its own ports
//! and base path.
//!
//! Run one story with `cargo test -p zoo --test it lineage::` (or `cargo nextest run
//! -p zoo -E 'test(lineage::)'`).

mod common;

mod attestations;
mod ci_story;
mod cli;
mod curation;
mod e2e;
mod governance;
mod licensing;
mod light;
mod lineage;
mod orgs;
mod seal_interop;
mod sealed;
mod storage;
mod trust;
