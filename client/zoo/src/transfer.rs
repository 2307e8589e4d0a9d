//! What the verbs that move artifacts share (`checkout`, `pull`, `push`, `commit --push`): the
//! stores a transfer uses, the key that opens a sealed version, pushing many files at once,
//! and the one-line summary of a transfer.

use crate::{cli::TransferArgs, prelude::Ctx};
use anyhow::{Context as _, Result, anyhow};
use std::{collections::BTreeMap, path::Path};
use zoo_client::{
	chain::Chain,
	checkout::CheckoutReport,
	hashing::FileDigest,
	key_release,
	progress::Reporter,
	scan::ScannedFile,
	seal::Unsealing,
	storage::{
		Remote,
		push::{PushItem, PushReport, push_artifact},
		transport::{Stores, TransferSettings},
	},
};
use zoo_primitives::{HashingSettings, Manifest, VersionId};

/// What opens `manifest` (version `id`) if it is sealed: --key's identity with its own owner
/// headers, or the headers released to its account. `None` for a version that is not sealed.
pub(crate) async fn unsealing(
	ctx: &Ctx,
	chain: &Chain,
	id: VersionId,
	manifest: &Manifest,
) -> Result<Option<Unsealing>> {
	if manifest.license.sealed_files().is_empty() {
		return Ok(None);
	}
	let (signer, identity) = ctx.signer_with_identity().map_err(|e| anyhow!("version {id} is sealed: {e}"))?;
	let account = signer.public_key().to_account_id();
	Ok(Some(key_release::unsealing_for(chain, id, manifest, &account, identity).await?))
}

/// Stores for `remotes` plus the `--mirror` URLs, with the transfer options.
pub(crate) fn stores(ctx: &Ctx, mut remotes: Vec<Remote>, transfer: &TransferArgs) -> Result<Stores> {
	for (index, url) in transfer.mirrors.iter().enumerate() {
		let mirror =
			Remote::from_url(&format!("mirror-{}", index + 1), url).with_context(|| format!("--mirror {url}"))?;
		remotes.push(mirror);
	}
	let settings = TransferSettings {
		timeout: ctx.connect.timeout,
		jobs: usize::from(transfer.jobs),
		..TransferSettings::default()
	};
	Ok(Stores::new(remotes, settings))
}

/// Push `items` to `remote`, several at a time, with progress bars; a report per item, in the
/// order given. Files with the same content go up once (the others report `uploaded: false`).
pub(crate) async fn push_items(
	stores: &Stores,
	remote: &Remote,
	items: Vec<PushItem>,
	reporter: &dyn Reporter,
) -> Result<Vec<PushReport>> {
	use futures::StreamExt;
	let mut first_of: BTreeMap<(String, [u8; 32]), usize> = BTreeMap::new();
	let mut unique = Vec::new();
	for (index, item) in items.iter().enumerate() {
		let key = (item.digest.algorithm.as_str().to_owned(), item.digest.bytes);
		first_of.entry(key).or_insert_with(|| {
			unique.push(index);
			index
		});
	}
	let total = unique.iter().map(|&index| items[index].size).sum();
	reporter.begin("pushing", total);
	let tasks = unique.iter().map(|&index| {
		let (stores, remote, item) = (stores.clone(), remote.clone(), items[index].clone());
		let bar = reporter.file(&item.path, item.size);
		tokio::spawn(async move { push_artifact(&stores, &remote, &item, &bar).await.map_err(|e| (item.path, e)) })
	});
	let results: Vec<_> = futures::stream::iter(tasks).buffered(stores.settings().jobs.max(1)).collect().await;
	reporter.end();
	let mut pushed = BTreeMap::new();
	let mut failures = Vec::new();
	for (&index, result) in unique.iter().zip(results) {
		match result.context("push task failed")? {
			Ok(report) => drop(pushed.insert(index, report)),
			Err((path, e)) => failures.push(format!("{path}: {e}")),
		}
	}
	if !failures.is_empty() {
		return Err(anyhow!("could not push {} file(s) to {}: {}", failures.len(), remote.name, failures.join("; ")));
	}
	let reports = items
		.iter()
		.enumerate()
		.map(|(index, item)| {
			let first = first_of[&(item.digest.algorithm.as_str().to_owned(), item.digest.bytes)];
			let report = &pushed[&first];
			PushReport { path: item.path.clone(), uploaded: report.uploaded && first == index, ..report.clone() }
		})
		.collect();
	Ok(reports)
}

/// What to push for files just hashed in `dir`.
pub(crate) fn items_of(files: &[ScannedFile], digests: &[FileDigest], hashing: &HashingSettings) -> Vec<PushItem> {
	files
		.iter()
		.zip(digests)
		.map(|(file, digest)| PushItem {
			path: file.path.clone(),
			local: file.full_path.clone(),
			size: digest.size,
			digest: digest.digest.clone(),
			hashing: hashing.clone(),
			cid: digest.unixfs,
		})
		.collect()
}

/// The one-line summary of a checkout or pull.
pub(crate) fn transfer_line(verb: &str, id: VersionId, dir: &Path, report: &CheckoutReport) -> String {
	let mut line =
		format!("{verb} {id} into {}: {} files, {} bytes, all verified", dir.display(), report.files, report.bytes);
	if report.resumed > 0 {
		line.push_str(&format!("; resumed ({} bytes were already here)", report.resumed));
	}
	if report.from_mirrors > 0 {
		line.push_str(&format!("; {} from mirrors", report.from_mirrors));
	}
	line
}
