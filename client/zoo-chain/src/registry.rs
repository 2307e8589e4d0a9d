//! The model registry pallet: models, organisations and versions, read through its view
//! functions; creating them, committing, yanking and granting roles as transactions.

use super::{Chain, ChainError, Submitted, bounded, check_fetched, runtime, ss58};
use subxt::utils::{AccountId32, Static};
use subxt_signer::sr25519::Keypair;
use zoo_primitives::{Manifest, OrgRole, Role, VersionId};
use zoo_types::output::json;

/// A maintainer of a model or a member of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
	/// The account (SS58).
	pub account: String,
	/// Its role's name.
	pub role: String,
}

/// A model as stored on chain.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ModelInfo {
	/// `org/name`.
	pub name: String,
	/// Owner account (SS58).
	pub owner: String,
	/// Deposit held from the owner.
	#[serde(serialize_with = "json::amount")]
	pub deposit: u128,
	/// Number of versions committed.
	pub version_count: u32,
	/// Maintainers and their roles.
	pub maintainers: Vec<Member>,
}

/// An organisation as stored on chain: the owned namespace of its models.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrgInfo {
	/// The organisation's name.
	pub name: String,
	/// Owner account (SS58).
	pub owner: String,
	/// Deposit held from the owner (zero when governance created it).
	#[serde(serialize_with = "json::amount")]
	pub deposit: u128,
	/// Block in which it was created.
	pub created: u32,
	/// How many models have been created in it.
	pub model_count: u32,
	/// Members besides the owner, with their roles (`admin` or `member`).
	pub members: Vec<Member>,
}

/// Why a name cannot be created: the registry error a create call would fail with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NameUnavailable {
	/// The error, `ModelRegistry::NameTooSimilar` say.
	pub error: String,
	/// Its documentation.
	pub docs: String,
}

/// A committed version: its manifest and the record beside it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionRecord {
	/// The content ID.
	#[serde(serialize_with = "json::cid")]
	pub id: VersionId,
	/// The manifest.
	#[serde(serialize_with = "json::manifest")]
	pub manifest: Manifest,
	/// Who submitted it (SS58).
	pub committer: String,
	/// Block it was committed in.
	#[serde(rename = "committed_in")]
	pub block: u32,
	/// Deposit held for it.
	#[serde(serialize_with = "json::amount")]
	pub deposit: u128,
	/// The yank reason, if the version was yanked.
	pub yanked: Option<String>,
}

fn member(who: &AccountId32, role: &str) -> Member {
	Member { account: ss58(who), role: role.to_owned() }
}

impl Chain {
	/// A model by name; `None` if it does not exist.
	pub async fn model(&self, name: &str) -> Result<Option<ModelInfo>, ChainError> {
		let calls = runtime::view_functions().model_registry();
		let Some(details) = self.view(calls.model(bounded(name.as_bytes()))).await? else {
			return Ok(None);
		};
		let maintainers = self.view(calls.maintainers(bounded(name.as_bytes()))).await?;
		Ok(Some(ModelInfo {
			name: name.to_owned(),
			owner: ss58(&details.owner),
			deposit: details.deposit,
			version_count: details.version_count,
			maintainers: maintainers.iter().map(|(who, role)| member(who, role.0.as_str())).collect(),
		}))
	}

	/// Whether model `name` exists (one read: its record, not its maintainers).
	pub async fn model_exists(&self, name: &str) -> Result<bool, ChainError> {
		let call = runtime::view_functions().model_registry().model(bounded(name.as_bytes()));
		Ok(self.view(call).await?.is_some())
	}

	/// A version by ID; `None` if it does not exist.
	///
	/// The manifest is checked ([`check_fetched`]): one that does not hash to `id`, or that
	/// breaks the manifest rules, is an error naming the node, never a result.
	pub async fn version(&self, id: VersionId) -> Result<Option<VersionRecord>, ChainError> {
		let call = runtime::view_functions().model_registry().version(Static(id));
		let Some((record, manifest)) = self.view(call).await? else {
			return Ok(None);
		};
		check_fetched(&self.url, id, &manifest.0)?;
		Ok(Some(VersionRecord {
			id,
			manifest: manifest.0,
			committer: ss58(&record.committer),
			block: record.block,
			deposit: record.deposit,
			yanked: record.yanked.map(|yank| String::from_utf8_lossy(&yank.reason.0).into_owned()),
		}))
	}

	/// IDs of a model's versions, newest first, skipping `start` and returning at most `limit`.
	pub async fn versions(&self, model: &str, start: u32, limit: u32) -> Result<Vec<VersionId>, ChainError> {
		let call = runtime::view_functions().model_registry().versions(bounded(model.as_bytes()), start, limit);
		let ids = self.view(call).await?;
		Ok(ids.into_iter().map(|id| id.0).collect())
	}

	/// An organisation by name; `None` if it does not exist.
	pub async fn org(&self, name: &str) -> Result<Option<OrgInfo>, ChainError> {
		let calls = runtime::view_functions().model_registry();
		let Some(details) = self.view(calls.org(bounded(name.as_bytes()))).await? else {
			return Ok(None);
		};
		let members = self.view(calls.org_members(bounded(name.as_bytes()))).await?;
		Ok(Some(OrgInfo {
			name: name.to_owned(),
			owner: ss58(&details.owner),
			deposit: details.deposit,
			created: details.created,
			model_count: details.model_count,
			members: members.iter().map(|(who, role)| member(who, role.0.as_str())).collect(),
		}))
	}

	/// Whether organisation or model `name` could be created now, and if not, why.
	pub async fn name_available(&self, name: &str) -> Result<Result<(), NameUnavailable>, ChainError> {
		let call = runtime::view_functions().model_registry().name_available(bounded(name.as_bytes()));
		let Err(error) = self.view(call).await? else { return Ok(Ok(())) };
		// The generated error enum's variants are named as in the runtime; their docs are in
		// the metadata.
		let name = format!("{error:?}");
		let metadata = self.reads_at().await?.metadata();
		let docs = metadata
			.pallet_by_name("ModelRegistry")
			.and_then(|pallet| pallet.error_variants()?.iter().find(|variant| variant.name == name).cloned())
			.map(|variant| variant.docs.join(" ").trim().to_owned())
			.unwrap_or_default();
		Ok(Err(NameUnavailable { error: format!("ModelRegistry::{name}"), docs }))
	}

	/// Create organisation `name`, owned by `signer`; returns once the block is finalized.
	pub async fn create_org(&self, signer: &Keypair, name: &str) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().model_registry().create_org(bounded(name.as_bytes()));
		self.submit(signer, &call).await
	}

	/// Grant `who` a role in organisation `org`, change it, or revoke it (`None`).
	pub async fn set_org_role(
		&self,
		signer: &Keypair,
		org: &str,
		who: AccountId32,
		role: Option<OrgRole>,
	) -> Result<Submitted, ChainError> {
		let call =
			runtime::transactions().model_registry().set_org_role(bounded(org.as_bytes()), who, role.map(Static));
		self.submit(signer, &call).await
	}

	/// Create a model owned by `signer`; returns once the block is finalized.
	pub async fn create_model(&self, signer: &Keypair, name: &str) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().model_registry().create_model(bounded(name.as_bytes()));
		self.submit(signer, &call).await
	}

	/// Commit a version; returns once the block is finalized.
	pub async fn commit(&self, signer: &Keypair, manifest: &Manifest) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().model_registry().commit_version(Static(manifest.clone()));
		self.submit(signer, &call).await
	}

	/// Commit several versions in one transaction (`Utility::batch_all`: all or none), in order,
	/// so a version may name an earlier one of the batch as its parent. Returns once the block
	/// is finalized. Mind the block's weight: about a thousand small commits fit.
	pub async fn commit_batch(&self, signer: &Keypair, manifests: &[Manifest]) -> Result<Submitted, ChainError> {
		use runtime::runtime_types::{pallet_model_registry::pallet::Call, zoo_runtime::RuntimeCall};
		let calls = manifests
			.iter()
			.map(|manifest| RuntimeCall::ModelRegistry(Call::commit_version { manifest: Static(manifest.clone()) }))
			.collect();
		self.submit(signer, &runtime::transactions().utility().batch_all(calls)).await
	}

	/// Yank version `id` with `reason`; returns once the block is finalized.
	pub async fn yank(&self, signer: &Keypair, id: VersionId, reason: &str) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().model_registry().yank_version(Static(id), bounded(reason.as_bytes()));
		self.submit(signer, &call).await
	}

	/// Grant `who` a role on `model`, change it, or revoke it (`None`).
	pub async fn set_role(
		&self,
		signer: &Keypair,
		model: &str,
		who: AccountId32,
		role: Option<Role>,
	) -> Result<Submitted, ChainError> {
		let call = runtime::transactions().model_registry().set_role(bounded(model.as_bytes()), who, role.map(Static));
		self.submit(signer, &call).await
	}
}
