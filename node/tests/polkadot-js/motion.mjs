// A council motion as a member would pass it from polkadot.js apps: propose, vote, close, all
// through @polkadot/api with the chain's own metadata. The upgrade test (zombienet/zoonet.py
// upgrade) uses it to authorize a runtime upgrade on a chain whose runtime is older than the
// `zoo` client, which refuses to sign motions for a runtime whose calls differ from its own.
//
//   node motion.mjs WS_URL PROPOSER VOTERS authorize-upgrade WASM
//
// PROPOSER is a secret URI (//Alice), VOTERS a comma-separated list of them (the proposer votes
// too). `authorize-upgrade` is the two-thirds motion that whitelists `system.authorizeUpgrade`
// for WASM's code hash and dispatches it. Prints one JSON line: the motion's index and hash, the
// block it closed in, and the code hash.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { readFileSync } from 'node:fs';

const [url, proposerUri, voterUris, kind, wasmPath] = process.argv.slice(2);
if (kind !== 'authorize-upgrade' || !wasmPath) {
  console.error('usage: node motion.mjs WS_URL PROPOSER VOTERS authorize-upgrade WASM');
  process.exit(2);
}

/** Sign and send `tx`, resolving with the finalized block's hash and the events, or rejecting with the dispatch error. */
function sendFinalized(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const text = dispatchError.isModule
          ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${text}`));
      } else if (status.isFinalized) {
        resolve({ blockHash: status.asFinalized, events });
      }
    }).catch(reject);
  });
}

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
try {
  const keyring = new Keyring({ type: 'sr25519' });
  const proposer = keyring.addFromUri(proposerUri);
  const voters = [proposer, ...voterUris.split(',').filter(Boolean).map((uri) => keyring.addFromUri(uri))];

  const code = readFileSync(wasmPath);
  const codeHash = blake2AsHex(code, 256);
  const authorize = api.tx.system.authorizeUpgrade(codeHash);
  const call = api.tx.utility.batchAll([
    api.tx.whitelist.whitelistCall(authorize.method.hash),
    api.tx.whitelist.dispatchWhitelistedCallWithPreimage(authorize.method),
  ]);
  const members = (await api.query.council.members()).length;
  const threshold = Math.ceil((2 * members) / 3);
  const length = call.method.encodedLength;

  const { events: proposed } = await sendFinalized(api, api.tx.council.propose(threshold, call, length), proposer);
  const { proposalIndex, proposalHash } = proposed.find(({ event }) => api.events.council.Proposed.is(event)).event.data;
  for (const voter of voters) {
    await sendFinalized(api, api.tx.council.vote(proposalHash, proposalIndex, true), voter);
  }
  const weight = { refTime: 100_000_000_000n, proofSize: 1_000_000n };
  const { blockHash, events } = await sendFinalized(
    api, api.tx.council.close(proposalHash, proposalIndex, weight, length), proposer);
  const executed = events.find(({ event }) => api.events.council.Executed.is(event));
  if (!executed?.event.data.result.isOk) {
    throw new Error(`the motion did not dispatch: ${executed?.event.data.result ?? 'not executed'}`);
  }
  const authorized = (await api.query.system.authorizedUpgrade()).unwrap().codeHash.toHex();
  if (authorized !== codeHash) throw new Error(`authorized ${authorized}, not ${codeHash}`);
  const header = await api.rpc.chain.getHeader(blockHash);
  console.log(JSON.stringify({
    index: proposalIndex.toNumber(), hash: proposalHash.toHex(), closed_in: header.number.toNumber(), code_hash: codeHash,
  }));
} finally {
  await api.disconnect();
}
