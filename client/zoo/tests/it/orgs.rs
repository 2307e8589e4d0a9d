//! End to end, names people can trust: organisations own their namespace, look-alike names
//! are refused, reserved names need governance, through the real `zoo-node --dev
//! --instant-seal` and the real `zoo` binary. The audit's demonstration: after `meta-llama`
//! and `meta-llama/llama-3`, six of nine look-alike or foreign names were accepted; now none is.

use crate::common::{Zoo, block_shape, harness::Node, snapshot::assert_json_shape};
use serde_json::json;

/// Where a transaction landed, redacted.

#[test]
fn organisations_own_their_names_and_look_alikes_are_refused() {
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let run_as = |key: &str, args: &[&str]| {
		let mut all = vec!["--key", key];
		all.extend_from_slice(args);
		zoo.run(&all)
	};

	let created = run_as("//Alice", &["--json", "org", "create", "meta-llama"]);
	assert_json_shape("org create", &created.assert_ok().json(), json!({"org": "meta-llama", "block": block_shape()}));
	assert!(created.json()["block"]["block_number"].as_u64().is_some(), "{}", created.stdout);
	run_as("//Alice", &["model", "create", "meta-llama/llama-3"]).assert_ok();

	// The nine names the audit tried, and the punctuation-only variants npm refuses too: every
	// one is refused, each with its reason.
	let refused: [(&str, &[&str], &str); 11] = [
		("//Bob", &["org", "create", "meta_llama"], "NameTooSimilar"),
		("//Bob", &["org", "create", "metallama"], "NameTooSimilar"),
		("//Alice", &["model", "create", "meta-llama/llama3"], "NameTooSimilar"),
		("//Bob", &["org", "create", "rneta-llama"], "NameTooSimilar"),
		("//Bob", &["org", "create", "meta-11ama"], "NameTooSimilar"),
		("//Bob", &["org", "create", "meta-llama-"], "invalid organisation name"),
		("//Bob", &["model", "create", "meta_llama/llama-3"], "NameTooSimilar"),
		("//Bob", &["model", "create", "meta-llama/llama-3-instruct"], "NotOrgMember"),
		("//Bob", &["model", "create", "meta-llama/llama_3"], "NameTooSimilar"),
		("//Alice", &["model", "create", "meta-llama/llama_3"], "NameTooSimilar"),
		("//Bob", &["org", "create", "zoo"], "NameReserved"),
	];
	for (key, args, reason) in refused {
		run_as(key, args).assert_one_line_error(&[reason]);
	}

	// `org check` says why before anyone pays a fee; exit code 1 when the name is not free.
	let check = zoo.run(&["--json", "org", "check", "rneta-llama"]);
	assert_eq!(check.code, 1, "{}", check.describe());
	let mut taken = check.json();
	assert!(!taken["reason"]["docs"].as_str().unwrap().is_empty(), "{taken}");
	taken["reason"]["docs"] = json!("<docs>");
	assert_json_shape(
		"org check (taken)",
		&taken,
		json!({"name": "rneta-llama", "available": false,
			"reason": {"error": "ModelRegistry::NameTooSimilar", "docs": "<docs>"}}),
	);
	zoo.run(&["org", "check", "bob-labs"]).assert_ok();
	let free = zoo.json(&["org", "check", "bob-labs"]);
	assert_json_shape("org check (free)", &free, json!({"name": "bob-labs", "available": true, "reason": null}));
	zoo.run(&["org", "check", "Bad Name"]).assert_one_line_error(&["invalid organisation name"]);

	// The owner adds Bob; Bob may then create a model in the organisation.
	let member = run_as("//Alice", &["--json", "org", "member", "meta-llama", "//Bob", "member"]);
	assert_json_shape(
		"org member",
		&member.assert_ok().json(),
		json!({"org": "meta-llama", "account": "<account>", "role": "member", "block": block_shape()}),
	);
	run_as("//Bob", &["model", "create", "meta-llama/llama-3-instruct"]).assert_ok();
	let shown = zoo.run(&["--json", "org", "show", "meta-llama"]);
	let shown = shown.assert_ok().json();
	assert_json_shape(
		"org show",
		&shown,
		json!({"name": "meta-llama", "owner": "<account>", "deposit": "<amount>", "created": "<number>",
			"model_count": "<number>", "members": [{"account": "<account>", "role": "member"}]}),
	);
	assert_eq!(shown["members"][0]["account"], member.json()["account"]);
	assert_eq!(shown["model_count"], 2);
	assert_eq!(shown["members"][0]["role"], "member");
	// A member is no admin.
	run_as("//Bob", &["org", "member", "meta-llama", "//Charlie", "member"]).assert_one_line_error(&["NotOrgAdmin"]);
	run_as("//Alice", &["org", "member", "meta-llama", "//Bob", "owner"]).assert_one_line_error(&["unknown role"]);

	// The first model in a free namespace claims it.
	run_as("//Charlie", &["model", "create", "charlie-labs/tiny"]).assert_ok();
	let charlie = zoo.run(&["--json", "org", "show", "charlie-labs"]);
	assert_eq!(charlie.assert_ok().json()["model_count"], 1);
}
