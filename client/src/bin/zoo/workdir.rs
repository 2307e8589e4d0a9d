//! A working directory: `zoo init`, `zoo status`, `zoo verify`, `zoo checkout`.

use crate::prelude::{Ctx, Outcome, fetch_version};
use anyhow::{Context as _, Result, anyhow};
use serde_json::json;
use std::path::Path;
use zoo_client::{args::ModelName, chain::VersionRecord, output::safe_line, verify::verify_dir, workspace::Workspace};
use zoo_primitives::VersionId;

pub(crate) fn init(ctx: &Ctx, model: &ModelName, dir: &Path) -> Result<Outcome> {
	std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
	let workspace = Workspace::init(dir, model)?;
	ctx.print(json!({"model": workspace.model(), "dir": dir}), || {
		format!("{} now tracks model {}", dir.display(), workspace.model())
	});
	Ok(Outcome::Done)
}

pub(crate) fn status(ctx: &Ctx, dir: &Path) -> Result<Outcome> {
	let workspace = Workspace::open(dir)?;
	let status = workspace.status(!ctx.json)?;
	let head = workspace.head().map(|h| h.cid.clone());
	ctx.print(
		json!({"model": workspace.model(), "head": head, "clean": status.is_clean(), "added": status.added,
			"removed": status.removed, "modified": status.modified, "unchanged": status.unchanged}),
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

/// What `verify` and `checkout` do about a yanked version: without `allow`, refuse (`true`);
/// with it, go on. Either way the yank and its reason go to stderr (with `--json`, into the
/// output's `yanked` field instead). Not yanked: nothing.
fn refuse_yanked(ctx: &Ctx, record: &VersionRecord, verb: &str, allow: bool) -> bool {
	let Some(reason) = &record.yanked else { return false };
	if !ctx.json {
		let reason = safe_line(reason);
		match allow {
			true => eprintln!("warning: version {} is yanked: {reason}", record.id),
			false => eprintln!(
				"version {} is yanked: {reason}\nrefusing to {verb} it; pass --allow-yanked to {verb} it anyway",
				record.id
			),
		}
	}
	!allow
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
			ctx.print(
				json!({"id": id.to_cid_string(), "manifest_id": used.to_cid_string(), "ok": false,
				"yanked": record.yanked, "report": null}),
				String::new,
			);
		}
		return Ok(Outcome::Yanked);
	}
	let report = verify_dir(&record.manifest, dir, !ctx.json)?;
	ctx.print(
		json!({"id": id.to_cid_string(), "manifest_id": used.to_cid_string(), "ok": report.is_ok(),
			"yanked": record.yanked, "report": report}),
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

pub(crate) async fn checkout(ctx: &Ctx, id: VersionId, dir: &Path, force: bool, allow_yanked: bool) -> Result<Outcome> {
	// Refuse early, before touching the chain; checkout() checks again.
	if !force && dir.is_dir() && std::fs::read_dir(dir)?.next().is_some() {
		return Err(anyhow!("{} is not empty; pass --force to check out into it", dir.display()));
	}
	let record = fetch_version(&ctx.chain().await?, id).await?;
	let used = record.manifest.id();
	if refuse_yanked(ctx, &record, "check out", allow_yanked) {
		if ctx.json {
			ctx.print(
				json!({"id": id.to_cid_string(), "manifest_id": used.to_cid_string(), "dir": dir,
				"yanked": record.yanked, "files": 0, "bytes": 0}),
				String::new,
			);
		}
		return Ok(Outcome::Yanked);
	}
	let manifest = record.manifest;
	let report = zoo_client::checkout::checkout(&manifest, dir, force, !ctx.json)?;
	if let Err(e) = Workspace::record_checkout(dir, used, &manifest) {
		tracing::warn!("checked out, but could not record it in .zoo/: {e}");
	}
	ctx.print(
		json!({"id": id.to_cid_string(), "manifest_id": used.to_cid_string(), "dir": dir, "yanked": record.yanked,
			"files": report.files, "bytes": report.bytes}),
		|| {
			format!(
				"checked out {used} into {}: {} files, {} bytes, all verified",
				dir.display(),
				report.files,
				report.bytes
			)
		},
	);
	Ok(Outcome::Done)
}
