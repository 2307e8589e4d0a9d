//! `zoo attest`, `zoo attestations`, `zoo attestation revoke`, `zoo evaluator`, `zoo policy`
//! and `zoo promote`: evaluations on chain and the promotion policies they gate.

use crate::args::{ModelName, RefName};
use crate::{
	cli::{AttestArgs, PolicySetArgs},
	prelude::{Ctx, Outcome, account_of},
};
use anyhow::{Context, Result, anyhow};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::{collections::BTreeMap, io::Read};
use zoo_client::{
	chain::{AttestationInfo, Chain, Direction, Policy, Submitted, Unmet},
	output::{json, safe_line},
};
use zoo_primitives::{Metric, MetricValue, VersionId};

/// `zoo attest --json`: the new attestation and where its transaction landed.
#[derive(Serialize)]
struct AttestAnswer<'a> {
	/// The version attested.
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	/// Its model.
	model: &'a str,
	/// The attestation's index.
	index: u32,
	/// The evaluator (SS58).
	evaluator: &'a str,
	/// The dataset (64 hex digits).
	dataset: String,
	/// The scores, name to exact decimal text.
	metrics: BTreeMap<String, String>,
	/// sha2-256 of the evidence (64 hex digits).
	evidence_hash: String,
	/// Where the evidence is.
	evidence_uri: &'a str,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// One attestation in `zoo attestations --json`: the record, and whether its evaluator is
/// trusted for the model now.
#[derive(Serialize)]
struct ListedAttestation<'a> {
	#[serde(flatten)]
	attestation: &'a AttestationInfo,
	/// Whether the evaluator is trusted for the version's model now.
	trusted: bool,
}

/// `zoo attestations --json`.
#[derive(Serialize)]
struct AttestationList<'a> {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	/// Its model.
	model: &'a str,
	/// Its attestations, by index.
	attestations: Vec<ListedAttestation<'a>>,
}

/// `zoo attestation revoke --json`.
#[derive(Serialize)]
struct Revoked<'a> {
	/// The version.
	#[serde(serialize_with = "json::cid")]
	version: VersionId,
	/// The attestation's index.
	index: u32,
	/// Why.
	reason: &'a str,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// `zoo evaluator add|remove --json`.
#[derive(Serialize)]
struct EvaluatorChanged<'a> {
	/// The model.
	model: &'a str,
	/// The evaluator (SS58).
	evaluator: String,
	/// Whether it is trusted for the model now.
	trusted: bool,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// `zoo policy set|show --json`.
#[derive(Serialize)]
struct PolicyAnswer<'a> {
	/// The model.
	model: &'a str,
	/// The ref.
	name: &'a str,
	/// The policy (`null`: the ref has none).
	policy: Option<&'a Policy>,
	/// Where the transaction landed (`policy set` only).
	#[serde(skip_serializing_if = "Option::is_none")]
	block: Option<&'a Submitted>,
}

/// `zoo policy remove --json`.
#[derive(Serialize)]
struct PolicyRemoved<'a> {
	/// The model.
	model: &'a str,
	/// The ref.
	name: &'a str,
	/// Where the transaction landed.
	block: &'a Submitted,
}

/// An unmet condition in `zoo promote --json`: the chain's condition and one line on it.
#[derive(Serialize)]
struct UnmetLine<'a> {
	#[serde(flatten)]
	unmet: &'a Unmet,
	/// What it means, with the values involved.
	explanation: String,
}

/// `zoo promote --json`. Refused (exit 1): `promoted` false, `unmet` lists every condition,
/// nothing was sent (`block`, `index` and `evidence` null). Promoted: `unmet` empty, the
/// move's index in the ref's history and the attestation indices it rested on (`evidence`
/// null when the ref has no policy).
#[derive(Serialize)]
struct PromoteAnswer<'a> {
	/// The model.
	model: &'a str,
	/// The ref.
	name: &'a str,
	/// Where the ref pointed before.
	#[serde(serialize_with = "json::cid")]
	from: VersionId,
	/// The version promoted.
	#[serde(serialize_with = "json::cid")]
	to: VersionId,
	/// Whether the ref moved.
	promoted: bool,
	/// The unmet conditions (empty when promoted).
	unmet: Vec<UnmetLine<'a>>,
	/// The move's index in the ref's history.
	index: Option<u32>,
	/// Indices of the attestations of `to` the move rested on.
	evidence: Option<&'a [u32]>,
	/// Where the transaction landed.
	block: Option<&'a Submitted>,
}

fn metrics_map(metrics: &[Metric]) -> BTreeMap<String, String> {
	metrics.iter().map(|m| (String::from_utf8_lossy(&m.name).into_owned(), m.value.to_string())).collect()
}

/// The sha2-256 of a file, streamed.
fn sha256_file(path: &std::path::Path) -> Result<[u8; 32]> {
	let mut file = std::fs::File::open(path).with_context(|| format!("--evidence-file {}", path.display()))?;
	let mut hasher = Sha256::new();
	let mut buffer = vec![0u8; 1 << 16];
	loop {
		let n = file.read(&mut buffer).with_context(|| format!("reading {}", path.display()))?;
		if n == 0 {
			return Ok(hasher.finalize().into());
		}
		hasher.update(&buffer[..n]);
	}
}

/// The model of version `id`, read from the chain.
async fn model_of_version(chain: &Chain, id: VersionId) -> Result<String> {
	Ok(chain.node(id).await?.ok_or_else(|| anyhow!("version {id} does not exist"))?.model)
}

pub(crate) async fn attest(ctx: &Ctx, args: AttestArgs) -> Result<Outcome> {
	let evidence_hash = match (&args.evidence_file, args.evidence_hash) {
		(Some(path), _) => sha256_file(path)?,
		(None, Some(hash)) => hash.0,
		(None, None) => return Err(anyhow!("pass --evidence-file or --evidence-hash")),
	};
	let mut metrics: Vec<Metric> = args.metrics.into_iter().map(Metric::from).collect();
	metrics.sort_by(|a, b| a.name.cmp(&b.name));
	if let Some(pair) = metrics.windows(2).find(|pair| pair[0].name == pair[1].name) {
		return Err(anyhow!("metric {} is given twice", String::from_utf8_lossy(&pair[0].name)));
	}
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let model = model_of_version(&chain, args.cid).await?;
	let attested =
		chain.attest(&signer, args.cid, args.dataset.0, &metrics, evidence_hash, args.evidence.as_str()).await?;
	let answer = AttestAnswer {
		version: args.cid,
		model: &model,
		index: attested.index,
		evaluator: &attested.evaluator,
		dataset: hex::encode(args.dataset.0),
		metrics: metrics_map(&metrics),
		evidence_hash: hex::encode(evidence_hash),
		evidence_uri: args.evidence.as_str(),
		block: &attested.block,
	};
	ctx.print(&answer, || {
		let scores: Vec<String> = answer.metrics.iter().map(|(k, v)| format!("{}={v}", safe_line(k))).collect();
		format!(
			"attestation {} of {} ({model}): {} on dataset {} (block {})",
			attested.index,
			args.cid,
			scores.join(" "),
			answer.dataset,
			attested.block.block_number
		)
	});
	Ok(Outcome::Done)
}

pub(crate) async fn list(ctx: &Ctx, id: VersionId) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let model = model_of_version(&chain, id).await?;
	let attestations = chain.attestations(id).await?;
	let mut trust: BTreeMap<&str, bool> = BTreeMap::new();
	for attestation in &attestations {
		if !trust.contains_key(attestation.evaluator.as_str()) {
			let who = account_of(&attestation.evaluator)?;
			trust.insert(attestation.evaluator.as_str(), chain.is_trusted(&model, &who).await?);
		}
	}
	let listed: Vec<ListedAttestation> = attestations
		.iter()
		.map(|attestation| ListedAttestation { attestation, trusted: trust[attestation.evaluator.as_str()] })
		.collect();
	ctx.print(AttestationList { version: id, model: &model, attestations: listed }, || {
		if attestations.is_empty() {
			return format!("{id} ({model}) has no attestations");
		}
		let mut out = format!("{id} ({model}):\n");
		for a in &attestations {
			let scores: Vec<String> =
				metrics_map(&a.metrics).iter().map(|(k, v)| format!("{}={v}", safe_line(k))).collect();
			let trusted = if trust[a.evaluator.as_str()] { "trusted" } else { "NOT TRUSTED" };
			out.push_str(&format!(
				"#{:<3} {}  dataset {}  by {} ({trusted}), block {}\n      evidence {} sha2-256 {}\n",
				a.index,
				scores.join(" "),
				hex::encode(a.dataset),
				a.evaluator,
				a.attested_in,
				safe_line(&a.evidence_uri),
				hex::encode(a.evidence_hash)
			));
			if let Some(revoked) = &a.revoked {
				out.push_str(&format!(
					"      REVOKED in block {}: {}\n",
					revoked.revoked_in,
					safe_line(&revoked.reason)
				));
			}
		}
		out
	});
	Ok(Outcome::Done)
}

pub(crate) async fn revoke(ctx: &Ctx, id: VersionId, index: u32, reason: &str) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	chain.attestation(id, index).await?.ok_or_else(|| anyhow!("version {id} has no attestation {index}"))?;
	let submitted = chain.revoke_attestation(&signer, id, index, reason).await?;
	ctx.print(Revoked { version: id, index, reason, block: &submitted }, || {
		format!("revoked attestation {index} of {id} (block {})", submitted.block_number)
	});
	Ok(Outcome::Done)
}

pub(crate) async fn evaluator(ctx: &Ctx, model: &ModelName, account: &str, add: bool) -> Result<Outcome> {
	let who = account_of(account)?;
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let submitted = if add {
		chain.add_evaluator(&signer, model, who).await?
	} else {
		chain.remove_evaluator(&signer, model, who).await?
	};
	let trusted = chain.is_trusted(model, &who).await?;
	let evaluator = who.to_string();
	let answer = EvaluatorChanged { model, evaluator: evaluator.clone(), trusted, block: &submitted };
	ctx.print(answer, || {
		let what = if add { "now trusts" } else { "no longer names" };
		let still = if !add && trusted { " (still trusted globally)" } else { "" };
		format!("{model} {what} evaluator {evaluator}{still} (block {})", submitted.block_number)
	});
	Ok(Outcome::Done)
}

/// A policy for people, one condition per line.
fn policy_lines(policy: &Policy) -> String {
	let mut out = String::new();
	if policy.min_evaluators > 0 {
		out.push_str(&format!("  attestations from at least {} distinct trusted evaluators\n", policy.min_evaluators));
	}
	for (index, threshold) in policy.thresholds.iter().enumerate() {
		out.push_str(&format!("  [{index}] {} (worst trusted value)\n", safe_line(&threshold.to_string())));
	}
	if let Some(measure) = &policy.must_beat {
		out.push_str(&format!(
			"  beats the current target: {} {} current, on dataset {}\n",
			safe_line(&measure.metric),
			measure.direction.beats(),
			hex::encode(measure.dataset)
		));
	}
	out
}

pub(crate) async fn policy_set(ctx: &Ctx, args: &PolicySetArgs) -> Result<Outcome> {
	let policy = Policy {
		min_evaluators: args.min_evaluators,
		thresholds: args.requires.iter().map(|r| r.0.clone()).collect(),
		must_beat: args.must_beat.as_ref().map(|m| m.0.clone()),
	};
	if policy.min_evaluators == 0 && policy.thresholds.is_empty() && policy.must_beat.is_none() {
		return Err(anyhow!("the policy asks for nothing: pass --min-evaluators, --require or --must-beat"));
	}
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	if chain.ref_target(&args.model, &args.name).await?.is_none() {
		return Err(anyhow!("{} has no ref {}", args.model, args.name));
	}
	let submitted = chain.set_policy(&signer, &args.model, &args.name, &policy).await?;
	let answer = PolicyAnswer { model: &args.model, name: &args.name, policy: Some(&policy), block: Some(&submitted) };
	ctx.print(answer, || {
		format!(
			"set the promotion policy of {} of {} (block {}):\n{}",
			args.name,
			args.model,
			submitted.block_number,
			policy_lines(&policy)
		)
	});
	Ok(Outcome::Done)
}

pub(crate) async fn policy_show(ctx: &Ctx, model: &ModelName, name: &RefName) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	if chain.ref_target(model, name).await?.is_none() {
		return Err(anyhow!("{model} has no ref {name}"));
	}
	let policy = chain.policy(model, name).await?;
	ctx.print(PolicyAnswer { model, name, policy: policy.as_ref(), block: None }, || match &policy {
		None => format!("{name} of {model} has no promotion policy: any unforced move its rules allow goes"),
		Some(policy) => format!("promotion policy of {name} of {model}:\n{}", policy_lines(policy)),
	});
	Ok(Outcome::Done)
}

pub(crate) async fn policy_remove(ctx: &Ctx, model: &ModelName, name: &RefName) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	if chain.policy(model, name).await?.is_none() {
		return Err(anyhow!("{name} of {model} has no promotion policy"));
	}
	let submitted = chain.remove_policy(&signer, model, name).await?;
	ctx.print(PolicyRemoved { model, name, block: &submitted }, || {
		format!("removed the promotion policy of {name} of {model} (block {})", submitted.block_number)
	});
	Ok(Outcome::Done)
}

/// The worst value the trusted, unrevoked attestations give for threshold `measure`.
fn worst(
	attestations: &[AttestationInfo],
	trusted: &BTreeMap<String, bool>,
	measure: &zoo_client::chain::Measure,
) -> Option<MetricValue> {
	attestations
		.iter()
		.filter(|a| a.revoked.is_none() && trusted.get(&a.evaluator).copied().unwrap_or(false))
		.filter_map(|a| a.value_for(measure))
		.reduce(|a, b| measure.direction.worse(a, b))
}

/// A version's attestations, and which evaluators are trusted for `model`.
async fn trusted_attestations(
	chain: &Chain,
	model: &str,
	version: VersionId,
) -> Result<(Vec<AttestationInfo>, BTreeMap<String, bool>)> {
	let attestations = chain.attestations(version).await?;
	let mut trusted = BTreeMap::new();
	for a in &attestations {
		if !trusted.contains_key(&a.evaluator) {
			trusted.insert(a.evaluator.clone(), chain.is_trusted(model, &account_of(&a.evaluator)?).await?);
		}
	}
	Ok((attestations, trusted))
}

/// One line on an unmet condition, with the values involved.
async fn explain(
	chain: &Chain,
	model: &str,
	policy: Option<&Policy>,
	from: VersionId,
	to: VersionId,
	unmet: &Unmet,
) -> Result<String> {
	let threshold = |index: u32| policy.and_then(|p| p.thresholds.get(index as usize));
	Ok(match unmet {
		Unmet::TooFewEvaluators { have, need } => {
			format!("needs attestations from {need} distinct trusted evaluators; {to} has {have}")
		}
		Unmet::MissingMeasure { threshold: index } => match threshold(*index) {
			Some(t) => format!(
				"requirement [{index}] {}: no trusted attestation of {to} gives {}",
				safe_line(&t.to_string()),
				safe_line(&t.measure.to_string())
			),
			None => format!("requirement [{index}]: no trusted attestation of {to} gives its measure"),
		},
		Unmet::BelowThreshold { threshold: index } => match threshold(*index) {
			Some(t) => {
				let (attestations, trusted) = trusted_attestations(chain, model, to).await?;
				let value = worst(&attestations, &trusted, &t.measure).map_or("none".to_owned(), |v| v.to_string());
				format!(
					"requirement [{index}] {}: the worst trusted value for {to} is {value}",
					safe_line(&t.to_string())
				)
			}
			None => format!("requirement [{index}] is not met"),
		},
		Unmet::UnderDispute => {
			format!("a dispute against {to} is open: it is not promoted until the council's verdict")
		}
		Unmet::DoesNotBeatCurrent => match policy.and_then(|p| p.must_beat.as_ref()) {
			Some(measure) => {
				let (new, new_trust) = trusted_attestations(chain, model, to).await?;
				let (current, current_trust) = trusted_attestations(chain, model, from).await?;
				let show = |v: Option<MetricValue>| v.map_or("none".to_owned(), |v| v.to_string());
				let better = match measure.direction {
					Direction::HigherIsBetter => "higher",
					Direction::LowerIsBetter => "lower",
				};
				format!(
					"must beat the current target on {}: {to} scores {}, the current {from} {} ({better} is better)",
					safe_line(&measure.to_string()),
					show(worst(&new, &new_trust, measure)),
					show(worst(&current, &current_trust, measure))
				)
			}
			None => format!("{to} does not beat the current target {from}"),
		},
	})
}

pub(crate) async fn promote(
	ctx: &Ctx,
	id: VersionId,
	name: &RefName,
	explicit_model: Option<&ModelName>,
	walk_limit: u32,
) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let model = model_of_version(&chain, id).await?;
	if let Some(explicit) = explicit_model
		&& explicit.as_str() != model
	{
		return Err(anyhow!(
			"the version belongs to {model}, not {explicit}: refs point at versions of their own model"
		));
	}
	let current = chain
		.ref_target(&model, name)
		.await?
		.ok_or_else(|| anyhow!("{model} has no ref {name}; create it with `zoo branch create {name} {id}`"))?;
	if current.target == id {
		return Err(anyhow!("{name} of {model} already points at {id}"));
	}
	let unmet = chain.check_promotion(&model, name, id).await?;
	if !unmet.is_empty() {
		let policy = chain.policy(&model, name).await?;
		let mut lines = Vec::with_capacity(unmet.len());
		for condition in &unmet {
			let explanation = explain(&chain, &model, policy.as_ref(), current.target, id, condition).await?;
			lines.push(UnmetLine { unmet: condition, explanation });
		}
		let text: String = lines
			.iter()
			.map(|line| format!("unmet     {}: {}\n", line.unmet.name(), line.explanation))
			.chain(std::iter::once(format!(
				"not promoted: {name} of {model} stays at {}; nothing was sent\n",
				current.target
			)))
			.collect();
		let answer = PromoteAnswer {
			model: &model,
			name,
			from: current.target,
			to: id,
			promoted: false,
			unmet: lines,
			index: None,
			evidence: None,
			block: None,
		};
		ctx.print(answer, || text);
		return Ok(Outcome::Refused);
	}
	let promotion = chain.promote(&signer, &model, name, id, walk_limit).await?;
	let answer = PromoteAnswer {
		model: &model,
		name,
		from: current.target,
		to: id,
		promoted: true,
		unmet: Vec::new(),
		index: promotion.index,
		evidence: promotion.evidence.as_deref(),
		block: Some(&promotion.block),
	};
	ctx.print(answer, || {
		let evidence = match &promotion.evidence {
			Some(indices) => format!(
				"\nevidence: attestations {} of {id}",
				indices.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")
			),
			None => "\n(the ref has no promotion policy: no evidence kept)".to_owned(),
		};
		format!(
			"promoted {name} of {model}: {} -> {id} (block {}){evidence}",
			current.target, promotion.block.block_number
		)
	});
	Ok(Outcome::Done)
}
