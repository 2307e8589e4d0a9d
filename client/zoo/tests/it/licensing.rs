//! End to end, the licensing story through the real `zoo-node --dev --instant-seal` and the
//! real `zoo` binary, on one node:
//!
//! 1. Alice (alpha-labs) publishes a base model under terms that sell fine-tunes (10 % upstream)
//!    and use grants, with a contributor split (Alice 70 %, Ferdie 30 %).
//! 2. Bob (beta-labs) tries to commit a fine-tune: refused, `DerivativeGrantRequired`, before
//!    anything is hashed; buys a derivative grant; commits it (the royalty preview on stderr).
//! 3. Charlie (gamma-labs) quantizes Bob's model (Bob's terms: quantize, 5 % upstream, unpaid).
//! 4. Dave buys a use grant on Charlie's version, opens a usage channel to Eve, signs 1,000
//!    vouchers offline; Eve settles only the last, in one transaction; a replay is refused.
//! 5. Every contributor claims; every vault matches the royalty tables to the unit, and every
//!    account's balance change is exactly its payments, claims and transaction fees (the
//!    `TransactionFeePaid` events of every block).
//! 6. A no-derivatives parent refuses a fine-tune (`DerivativeKindNotAllowed`).
//!
//! The `--json` answer of every new verb is compared whole with its expected shape.

use crate::common::{Zoo, amount, block_shape, harness::Node, snapshot::assert_json_shape};
use serde_json::{Value, json};
use std::{collections::BTreeMap, fs, path::Path, time::Instant};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::{Keypair, dev};
use zoo_client::chain::{Chain, Voucher};

const ZOO: u128 = 1_000_000_000_000;
const BILLION: u128 = 1_000_000_000;

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

/// `amount * share / BILLION`, rounded down (the pallet's `ppb_of`).
fn ppb_of(amount: u128, share: u128) -> u128 {
	(amount / BILLION) * share + (amount % BILLION) * share / BILLION
}

/// What each version's vault is credited when `amount` is paid to `own` with royalty `table`
/// ((version, ppb)): each entry its share rounded down, `own` also the remainder.
fn split_by_table(amount: u128, table: &[(String, u128)], own: &str) -> BTreeMap<String, u128> {
	let mut credits: BTreeMap<String, u128> =
		table.iter().map(|(version, share)| (version.clone(), ppb_of(amount, *share))).collect();
	let credited: u128 = credits.values().sum();
	*credits.entry(own.to_owned()).or_default() += amount - credited;
	credits
}

/// A small model directory.
fn write_model(dir: &Path, seed: &str) {
	fs::create_dir_all(dir).unwrap();
	fs::write(dir.join("model.safetensors"), format!("weights of {seed}").repeat(64)).unwrap();
	fs::write(dir.join("config.json"), format!(r#"{{"name": "{seed}"}}"#)).unwrap();
}

fn account(keypair: &Keypair) -> AccountId32 {
	keypair.public_key().to_account_id()
}

/// The terms' JSON, redacted, with `extra` fields replaced.
fn terms_shape(extra: Value) -> Value {
	let mut shape = json!({
		"commercial_use": true, "derivatives_allowed": [], "derivatives_paid": [], "share_alike": false,
		"approval_required": false, "attribution_required": false, "name_prefix": null, "restrictions": [],
		"upstream_share_ppb": {}, "grant_duration": null, "legal_hash": "<digest>", "legal_uri": null,
	});
	for (key, value) in extra.as_object().unwrap() {
		shape[key] = value.clone();
	}
	shape
}

#[test]
fn licensing_story_end_to_end() {
	let started = Instant::now();
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let tokio = tokio::runtime::Runtime::new().unwrap();
	let work = tempfile::Builder::new().prefix("zoo-licensing-").tempdir().unwrap();
	let as_key = |key: &str, args: &[&str]| zoo.run(&[&["--key", key][..], args].concat());
	let json_as = |key: &str, args: &[&str]| as_key(key, &[&["--json"][..], args].concat()).assert_ok().json();
	let (alice, bob, charlie, dave, eve, ferdie) =
		(dev::alice(), dev::bob(), dev::charlie(), dev::dave(), dev::eve(), dev::ferdie());
	let everyone = [&alice, &bob, &charlie, &dave, &eve, &ferdie].map(account);
	let url = node.ws_url();
	let balances = |tokio: &tokio::runtime::Runtime| {
		tokio.block_on(async {
			let chain = Chain::connect(&url).await.unwrap();
			let at = chain.block_number().await.unwrap();
			let mut totals = Vec::new();
			for who in &everyone {
				totals.push(chain.balance(who).await.unwrap().total());
			}
			(at, totals)
		})
	};
	let (start_block, before) = balances(&tokio);

	// -- 1. Alice's base model, its terms, split and offers.
	let legal = work.path().join("ALPHA-LICENSE.txt");
	fs::write(&legal, "The alpha model licence: fine-tunes pay 10 % upstream.\n").unwrap();
	let terms_a_args = [
		"license",
		"terms",
		"create",
		"--commercial",
		"--derivatives",
		"finetune,quantize",
		"--paid",
		"finetune",
		"--share",
		"finetune=10%",
		"--grant-days",
		"30",
		"--legal-file",
		s(&legal),
		"--legal-uri",
		"https://alpha.example/license",
	];
	let created = json_as("//Alice", &terms_a_args);
	let terms_a_shape = terms_shape(json!({
		"derivatives_allowed": ["finetune", "quantize"], "derivatives_paid": ["finetune"],
		"upstream_share_ppb": {"finetune": "<number>"}, "grant_duration": "<number>", "legal_uri": "https://alpha.example/license",
	}));
	assert_json_shape(
		"license terms create",
		&created,
		json!({"id": "<number>", "existing": false, "terms": terms_a_shape.clone(), "block": block_shape()}),
	);
	assert_eq!(created["terms"]["upstream_share_ppb"]["finetune"], 100_000_000);
	assert_eq!(created["terms"]["grant_duration"], 30 * 14_400);
	let terms_a = created["id"].as_u64().unwrap().to_string();
	// The same terms again: the existing ID, exit code 0, nothing registered.
	let again = json_as("//Bob", &terms_a_args);
	assert_json_shape(
		"license terms create (existing)",
		&again,
		json!({"id": "<number>", "existing": true, "terms": terms_a_shape.clone(), "block": null}),
	);
	assert_eq!(again["id"].as_u64().unwrap().to_string(), terms_a);
	let text = as_key("//Bob", &terms_a_args);
	assert!(text.assert_ok().stdout.contains(&format!("already registered as {terms_a}")), "{}", text.describe());
	let shown = zoo.json(&["license", "terms", "show", &terms_a]);
	assert_json_shape("license terms show", &shown, json!({"id": "<number>", "terms": terms_a_shape}));
	zoo.run(&["license", "terms", "show", "999"]).assert_one_line_error(&["terms 999 are not registered"]);

	as_key("//Alice", &["model", "create", "alpha-labs/base"]).assert_ok();
	let split = json_as("//Alice", &["royalties", "split", "set", "alpha-labs/base", "//Alice=70%", "//Ferdie=30%"]);
	assert_json_shape(
		"royalties split set",
		&split,
		json!({"model": "alpha-labs/base", "split": [{"account": "<account>", "bps": "<number>"},
			{"account": "<account>", "bps": "<number>"}], "block": block_shape()}),
	);
	as_key("//Alice", &["royalties", "split", "set", "alpha-labs/base", "//Alice=70%", "//Ferdie=20%"])
		.assert_one_line_error(&["the shares total 90%, not 100%"]);
	let split = zoo.json(&["royalties", "split", "show", "alpha-labs/base"]);
	assert_json_shape(
		"royalties split show",
		&split,
		json!({"model": "alpha-labs/base", "split": [{"account": "<account>", "bps": "<number>"},
			{"account": "<account>", "bps": "<number>"}]}),
	);
	assert_eq!(split["split"][1], json!({"account": account(&ferdie).to_string(), "bps": 3000}));

	let dir_a = work.path().join("alpha");
	write_model(&dir_a, "alpha");
	let committed =
		json_as("//Alice", &["commit", s(&dir_a), "--model", "alpha-labs/base", "-m", "base", "--terms", &terms_a]);
	let a1 = committed["id"].as_str().unwrap().to_owned();
	let offer = json_as("//Alice", &["license", "offer", &a1, "--id", "1", "--derivative", "--price", "5 ZOO"]);
	assert_json_shape(
		"license offer",
		&offer,
		json!({"version": "<cid>", "offer": "<number>", "removed": false, "kind": "derivative", "price": "<amount>",
			"block": block_shape()}),
	);
	assert_eq!(offer["price"], (5 * ZOO).to_string());
	json_as("//Alice", &["license", "offer", &a1, "--id", "2", "--use", "--price", "2"]);
	json_as("//Alice", &["license", "offer", &a1, "--id", "9", "--use", "--price", "1"]);
	let removed = json_as("//Alice", &["license", "offer", &a1, "--id", "9", "--remove"]);
	assert_json_shape(
		"license offer --remove",
		&removed,
		json!({"version": "<cid>", "offer": "<number>", "removed": true, "kind": null, "price": null, "block": block_shape()}),
	);
	as_key("//Bob", &["license", "offer", &a1, "--id", "3", "--use", "--price", "1"])
		.assert_one_line_error(&["NotAdmin"]);

	// -- 2. Bob's fine-tune: refused without a grant, before hashing; then bought and committed.
	let legal_b = work.path().join("BETA-LICENSE.txt");
	fs::write(&legal_b, "The beta licence: quantizations pay 5 % upstream.\n").unwrap();
	let terms_b = json_as(
		"//Bob",
		&[
			"license",
			"terms",
			"create",
			"--commercial",
			"--derivatives",
			"quantize",
			"--share",
			"quantize=5%",
			"--legal-file",
			s(&legal_b),
			"--legal-uri",
			"https://beta.example/license",
		],
	)["id"]
		.as_u64()
		.unwrap()
		.to_string();
	as_key("//Bob", &["model", "create", "beta-labs/base-ft"]).assert_ok();
	let dir_b = work.path().join("beta");
	write_model(&dir_b, "beta");
	let parent_a = format!("{a1}:finetune");
	let commit_b = [
		"commit",
		s(&dir_b),
		"--model",
		"beta-labs/base-ft",
		"-m",
		"fine-tuned",
		"--parent",
		&parent_a,
		"--terms",
		&terms_b,
	];
	let check_b =
		["license", "check", s(&dir_b), "--model", "beta-labs/base-ft", "--parent", &parent_a, "--terms", &terms_b];
	let refused = as_key("//Bob", &check_b);
	assert_eq!(refused.code, 1, "{}", refused.describe());
	assert!(refused.stdout.contains("refused   DerivativeGrantRequired: "), "{}", refused.describe());
	let refused = as_key("//Bob", &[&["--json"][..], &check_b].concat());
	assert_eq!(refused.code, 1, "{}", refused.describe());
	assert_json_shape(
		"license check (refused)",
		&refused.json(),
		json!({"version": "<cid>", "account": "<account>", "accepted": false,
			"refusals": [{"reason": "DerivativeGrantRequired", "explanation": "a parent's terms need a paid derivative grant: buy one with `zoo license buy`"}],
			"royalties": [{"version": "<cid>", "ppb": "<number>", "hops": "<number>"},
				{"version": "<cid>", "ppb": "<number>", "hops": "<number>"}]}),
	);
	let failed = as_key("//Bob", &commit_b);
	failed.assert_one_line_error(&[
		"the licence rules refuse this commit",
		"DerivativeGrantRequired",
		"zoo license buy",
	]);
	assert!(!failed.stderr.contains("hashed"), "refused before hashing\n{}", failed.describe());

	as_key("//Bob", &["license", "buy", &a1, "--offer", "1", "--max-price", "4.99"])
		.assert_one_line_error(&["costs 5 ZOO, above --max-price 4.99 ZOO; nothing was paid"]);
	let bought = json_as("//Bob", &["license", "buy", &a1, "--offer", "1", "--max-price", "5"]);
	assert_json_shape(
		"license buy",
		&bought,
		json!({"version": "<cid>", "offer": "<number>", "kind": "derivative", "price": "<amount>",
			"protocol_fee": "<amount>", "expires_at": "<number>", "block": block_shape()}),
	);
	assert_eq!((amount(&bought["price"]), amount(&bought["protocol_fee"])), (5 * ZOO, 5 * ZOO / 50));
	let grants = zoo.json(&["license", "grants", &a1, "--account", "//Bob"]);
	assert_json_shape(
		"license grants",
		&grants,
		json!({"version": "<cid>", "account": "<account>", "at_block": "<number>", "may_use": false,
			"grants": [{"kind": "derivative", "expires_at": "<number>", "credits": "<number>", "deposit": "<amount>"}]}),
	);
	assert_eq!(grants["grants"][0]["credits"], 1);
	let accepted = json_as("//Bob", &check_b);
	assert_eq!((accepted["accepted"].as_bool(), accepted["refusals"].as_array().unwrap().len()), (Some(true), 0));

	let committed = as_key("//Bob", &commit_b);
	committed.assert_ok();
	assert!(committed.stderr.contains("upstream  10% of this version's revenue"), "{}", committed.describe());
	assert!(committed.stderr.contains(&format!("10%  {a1} (1 hop)")), "{}", committed.describe());
	assert!(committed.stderr.contains("keeps     90% (this version)"), "{}", committed.describe());
	let b1 = committed.stdout.split_whitespace().nth(1).unwrap().to_owned();
	assert!(b1.starts_with("bafk"), "{}", committed.describe());
	let grants = zoo.json(&["license", "grants", &a1, "--account", "//Bob"]);
	assert_eq!(grants["grants"][0]["credits"], 0, "the commit used the grant's one credit");

	// -- 3. Charlie quantizes Bob's model: allowed, unpaid, 5 % upstream.
	let terms_c = json_as(
		"//Charlie",
		&[
			"license",
			"terms",
			"create",
			"--commercial",
			"--legal-hash",
			&"cc".repeat(32),
			"--legal-uri",
			"https://gamma.example/l",
		],
	)["id"]
		.as_u64()
		.unwrap()
		.to_string();
	as_key("//Charlie", &["model", "create", "gamma-labs/base-q4"]).assert_ok();
	let dir_c = work.path().join("gamma");
	write_model(&dir_c, "gamma");
	let parent_b = format!("{b1}:quantize");
	let c1 = json_as(
		"//Charlie",
		&["commit", s(&dir_c), "--model", "gamma-labs/base-q4", "-m", "q4", "--parent", &parent_b, "--terms", &terms_c],
	)["id"]
		.as_str()
		.unwrap()
		.to_owned();
	let checked = zoo.json(&["license", "check", &c1, "--account", "//Charlie"]);
	assert_json_shape(
		"license check (accepted)",
		&checked,
		json!({"version": "<cid>", "account": "<account>", "accepted": true, "refusals": [],
			"royalties": [{"version": "<cid>", "ppb": "<number>", "hops": "<number>"},
				{"version": "<cid>", "ppb": "<number>", "hops": "<number>"},
				{"version": "<cid>", "ppb": "<number>", "hops": "<number>"}]}),
	);
	let royalties = zoo.json(&["royalties", "show", &c1]);
	assert_json_shape(
		"royalties show",
		&royalties,
		json!({"version": "<cid>", "table": [{"version": "<cid>", "ppb": "<number>", "hops": "<number>"},
				{"version": "<cid>", "ppb": "<number>", "hops": "<number>"},
				{"version": "<cid>", "ppb": "<number>", "hops": "<number>"}],
			"vault": "<amount>", "split": [{"account": "<account>", "bps": "<number>"}], "claimable": null}),
	);
	let table_of = |royalties: &Value| -> Vec<(String, u128)> {
		royalties["table"]
			.as_array()
			.unwrap()
			.iter()
			.map(|entry| (entry["version"].as_str().unwrap().to_owned(), entry["ppb"].as_u64().unwrap().into()))
			.collect()
	};
	let table_c = table_of(&royalties);
	let mut expected_c = vec![(a1.clone(), 5_000_000, 2), (b1.clone(), 45_000_000, 1), (c1.clone(), 950_000_000, 0)];
	expected_c.sort();
	// The chain sorts a table by version ID bytes, which CID text does not follow.
	let mut hops: Vec<(String, u128, u64)> = royalties["table"]
		.as_array()
		.unwrap()
		.iter()
		.map(|e| {
			(e["version"].as_str().unwrap().to_owned(), e["ppb"].as_u64().unwrap().into(), e["hops"].as_u64().unwrap())
		})
		.collect();
	hops.sort();
	assert_eq!(hops, expected_c, "Charlie's table: 0.5 % to Alice's base (2 hops), 4.5 % to Bob's, 95 % kept");
	let table_b = table_of(&zoo.json(&["royalties", "show", &b1]));
	let table_a = table_of(&zoo.json(&["royalties", "show", &a1]));
	assert_eq!(table_a, vec![(a1.clone(), BILLION)]);

	// -- 4. Dave buys a use grant on Charlie's version and meters usage through Eve.
	json_as("//Charlie", &["license", "offer", &c1, "--id", "1", "--use", "--price", "3"]);
	json_as("//Charlie", &["license", "offer", &c1, "--id", "2", "--usage", "--price", "0.001"]);
	let use_grant = json_as("//Dave", &["license", "buy", &c1, "--offer", "1", "--max-price", "3 ZOO"]);
	assert_eq!(use_grant["kind"], "use");
	let grants = json_as("//Dave", &["license", "grants", &c1]);
	assert_eq!((grants["may_use"].as_bool(), grants["grants"][0]["kind"].as_str()), (Some(true), Some("use")));
	assert_eq!(zoo.json(&["license", "grants", &c1, "--account", "//Eve"])["may_use"], false);

	let opened = json_as(
		"//Dave",
		&["usage", "open", &c1, "--offer", "2", "--provider", "//Eve", "--deposit", "2 ZOO", "--days", "1"],
	);
	assert_json_shape(
		"usage open",
		&opened,
		json!({"channel": "<number>", "version": "<cid>", "deposit": "<amount>", "expires_at": "<number>", "block": block_shape()}),
	);
	let channel = opened["channel"].as_u64().unwrap();
	let ch = channel.to_string();
	let genesis = tokio.block_on(async { Chain::connect(&url).await.unwrap().genesis_hash() });
	// The binary asks the node for the genesis hash, or takes it to stay offline.
	let online = json_as("//Dave", &["usage", "voucher", &ch, "--units", "1", "--nonce", "1"]);
	let mut voucher_shape = json!({"channel": "<number>", "nonce": "<number>", "cumulative_units": "<number>",
		"genesis": "<digest>", "payer": "<account>", "signature": "<signature>"});
	// 128 hex digits, which the redaction keeps as they are.
	voucher_shape["signature"] = online["signature"].clone();
	assert_json_shape("usage voucher", &online, voucher_shape);
	assert_eq!(online["genesis"], hex::encode(genesis));
	assert_eq!(online["signature"].as_str().unwrap().len(), 128);
	// 1,000 vouchers signed offline, one per unit used: 999 by the library, the last by `zoo`
	// with --genesis (no node).
	let signing = Instant::now();
	let vouchers: Vec<Voucher> = (1..1000).map(|n| Voucher::sign(&dave, genesis, channel, n, n)).collect();
	let hex_genesis = hex::encode(genesis);
	let offline = zoo.run(&[
		"--json",
		"--url",
		"ws://127.0.0.1:1",
		"--key",
		"//Dave",
		"usage",
		"voucher",
		&ch,
		"--units",
		"1000",
		"--nonce",
		"1000",
		"--genesis",
		&hex_genesis,
	]);
	let last = offline.assert_ok().json();
	eprintln!("[licensing] 1,000 vouchers signed offline in {:.0} ms", signing.elapsed().as_secs_f64() * 1e3);
	assert_eq!(vouchers.len(), 999);
	assert_eq!(last["payer"], account(&dave).to_string());
	let signature = last["signature"].as_str().unwrap().to_owned();
	// Eve settles only the last one, in one transaction.
	let settle = ["usage", "settle", &ch, "--units", "1000", "--nonce", "1000", "--signature", &signature];
	as_key("//Dave", &settle).assert_one_line_error(&["NotProvider"]);
	let forged = Voucher::sign(&eve, genesis, channel, 1000, 1000);
	as_key(
		"//Eve",
		&["usage", "settle", &ch, "--units", "1000", "--nonce", "1000", "--signature", &hex::encode(forged.signature)],
	)
	.assert_one_line_error(&["BadVoucherSignature"]);
	let settled = json_as("//Eve", &settle);
	assert_json_shape(
		"usage settle",
		&settled,
		json!({"channel": "<number>", "units": "<number>", "amount": "<amount>", "protocol_fee": "<amount>", "block": block_shape()}),
	);
	let usage_amount = 1000 * (ZOO / 1000);
	assert_eq!((settled["units"].as_u64(), amount(&settled["amount"])), (Some(1000), usage_amount));
	assert_eq!(amount(&settled["protocol_fee"]), usage_amount / 50);
	// A replay, and an older voucher, are refused.
	as_key("//Eve", &settle).assert_one_line_error(&["StaleVoucher"]);
	let older = &vouchers[998];
	let older_signature = hex::encode(older.signature);
	as_key("//Eve", &["usage", "settle", &ch, "--units", "999", "--nonce", "999", "--signature", &older_signature])
		.assert_one_line_error(&["StaleVoucher"]);
	let shown = zoo.json(&["usage", "show", &ch]);
	assert_json_shape(
		"usage show",
		&shown,
		json!({"channel": "<number>", "payer": "<account>", "provider": "<account>", "version": "<cid>",
			"unit_price": "<amount>", "deposit": "<amount>", "settled_units": "<number>", "nonce": "<number>",
			"expires_at": "<number>", "record_deposit": "<amount>"}),
	);
	assert_eq!((shown["settled_units"].as_u64(), amount(&shown["deposit"])), (Some(1000), 2 * ZOO - usage_amount));
	as_key("//Dave", &["usage", "refund", &ch]).assert_one_line_error(&["ChannelNotExpired"]);

	// -- 5. Vaults match the tables to the unit; contributors claim exactly their share.
	let mut vaults: BTreeMap<String, u128> = BTreeMap::new();
	let mut credit = |amount: u128, table: &[(String, u128)], own: &str| {
		for (version, credited) in split_by_table(amount, table, own) {
			*vaults.entry(version).or_default() += credited;
		}
	};
	credit(5 * ZOO - 5 * ZOO / 50, &table_a, &a1); // Bob's derivative grant
	credit(3 * ZOO - 3 * ZOO / 50, &table_c, &c1); // Dave's use grant
	credit(usage_amount - usage_amount / 50, &table_c, &c1); // Eve's settlement
	assert_eq!(table_b.len(), 2, "Bob's table: Alice's base and itself");
	let usage_credits: u128 = split_by_table(usage_amount - usage_amount / 50, &table_c, &c1).values().sum();
	assert_eq!(usage_credits, 1000 * (ZOO / 1000) * 98 / 100, "1,000 units less the 2 % protocol fee");
	for version in [&a1, &b1, &c1] {
		let shown = zoo.json(&["royalties", "show", version]);
		assert_eq!(amount(&shown["vault"]), vaults[version.as_str()], "vault of {version}");
	}
	let vault_a = vaults[a1.as_str()];
	let ferdie_share = (vault_a / 10_000) * 3_000 + (vault_a % 10_000) * 3_000 / 10_000;
	let with_key = json_as("//Ferdie", &["royalties", "show", &a1]);
	assert_eq!(
		with_key["claimable"],
		json!({"account": account(&ferdie).to_string(), "amount": ferdie_share.to_string()})
	);

	let claim = json_as("//Alice", &["royalties", "claim", &a1]);
	assert_json_shape(
		"royalties claim",
		&claim,
		json!({"claims": [{"version": "<cid>", "amount": "<amount>", "block": block_shape()}], "total": "<amount>"}),
	);
	let mut claimed: BTreeMap<String, u128> = BTreeMap::new();
	claimed.insert(account(&alice).to_string(), amount(&claim["total"]));
	assert_eq!(amount(&claim["total"]), vault_a - ferdie_share, "Alice: 70 % and the rounding remainder");
	let claim = json_as("//Ferdie", &["royalties", "claim", &a1]);
	assert_eq!(amount(&claim["total"]), ferdie_share);
	claimed.insert(account(&ferdie).to_string(), ferdie_share);
	// A version Bob is no contributor of: refused before anything is claimed.
	as_key("//Bob", &["royalties", "claim", &b1, &a1]).assert_one_line_error(&[
		"is not a contributor of",
		a1.as_str(),
		"nothing was claimed",
	]);
	let claim = json_as("//Bob", &["royalties", "claim", &b1]);
	assert_eq!(amount(&claim["total"]), vaults[b1.as_str()]);
	claimed.insert(account(&bob).to_string(), vaults[b1.as_str()]);
	let claim = json_as("//Charlie", &["royalties", "claim", &c1]);
	assert_eq!(amount(&claim["total"]), vaults[c1.as_str()]);
	claimed.insert(account(&charlie).to_string(), vaults[c1.as_str()]);
	// Claiming again pays nothing; a non-contributor is refused.
	assert_eq!(json_as("//Alice", &["royalties", "claim", &a1])["total"], "0");
	as_key("//Dave", &["royalties", "claim", &a1]).assert_one_line_error(&["is not a contributor"]);

	// Approvals, for the record of their answer.
	let approved = json_as("//Alice", &["license", "approve", &a1, "//Dave"]);
	assert_json_shape(
		"license approve",
		&approved,
		json!({"parent": "<cid>", "committer": "<account>", "approved": true, "block": block_shape()}),
	);
	assert_eq!(json_as("//Alice", &["license", "approve", &a1, "//Dave", "--revoke"])["approved"], false);

	// -- 6. A no-derivatives parent refuses a fine-tune.
	as_key("//Alice", &["model", "create", "alpha-labs/closed"]).assert_ok();
	let dir_nd = work.path().join("closed");
	write_model(&dir_nd, "closed");
	let nd = json_as(
		"//Alice",
		&["commit", s(&dir_nd), "--model", "alpha-labs/closed", "-m", "closed", "--license", "CC-BY-ND-4.0"],
	)["id"]
		.as_str()
		.unwrap()
		.to_owned();
	let parent_nd = format!("{nd}:finetune");
	let dir_ft = work.path().join("beta-closed");
	write_model(&dir_ft, "beta-closed");
	let check = as_key(
		"//Bob",
		&[
			"--json",
			"license",
			"check",
			s(&dir_ft),
			"--model",
			"beta-labs/base-ft",
			"--parent",
			&parent_nd,
			"--license",
			"MIT",
		],
	);
	assert_eq!(check.code, 1, "{}", check.describe());
	assert_eq!(check.json()["refusals"][0]["reason"], "DerivativeKindNotAllowed");
	as_key(
		"//Bob",
		&["commit", s(&dir_ft), "--model", "beta-labs/base-ft", "-m", "ft", "--parent", &parent_nd, "--license", "MIT"],
	)
	.assert_one_line_error(&["DerivativeKindNotAllowed", "does not allow deriving by this edge kind"]);

	// -- Every balance change, to the unit: payments, claims and transaction fees.
	let (end_block, after) = balances(&tokio);
	let fees: BTreeMap<String, u128> = tokio.block_on(async {
		let chain = Chain::connect(&url).await.unwrap();
		let mut fees = BTreeMap::new();
		for number in start_block + 1..=end_block {
			for (who, fee) in chain.fees_paid(number).await.unwrap() {
				*fees.entry(who.to_string()).or_default() += fee;
			}
		}
		fees
	});
	let paid: BTreeMap<String, u128> =
		BTreeMap::from([(account(&bob).to_string(), 5 * ZOO), (account(&dave).to_string(), 3 * ZOO + usage_amount)]);
	for (i, who) in everyone.iter().enumerate() {
		let who = who.to_string();
		let expected = before[i] + claimed.get(&who).copied().unwrap_or(0)
			- paid.get(&who).copied().unwrap_or(0)
			- fees.get(&who).copied().unwrap_or(0);
		assert_eq!(after[i], expected, "balance of {who}: before {}, fees {:?}", before[i], fees.get(&who));
	}
	assert!(fees.len() >= 5, "every actor paid fees: {fees:?}");
	eprintln!(
		"[licensing] story: {} blocks, wall time {:.1} s",
		end_block - start_block,
		started.elapsed().as_secs_f64()
	);
}
