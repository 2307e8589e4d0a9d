//! What the other pallets may ask the registry about models and roles ([`ModelAccess`]).

use crate::*;
use zoo_primitives::{ModelAccess, ModelName};

/// The registry answers the other pallets' questions about models and roles.
impl<T: Config> ModelAccess<T::AccountId> for Pallet<T> {
	fn model_exists(model: &ModelName) -> bool {
		Models::<T>::contains_key(model)
	}

	fn can_move_refs(model: &ModelName, who: &T::AccountId) -> bool {
		Self::role_of(model, who).is_some_and(|role| role.can_move_refs())
	}

	fn is_admin(model: &ModelName, who: &T::AccountId) -> bool {
		Self::role_of(model, who).is_some_and(|role| role.is_admin())
	}

	fn model_owner(model: &ModelName) -> Option<T::AccountId> {
		Models::<T>::get(model).map(|details| details.owner)
	}
}
