//! Unit tests: terms, splits, offers, purchases and claims to the unit, every derivative rule
//! with a passing and a refused commit (exact error, no state change), usage channels with
//! every bad voucher, sealed versions and key releases with every refusal, and a property test
//! of the cascade against a reference implementation.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pallet_model_registry::Role;
use sp_runtime::testing::TestSignature;
use zoo_primitives::{EdgeKind, License, Manifest, ModelName, VersionId, testing::ManifestBuilder};

fn name(text: &str) -> ModelName {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Terms that allow every derivative for free, with no share: the baseline each test changes.
fn open_terms() -> TermsOf<Test> {
	Terms {
		commercial_use: true,
		derivatives_allowed: EdgeKindSet::ALL_DERIVATIONS,
		derivatives_paid: EdgeKindSet::NONE,
		share_alike: false,
		approval_required: false,
		attribution_required: false,
		name_prefix: None,
		restrictions: RestrictionSet::default(),
		upstream_share: [0; 7],
		grant_duration: None,
		legal_hash: [7; 32],
		legal_uri: b"https://example.invalid/terms".to_vec().try_into().unwrap(),
	}
}

/// Paid fine-tunes with a `share` (ppb) upstream, as in the licensing story.
fn paid_finetune_terms(share: Ppb) -> TermsOf<Test> {
	let mut terms = open_terms();
	terms.derivatives_paid = EdgeKindSet::of(&[EdgeKind::Finetune]);
	terms.upstream_share[EdgeKind::Finetune as usize] = share;
	terms.grant_duration = Some(100);
	terms
}

fn register(who: AccountId, terms: TermsOf<Test>) -> TermsId {
	let id = NextTermsId::<Test>::get();
	assert_ok!(Licensing::register_terms(signed(who), terms));
	id
}

fn create(owner: AccountId, model: &str) {
	assert_ok!(ModelRegistry::create_model(signed(owner), name(model)));
}

fn commit_manifest(who: AccountId, manifest: Manifest) -> VersionId {
	let id = manifest.id();
	assert_ok!(ModelRegistry::commit_version(signed(who), manifest));
	id
}

fn commit(who: AccountId, model: &str, license: License, parents: &[(VersionId, EdgeKind)]) -> VersionId {
	commit_manifest(who, ManifestBuilder::new(model).license(license).parents(parents).message(model).build())
}

fn table(version: VersionId) -> Vec<(VersionId, Ppb)> {
	Royalties::<Test>::get(version).unwrap().iter().map(|e| (e.version, e.share)).collect()
}

fn percent(p: u32) -> Ppb {
	p * 10_000_000
}

/// `purchase` naming the kind of grant the offer sells now (`Use` for an unknown or usage
/// offer), as a buyer who read the offer just before signing does.
fn purchase(
	who: AccountId,
	version: VersionId,
	offer: OfferId,
	max_price: Balance,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	let derivative = Offers::<Test>::get(version).get(&offer).is_some_and(|o| o.kind == OfferKind::Derivative);
	let kind = if derivative { GrantKind::Derivative } else { GrantKind::Use };
	Licensing::purchase(signed(who), version, offer, kind, max_price)
}

fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

mod terms {
	use super::*;

	#[test]
	fn registered_once_with_a_deposit() {
		run(|| {
			let id = register(ALICE, open_terms());
			assert_eq!(Licensing::terms(id), Some(open_terms()));
			assert_eq!(Licensing::terms_id(open_terms()), Some(id));
			assert_eq!(Balances::balance_on_hold(&HoldReason::TermsDeposit.into(), &ALICE), TERMS_DEPOSIT);
			assert_noop!(Licensing::register_terms(signed(BOB), open_terms()), Error::<Test>::TermsExist);
			assert_noop!(
				Licensing::register_terms(signed(POOR), paid_finetune_terms(1)),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn inconsistent_terms_are_refused_one_error_each() {
		run(|| {
			let no_derivatives = || Terms { derivatives_allowed: EdgeKindSet::NONE, ..open_terms() };
			let cases: Vec<(TermsOf<Test>, Error<Test>)> = vec![
				(Terms { derivatives_allowed: EdgeKindSet(1), ..open_terms() }, Error::InvalidKindSet),
				(Terms { derivatives_paid: EdgeKindSet(0x80), ..open_terms() }, Error::InvalidKindSet),
				(
					Terms { derivatives_paid: EdgeKindSet::of(&[EdgeKind::Distill]), ..no_derivatives() },
					Error::PaidKindNotAllowed,
				),
				(Terms { share_alike: true, ..no_derivatives() }, Error::ShareAlikeWithoutDerivatives),
				(Terms { approval_required: true, ..no_derivatives() }, Error::DerivativeRuleWithoutDerivatives),
				(Terms { attribution_required: true, ..no_derivatives() }, Error::DerivativeRuleWithoutDerivatives),
				(
					Terms { name_prefix: Some(b"llama".to_vec().try_into().unwrap()), ..no_derivatives() },
					Error::DerivativeRuleWithoutDerivatives,
				),
				(
					{
						let mut terms = no_derivatives();
						terms.upstream_share[EdgeKind::Finetune as usize] = 1;
						terms
					},
					Error::ShareForForbiddenKind,
				),
				(
					{
						let mut terms = open_terms();
						terms.upstream_share[EdgeKind::Revision as usize] = 1;
						terms
					},
					Error::ShareForForbiddenKind,
				),
				(paid_finetune_terms(MAX_UPSTREAM + 1), Error::ShareTooHigh),
				(Terms { grant_duration: Some(0), ..open_terms() }, Error::ZeroGrantDuration),
				(
					Terms { name_prefix: Some(b"Llama".to_vec().try_into().unwrap()), ..open_terms() },
					Error::InvalidNamePrefix,
				),
				(Terms { name_prefix: Some(Default::default()), ..open_terms() }, Error::InvalidNamePrefix),
				(
					Terms { legal_uri: b"no scheme".to_vec().try_into().unwrap(), ..open_terms() },
					Error::InvalidLegalUri,
				),
			];
			for (terms, error) in cases {
				assert_noop!(Licensing::register_terms(signed(ALICE), terms), error);
			}
		});
	}
}

mod splits {
	use super::*;

	#[test]
	fn admins_set_whole_splits_and_versions_keep_theirs() {
		run(|| {
			create(ALICE, "base/llm");
			let split = |entries: &[(AccountId, Bps)]| -> SplitOf<Test> { entries.to_vec().try_into().unwrap() };
			assert_noop!(
				Licensing::set_split(signed(BOB), name("base/llm"), split(&[(BOB, 10_000)])),
				Error::<Test>::NotAdmin
			);
			assert_noop!(
				Licensing::set_split(signed(ALICE), name("base/none"), split(&[(BOB, 10_000)])),
				Error::<Test>::UnknownModel
			);
			assert_noop!(
				Licensing::set_split(signed(ALICE), name("base/llm"), split(&[])),
				Error::<Test>::InvalidSplit
			);
			assert_noop!(
				Licensing::set_split(signed(ALICE), name("base/llm"), split(&[(ALICE, 5_000), (ALICE, 5_000)])),
				Error::<Test>::InvalidSplit
			);
			assert_noop!(
				Licensing::set_split(signed(ALICE), name("base/llm"), split(&[(ALICE, 10_000), (BOB, 0)])),
				Error::<Test>::InvalidSplit
			);
			assert_noop!(
				Licensing::set_split(signed(ALICE), name("base/llm"), split(&[(ALICE, 5_000), (BOB, 4_999)])),
				Error::<Test>::SplitNotWhole
			);
			let v1 = commit(ALICE, "base/llm", License::Unspecified, &[]);
			assert_eq!(Licensing::version_split(v1).unwrap().into_inner(), vec![(ALICE, 10_000)]);
			assert_ok!(Licensing::set_split(signed(ALICE), name("base/llm"), split(&[(ALICE, 7_000), (BOB, 3_000)])));
			assert_eq!(Balances::balance_on_hold(&HoldReason::SplitDeposit.into(), &ALICE), 2 * SPLIT_DEPOSIT);
			let v2 = commit(ALICE, "base/llm", License::Unspecified, &[(v1, EdgeKind::Revision)]);
			assert_eq!(Licensing::version_split(v1).unwrap().into_inner(), vec![(ALICE, 10_000)]);
			assert_eq!(Licensing::version_split(v2).unwrap().into_inner(), vec![(ALICE, 7_000), (BOB, 3_000)]);
			// Another admin replaces it: the first setter's deposit comes back.
			assert_ok!(ModelRegistry::set_role(signed(ALICE), name("base/llm"), CHARLIE, Some(Role::Admin)));
			assert_ok!(Licensing::set_split(signed(CHARLIE), name("base/llm"), split(&[(CHARLIE, 10_000)])));
			assert_eq!(Balances::balance_on_hold(&HoldReason::SplitDeposit.into(), &ALICE), 0);
			assert_eq!(Balances::balance_on_hold(&HoldReason::SplitDeposit.into(), &CHARLIE), SPLIT_DEPOSIT);
		});
	}
}

mod offers_and_purchases {
	use super::*;

	/// A base model under paid-fine-tune terms with a use offer (0) and a derivative offer (1).
	fn base_with_offers(use_price: Balance, derivative_price: Balance) -> VersionId {
		create(ALICE, "base/llm");
		let terms = register(ALICE, paid_finetune_terms(percent(10)));
		let base = commit(ALICE, "base/llm", License::Terms(terms), &[]);
		assert_ok!(Licensing::set_offer(signed(ALICE), base, 0, OfferKind::Use, use_price));
		assert_ok!(Licensing::set_offer(signed(ALICE), base, 1, OfferKind::Derivative, derivative_price));
		base
	}

	#[test]
	fn offers_follow_the_terms() {
		run(|| {
			create(ALICE, "base/other");
			let spdx = commit(ALICE, "base/other", License::Spdx(b"MIT".to_vec().try_into().unwrap()), &[]);
			assert_noop!(
				Licensing::set_offer(signed(ALICE), spdx, 0, OfferKind::Use, 100),
				Error::<Test>::OffersNeedTerms
			);
			let nc = register(ALICE, Terms { commercial_use: false, ..open_terms() });
			let nc_version = commit(ALICE, "base/other", License::Terms(nc), &[(spdx, EdgeKind::Revision)]);
			assert_noop!(
				Licensing::set_offer(signed(ALICE), nc_version, 0, OfferKind::Use, 100),
				Error::<Test>::CommercialUseNotAllowed
			);
			assert_noop!(
				Licensing::set_offer(signed(ALICE), nc_version, 0, OfferKind::Usage, 1),
				Error::<Test>::CommercialUseNotAllowed
			);
			assert_noop!(
				Licensing::set_offer(signed(ALICE), nc_version, 0, OfferKind::Derivative, 100),
				Error::<Test>::NoPaidDerivatives
			);
			let base = base_with_offers(100, 500);
			assert_noop!(Licensing::set_offer(signed(BOB), base, 2, OfferKind::Use, 100), Error::<Test>::NotAdmin);
			assert_noop!(
				Licensing::set_offer(signed(ALICE), base, 2, OfferKind::Use, MIN_PRICE - 1),
				Error::<Test>::PriceTooLow
			);
			assert_noop!(Licensing::set_offer(signed(ALICE), base, 2, OfferKind::Usage, 0), Error::<Test>::PriceTooLow);
			assert_noop!(
				Licensing::set_offer(signed(ALICE), VersionId([9; 32]), 0, OfferKind::Use, 100),
				Error::<Test>::UnknownVersion
			);
			assert_ok!(Licensing::set_offer(signed(ALICE), base, 2, OfferKind::Usage, 1));
			assert_ok!(Licensing::set_offer(signed(ALICE), base, 3, OfferKind::Use, 200));
			assert_noop!(
				Licensing::set_offer(signed(ALICE), base, 4, OfferKind::Use, 100),
				Error::<Test>::TooManyOffers
			);
			// A new price costs no new deposit.
			assert_ok!(Licensing::set_offer(signed(ALICE), base, 3, OfferKind::Use, 300));
			assert_eq!(Balances::balance_on_hold(&HoldReason::OfferDeposit.into(), &ALICE), 4 * OFFER_DEPOSIT);
			assert_eq!(Licensing::offers(base)[3], (3, OfferKind::Use, 300));
			assert_noop!(Licensing::remove_offer(signed(ALICE), base, 9), Error::<Test>::UnknownOffer);
			assert_ok!(Licensing::remove_offer(signed(ALICE), base, 3));
			assert_eq!(Balances::balance_on_hold(&HoldReason::OfferDeposit.into(), &ALICE), 3 * OFFER_DEPOSIT);
		});
	}

	#[test]
	fn a_purchase_never_charges_more_than_agreed_and_splits_to_the_unit() {
		run(|| {
			let base = base_with_offers(1_000, 5_000);
			let issuance = Balances::total_issuance();
			let before = free(DAVE);
			let pot = free(Licensing::pot());
			assert_noop!(purchase(DAVE, base, 0, 999), Error::<Test>::PriceAboveMaximum);
			assert_noop!(purchase(DAVE, base, 7, 1_000), Error::<Test>::UnknownOffer);
			assert_noop!(purchase(POOR, base, 0, 1_000), Error::<Test>::InsufficientBalance);
			assert_ok!(purchase(DAVE, base, 0, 1_000));
			// 2 % protocol fee, burned; 980 into the pot, all to the base's vault.
			assert_eq!(before - free(DAVE), 1_000 + GRANT_DEPOSIT);
			assert_eq!(free(Licensing::pot()) - pot, 980);
			assert_eq!(Licensing::vault(base), 980);
			assert_eq!(Balances::total_issuance(), issuance - 20);
			let grant = Licensing::grant(base, DAVE, GrantKind::Use).unwrap();
			assert_eq!(grant.expires_at, Some(101));
			assert!(Licensing::may_use(base, DAVE, 100));
			assert!(!Licensing::may_use(base, DAVE, 101));
			assert!(!Licensing::may_use(base, CHARLIE, 50));
			assert!(Licensing::may_use(base, ALICE, 50), "admins use their own model");
			// Buying again extends from the current expiry, not from now.
			System::set_block_number(50);
			assert_ok!(purchase(DAVE, base, 0, 1_000));
			assert_eq!(Licensing::grant(base, DAVE, GrantKind::Use).unwrap().expires_at, Some(201));
			// After it lapsed, from now.
			System::set_block_number(300);
			assert_ok!(purchase(DAVE, base, 0, 1_000));
			assert_eq!(Licensing::grant(base, DAVE, GrantKind::Use).unwrap().expires_at, Some(400));
			assert_eq!(Balances::balance_on_hold(&HoldReason::GrantDeposit.into(), &DAVE), GRANT_DEPOSIT);
			// Derivative grants count credits.
			assert_ok!(purchase(DAVE, base, 1, 5_000));
			assert_ok!(purchase(DAVE, base, 1, 5_000));
			assert_eq!(Licensing::grant(base, DAVE, GrantKind::Derivative).unwrap().credits, 2);
			// Giving a grant up returns its deposit.
			assert_noop!(Licensing::drop_grant(signed(CHARLIE), base, GrantKind::Use), Error::<Test>::UnknownGrant);
			assert_ok!(Licensing::drop_grant(signed(DAVE), base, GrantKind::Use));
			assert_eq!(Balances::balance_on_hold(&HoldReason::GrantDeposit.into(), &DAVE), GRANT_DEPOSIT);
		});
	}

	#[test]
	fn curators_take_their_share_only_of_a_version_they_are_staked_on() {
		run(|| {
			let base = base_with_offers(1_000, 5_000);
			let (pot, curators) = (free(Licensing::pot()), free(CURATORS));
			// Nobody staked: the payees keep the whole 980.
			assert_ok!(purchase(DAVE, base, 0, 1_000));
			assert_eq!((Licensing::vault(base), free(CURATORS) - curators), (980, 0));
			// Staked: 10 % of the 980 (98) goes to the curators, 882 to the payees, to the unit.
			CURATED.with(|curated| curated.borrow_mut().push(base));
			let issuance = Balances::total_issuance();
			assert_ok!(purchase(DAVE, base, 0, 1_000));
			assert_eq!(free(CURATORS) - curators, 98);
			assert_eq!(Licensing::vault(base), 980 + 882);
			assert_eq!(free(Licensing::pot()) - pot, 980 + 882);
			assert_eq!(Balances::total_issuance(), issuance - 20, "only the protocol fee is burned");
		});
	}

	#[test]
	fn a_purchase_fails_when_the_offer_changed_kind_after_signing() {
		// Audit A3-06: the buyer signs for a use grant; the admin turns the offer into a
		// derivative one at the same price before the purchase is included.
		run(|| {
			let base = base_with_offers(1_000, 5_000);
			assert_ok!(Licensing::set_offer(signed(ALICE), base, 0, OfferKind::Derivative, 1_000));
			assert_noop!(
				Licensing::purchase(signed(DAVE), base, 0, GrantKind::Use, 1_000),
				Error::<Test>::OfferKindMismatch
			);
			assert_noop!(
				Licensing::purchase(signed(DAVE), base, 1, GrantKind::Use, 5_000),
				Error::<Test>::OfferKindMismatch
			);
			assert_ok!(Licensing::purchase(signed(DAVE), base, 0, GrantKind::Derivative, 1_000));
			assert!(Licensing::grant(base, DAVE, GrantKind::Use).is_none());
			assert_eq!(Licensing::grant(base, DAVE, GrantKind::Derivative).unwrap().credits, 1);
		});
	}

	#[test]
	fn a_usage_offer_is_not_purchasable() {
		run(|| {
			let base = base_with_offers(1_000, 5_000);
			assert_ok!(Licensing::set_offer(signed(ALICE), base, 2, OfferKind::Usage, 3));
			assert_noop!(purchase(DAVE, base, 2, 1_000), Error::<Test>::UsageOfferNotPurchasable);
		});
	}
}

mod cascade {
	use super::*;

	/// The design note's example: base B (finetune upstream 10 %) -> F1 (another org's
	/// fine-tune, 90/10) -> F2 (revision, 90/10) -> Q (a third org's quantization; F's quantize
	/// upstream 80 %) = {Q 20 %, F2 72 %, B 8 %}.
	#[test]
	fn shares_are_relative_and_sum_to_exactly_100_percent() {
		run(|| {
			create(ALICE, "base/llm");
			create(BOB, "tune/llm-chat");
			create(CHARLIE, "quant/llm-chat-q4");
			let base_terms = register(ALICE, {
				let mut terms = open_terms();
				terms.upstream_share[EdgeKind::Finetune as usize] = percent(10);
				terms
			});
			let tune_terms = register(BOB, {
				let mut terms = open_terms();
				terms.upstream_share[EdgeKind::Quantize as usize] = percent(80);
				terms
			});
			let b = commit(ALICE, "base/llm", License::Terms(base_terms), &[]);
			let f1 = commit(BOB, "tune/llm-chat", License::Terms(tune_terms), &[(b, EdgeKind::Finetune)]);
			let f2 = commit_manifest(
				BOB,
				ManifestBuilder::new("tune/llm-chat")
					.license(License::Terms(tune_terms))
					.parent(f1, EdgeKind::Revision)
					.message("v2")
					.build(),
			);
			assert_eq!(table(b), vec![(b, percent(100))]);
			let mut expected = vec![(f1, percent(90)), (b, percent(10))];
			expected.sort();
			assert_eq!(table(f1), expected);
			let mut expected = vec![(f2, percent(90)), (b, percent(10))];
			expected.sort();
			assert_eq!(table(f2), expected);
			let q_terms = register(CHARLIE, Terms { legal_hash: [8; 32], ..open_terms() });
			let q_manifest = ManifestBuilder::new("quant/llm-chat-q4")
				.license(License::Terms(q_terms))
				.parent(f2, EdgeKind::Quantize)
				.build();
			let preview = Licensing::royalty_preview(q_manifest.clone()).unwrap();
			let q = commit_manifest(CHARLIE, q_manifest);
			let mut expected = vec![(q, percent(20)), (f2, percent(72)), (b, percent(8))];
			expected.sort();
			assert_eq!(table(q), expected);
			assert_eq!(preview.iter().map(|e| (e.version, e.share)).collect::<Vec<_>>(), expected);
			assert_eq!(Royalties::<Test>::get(q).unwrap().iter().find(|e| e.version == b).unwrap().hops, 2);

			// A payment for Q touches only Q's table, and splits to the unit.
			assert_ok!(Licensing::set_offer(signed(CHARLIE), q, 0, OfferKind::Use, 10_007));
			let issuance = Balances::total_issuance();
			assert_ok!(purchase(DAVE, q, 0, 10_007));
			let fee = 200; // 2 % of 10,007, rounded down
			let rest = 10_007 - fee;
			assert_eq!(Licensing::vault(b), rest * 8 / 100);
			assert_eq!(Licensing::vault(f2), rest * 72 / 100);
			assert_eq!(Licensing::vault(q), rest - rest * 8 / 100 - rest * 72 / 100);
			assert_eq!(Licensing::vault(b) + Licensing::vault(f2) + Licensing::vault(q) + fee, 10_007);
			assert_eq!(Balances::total_issuance(), issuance - fee);
			// Contributors pull; the vaults drain exactly.
			for (version, who) in [(b, ALICE), (f2, BOB), (q, CHARLIE)] {
				let before = free(who);
				let owed = Licensing::claimable(version, who);
				assert_eq!(owed, Licensing::vault(version));
				assert_ok!(Licensing::claim(signed(who), version));
				assert_eq!(free(who) - before, owed);
				assert_eq!(Licensing::claimable(version, who), 0);
			}
			assert_eq!(free(Licensing::pot()), EXISTENTIAL_DEPOSIT);
		});
	}

	#[test]
	fn revisions_of_two_branches_count_an_ancestor_once() {
		run(|| {
			create(ALICE, "base/llm");
			create(BOB, "tune/chat");
			let terms = register(ALICE, {
				let mut terms = open_terms();
				terms.upstream_share[EdgeKind::Finetune as usize] = percent(10);
				terms
			});
			let b = commit(ALICE, "base/llm", License::Terms(terms), &[]);
			let f = commit(BOB, "tune/chat", License::Unspecified, &[(b, EdgeKind::Finetune)]);
			let left = commit_manifest(
				BOB,
				ManifestBuilder::new("tune/chat").parent(f, EdgeKind::Revision).message("l").build(),
			);
			let right = commit_manifest(
				BOB,
				ManifestBuilder::new("tune/chat").parent(f, EdgeKind::Revision).message("r").build(),
			);
			let merged =
				commit(BOB, "tune/chat", License::Unspecified, &[(left, EdgeKind::Merge), (right, EdgeKind::Merge)]);
			let mut expected = vec![(merged, percent(90)), (b, percent(10))];
			expected.sort();
			assert_eq!(table(merged), expected);
		});
	}

	#[test]
	fn owing_too_much_upstream_refuses_the_commit() {
		run(|| {
			create(ALICE, "base/a");
			create(ALICE, "base/b");
			create(BOB, "tune/ab");
			let terms = register(ALICE, {
				let mut terms = open_terms();
				terms.upstream_share[EdgeKind::Merge as usize] = percent(50);
				terms
			});
			let a = commit(ALICE, "base/a", License::Terms(terms), &[]);
			let b = commit(ALICE, "base/b", License::Terms(terms), &[]);
			let manifest = ManifestBuilder::new("tune/ab")
				.license(License::Terms(terms))
				.parents(&[(a, EdgeKind::Merge), (b, EdgeKind::Merge)])
				.build();
			assert_eq!(Licensing::royalty_preview(manifest.clone()), Err(Refusal::UpstreamShareTooHigh));
			assert_eq!(Licensing::check_derivative(manifest.clone(), BOB), vec![Refusal::UpstreamShareTooHigh]);
			assert_noop!(ModelRegistry::commit_version(signed(BOB), manifest), Error::<Test>::UpstreamShareTooHigh);
		});
	}
}

mod claims {
	use super::*;

	#[test]
	fn a_split_pays_every_contributor_exactly_and_claims_cost_the_same_after_many_payments() {
		run(|| {
			create(ALICE, "base/llm");
			let split: SplitOf<Test> = vec![(ALICE, 3_333), (BOB, 3_333), (CHARLIE, 3_334)].try_into().unwrap();
			assert_ok!(Licensing::set_split(signed(ALICE), name("base/llm"), split));
			let terms = register(ALICE, open_terms());
			let v = commit(ALICE, "base/llm", License::Terms(terms), &[]);
			assert_ok!(Licensing::set_offer(signed(ALICE), v, 0, OfferKind::Use, 101));
			assert_noop!(Licensing::claim(signed(DAVE), v), Error::<Test>::NotAContributor);
			assert_noop!(Licensing::claim(signed(ALICE), VersionId([3; 32])), Error::<Test>::UnknownVersion);
			// Nothing owed: a no-op, not an error.
			assert_ok!(Licensing::claim(signed(BOB), v));
			for _ in 0..7 {
				assert_ok!(purchase(DAVE, v, 0, 101));
			}
			let total = Licensing::vault(v);
			assert_eq!(total, 7 * (101 - 2));
			let owed = [ALICE, BOB, CHARLIE].map(|who| Licensing::claimable(v, who));
			assert_eq!(owed.iter().sum::<Balance>(), total);
			assert_eq!(owed[1], total * 3_333 / 10_000);
			assert_eq!(owed[2], total * 3_334 / 10_000);
			assert_ok!(Licensing::claim(signed(BOB), v));
			assert_ok!(purchase(DAVE, v, 0, 101));
			assert_ok!(Licensing::claim(signed(BOB), v));
			assert_ok!(Licensing::claim(signed(ALICE), v));
			assert_ok!(Licensing::claim(signed(CHARLIE), v));
			let claimed: Balance = [ALICE, BOB, CHARLIE].iter().map(|who| Claimed::<Test>::get(v, who)).sum();
			assert_eq!(claimed, Licensing::vault(v));
			assert_eq!(free(Licensing::pot()), EXISTENTIAL_DEPOSIT);
		});
	}

	#[test]
	fn a_vault_never_pays_out_more_than_it_received() {
		// Audit A3-12: the first contributor's share (its own plus what rounding leaves) falls
		// from 2 to 1 when the vault grows from 2 to 3, after it claimed 2.
		run(|| {
			create(ALICE, "base/llm");
			let split: SplitOf<Test> = vec![(ALICE, 2), (BOB, 4_999), (CHARLIE, 4_999)].try_into().unwrap();
			assert_ok!(Licensing::set_split(signed(ALICE), name("base/llm"), split));
			let terms = register(ALICE, open_terms());
			let v = commit(ALICE, "base/llm", License::Terms(terms), &[]);
			let pay_in = |amount: Balance| {
				use frame_support::traits::fungible::Mutate;
				assert_ok!(Balances::mint_into(&Licensing::pot(), amount));
				Vaults::<Test>::mutate(v, |total| *total += amount);
			};
			pay_in(2);
			assert_ok!(Licensing::claim(signed(ALICE), v));
			assert_eq!(Claimed::<Test>::get(v, ALICE), 2);
			pay_in(1);
			assert_eq!(Licensing::claimable(v, ALICE), 0);
			assert_ok!(Licensing::claim(signed(BOB), v));
			assert_ok!(Licensing::claim(signed(CHARLIE), v));
			let claimed: Balance = [ALICE, BOB, CHARLIE].iter().map(|who| Claimed::<Test>::get(v, who)).sum();
			assert_eq!(claimed, 3, "one of BOB and CHARLIE waits for its unit");
			// The vault grows, and the one that waited is paid in full.
			pay_in(10_000);
			for who in [ALICE, BOB, CHARLIE] {
				assert_ok!(Licensing::claim(signed(who), v));
			}
			assert_eq!(Claimed::<Test>::get(v, BOB), 10_003 * 4_999 / 10_000);
			assert_eq!(Claimed::<Test>::get(v, CHARLIE), 10_003 * 4_999 / 10_000);
			let claimed: Balance = [ALICE, BOB, CHARLIE].iter().map(|who| Claimed::<Test>::get(v, who)).sum();
			assert_eq!(claimed, 10_003);
		});
	}
}

mod derivative_rules {
	use super::*;

	/// A base version of `base/llm` (by ALICE) under `terms`; BOB owns `tune/*`.
	fn base(terms: TermsOf<Test>) -> (VersionId, TermsId) {
		create(ALICE, "base/llm");
		create(BOB, "tune/chat");
		let id = register(ALICE, terms);
		(commit(ALICE, "base/llm", License::Terms(id), &[]), id)
	}

	fn derivative(parent: VersionId, edge: EdgeKind, license: License) -> Manifest {
		ManifestBuilder::new("tune/chat").license(license).parent(parent, edge).message("derived").build()
	}

	/// `manifest` by BOB is refused with `error` (and `check_derivative` says why), changing
	/// nothing.
	fn refused(manifest: Manifest, error: Error<Test>, refusal: Refusal) {
		assert!(Licensing::check_derivative(manifest.clone(), BOB).contains(&refusal));
		assert_noop!(ModelRegistry::commit_version(signed(BOB), manifest), error);
	}

	fn accepted(manifest: Manifest) -> VersionId {
		assert_eq!(Licensing::check_derivative(manifest.clone(), BOB), vec![]);
		commit_manifest(BOB, manifest)
	}

	#[test]
	fn edge_kinds_outside_the_terms_are_refused() {
		run(|| {
			let (b, _) = base(Terms { derivatives_allowed: EdgeKindSet::of(&[EdgeKind::Quantize]), ..open_terms() });
			refused(
				derivative(b, EdgeKind::Finetune, License::Unspecified),
				Error::DerivativeKindNotAllowed,
				Refusal::DerivativeKindNotAllowed,
			);
			accepted(derivative(b, EdgeKind::Quantize, License::Unspecified));
		});
	}

	#[test]
	fn a_paid_kind_needs_a_grant_consumed_exactly_once() {
		run(|| {
			let (b, _) = base(paid_finetune_terms(percent(10)));
			assert_ok!(Licensing::set_offer(signed(ALICE), b, 0, OfferKind::Derivative, 500));
			let first = derivative(b, EdgeKind::Finetune, License::Unspecified);
			refused(first.clone(), Error::DerivativeGrantRequired, Refusal::DerivativeGrantRequired);
			assert_ok!(purchase(BOB, b, 0, 500));
			accepted(first);
			assert_eq!(Licensing::grant(b, BOB, GrantKind::Derivative).unwrap().credits, 0);
			let second = ManifestBuilder::new("tune/chat").parent(b, EdgeKind::Finetune).message("second").build();
			refused(second.clone(), Error::DerivativeGrantRequired, Refusal::DerivativeGrantRequired);
			// An expired grant does not count.
			assert_ok!(purchase(BOB, b, 0, 500));
			let expires_at = Licensing::grant(b, BOB, GrantKind::Derivative).unwrap().expires_at.unwrap();
			assert_eq!(expires_at, 201, "extended from the first grant's expiry");
			System::set_block_number(expires_at);
			refused(second, Error::DerivativeGrantRequired, Refusal::DerivativeGrantRequired);
		});
	}

	#[test]
	fn share_alike_needs_the_same_terms() {
		run(|| {
			let (b, terms) = base(Terms { share_alike: true, ..open_terms() });
			refused(
				derivative(b, EdgeKind::Finetune, License::Unspecified),
				Error::ShareAlikeRequired,
				Refusal::ShareAlikeRequired,
			);
			let child = accepted(derivative(b, EdgeKind::Finetune, License::Terms(terms)));
			// A revision cannot shed it either.
			let revision = ManifestBuilder::new("tune/chat")
				.parent(child, EdgeKind::Revision)
				.message("relicensed")
				.spdx("MIT")
				.build();
			refused(revision, Error::ShareAlikeRequired, Refusal::ShareAlikeRequired);
		});
	}

	#[test]
	fn use_restrictions_only_grow() {
		run(|| {
			let (b, _) = base(Terms { restrictions: RestrictionSet(0b101), ..open_terms() });
			let fewer = register(BOB, Terms { restrictions: RestrictionSet(0b001), ..open_terms() });
			let more = register(BOB, Terms { restrictions: RestrictionSet(0b111), ..open_terms() });
			refused(
				derivative(b, EdgeKind::Finetune, License::Terms(fewer)),
				Error::UseRestrictionsDropped,
				Refusal::UseRestrictionsDropped,
			);
			refused(
				derivative(b, EdgeKind::Finetune, License::Unspecified),
				Error::UseRestrictionsDropped,
				Refusal::UseRestrictionsDropped,
			);
			accepted(derivative(b, EdgeKind::Finetune, License::Terms(more)));
		});
	}

	#[test]
	fn the_name_prefix_holds() {
		run(|| {
			let (b, _) = base(Terms { name_prefix: Some(b"llama".to_vec().try_into().unwrap()), ..open_terms() });
			refused(
				derivative(b, EdgeKind::Finetune, License::Unspecified),
				Error::NamePrefixRequired,
				Refusal::NamePrefixRequired,
			);
			create(BOB, "tune/llama-chat");
			let manifest = ManifestBuilder::new("tune/llama-chat").parent(b, EdgeKind::Finetune).build();
			assert_eq!(Licensing::check_derivative(manifest.clone(), BOB), vec![]);
			commit_manifest(BOB, manifest);
		});
	}

	#[test]
	fn attribution_is_present() {
		run(|| {
			let (b, _) = base(Terms { attribution_required: true, ..open_terms() });
			refused(
				derivative(b, EdgeKind::Finetune, License::Unspecified),
				Error::AttributionRequired,
				Refusal::AttributionRequired,
			);
			accepted(
				ManifestBuilder::new("tune/chat").parent(b, EdgeKind::Finetune).paths(&["NOTICE", "model.bin"]).build(),
			);
			accepted(
				ManifestBuilder::new("tune/chat").parent(b, EdgeKind::Finetune).tag("attribution", "base/llm").build(),
			);
		});
	}

	#[test]
	fn non_commercial_parents_make_non_commercial_children() {
		run(|| {
			let (b, nc) = base(Terms { commercial_use: false, ..open_terms() });
			refused(
				derivative(b, EdgeKind::Finetune, License::Unspecified),
				Error::NonCommercialUpstream,
				Refusal::NonCommercialUpstream,
			);
			let commercial = register(BOB, open_terms());
			refused(
				derivative(b, EdgeKind::Finetune, License::Terms(commercial)),
				Error::NonCommercialUpstream,
				Refusal::NonCommercialUpstream,
			);
			accepted(derivative(b, EdgeKind::Finetune, License::Terms(nc)));
			let spdx_nc = ManifestBuilder::new("tune/chat").parent(b, EdgeKind::Quantize).spdx("CC-BY-NC-4.0").build();
			accepted(spdx_nc);
		});
	}

	#[test]
	fn approval_is_required_where_the_terms_say_so() {
		run(|| {
			let (b, _) = base(Terms { approval_required: true, ..open_terms() });
			let manifest = derivative(b, EdgeKind::Finetune, License::Unspecified);
			refused(manifest.clone(), Error::ApprovalRequired, Refusal::ApprovalRequired);
			assert_noop!(Licensing::approve_derivative(signed(BOB), b, BOB), Error::<Test>::NotAdmin);
			assert_ok!(Licensing::approve_derivative(signed(ALICE), b, BOB));
			assert_noop!(Licensing::approve_derivative(signed(ALICE), b, BOB), Error::<Test>::ApprovalExists);
			assert_eq!(Balances::balance_on_hold(&HoldReason::ApprovalDeposit.into(), &ALICE), APPROVAL_DEPOSIT);
			accepted(manifest);
			assert_ok!(Licensing::revoke_approval(signed(ALICE), b, BOB));
			assert_noop!(Licensing::revoke_approval(signed(ALICE), b, BOB), Error::<Test>::UnknownApproval);
			assert_eq!(Balances::balance_on_hold(&HoldReason::ApprovalDeposit.into(), &ALICE), 0);
		});
	}

	#[test]
	fn yanked_unknown_and_unlicensed_upstreams() {
		run(|| {
			let (b, _) = base(open_terms());
			assert_ok!(ModelRegistry::yank_version(signed(ALICE), b, b"bad".to_vec().try_into().unwrap()));
			// The registry refuses a yanked parent for non-admins of its model before licensing
			// is asked; the licence rules refuse it for anyone.
			let manifest = derivative(b, EdgeKind::Finetune, License::Unspecified);
			assert!(Licensing::check_derivative(manifest, BOB).contains(&Refusal::UpstreamYanked));
			create(ALICE, "base/raw");
			let raw = commit(ALICE, "base/raw", License::Unspecified, &[]);
			refused(
				derivative(raw, EdgeKind::Finetune, License::Unspecified),
				Error::UpstreamUnlicensed,
				Refusal::UpstreamUnlicensed,
			);
			let custom = commit(
				ALICE,
				"base/raw",
				License::Spdx(b"LicenseRef-custom".to_vec().try_into().unwrap()),
				&[(raw, EdgeKind::Revision)],
			);
			refused(
				derivative(custom, EdgeKind::Finetune, License::Unspecified),
				Error::UpstreamUnlicensed,
				Refusal::UpstreamUnlicensed,
			);
			// Its own admins may: it is their work.
			assert_ok!(ModelRegistry::set_role(signed(BOB), name("tune/chat"), ALICE, Some(Role::Writer)));
			commit_manifest(ALICE, derivative(raw, EdgeKind::Finetune, License::Unspecified));
			let unknown_terms = ManifestBuilder::new("tune/chat").license(License::Terms(99)).build();
			refused(unknown_terms, Error::ManifestTermsUnknown, Refusal::UnknownTerms);
		});
	}

	#[test]
	fn spdx_parents_are_judged_by_class() {
		run(|| {
			create(ALICE, "base/llm");
			create(BOB, "tune/chat");
			let spdx = |e: &str| License::Spdx(e.as_bytes().to_vec().try_into().unwrap());
			let mit = commit(ALICE, "base/llm", spdx("MIT"), &[]);
			let gpl = commit(ALICE, "base/llm", spdx("GPL-3.0-only"), &[(mit, EdgeKind::Revision)]);
			let nd = commit(ALICE, "base/llm", spdx("CC-BY-ND-4.0"), &[(gpl, EdgeKind::Revision)]);
			accepted(derivative(mit, EdgeKind::Finetune, License::Unspecified));
			refused(
				derivative(gpl, EdgeKind::Finetune, spdx("MIT")),
				Error::ShareAlikeRequired,
				Refusal::ShareAlikeRequired,
			);
			accepted(derivative(gpl, EdgeKind::Quantize, spdx("GPL-3.0-only")));
			refused(
				derivative(nd, EdgeKind::Finetune, spdx("CC-BY-ND-4.0")),
				Error::DerivativeKindNotAllowed,
				Refusal::DerivativeKindNotAllowed,
			);
		});
	}

	#[test]
	fn merged_parents_must_agree() {
		run(|| {
			create(ALICE, "base/a");
			create(ALICE, "base/b");
			create(BOB, "tune/chat");
			let commercial = register(ALICE, open_terms());
			let nc = register(ALICE, Terms { commercial_use: false, ..open_terms() });
			let a = commit(ALICE, "base/a", License::Terms(commercial), &[]);
			let b = commit(ALICE, "base/b", License::Terms(nc), &[]);
			let manifest = ManifestBuilder::new("tune/chat")
				.license(License::Terms(nc))
				.parents(&[(a, EdgeKind::Merge), (b, EdgeKind::Merge)])
				.build();
			refused(manifest, Error::IncompatibleParents, Refusal::IncompatibleParents);
		});
	}

	#[test]
	fn every_reason_is_reported_at_once() {
		run(|| {
			let (b, _) = base(Terms {
				commercial_use: false,
				attribution_required: true,
				derivatives_paid: EdgeKindSet::of(&[EdgeKind::Finetune]),
				..open_terms()
			});
			let manifest = derivative(b, EdgeKind::Finetune, License::Unspecified);
			assert_eq!(
				Licensing::check_derivative(manifest.clone(), BOB),
				vec![Refusal::DerivativeGrantRequired, Refusal::NonCommercialUpstream, Refusal::AttributionRequired]
			);
			assert_noop!(ModelRegistry::commit_version(signed(BOB), manifest), Error::<Test>::DerivativeGrantRequired);
		});
	}
}

mod channels {
	use super::*;

	/// A base version with a usage offer (0) at 3 per unit; DAVE opens a channel to OPERATOR
	/// with 3,000 prepaid, expiring at block 101.
	fn open() -> (VersionId, ChannelId) {
		create(ALICE, "base/llm");
		let terms = register(ALICE, open_terms());
		let v = commit(ALICE, "base/llm", License::Terms(terms), &[]);
		assert_ok!(Licensing::set_offer(signed(ALICE), v, 0, OfferKind::Usage, 3));
		assert_ok!(Licensing::open_channel(signed(DAVE), v, 0, OPERATOR, 3_000, 101, 3));
		(v, 0)
	}

	fn voucher(channel: ChannelId, nonce: u64, units: u64) -> TestSignature {
		TestSignature(DAVE, Licensing::voucher_payload(channel, nonce, units))
	}

	#[test]
	fn opening_checks_the_offer_price_deposit_and_expiry() {
		run(|| {
			let (v, _) = open();
			assert_eq!(Balances::balance_on_hold(&HoldReason::UsageChannel.into(), &DAVE), 3_000 + CHANNEL_DEPOSIT);
			assert_ok!(Licensing::set_offer(signed(ALICE), v, 1, OfferKind::Use, 100));
			assert_noop!(
				Licensing::open_channel(signed(DAVE), v, 1, OPERATOR, 10, 50, 3),
				Error::<Test>::NotAUsageOffer
			);
			assert_noop!(
				Licensing::open_channel(signed(DAVE), v, 0, OPERATOR, 10, 50, 2),
				Error::<Test>::UnitPriceAboveMaximum
			);
			assert_noop!(Licensing::open_channel(signed(DAVE), v, 0, OPERATOR, 0, 50, 3), Error::<Test>::ZeroDeposit);
			assert_noop!(Licensing::open_channel(signed(DAVE), v, 0, OPERATOR, 10, 1, 3), Error::<Test>::InvalidExpiry);
			assert_noop!(
				Licensing::open_channel(signed(DAVE), v, 0, OPERATOR, 10, 1_002, 3),
				Error::<Test>::InvalidExpiry
			);
			assert_noop!(
				Licensing::open_channel(signed(POOR), v, 0, OPERATOR, 10, 50, 3),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn the_latest_voucher_settles_and_bad_ones_are_refused() {
		run(|| {
			let (v, channel) = open();
			let issuance = Balances::total_issuance();
			// The payer signed 1,000 vouchers; only the latest is settled.
			assert_ok!(Licensing::settle(signed(OPERATOR), channel, 1_000, 1_000, voucher(channel, 1_000, 1_000)));
			// 3,000 paid: 60 protocol fee burned, 2,940 to the version's vault.
			assert_eq!(Licensing::vault(v), 2_940);
			assert_eq!(Balances::total_issuance(), issuance - 60);
			assert_eq!(Licensing::channel(channel).unwrap().deposit, 0);
			assert_eq!(Balances::balance_on_hold(&HoldReason::UsageChannel.into(), &DAVE), CHANNEL_DEPOSIT);

			let (_, second) = (v, 1);
			assert_ok!(Licensing::open_channel(signed(DAVE), v, 0, OPERATOR, 300, 101, 3));
			let settle = |nonce, units, signature| Licensing::settle(signed(OPERATOR), second, units, nonce, signature);
			assert_noop!(
				Licensing::settle(signed(DAVE), second, 10, 1, voucher(second, 1, 10)),
				Error::<Test>::NotProvider
			);
			assert_noop!(settle(1, 10, voucher(channel, 1, 10)), Error::<Test>::BadVoucherSignature);
			assert_noop!(
				settle(1, 10, TestSignature(OPERATOR, Licensing::voucher_payload(second, 1, 10))),
				Error::<Test>::BadVoucherSignature
			);
			assert_noop!(settle(1, 101, voucher(second, 1, 101)), Error::<Test>::VoucherOverDeposit);
			assert_noop!(settle(1, u64::MAX, voucher(second, 1, u64::MAX)), Error::<Test>::VoucherOverDeposit);
			assert_noop!(settle(0, 10, voucher(second, 0, 10)), Error::<Test>::StaleVoucher);
			// Another chain: the same voucher fields, signed over another genesis hash.
			let foreign = {
				let mut payload = Licensing::voucher_payload(second, 1, 10);
				payload[9] ^= 1;
				TestSignature(DAVE, payload)
			};
			assert_noop!(settle(1, 10, foreign), Error::<Test>::BadVoucherSignature);
			assert_ok!(settle(5, 10, voucher(second, 5, 10)));
			// A replay, an older voucher, and one counting nothing new.
			assert_noop!(settle(5, 10, voucher(second, 5, 10)), Error::<Test>::StaleVoucher);
			assert_noop!(settle(4, 20, voucher(second, 4, 20)), Error::<Test>::StaleVoucher);
			assert_noop!(settle(6, 10, voucher(second, 6, 10)), Error::<Test>::NothingToSettle);
			assert_ok!(settle(6, 30, voucher(second, 6, 30)));
			assert_eq!(Licensing::channel(second).unwrap().deposit, 300 - 90);
			// Expired: nothing settles, and the payer takes the rest back.
			assert_noop!(Licensing::refund(signed(DAVE), second), Error::<Test>::ChannelNotExpired);
			System::set_block_number(101);
			assert_noop!(settle(7, 40, voucher(second, 7, 40)), Error::<Test>::ChannelExpired);
			assert_noop!(Licensing::refund(signed(OPERATOR), second), Error::<Test>::NotPayer);
			let before = free(DAVE);
			assert_ok!(Licensing::refund(signed(DAVE), second));
			assert_eq!(free(DAVE) - before, 210 + CHANNEL_DEPOSIT);
			assert_noop!(Licensing::refund(signed(DAVE), second), Error::<Test>::UnknownChannel);
		});
	}
}

mod sealed {
	use super::*;
	use zoo_primitives::testing::{TEST_SEAL_HEADER, bytes, sealed};

	const DAVE_KEY: RecipientKey = [4; 32];

	/// A sealed version of `base/llm` (ALICE) with three artifacts, 0 and 2 encrypted, under
	/// paid-fine-tune terms (10 % upstream, grants for 100 blocks); offer 0 sells use, 1
	/// derivatives. BOB owns `tune/chat`.
	fn sealed_base() -> (VersionId, TermsId) {
		create(ALICE, "base/llm");
		create(BOB, "tune/chat");
		let terms = register(ALICE, paid_finetune_terms(percent(10)));
		let manifest = ManifestBuilder::new("base/llm")
			.paths(&["a.bin", "b.bin", "c.bin"])
			.license(sealed(terms, &[0, 2]))
			.message("sealed")
			.build();
		let version = commit_manifest(ALICE, manifest);
		assert_ok!(Licensing::set_offer(signed(ALICE), version, 0, OfferKind::Use, 1_000));
		assert_ok!(Licensing::set_offer(signed(ALICE), version, 1, OfferKind::Derivative, 500));
		(version, terms)
	}

	fn key_header(artifact: u32, text: &str) -> KeyHeader {
		KeyHeader { artifact, header: bytes(text) }
	}

	fn headers(artifacts: &[u32]) -> KeyHeaders {
		artifacts.iter().map(|artifact| key_header(*artifact, TEST_SEAL_HEADER)).collect::<Vec<_>>().try_into().unwrap()
	}

	/// The deposit a release of `n` test headers holds.
	fn release_deposit(n: usize) -> Balance {
		KEY_RELEASE_DEPOSIT_BASE + KEY_RELEASE_DEPOSIT_PER_BYTE * (n * TEST_SEAL_HEADER.len()) as Balance
	}

	fn released(who: AccountId) -> Balance {
		Balances::balance_on_hold(&HoldReason::KeyReleaseDeposit.into(), &who)
	}

	/// DAVE buys a use grant on `version` and records his recipient key.
	fn dave_is_a_grantee(version: VersionId) {
		assert_ok!(purchase(DAVE, version, 0, 1_000));
		assert_ok!(Licensing::set_recipient(signed(DAVE), DAVE_KEY));
	}

	#[test]
	fn a_sealed_version_is_bought_used_and_derived_from_like_a_terms_version() {
		run(|| {
			let (version, terms) = sealed_base();
			assert!(!Licensing::may_use(version, DAVE, 1));
			assert_ok!(purchase(DAVE, version, 0, 1_000));
			assert_eq!(Licensing::vault(version), 980);
			assert!(Licensing::may_use(version, DAVE, 100));
			assert!(!Licensing::may_use(version, DAVE, 101), "the grant lasts the terms' 100 blocks");
			assert!(Licensing::may_use(version, ALICE, 1), "admins use their own model");
			// A paid fine-tune needs a derivative grant, consumed by the commit, and owes 10 %.
			let child = ManifestBuilder::new("tune/chat").parent(version, EdgeKind::Finetune).message("child").build();
			assert_eq!(Licensing::check_derivative(child.clone(), BOB), vec![Refusal::DerivativeGrantRequired]);
			assert_noop!(
				ModelRegistry::commit_version(signed(BOB), child.clone()),
				Error::<Test>::DerivativeGrantRequired
			);
			assert_ok!(purchase(BOB, version, 1, 500));
			let child = commit_manifest(BOB, child);
			assert_eq!(Licensing::grant(version, BOB, GrantKind::Derivative).unwrap().credits, 0);
			let mut expected = vec![(child, percent(90)), (version, percent(10))];
			expected.sort();
			assert_eq!(table(child), expected);
			// A sealed manifest's own terms must be registered, as a Terms manifest's.
			let unknown = ManifestBuilder::new("tune/chat").paths(&["a.bin"]).license(sealed(99, &[0])).build();
			assert_eq!(Licensing::check_derivative(unknown.clone(), BOB), vec![Refusal::UnknownTerms]);
			assert_noop!(ModelRegistry::commit_version(signed(BOB), unknown), Error::<Test>::ManifestTermsUnknown);
			let resealed = ManifestBuilder::new("tune/chat").paths(&["a.bin"]).license(sealed(terms, &[0])).build();
			assert_eq!(Licensing::check_derivative(resealed, BOB), vec![]);
		});
	}

	#[test]
	fn share_alike_and_non_commercial_read_a_sealed_licence_as_its_terms() {
		run(|| {
			create(ALICE, "base/llm");
			create(BOB, "tune/chat");
			let share_alike = register(ALICE, Terms { share_alike: true, ..open_terms() });
			let parent = commit_manifest(
				ALICE,
				ManifestBuilder::new("base/llm").paths(&["w.bin"]).license(sealed(share_alike, &[0])).build(),
			);
			let child = |license: License, message: &str| {
				ManifestBuilder::new("tune/chat")
					.paths(&["x.bin", "y.bin"])
					.license(license)
					.parent(parent, EdgeKind::Finetune)
					.message(message)
					.build()
			};
			// The same terms, sealed differently or not at all, carry the licence.
			assert_eq!(Licensing::check_derivative(child(License::Terms(share_alike), "plain"), BOB), vec![]);
			let resealed = commit_manifest(BOB, child(sealed(share_alike, &[1]), "resealed"));
			let other = register(ALICE, Terms { legal_hash: [1; 32], ..open_terms() });
			assert_eq!(
				Licensing::check_derivative(child(License::Terms(other), "other"), BOB),
				vec![Refusal::ShareAlikeRequired]
			);
			// The obligation passes on to a revision in the terms' form.
			assert_eq!(
				Licensing::version_license(resealed).unwrap().obligations.share_alike,
				Some(License::Terms(share_alike))
			);
			// A non-commercial sealed upstream makes its derivatives non-commercial.
			create(ALICE, "base/nc");
			let nc = register(ALICE, Terms { commercial_use: false, ..open_terms() });
			let nc_parent = commit_manifest(
				ALICE,
				ManifestBuilder::new("base/nc").paths(&["w.bin"]).license(sealed(nc, &[0])).build(),
			);
			let commercial = ManifestBuilder::new("tune/chat")
				.license(License::Terms(other))
				.parent(nc_parent, EdgeKind::Finetune)
				.message("commercial")
				.build();
			assert_eq!(Licensing::check_derivative(commercial, BOB), vec![Refusal::NonCommercialUpstream]);
			let sealed_nc = ManifestBuilder::new("tune/chat")
				.paths(&["x.bin"])
				.license(sealed(nc, &[0]))
				.parent(nc_parent, EdgeKind::Finetune)
				.message("nc")
				.build();
			assert_eq!(Licensing::check_derivative(sealed_nc, BOB), vec![]);
		});
	}

	#[test]
	fn a_recipient_key_holds_one_deposit_until_cleared() {
		run(|| {
			assert_eq!(Licensing::recipient(DAVE), None);
			assert_ok!(Licensing::set_recipient(signed(DAVE), DAVE_KEY));
			System::assert_last_event(Event::<Test>::RecipientSet { who: DAVE, key: DAVE_KEY }.into());
			assert_eq!(Licensing::recipient(DAVE), Some(DAVE_KEY));
			assert_eq!(Balances::balance_on_hold(&HoldReason::RecipientDeposit.into(), &DAVE), RECIPIENT_DEPOSIT);
			// Replacing the key keeps the same deposit.
			let before = free(DAVE);
			assert_ok!(Licensing::set_recipient(signed(DAVE), [5; 32]));
			assert_eq!(Licensing::recipient(DAVE), Some([5; 32]));
			assert_eq!(Balances::balance_on_hold(&HoldReason::RecipientDeposit.into(), &DAVE), RECIPIENT_DEPOSIT);
			assert_eq!(free(DAVE), before);
			assert_noop!(Licensing::set_recipient(signed(POOR), [6; 32]), Error::<Test>::InsufficientBalance);
			assert_noop!(Licensing::clear_recipient(signed(CHARLIE)), Error::<Test>::NoRecipient);
			assert_ok!(Licensing::clear_recipient(signed(DAVE)));
			System::assert_last_event(Event::<Test>::RecipientCleared { who: DAVE }.into());
			assert_eq!(Licensing::recipient(DAVE), None);
			assert_eq!(Balances::balance_on_hold(&HoldReason::RecipientDeposit.into(), &DAVE), 0);
			assert_eq!(free(DAVE), before + RECIPIENT_DEPOSIT);
			assert_noop!(Licensing::clear_recipient(signed(DAVE)), Error::<Test>::NoRecipient);
		});
	}

	#[test]
	fn a_small_order_recipient_key_is_refused() {
		// Audit A3-07: nothing wrapped to a small-order key is secret, and age panics on one.
		run(|| {
			let mut order_eight = [0u8; 32];
			order_eight
				.copy_from_slice(&hex_literal("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"));
			let mut p_minus_one = [0xff; 32];
			p_minus_one[0] = 0xec;
			p_minus_one[31] = 0x7f;
			let mut one_with_top_bit = [0; 32];
			one_with_top_bit[0] = 1;
			one_with_top_bit[31] = 0x80;
			for weak in [[0; 32], one_with_top_bit, order_eight, p_minus_one] {
				assert_noop!(Licensing::set_recipient(signed(DAVE), weak), Error::<Test>::WeakRecipientKey);
			}
			assert_ok!(Licensing::set_recipient(signed(DAVE), DAVE_KEY));
			assert_noop!(Licensing::set_recipient(signed(DAVE), [0; 32]), Error::<Test>::WeakRecipientKey);
			assert_eq!(Licensing::recipient(DAVE), Some(DAVE_KEY));
		});
	}

	fn hex_literal(text: &str) -> Vec<u8> {
		(0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
	}

	#[test]
	fn an_admin_releases_keys_to_a_grantee_once_for_a_deposit() {
		run(|| {
			let (version, _) = sealed_base();
			dave_is_a_grantee(version);
			System::set_block_number(7);
			let before = free(ALICE);
			assert_ok!(Licensing::release_key(signed(ALICE), version, DAVE, DAVE_KEY, headers(&[0, 2])));
			System::assert_last_event(
				Event::<Test>::KeyReleased { version, grantee: DAVE, by: ALICE, recipient: DAVE_KEY }.into(),
			);
			assert_eq!(
				Licensing::released_key(version, DAVE),
				Some(KeyRelease {
					by: ALICE,
					recipient: DAVE_KEY,
					released_at: 7,
					headers: headers(&[0, 2]),
					deposit: release_deposit(2)
				})
			);
			assert_eq!(release_deposit(2), 9 + 2 * 2 * 56);
			assert_eq!(released(ALICE), release_deposit(2));
			assert_eq!(before - free(ALICE), release_deposit(2));
			// Once per grantee, even after the grantee changes its key.
			assert_ok!(Licensing::set_recipient(signed(DAVE), [9; 32]));
			assert_noop!(
				Licensing::release_key(signed(ALICE), version, DAVE, [9; 32], headers(&[0, 2])),
				Error::<Test>::KeyAlreadyReleased
			);
			// The release keeps the key it was wrapped to, whatever the grantee does later.
			assert_ok!(Licensing::clear_recipient(signed(DAVE)));
			assert_eq!(Licensing::released_key(version, DAVE).unwrap().recipient, DAVE_KEY);
			// Another admin of the model releases to another grantee, from its own deposit.
			assert_ok!(ModelRegistry::set_role(signed(ALICE), name("base/llm"), CHARLIE, Some(Role::Admin)));
			assert_ok!(purchase(OPERATOR, version, 0, 1_000));
			assert_ok!(Licensing::set_recipient(signed(OPERATOR), [6; 32]));
			assert_ok!(Licensing::release_key(signed(CHARLIE), version, OPERATOR, [6; 32], headers(&[0, 2])));
			assert_eq!(released(CHARLIE), release_deposit(2));
			assert_eq!(released(ALICE), release_deposit(2));
			assert_eq!(Licensing::released_key(version, OPERATOR).unwrap().by, CHARLIE);
			// The model's admins may use it, so they may be released keys too (no grant).
			assert_ok!(Licensing::set_recipient(signed(CHARLIE), [3; 32]));
			assert_ok!(Licensing::release_key(signed(ALICE), version, CHARLIE, [3; 32], headers(&[0, 2])));
			assert_eq!(released(ALICE), 2 * release_deposit(2));
		});
	}

	#[test]
	fn every_refused_release_changes_nothing() {
		run(|| {
			let (version, terms) = sealed_base();
			// Each release names the key the grantee has recorded, as an honest releaser read it.
			let release = |who: AccountId, version: VersionId, grantee: AccountId, headers: KeyHeaders| {
				let wrapped_for = Licensing::recipient(grantee).unwrap_or([5; 32]);
				Licensing::release_key(signed(who), version, grantee, wrapped_for, headers)
			};
			assert_noop!(release(ALICE, VersionId([9; 32]), DAVE, headers(&[0, 2])), Error::<Test>::UnknownVersion);
			let plain = commit(ALICE, "base/llm", License::Terms(terms), &[(version, EdgeKind::Revision)]);
			assert_ok!(Licensing::set_offer(signed(ALICE), plain, 0, OfferKind::Use, 1_000));
			assert_ok!(purchase(DAVE, plain, 0, 1_000));
			assert_ok!(Licensing::set_recipient(signed(DAVE), DAVE_KEY));
			assert_noop!(release(ALICE, plain, DAVE, headers(&[0, 2])), Error::<Test>::NotSealed);
			// No grant, and a grant that lapsed.
			assert_noop!(release(ALICE, version, DAVE, headers(&[0, 2])), Error::<Test>::NoGrant);
			assert_ok!(purchase(DAVE, version, 0, 1_000));
			System::set_block_number(101);
			assert_noop!(release(ALICE, version, DAVE, headers(&[0, 2])), Error::<Test>::NoGrant);
			assert_ok!(purchase(DAVE, version, 0, 1_000));
			// A derivative grant is not a use grant.
			assert_ok!(purchase(OPERATOR, version, 1, 500));
			assert_ok!(Licensing::set_recipient(signed(OPERATOR), [6; 32]));
			assert_noop!(release(ALICE, version, OPERATOR, headers(&[0, 2])), Error::<Test>::NoGrant);
			// Only the model's admins release.
			assert_noop!(release(BOB, version, DAVE, headers(&[0, 2])), Error::<Test>::NotAdmin);
			assert_noop!(release(DAVE, version, DAVE, headers(&[0, 2])), Error::<Test>::NotAdmin);
			// The grantee has no key to wrap to.
			assert_ok!(purchase(CHARLIE, version, 0, 1_000));
			assert_noop!(release(ALICE, version, CHARLIE, headers(&[0, 2])), Error::<Test>::NoRecipient);
			// Headers for another set of artifacts, or in another order.
			let wrong_sets: [&[u32]; 7] = [&[0], &[2], &[0, 1], &[2, 0], &[0, 2, 2], &[0, 1, 2], &[]];
			for wrong in wrong_sets {
				assert_noop!(release(ALICE, version, DAVE, headers(wrong)), Error::<Test>::HeadersDoNotMatch);
			}
			// A header that is not an age header.
			for bad in ["not an age header\n", "age-encryption.org/v1\n-> X25519 c2hhcmU\nYm9keQ\n", ""] {
				let headers: KeyHeaders = vec![key_header(0, TEST_SEAL_HEADER), key_header(2, bad)].try_into().unwrap();
				assert_noop!(release(ALICE, version, DAVE, headers), Error::<Test>::InvalidKeyHeader);
			}
			let invalid_utf8: KeyHeaders = vec![
				key_header(0, TEST_SEAL_HEADER),
				KeyHeader { artifact: 2, header: vec![0xff; 8].try_into().unwrap() },
			]
			.try_into()
			.unwrap();
			assert_noop!(release(ALICE, version, DAVE, invalid_utf8), Error::<Test>::InvalidKeyHeader);
			// Headers wrapped for a key the grantee has not recorded: one it had before, or
			// one a lying node named (audit A3-01).
			for stale in [[6; 32], [9; 32]] {
				assert_noop!(
					Licensing::release_key(signed(ALICE), version, DAVE, stale, headers(&[0, 2])),
					Error::<Test>::RecipientChanged
				);
			}
			// An admin who cannot pay the deposit.
			assert_ok!(ModelRegistry::set_role(signed(ALICE), name("base/llm"), POOR, Some(Role::Admin)));
			assert_noop!(release(POOR, version, DAVE, headers(&[0, 2])), Error::<Test>::InsufficientBalance);
			// And then it goes through, once.
			assert_ok!(release(ALICE, version, DAVE, headers(&[0, 2])));
			assert_noop!(release(ALICE, version, DAVE, headers(&[0, 2])), Error::<Test>::KeyAlreadyReleased);
			assert_eq!(released(ALICE), release_deposit(2));
			assert_eq!(ReleasedKeys::<Test>::iter().count(), 1);
		});
	}

	#[test]
	fn the_invariants_see_a_release_deposit_off_by_one() {
		run(|| {
			let (version, _) = sealed_base();
			dave_is_a_grantee(version);
			assert_ok!(Licensing::release_key(signed(ALICE), version, DAVE, DAVE_KEY, headers(&[0, 2])));
			assert!(Licensing::do_try_state().is_ok());
			ReleasedKeys::<Test>::mutate(version, DAVE, |release| release.as_mut().unwrap().deposit += 1);
			assert!(Licensing::do_try_state().is_err(), "a deposit that does not match the header bytes");
			ReleasedKeys::<Test>::mutate(version, DAVE, |release| release.as_mut().unwrap().deposit -= 1);
			Recipients::<Test>::mutate(DAVE, |record| record.as_mut().unwrap().deposit += 1);
			assert!(Licensing::do_try_state().is_err(), "a recipient deposit that is not RecipientDeposit");
			Recipients::<Test>::mutate(DAVE, |record| record.as_mut().unwrap().deposit -= 1);
			assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<_>>::release(
				&HoldReason::KeyReleaseDeposit.into(),
				&ALICE,
				1,
				frame_support::traits::tokens::Precision::Exact
			));
			assert!(Licensing::do_try_state().is_err(), "less on hold than the releases record");
			assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<_>>::hold(
				&HoldReason::KeyReleaseDeposit.into(),
				&ALICE,
				1
			));
		});
	}
}

#[test]
fn the_pot_is_endowed_and_unclaimed_money_is_covered() {
	run(|| {
		assert_eq!(free(Licensing::pot()), EXISTENTIAL_DEPOSIT);
		// Draining the pot below what vaults owe breaks the solvency invariant.
		create(ALICE, "base/llm");
		let terms = register(ALICE, open_terms());
		let v = commit(ALICE, "base/llm", License::Terms(terms), &[]);
		assert_ok!(Licensing::set_offer(signed(ALICE), v, 0, OfferKind::Use, 100));
		assert_ok!(purchase(DAVE, v, 0, 100));
		assert!(Licensing::do_try_state().is_ok());
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
			&Licensing::pot(),
			&DAVE,
			1,
			frame_support::traits::tokens::Preservation::Preserve
		));
		assert!(Licensing::do_try_state().is_err(), "the invariant sees a pot short by one unit");
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
			&DAVE,
			&Licensing::pot(),
			1,
			frame_support::traits::tokens::Preservation::Preserve
		));
	});
}

mod property {
	//! Random version graphs across three models (revisions, merges, diamonds, cross-model
	//! edges) under random terms, random purchases, then every contributor claims: every
	//! payment splits to the unit as a simple reference computes it, the vaults drain exactly,
	//! and the total issuance falls by exactly the protocol fees burned.

	use super::*;
	use proptest::prelude::*;
	use std::collections::BTreeMap;

	const OWNERS: [AccountId; 3] = [ALICE, BOB, CHARLIE];

	#[derive(Clone, Debug)]
	struct Plan {
		/// Per model, the upstream share (percent) its terms ask for derivations.
		shares: [u32; 3],
		/// Per version: its model and its parents (indices of earlier versions).
		versions: Vec<(usize, Vec<usize>)>,
		/// (version index, price) purchases by DAVE.
		purchases: Vec<(usize, Balance)>,
	}

	fn plan() -> impl Strategy<Value = Plan> {
		let version = (0usize..3, prop::collection::vec(any::<prop::sample::Index>(), 0..3));
		(
			[0u32..40, 0u32..40, 0u32..40],
			prop::collection::vec(version, 1..10),
			prop::collection::vec((any::<prop::sample::Index>(), MIN_PRICE..100_000), 1..20),
		)
			.prop_map(|(shares, raw, purchases)| {
				let versions: Vec<(usize, Vec<usize>)> = raw
					.into_iter()
					.enumerate()
					.map(|(i, (model, parents))| {
						let mut parents: Vec<usize> =
							if i == 0 { Vec::new() } else { parents.iter().map(|p| p.index(i)).collect() };
						parents.sort();
						parents.dedup();
						(model, parents)
					})
					.collect();
				let purchases = purchases.into_iter().map(|(v, price)| (v.index(versions.len()), price)).collect();
				Plan { shares, versions, purchases }
			})
	}

	/// The reference split of `amount` by `table`: each entry its share rounded down, the
	/// version paid the rest.
	fn reference_split(amount: Balance, table: &[RoyaltyEntry], own: VersionId) -> BTreeMap<VersionId, Balance> {
		let mut credits = BTreeMap::new();
		let mut given = 0;
		for entry in table {
			let credit = (amount as u128 * entry.share as u128 / BILLION as u128) as Balance;
			*credits.entry(entry.version).or_insert(0) += credit;
			given += credit;
		}
		*credits.entry(own).or_insert(0) += amount - given;
		credits
	}

	fn check(plan: Plan) -> Result<(), TestCaseError> {
		let models = ["m0/model", "m1/model", "m2/model"];
		let mut terms = Vec::new();
		for (i, model) in models.iter().enumerate() {
			create(OWNERS[i], model);
			let mut t = Terms { legal_hash: [i as u8; 32], ..open_terms() };
			for kind in [EdgeKind::Merge, EdgeKind::Finetune] {
				t.upstream_share[kind as usize] = percent(plan.shares[i]);
			}
			terms.push(register(OWNERS[i], t));
		}
		// Commit what the chain accepts; a version owing too much upstream is refused.
		let mut ids: Vec<Option<VersionId>> = Vec::new();
		for (i, (model, parents)) in plan.versions.iter().enumerate() {
			let parents: Vec<(VersionId, usize)> =
				parents.iter().filter_map(|p| ids[*p].map(|id| (id, plan.versions[*p].0))).collect();
			let edges: Vec<(VersionId, EdgeKind)> = parents
				.iter()
				.map(|(id, parent_model)| match (parents.len(), parent_model == model) {
					(1, true) => (*id, EdgeKind::Revision),
					(1, false) => (*id, EdgeKind::Finetune),
					_ => (*id, EdgeKind::Merge),
				})
				.collect();
			let manifest = ManifestBuilder::new(models[*model])
				.license(License::Terms(terms[*model]))
				.parents(&edges)
				.message(&format!("v{i}"))
				.build();
			let id = manifest.id();
			let committed = ModelRegistry::commit_version(signed(OWNERS[*model]), manifest).is_ok();
			if committed {
				assert_ok!(Licensing::set_offer(signed(OWNERS[*model]), id, 0, OfferKind::Use, MIN_PRICE));
			}
			ids.push(committed.then_some(id));
		}
		let issuance = Balances::total_issuance();
		let mut expected: BTreeMap<VersionId, Balance> = BTreeMap::new();
		let mut fees = 0;
		for (index, price) in &plan.purchases {
			let Some(id) = ids[*index] else { continue };
			let owner = OWNERS[plan.versions[*index].0];
			assert_ok!(Licensing::set_offer(signed(owner), id, 0, OfferKind::Use, *price));
			assert_ok!(purchase(DAVE, id, 0, *price));
			let fee = price * 2 / 100;
			fees += fee;
			for (version, credit) in reference_split(price - fee, &Royalties::<Test>::get(id).unwrap(), id) {
				*expected.entry(version).or_insert(0) += credit;
			}
		}
		for (version, total) in &expected {
			prop_assert_eq!(Licensing::vault(*version), *total, "vault of {:?}", version);
		}
		prop_assert_eq!(issuance - Balances::total_issuance(), fees, "issuance falls by the fees alone");
		for id in ids.iter().flatten() {
			for (who, _) in Licensing::version_split(*id).unwrap() {
				assert_ok!(Licensing::claim(signed(who), *id));
			}
			let claimed: Balance = Claimed::<Test>::iter_prefix(id).map(|(_, c)| c).sum();
			prop_assert_eq!(claimed, Licensing::vault(*id), "the vault drains exactly");
		}
		prop_assert_eq!(Balances::free_balance(Licensing::pot()), EXISTENTIAL_DEPOSIT);
		prop_assert_eq!(issuance - Balances::total_issuance(), fees, "claims move money, they do not mint it");
		Licensing::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
		Ok(())
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]

		#[test]
		fn payments_split_to_the_unit_and_vaults_drain_exactly(plan in plan()) {
			new_test_ext().execute_with(|| check(plan))?;
		}
	}
}
