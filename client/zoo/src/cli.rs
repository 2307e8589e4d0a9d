//! The command line: clap's tree of verbs and options, and nothing else. The verbs live in
//! their own modules; `main` dispatches to them.

use crate::args::{
	self, CommitMessage, CurationSubject, DatasetArg, DigestAlgorithmArg, DisputeEvidence, DisputeSubject, EvidenceUri,
	Hash32, KindSet, LicenseArg, MetricArg, MetricMinArg, ModelName, MotionArg, MustBeatArg, OrgName, ParentSpec,
	ReasonArg, RefName, RequireArg, ShardSize, ShareArg, SignatureArg, SplitShareArg, TagArg, TagFilterArg, UriPrefix,
	VoteArg,
};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use zoo_client::{
	amount::{Amount, Ppb},
	chain::{DisputeReason, LicenseClass},
};
use zoo_primitives::VersionId;

/// Default node URL: a local development node.
pub(crate) const DEFAULT_URL: &str = "ws://127.0.0.1:9944";

#[derive(Parser, Debug)]
#[command(name = "zoo", version, about = "Verifiable ML model provenance on a Zoo chain", propagate_version = true)]
pub(crate) struct Cli {
	/// Node RPC endpoint: wss://host[:port] (TLS, checked against the system's CA roots, or
	/// the PEM file SSL_CERT_FILE names instead), or ws:// to this machine (localhost,
	/// 127.0.0.0/8, ::1).
	// hide_env_values: a URL may carry userinfo, which `--help` must not print.
	#[arg(long, global = true, env = "ZOO_URL", hide_env_values = true, default_value = DEFAULT_URL)]
	pub(crate) url: String,
	/// Allow plaintext ws:// to another machine: anyone on the way can then read and forge
	/// what the node says (content IDs are still checked).
	#[arg(long, global = true)]
	pub(crate) insecure: bool,
	/// Read and submit through an embedded light client (smoldot) instead of trusting the --url
	/// node: it joins the chain's peer-to-peer network through the chain spec's bootnodes and
	/// checks every answer against finalized state with Merkle proofs. Needs --chain-spec, or a
	/// workspace in the current directory set up with `zoo light enable`.
	#[arg(long, global = true, env = "ZOO_LIGHT", value_parser = clap::builder::BoolishValueParser::new(),
		action = clap::ArgAction::SetTrue)]
	pub(crate) light: bool,
	/// The raw chain spec the light client starts from (`zoo-node build-spec --raw`); implies
	/// --light.
	#[arg(long, global = true, env = "ZOO_CHAIN_SPEC", value_name = "FILE")]
	pub(crate) chain_spec: Option<PathBuf>,
	/// A peer-to-peer address for the light client to join through, instead of the chain
	/// spec's bootnodes (repeat for more), e.g. /ip4/203.0.113.7/tcp/30333/p2p/12D3KooW...
	#[arg(long = "bootnode", global = true, value_name = "MULTIADDR")]
	pub(crate) bootnodes: Vec<String>,
	/// With the light client: answer only from a finalized block at most this old (by its
	/// timestamp); older means the reachable nodes are behind, and the command fails saying so.
	#[arg(long, global = true, default_value_t = 120, value_name = "SECS",
		value_parser = clap::value_parser!(u64).range(1..=86_400))]
	pub(crate) max_finality_lag: u64,
	/// Seconds connecting, or any one request to the node, may take (waiting for a
	/// transaction's finality is not limited).
	#[arg(long, global = true, env = "ZOO_TIMEOUT", default_value_t = 30, value_name = "SECS",
		value_parser = clap::value_parser!(u64).range(1..=3600))]
	pub(crate) timeout: u64,
	/// Signing key: a stored key's name (see `zoo keys list`) or a secret URI such as //Alice.
	#[arg(long, global = true, env = "ZOO_KEY", hide_env_values = true)]
	pub(crate) key: Option<String>,
	/// Print one JSON object on stdout instead of text.
	#[arg(long, global = true)]
	pub(crate) json: bool,
	/// More logging on stderr (-v info, -vv debug); RUST_LOG overrides.
	#[arg(short, long, global = true, action = clap::ArgAction::Count)]
	pub(crate) verbose: u8,
	#[command(subcommand)]
	pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
	/// Manage signing keys.
	#[command(subcommand)]
	Keys(KeysCommand),
	/// Manage a workspace's storage remotes (S3, HTTP(S), local directories, IPFS), like
	/// `git remote`. Credentials come from the environment, never from .zoo/.
	#[command(subcommand)]
	Remote(RemoteCommand),
	/// Make a workspace reach the chain through an embedded light client by default (every
	/// read proven against finalized state, no node trusted), or show the light client's state.
	#[command(subcommand)]
	Light(LightCommand),
	/// Upload a version's files from a workspace to a remote, content-addressed (by digest;
	/// by CID on IPFS), skipping what the remote has. Every file is hashed again on the way.
	Push {
		/// The remote.
		#[arg(long)]
		remote: String,
		/// The version (default: the workspace's head).
		#[arg(value_parser = args::version_id)]
		cid: Option<VersionId>,
		/// The workspace.
		#[arg(long, default_value = ".")]
		dir: PathBuf,
		#[command(flatten)]
		transfer: TransferArgs,
	},
	/// Bring a workspace to a version (default: the head of its branch --branch, else its own
	/// head): fetch every file, verified, from its URI or the workspace's remotes; resumes an
	/// interrupted pull. Refuses a workspace with uncommitted changes unless --force.
	Pull {
		/// The version.
		#[arg(value_parser = args::version_id, conflicts_with = "branch")]
		cid: Option<VersionId>,
		/// Pull the version this ref of the workspace's model points at.
		#[arg(long)]
		branch: Option<RefName>,
		/// The workspace.
		#[arg(long, default_value = ".")]
		dir: PathBuf,
		/// Overwrite uncommitted changes.
		#[arg(long)]
		force: bool,
		/// Pull a yanked version anyway.
		#[arg(long)]
		allow_yanked: bool,
		#[command(flatten)]
		transfer: TransferArgs,
	},
	/// Create organisations (owned namespaces for models), manage their members, and check
	/// whether a name is free.
	#[command(subcommand)]
	Org(OrgCommand),
	/// Create and inspect models.
	#[command(subcommand)]
	Model(ModelCommand),
	/// Track a model in a directory (writes .zoo/).
	Init {
		/// The model, `org/name`.
		model: ModelName,
		/// The directory (created if missing).
		#[arg(default_value = ".")]
		dir: PathBuf,
	},
	/// Show what changed since the last version committed from a directory.
	Status {
		/// The directory.
		#[arg(default_value = ".")]
		dir: PathBuf,
	},
	/// Hash a directory, build its manifest and commit it as a new version.
	Commit(CommitArgs),
	/// List a model's versions, newest first (--graph: draw the version graph).
	Log {
		/// The model, `org/name`.
		model: ModelName,
		/// Versions to skip.
		#[arg(long, default_value_t = 0)]
		start: u32,
		/// Most versions to list.
		#[arg(long, default_value_t = 20)]
		limit: u32,
		/// Draw the versions as a graph, like `git log --graph`, with edge kinds, refs and
		/// yanked markers (--json: nodes and edges).
		#[arg(long)]
		graph: bool,
	},
	/// Show a version: its manifest, record, parents, children and refs.
	Show {
		/// The version ID (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
	},
	/// Compare two versions: artifacts added, removed and changed, metric deltas, license,
	/// tags, parents.
	Diff {
		/// The older version (CID).
		#[arg(value_parser = args::version_id)]
		old: VersionId,
		/// The newer version (CID).
		#[arg(value_parser = args::version_id)]
		new: VersionId,
	},
	/// List, create, move and protect a model's refs (branches such as main or production),
	/// and show their history.
	Branch(BranchArgs),
	/// Commit a directory as the merge of two or more versions (each parent edge: merge).
	Merge(MergeArgs),
	/// Compare a directory with a version; exit code 1 on any difference, or if the version
	/// is yanked (unless --allow-yanked).
	Verify {
		/// The version ID (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The directory.
		dir: PathBuf,
		/// Verify a yanked version anyway (the yank is still shown, as a warning).
		#[arg(long)]
		allow_yanked: bool,
	},
	/// Mark a version as not to be used, with a reason (admins, or its committer). The version
	/// stays on chain; log and show mark it, and verify and checkout refuse it (exit code 1)
	/// unless given --allow-yanked.
	Yank {
		/// The version ID (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// Why (shown by log, show, verify and checkout).
		#[arg(short, long)]
		reason: String,
	},
	/// Licence terms, offers, grants and the derivative rules: register terms, sell grants,
	/// buy them, and check a derivative before committing it.
	#[command(subcommand)]
	License(LicenseCommand),
	/// Contributor splits, royalty tables and vaults, and claims.
	#[command(subcommand)]
	Royalties(RoyaltiesCommand),
	/// Metered usage: prepaid channels to a serving operator, signed vouchers, settlement.
	#[command(subcommand)]
	Usage(UsageCommand),
	/// Attest a version's metrics on a dataset, with evidence (evaluators trusted for its model).
	Attest(AttestArgs),
	/// List a version's attestations: scores, evidence, revocations, and whether each evaluator
	/// is trusted for the version's model now.
	Attestations {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
	},
	/// Revoke one of your attestations.
	#[command(subcommand)]
	Attestation(AttestationCommand),
	/// Name the evaluators whose attestations count for a model (admins).
	#[command(subcommand)]
	Evaluator(EvaluatorCommand),
	/// Promotion policies: what a ref's new target must have been attested to move it without
	/// force.
	#[command(subcommand)]
	Policy(PolicyCommand),
	/// Move a ref to a version if the ref's promotion policy lets it: first asks the chain which
	/// conditions are unmet and, if any is, explains each one and exits 1 without sending
	/// anything; otherwise moves the ref (unforced) and prints the evidence it rested on.
	Promote {
		/// The version to promote (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The ref (such as production).
		name: RefName,
		/// The model (default: the version's; if given, it must be the version's).
		#[arg(long)]
		model: Option<ModelName>,
		/// Most versions the chain may read to check a protected ref moves forward.
		#[arg(long, default_value_t = 10_000)]
		walk_limit: u32,
	},
	/// Stake on a version you vouch for: the amount is held (not transferred), earns a share of
	/// the licence fees the version is paid from the next era, and is slashed if the council
	/// upholds a dispute against the version.
	Stake {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// How much, such as `10` or `2.5 ZOO` (at least the chain's minimum stake).
		amount: Amount,
	},
	/// Start unbonding stake from a version: it stops earning, stays held (and slashable) for
	/// the unbonding period, then `zoo withdraw` releases it.
	Unstake {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// How much, such as `5` or `0.5 ZOO` (what stays staked must be zero or at least the
		/// minimum stake).
		#[arg(required_unless_present = "all", conflicts_with = "all")]
		amount: Option<Amount>,
		/// Unbond all of your stake on the version.
		#[arg(long)]
		all: bool,
	},
	/// Release your unbonded stake on a version once its unbonding period has passed (not while
	/// a dispute on the version is open).
	Withdraw {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
	},
	/// Claim your curation rewards on a version (your share of the licence fees it was paid
	/// while your stake was active).
	Claim {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
	},
	/// Curation figures of versions and models.
	#[command(subcommand)]
	Curation(CurationCommand),
	/// Dispute a version (malware, licence violation, fake metrics), or show a dispute; the
	/// consortium council gives the verdict.
	#[command(subcommand)]
	Dispute(DisputeCommand),
	/// The consortium council: its members, its open motions, and (members) proposing,
	/// voting on and closing motions: curation verdicts and validator changes (a majority),
	/// runtime upgrades (two thirds); and applying an authorized upgrade (anyone).
	#[command(subcommand)]
	Council(CouncilCommand),
	/// The validator set: who validates now, who will after the next session changes, and
	/// (with set-keys) registering a validator's session keys.
	Validators(ValidatorsArgs),
	/// Versions ranked by their curation score (stake first, then fees), without yanked or
	/// disputed ones: a table of rank, CID, model, score, stake, curators and fees.
	Search(SearchArgs),
	/// Print the finalized events of the Zoo pallets (ModelRegistry, Lineage, Licensing,
	/// Attestations, Curation, Council) as JSON lines, one per event, following new blocks; reconnects when the
	/// node goes away and resumes where it stopped, so no event is printed twice or skipped.
	/// Each line: {"block_number", "block_hash", "event_index", "pallet", "event", "fields"}
	/// (see the README for the fields' rules).
	Watch(WatchArgs),
	/// Fetch a version's artifacts into a directory, verifying every byte first; nothing is
	/// placed unless everything verified. A yanked version is refused (exit code 1) unless
	/// --allow-yanked.
	Checkout {
		/// The version ID (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The target directory (created if missing; must be empty unless --force, and yours,
		/// not writable by others).
		dir: PathBuf,
		/// Check out into a non-empty directory (files with artifact paths are replaced).
		#[arg(long)]
		force: bool,
		/// Check out a yanked version anyway (the yank is still shown, as a warning).
		#[arg(long)]
		allow_yanked: bool,
		#[command(flatten)]
		transfer: TransferArgs,
	},
}

/// How files are transferred (checkout, pull, push).
#[derive(Args, Debug, Clone)]
pub(crate) struct TransferArgs {
	/// Files transferred at the same time.
	#[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
	pub(crate) jobs: u16,
	/// Also look for files by digest at this remote URL (as `zoo remote add` takes), after
	/// each file's own URI and the workspace's remotes; repeat for more.
	#[arg(long = "mirror", value_name = "URL")]
	pub(crate) mirrors: Vec<String>,
}

/// `zoo remote` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum LightCommand {
	/// Use the light client by default in this workspace: keeps a copy of --chain-spec FILE
	/// (and any --bootnode) in .zoo/, so every command run in the directory goes through it.
	Enable {
		/// The workspace.
		#[arg(long, default_value = ".")]
		dir: PathBuf,
	},
	/// Go back to the --url node in this workspace.
	Disable {
		/// The workspace.
		#[arg(long, default_value = ".")]
		dir: PathBuf,
	},
	/// Start the light client (from --chain-spec, or the workspace's), wait until it has a
	/// fresh finalized block, and say where it stands: chain, bootnodes, finalized block and
	/// its age, time to sync, memory.
	Status,
}

#[derive(Subcommand, Debug)]
pub(crate) enum RemoteCommand {
	/// Add a remote: s3://BUCKET[/PREFIX], https://HOST/PATH (read-only), file:///DIR, or
	/// ipfs+http(s)://HOST:PORT (a kubo-compatible RPC endpoint).
	Add {
		/// Its name.
		name: String,
		/// Its URL.
		url: String,
		/// S3 endpoint, e.g. https://s3.example.com or http://127.0.0.1:9000 (plaintext only
		/// to this machine); default: AWS_ENDPOINT_URL, else AWS.
		#[arg(long)]
		endpoint: Option<String>,
		/// S3 region; default: AWS_REGION, else the profile's, else us-east-1.
		#[arg(long)]
		region: Option<String>,
		/// AWS profile (a section of ~/.aws/credentials) whose keys S3 uses; default:
		/// AWS_PROFILE, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else the default profile.
		#[arg(long)]
		profile: Option<String>,
		/// IPFS gateway to read from; default: the RPC endpoint.
		#[arg(long)]
		gateway: Option<String>,
		/// The workspace.
		#[arg(long, default_value = ".")]
		dir: PathBuf,
	},
	/// List the remotes.
	List {
		/// The workspace.
		#[arg(long, default_value = ".")]
		dir: PathBuf,
	},
	/// Remove a remote (nothing stored on it is touched).
	Remove {
		/// Its name.
		name: String,
		/// The workspace.
		#[arg(long, default_value = ".")]
		dir: PathBuf,
	},
}

#[derive(Subcommand, Debug)]
pub(crate) enum KeysCommand {
	/// Generate a key; its mnemonic is printed once.
	Generate {
		/// Name to store it under.
		name: String,
		/// Mnemonic length: 12 or 24 words.
		#[arg(long, default_value_t = 24)]
		words: usize,
	},
	/// Store a mnemonic or secret URI (such as //Alice); read from stdin when not given.
	Import {
		/// Name to store it under.
		name: String,
		/// The secret (prefer stdin: arguments end up in shell history).
		secret: Option<String>,
	},
	/// List stored keys and their addresses.
	List {
		/// Also print the secrets.
		#[arg(long)]
		show_secret: bool,
	},
	/// Print --key's age recipient (`age1...`, derived from its secret), which sealed files'
	/// keys are released to; --register records it on chain (deposit held).
	Recipient {
		/// Record it on chain, so owners can release keys to it.
		#[arg(long)]
		register: bool,
		/// Also print the identity (`AGE-SECRET-KEY-1...`), for `age -d -i`.
		#[arg(long)]
		show_secret: bool,
	},
	/// Release sealed versions' keys as grants are bought: follow finalized blocks and, for each
	/// purchase of a version whose owner headers --key opens, release the keys to the buyer.
	/// Runs until stopped.
	Serve {
		/// Also replay finalized history from this block (catching up on missed purchases).
		#[arg(long, value_name = "BLOCK")]
		from: Option<u32>,
		/// Stop after the last finalized block instead of following new ones.
		#[arg(long, requires = "from")]
		once: bool,
		/// Decide on the --url node's unproven answers (the grant, the recipient key): only for
		/// a node you run yourself. Without it, releasing keys takes --light, whose reads are
		/// proven; a lying node would otherwise get the keys wrapped for itself.
		#[arg(long)]
		trust_node: bool,
	},
}

#[derive(Subcommand, Debug)]
pub(crate) enum ModelCommand {
	/// Create a model owned by --key.
	Create {
		/// The model, `org/name`.
		name: ModelName,
	},
	/// Show a model: owner, deposit, versions, maintainers, heads, refs, derivations.
	Show {
		/// The model, `org/name`.
		name: ModelName,
	},
	/// Grant an account a role on a model, change it, or revoke it (`none`).
	Role {
		/// The model, `org/name`.
		model: ModelName,
		/// The account: SS58 address, stored key name, or secret URI such as //Bob.
		account: String,
		/// admin (everything), writer (commit and move refs), committer (commit only),
		/// releaser (move refs only), or none (revoke).
		role: String,
	},
}

/// `zoo org` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum OrgCommand {
	/// Create an organisation owned by --key: the namespace `NAME/...` of its models.
	Create {
		/// The organisation name (a-z, 0-9, single `-` or `_` between them).
		name: OrgName,
	},
	/// Show an organisation: owner, deposit, models, members.
	Show {
		/// The organisation name.
		name: OrgName,
	},
	/// Grant an account a role in an organisation, change it, or revoke it (`none`).
	Member {
		/// The organisation name.
		org: OrgName,
		/// The account: SS58 address, stored key name, or secret URI such as //Bob.
		account: String,
		/// admin (create models, manage members), member (create models), or none (revoke).
		role: String,
	},
	/// Say whether an organisation (`org`) or model (`org/name`) name is free, and if not
	/// why: taken, reserved, or too like an existing name. Exit code 1 when it is not free.
	Check {
		/// The name.
		name: String,
	},
}

/// `zoo branch` options.
#[derive(Args, Debug)]
pub(crate) struct BranchArgs {
	/// The model (default: the one the current directory tracks).
	#[arg(long, global = true)]
	pub(crate) model: Option<ModelName>,
	#[command(subcommand)]
	pub(crate) command: Option<BranchCommand>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum BranchCommand {
	/// List the model's refs (the default).
	List,
	/// Create a ref pointing at a version (the ref's model is the version's).
	Create {
		/// The ref name (a-z, 0-9, `.`, `_`, `-`, `/`).
		name: RefName,
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// Let the ref move only forward (to descendants) unless an admin forces it.
		#[arg(long)]
		protected: bool,
	},
	/// Move a ref to another version of its model.
	Move {
		/// The ref name.
		name: RefName,
		/// The new target (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// Move a protected ref backwards or sideways (admins); recorded as forced.
		#[arg(long)]
		force: bool,
		/// Most versions the chain may read to check that the move goes forward; you pay
		/// for this many and are refunded what is not read.
		#[arg(long, default_value_t = 10_000)]
		walk_limit: u32,
	},
	/// Show a ref's history, newest first, or where it pointed at a block.
	History {
		/// The ref name.
		name: RefName,
		/// Only say where the ref pointed after this block.
		#[arg(long, value_name = "BLOCK")]
		at: Option<u32>,
		/// Entries to skip.
		#[arg(long, default_value_t = 0)]
		start: u32,
		/// Most entries to list.
		#[arg(long, default_value_t = 20)]
		limit: u32,
	},
	/// Protect a ref: it then moves only forward unless an admin forces it (admins).
	Protect {
		/// The ref name.
		name: RefName,
	},
	/// Remove a ref's protection (admins).
	Unprotect {
		/// The ref name.
		name: RefName,
	},
}

/// `zoo merge` options.
#[derive(Args, Debug)]
pub(crate) struct MergeArgs {
	/// The versions merged (CIDs, two or more).
	#[arg(required = true, num_args = 2.., value_name = "CID", value_parser = args::version_id)]
	pub(crate) cids: Vec<VersionId>,
	/// The directory holding the merged artifacts.
	#[arg(long, default_value = ".")]
	pub(crate) dir: PathBuf,
	/// Commit message (at most 4096 bytes).
	#[arg(short, long)]
	pub(crate) message: CommitMessage,
	/// The model (default: the one the directory's .zoo/ tracks).
	#[arg(long)]
	pub(crate) model: Option<ModelName>,
	#[command(flatten)]
	pub(crate) version: VersionArgs,
}

/// `zoo commit` options.
#[derive(Args, Debug)]
pub(crate) struct CommitArgs {
	/// The directory to commit.
	#[arg(default_value = ".")]
	pub(crate) dir: PathBuf,
	/// Commit message (at most 4096 bytes).
	#[arg(short, long)]
	pub(crate) message: CommitMessage,
	/// The model (default: the one the directory's .zoo/ tracks).
	#[arg(long)]
	pub(crate) model: Option<ModelName>,
	/// A parent version, `CID[:KIND]` (kind: revision (default), merge, finetune, quantize,
	/// distill, adapter, other). Default: the directory's last committed version. A revision
	/// stays within its model; a merge needs two or more parents.
	#[arg(long = "parent", value_name = "CID[:KIND]")]
	pub(crate) parents: Vec<ParentSpec>,
	/// Commit a root version even if the directory has a last committed version.
	#[arg(long, conflicts_with = "parents")]
	pub(crate) no_parent: bool,
	#[command(flatten)]
	pub(crate) version: VersionArgs,
}

/// What `zoo commit` and `zoo merge` record besides the files and parents.
#[derive(Args, Debug)]
pub(crate) struct VersionArgs {
	/// A metric, `name=value` (exact decimal, at most 9 places; name: a-z, 0-9, `.`, `_`, `-`,
	/// `/`); repeat for more (at most 64).
	#[arg(long = "metric", value_name = "NAME=VALUE")]
	pub(crate) metrics: Vec<MetricArg>,
	/// SPDX license expression (at most 64 bytes).
	#[arg(long, value_name = "SPDX")]
	pub(crate) license: Option<LicenseArg>,
	/// License the version under registered licence terms (see `zoo license terms`), which
	/// the chain enforces on derivatives, sales and royalties.
	#[arg(long, value_name = "TERMS_ID", conflicts_with = "license")]
	pub(crate) terms: Option<u64>,
	/// A tag, `key=value` (value: at most 256 bytes); repeat for more (at most 32).
	#[arg(long = "tag", value_name = "KEY=VALUE")]
	pub(crate) tags: Vec<TagArg>,
	/// Artifact URIs are this prefix joined with each path (default: file:// absolute paths).
	#[arg(long, value_name = "PREFIX")]
	pub(crate) uri_prefix: Option<UriPrefix>,
	/// Upload the files to this remote (see `zoo remote`) before submitting, and record their
	/// URIs there (content-addressed: by digest, or `ipfs://CID` on IPFS).
	#[arg(long, value_name = "REMOTE", conflicts_with = "uri_prefix")]
	pub(crate) push: Option<String>,
	/// Digest algorithm.
	#[arg(long = "hash", default_value_t, value_name = "sha2-256|blake3")]
	pub(crate) hash: DigestAlgorithmArg,
	/// Hash files in shards of this size (e.g. 64MiB; at least 1MiB), in parallel.
	#[arg(long, value_name = "SIZE")]
	pub(crate) shard_size: Option<ShardSize>,
	/// After the commit, point this ref at the new version (created if missing, else moved
	/// forward).
	#[arg(long, value_name = "REF")]
	pub(crate) branch: Option<RefName>,
	/// Build and print the manifest and its ID, but submit nothing.
	#[arg(long)]
	pub(crate) dry_run: bool,
	/// Seal the version: encrypt every file (age, X25519) for --key's own recipient before
	/// pushing, so only accounts you release the keys to (holders of a grant) can read them.
	/// Needs --terms and --push.
	#[arg(long, requires_all = ["terms", "push"])]
	pub(crate) encrypt: bool,
}

/// `zoo license` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum LicenseCommand {
	/// Register licence terms, or show them.
	#[command(subcommand)]
	Terms(TermsCommand),
	/// Put a priced offer on a version (admins of its model), or remove it.
	Offer(OfferArgs),
	/// Buy a use or derivative grant on a version through one of its offers; never pays more
	/// than --max-price.
	Buy {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The offer's number.
		#[arg(long)]
		offer: u32,
		/// The most you will pay, such as `2.5` or `2.5 ZOO`.
		#[arg(long, value_name = "AMOUNT")]
		max_price: Amount,
	},
	/// Show the grants an account holds on a version, and whether it may use it now.
	Grants {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The account (default: --key's): SS58 address, stored key name, or secret URI.
		#[arg(long)]
		account: Option<String>,
	},
	/// Check a derivative against the licence rules before committing it: a directory (its
	/// manifest built as `zoo commit --dry-run` would) or a committed version (CID). Prints every
	/// refusal and the royalty preview; exit code 1 if refused.
	Check(CheckArgs),
	/// Release a sealed version's keys to an account that holds a grant on it (admins of its
	/// model whose --key opens the owner headers); a released key cannot be revoked.
	Release {
		/// The sealed version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The grantee: SS58 address, stored key name, or secret URI.
		account: String,
		/// Decide on the --url node's unproven answers (the grant, the recipient key): only for
		/// a node you run yourself. Without it, releasing keys takes --light, whose reads are
		/// proven; a lying node would otherwise get the keys wrapped for itself.
		#[arg(long)]
		trust_node: bool,
	},
	/// Approve derivatives of a version committed by an account (admins of its model), or
	/// revoke the approval.
	Approve {
		/// The parent version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The committer: SS58 address, stored key name, or secret URI.
		account: String,
		/// Revoke the approval instead.
		#[arg(long)]
		revoke: bool,
	},
}

/// `zoo license terms` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum TermsCommand {
	/// Register terms (deposit held for good); prints their ID, or the ID of identical terms
	/// already registered.
	Create(TermsArgs),
	/// Show registered terms.
	Show {
		/// The terms' ID.
		id: u64,
	},
}

/// The rules of licence terms, as flags.
#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("use").required(true).args(["commercial", "non_commercial"]))]
#[command(group = clap::ArgGroup::new("legal").required(true).args(["legal_file", "legal_hash"]))]
pub(crate) struct TermsArgs {
	/// Holders of a use grant may use versions under these terms commercially.
	#[arg(long)]
	pub(crate) commercial: bool,
	/// Nobody may use versions under these terms commercially (no use or usage offers).
	#[arg(long)]
	pub(crate) non_commercial: bool,
	/// Edge kinds a version of another model may derive by: merge, finetune, quantize,
	/// distill, adapter, other (comma-separated), all, or none.
	#[arg(long, value_name = "KIND,...", default_value = "none")]
	pub(crate) derivatives: KindSet,
	/// The allowed kinds that need a paid derivative grant (same syntax).
	#[arg(long, value_name = "KIND,...", default_value = "none")]
	pub(crate) paid: KindSet,
	/// The share of a derivative's revenue owed upstream for a kind, such as finetune=10%
	/// (repeat for more kinds).
	#[arg(long = "share", value_name = "KIND=PERCENT")]
	pub(crate) shares: Vec<ShareArg>,
	/// Derivatives must carry these same terms.
	#[arg(long)]
	pub(crate) share_alike: bool,
	/// Derivatives need the licensor's approval of the committer (`zoo license approve`).
	#[arg(long)]
	pub(crate) approval: bool,
	/// Derivatives must carry attribution: a top-level NOTICE file or an `attribution` tag.
	#[arg(long)]
	pub(crate) attribution: bool,
	/// Derivatives' model names (after `org/`) must start with this.
	#[arg(long, value_name = "PREFIX")]
	pub(crate) name_prefix: Option<String>,
	/// A use restriction derivatives must carry too, by its index (0 to 63) in the governance
	/// list the legal text cites; repeat for more.
	#[arg(long = "restriction", value_name = "N", value_parser = clap::value_parser!(u8).range(0..64))]
	pub(crate) restrictions: Vec<u8>,
	/// Grants last this many days (of 6 s blocks; default: forever).
	#[arg(long, value_name = "N", conflicts_with = "grant_blocks", value_parser = clap::value_parser!(u32).range(1..))]
	pub(crate) grant_days: Option<u32>,
	/// Grants last this many blocks (default: forever).
	#[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
	pub(crate) grant_blocks: Option<u32>,
	/// The full legal text: its sha2-256 is recorded.
	#[arg(long, value_name = "FILE")]
	pub(crate) legal_file: Option<PathBuf>,
	/// The sha2-256 of the full legal text (64 hex digits), instead of --legal-file.
	#[arg(long, value_name = "HEX")]
	pub(crate) legal_hash: Option<Hash32>,
	/// Where the full legal text is (a URI, such as https://example.org/license.txt).
	#[arg(long, value_name = "URI")]
	pub(crate) legal_uri: String,
}

/// `zoo license offer` options.
#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("kind").args(["use_grant", "derivative", "usage"]).conflicts_with("remove"))]
pub(crate) struct OfferArgs {
	/// The version (CID).
	#[arg(value_parser = args::version_id)]
	pub(crate) cid: VersionId,
	/// The offer's number (your choice; setting an existing number changes that offer).
	#[arg(long)]
	pub(crate) id: u32,
	/// Sell use grants: commercial use for the terms' grant duration.
	#[arg(long = "use")]
	pub(crate) use_grant: bool,
	/// Sell derivative grants: one derivative commit each, by a paid kind.
	#[arg(long)]
	pub(crate) derivative: bool,
	/// Sell metered usage through prepaid channels; --price is per unit.
	#[arg(long)]
	pub(crate) usage: bool,
	/// The price of one grant, or of one unit of usage, such as `2.5` or `0.001 ZOO`.
	#[arg(long, value_name = "AMOUNT", required_unless_present = "remove", conflicts_with = "remove")]
	pub(crate) price: Option<Amount>,
	/// Remove the offer instead (grants already bought stay).
	#[arg(long)]
	pub(crate) remove: bool,
}

/// `zoo license check` options.
#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
	/// A directory to commit, or a committed version (CID).
	pub(crate) target: String,
	/// The model (a directory: default the one its .zoo/ tracks).
	#[arg(long)]
	pub(crate) model: Option<ModelName>,
	/// A parent version, `CID[:KIND]` (a directory: default its last committed version).
	#[arg(long = "parent", value_name = "CID[:KIND]")]
	pub(crate) parents: Vec<ParentSpec>,
	/// The licence terms the version would carry (a directory).
	#[arg(long, value_name = "TERMS_ID", conflicts_with = "license")]
	pub(crate) terms: Option<u64>,
	/// The SPDX licence the version would carry (a directory).
	#[arg(long, value_name = "SPDX")]
	pub(crate) license: Option<LicenseArg>,
	/// A tag the version would carry, `key=value` (a directory; `attribution=...` counts as
	/// attribution).
	#[arg(long = "tag", value_name = "KEY=VALUE")]
	pub(crate) tags: Vec<TagArg>,
	/// Who would commit (default: --key's account).
	#[arg(long)]
	pub(crate) account: Option<String>,
}

/// `zoo royalties` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum RoyaltiesCommand {
	/// A model's contributor split: who is paid what share of its versions' vaults.
	#[command(subcommand)]
	Split(SplitCommand),
	/// A version's royalty table (who upstream is paid what share of its revenue), its vault,
	/// and with --key what the signer may claim.
	Show {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
	},
	/// Claim the signer's share of versions' vaults.
	Claim {
		/// The versions (CIDs).
		#[arg(required = true, value_parser = args::version_id)]
		cids: Vec<VersionId>,
	},
}

/// `zoo royalties split` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum SplitCommand {
	/// Set a model's split for its future versions (admins): ACCOUNT=PERCENT entries (at most
	/// 2 decimals) totalling 100%; the first receives rounding remainders.
	Set {
		/// The model, `org/name`.
		model: ModelName,
		/// Each contributor, `ACCOUNT=PERCENT` (account: SS58, stored key name or secret URI).
		#[arg(required = true, value_name = "ACCOUNT=PERCENT")]
		shares: Vec<SplitShareArg>,
	},
	/// Show a model's split.
	Show {
		/// The model, `org/name`.
		model: ModelName,
	},
}

/// `zoo usage` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum UsageCommand {
	/// Open a prepaid channel to a serving operator for a version's usage offer.
	Open {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The usage offer's number.
		#[arg(long)]
		offer: u32,
		/// The operator who serves and settles: SS58 address, stored key name, or secret URI.
		#[arg(long)]
		provider: String,
		/// What to prepay, such as `10` or `10 ZOO` (held until settled or refunded).
		#[arg(long, value_name = "AMOUNT")]
		deposit: Amount,
		/// The channel stays open this many days (of 6 s blocks).
		#[arg(long, value_name = "N", required_unless_present = "blocks", conflicts_with = "blocks",
			value_parser = clap::value_parser!(u32).range(1..))]
		days: Option<u32>,
		/// The channel stays open this many blocks.
		#[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
		blocks: Option<u32>,
		/// The most you will pay per unit (default: the offer's current price).
		#[arg(long, value_name = "AMOUNT")]
		max_unit_price: Option<Amount>,
	},
	/// Sign a voucher offline with --key (the channel's payer): the operator may settle this
	/// many units in total. Prints the signature.
	Voucher {
		/// The channel.
		channel: u64,
		/// Units used since the channel opened (cumulative).
		#[arg(long)]
		units: u64,
		/// Above every voucher settled before (use an increasing counter).
		#[arg(long)]
		nonce: u64,
		/// The chain's genesis hash (64 hex digits), to sign without asking the node.
		#[arg(long, value_name = "HEX")]
		genesis: Option<Hash32>,
	},
	/// Settle a voucher (the channel's operator): be paid for the units beyond those settled.
	Settle {
		/// The channel.
		channel: u64,
		/// The voucher's cumulative units.
		#[arg(long)]
		units: u64,
		/// The voucher's nonce.
		#[arg(long)]
		nonce: u64,
		/// The voucher's signature (128 hex digits).
		#[arg(long, value_name = "HEX")]
		signature: SignatureArg,
	},
	/// Close an expired channel and take back what it holds (its payer).
	Refund {
		/// The channel.
		channel: u64,
	},
	/// Show a channel.
	Show {
		/// The channel.
		channel: u64,
	},
}

/// `zoo attest` options.
#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("evidence_digest").required(true).args(["evidence_file", "evidence_hash"]))]
pub(crate) struct AttestArgs {
	/// The version attested (CID).
	#[arg(value_parser = args::version_id)]
	pub(crate) cid: VersionId,
	/// The dataset evaluated on: its content ID (CID) or 64 hex digits.
	#[arg(long, value_name = "CID|HEX")]
	pub(crate) dataset: DatasetArg,
	/// A score, `name=value` (exact decimal, at most 9 places); repeat for more.
	#[arg(long = "metric", value_name = "NAME=VALUE", required = true)]
	pub(crate) metrics: Vec<MetricArg>,
	/// Where the evidence is (a log or report URI, such as https://ci.example/run/7).
	#[arg(long, value_name = "URI")]
	pub(crate) evidence: EvidenceUri,
	/// The evidence file: its sha2-256 is recorded.
	#[arg(long, value_name = "FILE")]
	pub(crate) evidence_file: Option<PathBuf>,
	/// The evidence's sha2-256 (64 hex digits), instead of --evidence-file.
	#[arg(long, value_name = "HEX")]
	pub(crate) evidence_hash: Option<Hash32>,
}

/// `zoo attestation` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum AttestationCommand {
	/// Revoke your attestation of a version, with a reason: it stays on chain, marked, and no
	/// longer counts for promotions.
	Revoke {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// The attestation's index (see `zoo attestations <CID>`).
		index: u32,
		/// Why (at most 256 bytes).
		#[arg(short, long)]
		reason: ReasonArg,
	},
}

/// `zoo evaluator` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum EvaluatorCommand {
	/// Trust an account's attestations of a model's versions (deposit held).
	Add {
		/// The model, `org/name`.
		model: ModelName,
		/// The evaluator: SS58 address, stored key name, or secret URI such as //Bob.
		account: String,
	},
	/// Stop trusting an evaluator (its attestations stay, and stop counting).
	Remove {
		/// The model, `org/name`.
		model: ModelName,
		/// The evaluator: SS58 address, stored key name, or secret URI.
		account: String,
	},
}

/// `zoo policy` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum PolicyCommand {
	/// Set (or replace) a ref's promotion policy (admins; deposit held).
	///
	/// A dataset is its content ID (CID) or 64 hex digits. Each condition is judged by the
	/// trusted, unrevoked attestations of the new target; a threshold by the worst value they
	/// give.
	Set(PolicySetArgs),
	/// Show a ref's promotion policy.
	Show {
		/// The model, `org/name`.
		model: ModelName,
		/// The ref.
		name: RefName,
	},
	/// Remove a ref's promotion policy (admins).
	Remove {
		/// The model, `org/name`.
		model: ModelName,
		/// The ref.
		name: RefName,
	},
}

/// `zoo policy set` options.
#[derive(Args, Debug)]
pub(crate) struct PolicySetArgs {
	/// The model, `org/name`.
	pub(crate) model: ModelName,
	/// The ref (such as production).
	pub(crate) name: RefName,
	/// Attestations from at least this many distinct trusted evaluators.
	#[arg(long, value_name = "N", default_value_t = 0)]
	pub(crate) min_evaluators: u32,
	/// A threshold: `METRIC>=VALUE@DATASET` for higher-is-better metrics (accuracy>=0.9@<cid>)
	/// or `METRIC<=VALUE@DATASET` for lower-is-better ones (loss<=0.2@<cid>); repeat for more.
	#[arg(long = "require", value_name = "METRIC>=VALUE@DATASET")]
	pub(crate) requires: Vec<RequireArg>,
	/// The new target must strictly beat the current one on a measure (when the current one
	/// has a trusted score for it): `METRIC@DATASET` or `METRIC>@DATASET` when higher is
	/// better (accuracy@<cid>), `METRIC<@DATASET` when lower is better (loss<@<cid>).
	#[arg(long, value_name = "METRIC[>|<]@DATASET")]
	pub(crate) must_beat: Option<MustBeatArg>,
}

/// `zoo watch` options.
#[derive(Args, Debug)]
pub(crate) struct WatchArgs {
	/// Replay finalized history from this block, then follow (default: from the next block
	/// finalized).
	#[arg(long, value_name = "N")]
	pub(crate) from_block: Option<u32>,
	/// Stop after this block (waiting for it to be finalized if need be).
	#[arg(long, value_name = "N")]
	pub(crate) until_block: Option<u32>,
	/// Only events about this model: naming it, or naming one of its versions; repeat for more.
	#[arg(long = "model", value_name = "MODEL")]
	pub(crate) models: Vec<ModelName>,
	/// Only this event, by name (VersionCommitted, RefMoved, Attested...) or as Pallet.Event;
	/// repeat for more.
	#[arg(long = "event", value_name = "NAME")]
	pub(crate) events: Vec<String>,
}

/// `zoo curation` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum CurationCommand {
	/// A version's curation figures (stake, curators, fees, slash factor, open dispute; with
	/// --key your position and what you may claim), or a model's (summed over its versions).
	Show {
		/// A version (CID) or a model (`org/name`).
		subject: CurationSubject,
	},
}

/// `zoo dispute` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum DisputeCommand {
	/// Dispute a version, holding the dispute bond until the council's verdict (returned if
	/// upheld, burned if rejected) or until it lapses with no verdict (burned). While it is
	/// open the version's stake cannot be added or withdrawn and its curation fees are escrowed.
	Open {
		/// The version (CID).
		#[arg(value_parser = args::version_id)]
		cid: VersionId,
		/// Why: malware, license-violation, fake-metrics or other.
		#[arg(long)]
		reason: DisputeReason,
		/// The evidence: a URI (https://, ipfs://) or its hash (64 hex digits).
		#[arg(long, value_name = "URI|HASH")]
		evidence: DisputeEvidence,
	},
	/// Show an open dispute, by its number or by the version it disputes.
	Show {
		/// The dispute's number, or a version (CID).
		subject: DisputeSubject,
	},
	/// Close a dispute that reached its expiry with no verdict (anyone may): the reporter's bond
	/// is burned and the version's escrowed fees go to its curators.
	Close {
		/// The dispute's number (see `zoo dispute show <cid>`).
		dispute: u64,
	},
}

/// `zoo council` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum CouncilCommand {
	/// List the council's members.
	Members,
	/// List the open motions: what each dispatches, its votes and threshold.
	Motions,
	/// Propose a motion (members).
	#[command(subcommand)]
	Propose(ProposeCommand),
	/// Vote on an open motion (members); a first vote is free of fees.
	Vote {
		/// The motion: its number or the 0x hash of its call.
		motion: MotionArg,
		/// aye or nay.
		vote: VoteArg,
	},
	/// Close a motion once it is decided (enough ayes, or too many nays) or its voting has
	/// ended; a passed motion's call runs (anyone may close).
	Close {
		/// The motion: its number or the 0x hash of its call.
		motion: MotionArg,
	},
	/// Supply the code of the runtime upgrade a motion authorized (anyone may; free when it is
	/// the authorized code): the chain switches to it from the next block, if its spec version
	/// is higher than the running runtime's.
	ApplyUpgrade {
		/// The runtime: the file whose hash the motion authorized (normally the
		/// .compact.compressed.wasm).
		#[arg(value_name = "WASM_FILE")]
		wasm: PathBuf,
	},
}

/// `zoo council propose` verbs.
#[derive(Subcommand, Debug)]
pub(crate) enum ProposeCommand {
	/// Propose a verdict on an open dispute, passing by a majority of the council: uphold it
	/// (the version is yanked, its stake slashed by --slash, the reporter paid --reporter-share
	/// of every slash) or reject it (the reporter's bond is burned).
	Verdict(VerdictArgs),
	/// Propose admitting a validator, passing by a majority of the council: the account must
	/// have registered session keys (`zoo validators set-keys`); it validates one to two
	/// sessions after the motion passes.
	AddValidator {
		/// The account: SS58 address, stored key name, or secret URI.
		account: String,
	},
	/// Propose removing a validator, passing by a majority of the council (the set never falls
	/// below its minimum); it stops validating one to two sessions after the motion passes.
	RemoveValidator {
		/// The account: SS58 address, stored key name, or secret URI.
		account: String,
	},
	/// Propose a runtime upgrade, passing by two thirds of the council: one motion authorizes
	/// the code's hash (System::authorize_upgrade as Root, through the whitelist); once it has
	/// passed, anyone supplies the code with `zoo council apply-upgrade`. Prints the code hash.
	Upgrade {
		/// The new runtime: a WebAssembly module, normally the zstd-compressed
		/// <runtime>.compact.compressed.wasm (its hash is what the chain stores and checks).
		#[arg(value_name = "WASM_FILE")]
		wasm: PathBuf,
	},
}

/// `zoo validators` options.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct ValidatorsArgs {
	#[command(subcommand)]
	pub(crate) command: Option<ValidatorsCommand>,
}

/// `zoo validators` verbs (none: list the set).
#[derive(Subcommand, Debug)]
pub(crate) enum ValidatorsCommand {
	/// Have a node generate new session keys (Aura and GRANDPA) for your account
	/// (author_rotateKeysWithOwner, with the proof of possession), then register them on
	/// chain (session.set_keys, holding the key deposit); prints the keys. Run it against the
	/// node that will validate: its keystore keeps the secrets, and it answers only a
	/// connection from its own machine.
	SetKeys {
		/// The validating node's RPC endpoint (default: --url).
		#[arg(long, value_name = "URL")]
		node: Option<String>,
	},
}

/// `zoo council propose verdict` options.
#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("outcome").required(true).args(["uphold", "reject"]))]
pub(crate) struct VerdictArgs {
	/// The dispute's number (see `zoo dispute show <cid>`).
	pub(crate) dispute: u64,
	/// Uphold the dispute.
	#[arg(long, requires_all = ["slash", "reporter_share"])]
	pub(crate) uphold: bool,
	/// Reject the dispute.
	#[arg(long, conflicts_with_all = ["slash", "reporter_share", "redirect_to"])]
	pub(crate) reject: bool,
	/// The share of the version's stake slashed, such as 50%.
	#[arg(long, value_name = "PERCENT")]
	pub(crate) slash: Option<Ppb>,
	/// The reporter's share of each slash, such as 10% (the rest is burned).
	#[arg(long, value_name = "PERCENT")]
	pub(crate) reporter_share: Option<Ppb>,
	/// Pay the version's escrowed curation fees to this account (default: burn them): SS58
	/// address, stored key name, or secret URI.
	#[arg(long, value_name = "ACCOUNT")]
	pub(crate) redirect_to: Option<String>,
}

/// `zoo search` options.
#[derive(Args, Debug)]
pub(crate) struct SearchArgs {
	/// Only versions with this tag, `KEY=VALUE` (or `KEY`: any value); repeat for more (at most
	/// 8).
	#[arg(long = "tag", value_name = "KEY[=VALUE]")]
	pub(crate) tags: Vec<TagFilterArg>,
	/// Only versions whose licence is of this class: unspecified, spdx, terms or sealed.
	#[arg(long, value_name = "CLASS")]
	pub(crate) license: Option<LicenseClass>,
	/// Only versions whose manifest gives this metric at least this value, `NAME>=VALUE`;
	/// repeat for more (at most 8).
	#[arg(long = "metric", value_name = "NAME>=VALUE")]
	pub(crate) metrics: Vec<MetricMinArg>,
	/// Most versions to list.
	#[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
	pub(crate) limit: u32,
}
