//! What the calls do, one file per concern, each an `impl<T: Config> Pallet<T>` block (as in
//! pallet-nfts' `features/`). The helpers they share are in `functions.rs`.

mod channels;
mod claims;
pub(crate) mod derivative_rules;
mod grants;
mod key_release;
mod offers;
mod terms;
