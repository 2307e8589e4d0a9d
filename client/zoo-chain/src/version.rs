//! Which runtime this client was built for, and the check that keeps it from signing a call the
//! chain's runtime would read differently.
//!
//! The client is generated from the metadata bundled in `zoo-chain-api`
//! ([`zoo_chain_api::METADATA`]); it connects with the node's own metadata, and subxt encodes a
//! call by the names of its pallet, variant and fields into the node's types, with the node's
//! indices. What could still go wrong is a call whose meaning or types changed: a runtime
//! declares such a change by raising its `transaction_version`, and a change it did not declare
//! shows in the call's type hash. So before anything is signed ([`check_signable`]):
//!
//! - the chain's `transaction_version` must be the one this client was built for, or an older
//!   one whose every later raise this client knows changed only calls' types
//!   ([`TYPE_ONLY_RAISES`]), and
//! - the call's type hash in the node's metadata must be the one it was generated with (for a
//!   council motion this covers the whole `RuntimeCall` it carries).
//!
//! So a client newer than the chain still signs the calls a type-only raise left alone (a
//! network about to upgrade keeps working with the upgraded `zoo`), and a client older than the
//! chain signs nothing until it is updated.
//!
//! Otherwise the transaction is refused before it is signed, with [`ChainError::StaleRuntime`]
//! naming both runtimes. Reads are not gated: a read that still decodes is still right.

use super::ChainError;
use codec::Decode;
use std::{fmt, sync::OnceLock};
use subxt::metadata::Metadata;

/// A runtime's name and the versions that say whether its calls changed. In JSON
/// `{"spec_name", "spec_version", "transaction_version"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuntimeVersion {
	/// The runtime's name (`zoo`).
	pub spec_name: String,
	/// Raised by every runtime upgrade.
	pub spec_version: u32,
	/// Raised when calls change (their indices, arguments or meaning): a transaction signed for
	/// another transaction version may do something else than its signer meant.
	pub transaction_version: u32,
}

impl fmt::Display for RuntimeVersion {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{} {} (transaction version {})", self.spec_name, self.spec_version, self.transaction_version)
	}
}

/// The leading fields of `sp_version::RuntimeVersion` as SCALE encodes it (the `System::Version`
/// constant); the fields after `transaction_version` are not needed.
#[derive(Decode)]
struct EncodedVersion {
	spec_name: String,
	_impl_name: String,
	_authoring_version: u32,
	spec_version: u32,
	_impl_version: u32,
	_apis: Vec<([u8; 8], u32)>,
	transaction_version: u32,
}

/// The runtime version `metadata` describes: its `System::Version` constant. `None` when it has
/// none, or one that does not decode.
pub fn version_in(metadata: &Metadata) -> Option<RuntimeVersion> {
	let constant = metadata.pallet_by_name("System")?.constant_by_name("Version")?;
	let version = EncodedVersion::decode(&mut constant.value()).ok()?;
	Some(RuntimeVersion {
		spec_name: version.spec_name,
		spec_version: version.spec_version,
		transaction_version: version.transaction_version,
	})
}

/// The runtime this client was built for: the version in its bundled metadata.
pub fn built_for() -> &'static RuntimeVersion {
	static BUILT_FOR: OnceLock<RuntimeVersion> = OnceLock::new();
	BUILT_FOR.get_or_init(|| {
		// The code was generated from these bytes at build time, so they decode; a runtime
		// serves its version in every metadata it has ever produced.
		let metadata =
			Metadata::decode_from(zoo_chain_api::METADATA).expect("the bundled metadata generated this code; qed");
		version_in(&metadata).expect("a runtime's metadata carries System::Version; qed")
	})
}

/// Whether `call` is the call this client was generated with, in the node's `metadata`: same
/// pallet, same call, same argument types (subxt's type hash). A payload without validation
/// details (a dynamic one) is taken as it is.
pub(crate) fn same_call<Call: subxt::transactions::Payload>(call: &Call, metadata: &Metadata) -> bool {
	let Some(details) = call.validation_details() else { return true };
	metadata
		.pallet_by_name(details.pallet_name)
		.and_then(|pallet| pallet.call_hash(details.call_name))
		.is_some_and(|hash| hash == details.hash)
}

/// The `transaction_version`s whose raise changed only the argument types of calls (which the
/// type hash of [`same_call`] catches), and nothing's meaning: 2, `Licensing::purchase` gained
/// the `kind` of grant it buys; 3, `Licensing::release_key` gained the recipient key the
/// headers were wrapped for.
pub const TYPE_ONLY_RAISES: &[u32] = &[2, 3];

/// Whether a chain at transaction version `chain` keeps the meaning of every call of this
/// client's version `built`: the same version, or an older one raised since only by
/// [`TYPE_ONLY_RAISES`].
fn same_meanings(chain: u32, built: u32) -> bool {
	chain <= built && (chain + 1..=built).all(|raised| TYPE_ONLY_RAISES.contains(&raised))
}

/// Refuse to sign `call` for a chain that runs `chain` with `metadata` unless this client was
/// built for the same calls (see the module doc).
pub(crate) fn check_signable<Call: subxt::transactions::Payload>(
	call: &Call,
	metadata: &Metadata,
	chain: RuntimeVersion,
) -> Result<(), ChainError> {
	let built = built_for();
	if same_meanings(chain.transaction_version, built.transaction_version) && same_call(call, metadata) {
		Ok(())
	} else {
		Err(ChainError::StaleRuntime { built: built.clone(), chain })
	}
}

/// What to do about a client built for `built` and a chain running `chain`: update `zoo` when
/// the chain is at least as new, else wait for the chain's upgrade.
pub(crate) fn advice(built: &RuntimeVersion, chain: &RuntimeVersion) -> &'static str {
	if chain.spec_version >= built.spec_version {
		"update zoo"
	} else {
		"use a zoo built for the chain's runtime, or wait for its upgrade"
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::runtime;
	use scale_info::TypeDef;

	fn bundled() -> Metadata {
		Metadata::decode_from(zoo_chain_api::METADATA).unwrap()
	}

	/// `spec_version: N,` and `transaction_version: N,` in the runtime's source, if this checkout
	/// has it beside the client.
	fn runtime_source_version(field: &str) -> Option<u32> {
		let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runtime/src/lib.rs");
		let source = std::fs::read_to_string(path).ok()?;
		let line = source.lines().find(|line| line.trim_start().starts_with(&format!("{field}:")))?;
		line.split(':').nth(1)?.trim().trim_end_matches(',').parse().ok()
	}

	#[test]
	fn the_client_knows_the_runtime_it_was_built_for() {
		let built = built_for();
		assert_eq!(built.spec_name, "zoo");
		assert!(built.spec_version > 0 && built.transaction_version > 0, "{built}");
		// The bundled metadata is regenerated with the runtime (`make metadata`), so it names
		// the runtime's own versions.
		if let Some(spec_version) = runtime_source_version("spec_version") {
			assert_eq!(built.spec_version, spec_version, "the bundled metadata is stale: `make metadata`");
		}
		if let Some(transaction_version) = runtime_source_version("transaction_version") {
			assert_eq!(built.transaction_version, transaction_version);
		}
		assert_eq!(version_in(&bundled()).as_ref(), Some(built));
	}

	#[test]
	fn a_stale_client_names_both_runtimes() {
		let built = RuntimeVersion { spec_name: "zoo".into(), spec_version: 100, transaction_version: 1 };
		let chain = RuntimeVersion { spec_name: "zoo".into(), spec_version: 101, transaction_version: 2 };
		let error = ChainError::StaleRuntime { built: built.clone(), chain: chain.clone() };
		assert_eq!(
			error.to_string(),
			"this zoo was built for runtime zoo 100 (transaction version 1) but the chain runs zoo 101 \
			 (transaction version 2), whose calls differ: update zoo; nothing was signed"
		);
		let error = ChainError::StaleRuntime { built: chain, chain: built };
		assert!(error.to_string().ends_with("wait for its upgrade; nothing was signed"), "{error}");
	}

	#[test]
	fn only_the_same_calls_are_signed() {
		let metadata = bundled();
		let remark = runtime::transactions().system().remark(b"hi".to_vec());
		let built = built_for().clone();
		check_signable(&remark, &metadata, built.clone()).expect("the client's own runtime");
		// Another spec version with the same calls: a runtime upgrade that left calls alone.
		let newer = RuntimeVersion { spec_version: built.spec_version + 1, ..built.clone() };
		check_signable(&remark, &metadata, newer).expect("same calls, newer runtime");
		// A declared change of the calls this client does not know.
		let declared = RuntimeVersion { transaction_version: built.transaction_version + 1, ..built.clone() };
		let error = check_signable(&remark, &metadata, declared).unwrap_err();
		assert!(matches!(error, ChainError::StaleRuntime { .. }), "{error}");
		// An older chain, across raises this client knows changed only types.
		let older = RuntimeVersion { spec_version: built.spec_version - 1, transaction_version: 1, ..built.clone() };
		check_signable(&remark, &metadata, older).expect("same calls, a type-only raise since");
		assert!(same_meanings(1, 2) && same_meanings(2, 2) && !same_meanings(3, 2) && !same_meanings(0, 2));

		// An undeclared change: `System::remark`'s argument renamed in the node's metadata.
		let mut changed = bundled();
		let call_ty = changed.pallet_by_name("System").and_then(|pallet| pallet.call_ty_id()).unwrap();
		let ty = changed.types_mut().types.iter_mut().find(|ty| ty.id == call_ty).unwrap();
		let TypeDef::Variant(calls) = &mut ty.ty.type_def else { panic!("a pallet's calls are an enum") };
		let remark_variant = calls.variants.iter_mut().find(|variant| variant.name == "remark").unwrap();
		remark_variant.fields[0].name = Some("note".into());
		assert!(!same_call(&remark, &changed));
		let error = check_signable(&remark, &changed, built.clone()).unwrap_err();
		assert!(error.to_string().contains(&format!("the chain runs {built}, whose calls differ")), "{error}");
		// Another call of the same pallet is still the same.
		let other = runtime::transactions().system().remark_with_event(b"hi".to_vec());
		assert!(same_call(&other, &changed));
	}
}
