// polkadot.js compatibility: @polkadot/api, with no custom type definitions, reads and writes
// the model registry, the version graph, licensing, attestations, the council, curation and
// governance (session keys, the validator set, the whitelist) of a real zoo-node, and computes the same content ID as `zoo`.
//
// Run: `npm ci && npm test` in this directory, after `make build` (ZOO_NODE and ZOO override the
// binaries' paths).

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { base32Encode, cryptoWaitReady, sha256AsU8a, xxhashAsHex } from '@polkadot/util-crypto';
import { ZOO, ZOO_NODE, freePort, portOpen } from '../common/zoo-node.mjs';

const MODEL = 'acme/polkadot-js';

let work;
let node;
let api;
// The connection's provider, for RPC methods @polkadot/api has no definition of.
let provider;
let alice;
let url;
/** The version the commit test wrote (its ID, as the chain types it). */
let firstVersion;
/** The manifest type's name in the metadata. */
let manifestType;

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

/** The integer square root (the curation pallet's `isqrt`), by Newton's method. */
function isqrt(n) {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) { x = y; y = (x + n / x) / 2n; }
  return x;
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
  provider = new WsProvider(url);
  api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
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

    // Reserved names and forced organisations need Root or a council majority: the dev chain's sudo
    // key (development only; no other spec has one) stands in for the motion here.
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
    await assert.rejects(sendFinalized(api.tx.licensing.purchase(id, 0, 'Use', 4_999_999_999n), bob), /licensing\.PriceAboveMaximum/);
    // The buyer names the kind it is buying: an offer that sells another kind sells nothing.
    await assert.rejects(sendFinalized(api.tx.licensing.purchase(id, 0, 'Derivative', 5_000_000_000n), bob), /licensing\.OfferKindMismatch/);
    const { events: bought } = await sendFinalized(api.tx.licensing.purchase(id, 0, 'Use', 5_000_000_000n), bob);
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
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(id, bob.address, bobKey, [{ artifact: 0, header }]), alice),
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
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, bobKey, [{ artifact: 0, header }]), alice),
      /licensing\.NoGrant/);
    await sendFinalized(api.tx.licensing.purchase(sealedId, 0, 'Use', 5_000_000_000n), bob);
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, bobKey, [{ artifact: 1, header }]), alice),
      /licensing\.HeadersDoNotMatch/);
    // Headers wrapped for a key Bob has not recorded are refused (audit A3-01).
    const otherKey = u8aToHex(sha256AsU8a(new TextEncoder().encode('a key a lying node named')));
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, otherKey, [{ artifact: 0, header }]), alice),
      /licensing\.RecipientChanged/);
    const { events: released } = await sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, bobKey, [{ artifact: 0, header }]), alice);
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
    await assert.rejects(sendFinalized(api.tx.licensing.releaseKey(sealedId, bob.address, bobKey, [{ artifact: 0, header }]), alice),
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
    // No evaluator fills a version's slots alone (audit A3-09).
    assert.equal(api.consts.attestations.maxAttestationsPerEvaluator.toNumber(), 8);
    assert.ok(api.consts.attestations.maxAttestations.toNumber() > 8);
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

  await t.test('curators stake, a dispute is upheld by a council motion, and ranking drops the version, from polkadot.js', async () => {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const [bob, charlie, dave, eve, ferdie] = ['//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
    const ZOO_UNIT = 1_000_000_000_000n;
    const free = async (who) => (await api.query.system.account(who.address)).data.free.toBigInt();

    // Constants, as the metadata polkadot.js read at connection gives them.
    const consts = api.consts.curation;
    assert.equal(new TextDecoder().decode(consts.palletId.toU8a()), 'zoo/cura');
    assert.equal(consts.eraLength.toNumber(), 600, 'an hour of 6 s blocks');
    assert.equal(consts.unbondingPeriod.toNumber(), 7 * 14_400, 'a week');
    assert.equal(consts.minStake.toBigInt(), ZOO_UNIT);
    assert.equal(consts.disputeBond.toBigInt(), 10n * ZOO_UNIT);
    assert.equal(consts.disputeTimeout.toNumber(), 7 * 14_400, 'a week');
    assert.equal(consts.minFactor.toNumber(), 100_000_000, '10 %');
    assert.equal(consts.feeDecay.toNumber(), 900_000_000, '90 %');
    assert.equal(consts.maxUnbondingChunks.toNumber(), 8);
    assert.equal(consts.topN.toNumber(), 100);
    assert.equal(consts.scoreStakeWeight.toBigInt(), 1n);
    assert.equal(consts.scoreFeeWeight.toBigInt(), 20_000n);

    // EraLength and UnbondingPeriod are storage parameters: sudo shortens them before anyone stakes.
    // The values are SCALE u32 (little-endian: toU8a, not toHex, which prints the number big-endian).
    const ERA = 8;
    const UNBONDING = 6;
    assert.equal((await view('Curation', 'top_by_stake', [])).length, 0, 'nobody staked yet');
    await sendFinalized(api.tx.sudo.sudo(api.tx.system.setStorage([
      [xxhashAsHex(':EraLength:', 128), u8aToHex(api.createType('u32', ERA).toU8a())],
      [xxhashAsHex(':UnbondingPeriod:', 128), u8aToHex(api.createType('u32', UNBONDING).toU8a())],
    ])), alice);
    const constant = (metadata, name) => metadata.asLatest.pallets.find((p) => p.name.eq('Curation')).constants.find((c) => c.name.eq(name));
    const fresh = await api.rpc.state.getMetadata();
    assert.equal(api.createType('u32', constant(fresh, 'EraLength').value.toU8a(true)).toNumber(), ERA, 'the metadata reads the new value');
    assert.equal(api.createType('u32', constant(fresh, 'UnbondingPeriod').value.toU8a(true)).toNumber(), UNBONDING);
    const head = async () => (await api.rpc.chain.getHeader()).number.toNumber();
    /** Cheap transactions until the head is `block` (instant seal: one block each). */
    const advanceTo = async (block) => {
      while (await head() < block) await sendFinalized(api.tx.system.remark('0x'), alice);
    };
    /** Until the next transaction is the first of an era. */
    const nextEra = async () => advanceTo((Math.floor(await head() / ERA) + 1) * ERA - 1);

    // A version on the main line, sold under on-chain terms.
    const { events: registered } = await sendFinalized(api.tx.licensing.registerTerms({
      commercialUse: true, derivativesAllowed: 0b1111110, derivativesPaid: 0, shareAlike: false, approvalRequired: false,
      attributionRequired: false, namePrefix: null, restrictions: 0, upstreamShare: [0, 0, 0, 0, 0, 0, 0], grantDuration: null,
      legalHash: u8aToHex(sha256AsU8a(new TextEncoder().encode('curated terms'))), legalUri: 'https://example.invalid/curated',
    }), alice);
    const termsId = registered.find(({ event }) => api.events.licensing.TermsRegistered.is(event)).event.data.id;
    const mainTarget = (await view('Lineage', 'ref_target', [MODEL, 'main'])).unwrap().target;
    const curated = api.createType(manifestType, {
      model: MODEL,
      parents: [{ id: mainTarget, edge: 'Revision' }],
      artifacts: [],
      metrics: [],
      license: { Terms: termsId },
      tags: [],
      message: 'curated from polkadot.js',
      hashing: { algorithm: 'Sha2_256', shardSize: null },
    });
    const { events: committed } = await sendFinalized(api.tx.modelRegistry.commitVersion(curated), alice);
    const id = committed.find(({ event }) => api.events.modelRegistry.VersionCommitted.is(event)).event.data.id;
    const idHex = u8aToHex(id.toU8a());
    const PRICE = 2n * ZOO_UNIT;
    await sendFinalized(api.tx.licensing.setOffer(id, 0, 'Use', PRICE), alice);
    // The curators' share: 10 % of what is left after the 2 % protocol fee.
    const share = (PRICE - PRICE / 50n) / 10n;

    // Dave and Ferdie stake at the start of an era; their points are pending through it.
    await nextEra();
    const stakeEra = Math.floor((await head() + 1) / ERA);
    const { events: staked } = await sendFinalized(api.tx.curation.stake(id, 40n * ZOO_UNIT), dave);
    const stakedEvent = staked.find(({ event }) => api.events.curation.Staked.is(event)).event.data;
    assert.equal(u8aToHex(stakedEvent.version.toU8a()), idHex);
    assert.equal(stakedEvent.who.toString(), dave.address);
    assert.equal(stakedEvent.amount.toBigInt(), 40n * ZOO_UNIT);
    assert.equal(stakedEvent.points.toBigInt(), 40n * ZOO_UNIT, 'one point per unit before any slash');
    await sendFinalized(api.tx.curation.stake(id, 20n * ZOO_UNIT), ferdie);
    await assert.rejects(sendFinalized(api.tx.curation.stake(id, ZOO_UNIT - 1n), ferdie), /curation\.StakeTooLow/);
    const position = (await view('Curation', 'position', [id, dave.address])).unwrap();
    assert.deepEqual([position.active.toBigInt(), position.pending.toBigInt(), position.held.toBigInt()], [0n, 40n * ZOO_UNIT, 40n * ZOO_UNIT]);
    assert.equal(position.pendingEra.toNumber(), stakeEra);
    let figures = (await view('Curation', 'curation', [id])).unwrap();
    assert.equal(figures.activeStake.toBigInt(), 0n);
    assert.equal(figures.pendingStake.toBigInt(), 60n * ZOO_UNIT);
    assert.equal(figures.curators.toNumber(), 2);
    assert.equal(figures.factor.toBigInt(), 10n ** 18n);
    assert.equal(figures.dispute.isNone, true);
    const model = (await view('Curation', 'model_curation', [MODEL])).unwrap();
    assert.deepEqual([model.stake.toBigInt(), model.curators.toNumber()], [60n * ZOO_UNIT, 2]);
    const top = await view('Curation', 'top_by_stake', []);
    assert.deepEqual(top.map(([v, s]) => [u8aToHex(v.toU8a()), s.toBigInt()]), [[idHex, 60n * ZOO_UNIT]]);
    let ranked = await view('Curation', 'rank', [{}, 10]);
    assert.deepEqual(ranked.map((r) => u8aToHex(r.version.toU8a())), [idHex]);
    assert.equal(ranked[0].stake.toBigInt(), 60n * ZOO_UNIT);
    assert.equal(ranked[0].curators.toNumber(), 2);
    assert.equal(ranked[0].score.toBigInt(), isqrt(60n * ZOO_UNIT), 'no fees yet: the score is isqrt(stake)');

    // No just-in-time stake: a purchase in the staking era pays the curators nothing.
    const vaultBefore = (await view('Licensing', 'vault', [id])).toBigInt();
    const { events: early } = await sendFinalized(api.tx.licensing.purchase(id, 0, 'Use', PRICE), bob);
    assert.equal(Math.floor(await head() / ERA), stakeEra, 'bought in the staking era');
    assert.equal(early.find(({ event }) => api.events.curation.Credited.is(event)), undefined, 'no Credited event');
    assert.equal((await view('Licensing', 'vault', [id])).toBigInt() - vaultBefore, PRICE - PRICE / 50n, 'the payees keep it all');

    // The next era: anyone activates a curator's points, and a purchase is shared over them.
    await nextEra();
    const { events: activated } = await sendFinalized(api.tx.curation.activate(id, dave.address), charlie);
    const activatedEvent = activated.find(({ event }) => api.events.curation.Activated.is(event)).event.data;
    assert.deepEqual([activatedEvent.who.toString(), activatedEvent.points.toBigInt()], [dave.address, 40n * ZOO_UNIT]);
    figures = (await view('Curation', 'curation', [id])).unwrap();
    assert.deepEqual([figures.activeStake.toBigInt(), figures.pendingStake.toBigInt()], [60n * ZOO_UNIT, 0n]);
    const { events: bought } = await sendFinalized(api.tx.licensing.purchase(id, 0, 'Use', PRICE), bob);
    const credited = bought.find(({ event }) => api.events.curation.Credited.is(event)).event.data;
    assert.equal(u8aToHex(credited.version.toU8a()), idHex);
    assert.equal(credited.fee.toBigInt(), share);
    assert.equal(credited.escrowed.isFalse, true);
    // The fee streams through the era it was paid in (audit A3-03), shared from the next.
    assert.equal((await view('Curation', 'claimable', [id, dave.address])).toBigInt(), 0n, 'shared in the era it was paid');
    assert.equal((await api.query.curation.targets(id)).unwrap().streaming.toBigInt(), share);
    assert.equal((await view('Curation', 'streaming', [id])).toBigInt(), share);
    await advanceTo((Math.floor(await head() / ERA) + 1) * ERA);
    // acc grows by fee / active points (FixedU128); each curator is owed its points times that.
    const acc = (share * 10n ** 18n) / (60n * ZOO_UNIT);
    const daveOwed = (40n * ZOO_UNIT * acc) / 10n ** 18n;
    const ferdieOwed = (20n * ZOO_UNIT * acc) / 10n ** 18n;
    assert.equal((await view('Curation', 'claimable', [id, dave.address])).toBigInt(), daveOwed);
    assert.equal((await view('Curation', 'claimable', [id, ferdie.address])).toBigInt(), ferdieOwed, 'Ferdie earns from the era boundary, untouched');
    assert.ok(daveOwed > 0n && daveOwed + ferdieOwed <= share && daveOwed + ferdieOwed >= share - 2n);
    ranked = await view('Curation', 'rank', [{ license: null, tags: [], metrics: [] }, 10]);
    // The fee average has decayed by one era since the purchase (FeeDecay, 90 %).
    const feesEma = share * 9n / 10n;
    assert.equal(ranked[0].feesEma.toBigInt(), feesEma);
    assert.equal(ranked[0].score.toBigInt(), isqrt(60n * ZOO_UNIT) + 20_000n * BigInt((1n + feesEma).toString(2).length - 1));
    const { events: claimed } = await sendFinalized(api.tx.curation.claim(id), dave);
    assert.equal(claimed.find(({ event }) => api.events.curation.Claimed.is(event)).event.data.amount.toBigInt(), daveOwed);
    assert.equal((await view('Curation', 'claimable', [id, dave.address])).toBigInt(), 0n);

    // Unbonding: held until UnbondingPeriod blocks later, then withdrawn exactly.
    const { events: unbonding } = await sendFinalized(api.tx.curation.unbond(id, 5n * ZOO_UNIT), ferdie);
    const unlockAt = unbonding.find(({ event }) => api.events.curation.Unbonding.is(event)).event.data.unlockAt.toNumber();
    assert.equal(unlockAt, await head() + UNBONDING);
    await assert.rejects(sendFinalized(api.tx.curation.withdraw(id), ferdie), /curation\.NothingToWithdraw/);
    await advanceTo(unlockAt - 1);
    const { events: withdrawn } = await sendFinalized(api.tx.curation.withdraw(id), ferdie);
    assert.equal(withdrawn.find(({ event }) => api.events.curation.Withdrawn.is(event)).event.data.amount.toBigInt(), 5n * ZOO_UNIT);
    // Five more unbond, and stay held (and slashable) through what follows.
    await sendFinalized(api.tx.curation.unbond(id, 5n * ZOO_UNIT), ferdie);
    figures = (await view('Curation', 'curation', [id])).unwrap();
    assert.deepEqual([figures.activeStake.toBigInt(), figures.unbondingStake.toBigInt()], [50n * ZOO_UNIT, 5n * ZOO_UNIT]);

    // Eve disputes the version, holding the bond.
    const eveFree = await free(eve);
    const { events: opened } = await sendFinalized(api.tx.curation.openDispute(id, 'Malware', 'ipfs://evidence-of-malware'), eve);
    const openedEvent = opened.find(({ event }) => api.events.curation.DisputeOpened.is(event)).event.data;
    assert.equal(u8aToHex(openedEvent.version.toU8a()), idHex);
    assert.equal(openedEvent.reporter.toString(), eve.address);
    assert.equal(openedEvent.reason.toString(), 'Malware');
    const disputeId = openedEvent.id;
    const dispute = (await view('Curation', 'dispute', [disputeId])).unwrap();
    assert.equal(dispute.reporter.toString(), eve.address);
    assert.equal(dispute.bond.toBigInt(), 10n * ZOO_UNIT);
    assert.equal(dispute.expiresAt.toNumber(), dispute.openedAt.toNumber() + 7 * 14_400, 'lapses a week after it opened');
    assert.equal(new TextDecoder().decode(dispute.evidence.toU8a(true)), 'ipfs://evidence-of-malware');
    // Only the council closes it within the week.
    await assert.rejects(sendFinalized(api.tx.curation.closeLapsedDispute(disputeId), charlie), /curation\.DisputeNotLapsed/);
    assert.equal((await view('Curation', 'curation', [id])).unwrap().dispute.unwrap().toNumber(), disputeId.toNumber());
    assert.deepEqual((await api.query.balances.holds(eve.address)).map((h) => [h.id.toJSON(), h.amount.toBigInt()]),
      [[{ curation: 'DisputeBond' }, 10n * ZOO_UNIT]]);
    const eveHeld = await free(eve);
    // While it is open: no stake in or out, no second dispute, ranking leaves it out, credits are escrowed.
    await assert.rejects(sendFinalized(api.tx.curation.stake(id, ZOO_UNIT), dave), /curation\.DisputeOpen/);
    await assert.rejects(sendFinalized(api.tx.curation.withdraw(id), ferdie), /curation\.DisputeOpen/);
    await assert.rejects(sendFinalized(api.tx.curation.openDispute(id, 'Other', '0x'), bob), /curation\.DisputeOpen/);
    assert.equal((await view('Curation', 'rank', [{}, 10])).length, 0);
    assert.deepEqual((await view('Curation', 'top_by_stake', [])).map(([v, s]) => [u8aToHex(v.toU8a()), s.toBigInt()]), [[idHex, 50n * ZOO_UNIT]]);
    const { events: escrowedBuy } = await sendFinalized(api.tx.licensing.purchase(id, 0, 'Use', PRICE), bob);
    const escrowedCredit = escrowedBuy.find(({ event }) => api.events.curation.Credited.is(event)).event.data;
    assert.deepEqual([escrowedCredit.fee.toBigInt(), escrowedCredit.escrowed.isTrue], [share, true]);
    assert.equal((await view('Curation', 'curation', [id])).unwrap().escrow.toBigInt(), share);

    // Promotion refuses a disputed version, with a policy (main) or without (a new ref).
    assert.equal((await view('Attestations', 'check_promotion', [MODEL, 'main', id]))[0].type, 'UnderDispute');
    await assert.rejects(sendFinalized(api.tx.lineage.moveRef(MODEL, 'main', id, false, 100), alice), /attestations\.UnderDispute/);
    await sendFinalized(api.tx.lineage.createRef(MODEL, 'curated', mainTarget, false), alice);
    assert.deepEqual((await view('Attestations', 'check_promotion', [MODEL, 'curated', id])).map((u) => u.type), ['UnderDispute']);
    await assert.rejects(sendFinalized(api.tx.lineage.moveRef(MODEL, 'curated', id, false, 100), alice), /attestations\.UnderDispute/);

    // The verdict: half the stake slashed, a tenth of it to Eve, the escrow back to the buyer.
    const verdict = api.tx.curation.resolveDispute(disputeId, true, 500_000_000, 100_000_000, bob.address);
    const length = verdict.method.encodedLength;
    await assert.rejects(sendFinalized(verdict, alice), /BadOrigin/);
    const { events: sudid } = await sendFinalized(api.tx.sudo.sudo(verdict), alice);
    const sudoResult = sudid.find(({ event }) => api.events.sudo.Sudid.is(event)).event.data.sudoResult;
    assert.ok(sudoResult.isErr && sudoResult.asErr.isBadOrigin, `sudo gives no verdict: ${sudoResult}`);
    // One member's motion (threshold 1) executes at once as one of three: not a majority.
    const { events: alone } = await sendFinalized(api.tx.council.propose(1, verdict, length), alice);
    const aloneResult = alone.find(({ event }) => api.events.council.Executed.is(event)).event.data.result;
    assert.ok(aloneResult.isErr && aloneResult.asErr.isBadOrigin, `one member gives no verdict: ${aloneResult}`);
    assert.ok((await view('Curation', 'dispute', [disputeId])).isSome, 'the dispute is still open');
    const { events: proposed } = await sendFinalized(api.tx.council.propose(2, verdict, length), alice);
    const { proposalIndex, proposalHash } = proposed.find(({ event }) => api.events.council.Proposed.is(event)).event.data;
    await sendFinalized(api.tx.council.vote(proposalHash, proposalIndex, true), alice);
    await sendFinalized(api.tx.council.vote(proposalHash, proposalIndex, true), bob);
    const weight = { refTime: 100_000_000_000n, proofSize: 1_000_000n };
    const { events: closed } = await sendFinalized(api.tx.council.close(proposalHash, proposalIndex, weight, length), charlie);
    const executed = closed.find(({ event }) => api.events.council.Executed.is(event));
    assert.ok(executed.event.data.result.isOk, `the motion dispatched: ${executed.event.data.result}`);
    const upheld = closed.find(({ event }) => api.events.curation.DisputeUpheld.is(event)).event.data;
    assert.equal(upheld.id.toNumber(), disputeId.toNumber());
    assert.equal(upheld.slash.toNumber(), 500_000_000);
    assert.equal(upheld.reporterShare.toNumber(), 100_000_000);
    assert.equal(upheld.escrow.toBigInt(), share);
    assert.equal(upheld.escrowTo.unwrap().toString(), bob.address);

    // The version is yanked, recorded as the curation pallet's doing.
    const palletAccount = api.createType('AccountId', u8aConcat(stringToU8a('modl'), stringToU8a('zoo/cura'), new Uint8Array(20))).toString();
    const yank = (await api.query.modelRegistry.versions(id)).unwrap().yanked.unwrap();
    assert.equal(yank.by.toString(), palletAccount);
    assert.equal(new TextDecoder().decode(yank.reason.toU8a(true)), 'dispute upheld: malware');
    assert.ok(closed.find(({ event }) => api.events.modelRegistry.VersionYanked.is(event)), 'VersionYanked event');
    // The stake is worth half, the dispute is closed, Eve's bond is back, ranking drops the version.
    figures = (await view('Curation', 'curation', [id])).unwrap();
    assert.equal(figures.factor.toBigInt(), 10n ** 18n / 2n);
    assert.deepEqual([figures.activeStake.toBigInt(), figures.unbondingStake.toBigInt()], [25n * ZOO_UNIT, 5n * ZOO_UNIT / 2n]);
    assert.deepEqual([figures.dispute.isNone, figures.escrow.toBigInt()], [true, 0n]);
    assert.equal((await view('Curation', 'dispute', [disputeId])).isNone, true);
    assert.equal((await api.query.balances.holds(eve.address)).length, 0);
    assert.equal(await free(eve), eveHeld + 10n * ZOO_UNIT, 'the bond returned');
    assert.ok(eveHeld + 10n * ZOO_UNIT < eveFree, 'less the fee of opening');
    assert.equal((await view('Curation', 'rank', [{}, 10])).length, 0);
    assert.equal((await view('Curation', 'top_by_stake', [])).length, 0);
    await assert.rejects(sendFinalized(api.tx.curation.stake(id, ZOO_UNIT), dave), /curation\.VersionYanked/);

    // Slashes are realized as positions are touched, a tenth to Eve; rewards earned before stay.
    assert.equal((await view('Curation', 'position', [id, dave.address])).unwrap().held.toBigInt(), 40n * ZOO_UNIT);
    for (const [curator, held] of [[dave, 40n * ZOO_UNIT], [ferdie, 15n * ZOO_UNIT]]) {
      const before = await free(eve);
      const { events } = await sendFinalized(api.tx.curation.activate(id, curator.address), charlie);
      const slashed = events.find(({ event }) => api.events.curation.Slashed.is(event)).event.data;
      assert.equal(slashed.who.toString(), curator.address);
      assert.equal(slashed.amount.toBigInt(), held / 2n);
      assert.equal(slashed.toReporter.toBigInt(), held / 20n);
      assert.equal(await free(eve), before + held / 20n);
      assert.equal((await view('Curation', 'position', [id, curator.address])).unwrap().held.toBigInt(), held / 2n);
    }
    const { events: ferdieClaimed } = await sendFinalized(api.tx.curation.claim(id), ferdie);
    assert.equal(ferdieClaimed.find(({ event }) => api.events.curation.Claimed.is(event)).event.data.amount.toBigInt(), ferdieOwed);
    // Everything Dave had bonded (40 ZOO) comes back as 20 after the unbonding period.
    const { events: daveUnbonding } = await sendFinalized(api.tx.curation.unbond(id, 1_000n * ZOO_UNIT), dave);
    const daveChunk = daveUnbonding.find(({ event }) => api.events.curation.Unbonding.is(event)).event.data;
    assert.equal(daveChunk.amount.toBigInt(), 20n * ZOO_UNIT);
    await advanceTo(daveChunk.unlockAt.toNumber() - 1);
    const { events: daveOut } = await sendFinalized(api.tx.curation.withdraw(id), dave);
    assert.equal(daveOut.find(({ event }) => api.events.curation.Withdrawn.is(event)).event.data.amount.toBigInt(), 20n * ZOO_UNIT);
    assert.equal((await view('Curation', 'position', [id, dave.address])).isNone, true, 'an empty position is removed');
    assert.equal((await api.query.balances.holds(dave.address)).length, 0);
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

  await t.test('the council admits a validator and authorizes an upgrade through the whitelist', async () => {
    const keyring = new Keyring({ type: 'sr25519' });
    const [bob, charlie, dave] = ['//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri));
    const weight = { refTime: 100_000_000_000n, proofSize: 1_000_000n };
    // The council is now four (the test above): a majority and two thirds are both 3 ayes.
    const motion = async (call, ayes) => {
      const length = call.method.encodedLength;
      const { events: proposed } = await sendFinalized(api.tx.council.propose(3, call, length), alice);
      const { proposalIndex, proposalHash } = proposed.find(({ event }) => api.events.council.Proposed.is(event)).event.data;
      for (const voter of ayes) await sendFinalized(api.tx.council.vote(proposalHash, proposalIndex, true), voter);
      const { events } = await sendFinalized(api.tx.council.close(proposalHash, proposalIndex, weight, length), charlie);
      const executed = events.find(({ event }) => api.events.council.Executed.is(event));
      assert.ok(executed?.event.data.result.isOk, `the motion dispatched: ${executed?.event.data.result}`);
      return events;
    };
    const accounts = (list) => list.map((a) => a.toString());
    assert.deepEqual(accounts(await api.query.validatorSet.validators()), [alice.address]);
    assert.deepEqual(accounts(await api.query.session.validators()), [alice.address]);
    assert.equal(api.consts.validatorSet.minValidators.toNumber(), 2);
    assert.equal(api.consts.validatorSet.maxValidators.toNumber(), 32);
    assert.equal((await api.query.sudo.key()).unwrap().toString(), alice.address, 'the dev preset keeps a sudo key');

    // Charlie's node generates his session keys with a proof of possession for his account.
    const generated = await provider.send('author_rotateKeysWithOwner', [u8aToHex(charlie.addressRaw)]);
    await assert.rejects(sendFinalized(api.tx.session.setKeys(generated.keys, generated.proof), dave), /session\.InvalidProof/);
    await sendFinalized(api.tx.session.setKeys(generated.keys, generated.proof), charlie);
    assert.equal((await api.query.session.nextKeys(charlie.address)).unwrap().toHex(), generated.keys);

    // A member's own signature cannot admit a validator; a majority motion does.
    await assert.rejects(sendFinalized(api.tx.validatorSet.addValidator(charlie.address), alice), /BadOrigin/);
    const admitted = await motion(api.tx.validatorSet.addValidator(charlie.address), [alice, bob, dave]);
    const added = admitted.find(({ event }) => api.events.validatorSet.ValidatorAdded.is(event));
    assert.equal(added.event.data.who.toString(), charlie.address);
    assert.deepEqual(accounts(await api.query.validatorSet.validators()), [alice.address, charlie.address]);
    assert.equal((await api.query.validatorSet.planPending()).isTrue, true);

    // Root through the whitelist: one two-thirds motion whitelists and dispatches authorize_upgrade.
    const codeHash = `0x${'11'.repeat(32)}`;
    const authorize = api.tx.system.authorizeUpgrade(codeHash);
    await assert.rejects(sendFinalized(authorize, alice), /BadOrigin/);
    const root = api.tx.utility.batchAll([
      api.tx.whitelist.whitelistCall(authorize.method.hash),
      api.tx.whitelist.dispatchWhitelistedCallWithPreimage(authorize.method),
    ]);
    const dispatched = await motion(root, [alice, bob, dave]);
    assert.ok(dispatched.find(({ event }) => api.events.whitelist.WhitelistedCallDispatched.is(event)));
    assert.equal((await api.query.system.authorizedUpgrade()).unwrap().codeHash.toHex(), codeHash);
  });

  await t.test('a rejected call reports the pallet error by name and docs', async () => {
    await assert.rejects(sendFinalized(api.tx.modelRegistry.createModel(MODEL), alice), /modelRegistry\.ModelExists: A model with this name already exists/);
    await assert.rejects(sendFinalized(api.tx.modelRegistry.createModel('Not A Name'), alice), /modelRegistry\.InvalidModelName/);
  });
});
