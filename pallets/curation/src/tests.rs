//! Unit tests: every call's happy path and every rejection (exact error, no state change), the
//! activation delay (no just-in-time stake), exact unbonding, disputes with pro-rata slashing
//! of bonded and unbonding stake, escrow, the ranking, and a randomized test of rewards against
//! credits. Every test ends with the `try_state` invariants.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_runtime::{Perbill, traits::BadOrigin};
use zoo_primitives::{
	CurationHook, DisputeGate, License, MetricValue, VersionId, VersionYank,
	testing::{ManifestBuilder, bytes},
};

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn now() -> u64 {
	System::block_number()
}

/// Move to the first block of the next era.
fn next_era() {
	System::set_block_number((now() / ERA_LENGTH + 1) * ERA_LENGTH);
}

fn go_to(block: u64) {
	System::set_block_number(block);
}

fn credit(version: VersionId, fee: Balance) -> Balance {
	<Curation as CurationHook<AccountId, Balance>>::credit(&version, &PAYER, fee)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::CurationStake.into(), &who)
}

fn bond_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::DisputeBond.into(), &who)
}

fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

fn issuance() -> Balance {
	<Balances as Inspect<AccountId>>::total_issuance()
}

fn target(version: VersionId) -> TargetOf<Test> {
	Targets::<Test>::get(version).expect("a target")
}

fn stake(who: AccountId, version: VersionId, amount: Balance) {
	assert_ok!(Curation::stake(signed(who), version, amount));
}

fn open(who: AccountId, version: VersionId) -> DisputeId {
	let id = NextDisputeId::<Test>::get();
	assert_ok!(Curation::open_dispute(signed(who), version, DisputeReason::Malware, bytes("ipfs://evidence")));
	id
}

/// The council upholds dispute `id`, slashing `slash`, all of it burned, the escrow too.
fn uphold(id: DisputeId, slash: Perbill) {
	assert_ok!(Curation::resolve_dispute(RuntimeOrigin::root(), id, true, slash, Perbill::zero(), None));
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn v1() -> VersionId {
	version("acme/model", "v1")
}

fn v2() -> VersionId {
	version("acme/model", "v2")
}

mod staking {
	use super::*;

	#[test]
	fn stake_holds_the_amount_as_pending_points() {
		run(|| {
			let v = v1();
			let before = free(ALICE);
			stake(ALICE, v, 1_000);
			assert_eq!(held(ALICE), 1_000);
			assert_eq!(free(ALICE), before - 1_000);
			let position = Positions::<Test>::get(v, ALICE).unwrap();
			assert_eq!((position.active, position.pending, position.held), (0, 1_000, 1_000));
			let t = target(v);
			assert_eq!((t.active_points, t.pending_points, t.curators), (0, 1_000, 1));
			assert_eq!(Curation::top_by_stake(), vec![(v, 1_000)]);
			assert_eq!(
				last_event(),
				RuntimeEvent::Curation(Event::Staked { version: v, who: ALICE, amount: 1_000, points: 1_000 })
			);
			stake(ALICE, v, 500);
			assert_eq!(target(v).curators, 1);
			assert_eq!(held(ALICE), 1_500);
		});
	}

	#[test]
	fn stake_rejections() {
		run(|| {
			let v = v1();
			assert_noop!(Curation::stake(signed(ALICE), v, MIN_STAKE - 1), Error::<Test>::StakeTooLow);
			let unknown = VersionId::of_bytes(b"nothing");
			assert_noop!(Curation::stake(signed(ALICE), unknown, MIN_STAKE), Error::<Test>::UnknownVersion);
			assert_noop!(Curation::stake(signed(POOR), v, MIN_STAKE), Error::<Test>::InsufficientBalance);
			// Yanked with no stake held on it: nothing to judge.
			let yanked = v2();
			MockVersions::yank(&yanked, b"bad");
			assert_noop!(Curation::stake(signed(ALICE), yanked, MIN_STAKE), Error::<Test>::VersionYanked);
			open(DAVE, v);
			assert_noop!(Curation::stake(signed(ALICE), v, MIN_STAKE), Error::<Test>::DisputeOpen);
		});
	}

	#[test]
	fn stake_on_a_version_slashed_below_min_factor_is_refused() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			let id = open(DAVE, v);
			assert_ok!(Curation::resolve_dispute(
				RuntimeOrigin::root(),
				id,
				true,
				Perbill::from_percent(95),
				Perbill::zero(),
				None
			));
			MockVersions::unyank(&v);
			assert_noop!(Curation::stake(signed(BOB), v, 1_000), Error::<Test>::FactorTooLow);
		});
	}

	#[test]
	fn stake_after_a_slash_buys_more_points() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			let id = open(DAVE, v);
			assert_ok!(Curation::resolve_dispute(
				RuntimeOrigin::root(),
				id,
				true,
				Perbill::from_percent(50),
				Perbill::zero(),
				None
			));
			MockVersions::unyank(&v);
			stake(BOB, v, 1_000);
			let position = Positions::<Test>::get(v, BOB).unwrap();
			assert_eq!((position.pending, position.held), (2_000, 1_000));
			assert_eq!(held(BOB), 1_000);
		});
	}
}

mod rewards_and_claims {
	use super::*;

	#[test]
	fn stake_in_the_era_of_a_credit_earns_nothing_from_it() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			// Alone and pending: nobody is active, so the whole fee is returned.
			assert_eq!(credit(v, 300), 300);
			next_era();
			stake(BOB, v, 1_000);
			// Alice's stake is active now (the credit rolls the target); the fee streams until
			// the next era, and Bob's stake joins only after it is shared.
			assert_eq!(credit(v, 1_000), 0);
			assert_eq!(target(v).streaming, 1_000);
			assert_eq!(Curation::streaming(v), 1_000);
			assert_eq!(Curation::claimable(v, ALICE), 0);
			next_era();
			// Due at the next touch: the view counts it as shared.
			assert_eq!(Curation::streaming(v), 0);
			assert_eq!(Curation::claimable(v, ALICE), 1_000);
			assert_eq!(Curation::claimable(v, BOB), 0);
			assert_eq!(credit(v, 1_000), 0);
			next_era();
			assert_eq!(Curation::claimable(v, ALICE), 1_500);
			assert_eq!(Curation::claimable(v, BOB), 500);
			let before = free(BOB);
			assert_ok!(Curation::claim(signed(BOB), v));
			assert_eq!(free(BOB), before + 500);
			assert_eq!(last_event(), RuntimeEvent::Curation(Event::Claimed { version: v, who: BOB, amount: 500 }));
		});
	}

	#[test]
	fn stake_just_before_a_purchase_and_unbonded_after_it_earns_nothing_from_it() {
		// Audit A3-03: the payer (or the seller) controls when its purchase lands. Stake made
		// in the last block of an era is active from the first block of the next, so before
		// streaming a purchase there paid 99 % of its curation share to that stake.
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			go_to(2 * ERA_LENGTH - 1);
			stake(BOB, v, 99_000);
			go_to(2 * ERA_LENGTH);
			assert_eq!(credit(v, 10_000), 0);
			// Bob leaves in the era of the purchase: the fee goes to the stake that stayed.
			assert_ok!(Curation::unbond(signed(BOB), v, 99_000));
			next_era();
			assert_eq!(Curation::claimable(v, ALICE), 10_000);
			assert_eq!(Curation::claimable(v, BOB), 0);
			// Stake that stays active through the era of a purchase earns from it, pro rata.
			stake(CHARLIE, v, 99_000);
			next_era();
			assert_eq!(credit(v, 10_000), 0);
			next_era();
			assert_ok!(Curation::activate(signed(DAVE), v, CHARLIE));
			assert_eq!(Curation::claimable(v, ALICE), 10_000 + 100);
			assert_eq!(Curation::claimable(v, CHARLIE), 9_900);
			assert_eq!(Curation::claimable(v, BOB), 0);
		});
	}

	#[test]
	fn pending_stake_earns_from_the_era_boundary_without_a_touch() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 100);
			stake(BOB, v, 300);
			let figures = Curation::curation(v).unwrap();
			assert_eq!((figures.active_stake, figures.pending_stake), (0, 400));
			next_era();
			// The view shows the boundary's activation before anything touches the version.
			let figures = Curation::curation(v).unwrap();
			assert_eq!((figures.active_stake, figures.pending_stake), (400, 0));
			assert_eq!(target(v).pending_points, 400, "a view writes nothing");
			assert_eq!(credit(v, 400), 0);
			next_era();
			assert_eq!(credit(v, 400), 0);
			next_era();
			// Neither touched its position: both earn from the boundary, pro rata.
			assert_eq!(Curation::claimable(v, ALICE), 200);
			assert_eq!(Curation::claimable(v, BOB), 600);
			assert_ok!(Curation::claim(signed(ALICE), v));
			assert_ok!(Curation::claim(signed(BOB), v));
			assert_eq!(Curation::claimable(v, BOB), 0);
			assert!(ActivationAcc::<Test>::iter().next().is_none());
		});
	}

	#[test]
	fn a_stream_with_no_active_stake_left_waits_for_the_next() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			assert_eq!(credit(v, 600), 0);
			// Alice leaves in the era of the credit; Bob arrives after it.
			assert_ok!(Curation::unbond(signed(ALICE), v, 1_000));
			next_era();
			stake(BOB, v, 500);
			assert_eq!(target(v).streaming, 600, "nobody was active to share it");
			assert_eq!(Curation::claimable(v, ALICE), 0);
			// Bob is active from the next era, and the stream goes to him at the first touch
			// of the era after.
			next_era();
			assert_eq!(Curation::claimable(v, BOB), 0);
			assert_ok!(Curation::activate(signed(DAVE), v, BOB));
			next_era();
			assert_eq!(Curation::claimable(v, BOB), 600);
			assert_eq!(Curation::claimable(v, ALICE), 0);
		});
	}

	#[test]
	fn credit_returns_the_fee_when_it_cannot_be_taken() {
		run(|| {
			let v = v1();
			// No target.
			assert_eq!(credit(v, 50), 50);
			assert_eq!(credit(v, 0), 0);
			stake(ALICE, v, 1_000);
			next_era();
			// A payer that cannot pay.
			assert_eq!(<Curation as CurationHook<AccountId, Balance>>::credit(&v, &POOR, 50), 50);
			let before = free(PAYER);
			assert_eq!(credit(v, 50), 0);
			assert_eq!(free(PAYER), before - 50);
			assert_eq!(free(Curation::pot()), EXISTENTIAL_DEPOSIT + 50);
			assert_eq!(target(v).fees_lifetime, 50);
		});
	}

	#[test]
	fn claim_of_nothing_is_a_no_op_and_claim_needs_a_position() {
		run(|| {
			let v = v1();
			assert_noop!(Curation::claim(signed(ALICE), v), Error::<Test>::NoPosition);
			stake(ALICE, v, 1_000);
			System::reset_events();
			assert_ok!(Curation::claim(signed(ALICE), v));
			assert!(System::events().is_empty());
		});
	}

	#[test]
	fn claim_from_a_drained_pot_fails() {
		// Not `run`: the drained pot breaks the solvency invariant on purpose.
		new_test_ext().execute_with(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			assert_eq!(credit(v, 100), 0);
			next_era();
			<Balances as frame_support::traits::fungible::Mutate<AccountId>>::set_balance(
				&Curation::pot(),
				EXISTENTIAL_DEPOSIT,
			);
			assert_noop!(Curation::claim(signed(ALICE), v), Error::<Test>::PotInsufficient);
		});
	}

	#[test]
	fn activate_touches_anyones_position() {
		run(|| {
			let v = v1();
			assert_noop!(Curation::activate(signed(CHARLIE), v, ALICE), Error::<Test>::NoPosition);
			stake(ALICE, v, 1_000);
			next_era();
			assert_ok!(Curation::activate(signed(CHARLIE), v, ALICE));
			assert_eq!(
				last_event(),
				RuntimeEvent::Curation(Event::Activated { version: v, who: ALICE, points: 1_000 })
			);
			let position = Positions::<Test>::get(v, ALICE).unwrap();
			assert_eq!((position.active, position.pending), (1_000, 0));
			assert_eq!(target(v).active_points, 1_000);
		});
	}
}

mod unbond_and_withdraw {
	use super::*;

	#[test]
	fn stake_unbond_withdraw_returns_exactly_the_amount() {
		run(|| {
			let v = v1();
			let before = free(ALICE);
			let supply = issuance();
			stake(ALICE, v, 1_234);
			next_era();
			assert_ok!(Curation::unbond(signed(ALICE), v, 1_234));
			let unlock_at = now() + UNBONDING_PERIOD;
			assert_eq!(
				last_event(),
				RuntimeEvent::Curation(Event::Unbonding {
					version: v,
					who: ALICE,
					amount: 1_234,
					points: 1_234,
					unlock_at
				})
			);
			assert_eq!(held(ALICE), 1_234);
			assert!(Curation::top_by_stake().is_empty());
			go_to(unlock_at - 1);
			assert_noop!(Curation::withdraw(signed(ALICE), v), Error::<Test>::NothingToWithdraw);
			go_to(unlock_at);
			assert_ok!(Curation::withdraw(signed(ALICE), v));
			assert_eq!(
				last_event(),
				RuntimeEvent::Curation(Event::Withdrawn { version: v, who: ALICE, amount: 1_234 })
			);
			assert_eq!(free(ALICE), before);
			assert_eq!(held(ALICE), 0);
			assert_eq!(issuance(), supply);
			assert!(Positions::<Test>::get(v, ALICE).is_none());
			assert_eq!(target(v).curators, 0);
		});
	}

	#[test]
	fn unbond_takes_pending_first_and_merges_chunks_of_one_block() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			stake(ALICE, v, 500);
			assert_ok!(Curation::unbond(signed(ALICE), v, 200));
			assert_ok!(Curation::unbond(signed(ALICE), v, 400));
			let position = Positions::<Test>::get(v, ALICE).unwrap();
			assert_eq!((position.active, position.pending), (900, 0));
			assert_eq!(position.unbonding.len(), 1);
			assert_eq!(position.unbonding[0].points, 600);
			assert_eq!(Curation::top_by_stake(), vec![(v, 900)]);
		});
	}

	#[test]
	fn unbond_rejections() {
		run(|| {
			let v = v1();
			assert_noop!(Curation::unbond(signed(ALICE), v, 100), Error::<Test>::NoPosition);
			stake(ALICE, v, 1_000);
			assert_noop!(Curation::unbond(signed(ALICE), v, 0), Error::<Test>::ZeroAmount);
			assert_noop!(Curation::unbond(signed(ALICE), v, 1_000 - MIN_STAKE + 1), Error::<Test>::RemainderTooLow);
			for i in 0..MAX_CHUNKS as u64 {
				go_to(1 + i);
				assert_ok!(Curation::unbond(signed(ALICE), v, 10));
			}
			go_to(100);
			assert_noop!(Curation::unbond(signed(ALICE), v, 10), Error::<Test>::TooManyChunks);
			// Unbonding more than the position unbonds all of it.
			let mut reach = 0;
			for chunk in Positions::<Test>::get(v, ALICE).unwrap().unbonding.iter() {
				reach = reach.max(chunk.unlock_at);
			}
			go_to(reach);
			assert_ok!(Curation::withdraw(signed(ALICE), v));
			assert_ok!(Curation::unbond(signed(ALICE), v, 1_000_000));
			assert_eq!(Positions::<Test>::get(v, ALICE).unwrap().active, 0);
		});
	}

	#[test]
	fn withdraw_rejections() {
		run(|| {
			let v = v1();
			assert_noop!(Curation::withdraw(signed(ALICE), v), Error::<Test>::NoPosition);
			stake(ALICE, v, 1_000);
			assert_noop!(Curation::withdraw(signed(ALICE), v), Error::<Test>::NothingToWithdraw);
			assert_ok!(Curation::unbond(signed(ALICE), v, 1_000));
			go_to(now() + UNBONDING_PERIOD);
			open(DAVE, v);
			assert_noop!(Curation::withdraw(signed(ALICE), v), Error::<Test>::DisputeOpen);
		});
	}

	#[test]
	fn withdraw_keeps_rewards_owed_until_claimed() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			assert_eq!(credit(v, 70), 0);
			next_era();
			assert_ok!(Curation::unbond(signed(ALICE), v, 1_000));
			go_to(now() + UNBONDING_PERIOD);
			assert_ok!(Curation::withdraw(signed(ALICE), v));
			assert_eq!(Positions::<Test>::get(v, ALICE).unwrap().owed, 70);
			assert_ok!(Curation::claim(signed(ALICE), v));
			assert!(Positions::<Test>::get(v, ALICE).is_none());
			assert_eq!(target(v).curators, 0);
		});
	}
}

mod disputes {
	use super::*;

	#[test]
	fn open_dispute_holds_the_bond() {
		run(|| {
			let v = v1();
			let id = open(DAVE, v);
			assert_eq!(bond_held(DAVE), DISPUTE_BOND);
			assert_eq!(target(v).dispute, Some(id));
			assert!(<Curation as DisputeGate>::has_open_dispute(&v));
			assert!(!<Curation as DisputeGate>::has_open_dispute(&v2()));
			assert_eq!(
				last_event(),
				RuntimeEvent::Curation(Event::DisputeOpened {
					id,
					version: v,
					reporter: DAVE,
					reason: DisputeReason::Malware
				})
			);
			assert_eq!(Curation::dispute(id).unwrap().reporter, DAVE);
		});
	}

	#[test]
	fn open_dispute_rejections() {
		run(|| {
			let v = v1();
			let evidence = || bytes("sha256:abc");
			let unknown = VersionId::of_bytes(b"nothing");
			assert_noop!(
				Curation::open_dispute(signed(DAVE), unknown, DisputeReason::Other, evidence()),
				Error::<Test>::UnknownVersion
			);
			// Yanked with no stake held on it: nothing to judge.
			let yanked = v2();
			MockVersions::yank(&yanked, b"bad");
			assert_noop!(
				Curation::open_dispute(signed(DAVE), yanked, DisputeReason::Other, evidence()),
				Error::<Test>::VersionYanked
			);
			assert_noop!(
				Curation::open_dispute(signed(POOR), v, DisputeReason::Other, evidence()),
				Error::<Test>::InsufficientBalance
			);
			open(DAVE, v);
			assert_noop!(
				Curation::open_dispute(signed(CHARLIE), v, DisputeReason::FakeMetrics, evidence()),
				Error::<Test>::DisputeOpen
			);
		});
	}

	#[test]
	fn resolve_dispute_rejections() {
		run(|| {
			let v = v1();
			let id = open(DAVE, v);
			assert_noop!(
				Curation::resolve_dispute(signed(ALICE), id, true, Perbill::zero(), Perbill::zero(), None),
				BadOrigin
			);
			assert_noop!(
				Curation::resolve_dispute(RuntimeOrigin::root(), id + 1, true, Perbill::zero(), Perbill::zero(), None),
				Error::<Test>::UnknownDispute
			);
		});
	}

	#[test]
	fn an_upheld_verdict_slashes_bonded_and_unbonding_stake_pro_rata() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			stake(BOB, v, 3_000);
			next_era();
			assert_ok!(Curation::unbond(signed(BOB), v, 1_000));
			let id = open(DAVE, v);
			let supply = issuance();
			let dave = free(DAVE);
			assert_ok!(Curation::resolve_dispute(
				RuntimeOrigin::root(),
				id,
				true,
				Perbill::from_percent(40),
				Perbill::from_percent(25),
				None
			));
			assert_eq!(MockVersions::yank_reason(&v).as_deref(), Some(&b"dispute upheld: malware"[..]));
			assert_eq!(bond_held(DAVE), 0);
			assert_eq!(free(DAVE), dave + DISPUTE_BOND);
			assert!(Curation::top_by_stake().is_empty());
			assert!(Disputes::<Test>::get(id).is_none());
			// Nothing is taken until positions are touched.
			assert_eq!(held(BOB), 3_000);
			assert_ok!(Curation::activate(signed(CHARLIE), v, BOB));
			// 40 % of 3,000 (2,000 bonded and 1,000 unbonding): 1,200, a quarter to Dave.
			assert_eq!(held(BOB), 1_800);
			assert_eq!(
				last_event(),
				RuntimeEvent::Curation(Event::Slashed { version: v, who: BOB, amount: 1_200, to_reporter: 300 })
			);
			assert_ok!(Curation::activate(signed(CHARLIE), v, ALICE));
			assert_eq!(held(ALICE), 600);
			assert_eq!(free(DAVE), dave + DISPUTE_BOND + 300 + 100);
			// Only the burned part left the supply.
			assert_eq!(issuance(), supply - (1_200 - 300) - (400 - 100));
			// Bob's chunk releases its slashed value.
			go_to(now() + UNBONDING_PERIOD);
			let bob = free(BOB);
			assert_ok!(Curation::withdraw(signed(BOB), v));
			assert_eq!(free(BOB), bob + 600);
			assert_eq!(held(BOB), 1_200);
		});
	}

	#[test]
	fn a_rejected_verdict_burns_the_bond_and_releases_the_escrow() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			let id = open(DAVE, v);
			assert_eq!(credit(v, 400), 0);
			assert_eq!(target(v).escrow, 400);
			assert_eq!(Curation::claimable(v, ALICE), 0);
			let supply = issuance();
			assert_ok!(Curation::resolve_dispute(
				RuntimeOrigin::root(),
				id,
				false,
				Perbill::zero(),
				Perbill::zero(),
				None
			));
			assert_eq!(
				last_event(),
				RuntimeEvent::Curation(Event::DisputeRejected {
					id,
					version: v,
					bond_burned: DISPUTE_BOND,
					escrow: 400
				})
			);
			assert_eq!(issuance(), supply - DISPUTE_BOND);
			assert_eq!(bond_held(DAVE), 0);
			assert_eq!(Curation::claimable(v, ALICE), 400);
			assert_eq!(target(v).escrow, 0);
			assert_eq!(target(v).factor, sp_runtime::FixedU128::from_u32(1));
			assert!(MockVersions::yank_reason(&v).is_none());
		});
	}

	#[test]
	fn a_dispute_with_no_verdict_lapses_after_the_timeout() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			let opened_at = now();
			let id = open(DAVE, v);
			let dispute = Curation::dispute(id).unwrap();
			assert_eq!((dispute.opened_at, dispute.expires_at), (opened_at, opened_at + DISPUTE_TIMEOUT));
			assert_eq!(credit(v, 400), 0);

			// Before its expiry only a verdict closes it, and a failed close changes nothing.
			go_to(opened_at + DISPUTE_TIMEOUT - 1);
			assert_noop!(Curation::close_lapsed_dispute(signed(CHARLIE), id), Error::<Test>::DisputeNotLapsed);
			assert_noop!(Curation::close_lapsed_dispute(signed(CHARLIE), id + 1), Error::<Test>::UnknownDispute);
			assert_noop!(Curation::close_lapsed_dispute(RuntimeOrigin::root(), id), BadOrigin);

			go_to(opened_at + DISPUTE_TIMEOUT);
			let supply = issuance();
			assert_ok!(Curation::close_lapsed_dispute(signed(CHARLIE), id));
			assert_eq!(
				last_event(),
				RuntimeEvent::Curation(Event::DisputeLapsed { id, version: v, bond_burned: DISPUTE_BOND, escrow: 400 })
			);
			assert_eq!(issuance(), supply - DISPUTE_BOND);
			assert_eq!(bond_held(DAVE), 0);
			assert!(Disputes::<Test>::get(id).is_none());
			assert_eq!(target(v).dispute, None);
			assert!(!<Curation as DisputeGate>::has_open_dispute(&v));
			assert_eq!(Curation::claimable(v, ALICE), 400);
			assert!(MockVersions::yank_reason(&v).is_none());
			// Stake moves again, a verdict comes too late, and a new dispute may open.
			stake(BOB, v, 1_000);
			assert_noop!(
				Curation::resolve_dispute(RuntimeOrigin::root(), id, true, Perbill::zero(), Perbill::zero(), None),
				Error::<Test>::UnknownDispute
			);
			assert_noop!(Curation::close_lapsed_dispute(signed(CHARLIE), id), Error::<Test>::UnknownDispute);
			open(CHARLIE, v);
		});
	}

	#[test]
	fn a_verdict_may_still_come_after_the_expiry_while_nobody_closed_it() {
		run(|| {
			let v = v1();
			let id = open(DAVE, v);
			go_to(now() + 2 * DISPUTE_TIMEOUT);
			assert_ok!(Curation::resolve_dispute(
				RuntimeOrigin::root(),
				id,
				true,
				Perbill::zero(),
				Perbill::zero(),
				None
			));
			assert_noop!(Curation::close_lapsed_dispute(signed(CHARLIE), id), Error::<Test>::UnknownDispute);
		});
	}

	#[test]
	fn an_upheld_verdict_redirects_or_burns_the_escrow() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			let id = open(DAVE, v);
			assert_eq!(credit(v, 400), 0);
			let treasury = free(TREASURY);
			assert_ok!(Curation::resolve_dispute(
				RuntimeOrigin::root(),
				id,
				true,
				Perbill::zero(),
				Perbill::zero(),
				Some(TREASURY)
			));
			assert_eq!(free(TREASURY), treasury + 400);
			assert_eq!(Curation::claimable(v, ALICE), 0);

			let w = v2();
			stake(BOB, w, 1_000);
			next_era();
			let id = open(DAVE, w);
			assert_eq!(credit(w, 300), 0);
			let supply = issuance();
			assert_ok!(Curation::resolve_dispute(
				RuntimeOrigin::root(),
				id,
				true,
				Perbill::zero(),
				Perbill::zero(),
				None
			));
			assert_eq!(issuance(), supply - 300);
			assert_eq!(free(Curation::pot()), EXISTENTIAL_DEPOSIT);
		});
	}

	#[test]
	fn a_yank_by_the_owner_does_not_escape_a_verdict() {
		// Audit A3-02: the owner yanks its version once a dispute threatens, and its curators
		// unbond; the version stays disputable while their stake is held, and the verdict
		// slashes the unbonding stake.
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			stake(BOB, v, 1_000);
			next_era();
			MockVersions::yank(&v, b"oops");
			assert_ok!(Curation::unbond(signed(ALICE), v, 1_000));
			assert_ok!(Curation::unbond(signed(BOB), v, 1_000));
			let id = open(DAVE, v);
			go_to(now() + UNBONDING_PERIOD);
			assert_noop!(Curation::withdraw(signed(ALICE), v), Error::<Test>::DisputeOpen);
			uphold(id, Perbill::from_percent(50));
			let before = free(ALICE);
			assert_ok!(Curation::withdraw(signed(ALICE), v));
			assert_eq!(free(ALICE), before + 500);
			assert_eq!(held(ALICE), 0);
			// Once every position has left, the yanked version holds nothing to judge.
			assert_ok!(Curation::withdraw(signed(BOB), v));
			assert_noop!(
				Curation::open_dispute(signed(DAVE), v, DisputeReason::Malware, bytes("ipfs://evidence")),
				Error::<Test>::VersionYanked
			);
		});
	}

	#[test]
	fn unbonding_does_not_escape_a_verdict() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			assert_ok!(Curation::unbond(signed(ALICE), v, 1_000));
			let id = open(DAVE, v);
			go_to(now() + UNBONDING_PERIOD);
			assert_noop!(Curation::withdraw(signed(ALICE), v), Error::<Test>::DisputeOpen);
			uphold(id, Perbill::from_percent(100));
			let before = free(ALICE);
			assert_ok!(Curation::withdraw(signed(ALICE), v));
			assert_eq!(free(ALICE), before);
			assert_eq!(held(ALICE), 0);
			assert!(Positions::<Test>::get(v, ALICE).is_none());
		});
	}
}

mod discovery {
	use super::*;

	#[test]
	fn top_by_stake_is_sorted_bounded_and_ties_by_version() {
		run(|| {
			let versions: Vec<VersionId> = (0..6).map(|i| version("acme/model", &format!("t{i}"))).collect();
			for (i, v) in versions.iter().enumerate() {
				stake(ALICE, *v, 100 * (1 + i as u64 % 3));
			}
			let top = Curation::top_by_stake();
			assert_eq!(top.len(), TOP_N as usize);
			let mut expected: Vec<(VersionId, Balance)> =
				versions.iter().enumerate().map(|(i, v)| (*v, 100 * (1 + i as u64 % 3))).collect();
			expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
			expected.truncate(TOP_N as usize);
			assert_eq!(top, expected);
			// A listed version falls below the list and leaves it.
			assert_ok!(Curation::unbond(signed(ALICE), expected[0].0, 300));
			assert!(Curation::top_by_stake().iter().all(|(v, _)| *v != expected[0].0));
		});
	}

	#[test]
	fn fee_average_decays_per_era() {
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			next_era();
			assert_eq!(credit(v, 1_000), 0);
			assert_eq!(Curation::curation(v).unwrap().fees_ema, 1_000);
			next_era();
			assert_eq!(Curation::curation(v).unwrap().fees_ema, 500);
			assert_eq!(credit(v, 100), 0);
			next_era();
			next_era();
			let figures = Curation::curation(v).unwrap();
			assert_eq!(figures.fees_ema, 150);
			assert_eq!(figures.fees_lifetime, 1_100);
			assert_eq!(figures.active_stake, 1_000);
			assert_eq!(figures.curators, 1);
		});
	}

	#[test]
	fn model_figures_sum_over_versions() {
		run(|| {
			let (a, b) = (v1(), v2());
			let other = version("acme/other", "v1");
			stake(ALICE, a, 1_000);
			stake(BOB, a, 2_000);
			stake(ALICE, b, 500);
			stake(CHARLIE, other, 700);
			next_era();
			assert_eq!(credit(a, 40), 0);
			assert_eq!(credit(b, 2), 0);
			let model = bytes("acme/model");
			assert_eq!(
				Curation::model_curation(model.clone()),
				Some(ModelFigures { stake: 3_500, curators: 3, fees_lifetime: 42 })
			);
			assert_ok!(Curation::unbond(signed(BOB), a, 2_000));
			assert_eq!(Curation::model_curation(model.clone()).unwrap().stake, 1_500);
			assert_eq!(Curation::model_curation(bytes("acme/other")).unwrap().stake, 700);
			let id = open(DAVE, b);
			assert_ok!(Curation::resolve_dispute(
				RuntimeOrigin::root(),
				id,
				true,
				Perbill::from_percent(20),
				Perbill::zero(),
				None
			));
			assert_eq!(Curation::model_curation(model).unwrap().stake, 1_400);
		});
	}

	#[test]
	fn rank_filters_and_scores() {
		run(|| {
			let apache = MockVersions::add(
				ManifestBuilder::new("acme/a")
					.spdx("Apache-2.0")
					.tag("task", "chat")
					.metric("accuracy", MetricValue(900_000_000))
					.build(),
			);
			let terms = MockVersions::add(
				ManifestBuilder::new("acme/b")
					.license(License::Terms(1))
					.tag("task", "chat")
					.metric("accuracy", MetricValue(700_000_000))
					.build(),
			);
			let disputed = MockVersions::add(ManifestBuilder::new("acme/d").build());
			let yanked = MockVersions::add(ManifestBuilder::new("acme/e").build());
			stake(ALICE, apache, 400);
			stake(ALICE, terms, 10_000);
			stake(ALICE, disputed, 100_000);
			next_era();
			stake(ALICE, yanked, 50_000);
			open(DAVE, disputed);
			MockVersions::yank(&yanked, b"gone");
			// 15 fee units: ilog2(16) = 4, times ScoreFeeWeight 10.
			assert_eq!(credit(apache, 15), 0);

			let all = Curation::rank(RankFilter::default(), 10);
			let order: Vec<VersionId> = all.iter().map(|row| row.version).collect();
			assert_eq!(order, vec![terms, apache]);
			assert_eq!(all[0].score, 100);
			assert_eq!(all[1].score, 20 + 40);
			assert_eq!(Curation::rank(RankFilter::default(), 1).len(), 1);

			let spdx = RankFilter { license: Some(LicenseClass::Spdx), ..Default::default() };
			assert_eq!(Curation::rank(spdx, 10).iter().map(|r| r.version).collect::<Vec<_>>(), vec![apache]);
			let chat = RankFilter {
				tags: vec![TagFilter { key: bytes("task"), value: Some(bytes("chat")) }].try_into().unwrap(),
				..Default::default()
			};
			assert_eq!(
				Curation::rank(chat.clone(), 10).iter().map(|r| r.version).collect::<Vec<_>>(),
				vec![terms, apache]
			);
			let accurate = RankFilter {
				metrics: vec![MetricFilter { name: bytes("accuracy"), min: MetricValue(800_000_000) }]
					.try_into()
					.unwrap(),
				..chat
			};
			assert_eq!(Curation::rank(accurate, 10).iter().map(|r| r.version).collect::<Vec<_>>(), vec![apache]);
			let any_task = RankFilter {
				tags: vec![TagFilter { key: bytes("task"), value: None }].try_into().unwrap(),
				license: Some(LicenseClass::Terms),
				..Default::default()
			};
			assert_eq!(Curation::rank(any_task, 10).iter().map(|r| r.version).collect::<Vec<_>>(), vec![terms]);
		});
	}
}

mod invariants {
	use super::*;

	/// A seeded xorshift64 generator.
	struct Rng(u64);

	impl Rng {
		fn next(&mut self) -> u64 {
			self.0 ^= self.0 << 13;
			self.0 ^= self.0 >> 7;
			self.0 ^= self.0 << 17;
			self.0
		}

		fn below(&mut self, n: u64) -> u64 {
			self.next() % n
		}
	}

	#[test]
	fn rewards_never_exceed_credits_and_dust_is_at_most_one_per_settlement() {
		run(|| {
			let v = v1();
			let curators = [ALICE, BOB, CHARLIE, DAVE, TREASURY];
			let mut rng = Rng(0x2545_f491_4f6c_dd1d);
			let mut credited: Balance = 0;
			let mut claimed: Balance = 0;
			let mut settlements: Balance = 0;
			let supply = issuance();
			for step in 0..100_000u32 {
				let who = curators[rng.below(curators.len() as u64) as usize];
				match rng.below(10) {
					0 | 1 => {
						stake(who, v, MIN_STAKE + rng.below(10_000));
						settlements += 1;
					}
					2..=5 => {
						let fee = 1 + rng.below(1_000);
						credited += fee - credit(v, fee);
					}
					6 | 7 => {
						if Positions::<Test>::contains_key(v, who) {
							let before = free(who);
							assert_ok!(Curation::claim(signed(who), v));
							claimed += free(who) - before;
							settlements += 1;
						}
					}
					8 => {
						if let Some(position) = Positions::<Test>::get(v, who) {
							let bonded = position.active + position.pending;
							if bonded > 0 && position.unbonding.len() < MAX_CHUNKS as usize {
								assert_ok!(Curation::unbond(signed(who), v, bonded));
								settlements += 1;
							}
						}
					}
					_ => {
						go_to(now() + 1 + rng.below(2 * ERA_LENGTH));
						for who in curators {
							if Positions::<Test>::get(v, who)
								.is_some_and(|p| p.unbonding.iter().any(|c| c.unlock_at <= now()))
							{
								assert_ok!(Curation::withdraw(signed(who), v));
								settlements += 1;
							}
						}
					}
				}
				if step % 5_000 == 0 {
					Curation::do_try_state().expect("the invariants hold");
				}
			}
			let owed: Balance = curators.iter().map(|who| Curation::claimable(v, *who)).sum();
			// What the last era credited and nobody has shared yet.
			let streaming = Curation::streaming(v);
			let positions = Positions::<Test>::iter_prefix(v).count() as Balance;
			assert!(claimed + owed + streaming <= credited, "paid {} of {credited}", claimed + owed);
			let dust = credited - claimed - owed - streaming;
			println!(
				"{credited} credited, {claimed} claimed, {owed} owed, {streaming} streaming, dust {dust} over \
				 {settlements} settlements"
			);
			// Floor rounding loses less than one unit per settlement and per position.
			assert!(dust <= settlements + positions, "dust {dust} over {settlements} settlements");
			assert_eq!(issuance(), supply, "no slash, so nothing was burned");
			// The pot holds exactly its endowment, what is owed or streaming, and the dust.
			assert_eq!(free(Curation::pot()), EXISTENTIAL_DEPOSIT + owed + streaming + dust);
		});
	}

	/// Audit A3-03's property: however a payer times it (staking in any block of an era, the
	/// last included, then paying in that era or the next and unbonding in the era it paid),
	/// stake it adds around its own purchase earns nothing from it; the curator who stayed
	/// takes every fee.
	#[test]
	fn a_payer_staking_around_its_own_purchases_earns_nothing_from_them() {
		run(|| {
			let v = v1();
			let mut rng = Rng(0x5851_f42d_4c95_7f2d);
			stake(ALICE, v, 1_000);
			next_era();
			let mut paid: Balance = 0;
			for _ in 0..300 {
				let era = now() / ERA_LENGTH;
				go_to(era * ERA_LENGTH + rng.below(ERA_LENGTH));
				let _ = Curation::withdraw(signed(PAYER), v);
				stake(PAYER, v, MIN_STAKE + rng.below(1_000_000));
				// Pay in this era or in the next, at any block from the stake on.
				let paid_in = era + rng.below(2);
				let earliest = now().max(paid_in * ERA_LENGTH);
				go_to(earliest + rng.below((paid_in + 1) * ERA_LENGTH - earliest));
				let fee = 1 + rng.below(10_000);
				paid += fee - credit(v, fee);
				// Unbond in the era of the purchase, at any block from it on.
				go_to(now() + rng.below((paid_in + 1) * ERA_LENGTH - now()));
				let position = Positions::<Test>::get(v, PAYER).unwrap();
				assert_ok!(Curation::unbond(signed(PAYER), v, (position.active + position.pending) * 2));
				next_era();
				assert_ok!(Curation::activate(signed(DAVE), v, ALICE));
				assert_eq!(Curation::claimable(v, PAYER), 0, "the payer earned from its own purchase");
			}
			assert_eq!(Curation::claimable(v, ALICE), paid, "the curator who stayed took every fee");
		});
	}

	#[test]
	fn random_operations_keep_the_invariants_and_burn_only_what_verdicts_take() {
		for seed in SEEDS {
			run(|| random_operations(seed));
		}
	}

	const SEEDS: [u64; 3] = [0x9e37_79b9_7f4a_7c15, 0x2545_f491_4f6c_dd1d, 0xdead_beef_cafe_f00d];

	/// Random calls from several curators on several versions, with credits, disputes, verdicts
	/// and un-yanks; the invariants after every 500 steps, and the supply at the end.
	fn random_operations(seed: u64) {
		{
			let versions: Vec<VersionId> = (0..6).map(|i| version("acme/fuzz", &format!("f{i}"))).collect();
			let curators = [ALICE, BOB, CHARLIE, TREASURY];
			let mut rng = Rng(seed);
			let supply = issuance();
			let mut burned: Balance = 0;
			let mut disputes: Vec<DisputeId> = Vec::new();
			// Slashes, upheld and rejected verdicts, withdrawals, claims seen.
			let mut seen = [0u32; 5];
			for step in 0..20_000u32 {
				let who = curators[rng.below(curators.len() as u64) as usize];
				let v = versions[rng.below(versions.len() as u64) as usize];
				let _ = match rng.below(12) {
					0..=2 => Curation::stake(signed(who), v, MIN_STAKE + rng.below(5_000)),
					3 => Curation::unbond(signed(who), v, 1 + rng.below(5_000)),
					4 => Curation::withdraw(signed(who), v).map(|_| ()).map_err(|e| e.error),
					5 => Curation::claim(signed(who), v),
					6 => Curation::activate(signed(DAVE), v, who),
					7 | 8 => {
						credit(v, 1 + rng.below(500));
						Ok(())
					}
					9 => {
						let id = NextDisputeId::<Test>::get();
						let opened = Curation::open_dispute(signed(DAVE), v, DisputeReason::Other, bytes("x"));
						if opened.is_ok() {
							disputes.push(id);
						}
						opened
					}
					10 => match disputes.pop() {
						Some(id) => Curation::resolve_dispute(
							RuntimeOrigin::root(),
							id,
							rng.below(2) == 0,
							Perbill::from_percent(rng.below(60) as u32),
							Perbill::from_percent(rng.below(100) as u32),
							if rng.below(2) == 0 { Some(TREASURY) } else { None },
						),
						None => Ok(()),
					},
					_ => {
						go_to(now() + 1 + rng.below(ERA_LENGTH * 2));
						// The registry may un-yank, so versions are disputed and slashed again.
						if rng.below(3) == 0 {
							MockVersions::unyank(&v);
						}
						Ok(())
					}
				};
				for record in System::events() {
					match record.event {
						RuntimeEvent::Curation(Event::Slashed { amount, to_reporter, .. }) => {
							burned += amount - to_reporter;
							seen[0] += 1;
						}
						RuntimeEvent::Curation(Event::DisputeUpheld { escrow, escrow_to, .. }) => {
							if escrow_to.is_none() {
								burned += escrow;
							}
							seen[1] += 1;
						}
						RuntimeEvent::Curation(Event::DisputeRejected { bond_burned, .. }) => {
							burned += bond_burned;
							seen[2] += 1;
						}
						RuntimeEvent::Curation(Event::Withdrawn { .. }) => seen[3] += 1,
						RuntimeEvent::Curation(Event::Claimed { .. }) => seen[4] += 1,
						_ => {}
					}
				}
				System::reset_events();
				if step % 500 == 0 {
					Curation::do_try_state().expect("the invariants hold");
					let ranked = Curation::rank(RankFilter::default(), 10);
					assert!(ranked.windows(2).all(|pair| pair[0].score >= pair[1].score));
				}
			}
			assert_eq!(issuance(), supply - burned);
			assert!(seen.iter().all(|count| *count > 0), "every path was taken: {seen:?}");
		}
	}

	/// A chain where `c` curators (Alice first) staked 1,000 each on a version in era 0, fees were
	/// credited in eras 1 and 2, and Dave disputed it; committed, so that what a call then writes
	/// is all the overlay holds. Returns it and the version.
	fn curated_chain(c: u64) -> (sp_io::TestExternalities, VersionId) {
		let mut ext = new_test_ext();
		let v = ext.execute_with(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			for i in 1..c {
				let who = 1_000 + i;
				<Balances as frame_support::traits::fungible::Mutate<AccountId>>::set_balance(&who, 10_000);
				stake(who, v, 1_000);
			}
			// Fees large enough that Alice's share of the era-1 fee (the one shared by the time
			// the calls run) is at least a unit with 10,000 curators.
			next_era();
			assert_eq!(credit(v, 20_000), 0);
			next_era();
			assert_eq!(credit(v, 20_000), 0);
			open(DAVE, v);
			System::reset_events();
			v
		});
		ext.commit_all().expect("committed");
		(ext, v)
	}

	/// The storage items (pallet and item prefix) a call writes on a chain with `c` curators, and
	/// the size of the proof of what it reads.
	fn footprint(c: u64, call: fn(VersionId)) -> (Vec<Vec<u8>>, usize) {
		let (mut ext, v) = curated_chain(c);
		let ((), proof) = ext.execute_and_prove(|| call(v));
		let mut written: Vec<Vec<u8>> =
			ext.overlayed_changes().changes().map(|(key, _)| key[..key.len().min(32)].to_vec()).collect();
		written.sort();
		(written, codec::Encode::encoded_size(&proof))
	}

	/// The O(1) promise, short of the benchmarks: `stake` (after the dispute is rejected, so stake
	/// is accepted), `unbond`, `claim` and an upheld verdict write the same storage items with 1
	/// and with 10,000 curators on the version. Their read proofs grow only with the depth of the
	/// state trie holding 10,000 more accounts and positions (logarithmically), not with the
	/// curators they read, which is one.
	#[test]
	fn calls_write_the_same_items_with_1_and_10_000_curators() {
		let calls: [(&str, fn(VersionId)); 4] = [
			("stake", |v| {
				assert_ok!(Curation::resolve_dispute(
					RuntimeOrigin::root(),
					0,
					false,
					Perbill::zero(),
					Perbill::zero(),
					None
				));
				stake(ALICE, v, 1_000);
			}),
			("unbond", |v| {
				assert_ok!(Curation::unbond(signed(ALICE), v, 500));
			}),
			("claim", |v| {
				assert_ok!(Curation::claim(signed(ALICE), v));
			}),
			("resolve_dispute", |_| {
				assert_ok!(Curation::resolve_dispute(
					RuntimeOrigin::root(),
					0,
					true,
					Perbill::from_percent(50),
					Perbill::from_percent(10),
					Some(TREASURY)
				));
			}),
		];
		for (name, call) in calls {
			let (one, one_proof) = footprint(1, call);
			let (many, many_proof) = footprint(10_000, call);
			assert_eq!(one, many, "{name} writes other items with 10,000 curators");
			println!(
				"{name}: {} keys written; read proof {one_proof} bytes with 1 curator, {many_proof} with 10,000",
				one.len()
			);
		}
	}
}

mod migrations {
	use super::*;
	use crate::migrations::v1::{MigrateV0ToV1, UncheckedMigrateV0ToV1, v0};
	use frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion, UncheckedOnRuntimeUpgrade, fungible::MutateHold,
	};

	fn old_dispute(version: VersionId, reporter: AccountId, opened_at: u64) -> v0::DisputeOf<Test> {
		v0::Dispute {
			version,
			reporter,
			reason: DisputeReason::FakeMetrics,
			evidence: bytes("sha256:abc"),
			bond: DISPUTE_BOND,
			opened_at,
		}
	}

	/// Storage as version 0 left it: two open disputes, their bonds held and their targets
	/// pointing at them.
	fn version_0_state() -> (VersionId, VersionId) {
		let (v, w) = (v1(), v2());
		for (id, version, reporter, opened_at) in [(0, v, DAVE, 3), (1, w, CHARLIE, 250)] {
			assert_ok!(Balances::hold(&HoldReason::DisputeBond.into(), &reporter, DISPUTE_BOND));
			v0::Disputes::<Test>::insert(id, old_dispute(version, reporter, opened_at));
			let mut target = Targets::<Test>::get(version).unwrap_or_else(Curation::new_target);
			target.dispute = Some(id);
			Targets::<Test>::insert(version, target);
		}
		NextDisputeId::<Test>::put(2);
		StorageVersion::new(0).put::<Curation>();
		(v, w)
	}

	#[test]
	fn v1_gives_every_open_dispute_an_expiry() {
		run(|| {
			let (v, w) = version_0_state();
			go_to(300);
			// A version 0 record does not decode as a version 1 one.
			assert!(Disputes::<Test>::get(0).is_none());
			#[cfg(feature = "try-runtime")]
			let state = UncheckedMigrateV0ToV1::<Test>::pre_upgrade().unwrap();
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			UncheckedMigrateV0ToV1::<Test>::post_upgrade(state).unwrap();
			assert_eq!(Curation::on_chain_storage_version(), StorageVersion::new(1));
			let first = Curation::dispute(0).unwrap();
			assert_eq!(
				(first.version, first.reporter, first.opened_at, first.expires_at),
				(v, DAVE, 3, 3 + DISPUTE_TIMEOUT)
			);
			assert_eq!(first.reason, DisputeReason::FakeMetrics);
			assert_eq!(Curation::dispute(1).unwrap().expires_at, 250 + DISPUTE_TIMEOUT);
			// The one opened more than a timeout before the upgrade lapses at once; the other
			// keeps its full timeout.
			assert_ok!(Curation::close_lapsed_dispute(signed(ALICE), 0));
			assert_noop!(Curation::close_lapsed_dispute(signed(ALICE), 1), Error::<Test>::DisputeNotLapsed);
			assert!(<Curation as DisputeGate>::has_open_dispute(&w));
		});
	}

	/// `version`'s target as version 1 stored it (nothing streaming: credits were shared at
	/// once), the storage version set to 1.
	fn to_version_1(version: VersionId) {
		use crate::migrations::v2::v1;
		let now = target(version);
		assert_eq!(now.streaming, 0);
		v1::Targets::<Test>::insert(
			version,
			v1::Target {
				active_points: now.active_points,
				pending_points: now.pending_points,
				pending_era: now.pending_era,
				unbonding_points: now.unbonding_points,
				factor: now.factor,
				acc: now.acc,
				fees_lifetime: now.fees_lifetime,
				fees_ema: now.fees_ema,
				ema_era: now.ema_era,
				curators: now.curators,
				dispute: now.dispute,
				escrow: now.escrow,
				slash_route: now.slash_route,
			},
		);
		StorageVersion::new(1).put::<Curation>();
	}

	#[test]
	fn v2_gives_every_target_an_empty_stream() {
		use crate::migrations::v2::{MigrateV1ToV2, UncheckedMigrateV1ToV2};
		run(|| {
			let v = v1();
			stake(ALICE, v, 1_000);
			stake(BOB, v, 400);
			next_era();
			assert_ok!(Curation::activate(signed(DAVE), v, ALICE));
			let before = target(v);
			to_version_1(v);
			// A version 1 record does not decode as a version 2 one.
			assert!(Targets::<Test>::get(v).is_none());
			next_era();
			#[cfg(feature = "try-runtime")]
			let state = UncheckedMigrateV1ToV2::<Test>::pre_upgrade().unwrap();
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			UncheckedMigrateV1ToV2::<Test>::post_upgrade(state).unwrap();
			assert_eq!(Curation::on_chain_storage_version(), StorageVersion::new(2));
			let migrated = target(v);
			assert_eq!(migrated, Target { streaming: 0, streaming_era: Curation::current_era(), ..before });
			// A second run finds version 2 and leaves storage alone; the target works as before.
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(target(v), migrated);
			assert_eq!(credit(v, 1_400), 0);
			next_era();
			assert_eq!(Curation::claimable(v, ALICE), 1_000);
			assert_eq!(Curation::claimable(v, BOB), 400);
		});
	}

	#[test]
	fn v1_runs_only_from_version_0() {
		run(|| {
			version_0_state();
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			let migrated = Disputes::<Test>::iter().collect::<Vec<_>>();
			// A second run finds version 1 and leaves storage alone.
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(Disputes::<Test>::iter().collect::<Vec<_>>(), migrated);
			assert_eq!(Curation::on_chain_storage_version(), StorageVersion::new(1));
		});
	}
}
