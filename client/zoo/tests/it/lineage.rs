//! End to end, lineage: a branch-and-merge story across two models, through the real
//! `zoo-node --dev --instant-seal` and the real `zoo` binary.
//!
//! `acme/base` gets v1 and v2 on a protected `main`, an experiment `x1` forked from v1 on
//! `exp`, and a merge of v2 and x1 that moves `main` forward. A protected ref refuses to go
//! back, a releaser cannot force it, an admin can (recorded as forced). `acme/chat` fine-tunes
//! the merge (a derivation across models); a revision across models and a one-parent merge are
//! refused before anything is hashed. Then `log --graph`, `show`, `diff`, `branch history`
//! (also "where was main at block N"), `model show` (heads, refs, derivations) and `yank`.

use crate::common::{Zoo, harness::Node};
use serde_json::Value;
use std::{fs, path::Path};

const BASE: &str = "acme/base";
const CHAT: &str = "acme/chat";

fn write(dir: &Path, files: &[(&str, &str)]) {
	fs::create_dir_all(dir).unwrap();
	for (path, text) in files {
		fs::write(dir.join(path), text).unwrap();
	}
}

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

/// The `id` of a commit's JSON output.
fn id(value: &Value) -> String {
	value["id"].as_str().expect("an id").to_owned()
}

fn strings(value: &Value) -> Vec<String> {
	value.as_array().expect("an array").iter().map(|v| v.as_str().expect("a string").to_owned()).collect()
}

#[test]
fn branch_and_merge_across_two_models() {
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let work = tempfile::tempdir().unwrap();
	let (base_dir, exp_dir, merged_dir, chat_dir) =
		(work.path().join("base"), work.path().join("exp"), work.path().join("merged"), work.path().join("chat"));
	let alice = |args: &[&str]| {
		let mut all = vec!["--key", "//Alice"];
		all.extend_from_slice(args);
		zoo.json(&all)
	};
	let run_as = |key: &str, args: &[&str]| {
		let mut all = vec!["--key", key];
		all.extend_from_slice(args);
		zoo.run(&all)
	};

	for model in [BASE, CHAT] {
		alice(&["model", "create", model]);
	}
	alice(&["model", "role", BASE, "//Bob", "releaser"]);

	// main: v1 -> v2, protected.
	write(&base_dir, &[("weights.bin", "base weights v1"), ("config.json", "{\"layers\": 2}")]);
	run_as("//Alice", &["init", BASE, s(&base_dir)]).assert_ok();
	let v1 = id(&alice(&["commit", s(&base_dir), "-m", "v1", "--metric", "accuracy=0.91", "--branch", "main"]));
	alice(&["branch", "protect", "main", "--model", BASE]);
	write(&base_dir, &[("weights.bin", "base weights v2"), ("tokenizer.json", "{}")]);
	let v2_commit = alice(&[
		"commit",
		s(&base_dir),
		"-m",
		"v2",
		"--metric",
		"accuracy=0.93",
		"--license",
		"Apache-2.0",
		"--branch",
		"main",
	]);
	let v2 = id(&v2_commit);
	let v2_block = v2_commit["block"]["block_number"].as_u64().unwrap();

	// exp: x1 forked from v1.
	write(&exp_dir, &[("weights.bin", "experimental weights"), ("config.json", "{\"layers\": 3}")]);
	let x1 = id(&alice(&[
		"commit",
		s(&exp_dir),
		"--model",
		BASE,
		"--parent",
		&v1,
		"-m",
		"try three layers",
		"--branch",
		"exp",
	]));

	// The merge names where the histories meet, and moves main forward.
	write(&merged_dir, &[("weights.bin", "merged weights"), ("config.json", "{\"layers\": 3}")]);
	let merge_run = run_as(
		"//Alice",
		&[
			"merge",
			&v2,
			&x1,
			"--dir",
			s(&merged_dir),
			"--model",
			BASE,
			"-m",
			"merge the experiment",
			"--branch",
			"main",
		],
	);
	merge_run.assert_ok();
	assert!(merge_run.stderr.contains(&format!("merge base: {v1}")), "{}", merge_run.describe());
	assert!(merge_run.stdout.contains("moved ref main"), "{}", merge_run.describe());
	let merged = alice(&["show", &v2]);
	let m = merged["children"][0]["id"].as_str().unwrap().to_owned();
	assert_eq!(merged["children"][0]["edge"], "merge");

	// A protected ref does not go back; a releaser cannot force it; an admin can.
	run_as("//Alice", &["branch", "move", "main", &v1]).assert_one_line_error(&["Lineage::NotFastForward", "admin"]);
	run_as("//Bob", &["branch", "move", "main", &v1, "--force"]).assert_one_line_error(&["Lineage::NotAdmin"]);
	run_as("//Charlie", &["branch", "move", "main", &m]).assert_one_line_error(&["Lineage::NotAllowed"]);
	alice(&["branch", "move", "main", &v1, "--force"]);
	// Bob, a releaser, moves it forward again.
	run_as("//Bob", &["branch", "move", "main", &m]).assert_ok();
	// Bob does not commit.
	run_as("//Bob", &["--json", "commit", s(&base_dir), "-m", "by a releaser"])
		.assert_one_line_error(&["ModelRegistry::NotCommitter"]);

	// A derivation across models; a revision across models and a lone merge are refused early.
	write(&chat_dir, &[("adapter.bin", "chat adapter")]);
	run_as("//Alice", &["commit", s(&chat_dir), "--model", CHAT, "--parent", &m, "-m", "wrong kind"])
		.assert_one_line_error(&["a revision stays within its model"]);
	run_as("//Alice", &["commit", s(&chat_dir), "--model", CHAT, "--parent", &format!("{m}:merge"), "-m", "lonely"])
		.assert_one_line_error(&["two or more parents"]);
	run_as("//Alice", &["merge", &m, "--dir", s(&chat_dir), "-m", "lonely"]).assert_one_line_error(&["CID"]);
	let chat =
		id(&alice(&["commit", s(&chat_dir), "--model", CHAT, "--parent", &format!("{m}:finetune"), "-m", "chat tune"]));

	// show: parents with kinds and models, children, refs.
	let shown = alice(&["show", &m]);
	let parents: Vec<(String, String, String)> = shown["parents"]
		.as_array()
		.unwrap()
		.iter()
		.map(|p| {
			(p["id"].as_str().unwrap().into(), p["edge"].as_str().unwrap().into(), p["model"].as_str().unwrap().into())
		})
		.collect();
	assert_eq!(parents, vec![(v2.clone(), "merge".into(), BASE.into()), (x1.clone(), "merge".into(), BASE.into())]);
	assert_eq!(shown["children"][0]["id"], chat.as_str());
	assert_eq!(shown["children"][0]["edge"], "finetune");
	assert_eq!(strings(&shown["refs"]), vec!["main"]);
	assert_eq!(shown["generation"], 2);

	// log --graph: the fork and the merge drawn, refs and edge kinds named.
	let graph = run_as("//Alice", &["log", BASE, "--graph"]);
	graph.assert_ok();
	let lines: Vec<&str> = graph.stdout.lines().collect();
	eprintln!("[lineage] zoo log {BASE} --graph:\n{}", graph.stdout);
	assert_eq!(lines.iter().filter(|line| line.contains('*')).count(), 4, "{}", graph.describe());
	assert!(lines[0].starts_with('*') && lines[0].contains(&m) && lines[0].contains("(main)"), "{}", graph.stdout);
	assert!(lines[0].contains("[merge]"), "{}", graph.stdout);
	assert!(lines.iter().any(|line| line.trim_end() == "|\\"), "{}", graph.stdout);
	assert!(lines.iter().any(|line| line.trim_end() == "|/"), "{}", graph.stdout);
	assert!(lines.last().unwrap().contains(&v1), "{}", graph.stdout);
	assert!(lines.iter().any(|line| line.contains(&x1) && line.contains("(exp)")), "{}", graph.stdout);
	let graph_json = alice(&["log", BASE, "--graph"]);
	assert_eq!(graph_json["nodes"].as_array().unwrap().len(), 4);
	let merge_edges = graph_json["edges"].as_array().unwrap().iter().filter(|e| e["kind"] == "merge").count();
	assert_eq!(merge_edges, 2);
	let chat_graph = run_as("//Alice", &["log", CHAT, "--graph"]);
	assert!(chat_graph.assert_ok().stdout.contains(&format!("[finetune of {BASE}@{m}]")), "{}", chat_graph.stdout);

	// diff: artifacts, metric delta, license.
	let diff = alice(&["diff", &v1, &v2]);
	assert_eq!(diff["diff"]["artifacts"]["added"][0]["path"], "tokenizer.json");
	assert_eq!(diff["diff"]["artifacts"]["changed"][0]["path"], "weights.bin");
	assert_eq!(diff["diff"]["metrics"]["changed"][0]["delta"], "+0.02");
	assert_eq!(diff["diff"]["license"]["new"], "Apache-2.0");
	let diff_text = run_as("//Alice", &["diff", &v1, &v2]);
	assert!(diff_text.assert_ok().stdout.contains("+ tokenizer.json"), "{}", diff_text.stdout);

	// History, newest first, with the forced move; and where main was at v2's block.
	let history = alice(&["branch", "history", "main", "--model", BASE])["history"].clone();
	let moves: Vec<(Option<String>, String, bool)> = history
		.as_array()
		.unwrap()
		.iter()
		.map(|e| {
			(
				e["from"].as_str().map(str::to_owned),
				e["to"].as_str().unwrap().to_owned(),
				e["forced"].as_bool().unwrap(),
			)
		})
		.collect();
	assert_eq!(
		moves,
		vec![
			(Some(v1.clone()), m.clone(), false),
			(Some(m.clone()), v1.clone(), true),
			(Some(v2.clone()), m.clone(), false),
			(Some(v1.clone()), v2.clone(), false),
			(None, v1.clone(), false),
		]
	);
	// main moved to v2 in the block after v2's commit: before it, main was at v1.
	let moved_to_v2 = history[3]["moved_in"].as_u64().unwrap();
	assert!(moved_to_v2 > v2_block);
	let main_at = |block: u64| {
		alice(&["branch", "history", "main", "--model", BASE, "--at", &block.to_string()])["target"].clone()
	};
	assert_eq!(main_at(moved_to_v2), v2.as_str());
	assert_eq!(main_at(moved_to_v2 - 1), v1.as_str());
	assert_eq!(main_at(0), Value::Null);
	let listed = alice(&["branch", "--model", BASE]);
	let names: Vec<&str> = listed["refs"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
	assert_eq!(names, ["exp", "main"]);

	// The model: heads, refs, and who derives from it.
	let model = alice(&["model", "show", BASE]);
	assert_eq!(strings(&model["heads"]), vec![m.clone()]);
	assert_eq!(model["derivations"][0]["derived"], CHAT);
	assert_eq!(strings(&alice(&["model", "show", CHAT])["derived_from"]), vec![BASE]);

	// Yank the experiment: marked in the graph, and only admins may point refs at it.
	alice(&["yank", &x1, "--reason", "diverges after 2k steps"]);
	let yanked_graph = run_as("//Alice", &["log", BASE, "--graph"]);
	assert!(
		yanked_graph.assert_ok().stdout.lines().any(|line| line.contains(&x1) && line.contains("[yanked]")),
		"{}",
		yanked_graph.stdout
	);
	// Only an admin may point a ref at a yanked version.
	run_as("//Bob", &["branch", "create", "broken", &x1, "--model", BASE])
		.assert_one_line_error(&["Lineage::TargetYanked"]);
	run_as("//Alice", &["branch", "create", "Bad Name", &v1]).assert_one_line_error(&["invalid ref name"]);
}

/// The client reads over HTTP when the node's HTTP endpoint works, and over the WebSocket when
/// it does not (or is not wanted): the answers are the same.
#[test]
fn reads_fall_back_to_the_websocket() {
	use zoo_client::chain::Chain;
	let node = Node::start(&["--dev", "--instant-seal"]);
	let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let runtime = tokio::runtime::Runtime::new().unwrap();
	runtime.block_on(async {
		let alice = zoo_client::keys::keypair_from_secret("//Alice").unwrap();
		let http = Chain::connect(&node.ws_url()).await.unwrap();
		http.create_model(&alice, BASE).await.unwrap();
		let expected = http.model(BASE).await.unwrap().expect("the model").owner;
		let websocket = Chain::connect(&node.ws_url()).await.unwrap().read_over_http(None).unwrap();
		let broken = Chain::connect(&node.ws_url())
			.await
			.unwrap()
			.read_over_http(Some(&format!("http://127.0.0.1:{closed}")))
			.unwrap();
		for chain in [&websocket, &broken, &broken] {
			assert_eq!(chain.model(BASE).await.unwrap().expect("the model").owner, expected);
		}
	});
}

/// Graph queries at depth, timed from the client through the runtime API
/// (`RuntimeViewFunction`): `ancestors` with limit 10,000 on a 10,000-deep chain, and
/// `merge_base` of the tips of two 5,000-deep branches. The baseline, measured in the same
/// run, is a one-node query (`node`). Ignored by default (building the chains takes a minute
/// or two); `make bench-lineage` runs it.
#[test]
#[ignore = "benchmark: builds 20,000 versions; run with `make bench-lineage`"]
fn graph_queries_at_depth() {
	use std::time::{Duration, Instant};
	use subxt::utils::Static;
	use zoo_client::chain::Chain;
	use zoo_primitives::{EdgeKind, Manifest, VersionId, testing::ManifestBuilder};

	const DEPTH: u32 = 10_000;
	// Two branches whose merge base fits in one query's read limit (MAX_QUERY_LIMIT, 10,000).
	const BRANCH: u32 = 4_995;
	const LIMIT: u32 = 10_000;
	const BATCH: usize = 500;
	const RUNS: usize = 5;

	fn manifest(model: &str, message: String, parent: Option<VersionId>) -> Manifest {
		let builder = ManifestBuilder::new(model).message(&message);
		match parent {
			Some(id) => builder.parent(id, EdgeKind::Revision),
			None => builder,
		}
		.build()
	}

	/// Commit a chain of `length` versions on top of `parent`; returns the versions in order.
	async fn chain_of(
		chain: &Chain,
		signer: &subxt_signer::sr25519::Keypair,
		model: &str,
		label: &str,
		parent: Option<VersionId>,
		length: u32,
	) -> Vec<VersionId> {
		let mut ids = Vec::new();
		let mut manifests = Vec::new();
		let mut last = parent;
		for i in 0..length {
			let next = manifest(model, format!("{label} {i}"), last);
			last = Some(next.id());
			ids.push(next.id());
			manifests.push(next);
		}
		for batch in manifests.chunks(BATCH) {
			chain.commit_batch(signer, batch).await.expect("committing a batch");
		}
		ids
	}

	/// Median and fastest of `RUNS` timed calls.
	async fn time<T, F: std::future::Future<Output = T>>(mut call: impl FnMut() -> F) -> (Duration, Duration, T) {
		let mut times = Vec::new();
		let mut answer = None;
		for _ in 0..RUNS {
			let started = Instant::now();
			answer = Some(call().await);
			times.push(started.elapsed());
		}
		times.sort();
		(times[RUNS / 2], times[0], answer.unwrap())
	}

	let node = Node::start(&["--dev", "--instant-seal"]);
	let runtime = tokio::runtime::Runtime::new().unwrap();
	runtime.block_on(async {
		let chain = Chain::connect(&node.ws_url()).await.unwrap();
		let alice = zoo_client::keys::keypair_from_secret("//Alice").unwrap();
		for model in ["bench/deep", "bench/fork"] {
			chain.create_model(&alice, model).await.unwrap();
		}
		let started = Instant::now();
		let deep = chain_of(&chain, &alice, "bench/deep", "deep", None, DEPTH).await;
		let root = chain_of(&chain, &alice, "bench/fork", "root", None, 1).await[0];
		let left = chain_of(&chain, &alice, "bench/fork", "left", Some(root), BRANCH).await;
		let right = chain_of(&chain, &alice, "bench/fork", "right", Some(root), BRANCH).await;
		let built = started.elapsed();
		let versions = DEPTH + 1 + 2 * BRANCH;
		eprintln!(
			"[bench] committed {versions} versions in {:.1} s ({:.0} commits/s, batches of {BATCH})",
			built.as_secs_f64(),
			versions as f64 / built.as_secs_f64()
		);

		let tip = *deep.last().unwrap();
		let (left_tip, right_tip) = (*left.last().unwrap(), *right.last().unwrap());
		// The answers, checked once through the client.
		let walk = chain.ancestors(tip, DEPTH).await.unwrap();
		assert_eq!(walk.nodes.len() as u32, DEPTH - 1, "every ancestor of the tip");
		assert!(walk.complete);
		assert_eq!(chain.merge_base(left_tip, right_tip, LIMIT).await.unwrap(), vec![root]);
		assert!(chain.is_ancestor(deep[0], tip, DEPTH).await.unwrap());

		// Timed: the runtime API over HTTP `state_call` (runtime work plus one local round
		// trip), and the whole client call over WebSocket (what `zoo` sees).
		let views = zoo_client::chain::runtime::view_functions().lineage();
		let inputs = [
			(
				"node (one read, baseline)            ",
				chain.view_function_input(&views.node(Static(tip))).await.unwrap(),
			),
			(
				"ancestors, limit 10,000, 10,000-deep ",
				chain.view_function_input(&views.ancestors(Static(tip), DEPTH)).await.unwrap(),
			),
			(
				"merge_base of two 4,995-deep tips    ",
				chain.view_function_input(&views.merge_base(Static(left_tip), Static(right_tip), LIMIT)).await.unwrap(),
			),
			(
				"is_ancestor(root, tip), 10,000 deep  ",
				chain.view_function_input(&views.is_ancestor(Static(deep[0]), Static(tip), DEPTH)).await.unwrap(),
			),
			(
				"descendants of the root, limit 10,000",
				chain.view_function_input(&views.descendants(Static(deep[0]), LIMIT)).await.unwrap(),
			),
		];
		let port = node.rpc_port;
		let mut http = Vec::new();
		for (_, input) in &inputs {
			let params = format!(r#"["RuntimeViewFunction_execute_view_function","0x{}"]"#, hex::encode(input));
			let (median, fastest, answer) = time(|| async {
				crate::common::harness::rpc_call_with(port, "state_call", &params).expect("state_call over HTTP")
			})
			.await;
			assert!(answer.contains("\"result\""), "{answer}");
			http.push((median, fastest, answer.len()));
		}
		let (ws_node, _, _) = time(|| chain.node(tip)).await;
		let (ws_ancestors, _, _) = time(|| chain.ancestors(tip, DEPTH)).await;
		let (ws_merge_base, _, _) = time(|| chain.merge_base(left_tip, right_tip, LIMIT)).await;
		let (ws_is_ancestor, _, _) = time(|| chain.is_ancestor(deep[0], tip, DEPTH)).await;
		let (ws_descendants, _, _) = time(|| chain.descendants(deep[0], LIMIT)).await;
		let ws = [ws_node, ws_ancestors, ws_merge_base, ws_is_ancestor, ws_descendants];

		let ms = |d: Duration| d.as_secs_f64() * 1e3;
		let baseline = http[0].0;
		eprintln!(
			"[bench] median of {RUNS} calls: state_call over HTTP (fastest; answer size; x baseline) | zoo client over WebSocket"
		);
		for (((what, _), (median, fastest, size)), ws) in inputs.iter().zip(&http).zip(ws) {
			eprintln!(
				"[bench]   {what} {:>8.2} ms ({:.2} ms; {:>7} B; {:>5.1}x) | {:>8.2} ms",
				ms(*median),
				ms(*fastest),
				size,
				median.as_secs_f64() / baseline.as_secs_f64(),
				ms(ws)
			);
		}
	});
}
