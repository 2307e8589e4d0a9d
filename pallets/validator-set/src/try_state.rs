//! The pallet's invariants, checked by `try-runtime` and after every unit test.

use crate::*;
use frame_support::ensure;

impl<T: Config> Pallet<T> {
	/// - The planned set has no duplicate and is never empty.
	pub(crate) fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let validators = Validators::<T>::get();
		let mut sorted = validators.clone().into_inner();
		sorted.sort();
		sorted.dedup();
		ensure!(sorted.len() == validators.len(), "a validator appears twice in the planned set");
		ensure!(!validators.is_empty(), "the planned set is empty");
		Ok(())
	}
}
