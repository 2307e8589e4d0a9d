//! `zoo commit`: check every option, check the model and parents exist and the licence rules
//! accept the commit, hash, build the manifest, print its ID, submit, wait for finality, record
//! the head in `.zoo/`.

use crate::args::{self, ParentSpec, RefName};
use crate::{
	cli::{CommitArgs, MergeArgs, TransferArgs},
	prelude::{Ctx, Outcome, royalty_lines},
	transfer,
};
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use std::{collections::BTreeMap, path::Path};
use subxt_signer::sr25519::Keypair;
use zoo_client::{
	chain::Chain,
	chain::Submitted,
	hashing::{FileDigest, hash_files_with},
	manifest_build::{CommitOptions, UriBase, build_manifest, check_artifact_count, local_root, provisional_manifest},
	output::{json, manifest_text},
	scan::{ScannedFile, ZOO_DIR, scan},
	seal::{SealIdentity, seal_file},
	storage::RemoteKind,
	workspace::Workspace,
};
use zoo_primitives::{
	EdgeError, EdgeKind, HashingSettings, License, MAX_PARENTS, Manifest, Parent, SealScheme, SealedFile, VersionId,
	check_edges,
};

/// `zoo commit --json`: the new version and where its transaction landed.
#[derive(Serialize)]
struct Committed<'a> {
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	model: &'a str,
	block: &'a Submitted,
	files: usize,
	bytes: u64,
	#[serde(serialize_with = "json::parents")]
	parents: &'a [Parent],
	branch: Option<&'a RefName>,
}

/// `zoo commit --dry-run --json`: the version that would be committed.
#[derive(Serialize)]
struct DryRun<'a> {
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	/// Always true: nothing was submitted.
	dry_run: bool,
	#[serde(serialize_with = "json::manifest")]
	manifest: &'a Manifest,
}

/// What a sealed file's record in the manifest holds, by artifact path.
type SealedRecords = BTreeMap<String, (u64, [u8; 32], Vec<u8>)>;

/// Seal each file into `sealed_dir`: the returned files and digests describe the payloads (at
/// the same artifact paths), and the records keep each plaintext's size, digest and header.
fn seal_all(
	files: Vec<ScannedFile>,
	digests: Vec<FileDigest>,
	sealed_dir: &Path,
	identity: &SealIdentity,
	hashing: &HashingSettings,
	unixfs: bool,
) -> Result<(Vec<ScannedFile>, Vec<FileDigest>, SealedRecords)> {
	let mut sealed_files = Vec::with_capacity(files.len());
	let mut payloads = Vec::with_capacity(files.len());
	let mut records = SealedRecords::new();
	for (file, plain) in files.into_iter().zip(digests) {
		let sealed = seal_file(&file.full_path, sealed_dir, identity, hashing, unixfs)?;
		records.insert(file.path.clone(), (plain.size, plain.digest.bytes, sealed.header));
		sealed_files.push(ScannedFile { full_path: sealed.payload_path, size: sealed.payload.size, ..file });
		payloads.push(sealed.payload);
	}
	Ok((sealed_files, payloads, records))
}

/// Turn `manifest`'s terms into a sealed license over every artifact.
fn seal_manifest(manifest: &mut Manifest, mut records: SealedRecords) -> Result<()> {
	let terms = manifest.license.terms().ok_or_else(|| anyhow!("--encrypt needs --terms"))?;
	let mut files = Vec::with_capacity(manifest.artifacts.len());
	for (index, artifact) in manifest.artifacts.iter().enumerate() {
		let path = String::from_utf8_lossy(&artifact.path).into_owned();
		let (plaintext_size, plaintext_digest, header) =
			records.remove(&path).ok_or_else(|| anyhow!("{path}: was not sealed"))?;
		files.push(SealedFile {
			artifact: index as u32,
			plaintext_size,
			plaintext_digest,
			owner_header: header.try_into().map_err(|_| anyhow!("{path}: its age header is too long"))?,
		});
	}
	let files = files.try_into().map_err(|_| anyhow!("too many files to seal"))?;
	manifest.license = License::Sealed { terms, scheme: SealScheme::AgeV1, files };
	manifest.validate().map_err(|e| anyhow!("the sealed manifest is invalid: {e}"))
}

/// Most versions the chain may read to check that `--branch` moves its ref forward.
const BRANCH_WALK_LIMIT: u32 = 10_000;

/// `zoo merge`: a commit whose parents are the merged versions, each with a merge edge.
pub(crate) async fn merge(ctx: &Ctx, args: MergeArgs) -> Result<Outcome> {
	let parents = args.cids.into_iter().map(|id| ParentSpec(Parent { id, edge: EdgeKind::Merge })).collect();
	let commit_args = CommitArgs {
		dir: args.dir,
		message: args.message,
		model: args.model,
		parents,
		no_parent: false,
		version: args.version,
	};
	commit(ctx, commit_args).await
}

pub(crate) async fn commit(ctx: &Ctx, args: CommitArgs) -> Result<Outcome> {
	let dir = &args.dir;
	if !dir.is_dir() {
		return Err(anyhow!("{}: not a directory", dir.display()));
	}
	// 1. Every option, before any work.
	let workspace = Workspace::open_optional(dir)?;
	let model = match (&args.model, &workspace) {
		(Some(model), _) => model.clone(),
		(None, Some(workspace)) => workspace.model().parse()?,
		(None, None) => {
			return Err(anyhow!(
				"{} does not track a model: pass --model <org/name> or run `zoo init <org/name>` there",
				dir.display()
			));
		}
	};
	let tracks_model = workspace.as_ref().is_none_or(|w| w.model() == model.as_str());
	// Each value was checked when clap parsed it; here they are checked as a whole.
	let mut parents: Vec<Parent> = args.parents.iter().map(|parent| parent.0.clone()).collect();
	if parents.is_empty() && !args.no_parent && tracks_model {
		// Like git: the next commit from a directory descends from its last one.
		if let Some(head) = workspace.as_ref().and_then(|w| w.head()) {
			parents.push(Parent { id: head.id()?, edge: EdgeKind::Revision });
		}
	}
	let version = &args.version;
	let push_to = match &version.push {
		Some(name) => {
			let workspace = workspace.as_ref().ok_or_else(|| {
				anyhow!(
					"--push {name}: {} is not a workspace with remotes (run `zoo init` and `zoo remote add`)",
					dir.display()
				)
			})?;
			Some(workspace.remote(name)?.clone())
		}
		None => None,
	};
	let uri_base = match &version.uri_prefix {
		Some(prefix) => UriBase::Prefix(prefix.clone()),
		None => local_root(dir)?,
	};
	let hashing = args::hashing(version.hash, version.shard_size);
	let options = CommitOptions::new(model.to_bounded(), args.message.clone(), hashing, uri_base)
		.with_parents(parents)?
		.with_metrics(version.metrics.iter().cloned())?
		.with_tags(version.tags.iter().cloned())?
		.with_license(version.license.clone());
	let options = match version.terms {
		Some(terms) => options.with_terms(terms),
		None => options,
	};
	let branch = args.version.branch.clone();
	let signer = if args.version.dry_run { None } else { Some(ctx.signer()?) };
	// Sealed files are encrypted for --key's own identity, which later re-wraps their keys.
	let sealing = if version.encrypt { Some(ctx.signer_with_identity()?.1) } else { None };
	let files = scan(dir)?;
	check_artifact_count(files.len())?;

	// 2. The chain knows the model and every parent (reads only), so hashing is not wasted.
	let chain = match args.version.dry_run {
		true => None,
		false => {
			let chain = ctx.chain().await?;
			if !chain.model_exists(&model).await? {
				return Err(anyhow!("model {model} does not exist; create it with `zoo model create {model}`"));
			}
			// Every parent's model in one read of the lineage graph.
			let ids: Vec<VersionId> = options.parents().iter().map(|parent| parent.id).collect();
			let nodes = chain.nodes(&ids).await?;
			if let Some((parent, _)) = options.parents().iter().zip(&nodes).find(|(_, node)| node.is_none()) {
				let hint = if args.parents.is_empty() {
					" (it is this directory's last commit; pass --no-parent to commit a root version)"
				} else {
					""
				};
				return Err(anyhow!("parent {} does not exist{hint}", parent.id));
			}
			let parent_models: Vec<&str> = nodes.iter().flatten().map(|node| node.model.as_str()).collect();
			check_parent_edges(&model, options.parents(), &parent_models)?;
			if let [first, second, ..] = options.parents()
				&& !ctx.json
			{
				report_merge_base(&chain, first.id, second.id).await;
			}
			let signer = signer.as_ref().expect("not a dry run; qed");
			let derives = parent_models.iter().any(|parent_model| *parent_model != model.as_str());
			if derives || options.license().terms().is_some() {
				check_license_rules(ctx, &chain, signer, &files, &options, derives).await?;
			}
			Some(chain)
		}
	};

	// 3. Hash (CPU-bound, on rayon's pool, off the async runtime) and build the manifest.
	let hashing = options.hashing().clone();
	let reporter = ctx.reporter();
	// IPFS stores by UnixFS CID: compute it in the same read when pushing there.
	let unixfs = push_to.as_ref().is_some_and(|remote| matches!(remote.kind(), Ok(RemoteKind::Ipfs { .. })));
	let hashing_reporter = reporter.clone();
	let (files, digests, stats) = tokio::task::spawn_blocking(move || {
		hash_files_with(&files, &hashing, hashing_reporter.as_ref(), unixfs)
			.map(|(digests, stats)| (files, digests, stats))
	})
	.await
	.context("hashing task failed")??;
	// 3a. Seal: encrypt every file into `.zoo/sealed/`; the payloads are what is pushed and
	// what the manifest's digests cover.
	let (files, digests, sealed) = match sealing {
		Some(identity) => {
			let (hashing, sealed_dir) = (options.hashing().clone(), dir.join(ZOO_DIR).join("sealed"));
			tokio::task::spawn_blocking(move || seal_all(files, digests, &sealed_dir, &identity, &hashing, unixfs))
				.await
				.context("sealing task failed")??
		}
		None => (files, digests, BTreeMap::new()),
	};
	let options = match &push_to {
		// 3b. Upload before submitting: a version never names a URI that holds nothing.
		Some(remote) => {
			let stores = transfer::stores(
				ctx,
				workspace.as_ref().map(|w| w.remotes().to_vec()).unwrap_or_default(),
				&TransferArgs { jobs: 4, mirrors: Vec::new() },
			)?;
			let items = transfer::items_of(&files, &digests, options.hashing());
			let reports = transfer::push_items(&stores, remote, items, reporter.as_ref()).await?;
			let uploaded = reports.iter().filter(|r| r.uploaded).count();
			if !ctx.json {
				eprintln!("pushed to {}: {uploaded} uploaded, {} already there", remote.name, reports.len() - uploaded);
			}
			options.with_uri_base(UriBase::Pushed(reports.into_iter().map(|r| (r.path, r.uri)).collect()))
		}
		None => options,
	};
	let mut manifest = build_manifest(&files, &digests, &options)?;
	if !sealed.is_empty() {
		seal_manifest(&mut manifest, sealed)?;
	}
	let id = manifest.id();
	tracing::info!(files = stats.files, bytes = stats.bytes, mb_per_s = stats.mb_per_s(), "hashed");
	if !ctx.json {
		eprintln!("hashed {} files, {} bytes ({:.0} MB/s)", stats.files, stats.bytes, stats.mb_per_s());
	}

	let (Some(chain), Some(signer)) = (chain, signer) else {
		ctx.print(DryRun { id, dry_run: true, manifest: &manifest }, || {
			format!("dry run: nothing submitted\n{}", manifest_text(id, &manifest))
		});
		return Ok(Outcome::Done);
	};
	if !ctx.json {
		// Progress goes to stderr: stdout names a version only once it is final.
		eprintln!("version {id}: submitting and waiting for finality...");
	}

	// 4. Submit; the chain API returns once the block is finalized.
	let submitted = chain.commit(&signer, &manifest).await?;

	// 5. Record the head so `zoo status` compares against this version. The commit is already
	// final, so failing here is only a warning.
	if tracks_model {
		let recorded = match workspace {
			Some(mut workspace) => workspace.record_head(id, &manifest, &files),
			None => Workspace::init(dir, &model).and_then(|mut w| w.record_head(id, &manifest, &files)),
		};
		if let Err(e) = recorded {
			tracing::warn!("committed, but could not record it in .zoo/: {e}");
		}
	}
	let branch_moved = match &branch {
		Some(name) => Some(advance_branch(&chain, &signer, &model, name, id).await.with_context(|| {
			format!("committed {id}, but could not point ref {name} at it (retry with `zoo branch move {name} {id}`)")
		})?),
		None => None,
	};
	ctx.print(
		Committed {
			id,
			model: &model,
			block: &submitted,
			files: stats.files,
			bytes: stats.bytes,
			parents: &manifest.parents,
			branch: branch.as_ref(),
		},
		|| {
			let mut out = format!(
				"committed {id} to {model} in block {} ({}), finalized",
				submitted.block_number, submitted.block_hash
			);
			if let (Some(name), Some(created)) = (&branch, branch_moved) {
				out.push_str(&format!("\n{} ref {name} at {id}", if created { "created" } else { "moved" }));
			}
			out
		},
	);
	Ok(Outcome::Done)
}

/// The licence rules, asked before hashing with the manifest the scanned files make (their
/// digests aside, which no rule reads): every refusal is an error naming each reason; for a
/// derivative, the royalty preview goes to stderr (unless --json).
async fn check_license_rules(
	ctx: &Ctx,
	chain: &Chain,
	signer: &Keypair,
	files: &[ScannedFile],
	options: &CommitOptions,
	derives: bool,
) -> Result<()> {
	let committer = signer.public_key().to_account_id();
	let provisional = provisional_manifest(files, options)?;
	let refusals = chain.check_derivative(&provisional, &committer).await?;
	if !refusals.is_empty() {
		let reasons: Vec<String> = refusals.iter().map(ToString::to_string).collect();
		return Err(anyhow!("the licence rules refuse this commit by {committer}: {}", reasons.join("; ")));
	}
	if derives
		&& !ctx.json
		&& let Ok(table) = chain.royalty_preview(&provisional).await?
	{
		eprint!("royalties of the new version:\n{}", royalty_lines(provisional.id(), &table));
	}
	Ok(())
}

/// Where the histories of a merge's first two parents meet, on stderr, for the record; the
/// chain checks the rest on commit.
async fn report_merge_base(chain: &Chain, a: VersionId, b: VersionId) {
	if let Ok(bases) = chain.merge_base(a, b, BRANCH_WALK_LIMIT).await {
		match bases.as_slice() {
			[] => eprintln!("{a} and {b} share no history"),
			bases => {
				let bases: Vec<String> = bases.iter().map(VersionId::to_cid_string).collect();
				eprintln!("merge base: {}", bases.join(", "));
			}
		}
	}
}

/// The chain's edge rules, checked before hashing with the function the lineage pallet enforces
/// them with ([`check_edges`]); `parent_models[i]` is the model of `parents[i]`. The error
/// names the parent at fault.
fn check_parent_edges(model: &str, parents: &[Parent], parent_models: &[&str]) -> Result<()> {
	let models = parent_models.iter().map(|name| Some(name.as_bytes()));
	let Err(error) = check_edges(model.as_bytes(), parents.iter().zip(models), MAX_PARENTS) else {
		return Ok(());
	};
	Err(match error {
		EdgeError::MergeNeedsTwoParents => {
			anyhow!("a merge needs two or more parents; {} is the only one", parents[0].id)
		}
		EdgeError::RevisionAcrossModels => {
			let (parent, parent_model) = parents
				.iter()
				.zip(parent_models)
				.find(|(parent, parent_model)| parent.edge == EdgeKind::Revision && **parent_model != model)
				.expect("check_edges found such a parent; qed");
			anyhow!(
				"parent {} is a version of {parent_model}: a revision stays within its model; name the derivation \
				 (CID:finetune, :quantize, :distill, :adapter, :merge or :other)",
				parent.id
			)
		}
		EdgeError::TooManyParents => anyhow!("at most {MAX_PARENTS} parents"),
		EdgeError::UnknownParent => anyhow!("a parent does not exist"),
	})
}

/// Point ref `name` of `model` at `id`: create it, or move it forward. Returns whether it was
/// created.
async fn advance_branch(chain: &Chain, signer: &Keypair, model: &str, name: &str, id: VersionId) -> Result<bool> {
	match chain.ref_target(model, name).await? {
		None => {
			chain.create_ref(signer, model, name, id, false).await?;
			Ok(true)
		}
		Some(_) => {
			chain.move_ref(signer, model, name, id, false, BRANCH_WALK_LIMIT).await?;
			Ok(false)
		}
	}
}
