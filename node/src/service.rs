//! The node service: Aura authoring and GRANDPA finality, or instant seal for development.

use futures::{FutureExt, StreamExt, channel::mpsc};
use sc_client_api::{BlockBackend, BlockchainEvents};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_consensus_manual_seal::consensus::{aura::AuraConsensusDataProvider, timestamp::SlotTimestampProvider};
use sc_service::{Configuration, TaskManager, WarpSyncConfig, error::Error as ServiceError};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::{OffchainTransactionPoolFactory, TransactionPool};
use sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair};
use std::{sync::Arc, time::Duration};
use zoo_runtime::{apis::RuntimeApi, opaque::Block};

/// The client, executing the runtime's wasm.
pub(crate) type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type Network = sc_network::Litep2pNetworkBackend;

/// Blocks between two GRANDPA justifications that are imported and generated.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts of the service that subcommands (check-block, export, revert, ...) need.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(
		sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>,
		sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
		Option<Telemetry>,
	),
>;

/// The inherent data of an Aura block: the current time and the slot it falls in.
fn aura_inherents(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (sp_consensus_aura::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot =
		sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(*timestamp, slot_duration);
	(slot, timestamp)
}

/// Build the client, database, transaction pool and import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) = sc_service::new_full_parts::<Block, RuntimeApi, _>(
		config,
		telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
		executor,
		Default::default(),
	)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let cidp_client = client.clone();
	let import_queue = sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
		block_import: grandpa_block_import.clone(),
		justification_import: Some(Box::new(grandpa_block_import.clone())),
		client: client.clone(),
		create_inherent_data_providers: move |parent_hash, _| {
			let cidp_client = cidp_client.clone();
			async move {
				let slot_duration = sc_consensus_aura::standalone::slot_duration_at(&*cidp_client, parent_hash)?;
				Ok(aura_inherents(slot_duration))
			}
		},
		spawner: &task_manager.spawn_essential_handle(),
		registry: config.prometheus_registry(),
		check_for_equivocation: Default::default(),
		telemetry: telemetry.as_ref().map(|x| x.handle()),
		compatibility_mode: Default::default(),
	})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// How a node authors and finalizes blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sealing {
	/// Aura authors in its slots (on authorities) and GRANDPA finalizes.
	Aura,
	/// Development: a block as soon as a transaction arrives (or `engine_createBlock` asks),
	/// finalized at once.
	Instant,
	/// Development: instant seal, finalized by the GRANDPA voter as on a live network.
	InstantWithGrandpa,
}

/// Build and start a full node that authors and finalizes as `sealing` says.
pub fn new_full(config: Configuration, sealing: Sealing) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial(&config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		Network,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = <Network as sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>>::register_notification_metrics(
		config.prometheus_registry(),
	);

	let peer_store_handle = net_config.peer_store_handle();
	let grandpa_protocol_name = sc_consensus_grandpa::protocol_standard_name(
		&client.block_hash(0).ok().flatten().expect("Genesis block exists; qed"),
		&config.chain_spec,
	);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<Block, Network>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa && sealing != Sealing::Instant;
	let prometheus_registry = config.prometheus_registry().cloned();
	// The manual-seal RPC methods' commands, for instant seal only.
	let (seal_commands, seal_command_stream) = mpsc::channel(1024);
	let seal_commands = (sealing != Sealing::Aura).then_some(seal_commands);

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps =
				crate::rpc::FullDeps { client: client.clone(), pool: pool.clone(), manual_seal: seal_commands.clone() };
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend: backend.clone(),
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if sealing == Sealing::Instant {
		let seal = InstantSeal { finalize: true, rpc_commands: seal_command_stream };
		start_instant_seal(
			&task_manager,
			client.clone(),
			backend,
			client,
			transaction_pool.clone(),
			seal,
			prometheus_registry.as_ref(),
		)?;
	} else if sealing == Sealing::InstantWithGrandpa {
		let seal = InstantSeal { finalize: false, rpc_commands: seal_command_stream };
		start_instant_seal(
			&task_manager,
			client,
			backend,
			block_import,
			transaction_pool.clone(),
			seal,
			prometheus_registry.as_ref(),
		)?;
	} else if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);

		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(StartAuraParams {
			slot_duration,
			client,
			select_chain,
			block_import,
			proposer_factory,
			create_inherent_data_providers: move |_, ()| async move { Ok(aura_inherents(slot_duration)) },
			force_authoring,
			backoff_authoring_blocks: Option::<()>::None,
			keystore: keystore_container.keystore(),
			sync_oracle: sync_service.clone(),
			justification_sync_link: sync_service.clone(),
			block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
			max_block_proposal_slot_portion: None,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;
		// Authoring is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only authorities vote, so only they need the keystore.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };
		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};
		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};
		// The voter is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}

/// What instant seal does besides authoring a block for every imported transaction.
struct InstantSeal {
	/// Finalize every block at once (otherwise GRANDPA does).
	finalize: bool,
	/// Commands from `engine_createBlock` and `engine_finalizeBlock`.
	rpc_commands: mpsc::Receiver<sc_consensus_manual_seal::EngineCommand<<Block as sp_runtime::traits::Block>::Hash>>,
}

/// Author a block for every imported transaction, and one whenever `engine_createBlock` asks.
/// Blocks carry Aura pre-digests and slot-consistent timestamps so the runtime accepts them, and
/// go through `block_import` (GRANDPA's, when GRANDPA finalizes).
fn start_instant_seal<BI>(
	task_manager: &TaskManager,
	client: Arc<FullClient>,
	backend: Arc<FullBackend>,
	block_import: BI,
	transaction_pool: Arc<sc_transaction_pool::TransactionPoolHandle<Block, FullClient>>,
	seal: InstantSeal,
	prometheus_registry: Option<&substrate_prometheus_endpoint::Registry>,
) -> Result<(), ServiceError>
where
	BI: sc_consensus::BlockImport<Block, Error = sp_consensus::Error> + Send + Sync + 'static,
{
	let proposer = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool.clone(),
		prometheus_registry,
		None,
	);
	let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;
	let inherent_client = client.clone();
	let create_inherent_data_providers = move |_, ()| {
		let client = inherent_client.clone();
		async move {
			// Only the timestamp: the Aura digest is derived from it, and manual seal counts
			// inherent data entries as inherent extrinsics, so a slot entry (which makes no
			// extrinsic) would make every one-transaction block look empty.
			let timestamp = SlotTimestampProvider::new_aura(client)?;
			Ok(timestamp)
		}
	};
	let InstantSeal { finalize, rpc_commands } = seal;
	let seal_new_block = move || sc_consensus_manual_seal::EngineCommand::SealNewBlock {
		create_empty: false,
		finalize,
		parent_hash: None,
		sender: None,
	};
	let on_transaction = transaction_pool.import_notification_stream().map(move |_| seal_new_block());
	// A block may leave ready transactions behind (one that changes sessions is full): seal
	// another while any wait, or they would wait for the next transaction to arrive.
	let pool = transaction_pool.clone();
	let on_leftovers = client.import_notification_stream().filter_map(move |_| {
		let waiting = pool.status().ready > 0;
		futures::future::ready(waiting.then(seal_new_block))
	});
	let params = sc_consensus_manual_seal::ManualSealParams {
		block_import,
		env: proposer,
		client: client.clone(),
		pool: transaction_pool,
		commands_stream: futures::stream::select(futures::stream::select(on_transaction, on_leftovers), rpc_commands),
		select_chain: sc_consensus::LongestChain::new(backend),
		consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::<Block>::new_with_slot_duration(
			slot_duration,
		))),
		create_inherent_data_providers,
	};
	task_manager.spawn_essential_handle().spawn_blocking(
		"instant-seal",
		Some("block-authoring"),
		sc_consensus_manual_seal::run_manual_seal(params).boxed(),
	);
	Ok(())
}
