//! `zoo`: git for models, on a Zoo chain.
//!
//! Exit codes: 0 success; 1 `verify` found differences, `verify`/`checkout` refused a yanked
//! version (without `--allow-yanked`), `org check` found the name taken, or `license check`
//! found the licence rules refuse the commit, or `promote` found the ref's promotion policy
//! unmet (nothing sent); 2 any error (one
//! `error: ...` line on stderr). Every verb takes `--url`, `--key`, `--json`, `--timeout` and
//! `--insecure`.
//!
//! Laid out the way cargo and uv lay out theirs: [`cli`] is the clap tree, [`prelude`] what
//! every verb shares ([`prelude::Ctx`], the keystore, the version fetch, printing), one module
//! per verb family, and the one dispatch `match` here. Verb modules import the prelude,
//! [`transfer`] (what the artifact-moving verbs share) and `cli` types only, never each other
//! nor this file (`scripts/import-cycles.py` checks there is no cycle).
//!
//! `--json` prints one object, serialized from typed answers (one `#[derive(Serialize)]`
//! struct per kind of answer, in its verb's module, printed by [`prelude::Ctx::print`]); each
//! kind of record has one schema wherever it appears (the library's records derive
//! `Serialize`, see `zoo_client::output::json`). Version IDs are always canonical CID text, whatever form was
//! typed; amounts (deposits, prices, vaults, claims) are decimal strings of planck (10^-12 ZOO).
//! Block numbers never share a name:
//! - where a transaction landed is always `"block": {"block_number": N, "block_hash": "0x.."}`
//!   (`model create`, `commit`, `merge`, `yank`, `org create|member`,
//!   `branch create|move|protect|unprotect`, `model role`, and every licensing transaction:
//!   `license terms create|offer|buy|approve`, `royalties split set|claim`,
//!   `usage open|settle|refund`, and `attest`, `attestation revoke`, `evaluator add|remove`,
//!   `policy set|remove`, `promote`, and curation and governance: `stake`, `unstake`,
//!   `withdraw`, `claim`, `dispute open`, `council propose verdict|add-validator|remove-validator|
//!   upgrade`, `council vote|close|apply-upgrade`, `validators set-keys`);
//! - the block a version was committed in is `committed_in` (`show`, `log`, `log --graph`);
//! - the block a ref moved in is `moved_in` (`branch history`);
//! - the block an attestation was made in is `attested_in`, revoked in `revoked_in`
//!   (`attestations`);
//! - the block `branch history --at` asks about is `at`; an organisation's is `created`;
//! - the block a dispute was opened in is `opened_at`, a motion's voting ends at `end`, an
//!   unbonding chunk unlocks at `unlock_at`, and stake earns from block `earns_from`;
//!   `curation show` reads at `block_number`.

mod args;
mod attest;
mod branch;
mod cli;
mod commit;
mod council;
mod curation;
mod dispute;
mod inspect;
mod keys;
mod license;
mod light;
mod model;
mod org;
mod prelude;
mod reporters;
mod royalties;
mod storage;
mod transfer;
mod usage;
mod validators;
mod watch;
mod workdir;
mod yank;

use clap::Parser;
use cli::{
	AttestationCommand, Cli, Command, CouncilCommand, CurationCommand, DisputeCommand, EvaluatorCommand,
	LicenseCommand, LightCommand, ModelCommand, OrgCommand, PolicyCommand, ProposeCommand, RoyaltiesCommand,
	SplitCommand, TermsCommand, UsageCommand, ValidatorsCommand,
};
use prelude::{Ctx, Outcome};
use std::{process::ExitCode, time::Duration};
use zoo_client::chain::ConnectOptions;

/// Run the parsed command line: the one dispatch table.
async fn run(cli: Cli) -> anyhow::Result<Outcome> {
	let connect = ConnectOptions { timeout: Duration::from_secs(cli.timeout), insecure: cli.insecure };
	let light = light::setup(cli.light, cli.chain_spec, cli.bootnodes, Duration::from_secs(cli.max_finality_lag))?;
	let ctx = Ctx { url: cli.url, key: cli.key, json: cli.json, connect, light };
	match cli.command {
		Command::Keys(command) => keys::keys(&ctx, command).await,
		Command::Remote(command) => storage::remote(&ctx, command),
		Command::Light(LightCommand::Enable { dir }) => light::enable(&ctx, &dir),
		Command::Light(LightCommand::Disable { dir }) => light::disable(&ctx, &dir),
		Command::Light(LightCommand::Status) => light::status(&ctx).await,
		Command::Push { remote, cid, dir, transfer } => storage::push(&ctx, &remote, cid, &dir, &transfer).await,
		Command::Pull { cid, branch, dir, force, allow_yanked, transfer } => {
			storage::pull(&ctx, cid, branch.as_ref(), &dir, force, allow_yanked, &transfer).await
		}
		Command::Org(OrgCommand::Create { name }) => org::create(&ctx, &name).await,
		Command::Org(OrgCommand::Show { name }) => org::show(&ctx, &name).await,
		Command::Org(OrgCommand::Member { org, account, role }) => org::member(&ctx, &org, &account, &role).await,
		Command::Org(OrgCommand::Check { name }) => org::check(&ctx, &name).await,
		Command::Model(ModelCommand::Create { name }) => model::create(&ctx, &name).await,
		Command::Model(ModelCommand::Show { name }) => model::show(&ctx, &name).await,
		Command::Model(ModelCommand::Role { model, account, role }) => model::role(&ctx, &model, &account, &role).await,
		Command::Init { model, dir } => workdir::init(&ctx, &model, &dir),
		Command::Status { dir } => workdir::status(&ctx, &dir),
		Command::Commit(args) => commit::commit(&ctx, args).await,
		Command::Merge(args) => commit::merge(&ctx, args).await,
		Command::Log { model, start, limit, graph } => inspect::log(&ctx, &model, start, limit, graph).await,
		Command::Show { cid } => inspect::show(&ctx, cid).await,
		Command::Diff { old, new } => inspect::diff(&ctx, old, new).await,
		Command::Branch(args) => branch::branch(&ctx, args).await,
		Command::Verify { cid, dir, allow_yanked } => workdir::verify(&ctx, cid, &dir, allow_yanked).await,
		Command::Yank { cid, reason } => yank::yank(&ctx, cid, &reason).await,
		Command::Attest(args) => attest::attest(&ctx, args).await,
		Command::Attestations { cid } => attest::list(&ctx, cid).await,
		Command::Attestation(AttestationCommand::Revoke { cid, index, reason }) => {
			attest::revoke(&ctx, cid, index, reason.as_str()).await
		}
		Command::Evaluator(EvaluatorCommand::Add { model, account }) => {
			attest::evaluator(&ctx, &model, &account, true).await
		}
		Command::Evaluator(EvaluatorCommand::Remove { model, account }) => {
			attest::evaluator(&ctx, &model, &account, false).await
		}
		Command::Policy(PolicyCommand::Set(args)) => attest::policy_set(&ctx, &args).await,
		Command::Policy(PolicyCommand::Show { model, name }) => attest::policy_show(&ctx, &model, &name).await,
		Command::Policy(PolicyCommand::Remove { model, name }) => attest::policy_remove(&ctx, &model, &name).await,
		Command::Promote { cid, name, model, walk_limit } => {
			attest::promote(&ctx, cid, &name, model.as_ref(), walk_limit).await
		}
		Command::Stake { cid, amount } => curation::stake(&ctx, cid, amount).await,
		Command::Unstake { cid, amount, all } => curation::unstake(&ctx, cid, if all { None } else { amount }).await,
		Command::Withdraw { cid } => curation::withdraw(&ctx, cid).await,
		Command::Claim { cid } => curation::claim(&ctx, cid).await,
		Command::Curation(CurationCommand::Show { subject }) => curation::show(&ctx, &subject).await,
		Command::Search(args) => curation::search(&ctx, &args).await,
		Command::Dispute(DisputeCommand::Open { cid, reason, evidence }) => {
			dispute::open(&ctx, cid, reason, &evidence).await
		}
		Command::Dispute(DisputeCommand::Show { subject }) => dispute::show(&ctx, subject).await,
		Command::Dispute(DisputeCommand::Close { dispute }) => dispute::close(&ctx, dispute).await,
		Command::Council(command) => match command {
			CouncilCommand::Members => council::members(&ctx).await,
			CouncilCommand::Motions => council::motions(&ctx).await,
			CouncilCommand::Propose(ProposeCommand::Verdict(args)) => council::propose_verdict(&ctx, &args).await,
			CouncilCommand::Propose(ProposeCommand::AddValidator { account }) => {
				council::propose_validator(&ctx, &account, true).await
			}
			CouncilCommand::Propose(ProposeCommand::RemoveValidator { account }) => {
				council::propose_validator(&ctx, &account, false).await
			}
			CouncilCommand::Propose(ProposeCommand::Upgrade { wasm }) => council::propose_upgrade(&ctx, &wasm).await,
			CouncilCommand::ApplyUpgrade { wasm } => council::apply_upgrade(&ctx, &wasm).await,
			CouncilCommand::Vote { motion, vote } => council::vote(&ctx, motion, vote.0).await,
			CouncilCommand::Close { motion } => council::close(&ctx, motion).await,
		},
		Command::Validators(args) => match args.command {
			None => validators::list(&ctx).await,
			Some(ValidatorsCommand::SetKeys { node }) => validators::set_keys(&ctx, node.as_deref()).await,
		},
		Command::Watch(args) => watch::watch(&ctx, args).await,
		Command::Checkout { cid, dir, force, allow_yanked, transfer } => {
			workdir::checkout(&ctx, cid, &dir, force, allow_yanked, &transfer).await
		}
		Command::License(command) => match command {
			LicenseCommand::Terms(TermsCommand::Create(args)) => license::terms_create(&ctx, &args).await,
			LicenseCommand::Terms(TermsCommand::Show { id }) => license::terms_show(&ctx, id).await,
			LicenseCommand::Offer(args) => license::offer(&ctx, &args).await,
			LicenseCommand::Buy { cid, offer, max_price } => license::buy(&ctx, cid, offer, max_price).await,
			LicenseCommand::Grants { cid, account } => license::grants(&ctx, cid, account.as_deref()).await,
			LicenseCommand::Check(args) => license::check(&ctx, &args).await,
			LicenseCommand::Release { cid, account, trust_node } => {
				license::release(&ctx, cid, &account, trust_node).await
			}
			LicenseCommand::Approve { cid, account, revoke } => license::approve(&ctx, cid, &account, revoke).await,
		},
		Command::Royalties(command) => match command {
			RoyaltiesCommand::Split(SplitCommand::Set { model, shares }) => {
				royalties::split_set(&ctx, &model, &shares).await
			}
			RoyaltiesCommand::Split(SplitCommand::Show { model }) => royalties::split_show(&ctx, &model).await,
			RoyaltiesCommand::Show { cid } => royalties::show(&ctx, cid).await,
			RoyaltiesCommand::Claim { cids } => royalties::claim(&ctx, &cids).await,
		},
		Command::Usage(command) => match command {
			UsageCommand::Open { cid, offer, provider, deposit, days, blocks, max_unit_price } => {
				let args = usage::OpenArgs { cid, offer, provider, deposit, days, blocks, max_unit_price };
				usage::open(&ctx, args).await
			}
			UsageCommand::Voucher { channel, units, nonce, genesis } => {
				usage::voucher(&ctx, channel, units, nonce, genesis).await
			}
			UsageCommand::Settle { channel, units, nonce, signature } => {
				usage::settle(&ctx, channel, units, nonce, signature).await
			}
			UsageCommand::Refund { channel } => usage::refund(&ctx, channel).await,
			UsageCommand::Show { channel } => usage::show(&ctx, channel).await,
		},
	}
}

fn init_tracing(verbose: u8) {
	let default = match verbose {
		// Only zoo's own warnings: the error line says what failed, and libraries' logs
		// (a TLS verifier's, say) would repeat it in other words.
		0 => "zoo=warn,zoo_client=warn",
		// smoldot logs every peer it meets at info.
		1 => "info,smoldot=warn,subxt_lightclient=warn",
		2 => "debug",
		_ => "trace",
	};
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
	tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

/// One line, whatever the error chain holds.
fn one_line(error: &anyhow::Error) -> String {
	format!("{error:#}").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = match Cli::try_parse() {
		Ok(cli) => cli,
		Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) => {
			e.exit()
		}
		Err(e) => {
			// clap spreads an error over several lines (message, missing arguments, usage); keep
			// them on one line so scripts and people read the whole reason.
			let rendered = e.render().to_string();
			let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("For more"));
			let mut message: Vec<&str> = Vec::new();
			let mut usage = None;
			for line in lines.by_ref() {
				match line.strip_prefix("Usage: ") {
					Some(rest) => usage = Some(rest),
					None => message.push(line),
				}
			}
			let message = if message.is_empty() { "invalid arguments".to_owned() } else { message.join(" ") };
			match usage {
				Some(usage) => eprintln!("{message} (usage: {usage}; see zoo --help)"),
				None => eprintln!("{message} (see zoo --help)"),
			}
			return ExitCode::from(2);
		}
	};
	init_tracing(cli.verbose);
	match run(cli).await {
		Ok(Outcome::Done) => ExitCode::SUCCESS,
		Ok(Outcome::Differences | Outcome::Yanked | Outcome::NameTaken | Outcome::Refused) => ExitCode::from(1),
		Err(e) => {
			// Errors may quote the chain (a yank reason, a pallet's docs): terminal-safe.
			eprintln!("error: {}", zoo_client::output::safe_line(&one_line(&e)));
			ExitCode::from(2)
		}
	}
}
