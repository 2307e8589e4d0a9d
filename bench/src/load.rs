//! `zoo-bench load`: funds accounts, sets up a model per account, pre-signs every
//! transaction, then runs phases (transfers, commits, ref moves, curation stakes,
//! attestations, optionally a mix) one after another on the same node and reports finalized
//! rates, latencies and block fullness.

use crate::{
	node::{self, Limits, Node, Signed},
	stats::{self, Fullness, KindReport, Latency},
	submit::{self, Pace, Tx},
	work,
};
use anyhow::{Context, Result, bail};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use std::{collections::HashMap, time::Duration};
use subxt::utils::{AccountId32, MultiAddress, Static};
use subxt_signer::{SecretUri, sr25519::Keypair};
use zoo_chain::runtime::{
	self,
	runtime_types::{
		bounded_collections::bounded_vec::BoundedVec, pallet_attestations::pallet::Call as AttestationsCall,
		pallet_balances::pallet::Call as BalancesCall, pallet_lineage::pallet::Call as LineageCall,
		pallet_model_registry::pallet::Call as RegistryCall, zoo_runtime::RuntimeCall,
	},
};
use zoo_primitives::VersionId;

/// One ZOO in planck.
pub(crate) const ZOO: u128 = 1_000_000_000_000;

/// Kinds of work, as indices into [`KINDS`].
pub(crate) const TRANSFER: usize = 0;
/// A version commit.
pub(crate) const COMMIT: usize = 1;
/// A ref move.
pub(crate) const REF_MOVE: usize = 2;
/// A curation stake.
pub(crate) const STAKE: usize = 3;
/// An attestation.
pub(crate) const ATTESTATION: usize = 4;
/// Names of the kinds.
pub(crate) const KINDS: [&str; 5] = ["transfer", "commit", "ref-move", "stake", "attestation"];

/// Options of `zoo-bench load`.
#[derive(clap::Args, Debug, Clone)]
#[command(args_override_self = true)]
pub(crate) struct LoadArgs {
	/// The node's WebSocket URL.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Accounts sending the load (each funded by --funder, each with a model of its own).
	#[arg(long, default_value_t = 64)]
	pub accounts: usize,
	/// Commits (about --manifest-bytes each, five artifacts) in the commits phase.
	#[arg(long, default_value_t = 3000)]
	pub commits: usize,
	/// Balance transfers (`transfer_keep_alive`) in the transfers phase: the baseline.
	#[arg(long, default_value_t = 10_000)]
	pub transfers: usize,
	/// Ref moves in the ref-moves phase.
	#[arg(long, default_value_t = 2000)]
	pub ref_moves: usize,
	/// Curation stakes (`MinStake` each, on the next accounts' base versions) in the stakes
	/// phase.
	#[arg(long, default_value_t = 2000)]
	pub stakes: usize,
	/// Attestations (two metrics, evidence hash and URI, a dataset of their own) by each
	/// account, trusted for its own model, on its base versions, in the attestations phase.
	#[arg(long, default_value_t = 2000)]
	pub attestations: usize,
	/// Transactions in a last phase that mixes commits and transfers half and half (0: none).
	#[arg(long, default_value_t = 0)]
	pub mixed: usize,
	/// SCALE size of each committed manifest, in bytes.
	#[arg(long, default_value_t = 2048)]
	pub manifest_bytes: usize,
	/// Most transactions submitted and not yet in a block.
	#[arg(long, default_value_t = 4096)]
	pub in_flight: usize,
	/// Most transactions watched at once (submitted, not yet finalized).
	#[arg(long, default_value_t = 16_000)]
	pub watched: usize,
	/// WebSocket connections to submit and watch over (accounts are spread over them; a node
	/// allows 1024 watches on one connection). 64 connections lost transactions on this
	/// machine's instant-seal node where 16 lost none.
	#[arg(long, default_value_t = 16)]
	pub connections: usize,
	/// The walk limit each ref move passes (the `zoo` CLI's default is 10,000; the call is
	/// charged for it up front and refunded what it did not read).
	#[arg(long, default_value_t = 10_000)]
	pub walk_limit: u32,
	/// The account that funds the load accounts (a dev account on a dev chain).
	#[arg(long, default_value = "//Alice")]
	pub funder: String,
	/// Give up on a transaction not finalized this many seconds after it was submitted.
	#[arg(long, default_value_t = 600)]
	pub timeout: u64,
	/// Print the figures as JSON on stdout (progress and logs go to stderr).
	#[arg(long)]
	pub json: bool,
}

/// One phase's figures.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct PhaseReport {
	/// `transfers`, `commits`, `ref-moves`, `stakes`, `attestations`, `mixed`.
	pub name: String,
	/// From the first submission to the last outcome.
	pub seconds: f64,
	/// Per kind of work in it.
	pub kinds: Vec<KindReport>,
	/// How full the blocks that held it were.
	pub blocks: Fullness,
}

/// Everything `zoo-bench load` measured.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct LoadReport {
	/// The node.
	pub url: String,
	/// Accounts sending.
	pub accounts: usize,
	/// Most transactions in the pool at once.
	pub in_flight: usize,
	/// Size of each committed manifest (SCALE bytes).
	pub manifest_bytes: usize,
	/// The block limits for normal transactions.
	pub limits: Limits,
	/// Seconds spent funding, setting up and pre-signing (not measured).
	pub setup_seconds: f64,
	/// The phases, in the order they ran.
	pub phases: Vec<PhaseReport>,
	/// Finalized commits per second (commits phase).
	pub commits_per_second: Option<f64>,
	/// Finalized transfers per second (transfers phase).
	pub transfers_per_second: Option<f64>,
	/// Finalized ref moves per second (ref-moves phase).
	pub ref_moves_per_second: Option<f64>,
	/// Finalized curation stakes per second (stakes phase).
	pub stakes_per_second: Option<f64>,
	/// Finalized attestations per second (attestations phase).
	pub attestations_per_second: Option<f64>,
	/// commits/s divided by transfers/s.
	pub commit_transfer_ratio: Option<f64>,
}

/// A load account: its key, and its model's two base versions (the ref `main` starts at `a`).
struct Account {
	key: Keypair,
	id: AccountId32,
	model: String,
	a: VersionId,
	b: VersionId,
}

/// A call that can be signed offline (object safe, so one closure signs every kind).
trait SignAs {
	fn sign_with(&self, at: &subxt::OnlineClientAtBlock<node::Config>, key: &Keypair, nonce: u64) -> Result<Signed>;
}

impl<C: subxt::transactions::Payload> SignAs for C {
	fn sign_with(&self, at: &subxt::OnlineClientAtBlock<node::Config>, key: &Keypair, nonce: u64) -> Result<Signed> {
		node::sign(at, key, nonce, self)
	}
}

fn bounded(text: &str) -> BoundedVec<u8> {
	BoundedVec(text.as_bytes().to_vec())
}

fn keypair(uri: &str) -> Result<Keypair> {
	let uri: SecretUri = uri.parse().with_context(|| format!("invalid secret URI {uri}"))?;
	Keypair::from_uri(&uri).with_context(|| "cannot derive the key".to_string())
}

/// A phase of `total` transactions of `kind` shared over `n` accounts: account `index`'s
/// `k`-th is `make(index, k)`, signed by `sign` in nonce order; the accounts take turns.
fn phase<C: SignAs>(
	n: usize,
	total: usize,
	kind: usize,
	mut make: impl FnMut(usize, usize) -> Result<C>,
	sign: &mut impl FnMut(usize, usize, &dyn SignAs) -> Result<Tx>,
) -> Result<Vec<Tx>> {
	let mut lists = Vec::with_capacity(n);
	for index in 0..n {
		let list = (0..share(total, n, index)).map(|k| sign(index, kind, &make(index, k)?)).collect::<Result<_>>()?;
		lists.push(list);
	}
	Ok(interleave(lists))
}

/// `total` split over `n` accounts: the first ones take one more.
fn share(total: usize, n: usize, index: usize) -> usize {
	total / n + usize::from(index < total % n)
}

/// Interleave per-account lists (one from each account in turn), so every account's next
/// nonce follows its previous one by a whole round.
fn interleave(per_account: Vec<Vec<Tx>>) -> Vec<Tx> {
	let mut iters: Vec<_> = per_account.into_iter().map(|list| list.into_iter()).collect();
	let mut out = Vec::new();
	loop {
		let before = out.len();
		for iter in iters.iter_mut() {
			out.extend(iter.next());
		}
		if out.len() == before {
			return out;
		}
	}
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub(crate) fn bar(len: u64, what: &str) -> ProgressBar {
	let bar = ProgressBar::new(len);
	if let Ok(style) = ProgressStyle::with_template("{msg:>10} [{elapsed_precise}] {wide_bar} {pos}/{len} {per_sec}") {
		bar.set_style(style);
	}
	bar.set_message(what.to_owned());
	bar
}

/// Run `zoo-bench load`.
pub(crate) async fn run(args: LoadArgs) -> Result<LoadReport> {
	if args.accounts == 0 {
		bail!("--accounts must be at least 1");
	}
	let setup_start = std::time::Instant::now();
	let connections = args.connections.max(1);
	let node = Node::connect(&args.url, connections).await?;
	let at = node.at_finalized().await?;
	let limits = Limits::read(&at)?;
	let run_id = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() % 100_000_000;
	tracing::info!(url = %args.url, run_id, connections, "connected");

	// Deposits and what each account needs.
	let constants = at.constants();
	let registry = runtime::constants().model_registry();
	let org_deposit = constants.entry(registry.org_deposit())?;
	let model_deposit = constants.entry(registry.model_deposit())?;
	let version_base = constants.entry(registry.version_deposit_base())?;
	let version_per_byte = constants.entry(registry.version_deposit_per_byte())?;
	let ref_deposit = constants.entry(runtime::constants().lineage().ref_deposit())?;
	let ref_move_deposit = constants.entry(runtime::constants().lineage().ref_move_deposit())?;
	let min_stake = constants.entry(runtime::constants().curation().min_stake())?;
	let attestation_constants = runtime::constants().attestations();
	let evaluator_deposit = constants.entry(attestation_constants.evaluator_deposit())?;
	let attestation_deposit = constants.entry(attestation_constants.attestation_deposit())?
		+ constants.entry(attestation_constants.attestation_deposit_per_byte())? * 512;
	// Fees rise with full blocks; 2 ZOO a transaction is ample on a dev chain.
	let fee = 2 * ZOO;
	let version_deposit = version_base + version_per_byte * (args.manifest_bytes as u128 + 512);
	let transfer_amount = ZOO / 1000;
	let n = args.accounts;
	let mixed_commits = args.mixed / 2;
	let mixed_transfers = args.mixed - mixed_commits;
	let need = |index: usize| -> u128 {
		let commits = (share(args.commits, n, index) + share(mixed_commits, n, index) + 2) as u128;
		let transfers = (share(args.transfers, n, index) + share(mixed_transfers, n, index)) as u128;
		let moves = share(args.ref_moves, n, index) as u128;
		let stakes = share(args.stakes, n, index) as u128;
		let attestations = share(args.attestations, n, index) as u128;
		org_deposit
			+ model_deposit
			+ ref_deposit
			+ evaluator_deposit
			+ fee + commits * (version_deposit + fee)
			+ transfers * (transfer_amount + fee)
			+ moves * (ref_move_deposit + fee)
			+ stakes * (min_stake + fee)
			+ attestations * (attestation_deposit + fee)
			+ 10 * ZOO
	};

	// Accounts, funded from the funder with batches of transfers.
	let funder = keypair(&args.funder)?;
	let keys: Vec<Keypair> =
		(0..n).map(|index| keypair(&format!("{}//zoo-bench//{index}", args.funder))).collect::<Result<_>>()?;
	tracing::info!(accounts = n, "funding");
	for (chunk_index, chunk) in keys.chunks(500).enumerate() {
		let calls = chunk
			.iter()
			.enumerate()
			.map(|(offset, key)| {
				RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
					dest: MultiAddress::Id(key.public_key().to_account_id()),
					value: need(chunk_index * 500 + offset),
				})
			})
			.collect();
		node.submit_finalized(&funder, &runtime::transactions().utility().batch_all(calls))
			.await
			.context("funding the load accounts")?;
	}

	// A model per account (which claims an organisation of its own), two base versions and
	// the ref `main` at the first.
	tracing::info!("creating models, base versions and refs");
	let mut accounts = Vec::with_capacity(n);
	for (index, key) in keys.into_iter().enumerate() {
		let model = format!("zb{run_id}-{index}/m");
		let a = work::manifest(&model, None, run_id, u64::MAX - 1, args.manifest_bytes)?;
		let b = work::manifest(&model, Some(a.id()), run_id, u64::MAX, args.manifest_bytes)?;
		let id = key.public_key().to_account_id();
		accounts.push((Account { key, id, model, a: a.id(), b: b.id() }, a, b));
	}
	let setups = futures::stream::iter(accounts.iter().map(|(account, a, b)| {
		let node = &node;
		async move {
			let calls = vec![
				RuntimeCall::ModelRegistry(RegistryCall::create_model { name: bounded(&account.model) }),
				RuntimeCall::ModelRegistry(RegistryCall::commit_version { manifest: Static(a.clone()) }),
				RuntimeCall::ModelRegistry(RegistryCall::commit_version { manifest: Static(b.clone()) }),
				RuntimeCall::Lineage(LineageCall::create_ref {
					model: bounded(&account.model),
					name: bounded("main"),
					target: Static(account.a),
					protected: false,
				}),
				RuntimeCall::Attestations(AttestationsCall::add_evaluator {
					model: bounded(&account.model),
					evaluator: account.id.clone(),
				}),
			];
			node.submit_finalized(&account.key, &runtime::transactions().utility().batch_all(calls))
				.await
				.with_context(|| format!("setting up {}", account.model))
		}
	}))
	.buffer_unordered(32)
	.collect::<Vec<_>>()
	.await;
	for setup in setups {
		setup?;
	}
	let accounts: Vec<Account> = accounts.into_iter().map(|(account, _, _)| account).collect();

	// Pre-sign everything with explicit nonces.
	tracing::info!("pre-signing");
	let at = node.at_finalized().await?;
	let mut nonces = Vec::with_capacity(n);
	for account in &accounts {
		nonces.push(node.nonce(&account.id).await?);
	}
	let mut heads: Vec<VersionId> = accounts.iter().map(|account| account.b).collect();
	let mut seqs = vec![0u64; n];
	let mut phases: Vec<(&str, Vec<Tx>)> = Vec::new();
	let transfer = |index: usize| {
		runtime::transactions()
			.balances()
			.transfer_keep_alive(MultiAddress::Id(accounts[(index + 1) % n].id), transfer_amount)
	};
	let mut commit = |index: usize, heads: &mut Vec<VersionId>| {
		let account = &accounts[index];
		let manifest = work::manifest(
			&account.model,
			Some(heads[index]),
			run_id ^ index as u64,
			seqs[index],
			args.manifest_bytes,
		)?;
		seqs[index] += 1;
		heads[index] = manifest.id();
		anyhow::Ok(runtime::transactions().model_registry().commit_version(Static(manifest)))
	};
	let walk_limit = args.walk_limit;
	let ref_move = |index: usize, k: usize| {
		let account = &accounts[index];
		let to = if k.is_multiple_of(2) { account.b } else { account.a };
		runtime::transactions().lineage().move_ref(
			bounded(&account.model),
			bounded("main"),
			Static(to),
			false,
			walk_limit,
		)
	};
	// Each account's transactions are signed in the order they are made, with consecutive nonces.
	let mut signer = |index: usize, kind: usize, call: &dyn SignAs| -> Result<Tx> {
		let signed = call.sign_with(&at, &accounts[index].key, nonces[index])?;
		nonces[index] += 1;
		Ok(Tx { signed, kind, account: index })
	};
	phases.push(("transfers", phase(n, args.transfers, TRANSFER, |index, _| Ok(transfer(index)), &mut signer)?));
	phases.push(("commits", phase(n, args.commits, COMMIT, |index, _| commit(index, &mut heads), &mut signer)?));
	phases.push(("ref-moves", phase(n, args.ref_moves, REF_MOVE, |index, k| Ok(ref_move(index, k)), &mut signer)?));
	let stake = |index: usize, k: usize| {
		let target = &accounts[(index + 1 + k) % n];
		runtime::transactions()
			.curation()
			.stake(Static(if k.is_multiple_of(2) { target.a } else { target.b }), min_stake)
	};
	let attestation = |index: usize, k: usize| -> Result<_> {
		let account = &accounts[index];
		let version = if k.is_multiple_of(2) { account.a } else { account.b };
		let mut dataset = [0u8; 32];
		dataset[..8].copy_from_slice(&run_id.to_le_bytes());
		dataset[8..16].copy_from_slice(&(index as u64).to_le_bytes());
		dataset[16..24].copy_from_slice(&(k as u64).to_le_bytes());
		let metrics = work::evaluation_metrics(run_id ^ ((index as u64) << 32) ^ k as u64)?;
		Ok(runtime::transactions().attestations().attest(
			Static(version),
			dataset,
			BoundedVec(metrics.into_iter().map(Static).collect()),
			// The evidence file's sha2-256; any 32 bytes do for the chain.
			dataset,
			bounded(&format!("https://evals.example/zoo-bench/{run_id}/{index}/{k}.json")),
		))
	};
	phases.push(("stakes", phase(n, args.stakes, STAKE, |index, k| Ok(stake(index, k)), &mut signer)?));
	phases.push(("attestations", phase(n, args.attestations, ATTESTATION, attestation, &mut signer)?));
	phases.retain(|(_, txs)| !txs.is_empty());
	if args.mixed > 0 {
		let mut lists = Vec::with_capacity(n);
		for index in 0..n {
			let (commits, transfers) = (share(mixed_commits, n, index), share(mixed_transfers, n, index));
			let mut list = Vec::new();
			for k in 0..commits.max(transfers) {
				if k < transfers {
					list.push(signer(index, TRANSFER, &transfer(index))?);
				}
				if k < commits {
					list.push(signer(index, COMMIT, &commit(index, &mut heads)?)?);
				}
			}
			lists.push(list);
		}
		phases.push(("mixed", interleave(lists)));
	}
	let setup_seconds = setup_start.elapsed().as_secs_f64();
	tracing::info!(seconds = setup_seconds, "set up and pre-signed");

	// The phases, one after another.
	let pace = Pace {
		in_pool: args.in_flight,
		watched: args.watched,
		timeout: Duration::from_secs(args.timeout),
		max_retries: 200,
	};
	let mut reports = Vec::new();
	for (name, txs) in phases {
		let kinds_of: HashMap<node::Hash, usize> = txs.iter().map(|tx| (tx.signed.hash, tx.kind)).collect();
		let before = node.finalized_number().await?;
		tracing::info!(phase = name, transactions = txs.len(), "running");
		let progress = bar(txs.len() as u64, name);
		let (outcomes, elapsed) = submit::run(&node, txs, pace, &progress).await;
		progress.finish_and_clear();
		let after = node.finalized_number().await?;
		tracing::info!(phase = name, blocks = after - before, "reading the phase's blocks");
		let blocks = node::scan_blocks(&node, before + 1, after, &kinds_of, KINDS.len()).await?;
		let mut kinds = Vec::new();
		for (kind, kind_name) in KINDS.iter().enumerate() {
			if !outcomes.iter().any(|outcome| outcome.kind == kind) {
				continue;
			}
			let dispatch_failed: u32 = blocks.iter().map(|block| block.failed[kind]).sum();
			kinds.push(stats::kind_report(kind_name, kind, &outcomes, dispatch_failed as usize));
		}
		reports.push(PhaseReport {
			name: name.to_owned(),
			seconds: elapsed.as_secs_f64(),
			kinds,
			blocks: Fullness::of(&blocks, limits),
		});
	}

	let rate = |phase: &str, kind: usize| {
		reports
			.iter()
			.find(|report| report.name == phase)
			.and_then(|report| report.kinds.iter().find(|k| k.kind == KINDS[kind]))
			.map(|k| k.per_second)
	};
	let commits_per_second = rate("commits", COMMIT);
	let transfers_per_second = rate("transfers", TRANSFER);
	let commit_transfer_ratio = match (commits_per_second, transfers_per_second) {
		(Some(c), Some(t)) if t > 0.0 => Some(c / t),
		_ => None,
	};
	Ok(LoadReport {
		url: node.url.clone(),
		accounts: n,
		in_flight: args.in_flight,
		manifest_bytes: args.manifest_bytes,
		limits,
		setup_seconds,
		commits_per_second,
		transfers_per_second,
		ref_moves_per_second: rate("ref-moves", REF_MOVE),
		stakes_per_second: rate("stakes", STAKE),
		attestations_per_second: rate("attestations", ATTESTATION),
		commit_transfer_ratio,
		phases: reports,
	})
}

fn latency(latency: &Option<Latency>) -> String {
	match latency {
		Some(l) => format!("{:.0}/{:.0}/{:.0}", l.p50_ms, l.p95_ms, l.max_ms),
		None => "-".into(),
	}
}

/// The report as one table.
pub(crate) fn table(report: &LoadReport) -> String {
	use std::fmt::Write;
	let mut out = String::new();
	let _ = writeln!(
		out,
		"zoo-bench load: {} | {} accounts, {} in flight, {}-byte manifests | block limits (normal): {:.0} ms weight, {} KiB",
		report.url,
		report.accounts,
		report.in_flight,
		report.manifest_bytes,
		report.limits.max_normal_weight as f64 / 1e9,
		report.limits.max_normal_length / 1024,
	);
	let _ = writeln!(
		out,
		"{:<12} {:<11} {:>6} {:>6} {:>6} {:>8} {:>8} {:>20} {:>20} {:>7} {:>9} {:>11} {:>11}",
		"phase",
		"kind",
		"sent",
		"final",
		"failed",
		"secs",
		"per sec",
		"in-block ms p50/95/max",
		"final ms p50/95/max",
		"blocks",
		"tx/block",
		"weight% avg/max",
		"length% avg/max"
	);
	for phase in &report.phases {
		for (i, kind) in phase.kinds.iter().enumerate() {
			let blocks = &phase.blocks;
			let (count, per_block, weight, length) = if i == 0 {
				(
					blocks.blocks.to_string(),
					format!("{:.1}/{}", blocks.txs_per_block_mean, blocks.txs_per_block_max),
					format!("{:.1}/{:.1}", blocks.weight_pct_mean, blocks.weight_pct_max),
					format!("{:.1}/{:.1}", blocks.length_pct_mean, blocks.length_pct_max),
				)
			} else {
				Default::default()
			};
			let _ = writeln!(
				out,
				"{:<12} {:<11} {:>6} {:>6} {:>6} {:>8.1} {:>8.1} {:>20} {:>20} {:>7} {:>9} {:>11} {:>11}",
				if i == 0 { phase.name.as_str() } else { "" },
				kind.kind,
				kind.sent,
				kind.finalized,
				kind.failed,
				kind.seconds,
				kind.per_second,
				latency(&kind.in_block),
				latency(&kind.finalized_latency),
				count,
				per_block,
				weight,
				length,
			);
			if kind.watch_lost > 0 {
				let _ = writeln!(
					out,
					"{:<12}   {} finalized with their watch dropped by the node (finalized time from the block follower)",
					"", kind.watch_lost
				);
			}
			for (error, count) in &kind.errors {
				let _ = writeln!(out, "{:<12}   {count} x {error}", "");
			}
		}
		if phase.blocks.blocks_without_state > 0 {
			let _ = writeln!(
				out,
				"{:<12}   weight of {} of its {} blocks unknown: state pruned (run the node with --state-pruning archive-canonical)",
				"", phase.blocks.blocks_without_state, phase.blocks.blocks
			);
		}
	}
	match (report.commits_per_second, report.transfers_per_second, report.commit_transfer_ratio) {
		(Some(c), Some(t), Some(ratio)) => {
			let _ = writeln!(out, "finalized commits/s {c:.1}, transfers/s {t:.1}: commits/transfers = {ratio:.3}");
		}
		_ => {
			let _ = writeln!(out, "(commits/transfers ratio needs both the commits and the transfers phase)");
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn shares_add_up_and_interleave_takes_turns() {
		for (total, n) in [(10, 3), (3, 10), (0, 4), (10_000, 64)] {
			assert_eq!((0..n).map(|i| share(total, n, i)).sum::<usize>(), total);
		}
		let tx =
			|account: usize| Tx { signed: Signed { bytes: Vec::new(), hash: Default::default() }, kind: 0, account };
		let order: Vec<usize> = interleave(vec![vec![tx(0), tx(0), tx(0)], vec![tx(1)], vec![tx(2), tx(2)]])
			.iter()
			.map(|t| t.account)
			.collect();
		assert_eq!(order, vec![0, 1, 2, 0, 2, 0]);
	}
}
