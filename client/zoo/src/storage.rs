//! Storage verbs: `zoo remote add|list|remove`, `zoo push`, `zoo pull`.

use crate::args::RefName;
use crate::{
	cli::{RemoteCommand, TransferArgs},
	prelude::{Ctx, Outcome, fetch_version, refuse_yanked},
	transfer::{push_items, stores, transfer_line, unsealing},
};
use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use std::{collections::BTreeSet, path::Path};
use zoo_client::{
	checkout::{CheckoutOptions, CheckoutReport},
	output::{json, safe_line},
	scan::ZOO_DIR,
	storage::{
		Remote, RemoteSettings,
		push::{PushItem, PushReport},
	},
	workspace::Workspace,
};
use zoo_primitives::{Manifest, VersionId};

/// `zoo remote list --json`.
#[derive(Serialize)]
struct RemoteList<'a> {
	remotes: &'a [Remote],
}

/// `zoo remote add|remove --json`.
#[derive(Serialize)]
struct RemoteChanged<'a> {
	added: Option<&'a Remote>,
	removed: Option<&'a Remote>,
}

/// `zoo push --json`.
#[derive(Serialize)]
struct Pushed<'a> {
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	remote: &'a str,
	/// Files uploaded.
	uploaded: usize,
	/// Files the remote already had.
	skipped: usize,
	/// Bytes of the uploaded files.
	bytes: u64,
	files: &'a [PushReport],
}

/// `zoo pull --json`.
#[derive(Serialize)]
struct Pulled<'a> {
	#[serde(serialize_with = "json::cid")]
	id: VersionId,
	dir: &'a Path,
	/// Files of the previous head that the version does not have, removed.
	removed: &'a [String],
	#[serde(flatten)]
	report: CheckoutReport,
}

/// The workspace at `dir`; remotes and pushes belong to one.
fn workspace_at(dir: &Path) -> Result<Workspace> {
	Workspace::open_optional(dir)?.ok_or_else(|| {
		anyhow!("{} is not a zoo workspace (no .zoo/ there): run `zoo init <org/name>` in it first", dir.display())
	})
}

pub(crate) fn remote(ctx: &Ctx, command: RemoteCommand) -> Result<Outcome> {
	match command {
		RemoteCommand::Add { name, url, endpoint, region, profile, gateway, dir } => {
			let mut workspace = workspace_at(&dir)?;
			let remote = Remote::new(&name, &url, RemoteSettings { endpoint, region, profile, gateway })?;
			workspace.add_remote(remote.clone())?;
			ctx.print(RemoteChanged { added: Some(&remote), removed: None }, || format!("added remote {name} {url}"));
		}
		RemoteCommand::List { dir } => {
			let workspace = workspace_at(&dir)?;
			ctx.print(RemoteList { remotes: workspace.remotes() }, || {
				let width = workspace.remotes().iter().map(|remote| remote.name.len()).max().unwrap_or(0);
				let lines: Vec<String> = workspace
					.remotes()
					.iter()
					.map(|remote| format!("{:width$}  {}", remote.name, safe_line(&remote.url)))
					.collect();
				if lines.is_empty() {
					"no remotes (add one with `zoo remote add NAME URL`)".into()
				} else {
					lines.join("\n")
				}
			});
		}
		RemoteCommand::Remove { name, dir } => {
			let mut workspace = workspace_at(&dir)?;
			let removed = workspace.remove_remote(&name)?;
			ctx.print(RemoteChanged { added: None, removed: Some(&removed) }, || format!("removed remote {name}"));
		}
	}
	Ok(Outcome::Done)
}

pub(crate) async fn push(
	ctx: &Ctx,
	remote_name: &str,
	id: Option<VersionId>,
	dir: &Path,
	transfer: &TransferArgs,
) -> Result<Outcome> {
	let workspace = workspace_at(dir)?;
	let remote = workspace.remote(remote_name)?.clone();
	let id = match id {
		Some(id) => id,
		None => workspace.head().ok_or_else(|| anyhow!("{} has no head version: name one", dir.display()))?.id()?,
	};
	let record = fetch_version(&ctx.chain().await?, id).await?;
	let manifest: &Manifest = &record.manifest;
	let items: Vec<PushItem> = manifest
		.artifacts
		.iter()
		.enumerate()
		.map(|(index, artifact)| {
			let path = String::from_utf8_lossy(&artifact.path).into_owned();
			// A sealed file's stored object is its payload, kept where `commit --encrypt` made it
			// (the workspace holds the plaintext).
			let local = match manifest.sealed_file(index) {
				Some(_) => dir.join(ZOO_DIR).join("sealed").join(format!(
					"{}-{}",
					artifact.digest.algorithm.as_str(),
					hex::encode(artifact.digest.bytes)
				)),
				None => dir.join(&path),
			};
			PushItem {
				local,
				path,
				size: artifact.size,
				digest: artifact.digest.clone(),
				hashing: manifest.hashing.clone(),
				cid: None,
			}
		})
		.collect();
	let stores = stores(ctx, workspace.remotes().to_vec(), transfer)?;
	let reports = push_items(&stores, &remote, items, ctx.reporter().as_ref()).await?;
	let uploaded: Vec<&PushReport> = reports.iter().filter(|r| r.uploaded).collect();
	let bytes = uploaded.iter().map(|r| r.bytes).sum();
	let answer = Pushed {
		id,
		remote: &remote.name,
		uploaded: uploaded.len(),
		skipped: reports.len() - uploaded.len(),
		bytes,
		files: &reports,
	};
	ctx.print(answer, || {
		format!(
			"pushed {id} to {}: {} uploaded ({bytes} bytes), {} already there",
			remote.name,
			uploaded.len(),
			reports.len() - uploaded.len()
		)
	});
	Ok(Outcome::Done)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn pull(
	ctx: &Ctx,
	id: Option<VersionId>,
	branch: Option<&RefName>,
	dir: &Path,
	force: bool,
	allow_yanked: bool,
	transfer: &TransferArgs,
) -> Result<Outcome> {
	let workspace = workspace_at(dir)?;
	let chain = ctx.chain().await?;
	let id = match (id, branch) {
		(Some(id), _) => id,
		(None, Some(branch)) => {
			chain
				.ref_target(workspace.model(), branch.as_str())
				.await?
				.ok_or_else(|| anyhow!("model {} has no ref {branch}", workspace.model()))?
				.target
		}
		(None, None) => workspace
			.head()
			.ok_or_else(|| anyhow!("{} has no head version: name one or pass --branch", dir.display()))?
			.id()?,
	};
	if !force {
		let status = workspace.status(ctx.reporter().as_ref())?;
		if !status.modified.is_empty() || !status.added.is_empty() {
			let mut changed: Vec<&str> = status.modified.iter().chain(&status.added).map(String::as_str).collect();
			changed.truncate(5);
			return Err(anyhow!(
				"{} has uncommitted changes ({}); commit them or pass --force to overwrite",
				dir.display(),
				changed.join(", ")
			));
		}
	}
	let record = fetch_version(&chain, id).await?;
	if refuse_yanked(ctx, &record, "pull", allow_yanked) {
		return Ok(Outcome::Yanked);
	}
	let manifest = record.manifest;
	let model = String::from_utf8_lossy(&manifest.model).into_owned();
	if model != workspace.model() {
		return Err(anyhow!("{id} is a version of {model}, but {} tracks {}", dir.display(), workspace.model()));
	}
	let options = CheckoutOptions {
		force: true,
		reporter: ctx.reporter(),
		stores: stores(ctx, workspace.remotes().to_vec(), transfer)?,
		unsealing: unsealing(ctx, &chain, id, &manifest).await?,
	};
	let report = zoo_client::checkout::checkout(&manifest, dir, &options).await?;
	// Files of the old head that the new version does not have were unchanged (checked above,
	// unless --force): remove them, as git does.
	let keep: BTreeSet<String> =
		manifest.artifacts.iter().map(|a| String::from_utf8_lossy(&a.path).into_owned()).collect();
	let mut removed = Vec::new();
	for file in workspace.head().map(|head| head.files.as_slice()).unwrap_or_default() {
		if !keep.contains(&file.path) && std::fs::remove_file(dir.join(&file.path)).is_ok() {
			removed.push(file.path.clone());
		}
	}
	Workspace::record_checkout(dir, manifest.id(), &manifest).context("pulled, but could not record it in .zoo/")?;
	ctx.print(Pulled { id, dir, removed: &removed, report: report.clone() }, || {
		transfer_line("pulled", id, dir, &report)
	});
	Ok(Outcome::Done)
}
