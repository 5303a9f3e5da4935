/**
 * `TimeMoE.fromPretrained('owner/name')` end to end: a loopback server plays the Hub (listing
 * with sizes and hashes, files by commit) for the sharded BF16 parity fixture; the model is
 * downloaded into a cache folder, verified, loaded, and equal to loading the folder itself.
 * A second call uses the cache without any request. No test reaches the internet.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimeMoE } from '../../models/time-moe/index.ts';
import { init, shutdown } from '../../src/index.ts';
import { tempDirs } from '../helpers/temp-dirs.ts';

const FIXTURE = path.resolve('test/fixtures/time-moe-tiny-bf16');
const REPO = 'chronoscale-test/time-moe-tiny';
const COMMIT = 'ab'.repeat(20);
const files = Object.fromEntries(readdirSync(FIXTURE).map((name) => [name, readFileSync(path.join(FIXTURE, name))]));
const gitBlobId = (bytes: Uint8Array) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const dirs = tempDirs('chronoscale-time-moe-hub');
let server: Server;
let endpoint = '';
let requests: string[] = [];

test.before(async () => {
  await init({ name: 'webasm', threads: 2 });
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === `/api/models/${REPO}/revision/main`) {
      const siblings = Object.entries(files).map(([rfilename, bytes]) =>
        rfilename.endsWith('.safetensors')
          ? { rfilename, size: bytes.length, blobId: gitBlobId(Buffer.from(`pointer ${rfilename}`)), lfs: { sha256: sha256(bytes), size: bytes.length } }
          : { rfilename, size: bytes.length, blobId: gitBlobId(bytes) },
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: REPO, sha: COMMIT, siblings }));
      return;
    }
    const prefix = `/${REPO}/resolve/${COMMIT}/`;
    const bytes = url.pathname.startsWith(prefix) ? files[decodeURIComponent(url.pathname.slice(prefix.length))] : undefined;
    if (bytes) res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
test.after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  dirs.removeAll();
  await shutdown();
});

test('fromPretrained of a Hub id downloads the sharded checkpoint, verifies it and loads the same weights as the folder; the second call needs no request', async () => {
  const cacheDir = dirs.make();
  const fromFolder = await TimeMoE.fromPretrained(FIXTURE);
  const progress: string[] = [];
  const downloaded = await TimeMoE.fromPretrained(REPO, { endpoint, cacheDir, onProgress: (p) => progress.push(p.file) });
  assert.ok(
    requests.some((r) => r.includes('model-00002-of-00002.safetensors')),
    'the second shard was fetched',
  );
  assert.ok(progress.length > 0, 'progress was reported');
  const expected = fromFolder.stateDict();
  const actual = downloaded.stateDict();
  assert.equal([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [name, tensor] of expected) assert.equal(actual.get(name)!.data, tensor.data, name);

  requests = [];
  await TimeMoE.fromPretrained(REPO, { endpoint, cacheDir });
  assert.equal(requests, [], 'a complete cached snapshot is used without the network');
});

test.run();
