//! `zoo-node consortium-spec`: a consortium's chain specification from one members file.
//!
//! Every member validates, sits on the council, owns its organisation (reserved and granted at
//! genesis) and is endowed; the members' nodes are the bootnodes; there is no sudo key. The
//! file is TOML:
//!
//! ```toml
//! name = "Acme Model Consortium"   # optional: the chain's name
//! id = "acme_consortium"           # optional: the chain's id (its database directory)
//! endowment = 1000000              # optional: ZOO for each member account (default 1,000,000)
//!
//! [[member]]
//! organisation = "acme"
//! account = "5Grw..."              # SS58: the member's account (council seat, validator id)
//! aura = "5Grw..."                 # SS58 sr25519 public key (`zoo-node key generate`)
//! grandpa = "5FA9..."              # SS58 ed25519 public key (`--scheme ed25519`)
//! bootnode = "/dns/node.acme.example/tcp/30333/p2p/12D3KooW..."
//! ```

use sc_network::config::MultiaddrWithPeerId;
use sc_service::ChainType;
use serde::Deserialize;
use sp_core::crypto::Ss58Codec;
use std::{collections::BTreeSet, path::PathBuf};
use zoo_runtime::{AccountId, Balance, UNIT, genesis_config_presets::ConsortiumMember};

/// `zoo-node consortium-spec` options.
#[derive(Debug, clap::Parser)]
pub struct ConsortiumSpecCmd {
	/// The members file (TOML; see `zoo-node consortium-spec --help` and node/README.md).
	#[arg(long, value_name = "FILE")]
	pub members: PathBuf,

	/// Where to write the chain spec (default: standard output).
	#[arg(long, value_name = "FILE")]
	pub out: Option<PathBuf>,

	/// Write the human-readable spec (genesis as a patch over the runtime's defaults) instead of
	/// the raw one nodes start from.
	#[arg(long)]
	pub plain: bool,
}

/// The members file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MembersFile {
	name: Option<String>,
	id: Option<String>,
	/// ZOO (whole units) per member.
	endowment: Option<u64>,
	#[serde(rename = "member", default)]
	members: Vec<MemberEntry>,
}

/// One `[[member]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberEntry {
	organisation: String,
	account: String,
	aura: String,
	grandpa: String,
	bootnode: String,
}

/// Why a members file was refused.
#[derive(Debug, thiserror::Error)]
pub enum MembersError {
	/// Unreadable file.
	#[error("cannot read {path}: {error}")]
	Read { path: String, error: std::io::Error },
	/// Not the expected TOML.
	#[error("{path} is not a valid members file: line {line}: {message}")]
	Parse { path: String, line: usize, message: String },
	/// Fewer members than the validator set's minimum, or more than its (and the council's)
	/// maximum.
	#[error("the members file lists {count} [[member]]: a consortium has {min} to {max} members, each one a validator")]
	MemberCount { count: usize, min: u32, max: u32 },
	/// A field that does not parse.
	#[error("member {index} ({organisation}): {field} {problem}")]
	Field { index: usize, organisation: String, field: &'static str, problem: String },
	/// The same value twice (for organisations: names with the same confusable skeleton).
	#[error("member {index} ({organisation}): {field} is the same as another member's{}", if *field == "organisation" { " (or looks like it)" } else { "" })]
	Duplicate { index: usize, organisation: String, field: &'static str },
	/// Writing the spec failed.
	#[error("{0}")]
	Spec(String),
}

impl MembersFile {
	fn read(path: &PathBuf) -> Result<Self, MembersError> {
		let display = path.display().to_string();
		let text =
			std::fs::read_to_string(path).map_err(|error| MembersError::Read { path: display.clone(), error })?;
		toml::from_str(&text).map_err(|error| {
			// One line: where, and toml's message without its source excerpt.
			let line = error.span().map_or(1, |span| text[..span.start].matches('\n').count() + 1);
			let message = error.message().lines().collect::<Vec<_>>().join("; ");
			MembersError::Parse { path: display, line, message }
		})
	}

	/// The members, checked: every key parses, organisation names are valid and no two
	/// members share an account, a key, an organisation (or one that looks like it) or a
	/// bootnode.
	fn members(&self) -> Result<(Vec<ConsortiumMember>, Vec<MultiaddrWithPeerId>), MembersError> {
		let (min, max) = (zoo_runtime::configs::MinValidators::get(), zoo_runtime::configs::MaxValidators::get());
		let count = self.members.len();
		if count < min as usize || count > max.min(zoo_runtime::configs::CouncilMaxMembers::get()) as usize {
			return Err(MembersError::MemberCount { count, min, max });
		}
		let mut seen: [BTreeSet<Vec<u8>>; 5] = Default::default();
		let mut members = Vec::new();
		let mut bootnodes = Vec::new();
		for (index, entry) in self.members.iter().enumerate() {
			let index = index + 1;
			let field_error = |field, problem: String| MembersError::Field {
				index,
				organisation: entry.organisation.clone(),
				field,
				problem,
			};
			zoo_primitives::validate_org_name(entry.organisation.as_bytes())
				.map_err(|e| field_error("organisation", format!("is not a valid organisation name ({e:?})")))?;
			let account = AccountId::from_ss58check(&entry.account)
				.map_err(|e| field_error("account", format!("is not an SS58 address ({e:?})")))?;
			let aura = sp_core::sr25519::Public::from_ss58check(&entry.aura)
				.map_err(|e| field_error("aura", format!("is not an SS58 sr25519 key ({e:?})")))?;
			let grandpa = sp_core::ed25519::Public::from_ss58check(&entry.grandpa)
				.map_err(|e| field_error("grandpa", format!("is not an SS58 ed25519 key ({e:?})")))?;
			let bootnode: MultiaddrWithPeerId = entry.bootnode.parse().map_err(|e| {
				field_error("bootnode", format!("is not a multiaddress ending in /p2p/<peer id> ({e})"))
			})?;
			let unique = [
				("organisation", zoo_primitives::name_skeleton(entry.organisation.as_bytes()).into_inner()),
				("account", AsRef::<[u8]>::as_ref(&account).to_vec()),
				("aura", aura.0.to_vec()),
				("grandpa", grandpa.0.to_vec()),
				("bootnode", bootnode.peer_id.to_bytes()),
			];
			for (set, (field, value)) in seen.iter_mut().zip(unique) {
				if !set.insert(value) {
					return Err(MembersError::Duplicate { index, organisation: entry.organisation.clone(), field });
				}
			}
			members.push(ConsortiumMember {
				organisation: entry.organisation.as_bytes().to_vec(),
				account,
				aura: aura.into(),
				grandpa: grandpa.into(),
			});
			bootnodes.push(bootnode);
		}
		Ok((members, bootnodes))
	}
}

impl ConsortiumSpecCmd {
	/// Reads the members file and writes the spec.
	pub fn run(&self) -> Result<(), MembersError> {
		let file = MembersFile::read(&self.members)?;
		let (members, bootnodes) = file.members()?;
		let endowment = Balance::from(file.endowment.unwrap_or(1_000_000)).saturating_mul(UNIT);
		let patch = zoo_runtime::genesis_config_presets::consortium(&members, endowment);
		let wasm =
			zoo_runtime::WASM_BINARY.ok_or_else(|| MembersError::Spec("the runtime wasm was not built".into()))?;
		let spec = crate::chain_spec::ChainSpec::builder(wasm, None)
			.with_name(file.name.as_deref().unwrap_or("Zoo Consortium"))
			.with_id(file.id.as_deref().unwrap_or("zoo_consortium"))
			.with_chain_type(ChainType::Live)
			.with_genesis_config_patch(patch)
			.with_boot_nodes(bootnodes)
			.with_properties(crate::chain_spec::properties())
			.build();
		let json = sc_service::ChainSpec::as_json(&spec, !self.plain).map_err(MembersError::Spec)?;
		match &self.out {
			Some(path) => std::fs::write(path, json)
				.map_err(|error| MembersError::Spec(format!("cannot write {}: {error}", path.display()))),
			None => {
				println!("{json}");
				Ok(())
			}
		}
	}
}
