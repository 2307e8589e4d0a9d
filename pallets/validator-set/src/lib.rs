//! # Validator set pallet
//!
//! Who validates a Zoo chain, decided by the consortium: a [`Config::ManagerOrigin`] (in the
//! runtime, a majority motion of the council) admits and removes validators, and the change
//! reaches block production and finality through `pallet-session`, for which this pallet is the
//! [`SessionManager`].
//!
//! ## How a change takes effect
//!
//! The pallet keeps the **planned set**, [`Validators`]: the set the council has decided on,
//! which may be ahead of the set that authors blocks now (`pallet_session::Validators`).
//!
//! 1. A motion calls [`Pallet::add_validator`] or [`Pallet::remove_validator`]: the planned set
//!    changes at once and [`Event::ValidatorAdded`] or [`Event::ValidatorRemoved`] is emitted.
//! 2. At the next session change, `pallet-session` asks this pallet for the set of the session
//!    after it, and gets the planned set ([`Event::NewSetPlanned`]); it queues that set with its
//!    session keys.
//! 3. One session later the queued set becomes active: Aura's authorities change at that block,
//!    and GRANDPA schedules the new authority set (finalised blocks carry the change).
//!
//! ## When sessions change
//!
//! This pallet also decides when a session ends ([`ShouldEndSession`]): a session change costs a
//! whole block (`pallet-session` charges the block's maximum weight for the rotation), so
//! sessions change only when there is something to change, and otherwise rarely:
//!
//! - when a change is planned or queued, as soon as the session has lasted
//!   [`Config::MinSessionLength`] blocks: a change is active two session changes after its
//!   motion, so between `MinSessionLength` and twice that many blocks later;
//! - otherwise every [`Config::MaxSessionLength`] blocks, which is when new session keys
//!   (`session.set_keys` by a sitting validator) take effect.
//!
//! A validator removed keeps authoring until its removal is active, and stops after.
//!
//! ## Rules
//!
//! - A validator must have registered its session keys (`session.set_keys`, signed by its own
//!   account) before it is admitted: a set member without keys would leave its slots empty.
//! - The planned set never has more than [`Config::MaxValidators`] members, nor fewer than
//!   [`Config::MinValidators`]: removing one more is refused, so no motion can stop the chain by
//!   emptying its set.
//! - At genesis the planned set is the genesis session keys' validators (the chain spec's
//!   `session.keys`), so chain specs written by any tool (zombienet, `zoo-node consortium-spec`)
//!   need no entry for this pallet.
//!
//! ## Deposits
//!
//! None: only the manager origin grows [`Validators`], and it is bounded by `MaxValidators`. A
//! validator's session keys carry `pallet-session`'s key deposit.
//!
//! ## Calls
//!
//! - [`Pallet::add_validator`]: manager origin; the account joins the planned set.
//! - [`Pallet::remove_validator`]: manager origin; the account leaves the planned set.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
mod impl_session_manager;
mod impl_session_timing;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod weights;

pub use weights::WeightInfo;

/// What this pallet's benchmarks need from the runtime: session keys registered for an account
/// (the runtime writes them through `pallet-session`).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers session keys for `who`, so it may be admitted.
	fn register_keys(who: &AccountId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{ValidatorRegistration, ValidatorSet},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Zero;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The session pallet: the set that authors now, and whether an account has registered
		/// session keys.
		type Session: ValidatorSet<Self::AccountId, ValidatorId = Self::AccountId>
			+ ValidatorRegistration<Self::AccountId>;

		/// Who may admit and remove validators (the runtime: a council majority).
		type ManagerOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The planned set never shrinks below this many validators.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// The planned set never grows beyond this many validators (Aura's and GRANDPA's
		/// `MaxAuthorities` at most).
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// A session with a change to plan or to activate ends once it has lasted this many
		/// blocks.
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;

		/// Any session ends once it has lasted this many blocks.
		#[pallet::constant]
		type MaxSessionLength: Get<BlockNumberFor<Self>>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Registers session keys in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The planned set: the validators the manager has decided on, in the order they were
	/// admitted. The active set follows it at a session change.
	#[pallet::storage]
	pub type Validators<T: Config> = StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether [`Validators`] changed since `pallet-session` last took it: the next session
	/// change plans it.
	#[pallet::storage]
	pub type PlanPending<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// The session whose set this pallet planned and which has not started yet: its start
	/// activates the change.
	#[pallet::storage]
	pub type QueuedPlan<T: Config> = StorageValue<_, u32, OptionQuery>;

	/// The block the current session started at.
	#[pallet::storage]
	pub type SessionStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		_config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// `pallet-session` comes first in the runtime and has already set the genesis
			// validators from its keys.
			let genesis: BoundedVec<_, _> = T::Session::validators()
				.try_into()
				.expect("the genesis session keys name at most MaxValidators validators");
			Validators::<T>::put(genesis);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` joined the planned set; it validates from the session after next.
		ValidatorAdded {
			/// The new validator.
			who: T::AccountId,
		},
		/// `who` left the planned set; it stops validating from the session after next.
		ValidatorRemoved {
			/// The validator removed.
			who: T::AccountId,
		},
		/// The planned set was handed to `pallet-session` for session `session`.
		NewSetPlanned {
			/// The session the set will validate.
			session: u32,
			/// How many validators it has.
			validators: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the planned set.
		AlreadyValidator,
		/// The account is not in the planned set.
		NotValidator,
		/// The account has no session keys: it must call `session.set_keys` first.
		NoSessionKeys,
		/// The planned set already has `MaxValidators` members.
		TooManyValidators,
		/// Removing the account would leave fewer than `MinValidators` validators.
		TooFewValidators,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			// What `should_end_session` reads in `pallet-session`'s `on_initialize`, every block.
			T::DbWeight::get().reads(3)
		}

		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "a chain needs at least one validator");
			assert!(T::MinValidators::get() <= T::MaxValidators::get(), "MinValidators exceeds MaxValidators");
			assert!(!T::MinSessionLength::get().is_zero(), "a session lasts at least one block");
			assert!(
				T::MinSessionLength::get() <= T::MaxSessionLength::get(),
				"MinSessionLength exceeds MaxSessionLength"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Admits `who` to the planned set.
		///
		/// - Origin: [`Config::ManagerOrigin`] (a council majority).
		/// - `who` must have registered session keys and must not be in the planned set; the
		///   set must have room.
		/// - Effect: `who` validates from the session after next (see the crate doc).
		/// - Deposit: none.
		/// - Event: [`Event::ValidatorAdded`].
		/// - Errors: [`Error::AlreadyValidator`], [`Error::NoSessionKeys`],
		///   [`Error::TooManyValidators`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator())]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ManagerOrigin::ensure_origin(origin)?;
			Self::do_add_validator(who)
		}

		/// Removes `who` from the planned set.
		///
		/// - Origin: [`Config::ManagerOrigin`] (a council majority).
		/// - `who` must be in the planned set, and the set must keep at least `MinValidators`.
		/// - Effect: `who` stops validating from the session after next.
		/// - Event: [`Event::ValidatorRemoved`].
		/// - Errors: [`Error::NotValidator`], [`Error::TooFewValidators`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator())]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::ManagerOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(who)
		}
	}
}
