//! Command line of `zoo-node`.

/// Zoo node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Development only: author a block as soon as a transaction arrives and finalize it at
	/// once (instant seal), instead of Aura slots and GRANDPA votes. Needs a chain with a
	/// single authority whose key is in the keystore, e.g. `--dev`.
	#[arg(long)]
	pub instant_seal: bool,

	/// Development only, with `--instant-seal`: leave finality to the GRANDPA voter, as on a live
	/// network, instead of finalizing every block at once, so GRANDPA justifications exist. A
	/// chain grown fast this way and restarted without `--instant-seal` goes on with Aura, and
	/// light clients warp-sync over its instant-seal history.
	#[arg(long, requires = "instant_seal")]
	pub grandpa_finality: bool,
}

/// Subcommands of `zoo-node`.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys (e.g. session keys into a keystore).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (`--raw` for the raw form).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Write a consortium's chain specification from its members file: the members validate,
	/// form the council and own their organisations; no sudo key.
	ConsortiumSpec(crate::consortium::ConsortiumSpecCmd),

	/// Export the chain specification of a built-in or file chain.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
