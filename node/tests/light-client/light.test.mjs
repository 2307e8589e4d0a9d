// An independent light client: smoldot (embedded in the npm `polkadot-api` package) joins a real
// zoo-node over the peer-to-peer network, from nothing but the raw chain spec that
// `zoo-node build-spec` writes, follows GRANDPA finality, and reads a version's record and
// manifest with storage proofs checked against a finalized state root. The version is committed
// by the real `zoo` client over RPC; the light client never touches the RPC port (the test itself
// uses RPC only to drive `zoo` and to cross-check what the light client says).
//
// Run: `npm ci && npm test` in this directory, after `make build` (ZOO_NODE and ZOO override the
// binaries' paths).

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createClient } from 'polkadot-api';
import { getSmProvider } from 'polkadot-api/sm-provider';
import { startFromWorker } from 'polkadot-api/smoldot/from-node-worker';
import { ZOO, ZOO_NODE, freePort, portOpen } from '../common/zoo-node.mjs';

const run = promisify(execFile);
const MODEL = 'acme/light-client';
/** A fixed libp2p secret (ed25519, 32 bytes hex), so the node's peer ID is known in advance. */
const NODE_KEY = '7a6f6f2d6c696768742d636c69656e742d746573742d6e6f64652d6b65792131';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const WAIT_MS = 90_000;

let work;
let node;
let nodeExited;
let rpcPort;
let p2pPort;
let url;
let peerId;
/** The raw spec exactly as build-spec wrote it, and the one given to the light client. */
let builtSpec;
let lightSpec;
let smoldot;
/** smoldot runs in a worker thread: ending the worker ends its timers, which terminate() leaves armed. */
let worker;
let client;
let unsafeApi;
/** Every finalized block the light client reported, in order: { number, hash, at (ms) }. */
const finalized = [];
const figures = {};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function nodeLog() {
  try { return readFileSync(join(work, 'node.log'), 'utf8').slice(-3000); } catch { return '(no log)'; }
}

/** One JSON-RPC call to the full node over HTTP (the test's own cross-checks, never the light client's). */
async function rpc(method, params = []) {
  const response = await fetch(`http://127.0.0.1:${rpcPort}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 1, jsonrpc: '2.0', method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** Run the real `zoo` client (asynchronously: smoldot shares this event loop). */
async function zoo(...args) {
  const { stdout } = await run(ZOO, ['--url', url, ...args], { env: { ...process.env, ZOO_HOME: join(work, 'zoo-home') } });
  return stdout;
}

/** Resolve with the first finalized block (as the light client reports it) that satisfies `ok`. */
function finalizedWhere(ok, what) {
  return new Promise((resolve, reject) => {
    let subscription;
    const timer = setTimeout(() => {
      subscription?.unsubscribe();
      reject(new Error(`the light client did not finalize ${what} within ${WAIT_MS / 1000}s (last: #${finalized.at(-1)?.number ?? 'none'})\n${nodeLog()}`));
    }, WAIT_MS);
    subscription = client.finalizedBlock$.subscribe({
      next: (block) => {
        if (!ok(block)) return;
        clearTimeout(timer);
        // The observable replays synchronously, before subscribe() has returned.
        queueMicrotask(() => subscription?.unsubscribe());
        resolve(block);
      },
      error: (e) => { clearTimeout(timer); reject(e); },
    });
  });
}

/** The 32-byte version ID inside a CIDv1 (base32, raw, sha2-256), as 0x hex. */
function versionIdOf(cid) {
  assert.match(cid, /^b[a-z2-7]+$/, 'a base32 multibase CID');
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const c of cid.slice(1)) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { bytes.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  const binary = Buffer.from(bytes);
  assert.deepEqual([...binary.subarray(0, 4)], [0x01, 0x55, 0x12, 0x20], 'CIDv1, raw codec, sha2-256 multihash');
  assert.equal(binary.length, 36);
  return `0x${binary.subarray(4).toString('hex')}`;
}

const text = (bytes) => new TextDecoder().decode(bytes);
const hex = (bytes) => (typeof bytes === 'string' ? bytes : `0x${Buffer.from(bytes).toString('hex')}`);

before(async () => {
  assert.ok(existsSync(ZOO_NODE), `${ZOO_NODE} is missing: run \`make build\` first`);
  assert.ok(existsSync(ZOO), `${ZOO} is missing: run \`make build\` first`);
  work = mkdtempSync(join(tmpdir(), 'zoo-light-'));
  [rpcPort, p2pPort] = [await freePort(), await freePort()];
  url = `ws://127.0.0.1:${rpcPort}`;
  const log = openSync(join(work, 'node.log'), 'w');
  const started = performance.now();
  // Real consensus: Aura (6 s slots) and GRANDPA; --instant-seal has no GRANDPA for a light
  // client to follow.
  node = spawn(ZOO_NODE, ['--dev', '--base-path', join(work, 'chain'), '--node-key', NODE_KEY,
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`, '--rpc-port', `${rpcPort}`,
    '--no-prometheus', '--no-telemetry', '--no-mdns'], { stdio: ['ignore', log, log] });
  nodeExited = new Promise((resolve) => node.once('exit', resolve));
  // The spec comes from the same binary, with the same node key (and writes nothing outside work/).
  const spec = run(ZOO_NODE, ['build-spec', '--chain', 'dev', '--raw', '--node-key', NODE_KEY,
    '--base-path', join(work, 'spec')], { maxBuffer: 64 << 20 });
  const deadline = Date.now() + 60_000;
  while (!(await portOpen(rpcPort))) {
    if (Date.now() > deadline || node.exitCode !== null) {
      throw new Error(`zoo-node did not open ${url}:\n${nodeLog()}`);
    }
    await sleep(250);
  }
  figures.nodeStartMs = performance.now() - started;
  builtSpec = JSON.parse((await spec).stdout);
  peerId = await rpc('system_localPeerId');
});

after(async () => {
  try { client?.destroy(); } catch { /* already gone */ }
  await smoldot?.terminate().catch(() => {});
  await worker?.terminate();
  if (node && node.exitCode === null && node.signalCode === null) {
    node.kill('SIGKILL');
    await Promise.race([nodeExited, sleep(5_000)]);
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

test('an independent light client (smoldot) joins zoo-node over p2p and reads verified state', async (t) => {
  await t.test('build-spec names the node itself as the only bootnode, at 127.0.0.1:30333', (st) => {
    st.diagnostic(`build-spec --chain dev --raw --node-key <hex> bootNodes: ${JSON.stringify(builtSpec.bootNodes)}`);
    // The default bootnode sc-cli adds when a spec has none: this node's peer ID, but the default
    // port on localhost, whatever --port or --listen-addr the node will really use.
    assert.deepEqual(builtSpec.bootNodes, [`/ip4/127.0.0.1/tcp/30333/p2p/${peerId}`]);
    assert.equal(builtSpec.id, 'zoo_dev');
    assert.ok(builtSpec.genesis?.raw?.top, 'a raw spec (the light client builds genesis from it)');
    // The light client gets exactly one way in: the node's p2p address.
    lightSpec = { ...builtSpec, bootNodes: [`/ip4/127.0.0.1/tcp/${p2pPort}/p2p/${peerId}`] };
    assert.ok(!JSON.stringify(lightSpec.bootNodes).includes(`${rpcPort}`), 'the RPC port is not in the spec');
  });

  // The first transaction goes in while the light client starts: both need a few blocks.
  const created = zoo('--key', '//Alice', '--json', 'model', 'create', MODEL);
  created.catch(() => {}); // awaited below; do not let an early failure go unhandled

  await t.test('the light client starts from the spec and answers a proven storage read', async (st) => {
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    worker = new Worker(new URL(import.meta.resolve('polkadot-api/smoldot/node-worker')));
    smoldot = startFromWorker(worker, { maxLogLevel: 1 }); // errors only
    const chain = smoldot.addChain({ chainSpec: JSON.stringify(lightSpec) });
    client = createClient(getSmProvider(() => chain));
    unsafeApi = client.getUnsafeApi();
    client.finalizedBlock$.subscribe({
      next: ({ number, hash }) => finalized.push({ number, hash, at: performance.now() - t0 }),
      error: () => {},
    });
    const first = await finalizedWhere(() => true, 'any block');
    figures.firstFinalizedMs = performance.now() - t0;
    const release = client.hodlBlock(first.hash);
    try {
      const sudo = await unsafeApi.query.Sudo.Key.getValue({ at: first.hash });
      figures.firstAnswerMs = performance.now() - t0;
      assert.equal(sudo, ALICE, 'the dev chain\'s sudo key, read through the light client');
    } finally {
      release();
    }
    assert.equal(await rpc('chain_getBlockHash', [first.number]), first.hash, 'the full node has the same block at that height');
    figures.rssBeforeMiB = rssBefore / 2 ** 20;
    st.diagnostic(`light client: first finalized block #${first.number} after ${figures.firstFinalizedMs.toFixed(0)} ms, first verified storage answer after ${figures.firstAnswerMs.toFixed(0)} ms`);
    // The node sees the light client as a peer: it came in over p2p.
    const peers = await rpc('system_peers');
    assert.ok(peers.some((p) => /light/i.test(JSON.stringify(p.roles))), `zoo-node has a light peer: ${JSON.stringify(peers)}`);
  });

  let shown;
  let commitBlock;
  let versionId;
  await t.test('a version committed with zoo reads back the same through the light client', async (st) => {
    await created;
    const dir = join(work, 'model');
    mkdirSync(dir);
    await run(ZOO, ['init', MODEL, dir], { env: { ...process.env, ZOO_HOME: join(work, 'zoo-home') } });
    writeFileSync(join(dir, 'model.bin'), 'weights read through a light client\n');
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config', 'params.json'), '{"layers": 2}\n');
    const committed = JSON.parse(await zoo('--key', '//Alice', 'commit', '-m', 'verified by smoldot', '--metric', 'accuracy=0.5', dir, '--json'));
    const committedAt = performance.now();
    shown = JSON.parse(await zoo('show', committed.id, '--json'));
    commitBlock = committed.block.block_number;
    assert.equal(shown.committed_in, commitBlock);
    versionId = versionIdOf(committed.id);

    const block = await finalizedWhere((b) => b.number >= commitBlock, `#${commitBlock}`);
    const release = client.hodlBlock(block.hash);
    let record;
    let manifest;
    let raw;
    try {
      [record, manifest, raw] = await Promise.all([
        unsafeApi.query.ModelRegistry.Versions.getValue(versionId, { at: block.hash }),
        unsafeApi.query.ModelRegistry.Manifests.getValue(versionId, { at: block.hash }),
        unsafeApi.query.ModelRegistry.Manifests.getKey(versionId).then((key) => client.rawQuery(key, { at: block.hash })),
      ]);
    } finally {
      release();
    }
    figures.commitToAnswerMs = performance.now() - committedAt;
    st.diagnostic(`light client read version ${committed.id} (committed in #${commitBlock}) at finalized #${block.number}, ${figures.commitToAnswerMs.toFixed(0)} ms after zoo commit returned`);
    assert.equal(await rpc('chain_getBlockHash', [block.number]), block.hash, 'the full node finalized the same block');

    // The record.
    assert.ok(record, 'ModelRegistry.Versions has the version');
    assert.equal(record.committer, shown.committer);
    assert.equal(record.committer, ALICE);
    assert.equal(text(record.model), shown.manifest.model);
    assert.equal(record.index, 0);
    assert.equal(record.block, shown.committed_in);
    assert.equal(record.deposit.toString(), shown.deposit);
    assert.equal(record.yanked, undefined);
    assert.equal(shown.yanked, null);

    // The manifest: its bytes are the ones the ID names, and its fields are what zoo shows.
    assert.ok(raw, 'the manifest\'s raw bytes');
    assert.equal(`0x${createHash('sha256').update(Buffer.from(raw.slice(2), 'hex')).digest('hex')}`, versionId,
      'sha2-256 of the manifest read through the light client is the version ID');
    assert.equal(text(manifest.model), MODEL);
    assert.equal(text(manifest.message), shown.manifest.message);
    assert.equal(text(manifest.message), 'verified by smoldot');
    assert.deepEqual(manifest.parents, []);
    assert.deepEqual(shown.manifest.parents, []);
    assert.equal(manifest.license.type, 'Unspecified');
    assert.equal(shown.manifest.license, 'unspecified');
    assert.deepEqual(manifest.metrics.map((m) => [text(m.name), m.value.toString()]), [['accuracy', '500000000']]);
    assert.deepEqual(Object.keys(shown.manifest.metrics), ['accuracy']);
    assert.equal(manifest.hashing.algorithm.type, 'Sha2_256');
    const light = manifest.artifacts.map((a) => ({
      path: text(a.path),
      kind: a.kind.type.toLowerCase(),
      size: Number(a.size),
      algorithm: a.digest.algorithm.type === 'Sha2_256' ? 'sha2-256' : a.digest.algorithm.type,
      digest: hex(a.digest.bytes).slice(2),
      uri: text(a.uri),
    }));
    const expected = shown.manifest.artifacts.map(({ path, kind, size, algorithm, digest, uri }) => ({ path, kind, size, algorithm, digest, uri }));
    assert.deepEqual(light, expected);
    assert.deepEqual(light.map((a) => a.path), ['config/params.json', 'model.bin']);
    for (const a of light) {
      const bytes = readFileSync(join(dir, a.path));
      assert.equal(a.digest, createHash('sha256').update(bytes).digest('hex'), `${a.path}: the digest on chain is the file's`);
    }
  });

  await t.test('the light client follows GRANDPA finality', async (st) => {
    // Wait for at least two more finalized blocks past the version's, if they have not come yet.
    const target = Math.max(finalized[0].number + 2, commitBlock);
    await finalizedWhere((b) => b.number >= target, `#${target}`);
    const numbers = finalized.map((b) => b.number);
    st.diagnostic(`finalized blocks the light client reported: ${numbers.join(', ')}`);
    for (let i = 1; i < numbers.length; i++) assert.ok(numbers[i] > numbers[i - 1], `finality only moves forward: ${numbers}`);
    assert.ok(numbers.at(-1) - numbers[0] >= 2, `finality advanced by at least two blocks: ${numbers}`);
    // Every one of them is the full node's finalized chain.
    const nodeFinalized = await rpc('chain_getHeader', [await rpc('chain_getFinalizedHead')]);
    assert.ok(parseInt(nodeFinalized.number, 16) >= numbers.at(-1));
    for (const { number, hash } of finalized) {
      assert.equal(await rpc('chain_getBlockHash', [number]), hash, `#${number} is the node's block`);
    }
  });

  figures.peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const line = `zoo-node answered RPC ${figures.nodeStartMs?.toFixed(0)} ms after start; light client figures: first finalized block ${figures.firstFinalizedMs?.toFixed(0)} ms, `
    + `first verified storage answer ${figures.firstAnswerMs?.toFixed(0)} ms after start; `
    + `version readable ${figures.commitToAnswerMs?.toFixed(0)} ms after zoo commit returned; `
    + `test process peak RSS ${figures.peakRssMiB.toFixed(0)} MiB (RSS before smoldot started: ${figures.rssBeforeMiB?.toFixed(0)} MiB)`;
  t.diagnostic(line);
});
