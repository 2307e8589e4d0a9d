//! End to end, curation and governance through the real `zoo-node --dev --instant-seal` and the
//! real `zoo` binary:
//!
//! 1. Alice (sudo) shortens the era to 8 blocks and the unbonding period to 4 (`System::
//!    set_storage`), before anyone stakes. She publishes a base model (two versions); Bob
//!    fine-tunes it under terms with a use offer of 10 ZOO.
//! 2. Dave, Eve and Ferdie stake 10, 20 and 30 ZOO on the fine-tune; two stash accounts stake
//!    on Alice's versions. A stake below the minimum is refused and changes nothing.
//! 3. Blocks pass the era boundary (remarks make blocks on an instant-seal chain); Bob's stash
//!    stakes 5 ZOO just before Charlie buys a use grant, in the same era. The purchase pays the
//!    curators 10 % of the 98 % left after the protocol fee, shared from the next era on, pro
//!    rata by stake (checked to the unit against the price, up to rounding); the just-in-time
//!    stake earns nothing.
//! 4. Dave unbonds everything, cannot withdraw before the period ends, then withdraws exactly
//!    what he staked. Eve cannot leave less than the minimum staked, and unbonds 5 ZOO.
//! 5. `zoo search` ranks versions by stake, with filters by licence class, tag and metric.
//! 6. Dave's stash disputes the fine-tune (malware): a second dispute, a stake and a withdrawal
//!    are refused while it is open, and search drops the version.
//! 7. The council (Alice, Bob, Charlie, each with their own key) upholds it: a non-member
//!    cannot propose, a member cannot vote twice, the motion cannot close before it has a
//!    majority; Alice proposes, Alice and Bob vote aye, Charlie nay and closes it.
//! 8. The fine-tune is yanked, every remaining position (unbonding chunks too) loses exactly
//!    half as it is touched, the reporter is paid exactly 20 % of each slash, and search ranks
//!    Alice's versions without it.
//! 9. A dispute on Alice's first version is rejected: the fees of a purchase made meanwhile are
//!    escrowed, then released to its curator; the reporter's bond is burned.
//! 10. A dispute the council leaves alone lapses (audit A3-04): closing it before its expiry is
//!    refused and changes nothing; after it, anyone closes it, the bond is burned and the version
//!    is ranked again.
//!
//! The `--json` answer of every new verb is compared whole with its expected shape, and the
//! story's time is printed.

use crate::common::{Zoo, amount, block_shape, harness::Node, snapshot::assert_json_shape};
use serde_json::json;
use std::{fs, path::Path, str::FromStr, time::Instant};
use subxt::{OnlineClient, PolkadotConfig, utils::AccountId32};
use subxt_signer::{
	SecretUri,
	sr25519::{Keypair, dev},
};
use zoo_client::chain::{Chain, runtime};

const ZOO: u128 = 1_000_000_000_000;
/// The era length and unbonding period the story sets (blocks).
const ERA: u32 = 8;
const UNBONDING: u32 = 4;
/// The dispute timeout of the story until step 10, which shortens it: long enough for every
/// verdict.
const DISPUTE_TIMEOUT: u32 = 10_000;
/// The dispute timeout of step 10.
const SHORT_DISPUTE_TIMEOUT: u32 = 3;
/// The use grant's price.
const PRICE: u128 = 10 * ZOO;

fn s(path: &Path) -> &str {
	path.to_str().unwrap()
}

fn keypair(uri: &str) -> Keypair {
	Keypair::from_uri(&SecretUri::from_str(uri).unwrap()).unwrap()
}

fn account(uri: &str) -> AccountId32 {
	keypair(uri).public_key().to_account_id()
}

/// A small model directory.
fn write_model(dir: &Path, seed: &str) {
	fs::create_dir_all(dir).unwrap();
	fs::write(dir.join("model.safetensors"), format!("weights of {seed}").repeat(64)).unwrap();
	fs::write(dir.join("config.json"), format!(r#"{{"name": "{seed}"}}"#)).unwrap();
}

/// Reads and the blocks an instant-seal chain only makes for transactions.
struct ChainAccess {
	tokio: tokio::runtime::Runtime,
	chain: Chain,
	api: OnlineClient<PolkadotConfig>,
	/// Signs the remarks that make blocks (an account the story does not otherwise use).
	filler: Keypair,
}

impl ChainAccess {
	fn connect(url: &str) -> ChainAccess {
		let tokio = tokio::runtime::Runtime::new().unwrap();
		let (chain, api) = tokio.block_on(async {
			let config = PolkadotConfig::builder().use_historic_types(false).build();
			(Chain::connect(url).await.unwrap(), OnlineClient::from_url_with_config(config, url).await.unwrap())
		});
		ChainAccess { tokio, chain, api, filler: keypair("//Ferdie//stash") }
	}

	/// The newest block's number.
	fn block_number(&self) -> u32 {
		self.chain.read_newest();
		self.tokio.block_on(self.chain.block_number()).unwrap()
	}

	/// Free and reserved balance of `who`.
	fn balance(&self, who: &AccountId32) -> (u128, u128) {
		self.chain.read_newest();
		let balance = self.tokio.block_on(self.chain.balance(who)).unwrap();
		(balance.free, balance.reserved)
	}

	/// Make one block (a remark, finalized at once on an instant-seal chain).
	fn make_block(&self) {
		self.tokio.block_on(async {
			let at = self.api.at_current_block().await.unwrap();
			let remark = runtime::transactions().system().remark(b"zoo e2e: a block".to_vec());
			let progress = at.transactions().sign_and_submit_then_watch_default(&remark, &self.filler).await.unwrap();
			progress.wait_for_finalized_success().await.unwrap();
		});
	}

	/// Make blocks until the newest is at least `number`.
	fn advance_to(&self, number: u32) {
		while self.block_number() < number {
			self.make_block();
		}
	}

	/// Make blocks until the next block is the first of an era, so that the next `ERA`
	/// transactions share one.
	fn align_to_era(&self) {
		while (self.block_number() + 1) % ERA != 0 {
			self.make_block();
		}
	}
}

#[test]
fn curation_story_end_to_end() {
	let started = Instant::now();
	let node = Node::start(&["--dev", "--instant-seal"]);
	let zoo = Zoo::new(node.ws_url());
	let access = ChainAccess::connect(&node.ws_url());
	let work = tempfile::Builder::new().prefix("zoo-curation-").tempdir().unwrap();
	let as_key = |key: &str, args: &[&str]| zoo.run(&[&["--key", key][..], args].concat());
	let json_as = |key: &str, args: &[&str]| as_key(key, &[&["--json"][..], args].concat()).assert_ok().json();

	// -- 1. Short eras for the story, set by sudo before anyone stakes; the models.
	access
		.tokio
		.block_on(access.chain.set_curation_periods(&dev::alice(), ERA, UNBONDING, DISPUTE_TIMEOUT))
		.expect("sudo set_storage of the curation periods");
	access.chain.read_newest();
	let params = access.tokio.block_on(access.chain.curation_params()).unwrap();
	assert_eq!(
		(params.era_length, params.unbonding_period, params.dispute_timeout),
		(ERA, UNBONDING, Some(DISPUTE_TIMEOUT))
	);
	assert_eq!((params.min_stake, params.dispute_bond), (ZOO, 10 * ZOO));

	let legal = work.path().join("LICENSE.txt");
	fs::write(&legal, "Fine-tunes welcome, 10 % upstream; use grants for sale.\n").unwrap();
	let terms = |key: &str, extra: &[&str]| {
		let mut args = vec!["license", "terms", "create", "--commercial"];
		args.extend_from_slice(extra);
		args.extend(["--legal-file", s(&legal), "--legal-uri", "https://example.org/license"]);
		json_as(key, &args)["id"].as_u64().unwrap().to_string()
	};
	let terms_a = terms("//Alice", &["--derivatives", "finetune", "--share", "finetune=10%"]);
	let terms_b = terms("//Bob", &[]);
	as_key("//Alice", &["model", "create", "alpha-labs/base"]).assert_ok();
	let commit = |key: &str, dir: &Path, args: &[&str]| {
		let mut all = vec!["commit", s(dir), "-m", "a version"];
		all.extend_from_slice(args);
		json_as(key, &all)["id"].as_str().unwrap().to_owned()
	};
	let (dir_a1, dir_a2, dir_f) = (work.path().join("a1"), work.path().join("a2"), work.path().join("f"));
	write_model(&dir_a1, "base v1");
	write_model(&dir_a2, "base v2");
	write_model(&dir_f, "fine-tune");
	let a1 =
		commit("//Alice", &dir_a1, &["--model", "alpha-labs/base", "--terms", &terms_a, "--metric", "accuracy=0.8"]);
	let a2 = commit(
		"//Alice",
		&dir_a2,
		&["--model", "alpha-labs/base", "--license", "Apache-2.0", "--metric", "accuracy=0.85"],
	);
	as_key("//Bob", &["model", "create", "beta-labs/tuned"]).assert_ok();
	let parent = format!("{a1}:finetune");
	let f = commit(
		"//Bob",
		&dir_f,
		&[
			"--model",
			"beta-labs/tuned",
			"--parent",
			&parent,
			"--terms",
			&terms_b,
			"--metric",
			"accuracy=0.93",
			"--tag",
			"task=chat",
		],
	);
	json_as("//Bob", &["license", "offer", &f, "--id", "1", "--use", "--price", "10"]);

	// -- 2. Curators stake; a stake below the minimum changes nothing.
	let members = zoo.json(&["council", "members"]);
	assert_json_shape(
		"council members",
		&members,
		json!({"members": ["<account>", "<account>", "<account>"], "majority": "<number>", "two_thirds": "<number>"}),
	);
	assert_eq!((&members["majority"], &members["two_thirds"]), (&json!(2), &json!(2)));
	for uri in ["//Alice", "//Bob", "//Charlie"] {
		assert!(members["members"].as_array().unwrap().contains(&json!(account(uri).to_string())), "{uri}");
	}

	let stake_shape = json!({"version": "<cid>", "account": "<account>", "amount": "<amount>", "points": "<amount>",
		"era": "<number>", "earns_from": "<number>", "slashed": null, "block": block_shape()});
	let stakes = [("//Dave", 10 * ZOO), ("//Eve", 20 * ZOO), ("//Ferdie", 30 * ZOO)];
	// The five stakes below and the reads after them share one era (so the figures read show
	// all of it pending).
	access.align_to_era();
	let mut last_stake_block = 0;
	for (key, staked) in stakes {
		let answer = json_as(key, &["stake", &f, &(staked / ZOO).to_string()]);
		assert_json_shape("stake", &answer, stake_shape.clone());
		assert_eq!((amount(&answer["amount"]), amount(&answer["points"])), (staked, staked), "{answer}");
		assert_eq!(answer["account"], account(key).to_string());
		last_stake_block = answer["block"]["block_number"].as_u64().unwrap() as u32;
		let era = last_stake_block / ERA;
		assert_eq!((&answer["era"], &answer["earns_from"]), (&json!(era), &json!((era + 1) * ERA)), "{answer}");
	}
	json_as("//Alice//stash", &["stake", &a1, "40"]);
	json_as("//Charlie//stash", &["stake", &a2, "2"]);

	let show_dave = |what: &str| json_as("//Dave", &["curation", "show", what]);
	let before = show_dave(&f);
	as_key("//Dave", &["stake", &f, "0.5"]).assert_one_line_error(&["stake below the minimum of 1 ZOO"]);
	as_key("//Dave", &["stake", &f, "0.5 ZOO"]).assert_one_line_error(&["nothing was staked"]);
	let shown = show_dave(&f);
	assert_eq!(shown["curation"], before["curation"], "a refused stake changed the version's figures");
	assert_eq!(shown["position"], before["position"], "a refused stake changed Dave's position");
	assert_json_shape(
		"curation show <cid> --key",
		&shown,
		json!({"version": "<cid>", "model": "beta-labs/tuned", "yanked": null,
			"curation": {"version": "<cid>", "active_stake": "<amount>", "pending_stake": "<amount>",
				"unbonding_stake": "<amount>", "curators": "<number>", "fees_lifetime": "<amount>", "fees_ema": "<amount>",
				"factor": "<amount>", "escrow": "<amount>", "streaming": "<amount>", "dispute": null},
			"dispute": null, "block_number": "<number>", "era": "<number>",
			"params": {"min_stake": "<amount>", "dispute_bond": "<amount>", "era_length": "<number>",
				"unbonding_period": "<number>", "dispute_timeout": "<number>", "max_unbonding_chunks": "<number>"},
			"position": {"version": "<cid>", "account": "<account>", "active": "<amount>", "pending": "<amount>",
				"pending_era": "<number>", "unbonding": [], "owed": "<amount>", "held": "<amount>"},
			"claimable": {"account": "<account>", "amount": "<amount>"}}),
	);
	assert_eq!(amount(&shown["curation"]["pending_stake"]), 60 * ZOO);
	assert_eq!(amount(&shown["curation"]["active_stake"]), 0);
	assert_eq!(shown["curation"]["curators"], 3);
	assert_eq!(shown["curation"]["factor"], "1");
	assert_eq!((amount(&shown["position"]["pending"]), amount(&shown["position"]["held"])), (10 * ZOO, 10 * ZOO));
	assert_eq!(amount(&shown["claimable"]["amount"]), 0);
	let text = as_key("//Dave", &["curation", "show", &f]).assert_ok().stdout.clone();
	assert!(text.contains("0 ZOO active, 60 ZOO pending, 0 ZOO unbonding"), "{text}");
	assert!(text.contains("10 ZOO pending until era"), "{text}");

	// -- 3. Past the era boundary; a just-in-time stake and a purchase in one later era.
	let boundary = (last_stake_block / ERA + 1) * ERA;
	access.advance_to(boundary);
	// The next two blocks (the stake and the purchase) must share an era.
	while (access.block_number() + 1) % ERA == ERA - 1 {
		access.make_block();
	}
	let jit = json_as("//Bob//stash", &["stake", &f, "5"]);
	let bought = json_as("//Charlie", &["license", "buy", &f, "--offer", "1", "--max-price", "10"]);
	let (jit_block, buy_block) = (
		jit["block"]["block_number"].as_u64().unwrap() as u32,
		bought["block"]["block_number"].as_u64().unwrap() as u32,
	);
	assert!(jit_block / ERA == buy_block / ERA && jit_block >= boundary, "stake {jit_block}, purchase {buy_block}");
	assert_eq!(amount(&bought["price"]), PRICE);
	let protocol_fee = PRICE * 2 / 100;
	assert_eq!(amount(&bought["protocol_fee"]), protocol_fee);
	let share = (PRICE - protocol_fee) / 10;
	assert_eq!(share, 980_000_000_000, "10 % of 98 % of 10 ZOO");
	let figures = zoo.json(&["curation", "show", &f])["curation"].clone();
	assert_eq!(amount(&figures["fees_lifetime"]), share, "{figures}");
	assert_eq!(amount(&figures["streaming"]), share, "shared from the next era: {figures}");
	assert_eq!(amount(&figures["active_stake"]), 60 * ZOO, "the boundary activated the stake: {figures}");
	assert_eq!(amount(&figures["pending_stake"]), 5 * ZOO, "{figures}");
	// The payees keep what the curators do not take, to the unit.
	let vault = |cid: &str| amount(&zoo.json(&["royalties", "show", cid])["vault"]);
	assert_eq!(vault(&f) + vault(&a1), PRICE - protocol_fee - share);

	// The fee streams through the era it was paid in and is shared at the first touch of the
	// next (audit A3-03): nothing is claimable before.
	let dave_early = json_as("//Dave", &["curation", "show", &f]);
	assert_eq!(amount(&dave_early["claimable"]["amount"]), 0, "shared in the purchase's era: {dave_early}");
	access.advance_to((buy_block / ERA + 1) * ERA);
	// Each claim is the curator's stake's share of `share`, rounded down (at most a unit of
	// accumulator rounding below it); the just-in-time stake gets nothing.
	let claim_shape = json!({"version": "<cid>", "account": "<account>", "amount": "<amount>", "slashed": null,
		"block": block_shape()});
	let total_staked: u128 = stakes.iter().map(|(_, staked)| staked).sum();
	let mut paid = 0;
	for (key, staked) in stakes {
		let (free_before, _) = access.balance(&account(key));
		let claimed = json_as(key, &["claim", &f]);
		assert_json_shape("claim", &claimed, claim_shape.clone());
		let got = amount(&claimed["amount"]);
		let pro_rata = share * staked / total_staked;
		assert!(got <= pro_rata && pro_rata - got <= 1, "{key} claimed {got}, pro rata {pro_rata}");
		paid += got;
		// The claim is what reached the account, besides the transaction's fee.
		let block_number = claimed["block"]["block_number"].as_u64().unwrap() as u32;
		let fees = access.tokio.block_on(access.chain.fees_paid(block_number)).unwrap();
		let fee: u128 = fees.iter().filter(|(who, _)| *who == account(key)).map(|(_, fee)| fee).sum();
		let (free_after, _) = access.balance(&account(key));
		assert_eq!(free_after + fee, free_before + got, "{key}'s balance after claiming {got}");
	}
	assert!(paid <= share && share - paid <= 3, "paid {paid} of {share}");
	let jit_claim = json_as("//Bob//stash", &["claim", &f]);
	assert_eq!(amount(&jit_claim["amount"]), 0, "stake added in the purchase's era earned from it: {jit_claim}");
	as_key("//Charlie", &["claim", &f]).assert_one_line_error(&[&format!("has no stake on {f}")]);

	// -- 4. Dave unbonds everything and withdraws exactly what he staked; Eve unbonds some.
	let dave = account("//Dave");
	let unstaked = json_as("//Dave", &["unstake", &f, "--all"]);
	assert_json_shape(
		"unstake",
		&unstaked,
		json!({"version": "<cid>", "account": "<account>", "amount": "<amount>", "points": "<amount>",
			"unlock_at": "<number>", "slashed": null, "block": block_shape()}),
	);
	assert_eq!(amount(&unstaked["amount"]), 10 * ZOO);
	let unlock_at = unstaked["unlock_at"].as_u64().unwrap() as u32;
	assert_eq!(unlock_at, unstaked["block"]["block_number"].as_u64().unwrap() as u32 + UNBONDING);
	let (_, held_before) = access.balance(&dave);
	as_key("//Dave", &["withdraw", &f]).assert_one_line_error(&[&format!(
		"nothing to withdraw from {f} yet: your stake unlocks at block {unlock_at}"
	)]);
	assert_eq!(access.balance(&dave).1, held_before, "a refused withdrawal released something");
	access.advance_to(unlock_at - 1);
	let withdrawn = json_as("//Dave", &["withdraw", &f]);
	assert_json_shape(
		"withdraw",
		&withdrawn,
		json!({"version": "<cid>", "account": "<account>", "amount": "<amount>", "slashed": null, "block": block_shape()}),
	);
	assert_eq!(amount(&withdrawn["amount"]), 10 * ZOO, "withdrew other than staked");
	assert_eq!(access.balance(&dave).1, held_before - 10 * ZOO, "the hold released is not the stake");
	assert!(show_dave(&f)["position"].is_null(), "Dave's emptied position stays");
	as_key("//Dave", &["unstake", &f, "--all"]).assert_one_line_error(&[&format!("has no stake on {f}")]);

	as_key("//Eve", &["unstake", &f, "19.5"])
		.assert_one_line_error(&["that would leave less than the minimum of 1 ZOO staked", "--all"]);
	let eve_unbond = json_as("//Eve", &["unstake", &f, "5"]);
	assert_eq!(amount(&eve_unbond["amount"]), 5 * ZOO);

	// -- 5. Search ranks by stake: the fine-tune (15 + 30 + 5 ZOO bonded, and fees), Alice's
	// first version (40), her second (2).
	let search = |args: &[&str]| {
		let answer = zoo.json(&[&["search"][..], args].concat());
		answer["versions"]
			.as_array()
			.unwrap()
			.iter()
			.map(|row| row["version"].as_str().unwrap().to_owned())
			.collect::<Vec<_>>()
	};
	let ranked = zoo.json(&["search"]);
	let row_shape = json!({"rank": "<number>", "version": "<cid>", "model": "<path>", "score": "<amount>",
		"stake": "<amount>", "curators": "<number>", "fees_ema": "<amount>"});
	let mut expected = json!({"versions": [row_shape.clone(), row_shape.clone(), row_shape]});
	for (row, model) in ["beta-labs/tuned", "alpha-labs/base", "alpha-labs/base"].iter().enumerate() {
		expected["versions"][row]["model"] = json!(model);
	}
	assert_json_shape("search", &ranked, expected);
	let rows = ranked["versions"].as_array().unwrap();
	let order: Vec<&str> = rows.iter().map(|row| row["version"].as_str().unwrap()).collect();
	assert_eq!(order, [f.as_str(), a1.as_str(), a2.as_str()]);
	let stakes_ranked: Vec<u128> = rows.iter().map(|row| amount(&row["stake"])).collect();
	assert_eq!(stakes_ranked, [50 * ZOO, 40 * ZOO, 2 * ZOO]);
	assert_eq!(rows.iter().map(|row| row["rank"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
	// The fee average decays by era from the purchase's fee.
	let fees_ema = amount(&rows[0]["fees_ema"]);
	assert!(rows[0]["curators"] == 3 && fees_ema > 0 && fees_ema <= share, "{}", rows[0]);
	let table = zoo.run(&["search"]).assert_ok().stdout.clone();
	let lines: Vec<&str> = table.lines().collect();
	assert_eq!(lines.len(), 4, "{table}");
	for word in ["rank", "cid", "model", "score", "stake", "curators", "fees"] {
		assert!(lines[0].contains(word), "{table}");
	}
	for (line, (cid, stake)) in lines[1..].iter().zip([(&f, "50 ZOO"), (&a1, "40 ZOO"), (&a2, "2 ZOO")]) {
		assert!(line.contains(cid.as_str()) && line.contains(stake), "{table}");
	}
	assert_eq!(search(&["--license", "terms"]), [f.clone(), a1.clone()]);
	assert_eq!(search(&["--license", "spdx"]), [a2.clone()]);
	assert_eq!(search(&["--tag", "task=chat"]), [f.clone()]);
	assert_eq!(search(&["--tag", "task"]), [f.clone()]);
	assert!(search(&["--tag", "task=vision"]).is_empty());
	assert_eq!(search(&["--metric", "accuracy>=0.84"]), [f.clone(), a2.clone()]);
	assert_eq!(search(&["--metric", "accuracy>=0.84", "--license", "spdx"]), [a2.clone()]);
	assert_eq!(search(&["--limit", "1"]), [f.clone()]);
	zoo.run(&["search", "--metric", "accuracy=0.9"]).assert_one_line_error(&["expected NAME>=VALUE"]);

	// -- 6. A dispute freezes the stake.
	let reporter = account("//Dave//stash");
	let opened = json_as(
		"//Dave//stash",
		&["dispute", "open", &f, "--reason", "malware", "--evidence", "https://evidence.example/f-malware"],
	);
	assert_json_shape(
		"dispute open",
		&opened,
		json!({"id": "<number>", "version": "<cid>", "reporter": "<account>", "reason": "malware", "bond": "<amount>",
			"block": block_shape()}),
	);
	let dispute = opened["id"].as_u64().unwrap().to_string();
	assert_eq!(amount(&opened["bond"]), 10 * ZOO);
	let (reporter_free, reporter_held) = access.balance(&reporter);
	let frozen = zoo.json(&["curation", "show", &f])["curation"].clone();
	assert_eq!(frozen["dispute"], json!(opened["id"]));
	as_key("//Eve//stash", &["dispute", "open", &f, "--reason", "other", "--evidence", &"ab".repeat(32)])
		.assert_one_line_error(&[&format!("a dispute is already open on {f} (dispute {dispute})")]);
	as_key("//Ferdie", &["stake", &f, "1"])
		.assert_one_line_error(&[&format!("a dispute is open on {f}: stake after the verdict")]);
	as_key("//Eve", &["withdraw", &f])
		.assert_one_line_error(&[&format!("a dispute is open on {f}: withdraw after the verdict")]);
	assert_eq!(zoo.json(&["curation", "show", &f])["curation"], frozen, "a refusal changed the figures");
	as_key("//Eve//stash", &["dispute", "open", &f, "--reason", "spam", "--evidence", "https://x.example"])
		.assert_one_line_error(&["invalid dispute reason"]);
	let by_id = zoo.json(&["dispute", "show", &dispute]);
	let dispute_shape = json!({"id": "<number>", "version": "<cid>", "reporter": "<account>", "reason": "malware",
		"evidence": "https://evidence.example/f-malware", "bond": "<amount>", "opened_at": "<number>",
		"expires_at": "<number>"});
	assert_json_shape("dispute show <id>", &by_id, json!({"version": null, "dispute": dispute_shape.clone()}));
	assert_eq!(by_id["dispute"]["reporter"], reporter.to_string());
	let by_cid = zoo.json(&["dispute", "show", &f]);
	assert_json_shape("dispute show <cid>", &by_cid, json!({"version": "<cid>", "dispute": dispute_shape}));
	assert_eq!(search(&[]), [a1.clone(), a2.clone()], "search kept a disputed version");

	// -- 7. The council upholds it, by majority.
	as_key(
		"//Dave",
		&["council", "propose", "verdict", &dispute, "--uphold", "--slash", "50%", "--reporter-share", "20%"],
	)
	.assert_one_line_error(&[&format!("{dave} is not a member of the council")]);
	as_key("//Alice", &["council", "propose", "verdict", "7", "--reject"])
		.assert_one_line_error(&["dispute 7 is not open"]);
	as_key("//Alice", &["council", "propose", "verdict", &dispute, "--uphold", "--slash", "50%"])
		.assert_one_line_error(&["--reporter-share"]);
	let proposed = json_as(
		"//Alice",
		&["council", "propose", "verdict", &dispute, "--uphold", "--slash", "50%", "--reporter-share", "20%"],
	);
	let verdict = json!({"verdict": {"dispute": "<number>", "upheld": true, "slash_ppb": "<number>",
		"reporter_share_ppb": "<number>", "redirect_to": null}});
	assert_json_shape(
		"council propose verdict",
		&proposed,
		json!({"index": "<number>", "hash": "<hash>", "threshold": "<number>", "call": verdict.clone(), "block": block_shape()}),
	);
	assert_eq!(proposed["threshold"], 2);
	assert_eq!(
		(&proposed["call"]["verdict"]["slash_ppb"], &proposed["call"]["verdict"]["reporter_share_ppb"]),
		(&json!(500_000_000), &json!(200_000_000))
	);
	let motion = proposed["index"].as_u64().unwrap().to_string();
	let motions = zoo.json(&["council", "motions"]);
	assert_json_shape(
		"council motions",
		&motions,
		json!({"motions": [{"index": "<number>", "hash": "<hash>", "call": verdict, "length": "<number>",
			"threshold": "<number>", "ayes": [], "nays": [], "end": "<number>"}]}),
	);
	assert_eq!(motions["motions"][0]["hash"], proposed["hash"]);
	as_key(
		"//Bob",
		&["council", "propose", "verdict", &dispute, "--uphold", "--slash", "50%", "--reporter-share", "20%"],
	)
	.assert_one_line_error(&[&format!("the same motion is already open as motion {motion} (uphold dispute")]);

	let voted = json_as("//Alice", &["council", "vote", &motion, "aye"]);
	assert_json_shape(
		"council vote",
		&voted,
		json!({"index": "<number>", "hash": "<hash>", "account": "<account>", "aye": true, "ayes": "<number>",
			"nays": "<number>", "block": block_shape()}),
	);
	as_key("//Alice", &["council", "vote", &motion, "aye"])
		.assert_one_line_error(&[&format!("{} already voted aye on motion {motion}", account("//Alice"))]);
	as_key("//Dave", &["council", "vote", &motion, "aye"]).assert_one_line_error(&["is not a member of the council"]);
	as_key("//Charlie", &["council", "close", &motion])
		.assert_one_line_error(&[&format!("motion {motion} cannot be closed yet: it has 1 of the 2 ayes it needs")]);
	as_key("//Bob", &["council", "vote", "9", "aye"]).assert_one_line_error(&["motion 9 is not open"]);
	let after_refusals = zoo.json(&["council", "motions"]);
	assert_eq!(after_refusals["motions"][0]["ayes"], json!([account("//Alice").to_string()]));
	assert_eq!(after_refusals["motions"][0]["nays"], json!([]));
	assert!(zoo.json(&["show", &f])["yanked"].is_null(), "a refused close dispatched the verdict");

	let hash = proposed["hash"].as_str().unwrap();
	assert_eq!(json_as("//Bob", &["council", "vote", hash, "aye"])["ayes"], 2);
	assert_eq!(json_as("//Charlie", &["council", "vote", &motion, "nay"])["nays"], 1);
	let closed = json_as("//Charlie", &["council", "close", &motion]);
	assert_json_shape(
		"council close",
		&closed,
		json!({"index": "<number>", "hash": "<hash>", "approved": true, "ayes": "<number>", "nays": "<number>",
			"call_error": null, "block": block_shape()}),
	);
	assert_eq!((closed["ayes"].as_u64(), closed["nays"].as_u64()), (Some(2), Some(1)));
	assert_eq!(zoo.json(&["council", "motions"]), json!({"motions": []}));

	// -- 8. Yanked, slashed by half as each position is touched, the reporter paid 20 %.
	assert_eq!(zoo.json(&["show", &f])["yanked"], "dispute upheld: malware");
	let after = zoo.json(&["curation", "show", &f])["curation"].clone();
	assert_eq!((after["factor"].as_str(), after["dispute"].is_null()), (Some("0.5"), true), "{after}");
	assert_eq!(amount(&after["active_stake"]) + amount(&after["pending_stake"]), 25 * ZOO, "{after}");
	assert_eq!(amount(&after["unbonding_stake"]), 5 * ZOO / 2, "{after}");
	assert!(zoo.json(&["dispute", "show", &f])["dispute"].is_null());
	zoo.run(&["dispute", "show", &dispute]).assert_one_line_error(&[&format!("dispute {dispute} is not open")]);
	as_key("//Ferdie", &["stake", &f, "1"]).assert_one_line_error(&[&format!("{f} is yanked")]);

	// Eve holds 15 ZOO bonded and 5 unbonding, Ferdie 30, Bob's stash 5: each loses half.
	let mut to_reporter = 0;
	for (key, held) in [("//Eve", 20 * ZOO), ("//Ferdie", 30 * ZOO), ("//Bob//stash", 5 * ZOO)] {
		let (_, reserved_before) = access.balance(&account(key));
		let claimed = json_as(key, &["claim", &f]);
		let slashed = &claimed["slashed"];
		assert_json_shape("claim (slashed)", slashed, json!({"amount": "<amount>", "to_reporter": "<amount>"}));
		assert_eq!(amount(&slashed["amount"]), held / 2, "{key}: {claimed}");
		assert_eq!(amount(&slashed["to_reporter"]), held / 2 / 5, "{key}: {claimed}");
		assert_eq!(access.balance(&account(key)).1, reserved_before - held / 2, "{key}'s hold after the slash");
		to_reporter += held / 2 / 5;
	}
	let (free, held) = access.balance(&reporter);
	assert_eq!(held, reporter_held - 10 * ZOO, "the bond was not released");
	assert_eq!(free, reporter_free + 10 * ZOO + to_reporter, "the reporter was not paid its share");
	let text = as_key("//Eve", &["curation", "show", &f]).assert_ok().stdout.clone();
	assert!(
		text.contains("yanked    dispute upheld: malware") && text.contains("worth 0.5 of what was staked"),
		"{text}"
	);

	let model = zoo.json(&["curation", "show", "beta-labs/tuned"]);
	assert_json_shape(
		"curation show <model>",
		&model,
		json!({"model": "beta-labs/tuned", "stake": "<amount>", "curators": "<number>", "fees_lifetime": "<amount>"}),
	);
	assert_eq!(
		(amount(&model["stake"]), model["curators"].as_u64(), amount(&model["fees_lifetime"])),
		(25 * ZOO, Some(3), share)
	);
	assert_eq!(search(&[]), [a1.clone(), a2.clone()], "search kept the yanked version");
	assert_eq!(search(&["--license", "terms"]), [a1.clone()]);

	// -- 9. A dispute the council rejects: fees paid meanwhile are escrowed, then released to
	// the curators; the reporter's bond is burned; the version stays.
	json_as("//Alice", &["license", "offer", &a1, "--id", "1", "--use", "--price", "5"]);
	let reporter = account("//Eve//stash");
	let opened = json_as(
		"//Eve//stash",
		&["dispute", "open", &a1, "--reason", "license-violation", "--evidence", &format!("0x{}", "cd".repeat(32))],
	);
	assert_eq!(opened["reason"], "license_violation");
	let dispute = opened["id"].as_u64().unwrap().to_string();
	assert_eq!(zoo.json(&["dispute", "show", &a1])["dispute"]["evidence"], "cd".repeat(32));
	let (reporter_free, reporter_held) = access.balance(&reporter);
	json_as("//Charlie", &["license", "buy", &a1, "--offer", "1", "--max-price", "5"]);
	let share_a1 = (5 * ZOO - 5 * ZOO * 2 / 100) / 10;
	let escrowed = zoo.json(&["curation", "show", &a1])["curation"].clone();
	assert_eq!(amount(&escrowed["escrow"]), share_a1, "{escrowed}");
	let curator = "//Alice//stash";
	assert_eq!(amount(&json_as(curator, &["curation", "show", &a1])["claimable"]["amount"]), 0, "escrow was shared");
	let proposed = json_as("//Bob", &["council", "propose", "verdict", &dispute, "--reject"]);
	assert_eq!(
		proposed["call"],
		json!({"verdict": {"dispute": opened["id"], "upheld": false, "slash_ppb": 0, "reporter_share_ppb": 0,
			"redirect_to": null}})
	);
	let motion = proposed["index"].as_u64().unwrap().to_string();
	json_as("//Bob", &["council", "vote", &motion, "aye"]);
	json_as("//Charlie", &["council", "vote", &motion, "aye"]);
	assert_eq!(json_as("//Alice", &["council", "close", &motion])["approved"], true);
	let (free, held) = access.balance(&reporter);
	assert_eq!((free, held), (reporter_free, reporter_held - 10 * ZOO), "the reporter's bond was not burned");
	assert!(zoo.json(&["show", &a1])["yanked"].is_null(), "a rejected dispute yanked the version");
	let released = zoo.json(&["curation", "show", &a1])["curation"].clone();
	assert_eq!((amount(&released["escrow"]), released["dispute"].is_null()), (0, true), "{released}");
	let claimed = amount(&json_as(curator, &["claim", &a1])["amount"]);
	assert!(claimed <= share_a1 && share_a1 - claimed <= 1, "the sole curator claimed {claimed} of {share_a1}");
	assert_eq!(search(&[]), [a1.clone(), a2.clone()]);

	// -- 10. A dispute with no verdict lapses: the timeout shortened to 3 blocks by sudo.
	access
		.tokio
		.block_on(access.chain.set_curation_periods(&dev::alice(), ERA, UNBONDING, SHORT_DISPUTE_TIMEOUT))
		.expect("sudo set_storage of the dispute timeout");
	let reporter = account("//Dave//stash");
	let opened =
		json_as("//Dave//stash", &["dispute", "open", &a2, "--reason", "other", "--evidence", "https://x.example"]);
	let lapsing = opened["id"].as_u64().unwrap().to_string();
	let shown = zoo.json(&["dispute", "show", &lapsing])["dispute"].clone();
	let expires_at = shown["expires_at"].as_u64().unwrap() as u32;
	assert_eq!(expires_at, shown["opened_at"].as_u64().unwrap() as u32 + SHORT_DISPUTE_TIMEOUT, "{shown}");
	assert!(search(&[]).iter().all(|v| *v != a2), "search kept a disputed version");
	let (free, held) = access.balance(&reporter);
	let next = access.block_number() + 1;
	assert!(next < expires_at);
	as_key("//Ferdie", &["dispute", "close", &lapsing]).assert_one_line_error(&[&format!(
		"dispute {lapsing} lapses at block {expires_at} and the next block is {next}: until then only the council's \
		 verdict closes it"
	)]);
	as_key("//Ferdie", &["dispute", "close", "77"]).assert_one_line_error(&["dispute 77 is not open"]);
	assert_eq!(access.balance(&reporter), (free, held), "a refused close changed the bond");
	assert_eq!(zoo.json(&["dispute", "show", &lapsing])["dispute"], shown, "a refused close changed the dispute");
	access.advance_to(expires_at - 1);
	let closed = json_as("//Ferdie", &["dispute", "close", &lapsing]);
	assert_json_shape(
		"dispute close",
		&closed,
		json!({"id": "<number>", "version": "<cid>", "bond_burned": "<amount>", "escrow": "<amount>",
			"block": block_shape()}),
	);
	assert_eq!((amount(&closed["bond_burned"]), closed["version"].as_str()), (10 * ZOO, Some(a2.as_str())));
	assert_eq!(access.balance(&reporter), (free, held - 10 * ZOO), "the lapsed dispute's bond was not burned");
	assert!(zoo.json(&["dispute", "show", &a2])["dispute"].is_null());
	as_key("//Ferdie", &["dispute", "close", &lapsing])
		.assert_one_line_error(&[&format!("dispute {lapsing} is not open")]);
	assert_eq!(search(&[]), [a1.clone(), a2.clone()], "a version whose dispute lapsed is not ranked again");

	// `zoo watch` follows the curation and council events of the story, decoded.
	let until = access.block_number().to_string();
	let replay = zoo.run(&["watch", "--from-block", "0", "--until-block", &until]);
	replay.assert_ok();
	let events: Vec<serde_json::Value> =
		replay.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
	let count = |kind: &str| {
		events
			.iter()
			.filter(|e| format!("{}.{}", e["pallet"].as_str().unwrap(), e["event"].as_str().unwrap()) == kind)
			.count()
	};
	assert_eq!(count("Curation.DisputeUpheld") + count("Curation.DisputeRejected"), 2, "{}", replay.stdout);
	assert_eq!(count("Curation.DisputeLapsed"), 1, "{}", replay.stdout);
	for kind in [
		"Curation.Staked",
		"Curation.Credited",
		"Curation.Claimed",
		"Curation.Slashed",
		"Council.Proposed",
		"Council.Voted",
		"Council.Executed",
	] {
		assert!(count(kind) > 0, "zoo watch printed no {kind}");
	}
	let staked = events.iter().find(|e| e["event"] == "Staked").unwrap();
	assert_eq!(staked["fields"]["version"], json!(f), "{staked}");

	// A council of one cannot give verdicts: refused before anything is sent. Its members change
	// only by a two-thirds motion: the dev chain's sudo key dispatches `set_members` with the
	// origin of a unanimous one (`Utility::dispatch_as`, which needs Root).
	access.tokio.block_on(async {
		use runtime::runtime_types::{
			pallet_collective::{RawOrigin, pallet::Call},
			pallet_utility::pallet::Call as UtilityCall,
			zoo_runtime::{OriginCaller, RuntimeCall},
		};
		let call = RuntimeCall::Council(Call::set_members {
			new_members: vec![account("//Alice")],
			prime: None,
			old_count: 3,
		});
		let as_council = RuntimeCall::Utility(UtilityCall::dispatch_as {
			as_origin: Box::new(OriginCaller::Council(RawOrigin::Members(3, 3))),
			call: Box::new(call),
		});
		let at = access.api.at_current_block().await.unwrap();
		let sudo = runtime::transactions().sudo().sudo(as_council);
		let progress = at.transactions().sign_and_submit_then_watch_default(&sudo, &keypair("//Alice")).await.unwrap();
		progress.wait_for_finalized_success().await.unwrap();
	});
	assert_eq!(zoo.json(&["council", "members"])["members"], json!([account("//Alice").to_string()]));
	let (free, _) = access.balance(&account("//Alice"));
	as_key("//Alice", &["council", "propose", "verdict", &dispute, "--reject"])
		.assert_one_line_error(&["a council of one member cannot pass a verdict"]);
	assert_eq!(access.balance(&account("//Alice")).0, free, "a refused proposal was sent");

	eprintln!(
		"[curation] the curation story (stake, purchase, claims, unbond and withdraw, disputes, council verdicts, \
		 slashes, search) took {:.1} s",
		started.elapsed().as_secs_f64()
	);
}
