//! Reading the record: `zoo log` (optionally as a graph), `zoo show`, `zoo diff`.

use crate::prelude::{Ctx, Outcome, fetch_version};
use anyhow::{Result, anyhow};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use zoo_client::{
	args::ModelName,
	chain::{Chain, RefInfo, VersionRecord},
	graph::{DagNode, order, render},
	output::{manifest_text, safe_line},
};
use zoo_primitives::{EdgeKind, VersionId};

/// The first line of the message, as the chain has it (for JSON).
fn first_line(record: &VersionRecord) -> String {
	String::from_utf8_lossy(&record.manifest.message).lines().next().unwrap_or("").to_owned()
}

/// The first line of the message, safe for a terminal.
fn first_line_text(record: &VersionRecord) -> String {
	safe_line(&first_line(record)).into_owned()
}

/// Names of the refs pointing at each version.
fn refs_by_target(refs: &[RefInfo]) -> BTreeMap<VersionId, Vec<String>> {
	let mut by_target: BTreeMap<VersionId, Vec<String>> = BTreeMap::new();
	for info in refs {
		by_target.entry(info.target).or_default().push(info.name.clone());
	}
	by_target
}

pub(crate) async fn log(ctx: &Ctx, model: &ModelName, start: u32, limit: u32, graph: bool) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	chain.model(model).await?.ok_or_else(|| anyhow!("model {model} does not exist"))?;
	let ids = chain.versions(model, start, limit).await?;
	let mut records = Vec::with_capacity(ids.len());
	for id in &ids {
		records.push(fetch_version(&chain, *id).await?);
	}
	if graph {
		return log_graph(ctx, &chain, model, records).await;
	}
	ctx.print(json!({"model": model, "versions": records}), || {
		if records.is_empty() {
			return format!("model {model} has no versions yet");
		}
		records
			.iter()
			.map(|r| {
				let yanked = r.yanked.as_ref().map(|why| format!("  [yanked: {}]", safe_line(why))).unwrap_or_default();
				format!("{}  block {:<8} {}  {}{yanked}\n", r.id, r.block, r.committer, first_line_text(r))
			})
			.collect()
	});
	Ok(Outcome::Done)
}

/// `zoo log --graph`: the listed versions drawn as a DAG. Parents outside the listing (other
/// models, or older than the page) are named on the version's line.
async fn log_graph(ctx: &Ctx, chain: &Chain, model: &str, records: Vec<VersionRecord>) -> Result<Outcome> {
	let ids: Vec<VersionId> = records.iter().map(|record| record.id).collect();
	let nodes = chain.nodes(&ids).await?;
	let refs = refs_by_target(&chain.refs(model).await?);
	let listed: BTreeSet<VersionId> = ids.iter().copied().collect();
	let outside: Vec<VersionId> = records
		.iter()
		.flat_map(|record| record.manifest.parents.iter().map(|parent| parent.id))
		.filter(|id| !listed.contains(id))
		.collect::<BTreeSet<_>>()
		.into_iter()
		.collect();
	let outside_models: BTreeMap<VersionId, String> =
		chain.nodes(&outside).await?.into_iter().flatten().map(|node| (node.id, node.model)).collect();

	let count = records.len() as u32;
	let dag: Vec<DagNode> = records
		.iter()
		.zip(&nodes)
		.enumerate()
		.map(|(position, (record, node))| DagNode {
			id: record.id,
			parents: record.manifest.parents.iter().map(|parent| parent.id).collect(),
			generation: node.as_ref().map_or(0, |node| node.generation),
			// Listed newest first: the first is the latest commit.
			index: count - position as u32,
		})
		.collect();
	let by_id: BTreeMap<VersionId, &VersionRecord> = records.iter().map(|record| (record.id, record)).collect();
	let ordered = order(dag);
	let rows: Vec<_> = ordered
		.iter()
		.map(|dag_node| {
			let record = by_id[&dag_node.id];
			let mut text = record.id.to_cid_string();
			if let Some(names) = refs.get(&record.id) {
				text.push_str(&format!(" ({})", safe_line(&names.join(", "))));
			}
			// Drawn edges are revisions unless marked; each other kind is named once.
			let mut drawn_kinds = BTreeSet::new();
			for parent in &record.manifest.parents {
				match (listed.contains(&parent.id), parent.edge) {
					(true, EdgeKind::Revision) => {}
					(true, edge) => {
						if drawn_kinds.insert(edge) {
							text.push_str(&format!(" [{}]", edge.as_str()));
						}
					}
					(false, edge) => {
						let from = outside_models.get(&parent.id).map(String::as_str).unwrap_or("?");
						text.push_str(&format!(" [{} of {}@{}]", edge.as_str(), safe_line(from), parent.id));
					}
				}
			}
			if record.yanked.is_some() {
				text.push_str(" [yanked]");
			}
			text.push_str(&format!(" {}", first_line_text(record)));
			dag_node.row(text)
		})
		.collect();
	let json_nodes: Vec<Value> = ordered
		.iter()
		.map(|dag_node| {
			let record = by_id[&dag_node.id];
			json!({"id": record.id.to_cid_string(), "generation": dag_node.generation, "committed_in": record.block,
				"committer": record.committer, "message": first_line(record), "yanked": record.yanked,
				"refs": refs.get(&record.id).cloned().unwrap_or_default()})
		})
		.collect();
	let edges: Vec<Value> = records
		.iter()
		.flat_map(|record| {
			record.manifest.parents.iter().map(|parent| {
				json!({"child": record.id.to_cid_string(), "parent": parent.id.to_cid_string(),
					"kind": parent.edge.as_str(), "parent_model": outside_models.get(&parent.id).cloned()
						.unwrap_or_else(|| model.to_owned()), "listed": listed.contains(&parent.id)})
			})
		})
		.collect();
	ctx.print(json!({"model": model, "nodes": json_nodes, "edges": edges}), || {
		if rows.is_empty() {
			return format!("model {model} has no versions yet");
		}
		render(&rows).join("\n")
	});
	Ok(Outcome::Done)
}

pub(crate) async fn show(ctx: &Ctx, id: VersionId) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let record = fetch_version(&chain, id).await?;
	let model = String::from_utf8_lossy(&record.manifest.model).into_owned();
	let node = chain.node(id).await?;
	let parent_ids: Vec<VersionId> = record.manifest.parents.iter().map(|parent| parent.id).collect();
	let parent_models: Vec<String> = chain
		.nodes(&parent_ids)
		.await?
		.into_iter()
		.map(|node| node.map(|node| node.model).unwrap_or_else(|| "?".to_owned()))
		.collect();
	let children = chain.children(id).await?;
	let refs: Vec<String> =
		chain.refs(&model).await?.into_iter().filter(|info| info.target == id).map(|info| info.name).collect();

	let mut value = serde_json::to_value(&record)?;
	value["generation"] = json!(node.as_ref().map(|node| node.generation));
	value["parents"] = json!(
		record
			.manifest
			.parents
			.iter()
			.zip(&parent_models)
			.map(
				|(parent, model)| json!({"id": parent.id.to_cid_string(), "edge": parent.edge.as_str(), "model": model})
			)
			.collect::<Vec<_>>()
	);
	value["children"] = json!(
		children
			.iter()
			.map(|(child, edge)| json!({"id": child.to_cid_string(), "edge": edge.as_str()}))
			.collect::<Vec<_>>()
	);
	value["refs"] = json!(refs);
	ctx.print(value, || {
		let mut out = String::new();
		if let Some(why) = &record.yanked {
			out.push_str(&format!("yanked    {}\n", safe_line(why)));
		}
		out.push_str(&format!(
			"committer {}\nblock     {}\ndeposit   {}\n",
			record.committer, record.block, record.deposit
		));
		if let Some(node) = &node {
			out.push_str(&format!("generation {}\n", node.generation));
		}
		if !refs.is_empty() {
			out.push_str(&format!("refs      {}\n", safe_line(&refs.join(", "))));
		}
		for (parent, model) in record.manifest.parents.iter().zip(&parent_models) {
			out.push_str(&format!("parent    {} ({}, {})\n", parent.id, parent.edge.as_str(), safe_line(model)));
		}
		for (child, edge) in &children {
			out.push_str(&format!("child     {child} ({})\n", edge.as_str()));
		}
		out.push_str(&manifest_text(record.id, &record.manifest));
		out
	});
	Ok(Outcome::Done)
}

pub(crate) async fn diff(ctx: &Ctx, old_id: VersionId, new_id: VersionId) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let (old_record, new_record) = (fetch_version(&chain, old_id).await?, fetch_version(&chain, new_id).await?);
	let changes = zoo_client::diff::diff(&old_record.manifest, &new_record.manifest);
	ctx.print(json!({"old": old_id.to_cid_string(), "new": new_id.to_cid_string(), "diff": changes}), || {
		if changes.is_empty() {
			return format!("{old_id} and {new_id} have the same manifest");
		}
		format!("--- {old_id}\n+++ {new_id}\n{changes}")
	});
	Ok(Outcome::Done)
}
