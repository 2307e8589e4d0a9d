//! Unit tests: the calls' rules, and changes reaching the active set through real session
//! changes.

use crate::{Error, Event, PlanPending, QueuedPlan, Validators, mock::*};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn manager() -> RuntimeOrigin {
	RuntimeOrigin::signed(Manager::get())
}

fn planned() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

fn active() -> Vec<u64> {
	<Session as frame_support::traits::ValidatorSet<u64>>::validators()
}

#[test]
fn genesis_plans_the_session_keys_validators() {
	test(|| {
		assert_eq!(planned(), vec![1, 2, 3]);
		assert_eq!(active(), vec![1, 2, 3]);
		assert!(!PlanPending::<Test>::get());
	});
}

#[test]
fn only_the_manager_changes_the_set() {
	test(|| {
		register_keys(4);
		assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::signed(4), 4), DispatchError::BadOrigin);
		assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4), DispatchError::BadOrigin);
		assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::signed(1), 1), DispatchError::BadOrigin);
	});
}

#[test]
fn an_added_validator_validates_from_the_session_after_next() {
	test(|| {
		register_keys(4);
		assert_ok!(ValidatorSet::add_validator(manager(), 4));
		System::assert_last_event(Event::ValidatorAdded { who: 4 }.into());
		assert_eq!(planned(), vec![1, 2, 3, 4]);
		assert_eq!(active(), vec![1, 2, 3]);

		// Session 1 begins: the set of session 2 is planned with 4 in it.
		run_to_session(1);
		System::assert_has_event(Event::NewSetPlanned { session: 2, validators: 4 }.into());
		assert!(!PlanPending::<Test>::get());
		assert_eq!(active(), vec![1, 2, 3]);

		run_to_session(2);
		assert_eq!(active(), vec![1, 2, 3, 4]);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 2);
	});
}

#[test]
fn a_removed_validator_stops_from_the_session_after_next() {
	test(|| {
		assert_ok!(ValidatorSet::remove_validator(manager(), 2));
		System::assert_last_event(Event::ValidatorRemoved { who: 2 }.into());
		assert_eq!(planned(), vec![1, 3]);
		run_to_session(1);
		assert_eq!(active(), vec![1, 2, 3]);
		run_to_session(2);
		assert_eq!(active(), vec![1, 3]);
	});
}

#[test]
fn changes_made_while_a_plan_is_queued_are_kept() {
	test(|| {
		register_keys(4);
		register_keys(5);
		assert_ok!(ValidatorSet::add_validator(manager(), 4));
		run_to_session(1);
		// The active set is still 1, 2, 3 while 4 is queued; a second change builds on the
		// planned set, not the active one.
		assert_ok!(ValidatorSet::remove_validator(manager(), 1));
		assert_eq!(planned(), vec![2, 3, 4]);
		run_to_session(2);
		assert_eq!(active(), vec![1, 2, 3, 4]);
		run_to_session(3);
		assert_eq!(active(), vec![2, 3, 4]);
		// Nothing waits: the next sessions plan nothing new.
		run_to_session(5);
		assert_eq!(active(), vec![2, 3, 4]);
		assert!(!System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::ValidatorSet(Event::NewSetPlanned { session: 4 | 5 | 6, .. })
		)));
	});
}

#[test]
fn a_validator_needs_session_keys() {
	test(|| {
		assert_noop!(ValidatorSet::add_validator(manager(), 4), Error::<Test>::NoSessionKeys);
	});
}

#[test]
fn a_validator_is_admitted_once() {
	test(|| {
		assert_noop!(ValidatorSet::add_validator(manager(), 2), Error::<Test>::AlreadyValidator);
	});
}

#[test]
fn the_set_has_a_maximum() {
	test(|| {
		register_keys(4);
		register_keys(5);
		assert_ok!(ValidatorSet::add_validator(manager(), 4));
		assert_noop!(ValidatorSet::add_validator(manager(), 5), Error::<Test>::TooManyValidators);
	});
}

#[test]
fn the_set_never_falls_below_the_minimum() {
	test(|| {
		assert_ok!(ValidatorSet::remove_validator(manager(), 3));
		assert_noop!(ValidatorSet::remove_validator(manager(), 2), Error::<Test>::TooFewValidators);
		assert_eq!(planned(), vec![1, 2]);
	});
}

#[test]
fn only_members_of_the_planned_set_are_removed() {
	test(|| {
		register_keys(4);
		assert_noop!(ValidatorSet::remove_validator(manager(), 4), Error::<Test>::NotValidator);
	});
}

#[test]
fn without_changes_sessions_last_the_maximum_and_plan_nothing() {
	test(|| {
		run_to_block(MAX_SESSION - 1);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 0);
		run_to_block(MAX_SESSION);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 1);
		run_to_block(2 * MAX_SESSION);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 2);
		assert_eq!(active(), vec![1, 2, 3]);
		assert!(!System::events().iter().any(|record| matches!(record.event, RuntimeEvent::ValidatorSet(_))));
	});
}

#[test]
fn a_change_ends_sessions_after_the_minimum_until_it_is_active() {
	test(|| {
		run_to_block(MAX_SESSION + 1);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 1);
		register_keys(4);
		assert_ok!(ValidatorSet::add_validator(manager(), 4));
		// Session 1 started at MAX_SESSION: the change ends it MIN_SESSION blocks later, and the
		// next one too, when the change becomes active; then sessions are long again.
		run_to_block(MAX_SESSION + MIN_SESSION - 1);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 1);
		run_to_block(MAX_SESSION + MIN_SESSION);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 2);
		assert_eq!(QueuedPlan::<Test>::get(), Some(3));
		run_to_block(MAX_SESSION + 2 * MIN_SESSION);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 3);
		assert_eq!(active(), vec![1, 2, 3, 4]);
		assert_eq!(QueuedPlan::<Test>::get(), None);
		run_to_block(MAX_SESSION + 2 * MIN_SESSION + MAX_SESSION - 1);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 3);
	});
}
