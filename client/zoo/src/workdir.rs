//! A working directory: `zoo init`, `zoo status`, `zoo verify`, `zoo checkout`.

use crate::args::ModelName;
use crate::{
	cli::TransferArgs,
	prelude::{Ctx, Outcome, fetch_version, refuse_yanked},
	transfer::{stores, transfer_line, unsealing},
};
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use std::path::Path;
use zoo_client::{
	checkout::{CheckoutOptions, CheckoutReport},
	output::{json, safe_line},
	verify::{VerifyReport, verify_dir},
	workspace::{Status, Workspace},
};
use zoo_primitives::VersionId;

/// `zoo init --json`: the directory and the model it now tracks.
#[derive(Serialize)]
struct Initialized<'a> {
	/// The model.
	model: &'a str,
	/// The directory, as given.
	dir: &'a Path,
}

/// `zoo status --json`: how the directory differs from the last version committed from it.
#[derive(Serialize)]
struct WorkdirStatus<'a> {
	/// The model the directory tracks.
	model: &'a str,
	/// The last version committed (or checked out) here, `null` if none.
	head: Option<&'a str>,
	/// Whether nothing changed.
	clean: bool,
	/// `added`, `removed`, `modified` (paths) and `unchanged` (a count).
	#[serde(flatten)]
	status: &'a Status,
}

/// `zoo verify --json`: whether a directory matches a version's manifest.
#[derive(Serialize)]
struct Verified<'a> {
	/// The version asked for.
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	/// The ID of the manifest used (the chain module checked it is `id`).
	#[serde(serialize_with = "json::cid")]
	manifest_id: VersionId,
	/// Whether the directory matches.
	ok: bool,
	/// The yank reason, if the version is yanked.
	yanked: Option<&'a str>,
	/// What differs (`null` when a yanked version was refused).
	report: Option<&'a VerifyReport>,
}

/// `zoo checkout --json`: what was placed where.
#[derive(Serialize)]
struct CheckedOut<'a> {
	/// The version asked for.
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	/// The ID of the manifest used (the chain module checked it is `id`).
	#[serde(serialize_with = "json::cid")]
	manifest_id: VersionId,
	/// The target directory, as given.
	dir: &'a Path,
	/// The yank reason, if the version is yanked.
	yanked: Option<&'a str>,
	/// `files` placed and `bytes` fetched and verified (0 and 0 when a yanked version was
	/// refused).
	#[serde(flatten)]
	report: CheckoutReport,
}

pub(crate) fn init(ctx: &Ctx, model: &ModelName, dir: &Path) -> Result<Outcome> {
	std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
	let workspace = Workspace::init(dir, model)?;
	ctx.print(Initialized { model: workspace.model(), dir }, || {
		format!("{} now tracks model {}", dir.display(), workspace.model())
	});
	Ok(Outcome::Done)
}

pub(crate) fn status(ctx: &Ctx, dir: &Path) -> Result<Outcome> {
	let workspace = Workspace::open(dir)?;
	let status = workspace.status(ctx.reporter().as_ref())?;
	let head = workspace.head().map(|h| h.cid.clone());
	ctx.print(
		WorkdirStatus { model: workspace.model(), head: head.as_deref(), clean: status.is_clean(), status: &status },
		|| {
			let mut out = format!("model {}\n", workspace.model());
			match &head {
				Some(cid) => out.push_str(&format!("last committed {cid}\n")),
				None => out.push_str("no version committed from here yet\n"),
			}
			for (label, paths) in
				[("added", &status.added), ("modified", &status.modified), ("removed", &status.removed)]
			{
				for path in paths {
					out.push_str(&format!("  {label:<9} {path}\n"));
				}
			}
			if status.is_clean() {
				out.push_str("nothing changed\n");
			}
			out
		},
	);
	Ok(Outcome::Done)
}

pub(crate) async fn verify(ctx: &Ctx, id: VersionId, dir: &Path, allow_yanked: bool) -> Result<Outcome> {
	if !dir.is_dir() {
		return Err(anyhow!("{}: not a directory", dir.display()));
	}
	let record = fetch_version(&ctx.chain().await?, id).await?;
	// The ID of the manifest actually used: the chain module has checked that it is `id`.
	let used = record.manifest.id();
	if refuse_yanked(ctx, &record, "verify", allow_yanked) {
		if ctx.json {
			let answer = Verified { id, manifest_id: used, ok: false, yanked: record.yanked.as_deref(), report: None };
			ctx.print(answer, String::new);
		}
		return Ok(Outcome::Yanked);
	}
	let report = verify_dir(&record.manifest, dir, ctx.reporter().as_ref())?;
	ctx.print(
		Verified { id, manifest_id: used, ok: report.is_ok(), yanked: record.yanked.as_deref(), report: Some(&report) },
		|| {
			let mut out = String::new();
			for path in &report.missing {
				out.push_str(&format!("missing     {}\n", safe_line(path)));
			}
			for path in &report.extra {
				out.push_str(&format!("extra       {}\n", safe_line(path)));
			}
			for m in &report.mismatched {
				let detail = match &m.actual_digest {
					None => format!("size {} != {}", m.actual_size, m.expected_size),
					Some(actual) => format!("digest {} != {}", &actual[..16], &m.expected_digest[..16]),
				};
				out.push_str(&format!("mismatched  {}  ({detail})\n", safe_line(&m.path)));
			}
			let total = record.manifest.artifacts.len();
			if report.is_ok() {
				out.push_str(&format!("ok: {} matches {used} ({total} files)\n", dir.display()));
			} else {
				out.push_str(&format!(
					"FAILED: {} missing, {} extra, {} mismatched, {} of {total} match {used}\n",
					report.missing.len(),
					report.extra.len(),
					report.mismatched.len(),
					report.matched
				));
			}
			out
		},
	);
	Ok(if report.is_ok() { Outcome::Done } else { Outcome::Differences })
}

pub(crate) async fn checkout(
	ctx: &Ctx,
	id: VersionId,
	dir: &Path,
	force: bool,
	allow_yanked: bool,
	transfer: &TransferArgs,
) -> Result<Outcome> {
	// Refuse early, before touching the chain; checkout() checks again.
	if !force && dir.is_dir() && zoo_client::checkout::is_non_empty(dir)? {
		return Err(anyhow!("{} is not empty; pass --force to check out into it", dir.display()));
	}
	let chain = ctx.chain().await?;
	let record = fetch_version(&chain, id).await?;
	let used = record.manifest.id();
	if refuse_yanked(ctx, &record, "check out", allow_yanked) {
		if ctx.json {
			let nothing = CheckoutReport { files: 0, bytes: 0, transferred: 0, resumed: 0, from_mirrors: 0 };
			let answer = CheckedOut { id, manifest_id: used, dir, yanked: record.yanked.as_deref(), report: nothing };
			ctx.print(answer, String::new);
		}
		return Ok(Outcome::Yanked);
	}
	let manifest = record.manifest;
	// Remotes of a workspace being checked out over (--force) are mirrors too.
	let remotes = Workspace::open_optional(dir).ok().flatten().map(|w| w.remotes().to_vec()).unwrap_or_default();
	let options = CheckoutOptions {
		force,
		reporter: ctx.reporter(),
		stores: stores(ctx, remotes, transfer)?,
		unsealing: unsealing(ctx, &chain, id, &manifest).await?,
	};
	let report = zoo_client::checkout::checkout(&manifest, dir, &options).await?;
	if let Err(e) = Workspace::record_checkout(dir, used, &manifest) {
		tracing::warn!("checked out, but could not record it in .zoo/: {e}");
	}
	let line = transfer_line("checked out", used, dir, &report);
	ctx.print(CheckedOut { id, manifest_id: used, dir, yanked: record.yanked.as_deref(), report }, || line);
	Ok(Outcome::Done)
}
