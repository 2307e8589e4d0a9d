// polkadot.js compatibility: @polkadot/api, with no custom type definitions, reads and writes
// the model registry, the version graph, licensing and attestations of a real zoo-node, and
// computes the same content ID as `zoo`.
//
// Run: `npm ci && npm test` in this directory, after `make build` (ZOO_NODE and ZOO override the
// binaries' paths).

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { base32Encode, cryptoWaitReady, sha256AsU8a } from '@polkadot/util-crypto';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/zoo/target');
const ZOO_NODE = process.env.ZOO_NODE ?? join(targetDir, 'release/zoo-node');
const ZOO = process.env.ZOO ?? join(targetDir, 'release/zoo');
const MODEL = 'acme/polkadot-js';

let work;
let node;
let api;
let alice;
let url;
/** The version the commit test wrote (its ID, as the chain types it). */
let firstVersion;
/** The manifest type's name in the metadata. */
let manifestType;

/** A port the OS says is free now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on the port. */
function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Sign and send, resolving with the events once the block is finalized. */
function sendFinalized(tx, signer) {
  return new Promise((resolve, reject) => {
    let unsubscribe;
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        unsubscribe?.();
        const message = dispatchError.isModule
          ? (({ section, name, docs }) => `${section}.${name}: ${docs.join(' ')}`)(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(message));
      } else if (status.isFinalized) {
        unsubscribe?.();
        resolve({ events, blockHash: status.asFinalized });
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

/** CIDv1 (raw, sha2-256) of SCALE bytes, in base32: what Zoo uses as a version ID. */
function cidOf(scaleBytes) {
  const binary = u8aConcat(new Uint8Array([0x01, 0x55, 0x12, 0x20]), sha256AsU8a(scaleBytes));
  return base32Encode(binary, true).toLowerCase().replace(/=+$/, '');
}

/** Call a pallet view function through the RuntimeViewFunction runtime API, by metadata. */
async function view(palletName, functionName, args) {
  const pallet = api.runtimeMetadata.asLatest.pallets.find((p) => p.name.eq(palletName));
  const fn = pallet.viewFunctions.find((f) => f.name.eq(functionName));
  assert.ok(fn, `view function ${palletName}.${functionName} is in the metadata`);
  const input = u8aConcat(...fn.inputs.map((input, i) => api.registry.createType(api.registry.lookup.getTypeDef(input.type).type, args[i]).toU8a()));
  const id = fn.id.toU8a();
  // A hex string is taken as raw bytes; a Uint8Array would be read as already length-prefixed.
  const result = await api.call.runtimeViewFunction.executeViewFunction({ prefix: id.slice(0, 16), suffix: id.slice(16) }, u8aToHex(input));
  assert.ok(result.isOk, `view function ${functionName} answered: ${result.toString()}`);
  return api.registry.createType(api.registry.lookup.getTypeDef(fn.output).type, result.asOk.toU8a(true));
}

before(async () => {
  assert.ok(existsSync(ZOO_NODE), `${ZOO_NODE} is missing: run \`make build\` first`);
  assert.ok(existsSync(ZOO), `${ZOO} is missing: run \`make build\` first`);
  work = mkdtempSync(join(tmpdir(), 'zoo-pjs-'));
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  url = `ws://127.0.0.1:${rpcPort}`;
  const log = openSync(join(work, 'node.log'), 'w');
  node = spawn(ZOO_NODE, ['--dev', '--instant-seal', '--base-path', join(work, 'chain'), '--rpc-port', `${rpcPort}`,
    '--port', `${p2pPort}`, '--no-prometheus', '--no-telemetry', '--no-mdns'], { stdio: ['ignore', log, log] });
  await cryptoWaitReady();
  alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
  // Wait for the RPC port, then connect once (a provider that retries forever would hide a dead node).
  const deadline = Date.now() + 60_000;
  while (!(await portOpen(rpcPort))) {
    if (Date.now() > deadline || node.exitCode !== null) {
      throw new Error(`zoo-node did not open ${url}:\n${readFileSync(join(work, 'node.log'), 'utf8').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  api = await ApiPromise.create({ provider: new WsProvider(url), throwOnConnect: true, noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  node?.kill('SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

test('polkadot.js works with zoo-node with no custom types', async (t) => {
  await t.test('chain properties are set for wallets and apps', async () => {
    const properties = await api.rpc.system.properties();
    assert.equal(properties.tokenSymbol.unwrap()[0].toString(), 'ZOO');
    assert.equal(properties.tokenDecimals.unwrap()[0].toNumber(), 12);
    assert.equal(properties.ss58Format.unwrap().toNumber(), 42);
    assert.equal(api.runtimeVersion.specName.toString(), 'zoo');
  });

  await t.test('create_model is submitted, finalized, and its event decodes', async () => {
    const { events } = await sendFinalized(api.tx.modelRegistry.createModel(MODEL), alice);
    const created = events.find(({ event }) => api.events.modelRegistry.ModelCreated.is(event));
    assert.ok(created, 'ModelCreated event');
    const [model, owner] = created.event.data;
    assert.equal(new TextDecoder().decode(model.toU8a(true)), MODEL);
    assert.equal(owner.toString(), alice.address);
    const stored = (await api.query.modelRegistry.models(MODEL)).unwrap();
    assert.equal(stored.owner.toString(), alice.address);
    assert.equal(stored.versionCount.toNumber(), 0);
  });

  await t.test('a version commit has the CID zoo computes, and reads back everywhere', async () => {
    // The same directory `zoo` would commit: one file, URIs under a prefix.
    const dir = join(work, 'model');
    const content = new TextEncoder().encode('weights from polkadot.js\n');
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'model.bin'), content);
    const zooDryRun = JSON.parse(execFileSync(ZOO, ['--json', 'commit', dir, '--model', MODEL, '-m', 'from polkadot.js',
      '--no-parent', '--metric', 'accuracy=0.91', '--license', 'MIT', '--uri-prefix', 's3://bucket/pjs/', '--dry-run'],
    { env: { ...process.env, ZOO_HOME: join(work, 'zoo-home') } }).toString());

    manifestType = api.tx.modelRegistry.commitVersion.meta.args[0].type.toString();
    const manifest = api.createType(manifestType, {
      model: MODEL,
      parents: [],
      artifacts: [{
        path: 'model.bin',
        kind: 'Weights',
        size: content.length,
        digest: { algorithm: 'Sha2_256', bytes: sha256AsU8a(content) },
        uri: 's3://bucket/pjs/model.bin',
      }],
      metrics: [{ name: 'accuracy', value: 910_000_000n }],
      license: { Spdx: 'MIT' },
      tags: [],
      message: 'from polkadot.js',
      hashing: { algorithm: 'Sha2_256', shardSize: null },
    });
    const cid = cidOf(manifest.toU8a());
    assert.equal(cid, zooDryRun.id, 'polkadot.js and zoo compute the same CID for the same manifest');

    const { events } = await sendFinalized(api.tx.modelRegistry.commitVersion(manifest), alice);
    const committed = events.find(({ event }) => api.events.modelRegistry.VersionCommitted.is(event));
    assert.ok(committed, 'VersionCommitted event');
    const id = committed.event.data.id;
    firstVersion = id;
    assert.equal(u8aToHex(id.toU8a()), u8aToHex(sha256AsU8a(manifest.toU8a())), 'the runtime stored it under sha2-256 of the bytes');

    // Storage, as apps' chain state page reads it.
    const record = (await api.query.modelRegistry.versions(id)).unwrap();
    assert.equal(record.committer.toString(), alice.address);
    const stored = (await api.query.modelRegistry.manifests(id)).unwrap();
    assert.equal(u8aToHex(stored.toU8a()), u8aToHex(manifest.toU8a()));

    // View functions, through the RuntimeViewFunction runtime API.
    const model = await view('ModelRegistry', 'model', [MODEL]);
    assert.equal(model.unwrap().versionCount.toNumber(), 1);
    const versions = await view('ModelRegistry', 'versions', [MODEL, 0, 10]);
    assert.deepEqual(versions.map((v) => u8aToHex(v.toU8a())), [u8aToHex(id.toU8a())]);
    const version = await view('ModelRegistry', 'version', [id]);
    assert.equal(version.unwrap()[0].committer.toString(), alice.address);

    // And `zoo` reads what polkadot.js wrote.
    const shown = JSON.parse(execFileSync(ZOO, ['--json', '--url', url, 'show', cid]).toString());
    assert.equal(shown.id, cid);
    assert.match(JSON.stringify(shown), /from polkadot\.js/);
  });

  await t.test('the version graph and refs are read and written from polkadot.js', async () => {
    const child = api.createType(manifestType, {
      model: MODEL,
      parents: [{ id: firstVersion, edge: 'Revision' }],
      artifacts: [],
      metrics: [],
      license: 'Unspecified',
      tags: [],
      message: 'a revision from polkadot.js',
      hashing: { algorithm: 'Sha2_256', shardSize: null },
    });
    const { events } = await sendFinalized(api.tx.modelRegistry.commitVersion(child), alice);
    const childId = events.find(({ event }) => api.events.modelRegistry.VersionCommitted.is(event)).event.data.id;

    const parents = await view('Lineage', 'parents', [childId]);
    assert.equal(parents.length, 1);
    assert.equal(u8aToHex(parents[0].id.toU8a()), u8aToHex(firstVersion.toU8a()));
    assert.equal(parents[0].edge.toString(), 'Revision');
    const ancestors = (await view('Lineage', 'ancestors', [childId, 10])).asOk;
    assert.equal(ancestors.complete.isTrue, true);
    assert.deepEqual(ancestors.nodes.map((n) => n.generation.toNumber()), [0]);
    assert.equal((await view('Lineage', 'is_ancestor', [firstVersion, childId, 10])).asOk.isTrue, true);
    const base = (await view('Lineage', 'merge_base', [firstVersion, childId, 10])).asOk;
    assert.deepEqual(base.map((b) => u8aToHex(b.toU8a())), [u8aToHex(firstVersion.toU8a())]);
    const heads = await view('Lineage', 'heads', [MODEL, 10]);
    assert.deepEqual(heads.map((h) => u8aToHex(h.toU8a())), [u8aToHex(childId.toU8a())]);

    // A protected ref, moved forward, then refused backwards.
    await sendFinalized(api.tx.lineage.createRef(MODEL, 'main', firstVersion, true), alice);
    const { events: moved } = await sendFinalized(api.tx.lineage.moveRef(MODEL, 'main', childId, false, 100), alice);
    assert.ok(moved.find(({ event }) => api.events.lineage.RefMoved.is(event)), 'RefMoved event');
    const target = (await view('Lineage', 'ref_target', [MODEL, 'main'])).unwrap();
    assert.equal(u8aToHex(target.target.toU8a()), u8aToHex(childId.toU8a()));
    const history = await view('Lineage', 'ref_history', [MODEL, 'main', 0, 10]);
    assert.equal(history.length, 2);
    assert.equal(history[1].from.isNone, true);
    await assert.rejects(sendFinalized(api.tx.lineage.moveRef(MODEL, 'main', firstVersion, false, 100), alice),
      /lineage\.NotFastForward: The ref is protected/);

    // `zoo` sees the ref polkadot.js moved.
    const shown = JSON.parse(execFileSync(ZOO, ['--json', '--url', url, 'show', cidOf(child.toU8a())]).toString());
    assert.deepEqual(shown.refs, ['main']);
  });

  await t.test('organisations own their namespace and look-alike names are refused', async () => {
    const bob = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Bob');
    // The first model claimed `acme` for Alice.
    const acme = (await view('ModelRegistry', 'org', ['acme'])).unwrap();
    assert.equal(acme.owner.toString(), alice.address);
    assert.equal(acme.modelCount.toNumber(), 1);
    await assert.rejects(sendFinalized(api.tx.modelRegistry.createModel('acme/bobs-model'), bob),
      /modelRegistry\.NotOrgMember: Only the organisation's owner/);
    await assert.rejects(sendFinalized(api.tx.modelRegistry.createOrg('acrne'), bob),
      /modelRegistry\.NameTooSimilar: The name looks like an existing/);
    const similar = await view('ModelRegistry', 'name_available', ['acme/polkadot_js']);
    assert.equal(similar.isErr, true);
    assert.equal(similar.asErr.type, 'NameTooSimilar');
    assert.equal((await view('ModelRegistry', 'name_available', ['bob/model'])).isOk, true);

    // Alice makes Bob a member; Bob may now create models under acme.
    const { events } = await sendFinalized(api.tx.modelRegistry.setOrgRole('acme', bob.address, 'Member'), alice);
    assert.ok(events.find(({ event }) => api.events.modelRegistry.OrgRoleSet.is(event)), 'OrgRoleSet event');
    assert.equal((await view('ModelRegistry', 'org_role', ['acme', bob.address])).unwrap().toString(), 'Member');
    await sendFinalized(api.tx.modelRegistry.createModel('acme/bobs-model'), bob);

    // Governance (sudo for now) reserves a name and grants it to its owner.
    await assert.rejects(sendFinalized(api.tx.modelRegistry.createOrg('zoo'), bob), /modelRegistry\.NameReserved/);
    await sendFinalized(api.tx.sudo.sudo(api.tx.modelRegistry.setReservedName('openai', true)), alice);
    await assert.rejects(sendFinalized(api.tx.modelRegistry.createOrg('0penai'), bob), /modelRegistry\.NameReserved/);
    const { events: granted } = await sendFinalized(api.tx.sudo.sudo(api.tx.modelRegistry.forceCreateOrg('openai', bob.address)), alice);
    assert.ok(granted.find(({ event }) => api.events.modelRegistry.OrgCreated.is(event)), 'OrgCreated event');
    assert.equal((await api.query.modelRegistry.orgs('openai')).unwrap().owner.toString(), bob.address);
  });

  await t.test('licence terms, a purchase, a grant, a royalty table and a key release, from polkadot.js', async () => {
    const bob = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Bob');
    // Terms: commercial use, paid fine-tunes owing 10 % upstream, grants for 100 blocks.
    const shares = [0, 0, 100_000_000, 0, 0, 0, 0];
    const terms = {
      commercialUse: true,
      derivativesAllowed: 0b1111110,
      derivativesPaid: 0b100,
      shareAlike: false,
      approvalRequired: false,
      attributionRequired: false,
      namePrefix: null,
      restrictions: 0,
      upstreamShare: shares,
      grantDuration: 100,
      legalHash: u8aToHex(sha256AsU8a(new TextEncoder().encode('the legal text'))),
      legalUri: 'https://example.invalid/terms',
    };
    const { events: registered } = await sendFinalized(api.tx.licensing.registerTerms(terms), alice);
    const termsId = registered.find(({ event }) => api.events.licensing.TermsRegistered.is(event)).event.data.id;
    assert.equal((await view('Licensing', 'terms', [termsId])).unwrap().upstreamShare[2].toNumber(), 100_000_000);
    await assert.rejects(sendFinalized(api.tx.licensing.registerTerms(terms), alice), /licensing\.TermsExist/);

    const licensed = api.createType(manifestType, {
      model: MODEL,
      parents: [{ id: firstVersion, edge: 'Revision' }],
      artifacts: [],
      metrics: [],
      license: { Terms: termsId },
      tags: [],
      message: 'under on-chain terms',
      hashing: { algorithm: 'Sha2_256', shardSize: null },
    });
    const { events } = await sendFinalized(api.tx.modelRegistry.commitVersion(licensed), alice);
    const id = events.find(({ event }) => api.events.modelRegistry.VersionCommitted.is(event)).event.data.id;
    assert.ok(events.find(({ event }) => api.events.licensing.RoyaltiesRecorded.is(event)), 'RoyaltiesRecorded event');

    await sendFinalized(api.tx.licensing.setOffer(id, 0, 'Use', 5_000_000_000n), alice);
    const offers = await view('Licensing', 'offers', [id]);
    assert.equal(offers[0][1].toString(), 'Use');
    await assert.rejects(sendFinalized(api.tx.licensing.purchase(id, 0, 4_999_999_999n), bob), /licensing\.PriceAboveMaximum/);
    const { events: bought } = await sendFinalized(api.tx.licensing.purchase(id, 0, 5_000_000_000n), bob);
    const purchased = bought.find(({ event }) => api.events.licensing.Purchased.is(event)).event.data;
    assert.equal(purchased.protocolFee.toBigInt(), 100_000_000n, 'a 2 % protocol fee');

    const grant = (await view('Licensing', 'grant', [id, bob.address, 'Use'])).unwrap();
    assert.ok(grant.expiresAt.isSome);
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    assert.equal((await view('Licensing', 'may_use', [id, bob.address, now])).isTrue, true);
    assert.equal((await view('Licensing', 'may_use', [id, bob.address, grant.expiresAt.unwrap().toNumber()])).isTrue, false);
    const table = (await view('Licensing', 'royalty_table', [id])).unwrap();
    assert.equal(table.length, 1);
    assert.equal(table[0].share.toNumber(), 1_000_000_000);
    assert.equal((await view('Licensing', 'vault', [id])).toBigInt(), 4_900_000_000n);
    assert.equal((await view('Licensing', 'claimable', [id, alice.address])).toBigInt(), 4_900_000_000n);
    assert.equal((await api.query.licensing.royalties(id)).unwrap().length, 1);

    // Key release: Bob records his age recipient key; keys are released only for sealed versions.
    const bobKey = u8aToHex(sha256AsU8a(new TextEncoder().encode("bob's age recipient")));
    const { events: recipientSet } = await sendFinalized(api.tx.licensing.setRecipient(bobKey), bob);
    assert.ok(recipientSet.find(({ event }) => api.events.licensing.RecipientSet.is(event)), 'RecipientSet event');
    const recipient = (await api.query.licensing.recipients(bob.address)).unwrap();
    assert.equal(u8aToHex(recipient.key), bobKey);
    assert.equal(recipient.deposit.toBigInt(), 100_000_000_000n, 'RecipientDeposit, 0.1 ZOO');
    assert.equal(u8aToHex((await view('Licensing', 'recipient', [bob.address])).unwrap()), bobKey);
    const header = 'age-encryption.org/v1\n-> X25519 c2hhcmU\nYm9keQ\n--- bWFj\n';
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(id, bob.address, [{ artifact: 0, header }]), alice),
      /licensing\.NotSealed/);

    // A sealed version under the same terms: its one artifact is stored encrypted.
    const ciphertext = new TextEncoder().encode('an age payload, not the weights');
    const plaintext = new TextEncoder().encode('sealed weights\n');
    const sealedManifest = api.createType(manifestType, {
      model: MODEL,
      parents: [{ id, edge: 'Revision' }],
      artifacts: [{
        path: 'sealed.bin',
        kind: 'Weights',
        size: ciphertext.length,
        digest: { algorithm: 'Sha2_256', bytes: sha256AsU8a(ciphertext) },
        uri: 's3://bucket/pjs/sealed.bin',
      }],
      metrics: [],
      license: {
        Sealed: {
          terms: termsId,
          scheme: 'AgeV1',
          files: [{ artifact: 0, plaintextSize: plaintext.length, plaintextDigest: sha256AsU8a(plaintext), ownerHeader: header }],
        },
      },
      tags: [],
      message: 'sealed from polkadot.js',
      hashing: { algorithm: 'Sha2_256', shardSize: null },
    });
    const { events: sealedEvents } = await sendFinalized(api.tx.modelRegistry.commitVersion(sealedManifest), alice);
    const sealedId = sealedEvents.find(({ event }) => api.events.modelRegistry.VersionCommitted.is(event)).event.data.id;
    await sendFinalized(api.tx.licensing.setOffer(sealedId, 0, 'Use', 5_000_000_000n), alice);
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, [{ artifact: 0, header }]), alice),
      /licensing\.NoGrant/);
    await sendFinalized(api.tx.licensing.purchase(sealedId, 0, 5_000_000_000n), bob);
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, [{ artifact: 1, header }]), alice),
      /licensing\.HeadersDoNotMatch/);
    const { events: released } = await sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, [{ artifact: 0, header }]), alice);
    const keyReleased = released.find(({ event }) => api.events.licensing.KeyReleased.is(event)).event.data;
    assert.equal(keyReleased.grantee.toString(), bob.address);
    assert.equal(keyReleased.by.toString(), alice.address);
    assert.equal(u8aToHex(keyReleased.recipient), bobKey);
    const release = (await api.query.licensing.releasedKeys(sealedId, bob.address)).unwrap();
    assert.equal(release.by.toString(), alice.address);
    assert.equal(u8aToHex(release.recipient), bobKey);
    assert.equal(release.headers.length, 1);
    assert.equal(release.headers[0].artifact.toNumber(), 0);
    assert.equal(new TextDecoder().decode(release.headers[0].header.toU8a(true)), header);
    // KeyReleaseDepositBase (0.1 ZOO) + KeyReleaseDepositPerByte (0.001 ZOO) per header byte.
    assert.equal(release.deposit.toBigInt(), 100_000_000_000n + BigInt(header.length) * 1_000_000_000n);
    const viewed = (await view('Licensing', 'released_key', [sealedId, bob.address])).unwrap();
    assert.equal(viewed.releasedAt.toNumber(), release.releasedAt.toNumber());
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, [{ artifact: 0, header }]), alice),
      /licensing\.KeyAlreadyReleased/);
  });

  await t.test('an attested version is promoted under a policy, and the evidence is kept', async () => {
    const bob = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Bob');
    const mainTarget = (await view('Lineage', 'ref_target', [MODEL, 'main'])).unwrap();
    const candidate = api.createType(manifestType, {
      model: MODEL,
      parents: [{ id: mainTarget.target, edge: 'Revision' }],
      artifacts: [],
      metrics: [],
      license: 'Unspecified',
      tags: [],
      message: 'a candidate for main',
      hashing: { algorithm: 'Sha2_256', shardSize: null },
    });
    const { events } = await sendFinalized(api.tx.modelRegistry.commitVersion(candidate), alice);
    const id = events.find(({ event }) => api.events.modelRegistry.VersionCommitted.is(event)).event.data.id;

    const dataset = u8aToHex(sha256AsU8a(new TextEncoder().encode('a test set')));
    const measure = { dataset, metric: 'accuracy', direction: 'HigherIsBetter' };
    await sendFinalized(api.tx.attestations.setPolicy(MODEL, 'main', {
      minEvaluators: 1, thresholds: [{ measure, bound: 900_000_000n }], mustBeat: null,
    }), alice);
    const unmet = await view('Attestations', 'check_promotion', [MODEL, 'main', id]);
    assert.deepEqual(unmet.map((u) => u.type), ['TooFewEvaluators', 'MissingMeasure']);
    await assert.rejects(sendFinalized(api.tx.lineage.moveRef(MODEL, 'main', id, false, 100), alice),
      /attestations\.TooFewEvaluators/);

    await assert.rejects(sendFinalized(api.tx.attestations.attest(id, dataset, [{ name: 'accuracy', value: 950_000_000n }],
      dataset, 'https://ci.example.invalid/run/1'), bob), /attestations\.NotTrusted/);
    await sendFinalized(api.tx.attestations.addEvaluator(MODEL, bob.address), alice);
    const { events: attested } = await sendFinalized(api.tx.attestations.attest(id, dataset,
      [{ name: 'accuracy', value: 950_000_000n }], dataset, 'https://ci.example.invalid/run/1'), bob);
    assert.ok(attested.find(({ event }) => api.events.attestations.Attested.is(event)), 'Attested event');
    const listed = await view('Attestations', 'attestations', [id, 0, 10]);
    assert.equal(listed.length, 1);
    assert.equal(listed[0][1].evaluator.toString(), bob.address);
    assert.equal((await view('Attestations', 'check_promotion', [MODEL, 'main', id])).length, 0);

    const { events: moved } = await sendFinalized(api.tx.lineage.moveRef(MODEL, 'main', id, false, 100), alice);
    assert.ok(moved.find(({ event }) => api.events.attestations.Promoted.is(event)), 'Promoted event');
    const history = await view('Lineage', 'ref_history', [MODEL, 'main', 0, 10]);
    const evidence = (await view('Attestations', 'evidence', [MODEL, 'main', history.length - 1])).unwrap();
    assert.equal(u8aToHex(evidence[0].toU8a()), u8aToHex(id.toU8a()));
    assert.deepEqual(evidence[1].map((i) => i.toNumber()), [0]);
  });

  await t.test('the consortium council passes a motion by majority, from polkadot.js', async () => {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const [bob, charlie, dave] = ['//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri));
    const members = (await api.query.council.members()).map((m) => m.toString()).sort();
    assert.deepEqual(members, [alice.address, bob.address, charlie.address].sort());

    // How members change: a motion of two thirds of the council (or root) calls set_members.
    const motion = api.tx.council.setMembers([alice.address, bob.address, charlie.address, dave.address], null, 3);
    const length = motion.method.encodedLength;
    await assert.rejects(sendFinalized(api.tx.council.propose(2, motion, length), dave), /council\.NotMember/);
    const { events: proposed } = await sendFinalized(api.tx.council.propose(2, motion, length), alice);
    const { proposalIndex, proposalHash } = proposed.find(({ event }) => api.events.council.Proposed.is(event)).event.data;
    // Proposing is not voting: with no ayes yet, closing now is refused.
    const weight = { refTime: 100_000_000_000n, proofSize: 1_000_000n };
    await assert.rejects(sendFinalized(api.tx.council.close(proposalHash, proposalIndex, weight, length), alice),
      /council\.TooEarly/);
    await assert.rejects(sendFinalized(api.tx.council.vote(proposalHash, proposalIndex, true), dave), /council\.NotMember/);
    await sendFinalized(api.tx.council.vote(proposalHash, proposalIndex, true), alice);
    await sendFinalized(api.tx.council.vote(proposalHash, proposalIndex, true), bob);
    const voting = (await api.query.council.voting(proposalHash)).unwrap();
    assert.deepEqual(voting.ayes.map((a) => a.toString()).sort(), [alice.address, bob.address].sort());
    const { events: closed } = await sendFinalized(api.tx.council.close(proposalHash, proposalIndex, weight, length), charlie);
    const executed = closed.find(({ event }) => api.events.council.Executed.is(event));
    assert.ok(executed, 'Executed event');
    assert.ok(executed.event.data.result.isOk, `the motion dispatched: ${executed.event.data.result}`);
    assert.equal((await api.query.council.proposals()).length, 0);
    const after = (await api.query.council.members()).map((m) => m.toString()).sort();
    assert.deepEqual(after, [alice.address, bob.address, charlie.address, dave.address].sort());
    // A member cannot change the council alone, outside a motion.
    await assert.rejects(sendFinalized(api.tx.council.setMembers([alice.address], null, 4), alice), /BadOrigin/);
  });

  await t.test('a rejected call reports the pallet error by name and docs', async () => {
    await assert.rejects(sendFinalized(api.tx.modelRegistry.createModel(MODEL), alice), /modelRegistry\.ModelExists: A model with this name already exists/);
    await assert.rejects(sendFinalized(api.tx.modelRegistry.createModel('Not A Name'), alice), /modelRegistry\.InvalidModelName/);
  });
});
